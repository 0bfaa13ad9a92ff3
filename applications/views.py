"""Pages of the grant cycle: they parse input, fetch through permissions.py and call one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luk_portal.errors import LukError
from luk_portal.forms import add_service_errors, call_service, formset_rows
from programmes.selectors import programme_current, rounds_open

from . import filters, letters, permissions, selectors, services
from .forms import (
    ApplicationForm,
    AttachmentForm,
    BudgetLineFormSet,
    CountyPlanForm,
    DecisionForm,
    MessageForm,
    NewApplicationForm,
    PartnerFormSet,
    PlanApprovalForm,
    RecommendationForm,
)
from .models import Application, Attachment, CountyPlan


def _to_case(application_or_plan: object) -> HttpResponse:
    if isinstance(application_or_plan, CountyPlan):
        return redirect("applications:plan_detail", application_or_plan.pk)
    return redirect("applications:detail", application_or_plan.pk)


# Applications


@require_GET
def application_list(request: HttpRequest) -> HttpResponseBase:
    """The applications the person may see, filtered, searched and sorted; its files: reporting.export_views."""
    context = filters.list_context(request, "applications")
    return render(request, "applications/list.html", {**context, "can_apply": permissions.may_apply(request.user)})


@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    if not permissions.may_apply(request.user):
        raise Http404
    municipalities = permissions.municipalities_to_apply_for(request.user).order_by("name")
    rounds = rounds_open(rounds=permissions.rounds_to_apply_to(request.user)).select_related("county")
    form = NewApplicationForm(
        request.POST or None,
        rounds=rounds,
        municipalities=municipalities,
        initial={"funding_round": request.GET.get("utlysing")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(by=request.user, **form.cleaned_data)
        except LukError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The draft is saved. Fill in the rest; you can save at any time."))
            return redirect("applications:edit", application.pk)
    return render(request, "applications/new.html", {"form": form, "has_rounds": rounds.exists()})


@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk)
    context = selectors.application_detail(application=application, user=request.user)
    context["attachment_form"] = AttachmentForm() if context["can_edit"] else None
    return render(request, "applications/detail.html", context)


@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The application form. "Save draft" keeps everything as typed; "Submit" saves first, then checks it all."""
    application = permissions.get_application_for_user(request.user, pk, action="edit")
    form = ApplicationForm(request.POST or None, instance=application)
    budget = BudgetLineFormSet(request.POST or None, instance=application, prefix="budget")
    partners = PartnerFormSet(request.POST or None, instance=application, prefix="partners")
    section_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        valid = all([form.is_valid(), budget.is_valid(), partners.is_valid()])
        if valid:
            try:
                with transaction.atomic():
                    services.application_save_draft(
                        application=application,
                        by=request.user,
                        fields=form.service_fields(),
                        themes=list(form.cleaned_data["themes"]),
                        result_goals=list(form.cleaned_data["result_goals"]),
                        partner_municipalities=list(form.cleaned_data["partner_municipalities"]),
                        budget_lines=formset_rows(budget),
                        partners=formset_rows(partners),
                    )
            except ValidationError as error:
                add_service_errors(form, error, elsewhere=section_errors)
            except LukError as error:
                form.add_error(None, error.message)
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("The draft is saved."))
                    return redirect("applications:edit", application.pk)
                try:
                    services.application_submit(application=application, by=request.user)
                except ValidationError as error:
                    add_service_errors(form, error, elsewhere=section_errors)
                    messages.error(
                        request,
                        _("The draft is saved, but it cannot be submitted yet. See the messages beside the fields."),
                    )
                    # The saved rows now have ids: show them as saved, with what the user typed kept.
                    budget = BudgetLineFormSet(instance=application, prefix="budget")
                    partners = PartnerFormSet(instance=application, prefix="partners")
                except LukError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("The application is submitted to the county."))
                    return redirect("applications:detail", application.pk)
        else:
            messages.error(request, _("Some fields need correcting before the draft can be saved."))
    return render(
        request,
        "applications/edit.html",
        {
            "application": application,
            "form": form,
            "budget": budget,
            "partners": partners,
            "section_errors": section_errors,
        },
    )


@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk, action="edit")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(application=application, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document is attached."))
            return redirect("applications:detail", application.pk)
    context = selectors.application_detail(application=application, user=request.user)
    context["attachment_form"] = form
    return render(request, "applications/detail.html", context, status=400)


@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk, action="edit")
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    services.attachment_remove(attachment=attachment, by=request.user)
    messages.success(request, _("The document is removed."))
    return redirect("applications:detail", application.pk)


@require_GET
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    application = permissions.get_application_for_user(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )


@require_GET
def letter_download(request: HttpRequest, pk: int) -> FileResponse:
    application = permissions.get_application_for_user(request.user, pk)
    decision = getattr(application, "decision", None)
    if decision is None:
        raise Http404
    if not decision.letter:
        # Made by a task just after the decision; a decision from before the portal kept letters (the national
        # demo data of 2010-2014) gets its letter when first opened. Making it is idempotent.
        decision = letters.decision_letter_make(decision_id=decision.pk)
    return FileResponse(
        decision.letter.open("rb"),
        as_attachment=False,
        content_type="application/pdf",
        filename=f"vedtak-{application.case_number.replace('/', '-')}.pdf",
    )


@require_GET
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk)
    version = get_object_or_404(application.versions, number=number)
    return render(request, "applications/version.html", {"application": application, "version": version})


@require_POST
def application_take(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk, action="take")
    try:
        services.application_take(application=application, by=request.user)
    except LukError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You have taken the case."))
    return redirect("applications:detail", application.pk)


