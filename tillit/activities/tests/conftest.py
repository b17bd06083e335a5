"""Fixtures of the activities' tests, on the Grästorp demo (tillit/activities/demo.py)."""

from __future__ import annotations

from datetime import date

import pytest


@pytest.fixture
def school(grastorp):
    """Tengbergsskolan F–6: the unit of the enhetschef (manager) and the medledare."""
    from tillit.core.models import OrgUnit

    return OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6")


@pytest.fixture
def unit_named(grastorp):
    from tillit.core.models import OrgUnit

    return lambda name: OrgUnit.objects.get(organisation=grastorp, name=name)


@pytest.fixture
def demo_activity(grastorp):
    """The demo's activities by title."""
    from tillit.activities.models import Activity

    return lambda title: Activity.objects.get(organisation=grastorp, title=title)


@pytest.fixture
def reading(demo_activity):
    """ "Läsombud i varje klass": Tengbergsskolan F–6's, the medledare responsible, done in
    spring 2025, under the area "Läsfrämjande i F–6" of the goal fixture."""
    return demo_activity("Läsombud i varje klass")


@pytest.fixture
def make_activity(grastorp, personas, school, area):
    """A new activity of the school, planned by the enhetschef, under the area by default."""
    from tillit.activities import services

    def make(title: str = "Högläsning i förskoleklass", **values):
        values.setdefault("owner_unit", school)
        values.setdefault("nodes", [area])
        values.setdefault("start", date(2025, 3, 1))
        return services.activity_create(
            organisation=grastorp,
            created_by=values.pop("created_by", personas["enhetschef"]),
            title=title,
            **values,
        )

    return make
