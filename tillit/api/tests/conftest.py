"""Fixtures of the API's tests: API clients with a person's key, and rows to read and write.

`api("medledare")` is a test client that sends the medledare's API key (made here) with
every request, as an integration would; `api("anonymous")` sends none; `api("annan_kommun")`
is a plan administrator and unit manager of another municipality.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from tillit.testing.matrix import make_user


def key_client(user) -> Client:
    """A client that sends the person's API key (created if need be), and no cookie."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Client()
    token, _ = Token.objects.get_or_create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def api(personas) -> Callable[[str], Client]:
    made: dict[str, object] = {}

    def client(persona: str) -> Client:
        if persona not in made:
            made[persona] = make_user(personas, persona)
        return key_client(made[persona])

    return client


@pytest.fixture
def school(grastorp):
    """Tengbergsskolan F–6: the enhetschef's and the medledare's unit."""
    from tillit.core.models import OrgUnit

    return OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6")


@pytest.fixture
def school_measure(grastorp, area, school):
    """A measure of the school's own (its unit records the values), under its area."""
    from tillit.measures.models import Measure

    return Measure.objects.create(
        organisation=grastorp,
        node=area,
        title="Andel elever i åk 3 som läser minst 20 minuter om dagen",
        unit="%",
        responsible_unit=school,
    )


@pytest.fixture
def school_activity(grastorp):
    """ "Läsombud i varje klass": Tengbergsskolan F–6's, the medledare responsible."""
    from tillit.activities.models import Activity

    return Activity.objects.get(organisation=grastorp, title="Läsombud i varje klass")


@pytest.fixture
def internal_activity(grastorp, personas, school):
    """An activity of the school linked to a goal of a draft steering document only: the
    staff read it, the public does not."""
    from tillit.activities.models import Activity
    from tillit.planning.choices import DocumentStatus
    from tillit.planning.models import Level, PlanNode, SteeringDocument

    draft = SteeringDocument.objects.create(
        organisation=grastorp,
        title="Inriktningsdokument 2028–2031 (utkast)",
        start_year=2028,
        end_year=2031,
        status=DocumentStatus.DRAFT,
    )
    levels = {lv.key: lv for lv in Level.objects.filter(organisation=grastorp)}
    parent = None
    for key in ("perspective", "focus_area", "goal"):
        parent = PlanNode.objects.create(
            organisation=grastorp,
            document=draft,
            level=levels[key],
            parent=parent,
            number=1 if levels[key].numbered else None,
            title=f"Utkast ({key})",
        )
    activity = Activity.objects.create(
        organisation=grastorp,
        title="Intern planering av läsveckan",
        owner_unit=school,
        responsible=personas["medledare"],
        start=date(2026, 3, 1),
    )
    activity.nodes.set([parent])
    return activity


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]
