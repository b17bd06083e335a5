"""The "vad/hur" permission matrix: every persona against every view and form.

✓ = allowed (200 on a page, a redirect after a successful POST), ✗ = refused
(403 for a logged-in person, a redirect to the login page for an anonymous
visitor) and, for refused POSTs, nothing in the database changed.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tillit.core.models import Decision, OrgUnit
from tillit.planning.models import PlanNode

pytestmark = pytest.mark.django_db

ALL = ("fortroendevald", "strateg", "verksamhetschef", "enhetschef", "medledare", "outsider")
EVERYONE = (*ALL, "anonymous")


def refused(response, persona: str) -> bool:
    if persona == "anonymous":
        return response.status_code == 302 and reverse("login") in response["Location"]
    return response.status_code == 403


# Pages anyone may read, the public included.
PUBLIC_PAGES = [
    "home",
    "documents",
    "document",
    "structure",
    "goal",
    "perspective",
    "vision",
    "principles",
    "principle",
    "sdg",
    "organisation",
    "unit",
    "body",
    "decisions",
    "decision",
]


def url_for(name: str, goal: PlanNode) -> str:
    decision = Decision.objects.get(paragraph="93")
    return {
        "home": reverse("home"),
        "documents": reverse("planning:documents"),
        "structure": reverse("planning:structure"),
        "document": reverse("planning:document", args=[goal.document_id]),
        "goal": goal.get_absolute_url(),
        "perspective": goal.parent.parent.get_absolute_url(),
        "vision": PlanNode.objects.get(level__key="vision").get_absolute_url(),
        "principles": reverse("planning:principles"),
        "principle": reverse("planning:principle", args=["digitalisering"]),
        "sdg": reverse("planning:sdg", args=[4]),
        "organisation": reverse("core:organisation"),
        "unit": OrgUnit.objects.get(name="Tengbergsskolan F–6").get_absolute_url(),
        "body": decision.body.get_absolute_url(),
        "decisions": reverse("core:decisions"),
        "decision": decision.get_absolute_url(),
    }[name]


@pytest.mark.parametrize("persona", EVERYONE)
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_everyone_reads_the_public_pages(client_as, goal, persona, page):
    response = client_as(persona).get(url_for(page, goal))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "persona, allowed",
    [(p, p != "anonymous") for p in EVERYONE],
)
def test_only_staff_see_people_and_history(client_as, personas, goal, persona, allowed):
    client = client_as(persona)
    person = client.get(reverse("core:person", args=[personas["strateg"].pk]))
    assert (person.status_code == 200) is allowed
    unit = client.get(OrgUnit.objects.get(name="Tengbergsskolan F–6").get_absolute_url())
    names_shown = personas["enhetschef"].get_full_name() in unit.content.decode()
    assert names_shown is allowed
    goal_page = client.get(goal.get_absolute_url()).content.decode()
    assert ('id="history-heading"' in goal_page) is allowed


def _goal_post(goal: PlanNode, *, description: str, decision: Decision | None) -> dict:
    return {
        "version": goal.version,
        "number": goal.number,
        "title": goal.title,
        "description": description,
        "strategy": goal.strategy,
        "sdgs": [s.number for s in goal.sdgs.all()],
        "decision": decision.pk if decision else "",
    }


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_plan_administrator_changes_a_goal(client_as, goal, persona):
    allowed = persona == "strateg"
    client = client_as(persona)
    url = reverse("planning:node_edit", args=[goal.pk])
    form = client.get(url)
    assert form.status_code == 200 if allowed else refused(form, persona)

    decision = Decision.objects.get(paragraph="93")
    response = client.post(url, _goal_post(goal, description="Ny beskrivning.", decision=decision))
    goal.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert goal.description == "Ny beskrivning."
    else:
        assert refused(response, persona)
        assert goal.description != "Ny beskrivning."


def test_a_goal_does_not_change_without_a_decision(client_as, goal):
    response = client_as("strateg").post(
        reverse("planning:node_edit", args=[goal.pk]),
        _goal_post(goal, description="Utan beslut.", decision=None),
    )
    goal.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["decision"]
    assert goal.description != "Utan beslut."


AREA_EDITORS = ("verksamhetschef", "enhetschef", "medledare")


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_units_own_people_change_its_area(client_as, area, persona):
    allowed = persona in AREA_EDITORS
    client = client_as(persona)
    url = reverse("planning:node_edit", args=[area.pk])
    form = client.get(url)
    assert form.status_code == 200 if allowed else refused(form, persona)

    response = client.post(
        url,
        {
            "version": area.version,
            "title": "Läsfrämjande för alla",
            "description": area.description,
            "owner_unit": area.owner_unit_id,
            "year": area.year,
        },
    )
    area.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert area.title == "Läsfrämjande för alla"
    else:
        assert refused(response, persona)
        assert area.title != "Läsfrämjande för alla"


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_units_own_people_remove_its_area(client_as, area, persona):
    allowed = persona in AREA_EDITORS
    response = client_as(persona).post(reverse("planning:node_delete", args=[area.pk]))
    exists = PlanNode.objects.filter(pk=area.pk).exists()
    if allowed:
        assert response.status_code == 302
        assert not exists
    else:
        assert refused(response, persona)
        assert exists


@pytest.mark.parametrize("persona", EVERYONE)
def test_areas_are_created_only_for_a_unit_of_ones_own(client_as, goal, persona):
    """Anyone with a unit may add an area, but only for their own unit (here: the school)."""
    allowed = persona in AREA_EDITORS
    has_a_unit = persona in (*AREA_EDITORS, "outsider", "strateg")
    client = client_as(persona)
    url = reverse("planning:node_create", args=[goal.pk, "area"])
    form = client.get(url)
    assert form.status_code == 200 if has_a_unit else refused(form, persona)

    school = OrgUnit.objects.get(name="Tengbergsskolan F–6")
    title = f"Nytt område av {persona}"
    response = client.post(
        url, {"title": title, "description": "", "owner_unit": school.pk, "year": 2026}
    )
    created = PlanNode.objects.filter(title=title).exists()
    assert created is allowed
    if allowed:
        assert response.status_code == 302
    elif has_a_unit:
        assert response.status_code == 200  # the form says the unit is not one of theirs
        assert response.context["form"].errors["owner_unit"]
    else:
        assert refused(response, persona)


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_plan_administrator_adds_a_goal_and_only_with_a_decision(client_as, goal, persona):
    allowed = persona == "strateg"
    client = client_as(persona)
    url = reverse("planning:node_create", args=[goal.parent.pk, "goal"])
    form = client.get(url)
    assert form.status_code == 200 if allowed else refused(form, persona)
    data = {"number": 4, "title": "Vi skapar en trygg skolväg", "description": "", "strategy": ""}

    without_decision = client.post(url, data)
    assert not PlanNode.objects.filter(title=data["title"]).exists()
    if not allowed:
        assert refused(without_decision, persona)
        return
    assert without_decision.context["form"].errors["decision"]

    with_decision = client.post(url, {**data, "decision": Decision.objects.get(paragraph="93").pk})
    assert with_decision.status_code == 302
    created = PlanNode.objects.get(title=data["title"])
    assert (created.parent, created.number, created.level.key) == (goal.parent, 4, "goal")
    assert created.history.latest().history_change_reason == "KF 2023-11-27 § 93"


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_plan_administrator_records_decisions(client_as, persona):
    allowed = persona == "strateg"
    client = client_as(persona)
    form = client.get(reverse("core:decision_add"))
    assert form.status_code == 200 if allowed else refused(form, persona)
    kf = Decision.objects.get(paragraph="93").body
    response = client.post(
        reverse("core:decision_add"),
        {
            "body": kf.pk,
            "date": "2024-11-25",
            "paragraph": "§ 120",
            "title": "Verksamhetsplan 2025",
        },
    )
    created = Decision.objects.filter(paragraph="120").exists()
    assert created is allowed
    if not allowed:
        assert refused(response, persona)


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_system_administrators_reach_the_admin(client_as, persona):
    response = client_as(persona).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_system_administrator_reaches_the_admin(client, grastorp):
    from tillit.core.models import User

    client.force_login(User.objects.get(is_superuser=True, username="admin"))
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/planning/plannode/").status_code == 200


def test_not_even_a_superuser_removes_a_goal(client, goal):
    from tillit.core.models import User

    client.force_login(User.objects.get(username="admin"))
    page = client.get(goal.get_absolute_url()).content.decode()
    assert reverse("planning:node_delete", args=[goal.pk]) not in page
    response = client.post(reverse("planning:node_delete", args=[goal.pk]))
    assert response.status_code == 403
    assert PlanNode.objects.filter(pk=goal.pk).exists()


def test_activities_are_not_created_as_plan_elements(client_as, goal):
    response = client_as("enhetschef").get(
        reverse("planning:node_create", args=[goal.pk, "activity"])
    )
    assert response.status_code == 404


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_plan_administrator_edits_a_decision(client_as, persona):
    allowed = persona == "strateg"
    decision = Decision.objects.get(paragraph="93")
    client = client_as(persona)
    url = reverse("core:decision_edit", args=[decision.pk])
    form = client.get(url)
    assert form.status_code == 200 if allowed else refused(form, persona)
    response = client.post(
        url,
        {
            "version": decision.version,
            "body": decision.body_id,
            "date": "2023-11-27",
            "paragraph": "93",
            "title": "Ändrad rubrik",
        },
    )
    decision.refresh_from_db()
    assert (decision.title == "Ändrad rubrik") is allowed
    if not allowed:
        assert refused(response, persona)
