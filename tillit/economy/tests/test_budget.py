"""The budget and economic plan by decision: registering, tilläggsbudget, correcting,
permissions and the year's overview."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from tillit.core.models import Body, Decision, Organisation, User
from tillit.economy import budget as services
from tillit.economy.choices import MUNICIPAL_BUDGET_LINES, StatementLine
from tillit.economy.ledger import YearLedger
from tillit.economy.models import BudgetDocument, BudgetKind, BudgetLine
from tillit.economy.templatetags.economy import tkr

from .conftest import YEAR

pytestmark = pytest.mark.django_db

ADD_URL = reverse("economy:budget_add")
LIST_URL = reverse("economy:budgets")

# Frames in tkr per verksamhet for YEAR, YEAR+1, YEAR+2; municipal lines likewise.
FRAMES = {
    "Kommunledningskontoret": ("60 000", "61 000", "62 000"),
    "Utbildning": ("190 000", "195 000", "200 000"),
    "Vård och omsorg": ("170 000", "174 000", "178 000"),
    "Samhällsbyggnad": ("40 000", "41 000", "42 000"),
}
LINES = {
    StatementLine.TAX_REVENUE: ("301 000", "310 000", "320 000"),
    StatementLine.GENERAL_GRANTS: ("170 000", "172 000", "174 000"),
    StatementLine.FINANCIAL_INCOME: ("2 000", "2 000", "2 000"),
    StatementLine.FINANCIAL_COST: ("3 500", "4 000", "4 500"),
}
# 301 000 + 170 000 + 2 000 − 3 500 − (60 000 + 190 000 + 170 000 + 40 000) = 9 500 tkr
RESULT = Decimal("9500000")


def kr(tkr_text: str) -> Decimal:
    return Decimal(tkr_text.replace(" ", "")) * 1000


@pytest.fixture
def operations(grastorp):
    return {u.name: u for u in services.operations(grastorp)}


@pytest.fixture
def ks_decision(grastorp):
    return Decision.objects.create(
        organisation=grastorp,
        body=Body.objects.get(organisation=grastorp, abbreviation="KS"),
        date=date(YEAR, 4, 15),
        paragraph="41",
        title=f"Tilläggsbudget {YEAR} för Utbildning",
    )


def budget_post(operations, decision, year=YEAR, **overrides) -> dict:
    data = {
        "title": f"Budget {year} och ekonomisk plan {year + 1}–{year + 2}",
        "decision": str(decision.pk),
        "description": "Antagen av kommunfullmäktige.",
    }
    for name, amounts in FRAMES.items():
        for offset, amount in enumerate(amounts):
            data[f"a_u{operations[name].pk}_{year + offset}"] = amount
    for line, amounts in LINES.items():
        for offset, amount in enumerate(amounts):
            data[f"a_l{line}_{year + offset}"] = amount
    data.update(overrides)
    return data


def register_budget(client_as, operations, decision) -> BudgetDocument:
    response = client_as("ekonom").post(f"{ADD_URL}?ar={YEAR}", budget_post(operations, decision))
    assert response.status_code == 302, response.content.decode()[:3000]
    return BudgetDocument.objects.get(organisation=decision.organisation, year=YEAR, kind="budget")


def test_the_economist_registers_a_budget_with_its_decision(
    client_as, personas, operations, budget_decision
):
    client = client_as("ekonom")
    page = client.get(f"{ADD_URL}?ar={YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    # Each cell of the grid is labelled "<verksamhet>, <år>" for screen readers.
    assert f'for="id_a_u{operations["Utbildning"].pk}_{YEAR + 2}"' in html
    assert f"Utbildning, {YEAR + 2}" in html
    assert budget_decision.reference in html

    response = client.post(f"{ADD_URL}?ar={YEAR}", budget_post(operations, budget_decision))
    document = BudgetDocument.objects.get(year=YEAR, kind=BudgetKind.BUDGET)
    assert response.status_code == 302
    assert response["Location"] == reverse("economy:budget", args=[document.pk])
    assert document.decision == budget_decision
    assert document.created_by == personas["ekonom"]
    assert document.plan_years == (YEAR, YEAR + 1, YEAR + 2)
    lines = {(line.unit_id or line.line, line.year): line.amount for line in document.lines.all()}
    assert len(lines) == (len(FRAMES) + len(LINES)) * 3
    assert lines[(operations["Utbildning"].pk, YEAR)] == Decimal("190000000")
    assert lines[(operations["Utbildning"].pk, YEAR + 2)] == Decimal("200000000")
    assert lines[(StatementLine.TAX_REVENUE, YEAR + 1)] == Decimal("310000000")

    detail = client.get(response["Location"])
    assert detail.status_code == 200
    body = detail.content.decode()
    assert document.title in body
    assert reverse("core:decision", args=[budget_decision.pk]) in body
    assert tkr(RESULT) in body  # the budgeted result of YEAR
    assert 'id="history-heading"' in body


def test_every_frame_is_required_and_named_in_the_error(client_as, operations, budget_decision):
    data = budget_post(operations, budget_decision)
    missing = f"a_u{operations['Vård och omsorg'].pk}_{YEAR + 1}"
    data[missing] = ""
    data[f"a_u{operations['Utbildning'].pk}_{YEAR}"] = "−5"
    data[f"a_l{StatementLine.TAX_REVENUE}_{YEAR}"] = "trehundra"
    response = client_as("ekonom").post(f"{ADD_URL}?ar={YEAR}", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert missing in form.errors
    assert "Vård och omsorg" in form.errors[missing][0]
    assert str(YEAR + 1) in form.errors[missing][0]
    assert f"a_u{operations['Utbildning'].pk}_{YEAR}" in form.errors  # not negative
    assert f"a_l{StatementLine.TAX_REVENUE}_{YEAR}" in form.errors
    # The summary links to the cell.
    assert f'href="#id_{missing}"' in response.content.decode()
    assert not BudgetDocument.objects.filter(year=YEAR).exists()
    assert not BudgetLine.objects.filter(year=YEAR).exists()


def test_the_decision_is_required(client_as, operations, budget_decision):
    response = client_as("ekonom").post(
        f"{ADD_URL}?ar={YEAR}", {**budget_post(operations, budget_decision), "decision": ""}
    )
    assert response.status_code == 200
    assert "decision" in response.context["form"].errors
    assert not BudgetDocument.objects.filter(year=YEAR).exists()


def test_a_decision_of_another_organisation_cannot_be_chosen(
    client_as, operations, budget_decision
):
    other = Organisation.objects.create(slug="annan", name="Annan kommun")
    foreign = Decision.objects.create(
        organisation=other,
        body=Body.objects.create(organisation=other, kind="council", name="KF", abbreviation="KF"),
        date=date(YEAR - 1, 11, 20),
        paragraph="1",
        title="Budget",
    )
    response = client_as("ekonom").post(f"{ADD_URL}?ar={YEAR}", budget_post(operations, foreign))
    assert response.status_code == 200
    assert "decision" in response.context["form"].errors


def test_a_second_budget_for_the_year_is_refused(client_as, operations, budget_decision):
    register_budget(client_as, operations, budget_decision)
    response = client_as("ekonom").post(
        f"{ADD_URL}?ar={YEAR}", budget_post(operations, budget_decision, title="Igen")
    )
    assert response.status_code == 200
    constraint = next(
        c for c in BudgetDocument._meta.constraints if c.name == "one_budget_per_year"
    )
    assert str(constraint.violation_error_message) in response.context["form"].non_field_errors()
    assert BudgetDocument.objects.filter(year=YEAR).count() == 1


def test_a_supplementary_budget_changes_the_current_frame(
    client_as, grastorp, operations, budget_decision, ks_decision
):
    register_budget(client_as, operations, budget_decision)
    education = operations["Utbildning"]
    client = client_as("ekonom")
    page = client.get(f"{ADD_URL}?typ=tillagg&ar={YEAR}")
    assert page.status_code == 200
    assert len(page.context["form"].years) == 1
    response = client.post(
        f"{ADD_URL}?typ=tillagg&ar={YEAR}",
        {
            "title": f"Tilläggsbudget {YEAR}",
            "decision": str(ks_decision.pk),
            f"a_u{education.pk}_{YEAR}": "4 500",
            f"c_u{education.pk}": "Fler elever i grundskolan",
            f"a_l{StatementLine.FINANCIAL_COST}_{YEAR}": "−500",
            f"a_u{operations['Samhällsbyggnad'].pk}_{YEAR}": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    supplement = BudgetDocument.objects.get(year=YEAR, kind=BudgetKind.SUPPLEMENTARY)
    lines = list(supplement.lines.order_by("line"))
    assert [(line.unit_id, line.line, line.amount) for line in lines] == [
        (education.pk, "", Decimal("4500000")),
        (None, StatementLine.FINANCIAL_COST, Decimal("-500000")),
    ]
    assert lines[0].comment == "Fler elever i grundskolan"

    ledger = YearLedger.load(grastorp, YEAR)
    assert ledger.frame(education.pk) == Decimal("194500000")
    expected = RESULT - Decimal("4500000") + Decimal("500000")
    assert ledger.budgeted_result() == expected
    assert services.budgeted_results(grastorp, [YEAR, YEAR + 1, YEAR + 5]) == {
        YEAR: expected,
        YEAR + 1: None,  # the plan years are no year's budget until it is adopted
        YEAR + 5: None,
    }

    overview = client.get(f"{LIST_URL}?ar={YEAR}")
    assert overview.status_code == 200
    data = overview.context["overview"]
    row = next(r for r in data.frames if r.row.unit == education)
    assert row.adopted == Decimal("190000000")
    assert row.changes == [Decimal("4500000")]
    assert row.current == Decimal("194500000")
    assert row.plan == [Decimal("195000000"), Decimal("200000000")]
    assert data.result.current == expected
    html = overview.content.decode()
    assert tkr(Decimal("194500000")) in html
    assert supplement.title in html and ks_decision.reference in html


def test_a_supplementary_budget_needs_an_adopted_budget_and_a_change(
    client_as, operations, ks_decision, budget_decision
):
    client = client_as("ekonom")
    education = operations["Utbildning"]
    data = {"title": "Tillägg", "decision": str(ks_decision.pk), f"a_u{education.pk}_{YEAR}": "10"}
    response = client.post(f"{ADD_URL}?typ=tillagg&ar={YEAR}", data)
    assert response.status_code == 200
    assert str(YEAR) in " ".join(response.context["form"].non_field_errors())

    register_budget(client_as, operations, budget_decision)
    data[f"a_u{education.pk}_{YEAR}"] = "0"
    response = client.post(f"{ADD_URL}?typ=tillagg&ar={YEAR}", data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not BudgetDocument.objects.filter(kind=BudgetKind.SUPPLEMENTARY, year=YEAR).exists()


def test_the_economic_plan_of_an_earlier_budget_is_not_added_to_the_next_budget(
    client_as, grastorp, operations, budget_decision
):
    register_budget(client_as, operations, budget_decision)
    next_decision = Decision.objects.create(
        organisation=grastorp,
        body=budget_decision.body,
        date=date(YEAR, 11, 23),
        paragraph="90",
        title=f"Budget {YEAR + 1}",
    )
    response = client_as("ekonom").post(
        f"{ADD_URL}?ar={YEAR + 1}", budget_post(operations, next_decision, year=YEAR + 1)
    )
    assert response.status_code == 302
    education = operations["Utbildning"]
    # The new budget's own figure for YEAR+1 (190 000), not the plan's 195 000 added to it.
    assert YearLedger.load(grastorp, YEAR + 1).frame(education.pk) == Decimal("190000000")
    overview = services.year_overview(grastorp, YEAR + 1)
    assert next(r for r in overview.frames if r.row.unit == education).current == Decimal(
        "190000000"
    )
    assert services.default_year(grastorp) >= YEAR + 1


def test_the_overview_agrees_with_the_ledger(client_as, grastorp, operations, budget_decision):
    register_budget(client_as, operations, budget_decision)
    overview = services.year_overview(grastorp, YEAR)
    ledger = YearLedger.load(grastorp, YEAR)
    assert overview.result.current == ledger.budgeted_result() == RESULT
    assert overview.result.plan == [
        kr("310 000") + kr("172 000") + kr("2 000") - kr("4 000") - kr("471 000"),
        kr("320 000") + kr("174 000") + kr("2 000") - kr("4 500") - kr("482 000"),
    ]
    assert overview.frame_total.adopted == kr("460 000")
    for row in overview.frames:
        assert row.current == ledger.frame(row.row.unit.pk)
    assert {r.row.line for r in overview.lines} == set(MUNICIPAL_BUDGET_LINES)


def test_the_list_makes_a_constant_number_of_queries(
    client_as, grastorp, operations, budget_decision, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    register_budget(client_as, operations, budget_decision)
    client = client_as("ekonom")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{LIST_URL}?ar={YEAR}")
    for i in range(6):
        decision = Decision.objects.create(
            organisation=grastorp,
            body=budget_decision.body,
            date=date(YEAR, 3, 1 + i),
            paragraph=str(100 + i),
            title=f"Tillägg {i}",
        )
        services.create_document(
            organisation=grastorp,
            kind=BudgetKind.SUPPLEMENTARY,
            year=YEAR,
            title=f"Tilläggsbudget {i}",
            decision=decision,
            amounts={(f"u{operations['Utbildning'].pk}", YEAR): Decimal(1000 * (i + 1))},
            rows=services.grid_rows(grastorp),
            created_by=None,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"{LIST_URL}?ar={YEAR}")
    assert response.status_code == 200
    assert len(response.context["overview"].supplements) == 6
    assert len(many) == len(few)


def test_the_default_year_is_the_latest_budget(client_as, operations, budget_decision):
    register_budget(client_as, operations, budget_decision)
    response = client_as("fortroendevald").get(LIST_URL)
    assert response.status_code == 200
    assert response.context["year"] >= YEAR
    assert client_as("ekonom").get(f"{LIST_URL}?ar=tjugo").status_code == 404
    assert client_as("ekonom").get(f"{LIST_URL}?ar=1800").status_code == 404


# ------------------------------------------------------------------------------ correcting


def edit_post(document, operations, **overrides) -> dict:
    data = budget_post(operations, document.decision)
    data.update({"version": str(document.version), "reason": "Fel belopp i registreringen"})
    data.update(overrides)
    return data


def test_a_correction_keeps_the_history_with_its_reason(
    client_as, personas, operations, budget_decision
):
    document = register_budget(client_as, operations, budget_decision)
    education = operations["Utbildning"]
    client = client_as("ekonom")
    page = client.get(reverse("economy:budget_edit", args=[document.pk]))
    assert page.status_code == 200
    assert page.context["form"][f"a_u{education.pk}_{YEAR}"].value() == "190\u00a0000"
    response = client.post(
        reverse("economy:budget_edit", args=[document.pk]),
        edit_post(
            document,
            operations,
            title="Budget med rättad ram",
            **{f"a_u{education.pk}_{YEAR + 1}": "196 000"},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    document.refresh_from_db()
    assert document.title == "Budget med rättad ram"
    assert document.version == 2
    line = document.lines.get(unit=education, year=YEAR + 1)
    assert line.amount == Decimal("196000000")
    record = line.history.latest()
    assert record.history_change_reason == "Fel belopp i registreringen"
    assert record.history_user == personas["ekonom"]
    assert document.history.latest().history_change_reason == "Fel belopp i registreringen"

    detail = client.get(reverse("economy:budget", args=[document.pk]))
    entries = detail.context["history"]
    amount_change = next(e for e in entries if e.subject == f"Utbildning, {YEAR + 1}")
    assert amount_change.reason == "Fel belopp i registreringen"
    assert amount_change.changes[0].old == tkr(Decimal("195000000"))
    assert amount_change.changes[0].new == tkr(Decimal("196000000"))
    assert "Fel belopp i registreringen" in detail.content.decode()
    # The lines registered with the document are not listed one by one; corrections are.
    assert [e.subject for e in entries if e.subject] == [f"Utbildning, {YEAR + 1}"]


def test_a_correction_needs_a_reason(client_as, operations, budget_decision):
    document = register_budget(client_as, operations, budget_decision)
    response = client_as("ekonom").post(
        reverse("economy:budget_edit", args=[document.pk]),
        edit_post(document, operations, reason="", title="Utan skäl"),
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    document.refresh_from_db()
    assert document.title != "Utan skäl"


def test_an_edit_conflict_shows_both_and_loses_nothing(client_as, operations, budget_decision):
    document = register_budget(client_as, operations, budget_decision)
    education = operations["Utbildning"]
    url = reverse("economy:budget_edit", args=[document.pk])
    stale = edit_post(document, operations, title="Min titel")
    stale[f"a_u{education.pk}_{YEAR}"] = "191 000"
    # Someone else corrects first.
    first = client_as("ekonom").post(
        url, edit_post(document, operations, title="Deras titel", reason="Deras rättelse")
    )
    assert first.status_code == 302
    response = client_as("ekonom").post(url, stale)
    assert response.status_code == 409
    document.refresh_from_db()
    assert document.title == "Deras titel"
    assert document.lines.get(unit=education, year=YEAR).amount == Decimal("190000000")
    conflict = response.context["conflict"]
    labels = {row["label"]: row for row in conflict}
    title_row = next(row for row in conflict if row["theirs"] == "Deras titel")
    assert title_row["mine"] == "Min titel"
    amount_row = labels[f"Utbildning, {YEAR} (tkr)"]
    assert amount_row["theirs"] == tkr(Decimal("190000000"))
    assert amount_row["mine"] == tkr(Decimal("191000000"))
    form = response.context["form"]
    assert form.data["version"] == document.version
    assert form.data["title"] == "Min titel"  # their own input is still in the form
    # Saving again is a choice, and works.
    again = client_as("ekonom").post(url, {**stale, "version": str(document.version)})
    assert again.status_code == 302
    document.refresh_from_db()
    assert document.title == "Min titel"
    assert document.lines.get(unit=education, year=YEAR).amount == Decimal("191000000")


def test_correcting_a_supplementary_budget_removes_a_line_set_to_zero(
    client_as, grastorp, operations, budget_decision, ks_decision
):
    register_budget(client_as, operations, budget_decision)
    education, planning = operations["Utbildning"], operations["Samhällsbyggnad"]
    rows = services.grid_rows(grastorp)
    supplement = services.create_document(
        organisation=grastorp,
        kind=BudgetKind.SUPPLEMENTARY,
        year=YEAR,
        title="Tillägg",
        decision=ks_decision,
        amounts={
            (f"u{education.pk}", YEAR): Decimal(2000000),
            (f"u{planning.pk}", YEAR): Decimal(-1000000),
        },
        comments={f"u{education.pk}": "Skolskjuts"},
        rows=rows,
        created_by=None,
    )
    response = client_as("ekonom").post(
        reverse("economy:budget_edit", args=[supplement.pk]),
        {
            "title": "Tillägg",
            "decision": str(ks_decision.pk),
            "version": str(supplement.version),
            "reason": "Samhällsbyggnad fanns inte i beslutet",
            f"a_u{education.pk}_{YEAR}": "2 000",
            f"c_u{education.pk}": "Skolskjuts",
            f"a_u{planning.pk}_{YEAR}": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(line.unit_id, line.amount) for line in supplement.lines.all()] == [
        (education.pk, Decimal("2000000"))
    ]
    removed = BudgetLine.history.filter(
        document_id=supplement.pk, unit_id=planning.pk, history_type="-"
    ).get()
    assert removed.history_change_reason == "Samhällsbyggnad fanns inte i beslutet"


# ------------------------------------------------------------------------------ permissions


@pytest.mark.parametrize("persona", ["strateg", "verksamhetschef", "fortroendevald", "enhetschef"])
def test_others_read_but_may_not_register_or_correct(
    client_as, persona, operations, budget_decision
):
    document = register_budget(client_as, operations, budget_decision)
    client = client_as(persona)
    assert client.get(f"{LIST_URL}?ar={YEAR}").status_code == 200
    detail = client.get(reverse("economy:budget", args=[document.pk]))
    assert detail.status_code == 200
    assert reverse("economy:budget_edit", args=[document.pk]) not in detail.content.decode()
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, budget_post(operations, budget_decision)).status_code == 403
    edit = reverse("economy:budget_edit", args=[document.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, edit_post(document, operations)).status_code == 403
    assert BudgetDocument.objects.filter(year=YEAR).count() == 1


def test_the_economist_sees_the_links_to_register(client_as, operations, budget_decision):
    document = register_budget(client_as, operations, budget_decision)
    html = client_as("ekonom").get(f"{LIST_URL}?ar={YEAR}").content.decode()
    assert f'href="{ADD_URL}"' in html
    assert f"{ADD_URL}?typ=tillagg&amp;ar={YEAR}" in html
    detail = client_as("ekonom").get(reverse("economy:budget", args=[document.pk]))
    assert reverse("economy:budget_edit", args=[document.pk]) in detail.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client_as, operations, budget_decision):
    document = register_budget(client_as, operations, budget_decision)
    anonymous = Client()
    for url in (
        LIST_URL,
        ADD_URL,
        reverse("economy:budget", args=[document.pk]),
        reverse("economy:budget_edit", args=[document.pk]),
    ):
        response = anonymous.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_another_organisation_finds_nothing(client_as, operations, budget_decision):
    document = register_budget(client_as, operations, budget_decision)
    other = Organisation.objects.create(slug="annan", name="Annan kommun")
    stranger = User.objects.create_user("annan-ekonom", organisation=other, is_economist=True)
    client = Client()
    client.force_login(stranger)
    assert client.get(reverse("economy:budget", args=[document.pk])).status_code == 404
    assert client.get(reverse("economy:budget_edit", args=[document.pk])).status_code == 404
    listing = client.get(f"{LIST_URL}?ar={YEAR}")
    assert listing.status_code == 200
    assert document.title not in listing.content.decode()
    assert not listing.context["overview"].has_documents
    # Nor can they use Grästorp's decision.
    response = client.post(f"{ADD_URL}?ar={YEAR}", {"decision": str(budget_decision.pk)})
    assert "decision" in response.context["form"].errors
