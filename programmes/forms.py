"""Forms for programme set-up that county staff do in the portal: their rounds for the kommunar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from luk_portal.forms import KronerField

from .models import FundingRound, Theme


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(**kwargs)


class RoundForm(forms.ModelForm):
    budget = KronerField(label=_("Budget (kr)"), min_value=1)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes the round invites"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = FundingRound
        fields = ["name", "description", "budget", "opens_at", "deadline", "themes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "opens_at": DateTimeInput(),
            "deadline": DateTimeInput(),
        }

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = programme.themes.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens_at, deadline = data.get("opens_at"), data.get("deadline")
        if opens_at and deadline and deadline <= opens_at:
            self.add_error("deadline", _("The deadline must come after the opening."))
        return data

    def _post_clean(self) -> None:
        # The round's programme, kind and county are set by the service, not here.
        pass
