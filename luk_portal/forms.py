"""Form fields the whole portal uses."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import LukError

_SPACES = re.compile(r"[\s\u00a0\u202f.]")


class KronerInput(forms.TextInput):
    """Shows a stored amount as people read it: 1 000 000."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, int):
            return f"{value:,}".replace(",", " ")
        return super().format_value(value)


class KronerField(forms.IntegerField):
    """Whole kroner, typed as people type them: `1 000 000`, `1000000 kr`, `1.000.000`."""

    widget = KronerInput

    default_error_messages = {
        "invalid": _("Write the amount in whole kroner, for example 250 000."),
        "min_value": _("The amount cannot be negative."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 10**12)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "class": "money-input"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            cleaned = _SPACES.sub("", value).removesuffix("kr").removesuffix(",-").strip()
            if "," in cleaned:
                whole, _comma, fraction = cleaned.partition(",")
                if fraction.strip("0-"):
                    raise ValidationError(_("Write the amount in whole kroner, without øre."), code="invalid")
                cleaned = whole
            value = cleaned
        return super().to_python(value)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, elsewhere: dict[str, list[str]] | None = None
) -> None:
    """Put a service's ValidationError on the form's fields; errors for fields the form lacks go to `elsewhere`
    (when given) or to the form's non-field errors."""
    for field, messages in error.message_dict.items():
        if field in form.fields:
            for message in messages:
                form.add_error(field, message)
        elif elsewhere is not None:
            elsewhere.setdefault(field, []).extend(messages)
        else:
            for message in messages:
                form.add_error(None, message)


def call_service(form: forms.BaseForm, service: Callable[..., Any], /, **kwargs: Any) -> bool:
    """Call a service for a form's view. Its refusals land on the form, beside the field they name where the form
    has one; the user's input stays. True when the service went through."""
    try:
        service(**kwargs)
    except ValidationError as error:
        add_service_errors(form, error)
    except LukError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    else:
        return True
    return False
