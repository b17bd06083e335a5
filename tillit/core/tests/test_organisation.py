from __future__ import annotations

import pytest
from django.urls import reverse

from tillit.core.models import OrgUnit
from tillit.core.selectors import swedish_sort_key, unit_tree

pytestmark = pytest.mark.django_db


def test_swedish_names_sort_with_a_a_o_last():
    names = ["Ödeshög", "Ale", "Åre", "Älmhult", "Zinkgruvan"]
    assert sorted(names, key=swedish_sort_key) == [
        "Ale",
        "Zinkgruvan",
        "Åre",
        "Älmhult",
        "Ödeshög",
    ]


def test_the_unit_tree_nests_each_unit_under_its_parent(grastorp):
    def walk(items, parent=None):
        for item in items:
            assert item.unit.parent_id == (parent.pk if parent else None)
            yield item.unit
            yield from walk(item.children, item.unit)

    tree = unit_tree(grastorp)
    assert len(list(walk(tree))) == OrgUnit.objects.filter(organisation=grastorp).count()
    operations = [item.unit for item in tree[0].children]
    assert operations == sorted(operations, key=lambda u: (u.order, swedish_sort_key(u.name)))


def test_the_organisation_page_nests_the_units_in_lists(client, grastorp):
    page = client.get(reverse("core:organisation")).content.decode()
    school = page.index("Tengbergsskolan F–6")
    team = page.index("Arbetslag F–3")
    # The work team's list is opened inside the school's list item.
    assert school < page.rfind('<ul class="unit-tree">', school, team) < team


def test_the_organisation_page_costs_the_same_queries_as_units_grow(
    client, grastorp, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(reverse("core:organisation"))
    root = OrgUnit.objects.get(organisation=grastorp, parent=None)
    operation = OrgUnit.objects.create(
        organisation=grastorp, parent=root, kind="operation", name="Teknik"
    )
    for n in range(50):
        OrgUnit.objects.create(
            organisation=grastorp, parent=operation, kind="unit", name=f"Enhet {n}"
        )
    with CaptureQueriesContext(connection) as after:
        page = client.get(reverse("core:organisation")).content.decode()
    assert "Enhet 49" in page
    assert len(after) == len(before)


def test_elected_members_are_public_but_management_group_members_are_not(client, grastorp):
    from tillit.core.models import Body

    kf = Body.objects.get(organisation=grastorp, abbreviation="KF")
    klg = Body.objects.get(organisation=grastorp, abbreviation="KLG")
    assert "Ingrid Bergström" in client.get(kf.get_absolute_url()).content.decode()
    assert "Anders Wik" not in client.get(klg.get_absolute_url()).content.decode()


def test_a_units_history_includes_the_roles_given_and_taken(client_as, personas, grastorp):
    from tillit.core.models import UnitRole

    school = OrgUnit.objects.get(name="Tengbergsskolan F–6")
    role = UnitRole(person=personas["outsider"], unit=school, role="co_leader")
    role._history_user = personas["strateg"]
    role.save()
    role.role = "manager"
    role.save()
    role.delete()

    page = client_as("verksamhetschef").get(school.get_absolute_url()).content.decode()
    history = page[page.index('id="history-heading"') :]
    assert history.count("Eva Nyberg") >= 3
    assert "Togs bort" in history and "Skapades" in history
    assert "Medledare" in history and "Chef" in history


def test_a_persons_page_shows_their_history_to_colleagues_only(client, client_as, personas):
    person = personas["medledare"]
    person.job_title = "Förstelärare"
    person.save()
    page = client_as("outsider").get(reverse("core:person", args=[person.pk])).content.decode()
    assert 'id="history-heading"' in page and "Förstelärare" in page
    assert client.get(reverse("core:person", args=[person.pk])).status_code == 302


def test_two_people_correcting_the_same_decision_are_told(client_as, grastorp):
    from tillit.core.models import Decision

    decision = Decision.objects.get(organisation=grastorp, paragraph="93")
    url = reverse("core:decision_edit", args=[decision.pk])
    data = {
        "version": decision.version,
        "body": decision.body_id,
        "date": "2023-11-27",
        "paragraph": "93",
        "url": "",
    }
    first = client_as("strateg").post(url, {**data, "title": "Första rättelsen"})
    assert first.status_code == 302
    second = client_as("strateg").post(url, {**data, "title": "Andra rättelsen"})
    assert second.status_code == 200
    page = second.content.decode()
    assert "Första rättelsen" in page and "Andra rättelsen" in page
    decision.refresh_from_db()
    assert decision.title == "Första rättelsen"
