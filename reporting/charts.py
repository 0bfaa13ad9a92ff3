"""Charts drawn on the server as SVG: the same chart on the web page and in the PDF, each beside a table of
its figures (templates/reporting/partials/chart.html).

Plain string building, no JavaScript and no library. Every label is escaped; the SVG is an image
(role="img") named by its <title>; series differ by pattern as well as colour, and each bar carries its
value, so colour is never the only cue. The colours keep at least 5:1 contrast against white.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

if TYPE_CHECKING:
    from programmes.models import County, Municipality, Theme

NBSP = "\u00a0"
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"  # 8.4:1 on white
GRID = "#d0d7de"
# (colour, pattern): solid, diagonal hatch, cross-hatch. Contrast on white: 8.9:1, 5.0:1, 6.3:1.
STYLES: tuple[tuple[str, str], ...] = (("#0b4f6c", "solid"), ("#b3541e", "hatch"), ("#3d6b2f", "cross"))
WIDTH = 640
CHAR = 0.62  # the width of an average character of DejaVu Sans, in ems (a generous estimate)
# Font sizes in the drawing's units: 640 of them span the text width of an A4 page (16 cm), so 12 prints at 8.5 pt.
LABEL, VALUE, TICK, KEY = 12, 10.5, 10, 11.5


def format_integer(value: int | None) -> str:
    """`1234567` -> `1 234 567` with no-break spaces (Norwegian grouping); None -> an en dash."""
    if value is None:
        return "–"
    sign = "−" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", NBSP)


def _text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _nice_step(largest: int, ticks: int = 4) -> int:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that divides 0..largest into about `ticks` parts."""
    if largest <= 0:
        return 1
    raw = largest / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw:
            return max(1, int(step))
    return max(1, int(10 * power))


