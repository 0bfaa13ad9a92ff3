from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from applications.models import Project
from luk_portal import data_version
from programmes.models import Programme, Theme

from .models import ReportJob


class ReportRequestForm(forms.Form):
    """Which report, for which county or project, in which language (the page's language unless chosen)."""

    kind = forms.ChoiceField(choices=ReportJob.Kind.choices, widget=forms.HiddenInput)
    target = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()


def _years(programme: Programme) -> list[int]:
    """The programme's years, and any year a project of it starts in (as the project list's year filter)."""
    starts = Project.objects.filter(application__funding_round__programme=programme).dates("period_start", "year")
    return sorted(set(range(programme.start_year, programme.end_year + 1)) | {day.year for day in starts})


class ExportRequestForm(forms.Form):
    """A list's file, made in the background: which list, with which filters (its query string), as what."""

    list_name = forms.ChoiceField(choices=ReportJob.ListName.choices, widget=forms.HiddenInput)
    query = forms.CharField(
        label=_("Filters"),
        required=False,
        max_length=ReportJob._meta.get_field("query").max_length,
        strip=False,
        widget=forms.HiddenInput,
    )
    file_format = forms.ChoiceField(label=_("Format"), choices=ReportJob.FileFormat.choices)


class DashboardFilterForm(forms.Form):
    """What a dashboard's figures cover: which programme, which year, which theme, and in which county structure.

    Bad or missing values fall back to the whole programme in its own structure, so a hand-edited address never
    gives an error page."""

    STRUCTURE_2010 = "2010"
    STRUCTURE_2024 = "2024"

    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False, empty_label=None
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("All themes")
    )
    structure = forms.ChoiceField(
        label=_("Counties"),
        required=False,
        choices=[
            (STRUCTURE_2010, _("Counties as they were (2010)")),
            (STRUCTURE_2024, _("Today's structure (2024)")),
        ],
    )

    def __init__(self, data: Any = None, *, programme: Programme | None, with_structure: bool = True) -> None:
        super().__init__(data)
        self.fields["programme"].queryset = Programme.objects.order_by("-start_year", "pk")
        self.fields["programme"].initial = programme.pk if programme else None
        chosen = self._chosen_programme(programme)
        years = data_version.kept("programme-years", (chosen.pk,), lambda: _years(chosen)) if chosen else []
        self.fields["year"].choices = [("", _("All years")), *((year, str(year)) for year in years)]
        self.fields["theme"].queryset = (
            Theme.objects.filter(programme=chosen).order_by("name_nn") if chosen else Theme.objects.none()
        )
        if not with_structure:
            del self.fields["structure"]

    def _chosen_programme(self, default: Programme | None) -> Programme | None:
        value = self.data.get("programme") if self.data else None
        if value and str(value).isdigit():
            return Programme.objects.filter(pk=value).first() or default
        return default

    @classmethod
    def chosen(cls, data: Any, *, programme: Programme | None, with_structure: bool = True) -> dict[str, Any]:
        """The filters in force: from `data` (the page's GET), or the defaults when nothing is asked for."""
        if not data:
            defaults = {"programme": programme, "year": None, "theme": None, "structure": cls.STRUCTURE_2010}
            if not with_structure:
                del defaults["structure"]
            return defaults
        filters = cls(data, programme=programme, with_structure=with_structure).filters(default=programme)
        if not with_structure:
            del filters["structure"]
        return filters

    @classmethod
    def showing(cls, filters: dict[str, Any], *, programme: Programme | None) -> DashboardFilterForm:
        """The form as the page shows it: bound to the choices in force (`filters`, from `chosen`)."""
        data = {name: getattr(value, "pk", value) for name, value in filters.items() if value is not None}
        return cls(data, programme=programme, with_structure="structure" in filters)

    def filters(self, *, default: Programme | None) -> dict[str, Any]:
        """The valid choices; each invalid one falls back to its default (cleaned_data keeps the valid ones)."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        programme = data.get("programme") or default
        return {
            "programme": programme,
            "year": data.get("year"),
            "theme": data.get("theme"),
            "structure": data.get("structure") or self.STRUCTURE_2010,
        }
