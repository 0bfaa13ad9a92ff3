"""Forms of the grant cycle. They parse what people type; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from luk_portal import limits
from luk_portal.forms import DateInput, KronerField, TextLimitsShown, guarded_formset
from programmes.models import FundingRound, Municipality, ResultGoal, Theme

from .files import ACCEPT_ATTRIBUTE
from .models import Application, BudgetLine, CountyPlan, Partner, Recommendation
from .services.cases import DRAFT_FIELDS
from .services.plans import PLAN_FIELDS


class MunicipalityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return f"{obj.name} ({obj.county.name})"


def checkboxes(label: Any, model: type[Any]) -> forms.ModelMultipleChoiceField:
    """Any number of `model`'s rows, as checkboxes; the form sets the rows offered."""
    return forms.ModelMultipleChoiceField(
        label=label, queryset=model.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )


class NewApplicationForm(forms.Form):
    """Which round, for which kommune: the start of a draft."""

    funding_round = forms.ModelChoiceField(label=_("Round"), queryset=FundingRound.objects.none())
    lead_municipality = forms.ModelChoiceField(label=_("Applying kommune"), queryset=Municipality.objects.none())
    title = forms.CharField(label=_("Project title"), max_length=200)

    def __init__(self, *args: Any, rounds: Any, municipalities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funding_round"].queryset = rounds
        self.fields["lead_municipality"].queryset = municipalities
        if municipalities.count() == 1:
            self.fields["lead_municipality"].initial = municipalities.first()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        funding_round, municipality = data.get("funding_round"), data.get("lead_municipality")
        if funding_round and municipality and funding_round.county_id != municipality.county_id:
            self.add_error("funding_round", _("This round is for another county's kommunar."))
        return data


def text_field(
    label: Any, *, max_length: int, rows: int, required: bool = True, help_text: Any = ""
) -> forms.CharField:
    """A text of some lines, within its limit."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class ApplicationForm(TextLimitsShown, forms.ModelForm):
    """The whole application. Every field may be left empty in a draft; submitting checks completeness."""

    requested_amount = KronerField(label=_("LUK funds applied for (kr)"), required=False)
    own_contribution = KronerField(label=_("Own contribution (kr)"), required=False)
    other_public = KronerField(label=_("Other public funding (kr)"), required=False)
    private = KronerField(label=_("Private funding (kr)"), required=False)
    themes = checkboxes(_("Themes"), Theme)
    result_goals = checkboxes(_("Result goals the project addresses"), ResultGoal)
    partner_municipalities = MunicipalityChoiceField(
        label=_("Partner kommunar"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Other kommunar in the project, also in other counties. Hold Ctrl to choose several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = Application
        # What application_save_draft saves, and the lists it sets beside them.
        fields = [*DRAFT_FIELDS, "themes", "result_goals", "partner_municipalities"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "background": forms.Textarea(attrs={"rows": 5}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "activities": forms.Textarea(attrs={"rows": 5}),
            "period_start": DateInput(),
            "period_end": DateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.instance.funding_round.programme
        round_themes = self.instance.funding_round.themes.all()
        self.fields["themes"].queryset = round_themes if round_themes.exists() else programme.themes.all()
        self.fields["result_goals"].queryset = programme.result_goals.all()
        day = f"{programme.structure_year}-01-01"
        self.fields["partner_municipalities"].queryset = (
            Municipality.objects.valid_on(day)
            .exclude(pk=self.instance.lead_municipality_id)
            .select_related("county")
            .order_by("name")
        )
        self.fields["title"].required = False
        for name in ("requested_amount", "own_contribution", "other_public", "private"):
            self.fields[name].initial = getattr(self.instance, name) or None
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        for name, day in (("period_start", start), ("period_end", end)):
            if day and not 2000 <= day.year <= 2100:
                self.add_error(name, _("Give a date between the years 2000 and 2100."))
        if start and end and end < start:
            self.add_error("period_end", _("The project cannot end before it starts."))
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data.get(name) for name in self.Meta.fields}
        for name in ("themes", "result_goals", "partner_municipalities"):
            fields.pop(name)
        for name in ("requested_amount", "own_contribution", "other_public", "private"):
            fields[name] = fields[name] or 0
        return fields


class BudgetLineForm(forms.ModelForm):
    amount = KronerField(label=_("Amount (kr)"))

    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount"]


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind"]


BudgetLineFormSet = guarded_formset(Application, BudgetLine, form=BudgetLineForm, extra=2)
PartnerFormSet = guarded_formset(Application, Partner, form=PartnerForm, extra=1)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, DOCX, XLSX, ODT, PNG or JPEG, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )


class MessageForm(TextLimitsShown, forms.Form):
    message = forms.CharField(label=_("Message"), max_length=limits.COMMENT, widget=forms.Textarea(attrs={"rows": 5}))


class RecommendationForm(TextLimitsShown, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.Outcome.choices, widget=forms.RadioSelect
    )
    amount = KronerField(
        label=_("Recommended amount (kr)"),
        required=False,
        help_text=_("Only when you recommend approval; not more than applied for."),
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, max_length=limits.REASONS, widget=forms.Textarea(attrs={"rows": 4})
    )
    reasons = forms.CharField(label=_("Reasons"), max_length=limits.REASONS, widget=forms.Textarea(attrs={"rows": 6}))


class DecisionForm(TextLimitsShown, forms.Form):
    OUTCOMES = [
        ("approve", _("Approve")),
        ("reject", _("Reject")),
        ("send_back", _("Send back to the case officer")),
    ]
    outcome = forms.ChoiceField(label=_("Decision"), choices=OUTCOMES, widget=forms.RadioSelect)
    amount = KronerField(label=_("Granted amount (kr)"), required=False)
    conditions = forms.CharField(
        label=_("Conditions"), required=False, max_length=limits.REASONS, widget=forms.Textarea(attrs={"rows": 4})
    )
    reasons = text_field(
        _("Reasons"),
        max_length=limits.REASONS,
        rows=6,
        required=False,
        help_text=_("When you send the case back: what the case officer should look at again."),
    )


class CountyPlanForm(TextLimitsShown, forms.ModelForm):
    requested_amount = KronerField(label=_("Amount applied for (kr)"), required=False)
    themes = checkboxes(_("Themes"), Theme)
    municipalities = checkboxes(_("Kommunar involved"), Municipality)

    class Meta:
        model = CountyPlan
        fields = [*PLAN_FIELDS, "themes", "municipalities"]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "activities": forms.Textarea(attrs={"rows": 6}),
            "budget": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan = self.instance
        self.fields["title"].required = False
        self.fields["themes"].queryset = plan.programme.themes.all()
        self.fields["municipalities"].queryset = plan.county.municipalities.valid_on(
            f"{plan.programme.structure_year}-01-01"
        ).order_by("name")
        self.fields["requested_amount"].initial = plan.requested_amount or None

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            name: data.get(name)
            for name in ("title", "requested_amount", "period_start", "period_end", "activities", "budget")
        }
        fields["requested_amount"] = fields["requested_amount"] or 0
        return fields


class PlanApprovalForm(TextLimitsShown, forms.Form):
    amount = KronerField(label=_("Approved amount (kr)"))
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=limits.COMMENT, widget=forms.Textarea(attrs={"rows": 3})
    )