@dataclass(frozen=True)
class Chart:
    """A bar chart (horizontal bars, one row a category) or a column chart (one column group a category).

    `series` holds (name, values) with one whole-number value for each category; `unit` names what the
    values count ("kr", "projects"). `category_label` heads the first column of the figures' table.
    """

    id: str
    title: str
    unit: str
    categories: list[str]
    series: list[tuple[str, list[int]]]
    kind: str = "bar"
    category_label: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in ("bar", "column"):
            raise ValueError(f"unknown chart kind {self.kind!r}")
        if not 1 <= len(self.series) <= len(STYLES):
            raise ValueError(f"a chart has one to {len(STYLES)} series")
        for name, values in self.series:
            if len(values) != len(self.categories):
                raise ValueError(f"series {name!r} has {len(values)} values for {len(self.categories)} categories")

    # The figures, for the table beside the chart.

    @property
    def series_names(self) -> list[str]:
        return [name for name, _values in self.series]

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """One row per category: its label and its values, formatted as the chart prints them."""
        return [
            (category, [format_integer(values[index]) for _name, values in self.series])
            for index, category in enumerate(self.categories)
        ]

    @property
    def is_empty(self) -> bool:
        return not self.categories

    @property
    def largest(self) -> int:
        return max((value for _name, values in self.series for value in values), default=0)

    # Drawing.

    @cached_property
    def svg(self) -> SafeString:
        """The chart as an inline <svg> element (drawn once, then kept)."""
        drawing = self._draw_bars() if self.kind == "bar" else self._draw_columns()
        return mark_safe(drawing)  # noqa: S308 - every text in it went through escape()

    def _defs(self) -> str:
        patterns = []
        for index, (colour, pattern) in enumerate(STYLES[: len(self.series)]):
            if pattern == "solid":
                continue
            lines = '<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="{c}" stroke-width="1.6"/>'
            if pattern == "cross":
                lines += '<path d="M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2" stroke="{c}" stroke-width="1.6"/>'
            patterns.append(
                f'<pattern id="{escape(self.id)}-p{index}" patternUnits="userSpaceOnUse" width="6" height="6">'
                f'<rect width="6" height="6" fill="#ffffff"/>{lines.format(c=colour)}</pattern>'
            )
        return f"<defs>{''.join(patterns)}</defs>" if patterns else ""

    def _fill(self, index: int) -> str:
        colour, pattern = STYLES[index]
        return colour if pattern == "solid" else f"url(#{escape(self.id)}-p{index})"

    def _bar(self, index: int, x: float, y: float, width: float, height: float, role: str = "bar") -> str:
        colour = STYLES[index][0]
        return (
            f'<rect class="{role}" x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{height:.1f}" '
            f'fill="{self._fill(index)}" stroke="{colour}" stroke-width="1"/>'
        )

    def _legend(self, y: float, x0: float) -> str:
        """Swatches with the series names, on one line above the plot (none for a single series)."""
        if len(self.series) < 2:
            return ""
        parts, x = [], x0
        for index, name in enumerate(self.series_names):
            parts.append(self._bar(index, x, y, 14, 10, role="key"))
            parts.append(
                f'<text x="{x + 19:.1f}" y="{y + 9.5:.1f}" font-size="{KEY}" fill="{TEXT}">{escape(name)}</text>'
            )
            x += 19 + _text_width(name, KEY) + 18
        return "".join(parts)

    def _open(self, height: float) -> str:
        chart_id = escape(self.id)
        description = f'<desc id="{chart_id}-desc">{escape(self.description)}</desc>' if self.description else ""
        labelled = f"{chart_id}-title"
        described = f' aria-describedby="{chart_id}-desc"' if self.description else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" id="{chart_id}-svg" role="img" '
            f'aria-labelledby="{labelled}"{described} viewBox="0 0 {WIDTH} {height:.0f}" '
            'width="100%" '  # the height follows from the viewBox, in browsers and in WeasyPrint alike
            f'font-family="{FONT}" preserveAspectRatio="xMinYMin meet">'
            f'<title id="{labelled}">{escape(self.title)}</title>{description}{self._defs()}'
        )

    def _axis(self) -> tuple[int, int]:
        """The grid's step and the value axis' end: a whole number of steps, at least one."""
        step = _nice_step(self.largest)
        return step, max(step * math.ceil(self.largest / step), step)

    def _draw_bars(self) -> str:
        """Horizontal bars: category labels on the left, each bar with its value at its end."""
        n_series = len(self.series)
        bar = 15.0 if n_series == 1 else 10.5
        group = n_series * bar + (n_series - 1) * 1.5
        gap = 10.0
        labels = [_clip(category, 34) for category in self.categories]
        label_width = min(240.0, max((_text_width(label, LABEL) for label in labels), default=40.0)) + 10
        value_width = (
            max((_text_width(format_integer(v), VALUE) for _n, vs in self.series for v in vs), default=20) + 10
        )
        legend = 26.0 if n_series > 1 else 0.0
        top = legend + 6
        plot_x, plot_width = label_width, WIDTH - label_width - value_width
        plot_height = len(self.categories) * (group + gap)
        height = top + plot_height + 22
        step, top_value = self._axis()
        scale = plot_width / top_value

        parts = [self._open(height), self._legend(4, plot_x)]
        tick = 0
        while tick <= top_value:  # vertical grid lines with their values under the plot
            x = plot_x + tick * scale
            parts.append(
                f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{top + plot_height:.1f}" stroke="{GRID}"/>'
                f'<text x="{x:.1f}" y="{top + plot_height + 15:.1f}" font-size="{TICK}" fill="{MUTED}" '
                f'text-anchor="middle">{format_integer(tick)}</text>'
            )
            tick += step
        for row, (category, label) in enumerate(zip(self.categories, labels, strict=True)):
            y = top + row * (group + gap) + gap / 2
            title = f"<title>{escape(category)}</title>" if label != category else ""
            parts.append(
                f'<text x="{plot_x - 8:.1f}" y="{y + group / 2 + 4.2:.1f}" font-size="{LABEL}" fill="{TEXT}" '
                f'text-anchor="end">{title}{escape(label)}</text>'
            )
            for index, (_name, values) in enumerate(self.series):
                bar_y = y + index * (bar + 1.5)
                width = values[row] * scale
                parts.append(self._bar(index, plot_x, bar_y, width, bar))
                parts.append(
                    f'<text x="{plot_x + width + 4:.1f}" y="{bar_y + bar / 2 + 3.7:.1f}" font-size="{VALUE}" '
                    f'fill="{TEXT}">{format_integer(values[row])}</text>'
                )
        parts.append(
            f'<line x1="{plot_x:.1f}" y1="{top:.1f}" x2="{plot_x:.1f}" y2="{top + plot_height:.1f}" '
            f'stroke="{MUTED}" stroke-width="1.2"/></svg>'
        )
        return "".join(parts)

    def _draw_columns(self) -> str:
        """Vertical columns over the categories (years): values above the columns, turned when narrow."""
        n_series = len(self.series)
        step, top_value = self._axis()
        axis_width = _text_width(format_integer(top_value), TICK) + 12
        labels = [format_integer(value) for _name, values in self.series for value in values]
        longest_value = max((_text_width(label, VALUE) for label in labels), default=0)
        legend = 26.0 if n_series > 1 else 0.0
        plot_x = axis_width
        plot_width = WIDTH - plot_x - 4
        slot = plot_width / max(len(self.categories), 1)
        column = min(44.0, (slot * 0.78) / n_series)
        turned = longest_value > column + 2
        headroom = (longest_value + 8) if turned else 16.0
        plot_top = legend + 6 + headroom
        plot_height = 190.0
        height = plot_top + plot_height + 22
        scale = plot_height / top_value
        base = plot_top + plot_height

        parts = [self._open(height), self._legend(4, plot_x)]
        tick = 0
        while tick <= top_value:  # horizontal grid lines with their values on the left
            y = base - tick * scale
            parts.append(
                f'<line x1="{plot_x:.1f}" y1="{y:.1f}" x2="{plot_x + plot_width:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
                f'<text x="{plot_x - 6:.1f}" y="{y + 3.5:.1f}" font-size="{TICK}" fill="{MUTED}" '
                f'text-anchor="end">{format_integer(tick)}</text>'
            )
            tick += step
        for position, category in enumerate(self.categories):
            centre = plot_x + slot * (position + 0.5)
            x0 = centre - (n_series * column) / 2
            for index, (_name, values) in enumerate(self.series):
                value = values[position]
                x = x0 + index * column
                y = base - value * scale
                parts.append(self._bar(index, x + 1, y, column - 2, value * scale))
                parts.append(_column_value(format_integer(value), x + column / 2, y, turned=turned))
            parts.append(
                f'<text x="{centre:.1f}" y="{base + 16:.1f}" font-size="{LABEL}" fill="{TEXT}" '
                f'text-anchor="middle">{escape(_clip(category, 14))}</text>'
            )
        parts.append(
            f'<line x1="{plot_x:.1f}" y1="{base:.1f}" x2="{plot_x + plot_width:.1f}" y2="{base:.1f}" '
            f'stroke="{MUTED}" stroke-width="1.2"/></svg>'
        )
        return "".join(parts)


