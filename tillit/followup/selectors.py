"""Reads shared by the follow-up pages, the permissions and the snapshot at closing.

Every function here runs a fixed number of queries whatever the number of goals,
measures and assessments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from tillit.core.choices import Fulfilment, UnitKind, UnitRoleKind
from tillit.core.models import Organisation, OrgUnit, UnitRole
from tillit.core.rules import has_unit
from tillit.core.selectors import unit_order, units_for
from tillit.measures.choices import MeasureStatus
from tillit.measures.models import Measure
from tillit.measures.selectors import MeasureRow, measure_rows
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import OperationalPlan, PlanNode, SteeringDocument

from .choices import AssessmentState, PeriodStatus
from .models import ASSESSED_UNIT_KINDS, GOAL_LEVEL_KEY, Assessment, FollowUpPeriod

# ------------------------------------------------------------------------ goals of a period


def operational_plan_of(period: FollowUpPeriod) -> OperationalPlan | None:
    """The operational plan (verksamhetsplan) of the period's year, adopted or not."""
    cached = getattr(period, "_followup_plan", False)
    if cached is False:
        cached = (
            OperationalPlan.objects.filter(organisation_id=period.organisation_id, year=period.year)
            .select_related("decision__body")
            .first()
        )
        period._followup_plan = cached
    return cached


def _goals_queryset():
    return (
        PlanNode.objects.filter(level__key=GOAL_LEVEL_KEY)
        .select_related("level", "parent__level", "parent__parent__level")
        .order_by("parent__parent__order", "parent__order", "order", "number", "pk")
    )


def period_goals(period: FollowUpPeriod) -> list[PlanNode]:
    """The goals followed up in the period.

    Those the year's operational plan prioritises; without such a plan, every goal of the
    steering document that covers the year (the adopted one before a draft).
    """
    cached = getattr(period, "_followup_goals", None)
    if cached is not None:
        return cached
    plan = operational_plan_of(period)
    goals = list(_goals_queryset().filter(operational_plans=plan)) if plan else []
    if not goals:
        documents = list(
            SteeringDocument.objects.filter(
                organisation_id=period.organisation_id,
                start_year__lte=period.year,
                end_year__gte=period.year,
            ).order_by("-start_year")
        )
        adopted = [d for d in documents if d.status == DocumentStatus.ADOPTED]
        document = (adopted or documents or [None])[0]
        goals = list(_goals_queryset().filter(document=document)) if document else []
    period._followup_goals = goals
    return goals


# ------------------------------------------------------------------ measures and suggestion


@dataclass
class Suggestion:
    """The status the measures suggest for a goal; a person decides."""

    status: Fulfilment
    rows: list[MeasureRow]

    @property
    def counted(self) -> int:
        return sum(1 for row in self.rows if row.status in _JUDGED)


_JUDGED = (MeasureStatus.MET, MeasureStatus.NEAR, MeasureStatus.NOT_MET)


def fulfilment_from(rows: Iterable[MeasureRow]) -> Fulfilment:
    """All measures with a value this year met → fulfilled; none met nor close → not
    fulfilled; anything between (some met, or close to target) → partly; no values → not
    assessed. Measures without a target or without a value this year do not count."""
    statuses = [row.status for row in rows if row.status in _JUDGED]
    if not statuses:
        return Fulfilment.NOT_ASSESSED
    if all(s == MeasureStatus.MET for s in statuses):
        return Fulfilment.MET
    if all(s == MeasureStatus.NOT_MET for s in statuses):
        return Fulfilment.NOT_MET
    return Fulfilment.PARTLY


def goal_measure_rows(goals: list[PlanNode], period: FollowUpPeriod) -> dict[int, list[MeasureRow]]:
    """Per goal: the rows of its measures and its areas' measures that have a target in
    the operational plan of the period's year. Three queries for any number of goals."""
    result: dict[int, list[MeasureRow]] = {goal.pk: [] for goal in goals}
    plan = operational_plan_of(period)
    if plan is None or not goals:
        return result
    measures = list(
        Measure.objects.filter(Q(node__in=goals) | Q(node__parent__in=goals), targets__plan=plan)
        .select_related("node__owner_unit", "responsible_unit")
        .order_by("order", "title", "pk")
        .distinct()
    )
    rows = measure_rows(plan, measures)
    for measure in measures:
        goal_id = measure.node_id if measure.node_id in result else measure.node.parent_id
        result[goal_id].append(rows[measure.pk])
    return result


