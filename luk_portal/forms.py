"""Form fields the whole portal uses."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import limits
from .errors import LukError

# What may stand between the digits of an amount: a space, a no-break space, a narrow no-break space (the
# Norwegian thousands separator) or a full stop. Tabs, other Unicode spaces and digits other than 0-9 are refused.
_SEPARATORS = re.compile("[ \u00a0\u202f.]")
_WHOLE_NUMBER = re.compile("-?[0-9]+")


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
            cleaned = _SEPARATORS.sub("", value.strip()).removesuffix("kr").removesuffix(",-")
            if "," in cleaned:
                whole, _comma, fraction = cleaned.partition(",")
                if fraction.strip("0-"):
                    raise ValidationError(_("Write the amount in whole kroner, without øre."), code="invalid")
                cleaned = whole
            if cleaned and not _WHOLE_NUMBER.fullmatch(cleaned):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = cleaned
        return super().to_python(value)


class RawCheckboxInput(forms.CheckboxInput):
    """A checkbox that hands its field what was sent, not Python's truth of it (bool("0") is True)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class StrictBooleanField(forms.Field):
    """A yes or no that takes only what a checkbox or a button sends: "1", "true", "on" or "yes" for yes; nothing,
    "", "0", "false", "off" or "no" for no. Anything else is an error, not a yes."""

    widget = RawCheckboxInput
    YES = frozenset({"1", "true", "on", "yes"})
    NO = frozenset({"", "0", "false", "off", "no"})
    default_error_messages = {"invalid": _("Choose yes or no.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        typed = "" if value is None else str(value).strip().lower()
        if typed in self.YES:
            return True
        if typed in self.NO:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: bool) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


def _characters(count: int) -> str:
    return f"{count:,}".replace(",", "\u00a0")


class TextLimitsShown:
    """A form mixin: each long text (a Textarea with a max_length) says its limit beside the field, and the
    browser gets `maxlength` (Django sets it from max_length)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field.widget, forms.Textarea) and getattr(field, "max_length", None):
                limit = gettext("At most %(count)s characters.") % {"count": _characters(field.max_length)}
                field.help_text = f"{field.help_text} {limit}" if field.help_text else limit


class GuardedInlineFormSet(forms.BaseInlineFormSet):
    """An inline formset that checks its management form before it builds a single form.

    Refused as a whole: a negative or non-number count, more rows than `limits.ROWS`, more "initial" rows than
    are saved, a new row that carries an id, or a saved row whose id is not one of the list's. The page then
    shows a message above the list and the list again as it is saved. Nothing is built for the rows of a
    refused post, so an inflated TOTAL_FORMS costs nothing, and nothing of the saved list is touched.
    """

    refused_message = _(
        "The list was not sent whole, so none of its rows were saved. The saved rows are shown again; make your "
        "changes and save once more."
    )
    too_many_message = _("A list can have at most %(count)s rows.")
    changed_message = _(
        "The list has changed since you opened it, so none of its rows were saved. The saved rows are shown again."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.refusal = self._refusal() if self.is_bound else None
        if self.refusal:
            # Shown as on opening the page: the saved rows, and a fresh management form.
            self.is_bound = False
            self.data, self.files = {}, {}
            self.__dict__.pop("management_form", None)

    def _refusal(self) -> str | None:
        management = self.management_form
        if not management.is_valid():
            return str(self.refused_message)
        total = management.cleaned_data[TOTAL_FORM_COUNT]
        initial = management.cleaned_data[INITIAL_FORM_COUNT]
        if total > limits.ROWS:
            return self.too_many_message % {"count": limits.ROWS}
        if total < 0 or initial < 0 or initial > total or initial > self.get_queryset().count():
            return str(self.refused_message)
        pk_name = self.model._meta.pk.name
        if any(self.data.get(f"{self.add_prefix(i)}-{pk_name}") for i in range(initial, total)):
            return str(self.refused_message)
        saved = {str(pk) for pk in self.get_queryset().values_list("pk", flat=True)}
        if any(self.data.get(f"{self.add_prefix(i)}-{pk_name}") not in saved for i in range(initial)):
            # A row removed meanwhile (in another tab, by a colleague), or one that is not this list's.
            return str(self.changed_message)
        return None

    def non_form_errors(self) -> forms.utils.ErrorList:
        if self.refusal:
            return self.error_class([self.refusal], error_class="nonform", renderer=self.renderer)
        return super().non_form_errors()


def guarded_formset(parent: type, model: type, *, form: type, extra: int) -> type[GuardedInlineFormSet]:
    """An inline formset of at most `limits.ROWS` rows, each removable, guarded as GuardedInlineFormSet says."""
    return forms.inlineformset_factory(
        parent,
        model,
        form=form,
        formset=GuardedInlineFormSet,
        extra=extra,
        can_delete=True,
        max_num=limits.ROWS,
        absolute_max=limits.ROWS,
        validate_max=True,
    )


def formset_rows(formset: forms.BaseInlineFormSet) -> list[dict[str, Any]]:
    """A valid formset's rows as the services take them: a saved row carries its "pk" (and "delete": True when
    it is to be removed), a new row has none; empty new rows and new rows marked for removal are left out. Rows
    the post did not mention are not in the list, and the services keep them."""
    rows: list[dict[str, Any]] = []
    for form in formset.forms:
        pk = form.instance.pk
        deleted = formset.can_delete and formset._should_delete_form(form)
        if not pk and (deleted or not form.has_changed()):
            continue
        if deleted:
            rows.append({"pk": pk, "delete": True})
            continue
        row = {name: form.cleaned_data.get(name) for name in form.Meta.fields if name != formset.fk.name}
        if pk:
            row["pk"] = pk
        rows.append(row)
    return rows


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
