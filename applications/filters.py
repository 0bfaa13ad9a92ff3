"""Filters for the case lists (django-filter); the querysets they filter are already scoped by permissions.py."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from programmes.models import FundingRound, Municipality, Theme

from .models import Application


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search title, summary or case number"), method="search")
    funding_round = django_filters.ModelChoiceFilter(label=_("Round"), queryset=FundingRound.objects.none())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Application.Status.choices)
    lead_municipality = django_filters.ModelChoiceFilter(label=_("Kommune"), queryset=Municipality.objects.none())
    themes = django_filters.ModelChoiceFilter(label=_("Theme"), queryset=Theme.objects.none())

    class Meta:
        model = Application
        fields = ["q", "funding_round", "status", "lead_municipality", "themes"]

    def __init__(self, *args: Any, rounds: QuerySet, municipalities: QuerySet, themes: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.filters["funding_round"].queryset = rounds
        self.filters["lead_municipality"].queryset = municipalities
        self.filters["themes"].queryset = themes

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(case_number__icontains=value)
        )
