"""Filters, search and sorting for the four case lists (django-filter).

The querysets they filter are already scoped by permissions.py; the filters only narrow them. Each list is a
`CaseListFilter`: its filters (rendered with crispy-forms), a search box (`q`, through
`selectors.search_cases`), and its table's columns, of which the sortable ones sort by `?sorter=<key>` or
`?sorter=-<key>` (descending). An unknown sort key falls back to the list's default and a bad filter value is
named on its field and left out, so no input gives a server error. Every sort ends with the primary key, so
the order is stable across pages and in the export.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

import django_filters
from django.conf import settings
from django.db.models import Case, Expression, F, IntegerField, OrderBy, QuerySet, Value, When
from django.http import HttpRequest, QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from luk_portal.paging import paginate

from . import permissions, selectors
from .models import Application, Payment, ProgressReport, Project
from .selectors import Facet

SORT_PARAM = "sorter"
# Parameters that are not filters: the page and the export format. Sort and export links leave them out.
NOT_FILTERS = ("side", "format")


def status_order(choices: Sequence[tuple[str, Any]], field: str = "status") -> Case:
    """Sort statuses in their workflow order (the order of the choices), not alphabetically by code."""
    return Case(
        *[When(**{field: value}, then=Value(index)) for index, (value, _label) in enumerate(choices)],
        default=Value(len(choices)),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class Column:
    """A column of a list's table. With `sort`, its header sorts the list: the fields or expressions to sort by,
    a field written `-name` going the opposite way of the click (a secondary order that reads naturally)."""

    label: str | Promise
    key: str = ""
    sort: tuple[str | Callable[[], Expression], ...] = ()
    numeric: bool = False


def _order_by(fields: Sequence[str | Callable[[], Expression]], descending: bool) -> list[OrderBy]:
    """ORDER BY terms for a sort, empty values last either way, and the primary key last of all."""
    terms = []
    for field in (*fields, "pk"):
        if callable(field):
            expression, reverse = field(), False
        else:
            reverse = field.startswith("-")
            expression = F(field.removeprefix("-"))
        down = descending != reverse
        terms.append(expression.desc(nulls_last=True) if down else expression.asc(nulls_last=True))
    return terms


class CaseListFilter(django_filters.FilterSet):
    """A case list: filters, the search box and sortable columns. Subclasses name the columns and search fields."""

    columns: ClassVar[list[Column]]
    default_sort: ClassVar[str]
    search_fields: ClassVar[tuple[str, ...]]
    search_codes: ClassVar[tuple[str, ...]] = ()
    # The filters whose choices are what the person's rows hold, read together in one query when needed.
    facets: ClassVar[dict[str, Facet]] = {}

    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)

    def __init__(self, data: Any = None, *, queryset: QuerySet, user: Any, **kwargs: Any) -> None:
        # Always bound, so that the sort applies to the plain list too; an empty query filters nothing.
        super().__init__(data if data is not None else QueryDict(), queryset=queryset, **kwargs)
        self.user = user
        self._facets: dict[str, list[tuple[Any, str]]] | None = None
        if not permissions.filters_by_county(user):
            # County staff and kommunar see one county (or a few kommunar in it): a county filter says nothing.
            self.filters.pop("county", None)
        for name in self.facets:
            if name in self.filters:
                self.filters[name].extra["choices"] = partial(self._facet_choices, name)

    def _facet_choices(self, name: str) -> list[tuple[Any, str]]:
        if self._facets is None:
            facets = {name: facet for name, facet in self.facets.items() if name in self.filters}
            self._facets = selectors.facet_choices(rows=self.queryset, facets=facets)
        return self._facets[name]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.search_cases(queryset, value, self.search_fields, codes=self.search_codes)

    # Sorting

    @property
    def sort_keys(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns if column.sort}

    @property
    def sorter(self) -> str:
        """The sort in force: the one asked for if it is one of the list's, else the default."""
        asked = str(self.data.get(SORT_PARAM, "")).strip()
        return asked if asked.removeprefix("-") in self.sort_keys else self.default_sort

    def sort(self, queryset: QuerySet) -> QuerySet:
        key = self.sorter
        column = self.sort_keys[key.removeprefix("-")]
        return queryset.order_by(*_order_by(column.sort, key.startswith("-")))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return self.sort(super().filter_queryset(queryset))

    # Links

    def _query(self, sort: str) -> str:
        """The page's query string with `sort` as its sort (left out when it is the default), without the page
        number and export format."""
        query = QueryDict(mutable=True)
        query.update(self.data)
        for name in (*NOT_FILTERS, SORT_PARAM):
            query.pop(name, None)
        if sort != self.default_sort:
            query[SORT_PARAM] = sort
        return query.urlencode()

    @property
    def export_query(self) -> str:
        """The filters, search and sort of the page, without its page number: what the export links carry."""
        return self._query(self.sorter)

    @property
    def sort_value(self) -> str:
        """The sort to keep in the filter form (a hidden field), or "" for the default."""
        return "" if self.sorter == self.default_sort else self.sorter

    def headers(self) -> list[dict[str, Any]]:
        """The table's column headers: label, and for a sortable column the link that sorts by it (ascending
        first, then the other way) and, for the column the list is sorted by, its direction (for aria-sort)."""
        current = self.sorter
        headers = []
        for column in self.columns:
            header: dict[str, Any] = {
                "label": column.label,
                "numeric": column.numeric,
                "sortable": bool(column.sort),
                "direction": "",
                "query": "",
            }
            if column.sort:
                if current.removeprefix("-") == column.key:
                    header["direction"] = "descending" if current.startswith("-") else "ascending"
                ascending_now = header["direction"] == "ascending"
                header["query"] = self._query(f"-{column.key}" if ascending_now else column.key)
            headers.append(header)
        return headers


