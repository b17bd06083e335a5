"""Each list of the API answers in a number of queries that does not grow with the data:
the same count before and after a handful more rows (with their links) are added, for a
visitor and, where the staff read more, for the staff."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tillit.activities.models import Activity
from tillit.core.models import Body, Decision, OrgUnit
from tillit.followup.choices import AssessmentState, FollowUpKind, PeriodStatus
from tillit.followup.models import Assessment, FollowUpPeriod
from tillit.measures.models import Measure, MeasureTarget, MeasureValue
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import (
    Commitment,
    OperationalPlan,
    PlanNode,
    Principle,
    SteeringDocument,
    SustainableDevelopmentGoal,
)
from tillit.reports.choices import ReportKind, ReportState
from tillit.reports.models import Report

pytestmark = pytest.mark.django_db

MORE = 4
_serial = itertools.count(1)


class Grow:
    """Adds MORE rows, with their links, to what a list shows."""

    def __init__(self, organisation, goal, area, personas):
        self.organisation = organisation
        self.goal = goal
        self.area = area
        self.personas = personas

    def document(self):
        for _ in range(MORE):
            start = 1900 + 4 * next(_serial)
            SteeringDocument.objects.create(
                organisation=self.organisation,
                title=f"Inriktningsdokument {start}",
                start_year=start,
                end_year=start + 3,
                status=DocumentStatus.REPLACED,
            )

    def element(self):
        sdgs = list(SustainableDevelopmentGoal.objects.all()[:3])
        for _ in range(MORE):
            node = PlanNode.objects.create(
                organisation=self.organisation,
                document=self.goal.document,
                level=self.goal.level,
                parent=self.goal.parent,
                number=100 + next(_serial),
                title="Ytterligare mål",
            )
            node.sdgs.set(sdgs)

    def principle(self):
        for _ in range(MORE):
            principle = Principle.objects.create(
                organisation=self.organisation,
                key=f"princip-{next(_serial)}",
                name="Princip",
                title="Princip",
                commitments_intro="Det innebär att:",
            )
            Commitment.objects.create(principle=principle, text="Vi gör.", order=1)
            Commitment.objects.create(principle=principle, text="Vi gör mer.", order=2)

    def _measure(self) -> Measure:
        return Measure.objects.create(
            organisation=self.organisation, node=self.goal, title=f"Mått {next(_serial)}"
        )

    def measure(self):
        for _ in range(MORE):
            self._measure()

    def value(self):
        for _ in range(MORE):
            measure = self._measure()
            MeasureValue.objects.create(measure=measure, year=2025, value=Decimal(1))
            MeasureValue.objects.create(measure=measure, year=2024, value=Decimal(2))

    def target(self):
        plan = OperationalPlan.objects.filter(
            organisation=self.organisation, status=DocumentStatus.ADOPTED
        ).first()
        for _ in range(MORE):
            MeasureTarget.objects.create(measure=self._measure(), plan=plan, target=Decimal(5))

    def assessment(self):
        now = timezone.now()
        for _ in range(MORE):
            year = 1900 + next(_serial)
            period = FollowUpPeriod.objects.create(
                organisation=self.organisation,
                name=f"Helår {year}",
                year=year,
                kind=FollowUpKind.ANNUAL,
                start=date(year, 1, 1),
                end=date(year, 12, 31),
                deadline=date(year + 1, 1, 31),
                status=PeriodStatus.CLOSED,
                closed_at=now,
            )
            Assessment.objects.create(
                period=period,
                goal=self.goal,
                status="met",
                analysis="Analys",
                state=AssessmentState.APPROVED,
                submitted_at=now,
                approved_at=now,
            )

    def activity(self):
        unit = OrgUnit.objects.get(organisation=self.organisation, name="Tengbergsskolan F–6")
        principles = list(Principle.objects.filter(organisation=self.organisation)[:2])
        measures = list(Measure.objects.filter(organisation=self.organisation)[:2])
        for _ in range(MORE):
            activity = Activity.objects.create(
                organisation=self.organisation,
                title=f"Aktivitet {next(_serial)}",
                owner_unit=unit,
                responsible=self.personas["medledare"],
                start=date(2026, 1, 1),
            )
            activity.nodes.set([self.goal, self.area])
            activity.principles.set(principles)
            activity.measures.set(measures)
            activity.participants.set([self.personas["enhetschef"]])

    def report(self):
        board = Body.objects.get(organisation=self.organisation, abbreviation="KS")
        for _ in range(MORE):
            year = 1900 + next(_serial)
            decision = Decision.objects.create(
                organisation=self.organisation,
                body=board,
                date=date(year + 1, 3, 20),
                paragraph="1",
                title=f"Årsredovisning {year}",
            )
            Report.objects.create(  # the list reads the report's row, not its snapshot
                organisation=self.organisation,
                kind=ReportKind.ANNUAL,
                year=year,
                through_month=12,
                state=ReportState.APPROVED,
                approval=decision,
            )


LISTS = (
    "document",
    "element",
    "principle",
    "measure",
    "value",
    "target",
    "assessment",
    "activity",
    "report",
)
# The staff read more of these lists than the public.
STAFF_LISTS = ("measure", "value", "activity")


def answer(client, name: str) -> tuple[int, int]:
    """(queries, rows) of the list's first page of 500."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"api:{name}-list"), {"per_sida": 500})
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize(
    "name, persona",
    [(name, "anonymous") for name in LISTS] + [(name, "medledare") for name in STAFF_LISTS],
)
def test_a_list_costs_the_same_queries_however_many_rows(
    name, persona, api, grastorp, goal, area, personas
):
    client = api(persona)
    grow = getattr(Grow(grastorp, goal, area, personas), name)
    grow()  # a list with rows (an empty one skips reading them)
    answer(client, name)  # the first request warms what is cached per process
    queries, rows = answer(client, name)
    grow()
    queries_after, rows_after = answer(client, name)
    assert rows_after >= rows + MORE
    assert queries_after == queries


def test_a_filtered_activity_list_costs_the_same_queries_too(api, grastorp, goal, area, personas):
    client = api("anonymous")
    url = reverse("api:activity-list")
    params = {"mal": goal.pk, "ar": 2026, "princip": "vardskap", "per_sida": 500}
    client.get(url, params)
    with CaptureQueriesContext(connection) as before:
        client.get(url, params)
    Grow(grastorp, goal, area, personas).activity()
    Principle.objects.get(organisation=grastorp, key="vardskap").activities.add(
        *Activity.objects.filter(title__startswith="Aktivitet ")
    )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url, params)
    assert len(response.json()["results"]) >= MORE
    assert len(after) == len(before)
