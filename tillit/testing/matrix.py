"""The machinery of the permission matrices: one row per action, one column per persona.

Each app's `tests/test_permission_matrix.py` holds its own table and actions and uses
these. A cell is one real request (or two) through the Django test client, and the
database is then asked whether it took effect:

    ✓      allowed: the page answers 200 and shows what it is about, or the POST
           redirects and its effect is in the database
    –      answered, but without it: the page leaves out what the person may not see, or
           the POST does nothing here
    403    refused
    404    not found: the person may not even see it, or it is not in their municipality
    login  an anonymous visitor is sent to the login page

The personas are the demo's (tillit/core/demo.py, see docs/permissions.md), the superuser
`admin`, and `annan_kommun`: a plan administrator and unit manager of *another*
municipality.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, reverse

from tillit.core.choices import UnitKind, UnitRoleKind
from tillit.core.models import Organisation, OrgUnit, UnitRole, User

PERSONAS: tuple[str, ...] = (
    "anonymous",
    "fortroendevald",
    "strateg",
    "verksamhetschef",
    "enhetschef",
    "medledare",
    "outsider",
    "admin",
    "annan_kommun",
)
ALLOWED, NOTHING, FORBIDDEN, NOT_FOUND, LOGIN = "✓", "–", "403", "404", "login"
OUTCOMES = (ALLOWED, NOTHING, FORBIDDEN, NOT_FOUND, LOGIN)
YES, NO = "✓", "✗"  # for the rules


# The personas with the economist (`ekonom`), for the apps she keeps: economy, reports.
WITH_ECONOMIST: tuple[str, ...] = (*PERSONAS[:3], "ekonom", *PERSONAS[3:])


def row_of(personas: tuple[str, ...]) -> Callable[..., dict[str, str]]:
    """`row` for a matrix whose columns are `personas`."""

    def row(*cells: str) -> dict[str, str]:
        assert len(cells) == len(personas), cells
        return dict(zip(personas, cells, strict=True))

    return row


row = row_of(PERSONAS)
row.__doc__ = "One row of a matrix: the cells in the order of PERSONAS."


def person_of_another_municipality() -> User:
    """`annan_kommun`: plan administrator of Annan kommun and manager of a unit there."""
    organisation = Organisation.objects.create(slug="annan-kommun", name="Annan kommun")
    unit = OrgUnit.objects.create(
        organisation=organisation, name="Annan kommuns förvaltning", kind=UnitKind.ADMINISTRATION
    )
    person = User.objects.create_user(
        "annan_kommun", organisation=organisation, is_plan_administrator=True
    )
    UnitRole.objects.create(person=person, unit=unit, role=UnitRoleKind.MANAGER)
    return person


def make_browser(personas: dict) -> Callable[[str], Client]:
    """persona → a test client signed in as that persona (anonymous: not signed in)."""

    def browser(persona: str) -> Client:
        client = Client()
        if persona == "admin":
            client.force_login(User.objects.get(username="admin"))
        elif persona == "annan_kommun":
            client.force_login(person_of_another_municipality())
        elif persona != "anonymous":
            client.force_login(personas[persona])
        return client

    return browser


def make_user(personas: dict, persona: str):
    """persona → the user object the rules are asked about."""
    if persona == "anonymous":
        return AnonymousUser()
    if persona == "admin":
        return User.objects.get(username="admin")
    if persona == "annan_kommun":
        return person_of_another_municipality()
    return personas[persona]


@dataclass(frozen=True)
class Action:
    """One row of a matrix: the view it exercises, and a short script that makes the request
    and says whether it took effect (the page showed it, the database has it)."""

    view: str
    run: Callable[[Client, object], tuple[HttpResponse, bool]]
    success: int = 200  # 302 for a POST that redirects when it succeeds


def registry() -> tuple[dict[str, Action], Callable]:
    """A dict of actions and a decorator that adds a function to it under its own name."""
    actions: dict[str, Action] = {}

    def action(view: str, *, success: int = 200):
        def add(run):
            actions[run.__name__] = Action(view=view, run=run, success=success)
            return run

        return add

    return actions, action


def outcome(response: HttpResponse, took_effect: bool, success: int) -> str:
    """What a cell observed, in the matrix's words."""
    status = response.status_code
    if status == 302 and response["Location"].startswith(reverse("login")):
        seen = LOGIN
    elif status in (403, 404):
        seen = str(status)
    elif status == success and took_effect:
        return ALLOWED
    elif status in (200, 302):
        seen = NOTHING
    else:
        return f"HTTP {status}"
    return seen if not took_effect else f"{seen}, yet it took effect"


def cells(
    matrix: dict[str, dict[str, str]],
    actions: dict[str, Action],
    personas: tuple[str, ...] = PERSONAS,
) -> list:
    """One test per cell, `action-persona`; every row has its action and every action a row."""
    assert set(matrix) == set(actions), set(matrix) ^ set(actions)
    unknown = {cell for expected in matrix.values() for cell in expected.values()} - set(OUTCOMES)
    assert not unknown, unknown
    return [
        pytest.param(name, persona, id=f"{name}-{persona}")
        for name in matrix
        for persona in personas
    ]


def view_names(namespace: str, patterns: list[URLPattern]) -> set[str]:
    return {f"{namespace}:{pattern.name}" for pattern in patterns}


def check_cell(action: Action, client: Client, scene, expected: str) -> None:
    response, took_effect = action.run(client, scene)
    assert response.resolver_match.view_name == action.view
    assert outcome(response, took_effect, action.success) == expected


def rendered(response: HttpResponse, template: str) -> bool:
    return response.status_code == 200 and template in {t.name for t in response.templates}


def text(response: HttpResponse) -> str:
    return response.content.decode()
