"""The coverage rule: every goal has at least one dialogue a year, and missing ones are
flagged early enough to plan one. "Today" is always given explicitly."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillit.dialogues import services
from tillit.dialogues.choices import CoverageStatus
from tillit.dialogues.models import DialogueRemit
from tillit.dialogues.selectors import (
    approved_records,
    approved_records_by_goal,
    committees_for,
    coverage,
    status_counts,
    year_goals,
)
from tillit.planning.models import Level, OperationalPlan, PlanNode

from .conftest import YEAR, local

pytestmark = pytest.mark.django_db


def _line(lines, goal):
    return next(line for line in lines if line.goal.pk == goal.pk)


def _approve(record, personas, at, when):
    at(when)
    return services.record_approve(
        record=record, approved_by=personas["fortroendevald"], expected_version=record.version
    )


def test_without_an_operational_plan_the_years_goals_are_the_steering_documents(grastorp):
    goals = year_goals(grastorp, YEAR)
    assert len(goals) == 10
    assert not OperationalPlan.objects.filter(organisation=grastorp, year=YEAR).exists()


def test_with_an_operational_plan_the_years_goals_are_those_it_prioritises(grastorp, goal):
    plan = OperationalPlan.objects.get(organisation=grastorp, year=2025)
    plan.goals.set([goal])
    assert year_goals(grastorp, 2025) == [goal]


def test_a_perspective_remit_covers_every_goal_beneath_it(grastorp, goal, vu):
    committees = committees_for(year_goals(grastorp, YEAR))
    welfare = [g for g in year_goals(grastorp, YEAR) if g.parent.parent.key == "valfardsutveckling"]
    assert len(welfare) == 4
    for each in welfare:
        assert [b.abbreviation for b in committees[each.pk]] == ["VU"]


def test_a_goal_remit_adds_a_second_committee(grastorp, goal, body):
    DialogueRemit.objects.create(body=body("SU"), node=goal)
    committees = committees_for([goal])
    assert {b.abbreviation for b in committees[goal.pk]} == {"SU", "VU"}


def test_a_held_meeting_with_an_approved_record_makes_the_goal_held(
    grastorp, goal, personas, make_meeting, make_record, at
):
    meeting = make_meeting(starts_at=local(YEAR, 3, 10, 9))
    record = make_record(meeting)
    _approve(record, personas, at, local(YEAR, 3, 20, 12))
    line = _line(coverage(grastorp, YEAR, now=local(YEAR, 4, 1, 12)), goal)
    assert line.status == CoverageStatus.DONE
    assert line.approved == [meeting]
    assert [b.abbreviation for b in line.committees] == ["VU"]


def test_a_held_meeting_without_an_approved_record_waits_for_its_record(
    grastorp, goal, make_meeting, make_record
):
    meeting = make_meeting(starts_at=local(YEAR, 3, 10, 9))
    now = local(YEAR, 3, 11, 12)
    assert _line(coverage(grastorp, YEAR, now=now), goal).status == CoverageStatus.RECORD_PENDING
    make_record(meeting)  # a draft
    line = _line(coverage(grastorp, YEAR, now=now), goal)
    assert line.status == CoverageStatus.RECORD_PENDING
    assert line.held == [meeting]


def test_a_future_meeting_makes_the_goal_planned(grastorp, goal, make_meeting):
    meeting = make_meeting(starts_at=local(YEAR, 9, 15, 9))
    line = _line(coverage(grastorp, YEAR, now=local(YEAR, 2, 1, 12)), goal)
    assert line.status == CoverageStatus.PLANNED
    assert line.planned == [meeting]


def test_a_goal_without_a_meeting_is_missing_while_its_committee_has_meetings_left(
    grastorp, goal, goal_by_key, make_meeting
):
    # VU meets in September on another of its goals: there is time to add this one.
    make_meeting(goals=[goal_by_key("gott-liv-i-alla-aldrar")], starts_at=local(YEAR, 9, 15, 9))
    line = _line(coverage(grastorp, YEAR, now=local(YEAR, 2, 1, 12)), goal)
    assert line.status == CoverageStatus.MISSING


def test_a_goal_without_a_meeting_says_plan_now_when_its_committee_has_no_meeting_left(
    grastorp, goal, goal_by_key, make_meeting
):
    # VU's only meeting of the year is over; nothing is left to add the goal to.
    make_meeting(goals=[goal_by_key("gott-liv-i-alla-aldrar")], starts_at=local(YEAR, 1, 20, 9))
    line = _line(coverage(grastorp, YEAR, now=local(YEAR, 2, 1, 12)), goal)
    assert line.status == CoverageStatus.PLAN_NOW


def test_a_goal_without_a_meeting_says_plan_now_when_fewer_than_ten_weeks_remain(
    grastorp, goal, goal_by_key, make_meeting
):
    make_meeting(goals=[goal_by_key("gott-liv-i-alla-aldrar")], starts_at=local(YEAR, 12, 15, 9))
    # 31 December minus ten weeks is 22 October.
    assert _line(coverage(grastorp, YEAR, now=local(YEAR, 10, 21, 12)), goal).status == (
        CoverageStatus.MISSING
    )
    assert _line(coverage(grastorp, YEAR, now=local(YEAR, 10, 23, 12)), goal).status == (
        CoverageStatus.PLAN_NOW
    )
    # The number of weeks can be set (settings.TILLIT_DIALOGUE_PLAN_WEEKS, or here).
    assert _line(coverage(grastorp, YEAR, now=local(YEAR, 10, 23, 12), weeks=4), goal).status == (
        CoverageStatus.MISSING
    )


def test_the_weeks_come_from_the_settings(grastorp, goal, goal_by_key, make_meeting, settings):
    make_meeting(goals=[goal_by_key("gott-liv-i-alla-aldrar")], starts_at=local(YEAR, 12, 15, 9))
    settings.TILLIT_DIALOGUE_PLAN_WEEKS = 20
    line = _line(coverage(grastorp, YEAR, now=local(YEAR, 9, 1, 12)), goal)
    assert line.status == CoverageStatus.PLAN_NOW


def test_a_goal_without_any_committee_says_plan_now(grastorp, goal):
    DialogueRemit.objects.filter(node__key="valfardsutveckling").delete()
    line = _line(coverage(grastorp, YEAR, now=local(YEAR, 1, 5, 12)), goal)
    assert line.committees == []
    assert line.status == CoverageStatus.PLAN_NOW


def test_a_year_that_is_over_without_a_dialogue_says_not_held(grastorp, goal):
    line = _line(coverage(grastorp, YEAR, now=local(YEAR + 1, 1, 2, 12)), goal)
    assert line.status == CoverageStatus.NOT_HELD
    assert line.status.is_missing


def test_a_meeting_on_the_goal_by_any_committee_counts(grastorp, goal, body, make_meeting):
    """SU may hold a dialogue on a welfare goal too (a joint theme, say)."""
    make_meeting(body("SU"), starts_at=local(YEAR, 9, 1, 9))
    line = _line(coverage(grastorp, YEAR, now=local(YEAR, 2, 1, 12)), goal)
    assert line.status == CoverageStatus.PLANNED
    assert [b.abbreviation for b in line.committees] == ["VU"]


def test_the_public_does_not_count_non_public_meetings(grastorp, goal, make_meeting):
    make_meeting(starts_at=local(YEAR, 9, 1, 9), is_public=False)
    now = local(YEAR, 2, 1, 12)
    assert _line(coverage(grastorp, YEAR, now=now), goal).status == CoverageStatus.PLANNED
    assert (
        _line(coverage(grastorp, YEAR, now=now, include_private=False), goal).status
        != CoverageStatus.PLANNED
    )


def test_the_demo_leaves_a_goal_without_a_dialogue_in_2026(grastorp, goal_by_key):
    lines = coverage(grastorp, 2026, now=local(2026, 11, 22, 12))
    trade = _line(lines, goal_by_key("naringsliv-och-besoksnaring"))
    assert trade.status == CoverageStatus.PLAN_NOW
    assert _line(lines, goal_by_key("varldsmedborgare")).status == CoverageStatus.DONE
    assert _line(lines, goal_by_key("ekonomisk-hallbarhet")).status == (
        CoverageStatus.RECORD_PENDING
    )
    assert _line(lines, goal_by_key("hallbarhetsarbete")).status == CoverageStatus.PLANNED
    assert dict(status_counts(lines)) == {
        CoverageStatus.DONE: 5,
        CoverageStatus.RECORD_PENDING: 2,
        CoverageStatus.PLANNED: 2,
        CoverageStatus.PLAN_NOW: 1,
    }


def test_coverage_runs_the_same_queries_however_many_goals_meetings_and_records(
    grastorp, goal, personas, make_meeting, make_record, at
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            coverage(grastorp, YEAR, now=local(YEAR, 6, 1, 12))
        return len(queries)

    make_meeting(starts_at=local(YEAR, 1, 20, 9))  # a year with meetings at all
    baseline = count()
    level = Level.objects.get(organisation=grastorp, key="goal")
    extra = [
        PlanNode.objects.create(
            organisation=grastorp,
            document=goal.document,
            level=level,
            parent=goal.parent,
            number=20 + i,
            title=f"Extra mål {i}",
        )
        for i in range(5)
    ]
    for i, each in enumerate(extra):
        meeting = make_meeting(goals=[each, goal], starts_at=local(YEAR, 2, 1 + i, 9))
        _approve(make_record(meeting), personas, at, local(YEAR, 3, 1, 12))
        make_meeting(goals=[each], starts_at=local(YEAR, 10, 1 + i, 9))
    assert count() == baseline
    assert baseline <= 10


def test_approved_records_are_what_the_reports_read(
    grastorp, goal, goal_by_key, personas, make_meeting, make_record, at
):
    held = make_meeting(starts_at=local(YEAR, 3, 10, 9))
    _approve(make_record(held), personas, at, local(YEAR, 3, 20, 12))
    make_record(make_meeting(starts_at=local(YEAR, 4, 10, 9)))  # a draft: not reported
    private = make_meeting(
        goals=[goal_by_key("gott-liv-i-alla-aldrar")],
        starts_at=local(YEAR, 5, 10, 9),
        is_public=False,
    )
    _approve(make_record(private), personas, at, local(YEAR, 5, 20, 12))

    records = approved_records(grastorp, YEAR)
    assert [r.meeting for r in records] == [held, private]
    assert [r.meeting for r in approved_records(grastorp, YEAR, public_only=True)] == [held]
    by_goal = approved_records_by_goal(grastorp, YEAR)
    assert [r.meeting for r in by_goal[goal.pk]] == [held]
    assert approved_records(grastorp, YEAR + 1) == []
