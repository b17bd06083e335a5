from __future__ import annotations

import pytest
from django.urls import reverse

from tillit.followup.choices import AssessmentState
from tillit.followup.demo import load_followup_demo
from tillit.followup.models import Assessment, FollowUpPeriod

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_closed_and_an_open_period_and_loads_once(client_as, grastorp):
    periods = load_followup_demo(grastorp)
    assert [p.is_open for p in periods] == [False, True, True]
    tertial = periods[0]
    assert tertial.snapshot.is_intact
    assert Assessment.objects.filter(period=tertial, state=AssessmentState.APPROVED).count() == 2
    assert Assessment.objects.get(period=periods[1]).state == AssessmentState.DRAFT

    assert load_followup_demo(grastorp) == periods  # a second run creates nothing
    assert FollowUpPeriod.objects.filter(organisation=grastorp).count() == 3

    page = client_as("anonymous").get(reverse("followup:periods")).content.decode()
    assert "Tertial 1 2025" in page and "Delår jan–aug 2025" not in page
    items = client_as("medledare").get(reverse("followup:attention")).context["items"]
    assert any(i.assessment and i.period == periods[1] for i in items)


def test_the_public_reads_a_closed_period_without_the_names_of_its_staff(
    client, client_as, grastorp, goal
):
    tertial = load_followup_demo(grastorp)[0]
    url = reverse("followup:goal", args=[tertial.pk, goal.pk])
    public = client.get(url).content.decode()
    assert "Sara Lindqvist" not in public
    assert "Sara Lindqvist" in client_as("fortroendevald").get(url).content.decode()
    assert (
        "Sara Lindqvist"
        not in client.get(reverse("followup:period", args=[tertial.pk])).content.decode()
    )
