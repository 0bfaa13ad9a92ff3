"""Pages of the projects an approved application becomes: the plan, the report schedule, progress and final
reports, payments, change requests, closing and cancelling.

Like views.py, they parse input, fetch through permissions.py (404 for outsiders, 403 for those who may see but
not do this) and call one service; a service's refusal becomes a message beside the field, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from luk_portal.errors import LukError
from luk_portal.forms import add_service_errors, call_service, formset_rows

from . import filters, permissions, selectors, services
from .forms import AttachmentForm, MessageForm
from .models import (
    BudgetLine,
    ChangeRequest,
    ProgressReport,
    Project,
    ReportAttachment,
)
from .project_forms import (
    CancelForm,
    ChangeDecisionForm,
    ChangeRequestForm,
    CloseForm,
    IndicatorFormSet,
    MilestoneFormSet,
    NewReportForm,
    PaymentDecisionForm,
    PaymentRequestForm,
    ReportForm,
    ScheduleForm,
)

RStatus = ProgressReport.Status


def _to_project(project: Project) -> HttpResponse:
    return redirect("applications:project_detail", project.pk)


def _to_report(report: ProgressReport) -> HttpResponse:
    return redirect("applications:report_detail", report.pk)


# Projects


@require_GET
def project_list(request: HttpRequest) -> HttpResponseBase:
    """The projects the person may see, filtered, searched and sorted; its files: reporting.export_views."""
    return render(request, "applications/project_list.html", filters.list_context(request, "projects"))


@require_GET
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.get_project_for_user(request.user, pk)
    context = selectors.project_detail(project=project, user=request.user)
    user = request.user
    context.update(
        has_final_report=any(report.final for report in context["reports"]),
        # The buttons of each row: the steps of its table open to the person now.
        editable_reports={r.pk for r in context["reports"] if permissions.step_open_to(user, r, "submit")},
        reviewable_reports={r.pk for r in context["reports"] if permissions.step_open_to(user, r, "approve")},
        decidable_payments={p.pk for p in context["payments"] if permissions.step_open_to(user, p, "approve")},
        decidable_changes={c.pk for c in context["changes"] if permissions.step_open_to(user, c, "approve")},
    )
    return render(request, "applications/project_detail.html", context)


def _section_errors(error: ValidationError, sections: tuple[str, ...], default: str) -> dict[str, list[str]]:
    """A service's errors by the part of the page they belong to; the rest go to `default`."""
    if not hasattr(error, "error_dict"):
        return {default: list(error.messages)}
    errors: dict[str, list[str]] = {}
    for key, texts in error.message_dict.items():
        errors.setdefault(key if key in sections else default, []).extend(texts)
    return errors


@require_http_methods(["GET", "POST"])
def project_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """Milestones and indicators: each row may be changed or removed; empty rows are left out."""
    project = permissions.get_project_for_user(request.user, pk, action="plan")
    goals = project.application.result_goals.order_by("number")
    data = request.POST or None
    milestones = MilestoneFormSet(data, instance=project, prefix="milestones")
    indicators = IndicatorFormSet(data, instance=project, prefix="indicators", form_kwargs={"result_goals": goals})
    section_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if all([milestones.is_valid(), indicators.is_valid()]):
            try:
                services.project_plan_save(
                    project=project,
                    by=request.user,
                    milestones=formset_rows(milestones),
                    indicators=formset_rows(indicators),
                )
            except ValidationError as error:
                section_errors = _section_errors(error, ("milestones", "indicators"), "plan")
            except LukError as error:
                section_errors = {"plan": [error.message]}
            else:
                messages.success(request, _("The project plan is saved."))
                return _to_project(project)
        messages.error(request, _("The plan is not saved. See the messages beside the fields."))
    return render(
        request,
        "applications/project_plan.html",
        {
            "project": project,
            "milestones": milestones,
            "indicators": indicators,
            "goals": goals,
            "missing_goals": services.missing_indicator_goals(project),
            "section_errors": section_errors,
        },
    )


@require_http_methods(["GET", "POST"])
def project_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.get_project_for_user(request.user, pk, action="schedule")
    progress_dates = list(project.deadlines.filter(final=False).values_list("due_on", flat=True))
    initial = {
        "mode": "every" if project.report_every_months else "fixed",
        "every_months": project.report_every_months or services.DEFAULT_REPORT_MONTHS,
        "fixed_dates": "" if project.report_every_months else "\n".join(d.strftime("%d.%m.%Y") for d in progress_dates),
        "final_due": project.final_report_due,
    }
    form = ScheduleForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.schedule_set, project=project, by=request.user, **form.service_arguments())
    ):
        messages.success(request, _("The report schedule is set."))
        return _to_project(project)
    return render(
        request,
        "applications/project_schedule.html",
        {"project": project, "form": form, "deadlines": list(project.deadlines.all())},
    )


# Reports


