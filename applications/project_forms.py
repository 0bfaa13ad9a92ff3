"""Forms of the project pages: they parse what people type; the services (services/projects.py etc.) decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from luk_portal import limits
from luk_portal.formats import format_kroner
from luk_portal.forms import DateInput, KronerField, StrictBooleanField, TextLimitsShown, guarded_formset

from .forms import text_field
from .models import (
    BudgetLine,
    ChangeRequest,
    Indicator,
    Milestone,
    ProgressReport,
    Project,
)
from .services.reports import REPORT_FIELDS

DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d")


def report_label(report: ProgressReport) -> str:
    """How a report is named in a choice: "Progress report 01.01.2026–30.06.2026 (Submitted)"."""
    name = str(_("Final report") if report.final else _("Progress report"))
    if report.period_from and report.period_to:
        name += f" {report.period_from:%d.%m.%Y}–{report.period_to:%d.%m.%Y}"
    return f"{name} ({report.get_status_display()})"


def budget_line_label(line: BudgetLine) -> str:
    return f"{line.get_category_display()}: {line.description}" if line.description else line.get_category_display()


# The project plan


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "due_date", "status"]
        widgets = {"due_date": DateInput()}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["result_goal", "name", "unit", "baseline", "target"]

    def __init__(self, *args: Any, result_goals: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if result_goals is not None:
            self.fields["result_goal"].queryset = result_goals


MilestoneFormSet = guarded_formset(Project, Milestone, form=MilestoneForm, extra=2)
IndicatorFormSet = guarded_formset(Project, Indicator, form=IndicatorForm, extra=1)


# The report schedule


class ScheduleForm(TextLimitsShown, forms.Form):
    MODES = [("every", _("Every N months through the project period")), ("fixed", _("On fixed dates"))]

    mode = forms.ChoiceField(label=_("Progress reports are due"), choices=MODES, widget=forms.RadioSelect)
    every_months = forms.IntegerField(
        label=_("Every (months)"), required=False, min_value=1, max_value=36, help_text=_("For example 6.")
    )
    fixed_dates = text_field(
        _("Fixed dates"),
        max_length=limits.FIXED_DATES,
        rows=5,
        required=False,
        help_text=_("One date a line, as dd.mm.yyyy, for example 30.06.2027."),
    )
    final_due = forms.DateField(label=_("The final report is due"), widget=DateInput())

    @staticmethod
    def parse_dates(text: str) -> tuple[list[datetime.date], list[str]]:
        """The dates typed one a line, without repeats, and a message for each line that is not a date."""
        dates: set[datetime.date] = set()
        wrong: list[str] = []
        for number, line in enumerate(text.splitlines(), start=1):
            typed = line.strip()
            if not typed:
                continue
            for date_format in DATE_FORMATS:
                try:
                    dates.add(datetime.datetime.strptime(typed, date_format).date())
                    break
                except ValueError:
                    continue
            else:
                wrong.append(
                    _("Line %(number)s: “%(text)s” is not a date. Write it as dd.mm.yyyy, for example 30.06.2027.")
                    % {"number": number, "text": typed[:40]}
                )
        return sorted(dates), wrong

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode = data.get("mode")
        if mode == "every" and not data.get("every_months") and "every_months" not in self.errors:
            self.add_error("every_months", _("Give the number of months between the reports."))
        if mode == "fixed":
            dates, wrong = self.parse_dates(data.get("fixed_dates") or "")
            if wrong:
                self.add_error("fixed_dates", wrong)
            elif not dates:
                self.add_error("fixed_dates", _("Give at least one date."))
            else:
                data["dates"] = dates
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        every = data["mode"] == "every"
        return {
            "every_months": data["every_months"] if every else None,
            "fixed_dates": None if every else data["dates"],
            "final_due": data["final_due"],
        }


# Reports


class NewReportForm(forms.Form):
    """The button that starts a report: a progress report, or the final report with final=1."""

    final = StrictBooleanField(label=_("Final report"))


class ReportForm(TextLimitsShown, forms.ModelForm):
    """The report's text, and one input per budget line (costs so far), indicator (value) and milestone (status).

    Nothing is required while it is a draft; submitting checks completeness.
    """

    class Meta:
        model = ProgressReport
        fields = list(REPORT_FIELDS)
        widgets = {
            "period_from": DateInput(),
            "period_to": DateInput(),
            "activities": forms.Textarea(attrs={"rows": 5}),
            "went_well": forms.Textarea(attrs={"rows": 4}),
            "challenges": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 5}),
            "lessons": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self,
        *args: Any,
        budget_lines: list[BudgetLine],
        indicators: list[Indicator],
        milestones: list[Milestone],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        report = self.instance
        if not report.final:
            del self.fields["results"]
            del self.fields["lessons"]
        costs = {cost.budget_line_id: cost.amount for cost in report.costs.all()}
        values = {value.indicator_id: value.value for value in report.indicator_values.all()}
        statuses = {update.milestone_id: update.status for update in report.milestone_updates.all()}
        self.budget_lines, self.indicators, self.milestones = budget_lines, indicators, milestones
        for line in budget_lines:
            self.fields[f"cost_{line.pk}"] = KronerField(
                label=budget_line_label(line),
                required=False,
                initial=costs.get(line.pk),
                help_text=_("Budget: %(amount)s") % {"amount": format_kroner(line.amount)},
            )
        for indicator in indicators:
            unit = f" ({indicator.unit})" if indicator.unit else ""
            self.fields[f"value_{indicator.pk}"] = forms.IntegerField(
                label=f"{indicator.name}{unit}",
                required=False,
                min_value=0,
                max_value=2_147_483_647,
                initial=values.get(indicator.pk),
                help_text=_("Result goal %(goal)s. Baseline %(baseline)s, target %(target)s.")
                % {"goal": indicator.result_goal.number, "baseline": indicator.baseline, "target": indicator.target},
            )
        for milestone in milestones:
            self.fields[f"milestone_{milestone.pk}"] = forms.ChoiceField(
                label=milestone.name,
                choices=Milestone.Status.choices,
                initial=statuses.get(milestone.pk, milestone.status),
                help_text=_("Due %(date)s.") % {"date": milestone.due_date.strftime("%d.%m.%Y")},
            )

    def cost_rows(self) -> list[tuple[BudgetLine, forms.BoundField]]:
        return [(line, self[f"cost_{line.pk}"]) for line in self.budget_lines]

    def indicator_rows(self) -> list[tuple[Indicator, forms.BoundField]]:
        return [(indicator, self[f"value_{indicator.pk}"]) for indicator in self.indicators]

    def milestone_rows(self) -> list[tuple[Milestone, forms.BoundField]]:
        return [(milestone, self[f"milestone_{milestone.pk}"]) for milestone in self.milestones]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "fields": {name: data.get(name) for name in self.Meta.fields if name in self.fields},
            "costs": {line.pk: data.get(f"cost_{line.pk}") for line in self.budget_lines},
            "indicator_values": {i.pk: data.get(f"value_{i.pk}") for i in self.indicators},
            "milestone_statuses": {m.pk: data.get(f"milestone_{m.pk}") for m in self.milestones},
        }


# Payments


class ReportChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProgressReport) -> str:
        return report_label(obj)


class PaymentRequestForm(forms.Form):
    amount = KronerField(label=_("Amount (kr)"))
    report = ReportChoiceField(
        label=_("The report the request rests on"),
        queryset=ProgressReport.objects.none(),
        help_text=_("A submitted or approved report of the project."),
    )

    def __init__(self, *args: Any, reports: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = reports


def approve_or_refuse(approve: Any, refuse: Any) -> forms.ChoiceField:
    """The county's decision on a request: approve it, or refuse it."""
    choices = [("approve", approve), ("refuse", refuse)]
    return forms.ChoiceField(label=_("Decision"), choices=choices, widget=forms.RadioSelect)


