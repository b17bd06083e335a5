"""The API's permission matrix: every persona against every action of the API, each with
its own API key (`Authorization: Token …`), as an integration would call it.

The same table and words as the pages' matrices (tillit/testing/matrix.py), read for an API:

    ✓      allowed: the answer is 200 (201 for a new row, 204 for a removal) and shows what
           it is about, or its effect is in the database
    –      answered, but without it: the list leaves the row out, or the request is refused
           as invalid (400: a unit the person does not act for, a measure of another
           municipality that the caller cannot name)
    403    refused
    404    not found: the person may not even see it, or it is not in their municipality
    login  not authenticated: 401, the API's way of asking to log in

The API asks the same rules as the pages, so the rows agree with the activities' and the
measures' matrices: the superuser `admin` enters values (as in the pages) but plans and
changes no activity (the rules give her none). Whatever the cell says but ✓, nothing
changed in the database. The rows of the school: its activity *Läsombud i varje klass*
(public), an internal one linked to a draft goal only, Hemtjänsten's *Högläsning för äldre*
with the medledare responsible ("cross"), and a measure of the school's own with a value.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cached_property

import pytest
from django.test import Client
from django.urls import reverse

from tillit.activities import services
from tillit.activities.models import Activity
from tillit.api.selectors import value_version
from tillit.core.models import OrgUnit
from tillit.measures.models import Measure, MeasureValue
from tillit.portal import public
from tillit.testing.matrix import ALLOWED, LOGIN, NOTHING, cells, make_user, registry, row

from .conftest import key_client

pytestmark = pytest.mark.django_db

# fmt: off
MATRIX: dict[str, dict[str, str]] = {
    #                              anon     förtr  strateg vchef  echef  medl   outs   admin  annan
    # reading
    "read_public":             row("✓",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "read_public_values":      row("✓",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "list_internal_activity":  row("–",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "read_internal_activity":  row("404",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "read_value_comment":      row("404",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    # the school's measure values
    "write_value":             row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "✓",   "–"),
    "change_value":            row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "✓",   "404"),
    "delete_value":            row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "✓",   "404"),
    # activities
    "write_activity":          row("login", "403", "✓",   "✓",   "✓",   "✓",   "–",   "403", "–"),
    "change_activity":         row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "403", "404"),
    "report_cross":            row("login", "403", "✓",   "403", "403", "✓",   "✓",   "403", "404"),
    "rename_cross":            row("login", "403", "✓",   "403", "403", "403", "✓",   "403", "404"),
}
# fmt: on

ACTIONS, action = registry()


class Scene:
    """What the cells need, made when first asked for, inside the test's transaction."""

    def __init__(self, organisation, personas, area, other_area, internal_activity):
        self.organisation = organisation
        self.personas = personas
        self.area = area
        self.other_area = other_area
        self.internal_activity = internal_activity

    def unit(self, name: str) -> OrgUnit:
        return OrgUnit.objects.get(organisation=self.organisation, name=name)

    @cached_property
    def school_activity(self) -> Activity:
        return Activity.objects.get(organisation=self.organisation, title="Läsombud i varje klass")

    @cached_property
    def cross(self) -> Activity:
        return services.activity_create(
            organisation=self.organisation,
            created_by=self.personas["outsider"],
            title="Högläsning för äldre i hemtjänsten",
            owner_unit=self.unit("Hemtjänsten"),
            responsible=self.personas["medledare"],
            nodes=[self.other_area],
            start=date(2026, 2, 1),
        )

    @cached_property
    def measure(self) -> Measure:
        return Measure.objects.create(
            organisation=self.organisation,
            node=self.area,
            title="Andel elever i åk 3 som läser minst 20 minuter om dagen",
            unit="%",
            responsible_unit=self.unit("Tengbergsskolan F–6"),
        )

    @cached_property
    def value(self) -> MeasureValue:
        return MeasureValue.objects.create(
            measure=self.measure, year=2025, value=Decimal("61"), comment="Enkät i maj"
        )

    @cached_property
    def public_measure(self) -> Measure:
        return public.public_measures(self.organisation).order_by("pk").first()


def ids(response) -> set[int]:
    return (
        {row["id"] for row in response.json()["results"]} if response.status_code == 200 else set()
    )


def json(client: Client, method: str, url: str, data: dict):
    return getattr(client, method)(url, data, content_type="application/json")


