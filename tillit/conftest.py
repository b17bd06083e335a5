"""Fixtures shared by every test: the Grästorp model, its demo people, logged-in clients.

The test database gets the Grästorp preset and the demo once per session, so an
ordinary (rolled-back) test finds them already there. A transactional or
live-server test empties the database when it ends; before the next test that
uses the database they are loaded again (committed, outside its transaction).
pytest-playwright's browser parameter makes pytest regroup tests, so such tests
do not necessarily run last.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.apps import apps as django_apps
from django.test import Client

PERSONA_KEYS: tuple[str, ...] = (
    "fortroendevald",
    "strateg",
    "ekonom",
    "verksamhetschef",
    "enhetschef",
    "medledare",
    "outsider",
    "anonymous",
)

ORGANISATION_SLUG = "grastorp"
GOAL_TITLE = (
    "Vi utbildar barn och elever till världsmedborgare "
    "som kan göra skillnad för sig själv och andra"
)


def load_grastorp():
    """Load the preset and the demo unless both are there already; return the Organisation."""
    from tillit.core.demo import PERSONAS, load_demo
    from tillit.core.models import Organisation, User

    organisation = Organisation.objects.filter(slug=ORGANISATION_SLUG).first()
    usernames = [persona.username for persona in PERSONAS.values()]
    if organisation is not None and User.objects.filter(username__in=usernames).count() == len(
        usernames
    ):
        return organisation

    from tillit.planning.models import SustainableDevelopmentGoal
    from tillit.planning.presets import load_preset

    if not SustainableDevelopmentGoal.objects.exists():
        # A flush empties the catalogue its data migration filled; put it back.
        migration = importlib.import_module("tillit.planning.migrations.0002_agenda2030_catalogue")
        migration.load(django_apps, None)
    load_preset(ORGANISATION_SLUG)
    # The follow-up tests open their own periods; the demo's would be in their way.
    load_demo(organisation_slug=ORGANISATION_SLUG, follow_up=False)
    return Organisation.objects.get(slug=ORGANISATION_SLUG)


# The session's database blocker, and whether a test may have flushed the database.
_session: dict = {"blocker": None, "maybe_flushed": False}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_grastorp()
    _session["blocker"] = django_db_blocker


def _database_use(item: pytest.Item) -> tuple[bool, bool]:
    """(uses the database, is transactional), as pytest-django decides it."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker is not None:
        transactional = transactional or bool(
            marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
            or marker.kwargs.get("reset_sequences", False)
        )
    return marker is not None or "db" in fixtures or transactional, transactional


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    uses_db, transactional = _database_use(item)
    if not uses_db:
        return
    blocker = _session["blocker"]
    if blocker is not None and _session["maybe_flushed"]:
        with blocker.unblock():
            load_grastorp()
        _session["maybe_flushed"] = False
    if transactional:
        _session["maybe_flushed"] = True


@pytest.fixture
def grastorp(db):
    return load_grastorp()


@pytest.fixture
def personas(grastorp) -> dict:
    from tillit.core.demo import PERSONAS
    from tillit.core.models import User

    usernames = {key: PERSONAS[key].username for key in PERSONA_KEYS if key != "anonymous"}
    users = {u.username: u for u in User.objects.filter(username__in=usernames.values())}
    result = {key: users[username] for key, username in usernames.items()}
    result["anonymous"] = None
    return result


@pytest.fixture
def client_as(personas) -> Callable[[str], Client]:
    def make(persona_key: str) -> Client:
        if persona_key not in personas:
            raise KeyError(f"Unknown persona {persona_key!r}; choose one of {PERSONA_KEYS}.")
        client = Client()
        if personas[persona_key] is not None:
            client.force_login(personas[persona_key])
        return client

    return make


@pytest.fixture
def goal(grastorp):
    from tillit.planning.models import PlanNode

    return PlanNode.objects.get(organisation=grastorp, level__key="goal", title=GOAL_TITLE)


def _demo_area(organisation, title: str, unit_name: str):
    from tillit.planning.models import PlanNode

    return PlanNode.objects.get(
        organisation=organisation, level__key="area", title=title, owner_unit__name=unit_name
    )


@pytest.fixture
def area(grastorp):
    """ "Läsfrämjande i F–6" (2025), owned by Tengbergsskolan F–6."""
    return _demo_area(grastorp, "Läsfrämjande i F–6", "Tengbergsskolan F–6")


@pytest.fixture
def other_area(grastorp):
    """ "Trygg hemtjänst med välfärdsteknik" (2025), owned by Hemtjänsten."""
    return _demo_area(grastorp, "Trygg hemtjänst med välfärdsteknik", "Hemtjänsten")