def _belongs_to(row: MeasureRow, unit: OrgUnit) -> bool:
    measure = row.measure
    for owner in (measure.responsible_unit, measure.node.owner_unit):
        if owner is not None and owner.path.startswith(unit.path):
            return True
    return False


def suggestions_for(goals: list[PlanNode], period: FollowUpPeriod) -> dict[int, Suggestion]:
    return {
        goal_id: Suggestion(fulfilment_from(rows), rows)
        for goal_id, rows in goal_measure_rows(goals, period).items()
    }


def suggestion(goal: PlanNode, period: FollowUpPeriod, unit: OrgUnit | None = None) -> Suggestion:
    """For a unit: only the measures it (or a unit under it) is responsible for, or that
    follow up one of its areas."""
    rows = goal_measure_rows([goal], period)[goal.pk]
    if unit is not None:
        rows = [row for row in rows if _belongs_to(row, unit)]
    return Suggestion(fulfilment_from(rows), rows)


def suggest_status(goal: PlanNode, period: FollowUpPeriod) -> Fulfilment:
    """What the goal's measures suggest for the period: a suggestion, a person decides."""
    return suggestion(goal, period).status


# --------------------------------------------------------------------- responsible units


def _assessing_unit(unit: OrgUnit | None, by_id: dict[int, OrgUnit]) -> OrgUnit | None:
    """The unit that assesses for `unit`: a work team's enhet (or verksamhet); nothing for
    the administration as a whole (that is the goal level)."""
    while unit is not None and unit.kind not in ASSESSED_UNIT_KINDS:
        if unit.kind == UnitKind.ADMINISTRATION:
            return None
        unit = by_id.get(unit.parent_id)
    return unit


def responsible_units(goals: list[PlanNode], period: FollowUpPeriod) -> dict[int, list[OrgUnit]]:
    """Per goal: the units expected to assess it in the period.

    The owners of the goal's areas of the period's year and the units responsible for its
    (and its areas') measures with a target that year, each lifted to the enhet or
    verksamhet that assesses for it. Three queries for any number of goals.
    """
    result: dict[int, dict[int, OrgUnit]] = {goal.pk: {} for goal in goals}
    if not goals:
        return {}
    units = {u.pk: u for u in OrgUnit.objects.filter(organisation_id=period.organisation_id)}
    areas = PlanNode.objects.filter(parent__in=goals, owner_unit__isnull=False).filter(
        Q(year=period.year) | Q(year__isnull=True)
    )
    pairs = [(area.parent_id, area.owner_unit_id) for area in areas.only("parent", "owner_unit")]
    measures = (
        Measure.objects.filter(
            Q(node__in=goals) | Q(node__parent__in=goals),
            responsible_unit__isnull=False,
            targets__plan__organisation_id=period.organisation_id,
            targets__plan__year=period.year,
        )
        .select_related("node")
        .only("node__parent_id", "node_id", "responsible_unit_id")
        .distinct()
    )
    for measure in measures:
        goal_id = measure.node_id if measure.node_id in result else measure.node.parent_id
        pairs.append((goal_id, measure.responsible_unit_id))
    for goal_id, unit_id in pairs:
        unit = _assessing_unit(units.get(unit_id), units)
        if unit is not None:
            result[goal_id][unit.pk] = unit
    return {
        goal_id: sorted(found.values(), key=lambda u: u.path) for goal_id, found in result.items()
    }


def responsible_units_of(goal: PlanNode, period: FollowUpPeriod) -> list[OrgUnit]:
    """`responsible_units` for one goal, cached on the goal object for the request."""
    cache = goal.__dict__.setdefault("_followup_responsible", {})
    if period.pk not in cache:
        cache[period.pk] = responsible_units([goal], period).get(goal.pk, [])
    return cache[period.pk]


def assessable_unit_ids(goal: PlanNode, period: FollowUpPeriod) -> set[int]:
    """The units that may have an assessment of the goal in the period: the responsible
    units and the units above them, among them the verksamhet that rolls them up (only
    operations and units pass the model's check)."""
    ids: set[int] = set()
    for unit in responsible_units_of(goal, period):
        ids.update(int(p) for p in unit.path.strip("/").split("/") if p)
    return ids


