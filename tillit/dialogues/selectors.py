"""Reads shared by the dialogue pages, the yearly calendar and (later) the reports.

Every function here runs a fixed number of queries, whatever the number of goals,
committees, meetings and records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tillit.activities.choices import ActivityStatus
from tillit.activities.models import Activity
from tillit.activities.selectors import activities_for_goals
from tillit.core.choices import POLITICAL_BODY_KINDS, BodyKind, Fulfilment, UnitRoleKind
from tillit.core.history import history_for
from tillit.core.models import Body, Membership, Organisation, UnitRole, User
from tillit.core.selectors import swedish_sort_key
from tillit.followup.choices import AssessmentState, PeriodStatus
from tillit.followup.models import Assessment
from tillit.measures.choices import MeasureStatus
from tillit.measures.models import Measure
from tillit.measures.selectors import MeasureRow, current_operational_plan, measure_rows
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import Level, OperationalPlan, PlanNode, SteeringDocument

from . import clock
from .choices import (
    DIALOGUE_BODY_KINDS,
    ELECTED_ROLES,
    CoverageStatus,
    ParticipantKind,
    RecordState,
)
from .models import GOAL_LEVEL_KEY, DialogueRecord, DialogueRemit, Meeting

MATERIAL_FORMAT = 1
DEFAULT_PLAN_WEEKS = 10


def plan_weeks() -> int:
    """Weeks before the year's end from which a goal without a dialogue says "plan now"."""
    return int(getattr(settings, "TILLIT_DIALOGUE_PLAN_WEEKS", DEFAULT_PLAN_WEEKS))


# ----------------------------------------------------------------------------- goals


def _goals_queryset() -> QuerySet[PlanNode]:
    return (
        PlanNode.objects.filter(level__key=GOAL_LEVEL_KEY)
        .select_related("level", "parent__level", "parent__parent__level")
        .order_by("parent__parent__order", "parent__order", "order", "number", "pk")
    )


def year_goals(organisation: Organisation, year: int) -> list[PlanNode]:
    """The goals a year's dialogues are about, in the plan's order.

    Those the year's operational plan prioritises (adopted or not); without such a plan,
    every goal of the steering document that covers the year (the adopted one before a
    draft). The same rule as the follow-up's periods.
    """
    plan = OperationalPlan.objects.filter(organisation=organisation, year=year).first()
    goals = list(_goals_queryset().filter(operational_plans=plan)) if plan else []
    if not goals:
        document = document_for_year(organisation, year)
        goals = list(_goals_queryset().filter(document=document)) if document else []
    return goals


def goal_context(goal: PlanNode) -> str:
    """ "Välfärdsutveckling · Värdeskapande och välkomnande": the goal's ancestors."""
    ancestors = []
    node = goal.parent
    while node is not None and len(ancestors) < 2:  # loaded with the goal, no query
        ancestors.append(node.label)
        node = node.parent if "parent" in node._state.fields_cache else None
    return " · ".join(reversed(ancestors))


def dialogue_bodies(organisation: Organisation) -> list[Body]:
    """The bodies that hold dialogues: the committees, in their order."""
    return list(Body.objects.filter(organisation=organisation, kind__in=DIALOGUE_BODY_KINDS))


def committees_for(goals: list[PlanNode]) -> dict[int, list[Body]]:
    """Per goal: the committees whose remit covers it (on the goal, or on a perspective or
    focus area above it). Two queries for any number of goals."""
    result: dict[int, list[Body]] = {goal.pk: [] for goal in goals}
    if not goals:
        return result
    parents = dict(
        PlanNode.objects.filter(document_id__in={g.document_id for g in goals}).values_list(
            "pk", "parent_id"
        )
    )
    by_node: dict[int, list[Body]] = {}
    remits = DialogueRemit.objects.filter(node_id__in=parents).select_related("body")
    for remit in remits.order_by("body__order", "body__name"):
        by_node.setdefault(remit.node_id, []).append(remit.body)
    for goal in goals:
        found: dict[int, Body] = {}
        node_id, seen = goal.pk, set()
        while node_id is not None and node_id not in seen:
            seen.add(node_id)
            for body in by_node.get(node_id, ()):
                found.setdefault(body.pk, body)
            node_id = parents.get(node_id)
        result[goal.pk] = sorted(found.values(), key=lambda b: (b.order, b.name))
    return result


# -------------------------------------------------------------------------- meetings


