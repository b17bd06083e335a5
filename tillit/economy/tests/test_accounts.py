"""The chart of accounts and its lines; the cost objects and their units."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.core.models import Organisation, User
from tillit.economy.choices import StatementLine, default_line
from tillit.economy.forms_accounts import with_default_line
from tillit.economy.models import Account, CostObject

pytestmark = pytest.mark.django_db

ACCOUNTS_URL = reverse("economy:accounts")
OBJECTS_URL = reverse("economy:objects")


@pytest.fixture
def kontoby(db):
    """An organisation of its own, so the chart holds exactly what a test puts there (the
    demo's chart is Grästorp's): its economist and a colleague who only reads."""
    organisation = Organisation.objects.create(slug="kontoby", name="Kontoby kommun")
    economist = User.objects.create_user("kontoby-ekonom", organisation=organisation)
    economist.is_economist = True
    economist.save()
    reader = User.objects.create_user("kontoby-handlaggare", organisation=organisation)
    clients = {}
    for key, user in (("economist", economist), ("reader", reader)):
        clients[key] = Client()
        clients[key].force_login(user)
    return SimpleNamespace(
        organisation=organisation, economist_user=economist, reader_user=reader, **clients
    )


@pytest.fixture
def chart(kontoby):
    """A small chart with an account moved off its Kommun-Bas line and one left outside."""
    rows = [
        ("1930", "Bank", StatementLine.CASH),
        ("3011", "Taxor och avgifter", StatementLine.OPERATING_INCOME),
        ("4011", "Löner", StatementLine.OPERATING_COST),
        ("7811", "Avskrivningar", StatementLine.OPERATING_COST),  # Kommun-Bas: depreciation
        ("8011", "Kommunalskatt", StatementLine.TAX_REVENUE),
        ("8999", "Årets resultat", StatementLine.OUTSIDE),
    ]
    return {
        number: Account.objects.create(
            organisation=kontoby.organisation, number=number, name=name, line=line
        )
        for number, name, line in rows
    }


def numbers(response) -> list[str]:
    return [a.number for a in response.context["page"].object_list]


def test_the_default_line_in_the_database_agrees_with_kommun_bas(kontoby):
    grastorp = kontoby.organisation
    sample = ["0100", "1110", "1419", "1930", "2010", "2350", "2440", "3011", "4011", "7811"]
    sample += ["8011", "8210", "8411", "8511", "8611", "8999", "9000", "5"]
    for number in sample:
        Account.objects.create(organisation=grastorp, number=number, line=StatementLine.OUTSIDE)
    annotated = with_default_line(Account.objects.filter(organisation=grastorp))
    assert {a.number: a.default_line for a in annotated} == {
        n: default_line(n).value for n in sample
    }


def test_the_chart_is_grouped_by_class_and_marks_the_exceptions(kontoby, chart):
    response = kontoby.reader.get(ACCOUNTS_URL)
    assert response.status_code == 200
    assert numbers(response) == ["1930", "3011", "4011", "7811", "8011", "8999"]
    html = response.content.decode()
    assert html.count('class="account-table__marked"') == 2  # 7811 and 8999
    assert html.count('scope="colgroup"') == 5  # classes 1, 3, 4, 7, 8
    # Read-only for a politician: no links to change, no form to add.
    assert reverse("economy:account_edit", args=[chart["4011"].pk]) not in html
    assert response.context["new_form"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"klass": "8"}, ["8011", "8999"]),
        ({"rad": StatementLine.OPERATING_COST}, ["4011", "7811"]),
        ({"sok": "40"}, ["4011"]),
        ({"sok": "skatt"}, ["8011"]),
        ({"visa": "avvikande"}, ["7811"]),  # 8999 is outside by Kommun-Bas too
        ({"visa": "utanfor"}, ["8999"]),
        ({"klass": "7", "visa": "avvikande"}, ["7811"]),
    ],
)
def test_the_chart_filters(kontoby, chart, query, expected):
    response = kontoby.economist.get(ACCOUNTS_URL, query)
    assert response.status_code == 200
    assert numbers(response) == expected


def test_the_chart_makes_a_constant_number_of_queries_and_pages_at_200(kontoby, chart):
    client = kontoby.economist
    with CaptureQueriesContext(connection) as few:
        client.get(ACCOUNTS_URL)
    Account.objects.bulk_create(
        Account(
            organisation=kontoby.organisation,
            number=f"{n}",
            name=f"Konto {n}",
            line=default_line(str(n)),
        )
        for n in range(40000, 40450)
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(ACCOUNTS_URL)
    assert len(many) == len(few)
    assert len(response.context["page"].object_list) == 200
    assert response.context["page"].paginator.num_pages == 3
    second = client.get(ACCOUNTS_URL, {"sida": "2", "klass": "4"})
    assert second.status_code == 200
    assert 'href="?klass=4&amp;sida=3"' in second.content.decode()


def test_the_economist_adds_an_account_with_kommun_bas_line(kontoby, chart):
    client = kontoby.economist
    grastorp = kontoby.organisation
    response = client.post(
        ACCOUNTS_URL, {"nytt-number": "4511", "nytt-name": "Arvoden", "nytt-kind": "K"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{ACCOUNTS_URL}?sok=4511"
    account = Account.objects.get(organisation=grastorp, number="4511")
    assert (account.name, account.kind, account.line) == (
        "Arvoden",
        "K",
        StatementLine.OPERATING_COST,
    )
    duplicate = client.post(ACCOUNTS_URL, {"nytt-number": "4511", "nytt-name": "Igen"})
    assert duplicate.status_code == 200
    assert "number" in duplicate.context["new_form"].errors
    letters = client.post(ACCOUNTS_URL, {"nytt-number": "45a", "nytt-name": "Fel"})
    assert "number" in letters.context["new_form"].errors
    assert Account.objects.filter(organisation=grastorp, number__startswith="45").count() == 1


def test_the_economist_changes_an_accounts_line_with_history(kontoby, chart):
    account = chart["7811"]
    url = reverse("economy:account_edit", args=[account.pk])
    client = kontoby.economist
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["default_line"] == StatementLine.DEPRECIATION
    response = client.post(
        url,
        {"version": "1", "name": "Avskrivningar byggnader", "line": StatementLine.DEPRECIATION},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.line == StatementLine.DEPRECIATION
    assert account.name == "Avskrivningar byggnader"
    assert account.version == 2
    assert account.history.latest().history_user == kontoby.economist_user
    entries = client.get(url).context["history"]
    assert entries[0].changes  # what changed, shown on the page


def test_an_account_edit_conflict_keeps_the_other_save(kontoby, chart):
    account = chart["4011"]
    url = reverse("economy:account_edit", args=[account.pk])
    client = kontoby.economist
    client.post(url, {"version": "1", "name": "Löner månadsavlönade", "line": "operating_cost"})
    response = client.post(url, {"version": "1", "name": "Löner", "line": "outside"})
    assert response.status_code == 409
    account.refresh_from_db()
    assert (account.name, account.line, account.version) == (
        "Löner månadsavlönade",
        "operating_cost",
        2,
    )
    rows = {row["theirs"]: row["mine"] for row in response.context["conflict"]}
    assert rows["Löner månadsavlönade"] == "Löner"
    assert response.context["form"].data["version"] == 2


@pytest.mark.parametrize("persona", ["strateg", "verksamhetschef", "fortroendevald"])
def test_only_the_economist_changes_the_chart(client_as, persona, account):
    client = client_as(persona)
    assert client.get(ACCOUNTS_URL).status_code == 200
    assert client.get(OBJECTS_URL).status_code == 200
    url = reverse("economy:account_edit", args=[account("4011").pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": "1", "name": "X", "line": "outside"}).status_code == 403
    assert client.post(ACCOUNTS_URL, {"nytt-number": "4999", "nytt-name": "X"}).status_code == 403
    assert not Account.objects.filter(number="4999").exists()
    assert client_as("ekonom").get(url).status_code == 200


def test_anonymous_and_other_organisations(grastorp, account):
    cost_object = CostObject.objects.create(organisation=grastorp, code="9001", name="Test")
    urls = [
        ACCOUNTS_URL,
        OBJECTS_URL,
        reverse("economy:account_edit", args=[account("4011").pk]),
        reverse("economy:object_edit", args=[cost_object.pk]),
    ]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    other = Organisation.objects.create(slug="annan", name="Annan kommun")
    stranger = User.objects.create_user("annan-ekonom", organisation=other, is_economist=True)
    client = Client()
    client.force_login(stranger)
    assert client.get(urls[2]).status_code == 404
    assert client.get(urls[3]).status_code == 404
    listing = client.get(ACCOUNTS_URL)
    assert listing.status_code == 200 and numbers(listing) == []


# ----------------------------------------------------------------------------- cost objects


@pytest.fixture
def cost_objects(grastorp, unit):
    CostObject.objects.filter(organisation=grastorp).delete()
    school = unit("Tengbergsskolan F–6")
    made = {}
    for dimension, code, name, mapped in [
        (1, "100", "Kommunledning", None),
        (1, "410", "Tengbergsskolan", school),
        (1, "420", "Hemtjänst", None),
        (6, "P12", "Projekt bredband", None),
        (6, "P13", "Projekt skola", school),
    ]:
        made[code] = CostObject.objects.create(
            organisation=grastorp, dimension=dimension, code=code, name=name, unit=mapped
        )
    return made


def codes(response) -> list[str]:
    return [o.code for o in response.context["page"].object_list]


def test_objects_without_a_unit_come_first_and_are_counted(client_as, cost_objects):
    response = client_as("ekonom").get(OBJECTS_URL)
    assert response.status_code == 200
    assert codes(response) == ["100", "420", "P12", "410", "P13"]
    assert response.context["unmapped"] == 3
    assert response.context["total"] == 5
    assert client_as("ekonom").get(OBJECTS_URL, {"saknar": "on"}).context["unmapped"] == 3
    assert codes(client_as("ekonom").get(OBJECTS_URL, {"saknar": "on"})) == ["100", "420", "P12"]
    assert codes(client_as("ekonom").get(OBJECTS_URL, {"dimension": "6"})) == ["P12", "P13"]
    assert codes(client_as("ekonom").get(OBJECTS_URL, {"sok": "projekt"})) == ["P12", "P13"]


def test_the_objects_list_makes_a_constant_number_of_queries(
    client_as, grastorp, cost_objects, unit
):
    client = client_as("ekonom")
    with CaptureQueriesContext(connection) as few:
        client.get(OBJECTS_URL)
    school = unit("Tengbergsskolan F–6")
    CostObject.objects.bulk_create(
        CostObject(organisation=grastorp, code=f"K{n}", unit=school if n % 2 else None)
        for n in range(300)
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(OBJECTS_URL)
    assert len(many) == len(few)
    assert len(response.context["page"].object_list) == 200


def test_the_economist_maps_an_object_to_a_unit(client_as, personas, cost_objects, unit):
    cost_object = cost_objects["420"]
    home_care = unit("Hemtjänsten")
    url = reverse("economy:object_edit", args=[cost_object.pk])
    client = client_as("ekonom")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<option value="{home_care.pk}">' + "— " * home_care.depth + "Hemtjänsten" in html
    response = client.post(url, {"version": "1", "unit": str(home_care.pk)})
    assert response.status_code == 302
    cost_object.refresh_from_db()
    assert cost_object.unit == home_care
    assert cost_object.version == 2
    assert cost_object.history.latest().history_user == personas["ekonom"]
    # Back to no unit, then a stale form meets a conflict.
    assert client.post(url, {"version": "2", "unit": ""}).status_code == 302
    stale = client.post(url, {"version": "2", "unit": str(home_care.pk)})
    assert stale.status_code == 409
    cost_object.refresh_from_db()
    assert cost_object.unit is None
    assert stale.context["conflict"] == [
        {"label": stale.context["form"].fields["unit"].label, "theirs": "—", "mine": "Hemtjänsten"}
    ]
    assert client_as("strateg").post(url, {"version": "3", "unit": ""}).status_code == 403


def test_a_unit_of_another_organisation_cannot_be_chosen(client_as, cost_objects):
    other = Organisation.objects.create(slug="annan", name="Annan kommun")
    from tillit.core.models import OrgUnit

    foreign = OrgUnit.objects.create(organisation=other, kind="administration", name="Annan")
    cost_object = cost_objects["100"]
    response = client_as("ekonom").post(
        reverse("economy:object_edit", args=[cost_object.pk]),
        {"version": "1", "unit": str(foreign.pk)},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    cost_object.refresh_from_db()
    assert cost_object.unit is None