# --------------------------------------------------------------------------- the roll-up


@dataclass
class RollupEntry:
    unit: OrgUnit
    assessment: Assessment | None  # None: expected, not written yet
    expected: bool = True


@dataclass
class OperationGroup:
    """A verksamhet: its own (roll-up) assessment and those of its enheter."""

    operation: OrgUnit
    own: Assessment | None = None
    own_expected: bool = False  # the verksamhet itself is responsible for an area or measure
    entries: list[RollupEntry] = field(default_factory=list)

    @property
    def assessments(self) -> list[Assessment]:
        return [e.assessment for e in self.entries if e.assessment is not None]


@dataclass
class Rollup:
    """A goal in a period: enhet → verksamhet → goal."""

    goal_level: Assessment | None
    operations: list[OperationGroup]

    @property
    def unit_assessments(self) -> list[Assessment]:
        result = []
        for group in self.operations:
            if group.own is not None:
                result.append(group.own)
            result.extend(group.assessments)
        return result


def rollup(goal: PlanNode, period: FollowUpPeriod) -> Rollup:
    """The goal-level assessment and the unit assessments grouped under their verksamhet,
    with the responsible units that have not written theirs yet."""
    assessments = list(
        Assessment.objects.filter(goal=goal, period=period).select_related(
            "unit", "written_by", "submitted_by", "approved_by"
        )
    )
    operations = {
        u.path: u
        for u in OrgUnit.objects.filter(
            organisation_id=period.organisation_id, kind=UnitKind.OPERATION
        )
    }
    groups: dict[int, OperationGroup] = {}

    def group_of(unit: OrgUnit) -> OperationGroup:
        operation = next(
            (op for path, op in operations.items() if unit.path.startswith(path)), unit
        )
        if operation.pk not in groups:
            groups[operation.pk] = OperationGroup(operation)
        return groups[operation.pk]

    goal_level = None
    written: set[int] = set()
    for assessment in assessments:
        assessment.goal, assessment.period = goal, period  # for the rules, without queries
        if assessment.unit_id is None:
            goal_level = assessment
            continue
        written.add(assessment.unit_id)
        group = group_of(assessment.unit)
        if assessment.unit_id == group.operation.pk:
            group.own = assessment
        else:
            group.entries.append(RollupEntry(assessment.unit, assessment))
    expected = responsible_units_of(goal, period)
    expected_ids = {u.pk for u in expected}
    for unit in expected:
        group = group_of(unit)
        if unit.pk == group.operation.pk:
            group.own_expected = True
        elif unit.pk not in written:
            group.entries.append(RollupEntry(unit, None))
    for group in groups.values():
        for entry in group.entries:
            entry.expected = entry.unit.pk in expected_ids
        group.entries.sort(key=lambda e: unit_order(e.unit))
    return Rollup(
        goal_level=goal_level,
        operations=sorted(groups.values(), key=lambda g: unit_order(g.operation)),
    )


# ------------------------------------------------------------------- the period overview


@dataclass
class GoalLine:
    goal: PlanNode
    assessment: Assessment | None  # the goal-level one
    suggestion: Suggestion
    unit_counts: dict[str, int]  # state → number of unit assessments

    @property
    def units_total(self) -> int:
        return sum(self.unit_counts.values())

    @property
    def units_approved(self) -> int:
        return self.unit_counts.get(AssessmentState.APPROVED, 0)


def period_overview(period: FollowUpPeriod) -> list[GoalLine]:
    """Every goal of an open period with its goal-level assessment, its suggestion and
    how far its unit assessments have come. A fixed number of queries."""
    goals = period_goals(period)
    goal_level = {
        a.goal_id: a
        for a in Assessment.objects.filter(period=period, unit__isnull=True).select_related(
            "approved_by"
        )
    }
    counts: dict[int, dict[str, int]] = {}
    for goal_id, state in Assessment.objects.filter(period=period, unit__isnull=False).values_list(
        "goal_id", "state"
    ):
        counts.setdefault(goal_id, {}).setdefault(state, 0)
        counts[goal_id][state] += 1
    suggestions = suggestions_for(goals, period)
    return [
        GoalLine(goal, goal_level.get(goal.pk), suggestions[goal.pk], counts.get(goal.pk, {}))
        for goal in goals
    ]


