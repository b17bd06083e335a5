"""Following up in a browser: the operational plan's traffic lights and a measure's chart."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_citizen_follows_a_goal_to_its_measure_and_reads_the_chart(
    page, live_server, grastorp, visit, follow
):
    visit(page, "/")
    follow(page.locator(".site-nav").get_by_role("link", name="Verksamhetsplan"))
    follow(page.locator("main").get_by_role("link", name="Verksamhetsplan 2025"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verksamhetsplan 2025")
    # Every light says its status in words.
    statuses = page.locator(".status")
    assert statuses.count() >= 6
    for text in statuses.all_inner_texts():
        assert text.strip()

    follow(page.locator("main").get_by_role("link", name="Sjukfrånvaro bland medarbetare"))
    chart = page.get_by_role("img", name="Sjukfrånvaro bland medarbetare")
    expect(chart).to_be_visible()
    expect(page.locator("main table").first).to_contain_text("7,2")
    expect(page.locator("figcaption")).to_contain_text("Om trenden håller")


def test_staff_reach_the_plan_page_by_keyboard(page, live_server, grastorp, visit, axe_check):
    visit(page, "/verksamhetsplan/2025/")
    link = page.locator("main").get_by_role("link", name="Antal invånare")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antal invånare")
    axe_check(page)


def test_the_plan_administrator_starts_next_years_plan_and_changes_a_target(
    page, live_server, grastorp, login, visit, follow
):
    login(page, live_server, "strateg")
    visit(page, "/verksamhetsplan/2026/")
    follow(page.get_by_role("button", name="Starta planen för 2027 utifrån den här"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verksamhetsplan 2027")
    follow(page.locator("main").get_by_role("link", name="Sjukfrånvaro bland medarbetare"))
    follow(page.locator("main a[href$='/malvarde/2027/']"))
    page.get_by_role("spinbutton", name="Målvärde:").fill("6")
    follow(page.get_by_role("button", name="Spara"))
    expect(page.locator(".messages")).to_contain_text("Målvärdet har sparats.")
    visit(page, "/verksamhetsplan/2027/")
    follow(page.get_by_role("link", name="Anta", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Anta Verksamhetsplan 2027")


def test_a_manager_enters_a_value_and_corrects_it_by_keyboard(
    page, live_server, grastorp, login, visit, follow, axe_check
):
    login(page, live_server, "verksamhetschef")
    visit(page, "/verksamhetsplan/2026/")
    follow(page.locator("main").get_by_role("link", name="Andel elever i åk 9", exact=False))
    follow(page.get_by_role("link", name="Mata in ett värde"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mata in ett värde")
    page.get_by_label("År").fill("2026")
    page.get_by_label("Period").select_option(label="Tertial 1")
    page.get_by_label("Värde").fill("87,5")
    page.get_by_label("Kommentar").fill("Preliminärt")
    page.get_by_label("Kommentar").press("Tab")
    page.keyboard.press("Enter")  # the focus is on Spara
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Värdet har sparats.")
    values = page.locator("section[aria-labelledby=values-heading]")
    expect(values.locator("tbody tr").first).to_contain_text("2026 T1")
    expect(values.locator("tbody tr").first).to_contain_text("87,5")
    axe_check(page)
    follow(values.get_by_role("link", name="Rätta 2026 T1"))
    expect(page.get_by_label("Värde")).to_have_value("87,5")
    page.get_by_label("Värde").fill("88")
    follow(page.get_by_role("button", name="Spara"))
    expect(values.locator("tbody tr").first).to_contain_text("88,0")