@require_POST
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.get_project_for_user(request.user, pk, action="report")
    form = NewReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["final"][0])
        return _to_project(project)
    try:
        report = services.report_create(project=project, by=request.user, final=form.cleaned_data["final"])
    except LukError as error:
        messages.error(request, error.message)
        return _to_project(project)
    messages.success(request, _("The report is started. Save it as often as you like; submit it when it is done."))
    return redirect("applications:report_edit", report.pk)


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user(request.user, pk)
    context = selectors.report_detail(report=report, user=request.user)
    context["attachment_form"] = AttachmentForm() if context["can_edit"] else None
    context["return_form"] = MessageForm() if context["can_review"] else None
    return render(request, "applications/project_report_detail.html", context)


@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The case officer approves the report, or returns it with a message."""
    report = permissions.get_report_for_user(request.user, pk, action="review")
    return_form = MessageForm()
    try:
        if request.POST.get("decision") == "approve":
            services.report_decide(report=report, by=request.user, approve=True)
            messages.success(request, _("The report is approved."))
            return _to_report(report)
        return_form = MessageForm(request.POST)
        if return_form.is_valid():
            services.report_decide(
                report=report, by=request.user, approve=False, message=return_form.cleaned_data["message"]
            )
            messages.success(request, _("The report is returned to the kommune."))
            return _to_report(report)
    except ValidationError as error:
        add_service_errors(return_form, error)
    except LukError as error:
        messages.error(request, error.message)
        return _to_report(report)
    context = selectors.report_detail(report=report, user=request.user)
    context.update(attachment_form=None, return_form=return_form)
    return render(request, "applications/project_report_detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The report form. "Save draft" keeps everything as typed; "Submit" saves first, then checks it all."""
    report = permissions.get_report_for_user(request.user, pk, action="edit")
    project = report.project
    form = ReportForm(
        request.POST or None,
        instance=report,
        budget_lines=list(project.application.budget_lines.all()),
        indicators=list(project.indicators.select_related("result_goal")),
        milestones=list(project.milestones.all()),
    )
    section_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.report_save_draft(report=report, by=request.user, **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error, elsewhere=section_errors)
            except LukError as error:
                form.add_error(None, error.message)
            else:
                if "submit" not in request.POST:
                    messages.success(request, _("The draft is saved."))
                    return redirect("applications:report_edit", report.pk)
                try:
                    services.report_submit(report=report, by=request.user)
                except ValidationError as error:
                    add_service_errors(form, error, elsewhere=section_errors)
                    messages.error(
                        request,
                        _("The draft is saved, but it cannot be submitted yet. See the messages beside the fields."),
                    )
                except LukError as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("The report is submitted to the county."))
                    return _to_report(report)
        else:
            messages.error(request, _("Some fields need correcting before the draft can be saved."))
    return render(
        request,
        "applications/project_report_edit.html",
        {
            "report": report,
            "project": project,
            "form": form,
            "section_errors": section_errors,
            "can_edit_plan": permissions.can_edit_project_plan(request.user, project),
            "missing_goals": services.missing_indicator_goals(project),
        },
    )


@require_POST
def report_attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user(request.user, pk, action="edit")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid() and call_service(
        form, services.report_attachment_add, report=report, by=request.user, upload=form.cleaned_data["file"]
    ):
        messages.success(request, _("The document is attached."))
        return _to_report(report)
    context = selectors.report_detail(report=report, user=request.user)
    context.update(attachment_form=form, return_form=None)
    return render(request, "applications/project_report_detail.html", context, status=400)


@require_GET
def report_attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    report = permissions.get_report_for_user(request.user, pk)
    attachment = get_object_or_404(ReportAttachment, pk=attachment_pk, report=report)
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.name, content_type=attachment.content_type
    )


# Payments


@require_http_methods(["GET", "POST"])
def payment_new(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.get_project_for_user(request.user, pk, action="payment")
    reports = project.reports.filter(status__in=[RStatus.SUBMITTED, RStatus.APPROVED]).order_by("created_at")
    latest = reports.last()
    form = PaymentRequestForm(request.POST or None, reports=reports, initial={"report": latest})
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, services.payment_request, project=project, by=request.user, **form.cleaned_data)
    ):
        messages.success(request, _("The payment is requested. The county decides on it."))
        return _to_project(project)
    return _project_page(
        request,
        project,
        form,
        money=selectors.project_money(project=project),
        heading=_("Request a payment"),
        intro=_(
            "A payment rests on a submitted or approved report. Up to 75 % of the grant can be paid before "
            "the final report is approved; the last 25 % waits for it."
        ),
        button=_("Request the payment"),
        blocked=None if latest else _("Submit a report first: a payment request rests on one."),
    )


