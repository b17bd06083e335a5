"""The follow-up material a record freezes: as it stood at the meeting, never altered later."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tillit.activities.models import Activity
from tillit.core.choices import Fulfilment
from tillit.core.models import OrgUnit
from tillit.dialogues import services
from tillit.dialogues.selectors import gather_material
from tillit.followup.choices import AssessmentState, FollowUpKind
from tillit.followup.models import Assessment, FollowUpPeriod, checksum_of

from .conftest import YEAR, local

pytestmark = pytest.mark.django_db


def _period(organisation, name, start, end):
    return FollowUpPeriod.objects.create(
        organisation=organisation,
        name=name,
        year=start.year,
        kind=FollowUpKind.TERTIAL,
        start=start,
        end=end,
        deadline=end,
    )


def _approved_assessment(period, goal, personas, status, analysis):
    now = timezone.now()
    return Assessment.objects.create(
        period=period,
        goal=goal,
        unit=None,
        status=status,
        analysis=analysis,
        next_steps="Fortsätt.",
        state=AssessmentState.APPROVED,
        written_by=personas["strateg"],
        written_at=now,
        submitted_by=personas["strateg"],
        submitted_at=now,
        approved_by=personas["strateg"],
        approved_at=now,
    )


@pytest.fixture
def activity(grastorp, goal):
    school = OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6")
    activity = Activity.objects.create(
        organisation=grastorp,
        title="Läsveckor med biblioteket",
        owner_unit=school,
        start=date(YEAR, 1, 10),
        status="ongoing",
        progress=40,
    )
    activity.nodes.add(goal)
    return activity


def test_the_material_holds_each_goals_assessment_measures_and_activities(
    grastorp, goal, personas, make_meeting, activity
):
    earlier = _period(grastorp, "Tertial 1 2027", date(YEAR, 1, 1), date(YEAR, 4, 30))
    _approved_assessment(earlier, goal, personas, Fulfilment.PARTLY, "Läsningen ökar.")
    later = _period(grastorp, "Delår 2027", date(YEAR, 1, 1), date(YEAR, 8, 31))
    _approved_assessment(later, goal, personas, Fulfilment.MET, "Efter mötet.")
    meeting = make_meeting(starts_at=local(YEAR, 5, 12, 9))

    material = gather_material(meeting, now=local(YEAR, 5, 12, 12))

    assert material["as_of"] == "2027-05-12"
    [entry] = material["goals"]
    assert entry["label"] == goal.label
    assert entry["context"] == (
        "Perspektiv 2: Välfärdsutveckling · Fokusområde 1: Värdeskapande och välkomnande"
    )
    assessment = entry["assessment"]
    assert (assessment["period"], assessment["status"]) == ("Tertial 1 2027", "partly")
    assert assessment["status_label"] == "Delvis uppfyllt"
    assert assessment["analysis"] == "Läsningen ökar."
    [measure] = entry["measures"]
    assert measure["title"] == "Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram"
    assert measure["target"] == "90.0000"
    assert measure["status_label"]  # in words
    [frozen_activity] = [a for a in entry["activities"] if a["id"] == activity.pk]
    assert frozen_activity["title"] == "Läsveckor med biblioteket"
    assert frozen_activity["unit"] == "Tengbergsskolan F–6"
    assert frozen_activity["progress"] == 40


def test_a_goal_without_an_ended_period_has_no_assessment_in_the_material(goal, make_meeting):
    material = gather_material(make_meeting(starts_at=local(YEAR, 1, 15, 9)))
    assert material["goals"][0]["assessment"] is None


def test_starting_a_record_gathers_the_material_with_its_checksum(
    personas, make_meeting, make_record
):
    record = make_record(make_meeting())
    assert record.material["goals"][0]["id"] == record.meeting.goals.get().pk
    assert record.material_checksum == checksum_of(record.material)


def test_refreshing_a_draft_picks_up_an_assessment_approved_since(
    grastorp, goal, personas, make_meeting, make_record
):
    meeting = make_meeting(starts_at=local(YEAR, 5, 12, 9))
    record = make_record(meeting)
    assert record.material["goals"][0]["assessment"] is None
    period = _period(grastorp, "Tertial 1 2027", date(YEAR, 1, 1), date(YEAR, 4, 30))
    _approved_assessment(period, goal, personas, Fulfilment.MET, "Målet nås.")
    refreshed = services.record_refresh_material(
        record=record, refreshed_by=personas["strateg"], expected_version=record.version
    )
    assert refreshed.material["goals"][0]["assessment"]["analysis"] == "Målet nås."
    assert refreshed.material_checksum != record.material_checksum
    assert refreshed.history.first().history_change_reason == "Underlaget uppdaterat"


def test_an_approved_records_material_does_not_follow_later_changes(
    grastorp, goal, personas, make_meeting, make_record, activity, at
):
    record = make_record(make_meeting(starts_at=local(YEAR, 5, 12, 9)))
    at(local(YEAR, 5, 13, 12))
    record = services.record_approve(
        record=record, approved_by=personas["fortroendevald"], expected_version=record.version
    )
    frozen, checksum = record.material, record.material_checksum
    goal.title = "En ny lydelse av målet"
    goal.save()
    activity.title = "Ett nytt namn"
    activity.save()
    period = _period(grastorp, "Tertial 1 2027", date(YEAR, 1, 1), date(YEAR, 4, 30))
    _approved_assessment(period, goal, personas, Fulfilment.MET, "Senare.")

    stored = type(record).objects.get(pk=record.pk)
    assert stored.material == frozen
    assert stored.material_checksum == checksum
    assert stored.is_intact


def test_gathering_the_material_runs_the_same_queries_however_many_goals(
    grastorp, goal, goal_by_key, make_meeting
):
    def count(meeting) -> int:
        with CaptureQueriesContext(connection) as queries:
            gather_material(meeting, now=local(YEAR, 3, 10, 12))
        return len(queries)

    one = make_meeting(goals=[goal])
    four = make_meeting(
        goals=[
            goal,
            goal_by_key("gott-liv-i-alla-aldrar"),
            goal_by_key("fler-kommuninvanare"),
            goal_by_key("vardskap-och-medledarskap"),
        ]
    )
    assert count(four) == count(one)
