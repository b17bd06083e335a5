"""Reads of the API built on top of the public allow-list (tillit/portal/public.py).

Nothing here widens what the public sees: each function narrows or describes rows that
the allow-list's own functions gave.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db.models import Exists, Max, Min, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from tillit.activities.models import Activity
from tillit.core.rules import is_member_of_organisation, is_system_administrator
from tillit.measures.models import MeasureValue
from tillit.planning.models import PlanNode
from tillit.portal.public import public_nodes

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def reads_internal(user, organisation) -> bool:
    """Whether the caller reads the organisation's own rows (drafts, every activity, the
    values' comments), as its staff do in the pages; anyone else gets the public rows."""
    return bool((is_member_of_organisation | is_system_administrator).test(user, organisation))


def public_elements_of(activity: Activity) -> list[int]:
    """The public plan elements an activity works toward: its public goals, and for an
    area (the operations' working structure, not public) the public goal above it.

    Reads the activity's nodes as `with_public_elements` prefetches and marks them (by
    the allow-list's own `public_nodes`): no query."""
    ids: set[int] = set()
    for node in activity.nodes.all():
        if node.is_public_element:
            ids.add(node.pk)
        elif node.parent_is_public_element:
            ids.add(node.parent_id)
    return sorted(ids)


def with_public_elements(activities: QuerySet[Activity], organisation) -> QuerySet[Activity]:
    """What a public activity row shows, in a fixed number of queries."""
    public_ids = public_nodes(organisation).values("pk")
    return activities.select_related("owner_unit").prefetch_related(
        Prefetch(
            "nodes",
            queryset=PlanNode.objects.annotate(
                is_public_element=Exists(public_ids.filter(pk=OuterRef("pk"))),
                parent_is_public_element=Exists(public_ids.filter(pk=OuterRef("parent_id"))),
            ),
        ),
        "principles",
    )


def activity_years(activities: QuerySet[Activity]) -> list[int]:
    """The years the activities span, this year included, newest first: the choices of
    the activities' year filter (ActivityFilter.years, for any set of activities)."""
    this_year = timezone.localdate().year
    span = activities.order_by().aggregate(
        first=Min("start"), last_start=Max("start"), last_end=Max("end")
    )
    dates = [d for d in span.values() if d is not None]
    first = min([d.year for d in dates] + [this_year])
    last = max([d.year for d in dates] + [this_year])
    return list(range(last, first - 1, -1))


def value_version(value: MeasureValue) -> int:
    """A value's version as the API shows it: the time of its last change, in
    microseconds since 1970 (what `measures.services.value_token` compares, as a number)."""
    delta = value.updated_at - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def value_token_of(version: int) -> str:
    """The `value_token` a value with this API version has (one that matches no stored
    value when the number is no time at all)."""
    try:
        return (EPOCH + timedelta(microseconds=version)).isoformat()
    except OverflowError:
        return "-"
