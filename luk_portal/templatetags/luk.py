"""The portal's template filters and tags: money as `1 000 000 kr`, status badges, the parts of tables (heads, rows,
feet, scroll regions), a case's facts and its action buttons."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django import template
from django.forms import BaseFormSet
from django.template.base import FilterExpression, token_kwargs
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from luk_portal.formats import format_kroner

register = template.Library()


@register.filter
def kr(value: int | None) -> str:
    """Whole kroner with a narrow no-break space between thousands: 1 000 000 kr."""
    return format_kroner(value)


STATUS_CLASSES = {
    "draft": "text-bg-light border",
    "submitted": "text-bg-primary",
    "in_review": "text-bg-info",
    "returned": "text-bg-warning",
    "recommended": "text-bg-secondary",
    "approved": "text-bg-success",
    "rejected": "text-bg-danger",
    # Projects, payments and change requests.
    "active": "text-bg-primary",
    "closed": "text-bg-secondary",
    "cancelled": "text-bg-danger",
    "requested": "text-bg-info",
    "refused": "text-bg-danger",
    # Report jobs.
    "queued": "text-bg-light border",
    "running": "text-bg-info",
    "done": "text-bg-success",
    "failed": "text-bg-danger",
}


@register.filter
def status_class(status: str) -> str:
    """Bootstrap classes for a status badge; the badge always carries the status in words too."""
    return STATUS_CLASSES.get(status, "text-bg-light border")


@register.simple_tag
def column_heads(*labels: str, numeric: int = 0, numeric_class: str = "num") -> str:
    """A table's column heads, `<th scope="col">` for each label; the last `numeric` of them take numeric_class."""
    first_numeric = len(labels) - numeric
    return format_html_join(
        "",
        '<th scope="col"{}>{}</th>',
        (
            (format_html(' class="{}"', numeric_class) if index >= first_numeric else "", label)
            for index, label in enumerate(labels)
        ),
    )


@register.simple_tag
def table_head(*labels: str, numeric: int = 0, numeric_class: str = "num") -> str:
    """A table's whole head: one row of column_heads."""
    return format_html(
        "<thead><tr>{}</tr></thead>", column_heads(*labels, numeric=numeric, numeric_class=numeric_class)
    )


@register.simple_tag
def number_cells(*values: object, numeric_class: str = "num") -> str:
    """A row's figures, `<td class="num">` for each value already formatted (`|num`, `|kr`, `|pct`)."""
    return format_html_join("", '<td class="{}">{}</td>', ((numeric_class, value) for value in values))


@register.simple_tag
def figure_row(label: object, *values: object, numeric_class: str = "num") -> str:
    """A row of figures: the label as the row's head, then the values as number_cells."""
    return format_html('<tr><th scope="row">{}</th>{}</tr>', label, number_cells(*values, numeric_class=numeric_class))


@register.simple_tag
def table_foot(label: object, *values: object, colspan: int = 1, numeric_class: str = "num") -> str:
    """A table's foot of one row: the label (spanning colspan columns) as its head, then the totals as number_cells."""
    spans = format_html(' colspan="{}"', colspan) if colspan > 1 else ""
    cells = number_cells(*values, numeric_class=numeric_class)
    return format_html('<tfoot><tr><th scope="row"{}>{}</th>{}</tr></tfoot>', spans, label, cells)


@register.inclusion_tag("partials/formset_rows.html")
def formset_rows(formset: BaseFormSet, row_class: str = "", **columns: str) -> dict[str, object]:
    """A formset's management form, its errors and a row for each form: the fields named, each in its column class
    (`name="col-md-6"`), the hidden fields, and Delete on a saved row; row_class adds classes to each row."""
    rows = [(form, [(form[name], column) for name, column in columns.items()]) for form in formset]
    return {"formset": formset, "rows": rows, "row_class": row_class}


def parse_block(
    parser: template.base.Parser, token: template.base.Token, positional: int, message: str
) -> tuple[template.NodeList, list[Any], dict[str, Any]]:
    """A block tag's parts: its body up to `end<name>`, its `positional` first arguments compiled (else
    TemplateSyntaxError with `message`), and its keyword arguments."""
    bits = token.split_contents()
    if len(bits) < 1 + positional:
        raise template.TemplateSyntaxError(message)
    arguments = [parser.compile_filter(bit) for bit in bits[1 : 1 + positional]]
    options = token_kwargs(bits[1 + positional :], parser)
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return nodelist, arguments, options


