"""The budget and economic plan in a real browser: the economist registers a budget by
keyboard, reads it and finds it in the year's overview; every page checked with axe-core.

The interface's texts are looked up through gettext, as the pages render them."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

YEAR = 2031  # a year neither the demo nor other tests use (tillit/economy/tests/conftest.py)
FRAMES = {
    "Kommunledningskontoret": ("60 000", "61 000", "62 000"),
    "Utbildning": ("190 000", "195 000", "200 000"),
    "Vård och omsorg": ("170 000", "174 000", "178 000"),
    "Samhällsbyggnad": ("40 000", "41 000", "42 000"),
}
LINES = ("301 000", "170 000", "2 000", "3 500")  # tax, grants, financial income, costs


@pytest.fixture
def decision(grastorp):
    from tillit.core.models import Body, Decision

    return Decision.objects.create(
        organisation=grastorp,
        body=Body.objects.get(organisation=grastorp, abbreviation="KF"),
        date=date(YEAR - 1, 11, 24),
        paragraph="88",
        title=f"Budget {YEAR} och ekonomisk plan {YEAR + 1}–{YEAR + 2}",
    )


def test_the_economist_registers_a_budget_by_keyboard(
    page, live_server, grastorp, decision, login, visit, follow, submit
):
    from tillit.economy import budget as services
    from tillit.economy.models import BudgetDocument

    rows = services.grid_rows(grastorp)
    login(page, live_server, "ekonom")
    visit(page, f"/ekonomi/budget/?ar={YEAR}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(YEAR))

    follow(page.get_by_role("link", name=gettext("Register budget and economic plan")))
    page.get_by_label(gettext("Budget year")).fill(str(YEAR))
    follow(page.get_by_role("button", name=gettext("Show the year")))
    expect(page.locator("#budget-grid thead")).to_contain_text(str(YEAR + 2))

    title = page.get_by_label(gettext("Title"))
    expect(title).to_have_value(
        gettext("Budget %(year)s and economic plan %(first)s–%(last)s")
        % {"year": YEAR, "first": YEAR + 1, "last": YEAR + 2}
    )
    page.get_by_label(gettext("Decision")).select_option(
        label=f"{decision.reference}: {decision.title}"
    )

    # The grid by keyboard: type a cell, Tab to the next (row by row, year by year).
    first = rows[0]
    page.get_by_label(f"{first.label}, {YEAR}", exact=True).focus()
    amounts = [a for row in rows if row.is_frame for a in FRAMES[row.label]]
    amounts += [a for amount in LINES for a in (amount, amount, amount)]
    for i, amount in enumerate(amounts):
        if i:
            page.keyboard.press("Tab")
        page.keyboard.type(amount)
    expect(page.get_by_label(f"{rows[-1].label}, {YEAR + 2}", exact=True)).to_be_focused()
    expect(page.get_by_label(f"Utbildning, {YEAR + 1}", exact=True)).to_have_value("195 000")

    submit(page.get_by_label(f"{rows[-1].label}, {YEAR + 2}", exact=True))
    document = BudgetDocument.objects.get(organisation=grastorp, year=YEAR, kind="budget")
    assert document.lines.count() == len(rows) * 3
    expect(page.get_by_role("heading", level=1)).to_have_text(document.title)
    lines = page.locator("#budget-lines")
    expect(lines.locator("tr", has_text="Utbildning")).to_contain_text("200\u00a0000")
    # 301 000 + 170 000 + 2 000 − 3 500 − 460 000
    expect(lines.locator("tfoot")).to_contain_text("9\u00a0500")
    expect(page.locator("main")).to_contain_text(decision.reference)

    follow(page.locator("nav.breadcrumb").get_by_role("link", name=str(YEAR)))
    overview = page.locator("#budget-overview")
    expect(overview.locator("tr", has_text="Utbildning")).to_contain_text("190\u00a0000")
    expect(page.locator("#budgeted-result")).to_contain_text("9\u00a0500")
    expect(page.locator("#budget-documents")).to_contain_text(document.title)


def test_the_economist_reads_the_chart_and_maps_an_object(
    page, live_server, grastorp, login, visit, follow
):
    from tillit.core.models import OrgUnit
    from tillit.economy.models import Account, CostObject

    Account.objects.get_or_create(
        organisation=grastorp, number="7811", defaults={"name": "Avskrivningar", "line": "outside"}
    )
    cost_object = CostObject.objects.create(organisation=grastorp, code="K999", name="Okänt")
    login(page, live_server, "ekonom")
    visit(page, "/ekonomi/konton/?sok=7811")
    expect(page.locator("#accounts")).to_contain_text("Avskrivningar")
    follow(page.locator("#accounts").get_by_role("link", name="7811"))
    page.get_by_label(gettext("Statement line")).select_option("depreciation")
    follow(page.get_by_role("button", name=gettext("Save")))
    expect(page.locator("#accounts tr", has_text="7811")).not_to_have_class("account-table__marked")
    follow(page.get_by_role("link", name=gettext("Cost objects"), exact=True))
    row = page.locator("#cost-objects tr", has_text="K999")
    follow(row.get_by_role("link", name="K999"))
    home_care = OrgUnit.objects.get(organisation=grastorp, name="Hemtjänsten")
    page.get_by_label(gettext("Unit")).select_option(str(home_care.pk))
    follow(page.get_by_role("button", name=gettext("Save")))
    expect(page.locator("#cost-objects tr", has_text="K999")).to_contain_text("Hemtjänsten")
    cost_object.refresh_from_db()
    assert cost_object.unit == home_care