# ------------------------------------------------------------------------- the snapshot


def _person(user) -> str:
    return str(user) if user is not None else ""


def _when(moment) -> str:
    return moment.isoformat() if moment is not None else ""


def _decimal(value) -> str | None:
    return None if value is None else str(value)


def _assessment_data(assessment: Assessment) -> dict:
    return {
        "status": assessment.status,
        "analysis": assessment.analysis,
        "next_steps": assessment.next_steps,
        "written_by": _person(assessment.written_by),
        "written_at": _when(assessment.written_at),
        "submitted_by": _person(assessment.submitted_by),
        "submitted_at": _when(assessment.submitted_at),
        "approved_by": _person(assessment.approved_by),
        "approved_at": _when(assessment.approved_at),
    }


def _measure_data(row: MeasureRow) -> dict:
    measure, target, latest = row.measure, row.target, row.latest
    return {
        "id": measure.pk,
        "title": measure.title,
        "node": measure.node.title,
        "unit": measure.unit,
        "decimals": measure.decimals,
        "responsible_unit": measure.responsible_unit.name if measure.responsible_unit else "",
        "target": _decimal(target.target) if target else None,
        "target_grade": target.target_grade if target else "",
        "latest_value": _decimal(latest.value) if latest else None,
        "latest_grade": latest.grade if latest else "",
        "period_label": latest.period_label if latest else "",
        "status": row.status.value,
    }


def snapshot_data(period: FollowUpPeriod, *, closed_at, closed_by) -> dict:
    """The period's report as it stands: for every goal the approved goal-level assessment,
    the approved unit assessments under their verksamhet, the suggestion and every measure
    row. Plain JSON types only (decimals as text), so it freezes exactly."""
    goals = period_goals(period)
    approved = list(
        Assessment.objects.filter(period=period, state=AssessmentState.APPROVED)
        .select_related("unit", "written_by", "submitted_by", "approved_by")
        .order_by("unit__path")
    )
    operations = {
        u.path: u
        for u in OrgUnit.objects.filter(
            organisation_id=period.organisation_id, kind=UnitKind.OPERATION
        )
    }
    rows = goal_measure_rows(goals, period)
    plan = operational_plan_of(period)
    by_goal: dict[int, dict] = {}
    for goal in goals:
        by_goal[goal.pk] = {
            "id": goal.pk,
            "label": goal.label,
            "title": goal.title,
            "number": goal.number,
            "context": " · ".join(
                n.label for n in (goal.parent.parent if goal.parent else None, goal.parent) if n
            ),
            "assessment": None,
            "units": [],
            "suggestion": fulfilment_from(rows[goal.pk]).value,
            "measures": [_measure_data(row) for row in rows[goal.pk]],
        }
    for assessment in approved:
        entry = by_goal.get(assessment.goal_id)
        if entry is None:
            continue
        if assessment.unit is None:
            entry["assessment"] = _assessment_data(assessment)
        else:
            operation = next(
                (op for path, op in operations.items() if assessment.unit.path.startswith(path)),
                None,
            )
            entry["units"].append(
                {
                    "unit": assessment.unit.name,
                    "unit_id": assessment.unit_id,
                    "operation": operation.name if operation else "",
                    **_assessment_data(assessment),
                }
            )
    return {
        "format": 1,
        "period": {
            "id": period.pk,
            "name": period.name,
            "year": period.year,
            "kind": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "deadline": period.deadline.isoformat(),
        },
        "closed_at": _when(closed_at),
        "closed_by": _person(closed_by),
        "operational_plan": {
            "id": plan.pk,
            "title": plan.title,
            "status": plan.status,
            "decision": plan.decision.reference if plan.decision else "",
        }
        if plan
        else None,
        "goals": [by_goal[goal.pk] for goal in goals],
    }


# ---------------------------------------------------------------- "needs my attention"