def _choice(label: Promise, field_name: str) -> django_filters.ChoiceFilter:
    """A filter whose choices are the values the list's rows hold (see `CaseListFilter.facets`)."""
    return django_filters.ChoiceFilter(label=label, field_name=field_name, choices=[], empty_label=_("All"))


def _status(label: Promise, choices: Sequence[tuple[str, Any]]) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(label=label, choices=choices, empty_label=_("All"))


# Applications


class ApplicationFilter(CaseListFilter):
    columns: ClassVar[list[Column]] = [
        Column(_("Case number"), "case_number", ("case_number",)),
        Column(_("Title"), "title", ("title",)),
        Column(_("Kommune"), "kommune", ("lead_municipality__name",)),
        Column(_("Round"), "round", ("funding_round__name",)),
        Column(_("Status"), "status", (lambda: status_order(Application.Status.choices), "-updated_at")),
        Column(_("Applied for"), "amount", ("requested_amount",), numeric=True),
        Column(_("Submitted"), "submitted", ("submitted_at",)),
        Column(_("Case officer"), "officer", ("officer__last_name", "officer__first_name")),
    ]
    default_sort = "-submitted"
    search_fields = ("title", "summary")
    search_codes = ("case_number",)
    facets: ClassVar[dict[str, Facet]] = {
        "county": Facet("funding_round__county", "funding_round__county__name", "funding_round__county__number"),
        "lead_municipality": Facet("lead_municipality", "lead_municipality__name"),
        "funding_round": Facet("funding_round", "funding_round__name", "-funding_round__opens_at"),
        "year": Facet("funding_round__opens_at__year", sort="-funding_round__opens_at__year"),
        "submitted": Facet("submitted_at__year", sort="-submitted_at__year"),
        "themes": Facet("themes", "themes__name", translated=True),
    }

    q = django_filters.CharFilter(label=_("Search title, summary or case number"), method="search", max_length=200)
    status = _status(_("Status"), Application.Status.choices)
    county = _choice(_("County"), "funding_round__county")
    lead_municipality = _choice(_("Kommune"), "lead_municipality")
    funding_round = _choice(_("Round"), "funding_round")
    year = _choice(_("Year the round opened"), "funding_round__opens_at__year")
    submitted = _choice(_("Year submitted"), "submitted_at__year")
    themes = _choice(_("Theme"), "themes")

    class Meta:
        model = Application
        fields: list[str] = []


