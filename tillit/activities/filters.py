"""The one FilterSet of activities: the list page today, the portal and the API later.

The filters' names are the list's query parameters, and they are Swedish like the
pages' paths (`/aktiviteter/?princip=digitalisering&ar=2026`), so that a link to
"what do we do for digitalisering?" reads as what it is and can be shared.
"""

from __future__ import annotations

import django_filters
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.core.models import Organisation, OrgUnit
from tillit.planning.models import PlanNode, Principle

from .choices import ActivityStatus
from .models import Activity
from .selectors import (
    GOAL_LEVEL_KEY,
    organisation_principles,
    organisation_units,
    overlapping,
    year_bounds,
)


def unit_label(unit: OrgUnit) -> str:
    """A unit indented by its depth in the administration, for a select."""
    return ("— " * unit.depth) + unit.name


class ActivityFilter(django_filters.FilterSet):
    sok = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("Title contains")
    )
    enhet = django_filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.none(),
        method="filter_unit",
        label=_("Unit, with the units beneath it"),
        empty_label=_("All units"),
    )
    mal = django_filters.ModelChoiceFilter(
        queryset=PlanNode.objects.none(),
        method="filter_goal",
        label=_("Goal, with its areas"),
        empty_label=_("All goals"),
    )
    princip = django_filters.ModelChoiceFilter(
        queryset=Principle.objects.none(),
        field_name="principles",
        to_field_name="key",
        label=_("Principle"),
        empty_label=_("All principles"),
    )
    status = django_filters.ChoiceFilter(
        choices=ActivityStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    ar = django_filters.ChoiceFilter(
        method="filter_year",
        label=_("Under way in the year"),
        empty_label=_("All years"),
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        organisation: Organisation,
        years: list[int] | None = None,
        **kwargs,
    ):
        super().__init__(data, queryset, **kwargs)
        self.year_choices = years if years is not None else self.years(organisation)
        self.filters["enhet"].queryset = organisation_units(organisation.pk)
        self.filters["mal"].queryset = (
            PlanNode.objects.filter(organisation=organisation, level__key=GOAL_LEVEL_KEY)
            .select_related("level")
            .order_by(
                "-document__start_year",
                "parent__parent__order",
                "parent__order",
                "order",
                "number",
                "pk",
            )
        )
        self.filters["princip"].queryset = organisation_principles(organisation.pk)
        self.filters["ar"].extra["choices"] = [(str(year), str(year)) for year in self.year_choices]

    @property
    def form(self):
        form = super().form
        form.fields["enhet"].label_from_instance = unit_label
        return form

    @staticmethod
    def years(organisation: Organisation) -> list[int]:
        """From the first activity's start to the last one's end, this year included."""
        this_year = timezone.localdate().year
        span = Activity.objects.filter(organisation=organisation).aggregate(
            first=Min("start"), last_start=Max("start"), last_end=Max("end")
        )
        dates = [d for d in span.values() if d is not None]
        first = min([d.year for d in dates] + [this_year])
        last = max([d.year for d in dates] + [this_year])
        return list(range(last, first - 1, -1))

    def filter_unit(self, queryset: QuerySet[Activity], name, unit: OrgUnit):
        return queryset.filter(owner_unit__path__startswith=unit.path)

    def filter_goal(self, queryset: QuerySet[Activity], name, goal: PlanNode):
        # A subquery rather than a join, so an activity linked to a goal and to its area
        # comes once.
        linked = Activity.nodes.through.objects.filter(
            Q(plannode=goal) | Q(plannode__parent=goal)
        ).values("activity_id")
        return queryset.filter(pk__in=linked)

    def filter_year(self, queryset: QuerySet[Activity], name, value: str):
        first, last = year_bounds(int(value))
        return queryset.filter(overlapping(first, last))