class ScrollRegionNode(template.Node):
    def __init__(self, nodelist: template.NodeList, labelledby: FilterExpression, extra: FilterExpression | None):
        self.nodelist, self.labelledby, self.extra = nodelist, labelledby, extra

    def render(self, context: template.Context) -> str:
        extra = self.extra.resolve(context) if self.extra else ""
        return format_html(
            '<div class="table-responsive{}" role="region" aria-labelledby="{}" tabindex="0">{}</div>',
            f" {extra}" if extra else "",
            self.labelledby.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def scroll_region(parser: template.base.Parser, token: template.base.Token) -> ScrollRegionNode:
    """`{% scroll_region "x-caption" extra_class="…" %}<table>…</table>{% endscroll_region %}`: a table that scrolls
    sideways on a narrow screen, in a region named by its caption and focusable, so that a keyboard can scroll it."""
    nodelist, (labelledby,), options = parse_block(
        parser, token, 1, "scroll_region takes the id of the caption that names it"
    )
    return ScrollRegionNode(nodelist, labelledby, options.get("extra_class"))


@register.simple_tag
def empty_row(colspan: int, text: object) -> str:
    """A table's one row when it has nothing to list: the text across colspan columns."""
    return format_html('<tr><td colspan="{}">{}</td></tr>', colspan, text)


@register.simple_tag
def facts(*pairs: object, dt_class: str = "", dd_class: str = "") -> str:
    """Facts of a definition list from label, value pairs: `<dt>label</dt><dd>value</dd>` for each, with the classes
    if given (`dd_class="money"` for kroner, `dt_class="col-sm-3" dd_class="col-sm-9"` for a list in a grid row)."""
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("facts takes label, value pairs")
    dt = format_html(' class="{}"', dt_class) if dt_class else ""
    dd = format_html(' class="{}"', dd_class) if dd_class else ""
    return format_html_join(
        "",
        "<dt{}>{}</dt><dd{}>{}</dd>",
        ((dt, label, dd, value) for label, value in zip(pairs[::2], pairs[1::2], strict=True)),
    )


@register.simple_tag
def action_link(
    action: str, actions: Collection[str], label: object, url_name: str, *args: object, style: str = "primary"
) -> str:
    """A button to the page of one of the actions the user may take now, or nothing when `action` is not among
    them: `{% action_link "edit" actions _("Edit and submit") "applications:edit" application.pk %}`."""
    if action not in actions:
        return ""
    return format_html('<a class="btn btn-{}" href="{}">{}</a>', style, reverse(url_name, args=args), label)


class ScrollTableNode(template.Node):
    def __init__(self, nodelist: template.NodeList, caption_id: FilterExpression, options: dict[str, FilterExpression]):
        self.nodelist, self.caption_id, self.options = nodelist, caption_id, options

    def render(self, context: template.Context) -> str:
        options = {name: value.resolve(context) for name, value in self.options.items()}
        caption_id = self.caption_id.resolve(context)
        extra = options.get("extra_class")
        return format_html(
            '<div class="table-responsive{}" role="region" aria-labelledby="{}" tabindex="0">'
            '<table class="{}"><caption id="{}">{}</caption>{}</table></div>',
            f" {extra}" if extra else "",
            caption_id,
            options.get("table_class") or "table",
            caption_id,
            options.get("caption", ""),
            self.nodelist.render(context),
        )


@register.tag
def scroll_table(parser: template.base.Parser, token: template.base.Token) -> ScrollTableNode:
    """`{% scroll_table "x-caption" caption=_("…") table_class="table table-sm" %}<thead>…{% endscroll_table %}`:
    a table and its caption in a scroll_region named by that caption (table_class "table" unless given; extra_class
    as in scroll_region)."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("scroll_table takes the id of its caption")
    options = token_kwargs(bits[2:], parser)
    nodelist = parser.parse(("endscroll_table",))
    parser.delete_first_token()
    return ScrollTableNode(nodelist, parser.compile_filter(bits[1]), options)


class FootRowNode(template.Node):
    def __init__(self, nodelist: template.NodeList, label: FilterExpression, colspan: FilterExpression | None):
        self.nodelist, self.label, self.colspan = nodelist, label, colspan

    def render(self, context: template.Context) -> str:
        colspan = int(self.colspan.resolve(context)) if self.colspan else 1
        spans = format_html(' colspan="{}"', colspan) if colspan > 1 else ""
        return format_html(
            '<tfoot><tr><th scope="row"{}>{}</th>{}</tr></tfoot>',
            spans,
            self.label.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def foot_row(parser: template.base.Parser, token: template.base.Token) -> FootRowNode:
    """`{% foot_row _("Total") colspan=2 %}{% number_cells … %}<td></td>{% endfoot_row %}`: a table's foot of one row
    whose cells are not all alike (table_foot when they are): the label (spanning colspan columns) as its head."""
    nodelist, (label,), options = parse_block(parser, token, 1, "foot_row takes the row's label")
    return FootRowNode(nodelist, label, options.get("colspan"))
