from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import ReportJob


class ReportRequestForm(forms.Form):
    """Which report, for which county or project, in which language (the page's language unless chosen)."""

    kind = forms.ChoiceField(choices=ReportJob.Kind.choices, widget=forms.HiddenInput)
    target = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    language = forms.ChoiceField(label=_("Language of the report"), choices=settings.LANGUAGES)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()
