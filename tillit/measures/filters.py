"""The FilterSets of measures and their values: the API's lists today, pages later.

The filters' names are the lists' query parameters, Swedish like the pages' paths and the
activities' filters (tillit/activities/filters.py): `?matt=12&ar=2025&kon=K`.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .choices import Gender, PeriodKind, Source
from .models import Measure, MeasureValue

# Bounds of the columns filtered (ids: big integers; years: small ones), so that a number
# the database cannot hold is refused as invalid rather than sent to it.
MAX_ID = 2**63 - 1
MAX_YEAR = 32767


def id_filter(**kwargs) -> django_filters.NumberFilter:
    """A filter on an id: a whole number the id column can hold."""
    return django_filters.NumberFilter(min_value=1, max_value=MAX_ID, decimal_places=0, **kwargs)


def year_filter(**kwargs) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(min_value=0, max_value=MAX_YEAR, decimal_places=0, **kwargs)


class MeasureFilter(django_filters.FilterSet):
    mal = id_filter(method="filter_goal", label=_("Goal (its id), with the measures of its areas"))
    element = id_filter(field_name="node", label=_("Plan element (its id): its own measures only"))
    kalla = django_filters.ChoiceFilter(
        field_name="source", choices=Source.choices, label=_("Data source")
    )

    class Meta:
        model = Measure
        fields: list[str] = []

    def filter_goal(self, queryset: QuerySet[Measure], name, value: int) -> QuerySet[Measure]:
        return queryset.filter(Q(node_id=value) | Q(node__parent_id=value))


class MeasureValueFilter(django_filters.FilterSet):
    matt = id_filter(field_name="measure", label=_("Measure (its id)"))
    ar = year_filter(field_name="year", label=_("Year"))
    periodtyp = django_filters.ChoiceFilter(
        field_name="period_kind", choices=PeriodKind.choices, label=_("Kind of period")
    )
    kon = django_filters.ChoiceFilter(
        field_name="gender", choices=Gender.choices, label=_("Gender: T, K or M")
    )

    class Meta:
        model = MeasureValue
        fields: list[str] = []
