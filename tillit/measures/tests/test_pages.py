from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.core.choices import Fulfilment
from tillit.core.models import Decision
from tillit.measures.choices import Direction, MeasureKind, MeasureStatus
from tillit.measures.models import Measure, MeasureTarget, MeasureValue
from tillit.planning.models import OperationalPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(grastorp) -> OperationalPlan:
    return OperationalPlan.objects.get(organisation=grastorp, year=2025)


@pytest.fixture
def absence(grastorp) -> Measure:
    return Measure.objects.get(organisation=grastorp, title="Sjukfrånvaro bland medarbetare")


def _target(measure, plan, target, near=None) -> MeasureTarget:
    target_row = MeasureTarget(measure=measure, plan=plan, target=target, near_threshold=near)
    target_row.measure = measure
    return target_row


# --- the traffic light -----------------------------------------------------------------


@pytest.mark.parametrize(
    "direction, value, expected",
    [
        (Direction.HIGHER, "100", MeasureStatus.MET),
        (Direction.HIGHER, "95", MeasureStatus.NEAR),
        (Direction.HIGHER, "80", MeasureStatus.NOT_MET),
        (Direction.LOWER, "5", MeasureStatus.MET),
        (Direction.LOWER, "5.4", MeasureStatus.NEAR),
        (Direction.LOWER, "7", MeasureStatus.NOT_MET),
    ],
)
def test_the_status_follows_the_direction_and_the_near_threshold(
    plan, goal, direction, value, expected
):
    target = Decimal("100") if direction == Direction.HIGHER else Decimal("5")
    near = Decimal("90") if direction == Direction.HIGHER else Decimal("5.5")
    measure = Measure(organisation=plan.organisation, node=goal, title="M", direction=direction)
    assert _target(measure, plan, target, near).status_of(Decimal(value)) == expected


def test_without_a_near_threshold_nine_tenths_of_the_way_from_the_baseline_counts(plan, goal):
    measure = Measure(
        organisation=plan.organisation,
        node=goal,
        title="M",
        baseline_value=Decimal("50"),
        baseline_year=2023,
    )
    target = _target(measure, plan, Decimal("100"))
    assert target.status_of(Decimal("95")) == MeasureStatus.NEAR  # 50 + 0.9 · 50 = 95
    assert target.status_of(Decimal("94.9")) == MeasureStatus.NOT_MET
    assert target.status_of(None) == MeasureStatus.NO_DATA


def test_a_qualitative_measure_is_judged_by_its_grade(plan, goal):
    measure = Measure(
        organisation=plan.organisation, node=goal, title="Q", kind=MeasureKind.QUALITATIVE
    )
    target = MeasureTarget(measure=measure, plan=plan, target_grade=Fulfilment.MET)
    assert target.status_of(None, Fulfilment.PARTLY) == MeasureStatus.NEAR
    assert target.status_of(None, "") == MeasureStatus.NO_DATA


# --- pages -----------------------------------------------------------------------------


def test_the_public_reads_the_adopted_plan_with_words_beside_every_light(client, plan):
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Verksamhetsplan 2025" in page
    assert "Sjukfrånvaro bland medarbetare" in page
    # The status is said in words, never by colour alone.
    assert "Målvärdet ej uppnått" in page or "Målvärdet uppnått" in page
    assert 'class="status status--' in page
    assert "5\u00a0750" in page  # Swedish number formatting of the population target