def meetings_of_year(
    organisation: Organisation,
    year: int,
    *,
    body: Body | None = None,
    include_private: bool = True,
) -> list[Meeting]:
    """The year's meetings (Europe/Stockholm dates) with their committee, goals and record
    state: three queries. The record's material is left out: lists do not need it."""
    meetings = (
        Meeting.objects.filter(organisation=organisation, starts_at__year=year)
        .select_related("body", "record")
        .defer("record__material", "record__participants_at_approval")
        .prefetch_related(
            Prefetch("goals", queryset=_goals_queryset().order_by()),
        )
        .order_by("starts_at", "pk")
    )
    if body is not None:
        meetings = meetings.filter(body=body)
    if not include_private:
        meetings = meetings.filter(is_public=True)
    return list(meetings)


def record_of(meeting: Meeting) -> DialogueRecord | None:
    """The meeting's record, if it has one (no query once selected with the meeting)."""
    try:
        return meeting.record
    except DialogueRecord.DoesNotExist:
        return None


def has_approved_record(meeting: Meeting) -> bool:
    record = record_of(meeting)
    return record is not None and record.state == RecordState.APPROVED


# -------------------------------------------------------------------------- coverage


@dataclass
class GoalCoverage:
    """One goal in one year: its committees, its meetings and where its dialogue stands."""

    goal: PlanNode
    committees: list[Body]
    meetings: list[Meeting]  # the year's meetings on the goal, by date
    status: CoverageStatus
    held: list[Meeting] = field(default_factory=list)
    planned: list[Meeting] = field(default_factory=list)
    approved: list[Meeting] = field(default_factory=list)  # held, with an approved record

    @property
    def context(self) -> str:
        return goal_context(self.goal)


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def coverage_status(
    goal_meetings: list[Meeting],
    committee_meetings_left: bool,
    *,
    year: int,
    now: datetime,
    weeks: int,
) -> CoverageStatus:
    """The rule, in order:

    1. a meeting on the goal that has been held and whose record is approved: *Genomförd*;
    2. a meeting on the goal that has been held, its record not approved yet: *Hållen,
       protokollet inte godkänt*;
    3. a meeting on the goal still to come: *Planerad*;
    4. none, and the year is over: *Hölls inte*;
    5. none, and fewer than `weeks` weeks remain of the year, or none of the goal's
       committees has a meeting left this year (nor has it any committee): *Saknas –
       planera nu*;
    6. otherwise: *Saknas*.
    """
    held = [m for m in goal_meetings if m.starts_at <= now]
    if any(has_approved_record(m) for m in held):
        return CoverageStatus.DONE
    if held:
        return CoverageStatus.RECORD_PENDING
    if goal_meetings:
        return CoverageStatus.PLANNED
    today = timezone.localdate(now)
    if today > _year_end(year):
        return CoverageStatus.NOT_HELD
    little_time_left = today.year == year and _year_end(year) - today < timedelta(weeks=weeks)
    if little_time_left or not committee_meetings_left:
        return CoverageStatus.PLAN_NOW
    return CoverageStatus.MISSING


def coverage(
    organisation: Organisation,
    year: int,
    *,
    now: datetime | None = None,
    include_private: bool = True,
    weeks: int | None = None,
) -> list[GoalCoverage]:
    """Every goal of the year with its responsible committees, its meetings that year (held
    and planned), whether a record is approved, and its status (see `coverage_status`).

    `include_private=False` counts only public meetings, as the public sees them. A fixed
    number of queries (year_goals: up to three; committees: two; meetings: three).
    """
    now = now or clock.now()
    weeks = plan_weeks() if weeks is None else weeks
    goals = year_goals(organisation, year)
    committees = committees_for(goals)
    meetings = meetings_of_year(organisation, year, include_private=include_private)
    by_goal: dict[int, list[Meeting]] = {goal.pk: [] for goal in goals}
    bodies_with_meetings_left: set[int] = set()
    for meeting in meetings:
        if meeting.starts_at > now:
            bodies_with_meetings_left.add(meeting.body_id)
        for goal in meeting.goals.all():
            if goal.pk in by_goal:
                by_goal[goal.pk].append(meeting)
    result = []
    for goal in goals:
        goal_meetings = by_goal[goal.pk]
        left = any(body.pk in bodies_with_meetings_left for body in committees[goal.pk])
        held = [m for m in goal_meetings if m.starts_at <= now]
        result.append(
            GoalCoverage(
                goal=goal,
                committees=committees[goal.pk],
                meetings=goal_meetings,
                status=coverage_status(goal_meetings, left, year=year, now=now, weeks=weeks),
                held=held,
                planned=[m for m in goal_meetings if m.starts_at > now],
                approved=[m for m in held if has_approved_record(m)],
            )
        )
    return result


