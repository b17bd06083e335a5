"""Reads of the public portal, built on the allow-list in `public.py` and nothing else.

Every function here starts from a `public.*` queryset and narrows it; none reads a model
the allow-list does not hand out. Each returns what a page needs in a constant number of
queries, whatever the number of goals, measures, values or activities.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Prefetch, Q, QuerySet

from tillit.activities.models import Activity
from tillit.core.models import Organisation
from tillit.followup.models import Assessment
from tillit.measures.choices import Gender, MeasureKind, MeasureStatus, PeriodKind
from tillit.measures.models import Measure, MeasureTarget, MeasureValue
from tillit.planning.models import Commitment, PlanNode, Principle
from tillit.planning.selectors import PlanTree, current_document, plan_tree
from tillit.reports.models import Report

from . import public

GOAL_LEVEL_KEY = "goal"


def portal_organisation() -> Organisation | None:
    """The municipality whose portal this installation is: `settings.TILLIT_ORGANISATION`
    (else the first one). Never the visitor's own, so that every visitor gets the same
    answer, logged in or not, and the pages can be cached."""
    organisations = Organisation.objects.only(*public.public_fields(Organisation))
    return (
        organisations.filter(slug=settings.TILLIT_ORGANISATION).first()
        or organisations.order_by("pk").first()
    )


# ---------------------------------------------------------------------------------- the plan


def public_plan(organisation: Organisation) -> PlanTree | None:
    """The adopted steering document in force, as a tree (perspectives → focus areas →
    goals), with its statements (vision, mission). None before anything is adopted."""
    document = current_document(organisation, include_drafts=False)
    if document is None:
        return None
    return plan_tree(document)


def tree_goals(tree: PlanTree) -> list[PlanNode]:
    """The goals of a plan tree, in the tree's order."""
    goals: list[PlanNode] = []

    def walk(items) -> None:
        for item in items:
            if item.node.level.key == GOAL_LEVEL_KEY:
                goals.append(item.node)
            walk(item.children)

    walk(tree.roots)
    return goals


def goal_or_none(organisation: Organisation, pk: int) -> PlanNode | None:
    return (
        public.public_goals(organisation)
        .select_related("level", "document", "parent__level", "parent__parent__level")
        .prefetch_related("sdgs")
        .filter(pk=pk)
        .first()
    )


def goal_path(goal: PlanNode) -> list[PlanNode]:
    """The goal's ancestors (focus area, perspective: public, like the goal), root first.
    `goal_or_none` loads two levels up with the goal; a deeper plan costs a query a level."""
    path = []
    parent = goal.parent
    while parent is not None:
        path.append(parent)
        parent = parent.parent
    return list(reversed(path))


def goal_assessments(organisation: Organisation, goal: PlanNode) -> list[Assessment]:
    """The goal's public assessments, the latest period first."""
    return list(
        public.public_assessments(organisation)
        .filter(goal=goal)
        .select_related("period")
        .only(*public.public_fields(Assessment), "period__name", "period__end", "period__year")
        .order_by("-period__end", "-pk")
    )


# ------------------------------------------------------------------------------ the measures


@dataclass
class MeasureRow:
    """A public measure with what the goal page shows of it."""

    measure: Measure
    values: list[MeasureValue]  # its public values, oldest first
    targets: list[MeasureTarget]  # its targets in adopted plans, by year
    latest: MeasureValue | None = None  # the latest total value (or grade)
    target: MeasureTarget | None = None  # the target the status is judged against
    status: MeasureStatus = MeasureStatus.NO_TARGET

    @property
    def totals(self) -> list[MeasureValue]:
        return [v for v in self.values if v.gender == Gender.TOTAL]


_KIND_RANK = {PeriodKind.YEAR: 3, PeriodKind.TERTIAL: 2, PeriodKind.MONTH: 1}
_END_MONTH = {PeriodKind.YEAR: lambda p: 12, PeriodKind.TERTIAL: lambda p: 4 * p}


def recency(value: MeasureValue) -> tuple[int, int, int]:
    """Later periods first; within the same end, a year's value before a tertial's."""
    kind = PeriodKind(value.period_kind)
    end = _END_MONTH.get(kind, lambda p: p)(value.period)
    return (value.year, end, _KIND_RANK[kind])


def _has_value(value: MeasureValue, measure: Measure) -> bool:
    if measure.kind == MeasureKind.QUALITATIVE:
        return bool(value.grade)
    return value.value is not None


def current_target(targets: list[MeasureTarget], today: dt.date) -> MeasureTarget | None:
    """The target of this year's plan, else the latest earlier one, else the first later."""
    earlier = [t for t in targets if t.plan.year <= today.year]
    if earlier:
        return earlier[-1]
    return targets[0] if targets else None