class PaymentDecisionForm(TextLimitsShown, forms.Form):
    """Approve, or refuse with reasons (the service insists on the reasons)."""

    decision = approve_or_refuse(_("Approve the payment"), _("Refuse the payment"))
    reasons = text_field(
        _("Reasons"),
        max_length=limits.REASONS,
        rows=4,
        required=False,
        help_text=_("Needed when you refuse; the coordinator reads them."),
    )


class ChangeDecisionForm(TextLimitsShown, forms.Form):
    decision = approve_or_refuse(_("Approve the change"), _("Refuse the change"))
    comment = text_field(
        _("Comment"),
        max_length=limits.COMMENT,
        rows=4,
        required=False,
        help_text=_("Needed when you refuse; the coordinator reads it."),
    )


# Change requests


class ChangeRequestForm(TextLimitsShown, forms.Form):
    kind = forms.ChoiceField(label=_("What to change"), choices=ChangeRequest.Kind.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Reasons"), max_length=limits.REASONS, widget=forms.Textarea(attrs={"rows": 5}))
    new_period_end = forms.DateField(
        label=_("New project end"),
        required=False,
        widget=DateInput(),
        help_text=_("Only when you ask to extend the period."),
    )

    def __init__(self, *args: Any, budget_lines: list[BudgetLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget_lines = budget_lines
        for line in budget_lines:
            self.fields[f"budget_{line.pk}"] = KronerField(
                label=budget_line_label(line),
                required=False,
                initial=line.amount,
                help_text=_("Now: %(amount)s") % {"amount": format_kroner(line.amount)},
            )

    def budget_rows(self) -> list[tuple[BudgetLine, forms.BoundField]]:
        return [(line, self[f"budget_{line.pk}"]) for line in self.budget_lines]

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        kind = data["kind"]
        arguments: dict[str, Any] = {"kind": kind, "reasons": data["reasons"]}
        if kind == ChangeRequest.Kind.EXTEND:
            arguments["new_period_end"] = data.get("new_period_end")
        else:
            arguments["budget_after"] = {
                line.pk: data[f"budget_{line.pk}"]
                for line in self.budget_lines
                if data.get(f"budget_{line.pk}") is not None
            }
        return arguments


# Closing and cancelling


class CloseForm(TextLimitsShown, forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=limits.COMMENT, widget=forms.Textarea(attrs={"rows": 4})
    )


class CancelForm(TextLimitsShown, forms.Form):
    reasons = text_field(
        _("Reasons"),
        max_length=limits.REASONS,
        rows=5,
        help_text=_("The coordinators are told why the project is cancelled."),
    )