@require_http_methods(["GET", "POST"])
def payment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    payment = permissions.get_payment_for_user(request.user, pk, decide=True)
    project = payment.project
    form = PaymentDecisionForm(request.POST or None)
    section_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_decide(
                payment=payment,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as error:
            add_service_errors(form, error, elsewhere=section_errors)
        except LukError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The payment is decided."))
            return _to_project(project)
    return _project_page(
        request,
        project,
        form,
        payment=payment,
        money=selectors.project_money(project=project),
        section_errors=section_errors,
        heading=_("Decide the payment request"),
        intro=_("Approving pays the amount from the county's frame. A refusal needs reasons."),
        button=_("Make the decision"),
        details_template="applications/partials/payment_details.html",
    )


@require_GET
def payment_register(request: HttpRequest) -> HttpResponseBase:
    """Every payment the person may see: for county staff, the county's register. Files: reporting.export_views."""
    context = filters.list_context(request, "payments")
    totals = selectors.payment_totals(payments=context["filter"].qs)
    return render(
        request,
        "applications/project_payment_register.html",
        {**context, "approved_total": totals["approved"], "requested_total": totals["requested"]},
    )


@require_GET
def report_list(request: HttpRequest) -> HttpResponseBase:
    """Every progress and final report the person may see; its files: reporting.export_views."""
    return render(request, "applications/report_list.html", filters.list_context(request, "reports"))


# Change requests


@require_http_methods(["GET", "POST"])
def change_new(request: HttpRequest, pk: int) -> HttpResponse:
    project = permissions.get_project_for_user(request.user, pk, action="change")
    lines = list(project.application.budget_lines.all())
    form = ChangeRequestForm(request.POST or None, budget_lines=lines)
    section_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.change_request_create(project=project, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error, elsewhere=section_errors)
        except LukError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The change request is sent to the county."))
            return _to_project(project)
    return render(
        request,
        "applications/project_change_new.html",
        {
            "project": project,
            "form": form,
            "section_errors": section_errors,
            "budget_total": sum(line.amount for line in lines),
        },
    )


def _budget_change_rows(change: ChangeRequest) -> list[dict[str, Any]]:
    categories = dict(BudgetLine.Category.choices)
    after = {line["id"]: line["amount"] for line in change.budget_after}
    return [
        {
            "category": categories.get(line["category"], line["category"]),
            "description": line["description"],
            "before": line["amount"],
            "after": after.get(line["id"], line["amount"]),
            "difference": after.get(line["id"], line["amount"]) - line["amount"],
        }
        for line in change.budget_before
    ]


@require_http_methods(["GET", "POST"])
def change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    change = permissions.get_change_for_user(request.user, pk, decide=True)
    project = change.project
    form = ChangeDecisionForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form,
            services.change_request_decide,
            change_request=change,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
    ):
        messages.success(request, _("The change request is decided."))
        return _to_project(project)
    rows = _budget_change_rows(change) if change.kind == ChangeRequest.Kind.BUDGET else []
    return _project_page(
        request,
        project,
        form,
        change=change,
        budget_rows=rows,
        budget_before_total=sum(row["before"] for row in rows),
        budget_after_total=sum(row["after"] for row in rows),
        heading=_("Decide the change request"),
        intro=_("An approved change takes effect at once. A refusal needs a comment."),
        button=_("Make the decision"),
        details_template="applications/partials/change_details.html",
    )


# Closing and cancelling


@require_http_methods(["GET", "POST"])
def project_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_end(
        request,
        pk,
        CloseForm,
        services.project_close,
        "comment",
        done=_("The project is closed."),
        blocked=lambda project: (
            None
            if services.final_report_approved(project)
            else _("The final report is not approved yet, so the project cannot be closed. Cancel it instead.")
        ),
        heading=_("Close the project"),
        intro=_(
            "Close the project when its final report is approved. What is not paid goes back to the county's "
            "free frame, and payment requests still waiting are refused."
        ),
        button=_("Close the project"),
    )


@require_http_methods(["GET", "POST"])
def project_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_end(
        request,
        pk,
        CancelForm,
        services.project_cancel,
        "reasons",
        done=_("The project is cancelled."),
        heading=_("Cancel the project"),
        intro=_(
            "Cancelling stops the project for good. What is not paid goes back to the county's free frame, and "
            "payment requests still waiting are refused. The coordinators are told the reasons."
        ),
        button=_("Cancel the project"),
        danger=True,
    )


def _project_end(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    service: Callable[..., Any],
    field: str,
    *,
    done: str,
    blocked: Callable[[Project], str | None] | None = None,
    **texts: Any,
) -> HttpResponse:
    """Close or cancel the project with the form's one field (`field`) passed to `service`."""
    project = permissions.get_project_for_user(request.user, pk, action="close")
    form = form_class(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(form, service, project=project, by=request.user, **{field: form.cleaned_data[field]})
    ):
        messages.success(request, done)
        return _to_project(project)
    if blocked is not None:
        texts["blocked"] = blocked(project)
    return _project_page(request, project, form, money=selectors.project_money(project=project), closing=True, **texts)


def _project_page(request: HttpRequest, project: Project, form: forms.Form, **context: Any) -> HttpResponse:
    """The page of one step on the project: its form, with what the step shows beside it."""
    return render(request, "applications/project_action_form.html", {"project": project, "form": form, **context})
