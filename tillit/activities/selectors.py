"""Reads of activities shared by the list, the goal page, the principle page and the
dialogues (which freeze a goal's activities into a dialogue record's material).

Every function here runs a fixed number of queries, whatever the number of activities,
goals or links.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from tillit.core.history import HistoryEntry, history_for
from tillit.core.models import OrgUnit, User
from tillit.measures.models import Measure
from tillit.planning.choices import Owner
from tillit.planning.models import Level, PlanNode, Principle

from .choices import ActivityStatus
from .models import Activity

# The plan level activities hang under, as the follow-up names it (see the preset's
# level "activity"); the operations levels in the tree beneath it (areas) count too.
GOAL_LEVEL_KEY = "goal"


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def overlapping(first: datetime.date, last: datetime.date) -> Q:
    """Activities under way at some time between `first` and `last` (an open end runs on)."""
    return Q(start__lte=last) & (Q(end__isnull=True) | Q(end__gte=first))


def activities_for_goals(
    goals: list[PlanNode], *, on: datetime.date | None = None
) -> dict[int, list[Activity]]:
    """For each goal id: the activities linked to the goal or to one of its areas.

    Only those under way in the year of `on` (default today) and not cancelled, in start
    order, with `owner_unit` and `responsible` selected. An activity linked to a goal and
    to its area is listed once under the goal. Two queries, however many goals.
    """
    on = on or timezone.localdate()
    goal_ids = [goal.pk for goal in goals]
    result: dict[int, list[Activity]] = {goal_id: [] for goal_id in goal_ids}
    if not goal_ids:
        return result
    links = Activity.nodes.through.objects.filter(
        Q(plannode_id__in=goal_ids) | Q(plannode__parent_id__in=goal_ids)
    ).values_list("activity_id", "plannode_id", "plannode__parent_id")
    goals_of: dict[int, set[int]] = {}
    for activity_id, node_id, parent_id in links:
        goal_id = node_id if node_id in result else parent_id
        goals_of.setdefault(activity_id, set()).add(goal_id)
    if not goals_of:
        return result
    first, last = year_bounds(on.year)
    activities = (
        Activity.objects.filter(pk__in=list(goals_of))
        .filter(overlapping(first, last))
        .exclude(status=ActivityStatus.CANCELLED)
        .select_related("owner_unit", "responsible")
        .order_by("start", "title", "pk")
    )
    for activity in activities:
        for goal_id in sorted(goals_of[activity.pk]):
            result[goal_id].append(activity)
    return result


def linkable_levels(organisation_id: int) -> list[Level]:
    """The levels an activity may work toward: the goal level and, beneath it, the
    operations levels shown in the tree (Grästorp: mål and område)."""
    return list(
        Level.objects.filter(organisation_id=organisation_id).filter(
            Q(key=GOAL_LEVEL_KEY)
            | Q(parent__key=GOAL_LEVEL_KEY, owner=Owner.OPERATIONS, in_tree=True)
        )
    )


def linkable_nodes(organisation_id: int) -> QuerySet[PlanNode]:
    """Goals and areas, newest steering document first, each goal followed by its areas."""
    return (
        PlanNode.objects.filter(
            organisation_id=organisation_id, level__in=linkable_levels(organisation_id)
        )
        .select_related("level", "document", "parent__level")
        .order_by("-document__start_year", "level__order", "order", "number", "pk")
    )


def linkable_nodes_in_plan_order(organisation_id: int) -> list[PlanNode]:
    """Goals and areas as the plan reads: newest steering document first, each goal in the
    order of the tree and followed by its areas. Two queries."""
    nodes = list(linkable_nodes(organisation_id))
    # Every element's place, to sort by the path from the root (any nesting of levels).
    places = {
        pk: (parent_id, order, number or 0)
        for pk, parent_id, order, number in PlanNode.objects.filter(
            organisation_id=organisation_id
        ).values_list("pk", "parent_id", "order", "number")
    }

    def path(node_id: int | None) -> list[tuple[int, int, int]]:
        steps = []
        while node_id is not None and node_id in places:
            parent_id, order, number = places[node_id]
            steps.append((order, number, node_id))
            node_id = parent_id
        return steps[::-1]

    return sorted(nodes, key=lambda n: (-n.document.start_year, path(n.pk)))


def node_choice_label(node: PlanNode) -> str:
    """ "Mål 1: Vi utbildar …" for a goal, "Område 2025: Läsfrämjande i F–6" for an area."""
    if node.level.key == GOAL_LEVEL_KEY:
        return node.label
    name = f"{node.level.name} {node.year}" if node.year else node.level.name
    return f"{name}: {node.title}"


def goal_and_areas(node: PlanNode) -> list[int]:
    """The node's id and, for a goal, the ids of its areas: what its page shows."""
    if node.level.key != GOAL_LEVEL_KEY:
        return [node.pk]
    return [node.pk, *node.children.values_list("pk", flat=True)]