def _column_value(label: str, centre: float, top: float, *, turned: bool) -> str:
    """A column's value above it: upright, or turned a quarter where it is wider than the column."""
    if turned:
        x, y = centre + 3.5, top - 4
        return (
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{VALUE}" fill="{TEXT}" '
            f'transform="rotate(-90 {x:.1f} {y:.1f})">{label}</text>'
        )
    return (
        f'<text x="{centre:.1f}" y="{top - 4:.1f}" font-size="{VALUE}" fill="{TEXT}" '
        f'text-anchor="middle">{label}</text>'
    )


def _chart(
    kind: str,
    *,
    id: str,
    title: str,
    unit: str,
    categories: Iterable[str],
    series: Sequence[tuple[str, Sequence[int]]],
    category_label: str = "",
    description: str = "",
) -> Chart:
    return Chart(
        id=id,
        title=title,
        unit=unit,
        categories=[str(category) for category in categories],
        series=[(str(name), [int(value or 0) for value in values]) for name, values in series],
        kind=kind,
        category_label=category_label,
        description=description,
    )


def bar_chart(**options: Any) -> Chart:
    """Horizontal bars, one row a category (counties, kommunar, themes); several series are grouped. Options:
    id, title, unit, categories, series (name, values), and optionally category_label and description."""
    return _chart("bar", **options)


def column_chart(**options: Any) -> Chart:
    """Vertical columns over categories in their order (year by year); several series stand side by side.
    The options of bar_chart."""
    return _chart("column", **options)


# The figures' charts (figures.py): the same on the dashboards and in the reports.


def county_money_chart(counties: list[County]) -> Chart:
    return bar_chart(
        id="chart-counties",
        title=_("Frames, granted and paid per county"),
        unit="kr",
        categories=[county.name for county in counties],
        series=[
            (_("Frames"), [county.frame_total for county in counties]),
            (_("Granted"), [county.granted for county in counties]),
            (_("Paid"), [county.paid for county in counties]),
        ],
        category_label=_("County"),
        description=_("Horizontal bars for each county authority: its frames, what it has granted and what is paid."),
    )


def county_participation_chart(counties: list[County]) -> Chart:
    return bar_chart(
        id="chart-participation",
        title=_("Kommunar taking part per county"),
        unit=pgettext("chart unit", "kommunar"),
        categories=[county.name for county in counties],
        series=[
            (_("All kommunar"), [county.municipality_count for county in counties]),
            (_("Taking part"), [county.taking_part for county in counties]),
        ],
        category_label=_("County"),
    )


def theme_chart(themes: list[Theme], *, id: str = "chart-themes") -> Chart:
    return bar_chart(
        id=id,
        title=_("Applications and projects per theme"),
        unit=pgettext("chart unit", "number"),
        categories=[theme.name for theme in themes],
        series=[
            (_("Applications"), [theme.applications_count for theme in themes]),
            (_("Projects"), [theme.projects_count for theme in themes]),
        ],
        category_label=_("Theme"),
    )


def municipality_chart(municipalities: list[Municipality]) -> Chart:
    """Granted and paid for the kommunar that lead a project (the others would only be empty rows)."""
    active = [m for m in municipalities if m.projects_count or m.granted]
    return bar_chart(
        id="chart-kommunar",
        title=_("Granted and paid per kommune"),
        unit="kr",
        categories=[m.name for m in active],
        series=[(_("Granted"), [m.granted for m in active]), (_("Paid"), [m.paid for m in active])],
        category_label=_("Kommune"),
    )


def years_chart(years: list[dict[str, Any]]) -> Chart:
    return column_chart(
        id="chart-years",
        title=_("Granted and paid per year"),
        unit="kr",
        categories=[str(year["year"]) for year in years],
        series=[(_("Granted"), [y["granted"] for y in years]), (_("Paid"), [y["paid"] for y in years])],
        category_label=_("Year"),
    )