def status_counts(lines: Iterable[GoalCoverage]) -> list[tuple[CoverageStatus, int]]:
    """How many goals have each status, in the statuses' order (those with none left out)."""
    counts = {status: 0 for status in CoverageStatus}
    for line in lines:
        counts[line.status] += 1
    return [(status, n) for status, n in counts.items() if n]


# --------------------------------------------------------------- records for the reports


def approved_records(
    organisation: Organisation, year: int, *, public_only: bool = False
) -> list[DialogueRecord]:
    """The year's approved records, by meeting date, with meeting, committee and goals.

    What the interim and annual reports read. `public_only` leaves out those of
    non-public meetings. Three queries.
    """
    records = (
        DialogueRecord.objects.filter(
            meeting__organisation=organisation,
            meeting__starts_at__year=year,
            state=RecordState.APPROVED,
        )
        .select_related("meeting__body", "approved_by")
        .prefetch_related(Prefetch("meeting__goals", queryset=_goals_queryset().order_by()))
        .order_by("meeting__starts_at", "pk")
    )
    if public_only:
        records = records.filter(meeting__is_public=True)
    return list(records)


def approved_records_by_goal(
    organisation: Organisation, year: int, *, public_only: bool = False
) -> dict[int, list[DialogueRecord]]:
    """Goal id → the year's approved records of dialogues on it, by meeting date."""
    result: dict[int, list[DialogueRecord]] = {}
    for record in approved_records(organisation, year, public_only=public_only):
        for goal in record.meeting.goals.all():
            result.setdefault(goal.pk, []).append(record)
    return result


# ------------------------------------------------------------------------ who is who


@dataclass
class Participant:
    """A person at a dialogue: elected (a member of a political body) or an official."""

    name: str
    kind: ParticipantKind
    role: str  # "Ordförande, VU (C)", or "Utvecklingsstrateg, Kommunledningskontoret"
    person: User | None = None

    def as_data(self) -> dict:
        return {"name": self.name, "kind": self.kind.value, "role": self.role}


def participants_of(people: Iterable[User], *, body: Body | None = None) -> list[Participant]:
    """Who is who, elected first, then officials, each by name. An elected representative's
    role in `body` (the meeting's committee) is named first. Two queries."""
    people = list(people)
    ids = [p.pk for p in people]
    elected: dict[int, list[Membership]] = {}
    memberships = (
        Membership.objects.filter(
            person_id__in=ids, body__kind__in=POLITICAL_BODY_KINDS, role__in=ELECTED_ROLES
        )
        .select_related("body")
        .order_by("body__order", "body__name")
    )
    for membership in memberships:
        elected.setdefault(membership.person_id, []).append(membership)
    units: dict[int, list[str]] = {}
    for person_id, unit in UnitRole.objects.filter(person_id__in=ids).values_list(
        "person_id", "unit__name"
    ):
        units.setdefault(person_id, []).append(unit)
    result = []
    for person in people:
        if person.pk in elected:
            found = sorted(elected[person.pk], key=lambda m: body is None or m.body_id != body.pk)
            roles = "; ".join(
                _("%(role)s, %(body)s")
                % {"role": m.get_role_display(), "body": m.body.abbreviation}
                for m in found
            )
            party = next((m.party for m in found if m.party), "")
            role = f"{roles} ({party})" if party else roles
            kind = ParticipantKind.ELECTED
        else:
            parts = [person.job_title] if person.job_title else []
            parts += sorted(units.get(person.pk, []), key=swedish_sort_key)
            role = ", ".join(parts)
            kind = ParticipantKind.OFFICIAL
        result.append(Participant(str(person), kind, role, person))
    result.sort(key=lambda p: (p.kind != ParticipantKind.ELECTED, swedish_sort_key(p.name)))
    return result


def frozen_participants(data: list[dict] | None) -> list[Participant]:
    """The participants as an approved record froze them."""
    return [
        Participant(item["name"], ParticipantKind(item["kind"]), item["role"])
        for item in data or []
    ]