# --- reading --------------------------------------------------------------------------------


@action("api:activity-list")
def read_public(client, s):
    response = client.get(reverse("api:activity-list"), {"per_sida": 500})
    return response, s.school_activity.pk in ids(response)


@action("api:value-list")
def read_public_values(client, s):
    response = client.get(reverse("api:value-list"), {"matt": s.public_measure.pk})
    return response, bool(ids(response))


@action("api:activity-list")
def list_internal_activity(client, s):
    response = client.get(reverse("api:activity-list"), {"per_sida": 500})
    return response, s.internal_activity.pk in ids(response)


@action("api:activity-detail")
def read_internal_activity(client, s):
    response = client.get(reverse("api:activity-detail", args=[s.internal_activity.pk]))
    return response, response.status_code == 200 and response.json()["version"] == 1


@action("api:value-detail")
def read_value_comment(client, s):
    response = client.get(reverse("api:value-detail", args=[s.value.pk]))
    return response, response.status_code == 200 and response.json()["comment"] == "Enkät i maj"


# --- the school's measure values ------------------------------------------------------------


@action("api:value-list", success=201)
def write_value(client, s):
    data = {"measure": s.measure.pk, "year": 2026, "value": "55"}
    response = json(client, "post", reverse("api:value-list"), data)
    return response, MeasureValue.objects.filter(measure=s.measure, year=2026).exists()


@action("api:value-detail")
def change_value(client, s):
    data = {"value": "63", "version": value_version(s.value)}
    response = json(client, "patch", reverse("api:value-detail", args=[s.value.pk]), data)
    return response, MeasureValue.objects.get(pk=s.value.pk).value == Decimal("63")


@action("api:value-detail", success=204)
def delete_value(client, s):
    url = reverse("api:value-detail", args=[s.value.pk])
    response = client.delete(f"{url}?version={value_version(s.value)}")
    return response, not MeasureValue.objects.filter(pk=s.value.pk).exists()


# --- activities -----------------------------------------------------------------------------


@action("api:activity-list", success=201)
def write_activity(client, s):
    data = {
        "title": "Sommarläsning med biblioteket",
        "owner_unit": s.unit("Tengbergsskolan F–6").pk,
        "nodes": [s.area.pk],
        "start": "2026-06-15",
    }
    response = json(client, "post", reverse("api:activity-list"), data)
    return response, Activity.objects.filter(title="Sommarläsning med biblioteket").exists()


@action("api:activity-detail")
def change_activity(client, s):
    activity = s.school_activity
    data = {"title": "Läsombud i alla klasser", "version": activity.version}
    response = json(client, "patch", reverse("api:activity-detail", args=[activity.pk]), data)
    return response, Activity.objects.get(pk=activity.pk).title == "Läsombud i alla klasser"


@action("api:activity-detail")
def report_cross(client, s):
    data = {"status": "ongoing", "progress": 40, "version": s.cross.version}
    response = json(client, "patch", reverse("api:activity-detail", args=[s.cross.pk]), data)
    return response, Activity.objects.get(pk=s.cross.pk).progress == 40


@action("api:activity-detail")
def rename_cross(client, s):
    data = {"title": "Högläsning med eleverna", "version": s.cross.version}
    response = json(client, "patch", reverse("api:activity-detail", args=[s.cross.pk]), data)
    return response, Activity.objects.get(pk=s.cross.pk).title == "Högläsning med eleverna"


# --- the cells ------------------------------------------------------------------------------


def outcome(response, took_effect: bool, success: int) -> str:
    """What a cell observed, in the matrix's words, for an API answer."""
    status = response.status_code
    if status == 401:
        seen = LOGIN
    elif status in (403, 404):
        seen = str(status)
    elif status == success and took_effect:
        return ALLOWED
    elif status in (200, 400):
        seen = NOTHING
    else:
        return f"HTTP {status}"
    return seen if not took_effect else f"{seen}, yet it took effect"


@pytest.mark.parametrize("name, persona", cells(MATRIX, ACTIONS))
def test_matrix(name, persona, grastorp, personas, area, other_area, internal_activity):
    scene = Scene(grastorp, personas, area, other_area, internal_activity)
    client = key_client(make_user(personas, persona))
    check = ACTIONS[name]
    response, took_effect = check.run(client, scene)
    assert response.resolver_match.view_name == check.view
    assert outcome(response, took_effect, check.success) == MATRIX[name][persona]
