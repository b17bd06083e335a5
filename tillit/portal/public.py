"""What the public may see: the one allow-list behind the portal, the public API, open
data and public search.

Nothing reaches a visitor except through these functions, and nothing of a row except
the fields named in `PUBLIC_FIELDS`. The rules, in words:

- **The plan**: the elements of adopted (or replaced) steering documents, on the
  political levels (vision, mission, perspective, focus area, goal, measure). Drafts
  never; the operations' areas are internal working structure.
- **Measures** of public goals, with their values (no comments, no who-changed-it) and
  the targets of adopted operational plans.
- **Assessments**: a goal's approved goal-level assessments of *closed* follow-up
  periods (status, analysis, next steps); never a unit's own, never who wrote them.
- **Activities** linked to public plan elements: what, when, status, progress, result
  and the unit that owns them, never the people.
- **Reports** approved by kommunstyrelsen (and presented to kommunfullmäktige), as
  frozen: never a draft or one in review. A report's files are published as adopted,
  byte for byte (a public document): they include the units' approved assessments
  and may name the officials who approved parts. Its web reading names no one.
- **The calendar**: public events and public meetings (the årshjul).
- **People**: none on the public pages, in the API, open data or search. A body's
  name and a unit's name are public.

`tillit/portal/tests/secrets.py` puts a secret into every non-public place, and
`tillit/portal/tests/test_no_leaks.py` checks that no public page, search, API answer,
open-data file or calendar feed shows it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from tillit.activities.models import Activity
from tillit.core.models import Body, Decision, Organisation, OrgUnit
from tillit.followup.choices import AssessmentState, PeriodStatus
from tillit.followup.models import Assessment, FollowUpPeriod
from tillit.measures.models import Measure, MeasureTarget, MeasureValue
from tillit.planning.choices import DocumentStatus, Owner
from tillit.planning.models import (
    Commitment,
    Level,
    PlanNode,
    Principle,
    SteeringDocument,
    SustainableDevelopmentGoal,
)
from tillit.reports.choices import ReportState
from tillit.reports.models import Report, ReportSection

PUBLIC_DOCUMENT_STATUSES = (DocumentStatus.ADOPTED, DocumentStatus.REPLACED)
PUBLIC_REPORT_STATES = (ReportState.APPROVED, ReportState.PRESENTED)

# The fields of each model that the public side may show, serialise or export. A field
# not named here is not public, whatever a template or serializer would like.
PUBLIC_FIELDS: dict[type, tuple[str, ...]] = {
    Organisation: (
        "slug",
        "name",
        "municipality_code",
        "website",
        "contact_email",
        "data_licence",
    ),
    SteeringDocument: ("id", "title", "start_year", "end_year", "introduction", "status"),
    PlanNode: (
        "id",
        "document",
        "level",
        "parent",
        "key",
        "number",
        "title",
        "description",
        "strategy",
        "order",
        "sdgs",
    ),
    Principle: ("key", "name", "title", "description", "commitments_intro", "order"),
    Commitment: ("text", "order"),
    Measure: (
        "id",
        "node",
        "title",
        "description",
        "kind",
        "unit",
        "direction",
        "decimals",
        "baseline_value",
        "baseline_year",
        "source",
        "kolada_kpi",
        "scb_table",
        "by_gender",
        "order",
    ),
    MeasureTarget: ("measure", "plan", "target", "target_grade"),
    MeasureValue: ("id", "measure", "year", "period_kind", "period", "gender", "value", "grade"),
    Assessment: ("id", "period", "goal", "status", "analysis", "next_steps", "approved_at"),
    Activity: (
        "id",
        "title",
        "description",
        "owner_unit",
        "nodes",
        "principles",
        "start",
        "end",
        "status",
        "progress",
        "result",
    ),
    Report: ("id", "kind", "year", "through_month", "state", "approval", "presentation"),
    # A public report's section texts (public search reads them): frozen with the report,
    # they cannot change after approval. Never the owner.
    ReportSection: ("key", "text"),
    # Named beside the rows above: who decided, of which period, which unit, which level.
    Decision: ("body", "date", "paragraph", "title", "url"),
    Body: ("kind", "name", "abbreviation"),
    FollowUpPeriod: ("name", "year", "kind", "start", "end"),
    OrgUnit: ("name", "kind"),
    Level: ("key", "name", "name_plural"),
    SustainableDevelopmentGoal: ("number", "name", "colour"),
}


def public_fields(model: type) -> tuple[str, ...]:
    return PUBLIC_FIELDS[model]


def public_documents(organisation: Organisation) -> QuerySet[SteeringDocument]:
    return SteeringDocument.objects.filter(
        organisation=organisation, status__in=PUBLIC_DOCUMENT_STATUSES
    ).order_by("-start_year")


# How deep the levels may nest: the chain of a level's parents is checked this far.
MAX_LEVEL_DEPTH = 8


def _decided_politically(prefix: str = "level", depth: int = MAX_LEVEL_DEPTH) -> Q:
    """The level is political, and so is every level above it. Grästorp's "measure"
    level is political but sits under the operations' area: internal structure."""
    if depth == 0:
        return Q(**{f"{prefix}__isnull": True})
    return Q(**{f"{prefix}__isnull": True}) | (
        Q(**{f"{prefix}__owner": Owner.POLITICAL})
        & _decided_politically(f"{prefix}__parent", depth - 1)
    )


