"""The API's FilterSets for the lists no page filters yet, and the filter backend that
gives a FilterSet the organisation it needs (as the activities' list page does).

Query parameters are Swedish, like the pages' (`?niva=goal&dokument=1`).
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tillit.activities.filters import ActivityFilter
from tillit.followup.models import Assessment
from tillit.measures.filters import id_filter, year_filter
from tillit.measures.models import MeasureTarget
from tillit.planning.models import PlanNode
from tillit.reports.choices import ReportKind
from tillit.reports.models import Report


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, with the view's say in how its FilterSet is made: the
    view's `filterset_kwargs()` (e.g. the organisation) and `adapt_filterset(filterset)`
    (e.g. choices narrowed to what the caller may see)."""

    def get_filterset_kwargs(self, request, queryset, view) -> dict:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        extra = getattr(view, "filterset_kwargs", None)
        if extra is not None:
            kwargs.update(extra())
        return kwargs

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        adapt = getattr(view, "adapt_filterset", None)
        if filterset is not None and adapt is not None:
            adapt(filterset)
        return filterset


class PlanElementFilter(django_filters.FilterSet):
    niva = django_filters.CharFilter(
        field_name="level__key", label=_("Level (its key): vision, goal, …")
    )
    overordnad = id_filter(field_name="parent", label=_("Part of (the id of the element above)"))
    dokument = id_filter(field_name="document", label=_("Steering document (its id)"))

    class Meta:
        model = PlanNode
        fields: list[str] = []


class TargetFilter(django_filters.FilterSet):
    matt = id_filter(field_name="measure", label=_("Measure (its id)"))
    ar = year_filter(field_name="plan__year", label=_("Year of the plan"))

    class Meta:
        model = MeasureTarget
        fields: list[str] = []


class AssessmentFilter(django_filters.FilterSet):
    mal = id_filter(field_name="goal", label=_("Goal (its id)"))
    ar = year_filter(field_name="period__year", label=_("Year of the period"))

    class Meta:
        model = Assessment
        fields: list[str] = []


class ReportFilter(django_filters.FilterSet):
    typ = django_filters.ChoiceFilter(
        field_name="kind", choices=ReportKind.choices, label=_("Kind of report")
    )
    ar = year_filter(field_name="year", label=_("Year"))

    class Meta:
        model = Report
        fields: list[str] = []


# The activities' FilterSet (the list page's) serves the API as it is. Its unit and goal
# filters take ids but filter through a method, whose argument the schema cannot read:
# say so here, for the OpenAPI schema only.
for _name in ("enhet", "mal"):
    extend_schema_field(OpenApiTypes.INT)(ActivityFilter.base_filters[_name])
