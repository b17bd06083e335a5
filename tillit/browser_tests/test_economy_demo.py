"""The demo's economy in a real browser, every page checked with axe-core: a politician
reads the monthly follow-up, a verksamhet and the report to kommunstyrelsen; the economist
opens the forms the other browser tests do not (a budget's correction, a financial goal,
a finance-policy limit) and the chart of accounts with its filters, by keyboard."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_politician_reads_october_2026_and_the_report(
    page, live_server, grastorp, login, visit, follow
):
    login(page, live_server, "fortroendevald")
    visit(page, "/ekonomi/2026/?manad=10")
    operations = page.locator("#operations-table")
    expect(operations).to_contain_text("Vård och omsorg")
    expect(operations).to_contain_text("160\u00a0500")  # the frame after the tilläggsbudget
    # Vård och omsorg's deviation is a deficit, said in words as well as by the minus sign.
    expect(operations.locator("tr", has_text="Vård och omsorg")).to_contain_text("−")
    follow(operations.get_by_role("link", name="Vård och omsorg", exact=True))
    expect(page.locator("svg[role=img]")).to_have_count(1)
    expect(page.locator("#units-table")).to_contain_text("Hemtjänsten")
    # A politician reads; she is not offered a forecast.
    expect(page.get_by_role("link", name=gettext("Submit forecast"))).to_have_count(0)
    visit(page, "/ekonomi/2026/10/rapport/")
    expect(page.locator("#report-policy-heading")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Soliditeten ska vara minst 35 procent.")
    with page.expect_download() as download:
        page.get_by_role("link", name=gettext("Download as PDF")).click()
    assert download.value.suggested_filename == "manadsrapport-2026-10.pdf"


def test_the_economist_opens_the_forms_of_the_demo(
    page, live_server, grastorp, login, visit, follow, submit
):
    from tillit.economy.models import BudgetDocument, FinancialGoal, PolicyLimit

    login(page, live_server, "ekonom")
    budget = BudgetDocument.objects.get(organisation=grastorp, year=2026, kind="budget")
    visit(page, f"/ekonomi/budget/{budget.pk}/")
    follow(page.get_by_role("link", name=gettext("Correct the registration")))
    expect(page.get_by_label("Utbildning, 2026")).to_have_value("176\u00a0000")
    goal = FinancialGoal.objects.filter(organisation=grastorp).first()
    visit(page, f"/ekonomi/finansiella-mal/{goal.pk}/andra/")
    visit(page, "/ekonomi/finansiella-mal/ny/")
    limit = PolicyLimit.objects.filter(organisation=grastorp).first()
    visit(page, f"/ekonomi/finanspolicy/{limit.pk}/andra/")
    visit(page, "/ekonomi/finanspolicy/ny/")
    visit(page, "/ekonomi/konton/")
    search = page.get_by_label(gettext("Number or name"))
    search.fill("Kommunalskatt")
    submit(search)
    expect(page.locator("main")).to_contain_text("8011")
    visit(page, "/ekonomi/objekt/")
    expect(page.locator("main")).to_contain_text("Finansförvaltning")
