"""Next year's plan from this year's, adopting it, and targets that change only by decision."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tillit.core.models import Body, Decision
from tillit.measures.models import Measure, MeasureTarget
from tillit.planning.models import OperationalPlan

pytestmark = pytest.mark.django_db

EVERYONE = (
    "fortroendevald",
    "strateg",
    "verksamhetschef",
    "enhetschef",
    "medledare",
    "outsider",
    "anonymous",
)


def refused(response, persona: str) -> bool:
    if persona == "anonymous":
        return response.status_code == 302 and reverse("login") in response["Location"]
    return response.status_code == 403


@pytest.fixture
def plan_2026(grastorp) -> OperationalPlan:
    return OperationalPlan.objects.get(organisation=grastorp, year=2026)


@pytest.fixture
def absence(grastorp) -> Measure:
    return Measure.objects.get(organisation=grastorp, title="Sjukfrånvaro bland medarbetare")


@pytest.fixture
def new_decision(grastorp) -> Decision:
    kf = Body.objects.get(organisation=grastorp, abbreviation="KF")
    return Decision.objects.create(
        organisation=grastorp,
        body=kf,
        date=date(2026, 6, 15),
        paragraph="64",
        title="Ändrat målvärde för sjukfrånvaron",
    )


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_plan_administrator_starts_next_years_plan(client_as, plan_2026, persona):
    response = client_as(persona).post(
        reverse("measures:operational_plan_copy_forward", args=[2026])
    )
    exists = OperationalPlan.objects.filter(organisation=plan_2026.organisation, year=2027)
    if persona == "strateg":
        assert response.status_code == 302
        following = exists.get()
        assert following.status == "draft" and following.decision is None
        assert set(following.goals.all()) == set(plan_2026.goals.all())
        copied = {t.measure_id: t.target for t in following.targets.all()}
        assert copied == {t.measure_id: t.target for t in plan_2026.targets.all()}
    else:
        assert refused(response, persona)
        assert not exists.exists()


def test_a_plan_beyond_the_mandate_period_is_not_started(client_as, plan_2026):
    client = client_as("strateg")
    client.post(reverse("measures:operational_plan_copy_forward", args=[2026]))
    response = client.post(reverse("measures:operational_plan_copy_forward", args=[2027]))
    assert response.status_code == 302
    assert not OperationalPlan.objects.filter(year=2028).exists()


def test_a_draft_is_adopted_with_its_decision(client_as, plan_2026, new_decision):
    client = client_as("strateg")
    client.post(reverse("measures:operational_plan_copy_forward", args=[2026]))
    url = reverse("measures:operational_plan_adopt", args=[2027])
    assert client.post(url, {}).status_code == 200  # no decision chosen: refused
    assert client.post(url, {"decision": new_decision.pk}).status_code == 302
    plan = OperationalPlan.objects.get(year=2027)
    assert plan.is_adopted and plan.decision == new_decision
    assert plan.history.latest().history_change_reason == new_decision.reference


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_plan_administrator_changes_a_target(
    client_as, plan_2026, absence, new_decision, persona
):
    url = reverse("measures:target", args=[absence.pk, 2026])
    target = MeasureTarget.objects.get(measure=absence, plan=plan_2026)
    response = client_as(persona).post(
        url, {"version": target.version, "target": "6.2", "decision": new_decision.pk}
    )
    target.refresh_from_db()
    if persona == "strateg":
        assert response.status_code == 302
        assert target.target == Decimal("6.2") and target.decision == new_decision
    else:
        assert refused(response, persona)
        assert target.target == Decimal("6.5")


def test_an_adopted_target_does_not_change_without_a_decision(client_as, plan_2026, absence):
    target = MeasureTarget.objects.get(measure=absence, plan=plan_2026)
    response = client_as("strateg").post(
        reverse("measures:target", args=[absence.pk, 2026]),
        {"version": target.version, "target": "6.0"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["decision"]
    target.refresh_from_db()
    assert target.target == Decimal("6.5")


def test_both_targets_and_the_decision_stay_in_the_history(
    client_as, plan_2026, absence, new_decision
):
    target = MeasureTarget.objects.get(measure=absence, plan=plan_2026)
    client = client_as("strateg")
    client.post(
        reverse("measures:target", args=[absence.pk, 2026]),
        {"version": target.version, "target": "6.2", "decision": new_decision.pk},
    )
    page = client.get(absence.get_absolute_url()).content.decode()
    history = page[page.index('id="history-heading"') :]
    assert "KF 2026-06-15 § 64" in history
    assert "6.5000" in history or "6,5" in history
    assert "6.2000" in history or "6,2" in history


def test_a_draft_target_changes_without_a_decision(client_as, plan_2026, absence):
    client = client_as("strateg")
    client.post(reverse("measures:operational_plan_copy_forward", args=[2026]))
    response = client.post(reverse("measures:target", args=[absence.pk, 2027]), {"target": "6"})
    assert response.status_code == 302
    assert MeasureTarget.objects.get(measure=absence, plan__year=2027).target == Decimal("6")


def test_two_people_changing_the_same_target_are_told(client_as, plan_2026, absence, new_decision):
    target = MeasureTarget.objects.get(measure=absence, plan=plan_2026)
    url = reverse("measures:target", args=[absence.pk, 2026])
    data = {"version": target.version, "decision": new_decision.pk}
    assert client_as("strateg").post(url, {**data, "target": "6.1"}).status_code == 302
    second = client_as("strateg").post(url, {**data, "target": "5.9"})
    assert second.status_code == 200
    assert 'class="conflict"' in second.content.decode()
    target.refresh_from_db()
    assert target.target == Decimal("6.1")


def test_a_draft_plans_targets_stay_off_the_public_measure_page(
    client, client_as, plan_2026, absence
):
    client_as("strateg").post(reverse("measures:operational_plan_copy_forward", args=[2026]))
    MeasureTarget.objects.filter(measure=absence, plan__year=2027).update(target=Decimal("5.9"))
    assert "5,9" not in client.get(absence.get_absolute_url()).content.decode()
    assert "5,9" in client_as("medledare").get(absence.get_absolute_url()).content.decode()
