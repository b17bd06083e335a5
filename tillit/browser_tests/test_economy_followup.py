"""The monthly follow-up in a real browser, every page checked with axe-core.

The follow-up's clock is set to the end of 2031, the year the test's figures are in, so
every month of it has passed and may be forecast. Texts of the interface are looked up
through gettext, as the pages render them; names and figures are data.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

YEAR = 2031
M = Decimal(1_000_000)


@pytest.fixture
def end_of_2031(monkeypatch):
    from tillit.economy.views import followup

    monkeypatch.setattr(followup, "today", lambda: date(YEAR, 12, 31))


@pytest.fixture
def economy_2031(grastorp):
    """A budget for 2031 and outcome for January–March: Utbildning 10 500 tkr a month
    against a frame of 120 000 tkr."""
    from tillit.core.choices import UnitKind
    from tillit.core.models import Body, Decision, OrgUnit
    from tillit.economy.choices import BudgetKind, StatementLine, default_line
    from tillit.economy.models import Account, BudgetDocument, BudgetLine, Outcome

    operations = {
        u.name: u for u in OrgUnit.objects.filter(organisation=grastorp, kind=UnitKind.OPERATION)
    }
    decision = Decision.objects.create(
        organisation=grastorp,
        body=Body.objects.get(organisation=grastorp, abbreviation="KF"),
        date=date(YEAR - 1, 11, 24),
        paragraph="88",
        title=f"Budget {YEAR}",
    )
    document = BudgetDocument.objects.create(
        organisation=grastorp,
        kind=BudgetKind.BUDGET,
        year=YEAR,
        title=f"Budget {YEAR}",
        decision=decision,
    )
    frames = {
        "Kommunledningskontoret": 60,
        "Utbildning": 120,
        "Vård och omsorg": 240,
        "Samhällsbyggnad": 30,
    }
    for name, frame in frames.items():
        BudgetLine.objects.create(
            document=document, year=YEAR, unit=operations[name], amount=frame * M
        )
    BudgetLine.objects.create(
        document=document, year=YEAR, line=StatementLine.TAX_REVENUE, amount=380 * M
    )
    BudgetLine.objects.create(
        document=document, year=YEAR, line=StatementLine.GENERAL_GRANTS, amount=90 * M
    )

    def account(number):
        return Account.objects.get_or_create(
            organisation=grastorp,
            number=number,
            defaults={"name": f"Konto {number}", "line": default_line(number)},
        )[0]

    school = OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6")
    for month in (1, 2, 3):
        for unit, number, amount in (
            (school, "4011", Decimal("10.5") * M),
            (operations["Vård och omsorg"], "4011", 20 * M),
            (operations["Kommunledningskontoret"], "4011", 5 * M),
            (operations["Samhällsbyggnad"], "4011", Decimal("2.5") * M),
            (None, "8011", -31 * M),
            (None, "8211", Decimal("-7.5") * M),
        ):
            Outcome.objects.create(
                organisation=grastorp,
                year=YEAR,
                month=month,
                account=account(number),
                unit=unit,
                amount=amount,
            )
    return operations


def test_the_head_of_education_forecasts_and_the_economist_reads_the_report(
    page, new_page, live_server, economy_2031, end_of_2031, login, visit, follow, submit
):
    from tillit.economy.models import Forecast

    login(page, live_server, "verksamhetschef")
    follow(page.locator(".site-nav").get_by_role("link", name=gettext("Economy")))
    expect(page).to_have_url(f"{live_server.url}/ekonomi/{YEAR}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(YEAR))
    education_row = page.locator("#operations-table tbody tr", has_text="Utbildning")
    expect(education_row).to_contain_text("31\u00a0500")
    expect(education_row).to_contain_text("126\u00a0000")

    # The month picker, by keyboard, without JavaScript.
    picker = page.get_by_label(gettext("Month"), exact=True)
    picker.focus()
    picker.select_option("2")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/ekonomi/{YEAR}/?manad=2")
    follow(page.get_by_role("link", name="mars 2031", exact=False).first)

    follow(page.locator("#operations-table").get_by_role("link", name="Utbildning", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utbildning")
    expect(page.locator("svg[role=img]")).to_have_count(1)
    expect(page.locator("#units-table")).to_contain_text("Tengbergsskolan F–6")

    link = page.locator("main .section-head").get_by_role("link")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visit(page, page.url)  # the form, checked with axe
    amount = page.get_by_label(gettext("Forecast net cost for the year (tkr)"))
    amount.focus()
    page.keyboard.type("130 000")
    page.keyboard.press("Tab")
    page.keyboard.type("Högre kostnader för skolskjutsar än väntat.")
    response = submit(amount)
    assert response is not None and response.ok
    expect(page).to_have_url(f"{live_server.url}/ekonomi/{YEAR}/?manad=3")
    expect(page.locator(".messages")).to_be_visible()
    education_row = page.locator("#operations-table tbody tr", has_text="Utbildning")
    expect(education_row).to_contain_text("130\u00a0000")
    expect(education_row).to_contain_text("\u221210\u00a0000")
    forecast = Forecast.objects.get(year=YEAR, month=3)
    assert forecast.amount == 130 * M and forecast.author.username

    # The comment is there to read, by keyboard: a disclosure in the row.
    summary = education_row.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(education_row).to_contain_text("Högre kostnader för skolskjutsar än väntat.")

    economist = new_page()
    login(economist, live_server, "ekonom")
    visit(economist, f"/ekonomi/{YEAR}/")
    follow(economist.locator("main .section-head").get_by_role("link"))
    expect(economist).to_have_url(f"{live_server.url}/ekonomi/{YEAR}/3/rapport/")
    expect(economist.get_by_role("heading", level=1)).to_contain_text(f"mars {YEAR}")
    expect(economist.locator("main")).to_contain_text("Grästorps kommun")
    expect(economist.locator("main")).to_contain_text("Högre kostnader för skolskjutsar än väntat.")
    pdf = economist.locator(f"a[href='/ekonomi/{YEAR}/3/rapport.pdf']")
    expect(pdf).to_have_count(1)
    with economist.expect_download(timeout=30_000) as download:
        pdf.click()
    assert download.value.suggested_filename == f"manadsrapport-{YEAR}-03.pdf"
