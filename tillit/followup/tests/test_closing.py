"""Closing a period freezes what it reports, in the same transaction, for good."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from tillit.followup import services
from tillit.followup.choices import AssessmentState, PeriodStatus
from tillit.followup.models import Assessment, FollowUpPeriod, PeriodSnapshot
from tillit.followup.selectors import goal_measure_rows, period_goals, snapshot_data
from tillit.measures.models import Measure, MeasureValue

pytestmark = pytest.mark.django_db

MEASURE = "Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram"


@pytest.fixture
def reported(period, goal, school, make_assessment):
    """The goal's own assessment and the school's, approved; another unit's only submitted."""
    from tillit.core.models import OrgUnit

    goal_level = make_assessment(
        period,
        goal,
        None,
        state=AssessmentState.APPROVED,
        status="partly",
        analysis="Läsningen ökar, behörigheten inte ännu.",
        next_steps="Studiehandledning i åk 7–9.",
    )
    unit_level = make_assessment(
        period, goal, school, state=AssessmentState.APPROVED, analysis="Skolans analys."
    )
    preschools = OrgUnit.objects.get(name="Grästorps förskolor")
    pending = make_assessment(
        period, goal, preschools, state=AssessmentState.SUBMITTED, analysis="Inte godkänd."
    )
    return goal_level, unit_level, pending


def _canonical_sha256(data) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_closing_freezes_the_approved_assessments_and_the_measure_rows(
    personas, period, goal, reported
):
    goal_level, unit_level, _pending = reported
    rows_at_closing = goal_measure_rows(period_goals(period), period)[goal.pk]

    closed = services.period_close(period=period, closed_by=personas["strateg"])

    assert closed.status == PeriodStatus.CLOSED
    assert closed.closed_by == personas["strateg"]
    snapshot = PeriodSnapshot.objects.get(period=period)
    assert snapshot.created_at == closed.closed_at
    # Exactly the data at closing, and its checksum is the SHA-256 of the canonical JSON.
    fresh = FollowUpPeriod.objects.get(pk=period.pk)
    assert snapshot.data == snapshot_data(
        fresh, closed_at=closed.closed_at, closed_by=personas["strateg"]
    )
    assert snapshot.checksum == _canonical_sha256(snapshot.data)
    assert snapshot.is_intact

    frozen = next(g for g in snapshot.data["goals"] if g["id"] == goal.pk)
    assert frozen["label"] == goal.label
    assert frozen["assessment"]["status"] == "partly"
    assert frozen["assessment"]["analysis"] == "Läsningen ökar, behörigheten inte ännu."
    assert frozen["assessment"]["next_steps"] == "Studiehandledning i åk 7–9."
    assert frozen["assessment"]["approved_by"] == str(personas["strateg"])
    assert frozen["assessment"]["approved_at"] == goal_level.approved_at.isoformat()
    assert [u["unit"] for u in frozen["units"]] == ["Tengbergsskolan F–6"]  # approved only
    assert frozen["units"][0]["operation"] == "Utbildning"
    assert frozen["units"][0]["analysis"] == unit_level.analysis
    assert [m["title"] for m in frozen["measures"]] == [r.measure.title for r in rows_at_closing]
    measure = next(m for m in frozen["measures"] if m["title"] == MEASURE)
    assert Decimal(measure["target"]) == Decimal("88")
    assert Decimal(measure["latest_value"]) == Decimal("85.4")
    assert (measure["period_label"], measure["status"], measure["unit"]) == ("2025", "not_met", "%")
    assert len(snapshot.data["goals"]) == len(period_goals(period)) == 10


