"""What the database itself enforces, and the models' own checks."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tillit.core.models import OrgUnit
from tillit.followup.choices import FollowUpKind
from tillit.followup.models import Assessment, FollowUpPeriod

pytestmark = pytest.mark.django_db


def test_one_goal_level_assessment_per_goal_and_period_even_though_null_is_never_equal(
    period, goal
):
    Assessment.objects.create(period=period, goal=goal, unit=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(period=period, goal=goal, unit=None)


def test_one_assessment_per_unit_goal_and_period(period, goal, school):
    Assessment.objects.create(period=period, goal=goal, unit=school)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(period=period, goal=goal, unit=school)


def test_a_periods_last_day_does_not_come_before_its_first(grastorp):
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpPeriod.objects.create(
            organisation=grastorp,
            name="Baklänges",
            year=2025,
            kind=FollowUpKind.TERTIAL,
            start=date(2025, 4, 30),
            end=date(2025, 1, 1),
            deadline=date(2025, 5, 15),
        )


def test_period_names_are_unique_within_a_year(period):
    duplicate = FollowUpPeriod(
        organisation=period.organisation,
        name=period.name,
        year=period.year,
        kind=FollowUpKind.INTERIM,
        start=period.start,
        end=period.end,
        deadline=period.deadline,
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "__all__" in error.value.message_dict


def test_only_a_goal_is_assessed(period, goal, area):
    with pytest.raises(ValidationError) as error:
        Assessment(period=period, goal=area).full_clean()
    assert "goal" in error.value.message_dict


def test_a_work_team_or_the_administration_does_not_assess(period, goal):
    for name in ("Arbetslag F–3", "Grästorps kommuns förvaltning"):
        unit = OrgUnit.objects.get(name=name)
        with pytest.raises(ValidationError) as error:
            Assessment(period=period, goal=goal, unit=unit).full_clean()
        assert "unit" in error.value.message_dict


def test_the_form_reports_a_period_that_ends_before_it_starts(client_as, grastorp):
    response = client_as("strateg").post(
        reverse("followup:period_add"),
        {
            "name": "Fel ordning",
            "year": 2025,
            "kind": "tertial",
            "start": "2025-04-30",
            "end": "2025-01-01",
            "deadline": "2025-05-15",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not FollowUpPeriod.objects.filter(name="Fel ordning").exists()


def test_opening_a_period_is_recorded_with_who_did_it(client_as, personas, grastorp):
    client_as("strateg").post(
        reverse("followup:period_add"),
        {
            "name": "Helår 2025",
            "year": 2025,
            "kind": "annual",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "deadline": "2026-02-15",
        },
    )
    period = FollowUpPeriod.objects.get(name="Helår 2025")
    assert period.is_open
    assert period.history.get().history_user == personas["strateg"]