def managed_operation_paths(user) -> tuple[str, ...]:
    """Paths of the verksamheter the person is manager (chef) of (cached per user object)."""
    if not user.is_authenticated:
        return ()
    cached = getattr(user, "_followup_managed_paths", None)
    if cached is None:
        cached = tuple(
            UnitRole.objects.filter(
                person=user, role=UnitRoleKind.MANAGER, unit__kind=UnitKind.OPERATION
            ).values_list("unit__path", flat=True)
        )
        user._followup_managed_paths = cached
    return cached


def manages_an_assessed_operation(user, goal: PlanNode, period: FollowUpPeriod) -> bool:
    """The person manages a verksamhet that has unit assessments of the goal in the period."""
    paths = managed_operation_paths(user)
    if not paths:
        return False
    cache = goal.__dict__.setdefault("_followup_managed", {})
    key = (period.pk, user.pk)
    if key not in cache:
        beneath = Q()
        for path in paths:
            beneath |= Q(unit__path__startswith=path)
        cache[key] = Assessment.objects.filter(beneath, goal=goal, period=period).exists()
    return cache[key]


@dataclass
class AttentionItem:
    period: FollowUpPeriod
    goal: PlanNode
    unit: OrgUnit | None  # None: the goal-level assessment
    assessment: Assessment | None  # None: not written yet

    @property
    def edit_url(self) -> str:
        if self.unit is None:
            return reverse("followup:assessment_goal", args=[self.period.pk, self.goal.pk])
        return reverse(
            "followup:assessment_unit", args=[self.period.pk, self.goal.pk, self.unit.pk]
        )


def assessments_to_write(user, organisation: Organisation) -> list[AttentionItem]:
    """In every open period, by deadline: the assessments the person writes that are not
    written yet or still a draft (or returned). A fixed number of queries per period."""
    if not user.is_authenticated or user.organisation_id != organisation.pk:
        return []
    managed = managed_operation_paths(user)
    items: list[AttentionItem] = []
    periods = FollowUpPeriod.objects.filter(
        organisation=organisation, status=PeriodStatus.OPEN
    ).order_by("deadline", "name")
    for period in periods:
        goals = period_goals(period)
        expected = responsible_units(goals, period)
        existing: dict[tuple[int, int | None], Assessment] = {
            (a.goal_id, a.unit_id): a
            for a in Assessment.objects.filter(period=period).select_related("unit")
        }
        for goal in goals:
            units = {u.pk: u for u in expected.get(goal.pk, []) if has_unit(user, u)}
            assessed = [a for (g, u), a in existing.items() if g == goal.pk and u is not None]
            for assessment in assessed:
                if has_unit(user, assessment.unit):
                    units.setdefault(assessment.unit_id, assessment.unit)
            for unit in sorted(units.values(), key=lambda u: u.path):
                assessment = existing.get((goal.pk, unit.pk))
                if assessment is None or assessment.is_editable:
                    items.append(AttentionItem(period, goal, unit, assessment))
            writes_goal_level = user.is_plan_administrator or any(
                a.unit.path.startswith(path) for a in assessed for path in managed
            )
            assessment = existing.get((goal.pk, None))
            if writes_goal_level and (assessment is None or assessment.is_editable):
                items.append(AttentionItem(period, goal, None, assessment))
    return items


def measures_without_values(user, organisation: Organisation, *, year: int) -> list[Measure]:
    """The measures of the person's units that have no value at all for the year."""
    if not user.is_authenticated or user.organisation_id != organisation.pk:
        return []
    units = units_for(user, organisation_id=organisation.pk)
    return list(
        Measure.objects.filter(organisation=organisation, responsible_unit__in=units)
        .exclude(values__year=year)
        .select_related("node__level", "responsible_unit")
        .order_by("responsible_unit__path", "order", "title")
    )


def latest_goal_assessments(
    goals: list[PlanNode], *, year: int, public: bool
) -> dict[int, Assessment]:
    """Each goal's latest approved goal-level assessment of the year (one query).

    The public sees only what closed periods reported; staff also the approved
    assessments of periods still open.
    """
    assessments = Assessment.objects.filter(
        goal__in=goals, unit__isnull=True, state=AssessmentState.APPROVED, period__year=year
    ).select_related("period")
    if public:
        assessments = assessments.filter(period__status=PeriodStatus.CLOSED)
    latest: dict[int, Assessment] = {}
    for assessment in assessments.order_by("period__end", "pk"):
        latest[assessment.goal_id] = assessment
    return latest
