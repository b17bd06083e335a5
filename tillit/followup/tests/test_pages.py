"""The pages' content, the roll-up, "needs my attention", and query budgets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.core.models import OrgUnit
from tillit.followup.choices import AssessmentState, FollowUpKind
from tillit.followup.models import FollowUpPeriod
from tillit.followup.selectors import period_goals, responsible_units, rollup
from tillit.measures.models import Measure, MeasureTarget, MeasureValue
from tillit.planning.models import Level, OperationalPlan, PlanNode

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more_goals(goal, n: int) -> list[PlanNode]:
    """n more goals beside the fixture's, prioritised in the 2025 plan."""
    level = Level.objects.get(organisation=goal.organisation, key="goal")
    plan = OperationalPlan.objects.get(organisation=goal.organisation, year=2025)
    start = max(goal.parent.children.values_list("number", flat=True)) + 1
    goals = [
        PlanNode.objects.create(
            organisation=goal.organisation,
            document=goal.document,
            level=level,
            parent=goal.parent,
            number=start + i,
            title=f"Extra mål {i}",
        )
        for i in range(n)
    ]
    plan.goals.add(*goals)
    return goals


def _measure(goal, unit, n: int) -> None:
    plan = OperationalPlan.objects.get(organisation=goal.organisation, year=2025)
    measure = Measure.objects.create(
        organisation=goal.organisation, node=goal, title=f"Mått {n}", responsible_unit=unit
    )
    MeasureTarget.objects.create(measure=measure, plan=plan, target=Decimal("10"))
    MeasureValue.objects.create(measure=measure, year=2025, value=Decimal(n))


def test_the_period_page_runs_the_same_queries_however_many_goals_and_assessments(
    client_as, period, goal, school, make_assessment
):
    client = client_as("strateg")
    url = period.get_absolute_url()
    baseline = _count(client, url)

    make_assessment(period, goal, None, state=AssessmentState.APPROVED)
    make_assessment(period, goal, school, state=AssessmentState.SUBMITTED)
    for i, extra in enumerate(_more_goals(goal, 6)):
        make_assessment(period, extra, None)
        make_assessment(period, extra, school, state=AssessmentState.APPROVED)
        _measure(extra, school, i)
    assert _count(client, url) == baseline
    assert baseline <= 20


def test_the_closed_period_page_runs_the_same_queries_however_many_goals(
    client, personas, period, goal, make_assessment
):
    from tillit.followup.services import period_close

    closed = FollowUpPeriod.objects.create(
        organisation=period.organisation,
        name="Tertial 1 2025",
        year=2025,
        kind=FollowUpKind.TERTIAL,
        start=date(2025, 1, 1),
        end=date(2025, 4, 30),
        deadline=date(2025, 5, 15),
    )
    period_close(period=closed, closed_by=personas["strateg"])
    baseline = _count(client, closed.get_absolute_url())
    for extra in _more_goals(goal, 5):
        make_assessment(period, extra, None, state=AssessmentState.APPROVED)
    period_close(period=period, closed_by=personas["strateg"])
    assert _count(client, period.get_absolute_url()) == baseline


def test_the_goal_page_runs_the_same_queries_however_many_unit_assessments(
    client_as, period, goal, school, make_assessment
):
    client = client_as("verksamhetschef")
    url = reverse("followup:goal", args=[period.pk, goal.pk])
    make_assessment(period, goal, school)
    baseline = _count(client, url)
    for name in ("Grästorps förskolor", "Tengbergsskolan 7–9", "Utbildning"):
        make_assessment(period, goal, OrgUnit.objects.get(name=name))
    make_assessment(period, goal, None)
    assert _count(client, url) == baseline


def test_the_period_page_shows_each_goals_status_in_words(client_as, period, goal, make_assessment):
    make_assessment(period, goal, None, status="partly", state=AssessmentState.APPROVED)
    text = client_as("fortroendevald").get(period.get_absolute_url()).content.decode()
    assert 'class="status status--yellow"' in text
    assert "Delvis uppfyllt" in text or "Partly fulfilled" in text
    assert reverse("followup:goal", args=[period.pk, goal.pk]) in text


def test_the_public_list_shows_closed_periods_only(client, personas, period):
    from tillit.followup.services import period_close

    other = FollowUpPeriod.objects.create(
        organisation=period.organisation,
        name="Tertial 1 2025",
        year=2025,
        kind=FollowUpKind.TERTIAL,
        start=date(2025, 1, 1),
        end=date(2025, 4, 30),
        deadline=date(2025, 5, 15),
    )
    period_close(period=other, closed_by=personas["strateg"])
    text = client.get(reverse("followup:periods")).content.decode()
    assert "Tertial 1 2025" in text
    assert period.name not in text


# --- the roll-up ------------------------------------------------------------------------------


