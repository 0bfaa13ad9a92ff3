"""Number formats for the reports and charts (whole numbers and per cent, the Norwegian way), a dashboard's figure
cells, and a PDF report's contents and chapters."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression
from django.utils.html import format_html, format_html_join

from luk_portal.templatetags.luk import parse_block
from reporting.charts import NBSP, format_integer

register = template.Library()


@register.filter
def num(value: int | None) -> str:
    """`1234` -> `1 234` with no-break spaces; None -> an en dash."""
    return format_integer(value)


@register.filter
def pct(value: int | None) -> str:
    """A whole per cent as `45 %` (Norwegian style, no-break space); None -> an en dash."""
    return "–" if value is None else f"{format_integer(value)}{NBSP}%"


@register.inclusion_tag("reporting/partials/figure_cell.html")
def figure_cell(
    n: int | None, list_name: str, query: str, what: str = "", name: object = "", money: bool = False
) -> dict[str, object]:
    """A dashboard table's cell of a figure linked to the list of the cases it sums (partials/figure_link.html),
    right-aligned, in kroner when money."""
    return {"n": n, "list": list_name, "query": query, "what": what, "name": name, "money": money}


@register.simple_tag
def contents(*pairs: object, entry_class: str = "toc-chapter") -> str:
    """A report's contents from id, heading pairs: `<li class="toc-chapter"><a href="#id">heading</a></li>` for each
    (reporting/pdf/report_base.html numbers the pages)."""
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("contents takes id, heading pairs")
    return format_html_join(
        "",
        '<li class="{}"><a href="#{}">{}</a></li>',
        ((entry_class, id_, heading) for id_, heading in zip(pairs[::2], pairs[1::2], strict=True)),
    )


class ChapterNode(template.Node):
    def __init__(self, nodelist: template.NodeList, anchor: FilterExpression, heading: FilterExpression, options: dict):
        self.nodelist, self.anchor, self.heading, self.options = nodelist, anchor, heading, options

    def render(self, context: template.Context) -> str:
        options = {name: value.resolve(context) for name, value in self.options.items()}
        classes = ["chapter", options.get("kind") or "numbered"] + (["new-page"] if options.get("new_page") else [])
        return format_html(
            '<section class="{}" id="{}"><h2>{}</h2>{}</section>',
            " ".join(classes),
            self.anchor.resolve(context),
            self.heading.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def chapter(parser: template.base.Parser, token: template.base.Token) -> ChapterNode:
    """`{% chapter "summary" _("Key figures") new_page=True %}…{% endchapter %}`: a report's chapter, a section with the
    id its contents entry links to and its heading; kind="appendix" for an appendix (not numbered), new_page=True to
    start it on a new page."""
    nodelist, (anchor, heading), options = parse_block(
        parser, token, 2, "chapter takes the chapter's id and its heading"
    )
    return ChapterNode(nodelist, anchor, heading, options)