def test_a_draft_plan_is_for_staff_only(client, client_as, grastorp, plan):
    draft = OperationalPlan.objects.create(
        organisation=grastorp, document=plan.document, year=2027, title="Verksamhetsplan 2027"
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client_as("medledare").get(draft.get_absolute_url()).status_code == 200
    assert (
        "Verksamhetsplan 2027"
        not in client.get(reverse("measures:operational_plans")).content.decode()
    )


def test_the_measure_page_has_a_chart_a_table_and_a_projection(client, absence):
    page = client.get(absence.get_absolute_url()).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "<table" in page and "7,2" in page  # the 2025 value, decimal comma
    assert "Trend till 2027" in page
    assert "Om trenden håller" in page


def test_a_measure_under_a_draft_document_is_hidden_from_the_public(client, grastorp, absence):
    document = absence.node.document
    document.status = "draft"
    document.save()
    assert client.get(absence.get_absolute_url()).status_code == 404


def test_the_goal_page_lists_its_measures(client, absence):
    page = client.get(absence.node.get_absolute_url()).content.decode()
    assert absence.get_absolute_url() in page


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_plan_page_costs_the_same_queries_as_measures_and_values_grow(
    client_as, grastorp, plan
):
    client = client_as("strateg")
    before = _count(client, plan.get_absolute_url())
    goals = list(plan.goals.all())
    for n in range(40):
        measure = Measure.objects.create(
            organisation=grastorp, node=goals[n % len(goals)], title=f"Extra mått {n}"
        )
        MeasureTarget.objects.create(measure=measure, plan=plan, target=Decimal(n))
        MeasureValue.objects.bulk_create(
            MeasureValue(measure=measure, year=2025, period_kind="month", period=m, value=m)
            for m in range(1, 13)
        )
    assert _count(client, plan.get_absolute_url()) == before


def test_the_latest_value_of_the_year_decides_the_status(grastorp, plan, absence):
    from tillit.measures.selectors import measure_rows

    # A tertial value later in the year than the year value's absence: the year value wins
    # only when it exists; here a tertial 2026 value does not count for the 2025 plan.
    MeasureValue.objects.create(
        measure=absence, year=2026, period_kind="tertial", period=1, value=Decimal("6.0")
    )
    row = measure_rows(plan, [absence])[absence.pk]
    assert row.latest.year == 2025
    assert row.status == MeasureStatus.NOT_MET  # 7,2 against 7,0, lower is better


def test_a_target_change_is_kept_in_the_measures_history(client_as, personas, plan, absence):
    target = MeasureTarget.objects.get(measure=absence, plan=plan)
    target.target = Decimal("6.8")
    target.decision = Decision.objects.get(paragraph="118")
    target._history_user = personas["strateg"]
    target.save()
    page = client_as("fortroendevald").get(absence.get_absolute_url()).content.decode()
    history = page[page.index('id="history-heading"') :]
    assert "Målvärde 2025" in history and "6,8" in page


def test_values_must_lie_in_their_period(absence):
    from django.core.exceptions import ValidationError

    value = MeasureValue(measure=absence, year=2025, period_kind="tertial", period=4, value=1)
    with pytest.raises(ValidationError):
        value.full_clean()


def test_a_measure_cannot_point_at_another_organisations_goal(grastorp, goal):
    from django.core.exceptions import ValidationError

    from tillit.core.models import Organisation

    other = Organisation.objects.create(slug="annan", name="Annan kommun")
    with pytest.raises(ValidationError):
        Measure(organisation=other, node=goal, title="Fel").full_clean()


def test_the_plan_shows_each_goals_latest_approved_assessment(client, client_as, grastorp, plan):
    from tillit.followup.demo import load_followup_demo

    load_followup_demo(grastorp)  # Tertial 1 2025 closed with an approved assessment
    public = client.get(plan.get_absolute_url()).content.decode()
    assert "Tertial 1 2025" in public
    assert "Ingen godkänd bedömning ännu" in public


# --- the overview a page of goals at a time -------------------------------------------------


def test_each_goal_counts_its_measures_by_status(client, plan):
    response = client.get(plan.get_absolute_url())
    for _goal, rows, counts, _assessment in response.context["goals"]:
        assert sum(n for _status, n in counts) == len(rows)
        assert [s for s, _n in counts] == [
            s for s in MeasureStatus if s in {r.status for r in rows}
        ]
    assert "Verksamhetsmått per status:" in response.content.decode()


def test_a_large_plan_is_shown_a_page_of_goals_at_a_time(client, grastorp, plan, monkeypatch):
    from tillit.measures import views

    monkeypatch.setattr(views, "GOALS_PER_PAGE", 4)
    goals = list(
        plan.goals.order_by("parent__parent__order", "parent__order", "order", "number", "pk")
    )
    # A measure on a goal that the plan does not prioritise is listed once, at the end.
    outside = goals[-1].parent.children.exclude(pk__in=[g.pk for g in goals]).first()
    if outside is None:
        plan.goals.remove(goals[-1])
        outside, goals = goals[-1], goals[:-1]
    stray = Measure.objects.create(organisation=grastorp, node=outside, title="Mått utanför planen")
    MeasureTarget.objects.create(measure=stray, plan=plan, target=Decimal(1))

    seen = []
    pages = -(-len(goals) // 4)
    for number in range(1, pages + 1):
        response = client.get(plan.get_absolute_url(), {"sida": number})
        page = response.content.decode()
        shown = [goal for goal, *_rest in response.context["goals"]]
        assert len(shown) == (4 if number < pages else len(goals) - 4 * (pages - 1))
        seen += shown
        assert (
            f"Mål {4 * (number - 1) + 1}–{4 * (number - 1) + len(shown)} av {len(goals)}." in page
        )
        assert f'aria-current="page">{number}<' in page
        assert ("Mått utanför planen" in page) == (number == pages)
    assert seen == goals
    # A page number out of range shows the last page; nonsense shows the first.
    assert client.get(plan.get_absolute_url(), {"sida": 99}).context["page"].number == pages
    assert client.get(plan.get_absolute_url(), {"sida": "x"}).context["page"].number == 1


def test_every_page_of_the_plan_costs_the_same_queries(client_as, grastorp, plan, monkeypatch):
    from tillit.measures import views

    monkeypatch.setattr(views, "GOALS_PER_PAGE", 3)
    client = client_as("strateg")
    first = _count(client, plan.get_absolute_url() + "?sida=1")
    second = _count(client, plan.get_absolute_url() + "?sida=2")
    for n, goal in enumerate(plan.goals.all()):
        for m in range(3):
            measure = Measure.objects.create(
                organisation=grastorp, node=goal, title=f"Mått {n}.{m}"
            )
            MeasureTarget.objects.create(measure=measure, plan=plan, target=Decimal(m))
    assert _count(client, plan.get_absolute_url() + "?sida=1") == first
    assert _count(client, plan.get_absolute_url() + "?sida=2") == second == first