# Projects


class ProjectFilter(CaseListFilter):
    columns: ClassVar[list[Column]] = [
        Column(_("Title"), "title", ("title",)),
        Column(_("Kommune"), "kommune", ("lead_municipality__name",)),
        Column(_("County"), "county", ("county__number",)),
        Column(_("Status"), "status", (lambda: status_order(Project.Status.choices), "-created_at")),
        Column(_("Granted"), "granted", ("granted_amount",), numeric=True),
        Column(_("Paid"), "paid", ("paid_amount",), numeric=True),
        Column(_("Project period"), "period", ("period_start", "period_end")),
    ]
    default_sort = "status"
    search_fields = ("title", "application__summary")
    facets: ClassVar[dict[str, Facet]] = {
        "county": Facet("county", "county__name", "county__number"),
        "lead_municipality": Facet("lead_municipality", "lead_municipality__name"),
        "funding_round": Facet(
            "application__funding_round", "application__funding_round__name", "-application__funding_round__opens_at"
        ),
        "year": Facet("period_start__year", sort="-period_start__year"),
        "granted_year": Facet(
            "application__decision__decided_at__year", sort="-application__decision__decided_at__year"
        ),
        "theme": Facet("application__themes", "application__themes__name", translated=True),
        "result_goal": Facet(
            "application__result_goals",
            "application__result_goals__text",
            "application__result_goals__number",
            translated=True,
        ),
    }

    q = django_filters.CharFilter(label=_("Search title or summary"), method="search", max_length=200)
    status = _status(_("Status"), Project.Status.choices)
    county = _choice(_("County"), "county")
    lead_municipality = _choice(_("Kommune"), "lead_municipality")
    funding_round = _choice(_("Round"), "application__funding_round")
    year = _choice(_("Year the project starts"), "period_start__year")
    granted_year = _choice(_("Year granted"), "application__decision__decided_at__year")
    theme = _choice(_("Theme"), "application__themes")
    result_goal = _choice(_("Result goal"), "application__result_goals")

    class Meta:
        model = Project
        fields: list[str] = []


# Payments


class PaymentFilter(CaseListFilter):
    columns: ClassVar[list[Column]] = [
        Column(_("County"), "county", ("project__county__number",)),
        Column(_("Kommune"), "kommune", ("project__lead_municipality__name",)),
        Column(_("Project"), "project", ("project__title",)),
        Column(_("Amount"), "amount", ("amount",), numeric=True),
        Column(_("Status"), "status", (lambda: status_order(Payment.Status.choices), "-requested_at")),
        Column(_("Requested"), "requested", ("requested_at",)),
        Column(_("Decided"), "decided", ("decided_at",)),
    ]
    default_sort = "-requested"
    search_fields = ("project__title",)
    facets: ClassVar[dict[str, Facet]] = {
        "county": Facet("project__county", "project__county__name", "project__county__number"),
        "kommune": Facet("project__lead_municipality", "project__lead_municipality__name"),
        "year": Facet("requested_at__year", sort="-requested_at__year"),
        "decided_year": Facet("decided_at__year", sort="-decided_at__year"),
    }

    q = django_filters.CharFilter(label=_("Search project title"), method="search", max_length=200)
    status = _status(_("Status"), Payment.Status.choices)
    county = _choice(_("County"), "project__county")
    kommune = _choice(_("Kommune"), "project__lead_municipality")
    year = _choice(_("Year requested"), "requested_at__year")
    decided_year = _choice(_("Year decided"), "decided_at__year")

    class Meta:
        model = Payment
        fields: list[str] = []


# Progress and final reports