def public_nodes(organisation: Organisation) -> QuerySet[PlanNode]:
    """The politically decided elements of the public steering documents: vision,
    mission, perspectives, focus areas and goals (levels that are political all the way
    up)."""
    return PlanNode.objects.filter(
        _decided_politically(),
        organisation=organisation,
        document__status__in=PUBLIC_DOCUMENT_STATUSES,
        level__isnull=False,
    )


def public_goals(organisation: Organisation) -> QuerySet[PlanNode]:
    return public_nodes(organisation).filter(level__key="goal")


def public_principles(organisation: Organisation) -> QuerySet[Principle]:
    return Principle.objects.filter(organisation=organisation).order_by("order", "name")


def public_measures(organisation: Organisation) -> QuerySet[Measure]:
    """Measures of public plan elements (a measure under an operations' area is not)."""
    return Measure.objects.filter(organisation=organisation, node__in=public_nodes(organisation))


def public_values(organisation: Organisation) -> QuerySet[MeasureValue]:
    """The values of public measures, with only their public fields loaded."""
    return MeasureValue.objects.filter(measure__in=public_measures(organisation)).only(
        *PUBLIC_FIELDS[MeasureValue]
    )


def public_targets(organisation: Organisation) -> QuerySet[MeasureTarget]:
    """Targets of public measures set in adopted operational plans."""
    return MeasureTarget.objects.filter(
        measure__in=public_measures(organisation), plan__status=DocumentStatus.ADOPTED
    )


def public_assessments(organisation: Organisation) -> QuerySet[Assessment]:
    """Approved goal-level assessments of closed periods, of public goals."""
    return Assessment.objects.filter(
        goal__in=public_goals(organisation),
        unit__isnull=True,
        state=AssessmentState.APPROVED,
        period__status=PeriodStatus.CLOSED,
    )


def latest_public_assessments(goals: list[PlanNode]) -> dict[int, Assessment]:
    """Each goal's latest public assessment, of any year (one query)."""
    latest: dict[int, Assessment] = {}
    assessments = (
        Assessment.objects.filter(
            goal__in=goals,
            unit__isnull=True,
            state=AssessmentState.APPROVED,
            period__status=PeriodStatus.CLOSED,
        )
        .select_related("period")
        .order_by("period__end", "pk")
    )
    for assessment in assessments:
        latest[assessment.goal_id] = assessment
    return latest


def public_activities(organisation: Organisation) -> QuerySet[Activity]:
    """Activities linked to an element of a public steering document (a goal, or an area
    beneath one).

    A semi-join (EXISTS) rather than DISTINCT over the link table: PostgreSQL and SQLite
    plan it linearly in the number of activities.
    """
    links = Activity.nodes.through.objects.filter(
        activity_id=OuterRef("pk"),
        plannode__organisation=organisation,
        plannode__document__status__in=PUBLIC_DOCUMENT_STATUSES,
    )
    return Activity.objects.filter(Exists(links), organisation=organisation)


def public_reports(organisation: Organisation) -> QuerySet[Report]:
    """Reports approved by kommunstyrelsen: frozen, never drafts."""
    return Report.objects.filter(
        organisation=organisation, state__in=PUBLIC_REPORT_STATES
    ).order_by("-year", "-through_month")