def test_unit_assessments_roll_up_under_their_operation(period, goal, school, make_assessment):
    education = OrgUnit.objects.get(name="Utbildning")
    own = make_assessment(period, goal, education)
    school_level = make_assessment(period, goal, school)
    goal_level = make_assessment(period, goal, None)

    result = rollup(goal, period)

    assert result.goal_level == goal_level
    [group] = result.operations
    assert group.operation == education
    assert group.own == own
    entries = {e.unit.name: e.assessment for e in group.entries}
    # The responsible units that have not written theirs yet are there too, without one.
    assert entries == {
        "Grästorps förskolor": None,
        "Tengbergsskolan F–6": school_level,
        "Tengbergsskolan 7–9": None,
    }
    assert set(result.unit_assessments) == {own, school_level}


def test_the_responsible_units_come_from_the_years_areas_and_measures(period, goal):
    names = {u.name for u in responsible_units([goal], period)[goal.pk]}
    # Läsfrämjande (F–6) and Språkutvecklande förskola are 2025 areas; the åk 9 measure
    # belongs to 7–9. "Digitalt lärande" (Utbildning) is an area of 2026.
    assert names == {"Tengbergsskolan F–6", "Grästorps förskolor", "Tengbergsskolan 7–9"}


def test_a_work_teams_area_is_assessed_by_its_enhet(period, goal, area):
    team = OrgUnit.objects.get(name="Arbetslag F–3")
    PlanNode.objects.filter(pk=area.pk).update(owner_unit=team)
    names = {u.name for u in responsible_units([goal], period)[goal.pk]}
    assert "Tengbergsskolan F–6" in names and "Arbetslag F–3" not in names


def test_the_period_follows_up_the_goals_of_the_years_plan(period):
    goals = period_goals(period)
    plan = OperationalPlan.objects.get(organisation=period.organisation, year=2025)
    assert {g.pk for g in goals} == set(plan.goals.values_list("pk", flat=True))
    assert all(g.level.key == "goal" for g in goals)


def test_without_a_plan_for_the_year_the_period_follows_up_the_documents_goals(grastorp):
    later = FollowUpPeriod.objects.create(
        organisation=grastorp,
        name="Helår 2027",
        year=2027,
        kind=FollowUpKind.ANNUAL,
        start=date(2027, 1, 1),
        end=date(2027, 12, 31),
        deadline=date(2028, 2, 15),
    )
    goals = period_goals(later)
    assert len(goals) == 10
    assert {g.document.period_label for g in goals} == {"2024–2027"}


# --- needs my attention -----------------------------------------------------------------------


def test_the_attention_list_names_the_assessments_to_write_with_their_deadline(
    client_as, period, goal, school, make_assessment
):
    make_assessment(period, goal, school)  # a draft of the school's: still to be submitted
    response = client_as("enhetschef").get(reverse("followup:attention"))
    items = response.context["items"]
    assert [(i.goal, i.unit, i.assessment is not None) for i in items] == [(goal, school, True)]
    assert "2025-09-15" in response.content.decode()


def test_the_operation_manager_sees_the_units_the_goal_level_and_the_missing(
    client_as, period, goal, school, make_assessment
):
    make_assessment(period, goal, school, state=AssessmentState.SUBMITTED)
    items = client_as("verksamhetschef").get(reverse("followup:attention")).context["items"]
    mine = {(i.unit.name if i.unit else None) for i in items if i.goal == goal}
    # F–6 has submitted: not waiting. Utbildning's units have assessed: the goal level waits.
    assert mine == {"Grästorps förskolor", "Tengbergsskolan 7–9", None}


def test_the_plan_administrator_sees_every_goal_level_assessment_not_yet_submitted(
    client_as, period, goal, make_assessment
):
    make_assessment(period, goal, None, state=AssessmentState.SUBMITTED)
    items = client_as("strateg").get(reverse("followup:attention")).context["items"]
    goal_level = [i for i in items if i.unit is None]
    assert len(goal_level) == len(period_goals(period)) - 1
    assert goal not in [i.goal for i in goal_level]


def test_a_closed_period_asks_nothing_of_anyone(client_as, personas, period):
    from tillit.followup.services import period_close

    period_close(period=period, closed_by=personas["strateg"])
    for persona in ("strateg", "verksamhetschef", "enhetschef"):
        assert client_as(persona).get(reverse("followup:attention")).context["items"] == []


def test_the_elected_representative_has_nothing_to_write(client_as, period):
    response = client_as("fortroendevald").get(reverse("followup:attention"))
    assert response.context["items"] == [] and response.context["measures"] == []


def test_the_attention_list_names_the_units_measures_without_a_value_this_year(
    client_as, grastorp, school, area
):
    from django.utils import timezone

    year = timezone.localdate().year
    measure = Measure.objects.create(
        organisation=grastorp, node=area, title="Antal boksamtal", responsible_unit=school
    )
    response = client_as("medledare").get(reverse("followup:attention"))
    assert measure in response.context["measures"]
    MeasureValue.objects.create(measure=measure, year=year, value=Decimal("3"))
    response = client_as("medledare").get(reverse("followup:attention"))
    assert measure not in response.context["measures"]
    assert (
        measure not in client_as("outsider").get(reverse("followup:attention")).context["measures"]
    )