class ReportFilter(CaseListFilter):
    KINDS: ClassVar[list[tuple[str, Promise]]] = [("progress", _("Progress report")), ("final", _("Final report"))]

    columns: ClassVar[list[Column]] = [
        Column(_("Project"), "project", ("project__title",)),
        Column(_("Kommune"), "kommune", ("project__lead_municipality__name",)),
        Column(_("County"), "county", ("project__county__number",)),
        Column(_("Period"), "period", ("period_from", "period_to")),
        Column(_("Due"), "due", ("deadline__due_on",)),
        Column(_("Kind"), "kind", ("final",)),
        Column(_("Status"), "status", (lambda: status_order(ProgressReport.Status.choices), "-submitted_at")),
        Column(_("Submitted"), "submitted", ("submitted_at",)),
    ]
    default_sort = "-due"
    search_fields = ("project__title",)
    facets: ClassVar[dict[str, Facet]] = {
        "county": Facet("project__county", "project__county__name", "project__county__number"),
        "kommune": Facet("project__lead_municipality", "project__lead_municipality__name"),
        "year": Facet("deadline__due_on__year", sort="-deadline__due_on__year"),
    }

    q = django_filters.CharFilter(label=_("Search project title"), method="search", max_length=200)
    status = _status(_("Status"), ProgressReport.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=KINDS, method="filter_kind", empty_label=_("All"))
    county = _choice(_("County"), "project__county")
    kommune = _choice(_("Kommune"), "project__lead_municipality")
    year = _choice(_("Year due"), "deadline__due_on__year")

    class Meta:
        model = ProgressReport
        fields: list[str] = []

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(final=value == "final") if value else queryset


# The lists by name: how each is read for a person. Its page, its file (reporting.exports) and its export job read
# the same rows, through the same filters and access rules.


@dataclass(frozen=True)
class CaseList:
    name: str
    url_name: str
    filterset: type[CaseListFilter]
    queryset: Callable[..., QuerySet]
    title: Any  # the page's title and heading


CASE_LISTS: dict[str, CaseList] = {
    "applications": CaseList(
        "applications", "applications:list", ApplicationFilter, selectors.application_list, _("Applications")
    ),
    "projects": CaseList("projects", "applications:project_list", ProjectFilter, selectors.project_list, _("Projects")),
    "payments": CaseList(
        "payments", "applications:payment_register", PaymentFilter, selectors.payment_register, _("Payments")
    ),
    "reports": CaseList(
        "reports", "applications:report_list", ReportFilter, selectors.report_list, _("Progress and final reports")
    ),
}


def case_list(name: str) -> CaseList:
    """The list called `name`; KeyError for any other name."""
    return CASE_LISTS[name]


def list_filterset(name: str, *, user: Any, data: Any) -> CaseListFilter:
    """The list's filterset for this person: what the page shows, and what its files hold."""
    found = case_list(name)
    return found.filterset(data, queryset=found.queryset(user=user), user=user)


def export_offer(name: str, filterset: CaseListFilter, page: Any) -> dict[str, Any]:
    """What the list page's file buttons need: links for a list of up to EXPORT_SYNC_LIMIT rows (the files are
    reporting's, at the list's own address with `?format=`), else a form that has the file made in the background.
    The paginator has counted the rows already."""
    count = page.paginator.count
    return {
        "list": name,
        "query": filterset.export_query,
        "count": count,
        "background": count > settings.EXPORT_SYNC_LIMIT,
    }


def list_context(request: HttpRequest, name: str) -> dict[str, Any]:
    """What every list page shows: its title, the person's filterset (`filter`), the page of it asked for, the
    query that the other pages' links keep, and the file buttons (`export`)."""
    filterset = list_filterset(name, user=request.user, data=request.GET)
    page, query = paginate(request, filterset.qs)
    export = export_offer(name, filterset, page)
    return {"list_title": case_list(name).title, "filter": filterset, "page": page, "query": query, "export": export}
