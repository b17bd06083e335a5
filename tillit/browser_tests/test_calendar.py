"""The yearly calendar in a browser: the wheel, adding a date, a feed address."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_citizen_reads_the_yearly_calendar_and_filters_it(
    page, live_server, grastorp, visit, follow
):
    visit(page, "/arshjul/2026/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Årshjul 2026")
    november = page.locator("#manad-11")
    expect(november).to_contain_text("Verksamhetsplan och budget 2027")
    # The months are reachable from the month list, by keyboard too.
    link = page.get_by_role("navigation", name="Månader").get_by_role("link", name="November")
    link.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/arshjul/2026/#manad-11")
    page.get_by_label("Typ").select_option(label="Rapport till kommunfullmäktige")
    follow(page.get_by_role("button", name="Visa"))
    expect(page.locator(".calendar-entry").first).to_contain_text("Rapport till kommunfullmäktige")
    expect(page.locator("main")).not_to_contain_text("Ekonomisk månadsuppföljning")


def test_the_plan_administrator_adds_a_date(page, live_server, grastorp, login, visit, follow):
    login(page, live_server, "strateg")
    visit(page, "/arshjul/2026/")
    follow(page.get_by_role("link", name="Lägg till ett datum"))
    page.get_by_label("Titel").fill("Budgetdialog med verksamheterna")
    page.get_by_label("Typ").select_option(label="Plan och budget")
    page.get_by_label("Datum").fill("2026-09-14")
    page.get_by_label("Tid").fill("13:00")
    page.get_by_label("Organ").select_option(label="Kommunstyrelsen")
    follow(page.get_by_role("button", name="Spara"))
    expect(page.locator(".messages")).to_contain_text("Datumet har sparats.")
    expect(page.locator("#manad-9")).to_contain_text("KS: Budgetdialog med verksamheterna")
    follow(
        page.locator("#manad-9").get_by_role("link", name="Ändra Budgetdialog med verksamheterna")
    )
    follow(page.get_by_role("link", name="Ta bort"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ta bort Budgetdialog med verksamheterna"
    )
    follow(page.get_by_role("button", name="Ta bort"))
    expect(page.locator(".messages")).to_contain_text("Budgetdialog med verksamheterna togs bort.")
    expect(page.locator("#manad-9")).not_to_contain_text("Budgetdialog med verksamheterna")


def test_a_person_creates_a_feed_address_to_subscribe_to(
    page, live_server, grastorp, login, visit, follow
):
    login(page, live_server, "medledare")
    visit(page, "/kalender/")
    follow(page.get_by_role("button", name="Skapa en adress till min kalender"))
    address = page.get_by_label("Adress till min kalender")
    value = address.input_value()
    assert value.startswith(f"{live_server.url}/kalender/") and value.endswith(".ics")
    response = page.request.get(value)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in response.text()
    follow(page.get_by_role("button", name="Stäng av adressen"))
    assert page.request.get(value).status == 404