def activities_of_nodes(node_ids: list[int]) -> QuerySet[Activity]:
    """Every activity linked to one of the nodes, once each, in time order."""
    linked = Activity.nodes.through.objects.filter(plannode_id__in=node_ids).values("activity_id")
    return Activity.objects.filter(pk__in=linked).order_by("start", "title", "pk")


def with_list_relations(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """What a row in a list of activities shows, in a fixed number of queries: its unit,
    the person responsible, its goals and areas (with their levels) and its principles."""
    return activities.select_related("owner_unit", "responsible").prefetch_related(
        Prefetch("nodes", queryset=PlanNode.objects.select_related("level")), "principles"
    )


def status_counts(activities: QuerySet[Activity]) -> list[tuple[ActivityStatus, int]]:
    """How many activities have each status, in the order of the statuses: one query."""
    rows = activities.order_by().values_list("status").annotate(n=Count("pk"))
    counts = Counter(dict(rows))
    return [(status, counts[status]) for status in ActivityStatus]


def organisation_people(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(organisation_id=organisation_id, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def organisation_measures(organisation_id: int) -> QuerySet[Measure]:
    return Measure.objects.filter(organisation_id=organisation_id).order_by("title", "pk")


def organisation_principles(organisation_id: int) -> QuerySet[Principle]:
    return Principle.objects.filter(organisation_id=organisation_id).order_by("order", "pk")


def organisation_units(organisation_id: int) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(organisation_id=organisation_id).order_by("path")


# History names the linked rows by their ids; these say who and what they are.
_LINKED_MODELS = {
    "participants": User,
    "nodes": PlanNode,
    "measures": Measure,
    "principles": Principle,
}


def activity_history(activity: Activity) -> list[HistoryEntry]:
    """The readable history, with linked people, goals, measures and principles by name.

    `history_for` shows a changed set of links as ids; this resolves them with one query
    per kind of link that changed (the history is at most 50 entries).
    """
    entries = history_for(activity)
    labels = {str(Activity._meta.get_field(name).verbose_name): name for name in _LINKED_MODELS}
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        for change in entry.changes:
            name = labels.get(str(change.label))
            if name:
                wanted.setdefault(name, set()).update(_ids(change.old) + _ids(change.new))
    names: dict[str, dict[int, str]] = {}
    for name, ids in wanted.items():
        model = _LINKED_MODELS[name]
        rows = model._default_manager.filter(pk__in=ids)
        if model is PlanNode:
            rows = rows.select_related("level")
        names[name] = {row.pk: str(row) for row in rows}
    for entry in entries:
        for change in entry.changes:
            name = labels.get(str(change.label))
            if name:
                change.old = _names(change.old, names[name])
                change.new = _names(change.new, names[name])
    return entries


def _ids(text: str) -> list[int]:
    return [int(part) for part in text.split(", ") if part.strip().isdigit()]


def _names(text: str, known: dict[int, str]) -> str:
    ids = _ids(text)
    if not ids:
        return text
    # A row removed since (say, a person who left) keeps its number, marked as such.
    return "; ".join(known.get(i, f"#{i}") for i in ids)