def measure_rows(
    organisation: Organisation, measures: QuerySet[Measure], *, today: dt.date
) -> list[MeasureRow]:
    """Public measures with their values, targets and the status of the latest value.

    The status compares the latest total value with the target of the same year (the
    year's plan); a measure without a target that year has "no value yet" for the
    current target, or "no target". Three queries, whatever the numbers.
    """
    measures = list(measures.order_by("order", "title", "pk"))
    ids = [m.pk for m in measures]
    values: dict[int, list[MeasureValue]] = defaultdict(list)
    for value in (
        public.public_values(organisation)
        .filter(measure_id__in=ids)
        .order_by("year", "period_kind", "period", "gender", "pk")
    ):
        values[value.measure_id].append(value)
    targets: dict[int, list[MeasureTarget]] = defaultdict(list)
    for target in (
        public.public_targets(organisation)
        .filter(measure_id__in=ids)
        .select_related("plan")
        .order_by("plan__year")
    ):
        targets[target.measure_id].append(target)
    rows = []
    for measure in measures:
        row = MeasureRow(measure, values[measure.pk], targets[measure.pk])
        for target in row.targets:
            target.measure = measure
        valued = [v for v in row.totals if _has_value(v, measure)]
        row.latest = max(valued, key=recency) if valued else None
        by_year = {t.plan.year: t for t in row.targets}
        if row.latest is not None and row.latest.year in by_year:
            row.target = by_year[row.latest.year]
            row.status = row.target.status_of(row.latest.value, row.latest.grade)
        else:
            row.target = current_target(row.targets, today)
            row.status = MeasureStatus.NO_DATA if row.target else MeasureStatus.NO_TARGET
        rows.append(row)
    return rows


def goal_measures(organisation: Organisation, goal: PlanNode) -> QuerySet[Measure]:
    return public.public_measures(organisation).filter(node=goal)


def measure_or_none(organisation: Organisation, pk: int) -> Measure | None:
    return (
        public.public_measures(organisation)
        .select_related("node__level", "node__document")
        .filter(pk=pk)
        .first()
    )


# ---------------------------------------------------------------------------- the activities


def goal_activities(organisation: Organisation, goal: PlanNode) -> list[Activity]:
    """The public activities for the goal: linked to it or to an area beneath it."""
    ids = (
        public.public_activities(organisation)
        .filter(Q(nodes=goal) | Q(nodes__parent=goal))
        .values("pk")
    )
    return list(
        Activity.objects.filter(pk__in=ids)
        .select_related("owner_unit")
        .only(*_activity_fields())
        .order_by("-start", "title", "pk")
    )


def _activity_fields() -> list[str]:
    fields = [f for f in public.public_fields(Activity) if f not in ("nodes", "principles")]
    return [*fields, "owner_unit__name"]


def activity_or_none(organisation: Organisation, pk: int) -> Activity | None:
    return (
        Activity.objects.filter(pk__in=public.public_activities(organisation).values("pk"))
        .select_related("owner_unit")
        .only(*_activity_fields())
        .filter(pk=pk)
        .first()
    )


def activity_goals(organisation: Organisation, activity: Activity) -> list[PlanNode]:
    """The public plan elements an activity works toward: those it is linked to, and the
    goal above each (internal) area it is linked to."""
    return list(
        public.public_nodes(organisation)
        .filter(
            Q(activities=activity) | Q(level__key=GOAL_LEVEL_KEY, children__activities=activity)
        )
        .select_related("level")
        .distinct()
        .order_by("document__start_year", "order", "number", "pk")
    )


def activity_principles(organisation: Organisation, activity: Activity) -> list[Principle]:
    return list(public.public_principles(organisation).filter(activities=activity))


# ---------------------------------------------------------------------------- the principles


def principles_with_commitments(organisation: Organisation) -> list[Principle]:
    return list(
        public.public_principles(organisation)
        .only(*public.public_fields(Principle), "organisation_id")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.only("principle_id", "text", "order").order_by(
                    "order", "pk"
                ),
            )
        )
    )


# ------------------------------------------------------------------------------- the reports


def reports(organisation: Organisation) -> list[Report]:
    return list(
        public.public_reports(organisation).select_related("approval__body", "presentation__body")
    )


def report_or_none(organisation: Organisation, pk: int) -> Report | None:
    return (
        public.public_reports(organisation)
        .select_related("organisation", "approval__body", "presentation__body")
        .filter(pk=pk)
        .first()
    )


# People named in a frozen report's content: the public reading leaves them out.
PERSON_KEYS = ("approved_by", "owner")


def without_people(content):
    """The report's content with every person's name emptied (who approved an
    assessment, who wrote a section). A body's or a unit's name stays."""
    if isinstance(content, dict):
        return {
            key: ("" if key in PERSON_KEYS and isinstance(value, str) else without_people(value))
            for key, value in content.items()
        }
    if isinstance(content, list):
        return [without_people(item) for item in content]
    return content


# ------------------------------------------------------------------------------ the calendar


def meeting_goals(organisation: Organisation, uids: list[str]) -> dict[str, list[PlanNode]]:
    """For the calendar's meeting entries ("meeting-<pk>"), the public goals they hold
    dialogue on (one query): a meeting may name a goal the public does not see."""
    meeting_ids = [int(uid.split("-", 1)[1]) for uid in uids if uid.startswith("meeting-")]
    if not meeting_ids:
        return {}
    goals: dict[str, list[PlanNode]] = defaultdict(list)
    for goal in (
        public.public_goals(organisation)
        .filter(dialogue_meetings__in=meeting_ids)
        .select_related("level")
        .annotate(meeting_id=F("dialogue_meetings"))
        .order_by("order", "number", "pk")
    ):
        goals[f"meeting-{goal.meeting_id}"].append(goal)
    return dict(goals)
