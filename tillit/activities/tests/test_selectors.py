"""The reads other apps build on: above all `activities_for_goals`, which the dialogues
freeze into a dialogue record's material."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillit.activities.choices import ActivityStatus
from tillit.activities.models import Activity
from tillit.activities.selectors import activities_for_goals, status_counts
from tillit.planning.models import PlanNode

pytestmark = pytest.mark.django_db


def titles(activities) -> list[str]:
    return [a.title for a in activities]


def test_a_goal_has_the_activities_of_the_goal_and_of_its_areas_that_year(goal):
    spring_2025 = activities_for_goals([goal], on=date(2025, 5, 1))
    assert titles(spring_2025[goal.pk]) == [
        "Läsombud i varje klass",  # through the area "Läsfrämjande i F–6"
        "Bokcirklar i åk 4–6",  # linked to the goal and to the area: listed once
        "Studiehandledning på modersmål i åk 7–9",  # the goal itself, no end date
    ]
    autumn_2026 = activities_for_goals([goal], on=date(2026, 10, 1))
    assert titles(autumn_2026[goal.pk]) == [
        "Bokcirklar i åk 4–6",  # until June 2026
        "Studiehandledning på modersmål i åk 7–9",
        "Fortbildning i digitala lärresurser",  # the 2026 area; paused, not cancelled
    ]


def test_cancelled_activities_and_other_years_are_left_out(grastorp):
    health = PlanNode.objects.get(
        organisation=grastorp, level__key="goal", key="social-hallbarhet-och-folkhalsa"
    )
    cancelled = Activity.objects.get(title="Utomhuspass med föreningslivet")
    assert cancelled.status == ActivityStatus.CANCELLED
    assert activities_for_goals([health], on=date(2026, 3, 1)) == {health.pk: []}


def test_every_goal_asked_about_has_a_list_even_without_activities(grastorp, goal):
    homes = PlanNode.objects.get(organisation=grastorp, key="fler-kommuninvanare")
    result = activities_for_goals([goal, homes], on=date(2025, 5, 1))
    assert set(result) == {goal.pk, homes.pk}
    assert result[homes.pk] == []
    assert activities_for_goals([]) == {}


def test_the_default_is_the_year_of_today(goal, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2025, 5, 1))
    assert titles(activities_for_goals([goal])[goal.pk]) == titles(
        activities_for_goals([goal], on=date(2025, 5, 1))[goal.pk]
    )


def test_unit_and_responsible_person_come_with_the_activities(goal, django_assert_num_queries):
    result = activities_for_goals([goal], on=date(2025, 5, 1))
    with django_assert_num_queries(0):
        assert [(a.owner_unit.name, a.responsible.get_full_name()) for a in result[goal.pk]] == [
            ("Tengbergsskolan F–6", "Ali Hassan"),
            ("Tengbergsskolan F–6", "Ali Hassan"),
            ("Tengbergsskolan 7–9", "Johan Ekström"),
        ]


def _queries(goals) -> int:
    with CaptureQueriesContext(connection) as queries:
        activities_for_goals(goals, on=date(2025, 5, 1))
    return len(queries)


def test_the_query_count_does_not_grow_with_goals_or_activities(grastorp, goal, make_activity):
    goals = list(PlanNode.objects.filter(organisation=grastorp, level__key="goal"))
    before = _queries(goals)
    for n in range(30):
        make_activity(f"Aktivitet {n}", nodes=[goals[n % len(goals)]])
    assert _queries(goals) == before == 2


def test_status_counts_cover_every_status_in_order(grastorp):
    counts = status_counts(Activity.objects.filter(organisation=grastorp))
    assert [status for status, _n in counts] == list(ActivityStatus)
    assert dict(counts) == {
        ActivityStatus.PLANNED: 1,
        ActivityStatus.ONGOING: 5,
        ActivityStatus.DONE: 4,
        ActivityStatus.PAUSED: 1,
        ActivityStatus.CANCELLED: 1,
    }
