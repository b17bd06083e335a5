"""Edges of the permission model: other municipalities, drafts, the admin, history growth."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.core.models import Body, Decision, Organisation, OrgUnit, UnitRole, User
from tillit.planning import services
from tillit.planning.models import Level, PlanNode, SteeringDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(grastorp):
    """Another municipality in the same database, with its own plan administrator."""
    org = Organisation.objects.create(slug="grannby", name="Grannby kommun")
    kf = Body.objects.create(organisation=org, kind="council", name="KF", abbreviation="KF")
    decision = Decision.objects.create(
        organisation=org, body=kf, date="2024-01-15", paragraph="7", title="Grannbys mål"
    )
    unit = OrgUnit.objects.create(organisation=org, kind="administration", name="Förvaltningen")
    admin = User.objects.create_user(
        "grannby-strateg", organisation=org, is_plan_administrator=True, is_staff=True
    )
    UnitRole.objects.create(person=admin, unit=unit, role="manager")
    return {"org": org, "kf": kf, "decision": decision, "unit": unit, "admin": admin}


def test_another_municipalitys_plan_administrator_cannot_change_our_goal(client, neighbour, goal):
    client.force_login(neighbour["admin"])
    url = reverse("planning:node_edit", args=[goal.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {"version": goal.version, "number": 1, "title": "Grannbys mål", "decision": 1},
    )
    assert response.status_code == 403
    goal.refresh_from_db()
    assert goal.title != "Grannbys mål"


def test_another_municipalitys_decision_cannot_carry_our_change(client_as, neighbour, goal):
    response = client_as("strateg").post(
        reverse("planning:node_edit", args=[goal.pk]),
        {
            "version": goal.version,
            "number": goal.number,
            "title": "Ändrad med fel beslut",
            "decision": neighbour["decision"].pk,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["decision"]
    goal.refresh_from_db()
    assert goal.title != "Ändrad med fel beslut"


def test_our_plan_administrator_cannot_record_a_decision_for_anothers_body(client_as, neighbour):
    response = client_as("strateg").post(
        reverse("core:decision_add"),
        {"body": neighbour["kf"].pk, "date": "2025-02-03", "paragraph": "9", "title": "Fel organ"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not Decision.objects.filter(title="Fel organ").exists()


def test_an_area_cannot_be_handed_to_another_municipalitys_unit(client_as, neighbour, area):
    response = client_as("enhetschef").post(
        reverse("planning:node_edit", args=[area.pk]),
        {
            "version": area.version,
            "title": area.title,
            "owner_unit": neighbour["unit"].pk,
            "year": area.year,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["owner_unit"]
    area.refresh_from_db()
    assert area.owner_unit.organisation.slug == "grastorp"


def test_the_service_refuses_to_hand_an_area_to_a_unit_one_does_not_have(personas, area):
    from django.core.exceptions import PermissionDenied

    home_care = OrgUnit.objects.get(name="Hemtjänsten")
    with pytest.raises(PermissionDenied):
        services.node_update(
            node=area,
            changed_by=personas["enhetschef"],
            expected_version=area.version,
            owner_unit=home_care,
        )
    area.refresh_from_db()
    assert area.owner_unit.name == "Tengbergsskolan F–6"


def test_staff_from_another_municipality_see_none_of_our_people(client, neighbour, personas):
    client.force_login(neighbour["admin"])
    assert client.get(reverse("core:person", args=[personas["strateg"].pk])).status_code == 404


# --- drafts ----------------------------------------------------------------------------


@pytest.fixture
def draft_goal(grastorp):
    """A draft steering document for the next period, citing the same decision."""
    current = SteeringDocument.objects.get(organisation=grastorp, start_year=2024)
    draft = SteeringDocument.objects.create(
        organisation=grastorp,
        title="Inriktningsdokument 2028–2031",
        start_year=2028,
        end_year=2031,
    )
    level = Level.objects.get(organisation=grastorp, key="perspective")
    return PlanNode.objects.create(
        organisation=grastorp,
        document=draft,
        level=level,
        number=1,
        title="Hemligt utkast till perspektiv",
        decision=current.decision,
    )


def test_a_decision_page_does_not_show_drafts_to_the_public(client, client_as, draft_goal):
    url = draft_goal.decision.get_absolute_url()
    assert "Hemligt utkast" not in client.get(url).content.decode()
    assert "Hemligt utkast" in client_as("fortroendevald").get(url).content.decode()


def test_staff_still_see_the_adopted_plan_while_a_draft_is_prepared(client_as, draft_goal):
    page = client_as("strateg").get(reverse("home")).content.decode()
    assert "Inriktningsdokument 2024–2027" in page
    assert page.count('class="goal"') == 10
    assert draft_goal.document.get_absolute_url() in page  # offered as "Under beredning"


# --- the Django admin ------------------------------------------------------------------


def test_the_admin_shows_political_elements_read_only_and_deletes_none(client, goal, area):
    client.force_login(User.objects.get(username="admin"))
    change = reverse("admin:planning_plannode_change", args=[goal.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    response = client.post(change, {"title": "Ändrat i admin"})
    assert response.status_code == 403
    delete = reverse("admin:planning_plannode_delete", args=[goal.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert PlanNode.objects.filter(pk=goal.pk, title=goal.title).exists()
    # Operations' own elements stay editable there.
    area_page = client.get(reverse("admin:planning_plannode_change", args=[area.pk]))
    assert 'name="title"' in area_page.content.decode()


def test_staff_without_model_permissions_get_nothing_in_the_admin(client, neighbour, grastorp):
    client.force_login(neighbour["admin"])  # is_staff, plan administrator in Grannby
    kf = Body.objects.get(organisation=grastorp, abbreviation="KF")
    assert client.get(reverse("admin:core_body_change", args=[kf.pk])).status_code == 403
    assert client.get(reverse("admin:core_decision_add")).status_code == 403


# --- query counts ----------------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_goal_page_costs_the_same_queries_as_its_history_grows(client_as, personas, goal):
    client = client_as("strateg")
    decision = Decision.objects.get(paragraph="93")

    def edit(n: int) -> None:
        fresh = PlanNode.objects.get(pk=goal.pk)
        services.node_update(
            node=fresh,
            changed_by=personas["strateg"],
            expected_version=fresh.version,
            decision=decision,
            description=f"Version {n}",
            sdgs=list(fresh.sdgs.all()[: 1 + n % 5]),
        )

    edit(0)
    before = _count(client, goal.get_absolute_url())
    for n in range(1, 12):
        edit(n)
    assert _count(client, goal.get_absolute_url()) == before


@pytest.mark.parametrize("url_name", ["core:decisions", "core:organisation", "planning:principles"])
def test_list_pages_cost_the_same_queries_as_the_data_grows(client_as, grastorp, url_name):
    client = client_as("strateg")
    before = _count(client, reverse(url_name))
    kf = Body.objects.get(organisation=grastorp, abbreviation="KF")
    for n in range(100, 140):
        Decision.objects.create(
            organisation=grastorp, body=kf, date="2025-06-16", paragraph=str(n), title=f"B{n}"
        )
    root = OrgUnit.objects.get(organisation=grastorp, parent=None)
    for n in range(20):
        OrgUnit.objects.create(organisation=grastorp, parent=root, kind="operation", name=f"V{n}")
    assert _count(client, reverse(url_name)) == before


def test_the_admin_adds_no_plan_elements_and_moves_none(client, area):
    client.force_login(User.objects.get(username="admin"))
    assert client.get(reverse("admin:planning_plannode_add")).status_code == 403
    page = client.get(reverse("admin:planning_plannode_change", args=[area.pk])).content.decode()
    assert 'name="level"' not in page and 'name="parent"' not in page


def test_a_decision_changed_in_the_admin_is_a_conflict_for_an_open_form(client, client_as):
    decision = Decision.objects.get(paragraph="93")
    opened_version = decision.version
    client.force_login(User.objects.get(username="admin"))
    response = client.post(
        reverse("admin:core_decision_change", args=[decision.pk]),
        {
            "organisation": decision.organisation_id,
            "body": decision.body_id,
            "date": "2023-11-27",
            "paragraph": "93",
            "title": "Rättad i admin",
            "description": "",
            "url": "",
        },
    )
    assert response.status_code == 302
    stale = client_as("strateg").post(
        reverse("core:decision_edit", args=[decision.pk]),
        {
            "version": opened_version,
            "body": decision.body_id,
            "date": "2023-11-27",
            "paragraph": "93",
            "title": "Rättad i formuläret",
        },
    )
    assert stale.status_code == 200
    decision.refresh_from_db()
    assert decision.title == "Rättad i admin"


def test_the_organisation_predicate_grants_nothing_without_an_object(personas):
    from tillit.core.rules import is_member_of_organisation

    assert not is_member_of_organisation(personas["strateg"])
    assert not personas["strateg"].has_perm("core.record_decision")
    assert not personas["strateg"].has_perm("planning.read_node")


def test_a_conflict_over_the_agenda_2030_goals_alone_is_shown(client_as, goal):
    decision = Decision.objects.get(paragraph="93")
    url = reverse("planning:node_edit", args=[goal.pk])
    data = {
        "version": goal.version,
        "number": goal.number,
        "title": goal.title,
        "description": goal.description,
        "strategy": goal.strategy,
        "decision": decision.pk,
    }
    assert client_as("strateg").post(url, {**data, "sdgs": [4]}).status_code == 302
    response = client_as("strateg").post(url, {**data, "sdgs": [4, 10]})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="conflict"' in page
    assert "4, 10" in page  # their "4" against my "4, 10"
    assert [s.number for s in PlanNode.objects.get(pk=goal.pk).sdgs.all()] == [4]


def test_a_conflict_with_identical_edits_is_still_told(client_as, area):
    url = reverse("planning:node_edit", args=[area.pk])
    data = {
        "version": area.version,
        "title": "Samma nya titel",
        "owner_unit": area.owner_unit_id,
        "year": area.year,
    }
    assert client_as("enhetschef").post(url, data).status_code == 302
    response = client_as("medledare").post(url, data)
    assert response.status_code == 200
    assert 'class="conflict"' in response.content.decode()


def test_the_structure_page_costs_the_same_queries_as_levels_grow(client_as, grastorp):
    client = client_as("strateg")
    before = _count(client, reverse("planning:structure"))
    parent = Level.objects.get(organisation=grastorp, key="goal")
    for n in range(10):
        parent = Level.objects.create(
            organisation=grastorp,
            key=f"extra-{n}",
            name=f"Extra {n}",
            name_plural="Extra",
            parent=parent,
            owner="operations",
            lifetime="year",
            order=50 + n,
        )
    assert _count(client, reverse("planning:structure")) == before


def test_history_shows_the_change_even_when_the_previous_record_is_older_than_the_window(
    personas, goal
):
    from tillit.core.history import history_for

    decision = Decision.objects.get(paragraph="93")
    for n in range(4):
        fresh = PlanNode.objects.get(pk=goal.pk)
        services.node_update(
            node=fresh,
            changed_by=personas["strateg"],
            expected_version=fresh.version,
            decision=decision,
            description=f"Text {n}",
        )
    entries = history_for(goal, limit=2)
    assert len(entries) == 2
    oldest = entries[-1]
    assert [(c.old, c.new) for c in oldest.changes if c.new == "Text 2"] == [("Text 1", "Text 2")]


def test_a_deleted_area_shows_as_removed_without_invented_changes(personas, area):
    from tillit.core.history import history_for

    pk, goal = area.pk, area.parent
    services.node_delete(node=area, deleted_by=personas["enhetschef"])
    removed = PlanNode.history.filter(id=pk)
    entries = history_for(goal, related=[(removed, lambda r: r.title)], own=False)
    assert entries[0].kind == "Togs bort"
    assert entries[0].subject == "Läsfrämjande i F–6"
    assert entries[0].changes == []
