"""Fixtures of the search tests: secrets planted where the public must not look, another
municipality, and rows to search for."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest


@pytest.fixture
def planted(grastorp, personas):
    """A secret word in every non-public place, a public word in public ones (the portal's
    allow-list tests plant the same)."""
    from tillit.portal.tests.secrets import plant

    return plant(grastorp, personas)


@pytest.fixture
def public_goal(grastorp):
    from tillit.planning.choices import DocumentStatus
    from tillit.planning.models import PlanNode

    return (
        PlanNode.objects.filter(
            organisation=grastorp, level__key="goal", document__status=DocumentStatus.ADOPTED
        )
        .order_by("pk")
        .first()
    )


@pytest.fixture
def make_activity(grastorp, public_goal) -> Callable:
    """make_activity(title, description="", public=True): an activity of Grästorp, linked to
    a goal of the adopted plan (so public) unless public=False."""
    from tillit.activities.models import Activity
    from tillit.core.models import OrgUnit

    unit = OrgUnit.objects.filter(organisation=grastorp).order_by("pk").first()

    def make(title: str, description: str = "", *, public: bool = True):
        activity = Activity.objects.create(
            organisation=grastorp,
            title=title,
            description=description,
            owner_unit=unit,
            start=date(2026, 1, 1),
        )
        if public:
            activity.nodes.set([public_goal])
        return activity

    return make


@pytest.fixture
def make_measure(grastorp, public_goal) -> Callable:
    from tillit.measures.models import Measure

    def make(title: str, description: str = ""):
        return Measure.objects.create(
            organisation=grastorp, node=public_goal, title=title, description=description
        )

    return make


@pytest.fixture
def approved_report(grastorp) -> Callable:
    """approved_report(kind, year, text): a report approved by KS, its sections holding
    `text` (made directly: search reads the rows, not how they came about)."""
    from tillit.core.models import Body, Decision
    from tillit.reports.choices import ReportState
    from tillit.reports.models import Report, ReportSection

    board = Body.objects.get(organisation=grastorp, abbreviation="KS")

    def make(kind: str, year: int, text: str, *, state: str = ReportState.APPROVED):
        decision = Decision.objects.create(
            organisation=grastorp, body=board, date=date(year + 1, 3, 1), paragraph=f"{year}"
        )
        frozen = state in (ReportState.APPROVED, ReportState.PRESENTED)
        report = Report.objects.create(
            organisation=grastorp,
            kind=kind,
            year=year,
            through_month=12 if kind == "annual" else 8,
            state=ReportState.APPROVED if frozen else state,
            approval=decision if frozen else None,
        )
        ReportSection.objects.create(report=report, key="events", text=text)
        return report

    return make


@pytest.fixture
def other_municipality(db):
    """Another municipality with a published plan, measure, activity and report, all
    holding the word "Grannkommunsord"; and a member of its staff."""
    from tillit.activities.models import Activity
    from tillit.core.models import Body, Decision, Organisation, OrgUnit, User
    from tillit.measures.models import Measure
    from tillit.planning.models import Level, PlanNode, SteeringDocument
    from tillit.reports.models import Report, ReportSection

    org = Organisation.objects.create(slug="grannby", name="Grannby kommun")
    level = Level.objects.create(
        organisation=org,
        key="goal",
        name="Mål",
        name_plural="Mål",
        owner="political",
        lifetime="mandate",
    )
    council = Body.objects.create(organisation=org, kind="council", name="KF", abbreviation="KF")
    board = Body.objects.create(organisation=org, kind="board", name="KS", abbreviation="KS")
    decision = Decision.objects.create(
        organisation=org, body=council, date=date(2023, 6, 1), paragraph="1", title="Mål"
    )
    document = SteeringDocument.objects.create(
        organisation=org,
        title="Grannby 2024–2027",
        start_year=2024,
        end_year=2027,
        status="adopted",
        decision=decision,
    )
    goal = PlanNode.objects.create(
        organisation=org, document=document, level=level, title="Grannkommunsord i skolan"
    )
    Measure.objects.create(organisation=org, node=goal, title="Mått Grannkommunsord")
    unit = OrgUnit.objects.create(organisation=org, kind="unit", name="Grannby skola")
    activity = Activity.objects.create(
        organisation=org, title="Grannkommunsord", owner_unit=unit, start=date(2026, 1, 1)
    )
    activity.nodes.set([goal])
    approval = Decision.objects.create(
        organisation=org, body=board, date=date(2026, 3, 1), paragraph="9", title="ÅR"
    )
    report = Report.objects.create(
        organisation=org,
        kind="annual",
        year=2025,
        through_month=12,
        state="approved",
        approval=approval,
    )
    ReportSection.objects.create(report=report, key="events", text="Grannkommunsord")
    member = User.objects.create_user("granne", organisation=org)
    return org, member