def test_the_snapshot_stays_identical_after_later_edits(client, personas, period, goal, reported):
    goal_level, _unit_level, pending = reported
    services.period_close(period=period, closed_by=personas["strateg"])
    before = PeriodSnapshot.objects.get(period=period)
    data, checksum = before.data, before.checksum

    # What can still change elsewhere changes: a measure's value, the goal's title.
    value = MeasureValue.objects.get(measure__title=MEASURE, year=2025, period_kind="year")
    value.value = Decimal("99.9")
    value.save()
    goal.title = "En ny rubrik på målet"
    goal.save()
    Measure.objects.filter(title=MEASURE).update(title="Ett omdöpt mått")
    # What belongs to the period does not.
    with pytest.raises(ValidationError):
        services.assessment_save(
            assessment=pending,
            written_by=personas["enhetschef"],
            expected_version=pending.version,
            status="met",
            analysis="Efteråt.",
            next_steps="",
        )
    with pytest.raises(ValidationError):
        services.assessment_return(
            assessment=goal_level, returned_by=personas["strateg"], expected_version=1
        )

    after = PeriodSnapshot.objects.get(period=period)
    assert after.data == data
    assert after.checksum == checksum == _canonical_sha256(after.data)
    page = client.get(reverse("followup:goal", args=[period.pk, goal.pk])).content.decode()
    assert "85,4" in page and "99,9" not in page
    assert MEASURE in page and "Ett omdöpt mått" not in page
    assert "En ny rubrik på målet" not in page


def test_a_snapshot_is_never_changed_nor_deleted(personas, period, reported):
    services.period_close(period=period, closed_by=personas["strateg"])
    snapshot = PeriodSnapshot.objects.get(period=period)
    snapshot.data = {"goals": []}
    with pytest.raises(ValidationError):
        snapshot.save()
    with pytest.raises(ValidationError):
        snapshot.delete()
    assert PeriodSnapshot.objects.get(period=period).checksum == snapshot.checksum


def test_a_tampered_snapshot_no_longer_matches_its_checksum(personas, period, reported):
    services.period_close(period=period, closed_by=personas["strateg"])
    PeriodSnapshot.objects.filter(period=period).update(data={"goals": []})
    assert not PeriodSnapshot.objects.get(period=period).is_intact


def test_closing_and_the_snapshot_are_one_transaction(personas, period, monkeypatch):
    """If freezing fails, the period stays open: never a closed period without its report."""

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(services.PeriodSnapshot.objects, "create", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.period_close(period=period, closed_by=personas["strateg"])
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    assert not PeriodSnapshot.objects.filter(period=period).exists()


def test_a_closed_period_is_not_closed_again_nor_reopened(client_as, personas, period):
    services.period_close(period=period, closed_by=personas["strateg"])
    first = PeriodSnapshot.objects.get(period=period).checksum
    with pytest.raises(ValidationError):
        services.period_close(period=period, closed_by=personas["strateg"])
    response = client_as("strateg").post(reverse("followup:period_close", args=[period.pk]))
    assert response.status_code == 403
    assert PeriodSnapshot.objects.get(period=period).checksum == first
    page = client_as("strateg").get(period.get_absolute_url()).content.decode()
    assert reverse("followup:period_close", args=[period.pk]) not in page


def test_only_a_plan_administrator_closes_even_through_the_service(personas, period):
    for persona in ("verksamhetschef", "fortroendevald"):
        with pytest.raises(PermissionDenied):
            services.period_close(period=period, closed_by=personas[persona])
    period.refresh_from_db()
    assert period.is_open


def test_the_confirmation_page_lists_the_goals_without_an_approved_assessment(
    client_as, period, goal, reported
):
    response = client_as("strateg").get(reverse("followup:period_close", args=[period.pk]))
    unapproved = response.context["unapproved"]
    assert goal.pk not in [line.goal.pk for line in unapproved]
    assert len(unapproved) == len(period_goals(period)) - 1


def test_assessments_of_a_closed_period_cannot_be_written_even_by_the_service(
    personas, period, goal, school
):
    services.period_close(period=period, closed_by=personas["strateg"])
    with pytest.raises(ValidationError):
        services.assessment_save(
            assessment=Assessment(period=period, goal=goal, unit=school),
            written_by=personas["enhetschef"],
            expected_version=0,
            status="met",
            analysis="För sent.",
            next_steps="",
        )
    assert not Assessment.objects.filter(period=period, unit=school).exists()