def participant_choices(organisation: Organisation, *, keep: Iterable[int] = ()) -> list[User]:
    """The people a record's participants are chosen from: the elected representatives,
    and the officials who typically present (managers, plan administrators, members of a
    management group), plus whoever is on the record already (`keep`). One query."""
    keep = list(keep)
    return list(
        User.objects.filter(organisation=organisation, is_active=True)
        .filter(
            Q(memberships__body__kind__in=POLITICAL_BODY_KINDS, memberships__role__in=ELECTED_ROLES)
            | Q(unit_roles__role=UnitRoleKind.MANAGER)
            | Q(is_plan_administrator=True)
            | Q(memberships__body__kind=BodyKind.MANAGEMENT_GROUP)
            | Q(pk__in=keep)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# ---------------------------------------------------------------- the frozen material


def _person(user: User | None) -> str:
    return str(user) if user is not None else ""


def _when(moment) -> str:
    return moment.isoformat() if moment is not None else ""


def _decimal(value) -> str | None:
    return None if value is None else str(value)


def latest_assessments_as_of(goals: list[PlanNode], as_of: date) -> dict[int, Assessment]:
    """Per goal: its latest approved goal-level assessment of a follow-up period that had
    ended by `as_of` (the meeting's date), whatever the year. One query."""
    latest: dict[int, Assessment] = {}
    assessments = (
        Assessment.objects.filter(
            goal__in=goals,
            unit__isnull=True,
            state=AssessmentState.APPROVED,
            period__end__lte=as_of,
        )
        .select_related("period", "approved_by")
        .order_by("period__end", "approved_at", "pk")
    )
    for assessment in assessments:
        latest[assessment.goal_id] = assessment
    return latest


def measure_rows_by_goal(
    goals: list[PlanNode], plan: OperationalPlan | None
) -> dict[int, list[MeasureRow]]:
    """Per goal: the rows of its and its areas' measures with a target in the plan.
    Three queries for any number of goals."""
    result: dict[int, list[MeasureRow]] = {goal.pk: [] for goal in goals}
    if plan is None or not goals:
        return result
    measures = list(
        Measure.objects.filter(Q(node__in=goals) | Q(node__parent__in=goals), targets__plan=plan)
        .select_related("node", "responsible_unit")
        .order_by("order", "title", "pk")
        .distinct()
    )
    rows = measure_rows(plan, measures)
    for measure in measures:
        goal_id = measure.node_id if measure.node_id in result else measure.node.parent_id
        result[goal_id].append(rows[measure.pk])
    return result


def _assessment_data(assessment: Assessment | None) -> dict | None:
    if assessment is None:
        return None
    return {
        "period": assessment.period.name,
        "period_end": assessment.period.end.isoformat(),
        "period_closed": assessment.period.status == PeriodStatus.CLOSED,
        "status": assessment.status,
        "status_label": str(Fulfilment(assessment.status).label),
        "analysis": assessment.analysis,
        "next_steps": assessment.next_steps,
        "approved_by": _person(assessment.approved_by),
        "approved_at": _when(assessment.approved_at),
    }


def _grade_label(grade: str) -> str:
    return str(Fulfilment(grade).label) if grade else ""


def _measure_data(row: MeasureRow) -> dict:
    measure, target, latest = row.measure, row.target, row.latest
    return {
        "id": measure.pk,
        "title": measure.title,
        "unit": measure.unit,
        "decimals": measure.decimals,
        "responsible_unit": measure.responsible_unit.name if measure.responsible_unit else "",
        "target": _decimal(target.target) if target else None,
        "target_grade": target.target_grade if target else "",
        "target_grade_label": _grade_label(target.target_grade) if target else "",
        "latest_value": _decimal(latest.value) if latest else None,
        "latest_grade": latest.grade if latest else "",
        "latest_grade_label": _grade_label(latest.grade) if latest else "",
        "period_label": str(latest.period_label) if latest else "",
        "status": row.status.value,
        "status_label": str(MeasureStatus(row.status).label),
    }


def _activity_data(activity: Activity) -> dict:
    return {
        "id": activity.pk,
        "title": activity.title,
        "unit": activity.owner_unit.name,
        "responsible": _person(activity.responsible),
        "start": activity.start.isoformat(),
        "end": activity.end.isoformat() if activity.end else "",
        "status": activity.status,
        "status_label": str(ActivityStatus(activity.status).label),
        "progress": activity.progress,
        "result": activity.result,
    }


def gather_material(meeting: Meeting, *, now: datetime | None = None) -> dict:
    """The follow-up material of the meeting's goals as it stands at the meeting.

    For each goal: its latest approved goal-level assessment of a period that had ended by
    the meeting's date; its (and its areas') measures with target, latest value and status
    in the operational plan in force in the meeting's year; and its activities under way on
    the meeting's date. Plain JSON (decimals as text, Swedish labels resolved), so that no
    later change to the data alters it. A fixed number of queries.
    """
    now = now or clock.now()
    as_of = meeting.local_start.date()
    with translation.override(settings.LANGUAGE_CODE):
        goals = list(_goals_queryset().filter(dialogue_meetings=meeting))
        assessments = latest_assessments_as_of(goals, as_of)
        plan = current_operational_plan(meeting.organisation, year=as_of.year, include_drafts=False)
        rows = measure_rows_by_goal(goals, plan)
        activities = activities_for_goals(goals, on=as_of)
        return {
            "format": MATERIAL_FORMAT,
            "gathered_at": _when(now),
            "as_of": as_of.isoformat(),
            "meeting": {
                "id": meeting.pk,
                "title": meeting.title,
                "body": meeting.body.name,
                "body_abbreviation": meeting.body.abbreviation,
                "starts_at": _when(meeting.starts_at),
            },
            "operational_plan": {
                "title": plan.title,
                "year": plan.year,
                "decision": plan.decision.reference if plan.decision else "",
            }
            if plan
            else None,
            "goals": [
                {
                    "id": goal.pk,
                    "label": goal.label,
                    "title": goal.title,
                    "context": goal_context(goal),
                    "assessment": _assessment_data(assessments.get(goal.pk)),
                    "measures": [_measure_data(row) for row in rows[goal.pk]],
                    "activities": [_activity_data(a) for a in activities[goal.pk]],
                }
                for goal in goals
            ],
        }


def material_goal_ids(material: dict) -> list[int]:
    return [goal["id"] for goal in (material or {}).get("goals", [])]


# -------------------------------------------------------------------------------- remits


def goal_levels_and_above(organisation_id: int) -> list[int]:
    """Ids of the goal level and the levels above it (perspective, focus area): a remit
    may name an element at any of them. One query."""
    levels = {
        level.pk: level
        for level in Level.objects.filter(organisation_id=organisation_id).only(
            "pk", "key", "parent"
        )
    }
    goal = next((lv for lv in levels.values() if lv.key == GOAL_LEVEL_KEY), None)
    ids: list[int] = []
    while goal is not None and goal.pk not in ids:
        ids.append(goal.pk)
        goal = levels.get(goal.parent_id)
    return ids


def remit_nodes(document: SteeringDocument) -> list[PlanNode]:
    """The document's perspectives, focus areas and goals, in the plan tree's order (each
    element followed by those beneath it). Two queries."""
    nodes = list(
        PlanNode.objects.filter(
            document=document, level_id__in=goal_levels_and_above(document.organisation_id)
        )
        .select_related("level")
        .order_by("order", "number", "pk")
    )
    children: dict[int | None, list[PlanNode]] = {}
    ids = {node.pk for node in nodes}
    for node in nodes:
        children.setdefault(node.parent_id if node.parent_id in ids else None, []).append(node)
    ordered: list[PlanNode] = []

    def walk(parent_id: int | None) -> None:
        for node in children.get(parent_id, []):
            ordered.append(node)
            walk(node.pk)

    walk(None)
    return ordered


def document_for_year(organisation: Organisation, year: int) -> SteeringDocument | None:
    """The steering document that covers the year (the adopted one before a draft)."""
    documents = list(
        SteeringDocument.objects.filter(
            organisation=organisation, start_year__lte=year, end_year__gte=year
        ).order_by("-start_year")
    )
    adopted = [d for d in documents if d.status == DocumentStatus.ADOPTED]
    return (adopted or documents or [None])[0]


def remits_of(body: Body, document: SteeringDocument | None) -> list[DialogueRemit]:
    if document is None:
        return []
    return list(
        DialogueRemit.objects.filter(body=body, node__document=document).select_related(
            "node__level"
        )
    )


# ------------------------------------------------------------------- readable history


def history_with_names(obj, links: dict[str, type]) -> list:
    """`history_for(obj)` with the many-to-many fields in `links` (field name → model)
    named instead of numbered: one query per field that changed."""
    entries = history_for(obj)
    model = type(obj)
    labels = {str(model._meta.get_field(name).verbose_name): name for name in links}
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        for change in entry.changes:
            name = labels.get(str(change.label))
            if name:
                wanted.setdefault(name, set()).update(_ids(change.old) + _ids(change.new))
    names: dict[str, dict[int, str]] = {}
    for name, ids in wanted.items():
        rows = links[name]._default_manager.filter(pk__in=ids)
        if links[name] is PlanNode:
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
    return "; ".join(known.get(i, f"#{i}") for i in ids)