@require_http_methods(["GET", "POST"])
def application_return(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk, action="return")
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_return(application=application, by=request.user, message=form.cleaned_data["message"])
        except LukError as error:
            form.add_error("message", error.message)
        else:
            messages.success(request, _("The application is returned to the kommune."))
            return redirect("applications:detail", application.pk)
    return _action_page(
        request,
        application,
        form,
        heading=_("Return the application for changes"),
        intro=_(
            "Tell the coordinator what to change. They edit the application and submit it again; both "
            "versions stay on the case."
        ),
        button=_("Return to the kommune"),
    )


@require_http_methods(["GET", "POST"])
def application_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk, action="recommend")
    form = RecommendationForm(request.POST or None, initial={"amount": application.requested_amount})
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.recommendation_make, application=application, by=request.user, **form.cleaned_data
        )
    ):
        messages.success(request, _("The recommendation is sent to the county's decision-makers."))
        return redirect("applications:detail", application.pk)
    return _action_page(
        request,
        application,
        form,
        heading=_("Write the recommendation"),
        intro=_(
            "Recommend approval with an amount and conditions, or rejection. Someone else with decision "
            "rights makes the decision."
        ),
        button=_("Send the recommendation"),
    )


@require_http_methods(["GET", "POST"])
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = permissions.get_application_for_user(request.user, pk, action="decide")
    recommendation = application.recommendations.order_by("-created_at", "-pk").first()
    initial = {
        "outcome": "approve" if recommendation.outcome == "approve" else "reject",
        "amount": recommendation.amount,
        "conditions": recommendation.conditions,
        "reasons": recommendation.reasons,
    }
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_make(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except LukError as error:
            form.add_error(None, error.message)
        else:
            if decision is None:
                messages.success(request, _("The case is sent back to the case officer."))
            else:
                messages.success(request, _("The decision is made. The decision letter is being made."))
            return redirect("applications:detail", application.pk)
    account = application.funding_round.county.accounts.filter(programme=application.funding_round.programme).first()
    return _action_page(
        request,
        application,
        form,
        heading=_("Make the decision"),
        recommendation=recommendation,
        account=account,
        intro=_("Approval takes the amount from the county's free frame. A rejection needs reasons."),
        button=_("Make the decision"),
    )


def _action_page(request: HttpRequest, application: Application, form: forms.Form, **context: Any) -> HttpResponse:
    """The page of one step on the application: its form, with the heading, intro and button the step gives."""
    return render(request, "applications/action_form.html", {"application": application, "form": form, **context})


# County plans


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = (
        permissions.county_plans_visible_to(request.user)
        .select_related("county")
        .order_by("county__number", "-updated_at")
    )
    counties = permissions.counties_to_plan_for(request.user)
    return render(request, "applications/plan_list.html", {"plans": plans, "counties": counties})


@require_POST
def plan_new(request: HttpRequest) -> HttpResponse:
    county_id = request.POST.get("county", "")
    if not county_id.isdigit():
        raise Http404
    county = get_object_or_404(permissions.counties_to_plan_for(request.user), pk=county_id)
    programme = programme_current()
    plan = services.plan_create(
        by=request.user,
        county=county,
        programme=programme,
        title=_("LUK plan for %(county)s") % {"county": county.name},
    )
    return redirect("applications:plan_edit", plan.pk)


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, pk)
    context = selectors.plan_detail(plan=plan, user=request.user)
    if "approve" in context["actions"]:
        context["approval_form"] = PlanApprovalForm(initial={"amount": plan.requested_amount})
        context["return_form"] = MessageForm()
    return render(request, "applications/plan_detail.html", context)


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, pk, action="edit")
    form = CountyPlanForm(request.POST or None, instance=plan)
    if request.method == "POST":
        if form.is_valid() and call_service(
            form,
            services.plan_save_draft,
            plan=plan,
            by=request.user,
            fields=form.service_fields(),
            themes=list(form.cleaned_data["themes"]),
            municipalities=list(form.cleaned_data["municipalities"]),
        ):
            if "submit" not in request.POST:
                messages.success(request, _("The draft is saved."))
                return redirect("applications:plan_edit", plan.pk)
            if call_service(form, services.plan_submit, plan=plan, by=request.user):
                messages.success(request, _("The plan is submitted to the ministry."))
                return redirect("applications:plan_detail", plan.pk)
            messages.error(
                request, _("The draft is saved, but it cannot be submitted yet. See the messages beside the fields.")
            )
        else:
            messages.error(request, _("Some fields need correcting before the draft can be saved."))
    return render(request, "applications/plan_edit.html", {"plan": plan, "form": form})


@require_POST
def plan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    plan = permissions.get_plan_for_user(request.user, pk, action="approve")
    approval_form, return_form = PlanApprovalForm(), MessageForm()
    try:
        if request.POST.get("decision") == "approve":
            approval_form = PlanApprovalForm(request.POST)
            if approval_form.is_valid():
                services.plan_approve(plan=plan, by=request.user, **approval_form.cleaned_data)
                messages.success(request, _("The plan is approved; the amount is added to the county's frames."))
                return _to_case(plan)
        else:
            return_form = MessageForm(request.POST)
            if return_form.is_valid():
                services.plan_return(plan=plan, by=request.user, message=return_form.cleaned_data["message"])
                messages.success(request, _("The plan is returned to the county."))
                return _to_case(plan)
    except ValidationError as error:
        add_service_errors(approval_form if request.POST.get("decision") == "approve" else return_form, error)
    except LukError as error:
        messages.error(request, error.message)
    context = selectors.plan_detail(plan=plan, user=request.user)
    context.update(approval_form=approval_form, return_form=return_form)
    return render(request, "applications/plan_detail.html", context, status=400)
