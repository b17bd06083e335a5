"""The status the measures suggest: a suggestion, a person decides."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tillit.core.choices import Fulfilment
from tillit.followup.choices import FollowUpKind
from tillit.followup.models import FollowUpPeriod
from tillit.followup.selectors import fulfilment_from, suggest_status, suggestion
from tillit.measures.choices import MeasureStatus
from tillit.measures.models import Measure, MeasureTarget, MeasureValue
from tillit.measures.selectors import MeasureRow
from tillit.planning.models import OperationalPlan

pytestmark = pytest.mark.django_db

MET, NEAR, NOT_MET = MeasureStatus.MET, MeasureStatus.NEAR, MeasureStatus.NOT_MET
NO_DATA, NO_TARGET = MeasureStatus.NO_DATA, MeasureStatus.NO_TARGET


def _rows(*statuses) -> list[MeasureRow]:
    return [MeasureRow(measure=None, target=None, latest=None, status=s) for s in statuses]


@pytest.mark.parametrize(
    "statuses, expected",
    [
        ((MET, MET), Fulfilment.MET),
        ((MET, MET, NO_DATA), Fulfilment.MET),  # a measure without a value does not count
        ((NOT_MET, NOT_MET), Fulfilment.NOT_MET),
        ((NOT_MET, NO_TARGET), Fulfilment.NOT_MET),
        ((MET, NOT_MET), Fulfilment.PARTLY),
        ((NEAR,), Fulfilment.PARTLY),  # close to target is partly
        ((NEAR, NOT_MET), Fulfilment.PARTLY),
        ((MET, NEAR), Fulfilment.PARTLY),
        ((NO_DATA, NO_TARGET), Fulfilment.NOT_ASSESSED),
        ((), Fulfilment.NOT_ASSESSED),
    ],
)
def test_the_suggestion_follows_the_measures_statuses(statuses, expected):
    assert fulfilment_from(_rows(*statuses)) == expected


@pytest.fixture
def reading_measure(grastorp, area, school):
    """A measure of the school's area "Läsfrämjande i F–6" that meets its 2025 target."""
    measure = Measure.objects.create(
        organisation=grastorp,
        node=area,
        title="Andel elever som läser varje dag",
        unit="%",
        responsible_unit=school,
    )
    plan = OperationalPlan.objects.get(organisation=grastorp, year=2025)
    MeasureTarget.objects.create(measure=measure, plan=plan, target=Decimal("70"))
    MeasureValue.objects.create(measure=measure, year=2025, value=Decimal("74"))
    return measure


def test_the_goal_suggests_not_fulfilled_from_its_one_measure_below_target(period, goal):
    assert suggest_status(goal, period) == Fulfilment.NOT_MET


def test_an_areas_measure_counts_for_its_goal(period, goal, reading_measure):
    result = suggestion(goal, period)
    assert reading_measure in [row.measure for row in result.rows]
    assert result.status == Fulfilment.PARTLY


def test_all_measures_met_suggest_fulfilled(period, goal, reading_measure):
    MeasureValue.objects.filter(measure__title__startswith="Andel elever i åk 9", year=2025).update(
        value=Decimal("90")
    )
    assert suggest_status(goal, period) == Fulfilment.MET


def test_a_unit_is_suggested_from_its_own_measures_only(period, goal, school, reading_measure):
    result = suggestion(goal, period, unit=school)
    assert [row.measure for row in result.rows] == [reading_measure]
    assert result.status == Fulfilment.MET


def test_without_an_operational_plan_for_the_year_nothing_is_suggested(grastorp, goal):
    later = FollowUpPeriod.objects.create(
        organisation=grastorp,
        name="Helår 2027",
        year=2027,
        kind=FollowUpKind.ANNUAL,
        start=date(2027, 1, 1),
        end=date(2027, 12, 31),
        deadline=date(2028, 2, 15),
    )
    result = suggestion(goal, later)
    assert (result.status, result.rows) == (Fulfilment.NOT_ASSESSED, [])


def test_without_values_this_year_nothing_is_suggested(grastorp, goal):
    """2026 has targets but no values yet: the measures say nothing."""
    period = FollowUpPeriod.objects.create(
        organisation=grastorp,
        name="Tertial 1 2026",
        year=2026,
        kind=FollowUpKind.TERTIAL,
        start=date(2026, 1, 1),
        end=date(2026, 4, 30),
        deadline=date(2026, 5, 15),
    )
    result = suggestion(goal, period)
    assert result.rows and result.status == Fulfilment.NOT_ASSESSED


def test_the_form_shows_the_suggestion_beside_it_and_does_not_decide(
    client_as, period, goal, school, reading_measure
):
    response = client_as("enhetschef").get(
        reverse("followup:assessment_unit", args=[period.pk, goal.pk, school.pk])
    )
    assert response.context["suggestion"].status == Fulfilment.MET
    assert response.context["form"].initial["status"] == Fulfilment.NOT_ASSESSED
    text = response.content.decode()
    assert "Andel elever som läser varje dag" in text
    assert str(Fulfilment.MET.label) in text
