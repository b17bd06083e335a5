"""Each portal page reads the database a fixed number of times, however much the plan,
the measures, their values, the activities, the reports and the calendar grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

GROWTH = 6


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _unit(grastorp):
    from tillit.core.models import OrgUnit

    return OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6")


def _plans(grastorp):
    from tillit.planning.models import OperationalPlan

    return list(OperationalPlan.objects.filter(organisation=grastorp, status="adopted"))


def add_measure(grastorp, node, title: str, *, by_gender: bool = False):
    from tillit.measures.models import Measure, MeasureTarget, MeasureValue

    measure = Measure.objects.create(
        organisation=grastorp, node=node, title=title, unit="%", by_gender=by_gender
    )
    for year in range(2015, 2026):
        MeasureValue.objects.create(measure=measure, year=year, value=50 + year % 7)
        MeasureValue.objects.create(
            measure=measure, year=year, period_kind="tertial", period=2, value=48
        )
        if by_gender:
            MeasureValue.objects.create(measure=measure, year=year, gender="K", value=51)
            MeasureValue.objects.create(measure=measure, year=year, gender="M", value=49)
    for plan in _plans(grastorp):
        MeasureTarget.objects.create(measure=measure, plan=plan, target=60)
    return measure


def add_activity(grastorp, *nodes, title: str):
    from tillit.activities.models import Activity

    activity = Activity.objects.create(
        organisation=grastorp,
        title=title,
        owner_unit=_unit(grastorp),
        start=dt.date(2025, 2, 1),
        progress=40,
        status="ongoing",
    )
    activity.nodes.add(*nodes)
    return activity


def add_goals(grastorp, goal, period, count: int) -> list:
    """More goals beside the goal fixture, each with a measure, an activity and an
    approved assessment of the closed period."""
    from tillit.followup.models import Assessment
    from tillit.planning.models import PlanNode

    goals = []
    now = timezone.now()
    for number in range(count):
        extra = PlanNode.objects.create(
            organisation=grastorp,
            document=goal.document,
            level=goal.level,
            parent=goal.parent,
            number=60 + number,
            title=f"Extra mål {number}",
        )
        extra.sdgs.add(4)
        add_measure(grastorp, extra, f"Extra mått {number}")
        add_activity(grastorp, extra, title=f"Extra aktivitet {number}")
        Assessment.objects.create(
            period=period,
            goal=extra,
            status="partly",
            analysis="Analys",
            state="approved",
            submitted_at=now,
            approved_at=now,
        )
        goals.append(extra)
    return goals


def test_home_reads_the_same_number_of_times_with_more_goals(client, grastorp, goal, closed_period):
    url = reverse("portal:home")
    before = count_queries(client, url)
    add_goals(grastorp, goal, closed_period, GROWTH)
    assert count_queries(client, url) == before


def test_goal_page_reads_the_same_number_of_times_with_more_measures_and_activities(
    client, grastorp, goal, area, closed_period, earlier_period
):
    url = reverse("portal:goal", args=[goal.pk])
    before = count_queries(client, url)
    for number in range(GROWTH):
        add_measure(grastorp, goal, f"Mer mått {number}", by_gender=bool(number % 2))
        add_activity(grastorp, goal, title=f"Direkt {number}")
        add_activity(grastorp, area, title=f"Genom området {number}")
    assert count_queries(client, url) == before


def test_measure_page_reads_the_same_number_of_times_with_more_values(client, grastorp, goal):
    from tillit.measures.models import MeasureValue

    measure = add_measure(grastorp, goal, "Växande mått", by_gender=True)
    url = reverse("portal:measure", args=[measure.pk])
    before = count_queries(client, url)
    for year in range(2000, 2015):
        for month in range(1, 13):
            MeasureValue.objects.create(
                measure=measure, year=year, period_kind="month", period=month, value=month
            )
    assert count_queries(client, url) == before


def test_activity_page_reads_the_same_number_of_times_with_more_goals(
    client, grastorp, goal, closed_period
):
    from tillit.planning.models import Principle

    activity = add_activity(grastorp, goal, title="Många mål")
    url = reverse("portal:activity", args=[activity.pk])
    before = count_queries(client, url)
    activity.nodes.add(*add_goals(grastorp, goal, closed_period, GROWTH))
    activity.principles.add(*Principle.objects.filter(organisation=grastorp))
    assert count_queries(client, url) == before


def test_principles_page_reads_the_same_number_of_times_with_more_commitments(client, grastorp):
    from tillit.planning.models import Commitment, Principle

    url = reverse("portal:principles")
    before = count_queries(client, url)
    for number in range(GROWTH):
        principle = Principle.objects.create(
            organisation=grastorp,
            key=f"extra-{number}",
            name=f"Extra {number}",
            title="Rubrik",
            commitments_intro="Det innebär att:",
            order=10 + number,
        )
        for order in range(3):
            Commitment.objects.create(principle=principle, text=f"Åtagande {order}", order=order)
    assert count_queries(client, url) == before


def test_reports_page_reads_the_same_number_of_times_with_more_reports(
    client, grastorp, approved_report, decision
):
    from tillit.reports.models import Report

    url = reverse("portal:reports")
    before = count_queries(client, url)
    for year in range(2015, 2015 + GROWTH):
        Report.objects.create(
            organisation=grastorp,
            kind="annual",
            year=year,
            through_month=12,
            state="presented",
            approval=decision("KS", dt.date(year + 1, 4, 1), f"{year}"),
            presentation=decision("KF", dt.date(year + 1, 4, 20), f"{year}"),
        )
    assert count_queries(client, url) == before


def test_calendar_reads_the_same_number_of_times_with_more_dates(client, grastorp, goal):
    from tillit.calendars.models import CalendarEvent
    from tillit.core.models import Body
    from tillit.dialogues.models import Meeting

    committee = Body.objects.filter(organisation=grastorp, kind="committee").first()
    url = reverse("portal:calendar_year", args=[2026])
    before = count_queries(client, url)
    for number in range(GROWTH):
        CalendarEvent.objects.create(
            organisation=grastorp,
            title=f"Händelse {number}",
            kind="other",
            date=dt.date(2026, 1 + number, 10),
            body=committee,
        )
        meeting = Meeting.objects.create(
            organisation=grastorp,
            body=committee,
            title=f"Dialog {number}",
            starts_at=timezone.make_aware(dt.datetime(2026, 1 + number, 12, 13)),
        )
        meeting.goals.add(goal)
    assert count_queries(client, url) == before
