"""The server-drawn SVG charts: well-formed, named, escaped, readable without colour, and the same figures in
the table beside them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from reporting.charts import STYLES, Chart, bar_chart, column_chart, format_integer

SVG = "{http://www.w3.org/2000/svg}"
NASTY = "Bø & <Sande> \"'s"


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))


def texts(root: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def county_chart(**overrides) -> Chart:
    options = {
        "id": "chart-counties",
        "title": "Frames, granted and paid",
        "unit": "kr",
        "categories": ["Nord-Trøndelag", NASTY, "Finnmark"],
        "series": [
            ("Frames", [7_000_000, 1_000_000, 1_000_000]),
            ("Granted", [1_234_567, 0, 632_000]),
            ("Paid", [224_000, 0, 272_000]),
        ],
        "category_label": "County",
    }
    return bar_chart(**{**options, **overrides})


def year_chart() -> Chart:
    return column_chart(
        id="chart-years",
        title="Granted and paid per year",
        unit="kr",
        categories=["2010", "2011", "2012", "2013", "2014"],
        series=[("Granted", [0, 3_500_000, 12_250_000, 9_000_000, 1_000]), ("Paid", [0, 1_000_000, 8_000_000, 9, 0])],
        category_label="Year",
    )


def squeeze(text: str) -> str:
    """Runs of spaces and new lines as one space; the no-break spaces in numbers stay."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


class TableReader(HTMLParser):
    """The caption, header cells (with scope) and body rows of the tables in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.captions: list[str] = []
        self.head: list[tuple[str, str]] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in = ""
        self._scope = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("thead", "tbody", "caption"):
            self._in = tag
            if tag == "caption":
                self._cell = []
        elif tag == "tr" and self._in == "tbody":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = []
            self._scope = dict(attrs).get("scope") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._cell is not None:
            self.captions.append(squeeze("".join(self._cell)))
            self._cell = None
        elif tag in ("th", "td") and self._cell is not None:
            text = squeeze("".join(self._cell))
            if self._in == "thead":
                self.head.append((text, self._scope))
            elif self._in == "tbody":
                self.rows[-1].append(text)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def read_tables(html: str) -> TableReader:
    reader = TableReader()
    reader.feed(html)
    return reader


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("make", [county_chart, year_chart])
def test_svg_is_well_formed_and_an_image_named_by_its_title(make):
    chart = make()
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == chart.title
    assert root.get("aria-labelledby") == title.get("id") == f"{chart.id}-title"
    assert root.get("viewBox", "").startswith("0 0 640 ")
    assert root.get("width") == "100%" and root.get("height") is None  # scales with the page, keeps its ratio


def test_labels_are_escaped_in_the_svg():
    chart = county_chart(title="Frames & <granted>", series=[("Frames <b>", [1, 2, 3])])
    markup = str(chart.svg)
    assert "<Sande>" not in markup and "<b>" not in markup and "<granted>" not in markup
    assert "Bø &amp; &lt;Sande&gt;" in markup
    root = parse(chart)  # still well-formed with the nasty label
    assert NASTY in texts(root)
    assert root.find(f"{SVG}title").text == "Frames & <granted>"


def test_each_bar_carries_its_value_and_each_series_its_own_pattern():
    chart = county_chart()
    root = parse(chart)
    labels = texts(root)
    for _name, values in chart.series:
        for value in values:
            assert format_integer(value) in labels
    assert "1\u00a0234\u00a0567" in labels  # Norwegian grouping with no-break spaces
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]
    assert len(bars) == 3 * 3
    fills = {rect.get("fill") for rect in bars}
    assert fills == {STYLES[0][0], "url(#chart-counties-p1)", "url(#chart-counties-p2)"}
    pattern_ids = {pattern.get("id") for pattern in root.iter(f"{SVG}pattern")}
    assert pattern_ids == {"chart-counties-p1", "chart-counties-p2"}
    keys = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "key"]
    assert len(keys) == 3  # a legend swatch for each series, beside its name
    assert {"Frames", "Granted", "Paid"} <= set(labels)


def test_bars_are_as_long_as_their_values():
    chart = bar_chart(id="c", title="T", unit="", categories=["a", "b"], series=[("n", [10, 40])])
    widths = [float(rect.get("width")) for rect in parse(chart).iter(f"{SVG}rect") if rect.get("class") == "bar"]
    assert widths[1] == pytest.approx(4 * widths[0], rel=0.01)


def test_column_chart_turns_value_labels_that_would_not_fit_over_a_column():
    root = parse(year_chart())
    turned = [text for text in root.iter(f"{SVG}text") if "rotate(-90" in (text.get("transform") or "")]
    assert "12\u00a0250\u00a0000" in ["".join(text.itertext()) for text in turned]
    narrow = column_chart(id="c", title="T", unit="", categories=["2010", "2011"], series=[("n", [3, 5])])
    assert not [text for text in parse(narrow).iter(f"{SVG}text") if text.get("transform")]
    assert {"2010", "2011", "3", "5"} <= set(texts(parse(narrow)))


def test_colours_keep_aa_contrast_against_white():
    for colour, _pattern in STYLES:
        assert (1.05) / (luminance(colour) + 0.05) >= 4.5, colour


def test_a_series_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="values for 3 categories"):
        county_chart(series=[("Frames", [1, 2])])
    with pytest.raises(ValueError):
        county_chart(series=[("a", [1, 2, 3])] * 4)


def test_partial_shows_the_chart_with_a_captioned_table_of_the_same_figures():
    chart = county_chart()
    html = render_to_string("reporting/partials/chart.html", {"chart": chart})
    assert re.search(rf'<figure class="chart"\s+id="{chart.id}"', html)
    assert re.search(r"<figcaption[^>]*>\s*Frames, granted and paid", html)
    assert str(chart.svg) in html
    tables = read_tables(html)
    assert len(tables.captions) == 1 and chart.title in tables.captions[0]
    assert tables.head == [("County", "col"), ("Frames", "col"), ("Granted", "col"), ("Paid", "col")]
    assert tables.rows == [[category, *values] for category, values in chart.rows]
    assert tables.rows[1] == [NASTY, "1\u00a0000\u00a0000", "0", "0"]
    assert "&lt;Sande&gt;" in html and "<Sande>" not in html
    # The same figures as the SVG draws.
    drawn = texts(parse(chart))
    for row in tables.rows:
        assert all(value in drawn for value in row[1:])
    assert 'scope="row"' in html


def test_partial_names_the_table_that_holds_the_figures_instead_of_repeating_them():
    chart = county_chart()
    html = render_to_string("reporting/partials/chart.html", {"chart": chart, "figures_table": "table-counties"})
    assert 'aria-describedby="table-counties"' in html
    assert "<table" not in html
    assert str(chart.svg) in html


def test_partial_for_an_empty_chart_says_so_and_draws_nothing():
    chart = bar_chart(id="empty", title="Nothing", unit="kr", categories=[], series=[("Granted", [])])
    with translation.override("en"):
        html = render_to_string("reporting/partials/chart.html", {"chart": chart})
    assert "<svg" not in html
    assert read_tables(html).rows == [["No figures yet."]]


def test_format_integer_groups_thousands_the_norwegian_way():
    assert format_integer(0) == "0"
    assert format_integer(999) == "999"
    assert format_integer(1000) == "1\u00a0000"
    assert format_integer(-1_234_567) == "−1\u00a0234\u00a0567"
    assert format_integer(None) == "–"
