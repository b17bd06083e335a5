"""Reading the plan in a browser: anonymously, and with the keyboard only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

VISION = "Vi välkomnar framtiden, vi välkomnar förändring och vi välkomnar dig."
DECISION = "KF 2023-11-27 § 93"
IN_MAIN = "document.querySelector('main').contains(document.activeElement)"
EDIT_NAME = re.compile(r"^\s*Redigera\b")


def assert_nothing_to_edit(page: Page) -> None:
    assert page.locator("a[href*='/andra/'], a[href*='/ny/'], a[href*='/nytt/']").count() == 0
    assert page.get_by_role("link", name=EDIT_NAME).count() == 0
    assert page.get_by_role("button", name=EDIT_NAME).count() == 0


def test_anonymous_visitor_reads_the_plan_and_principles(page, live_server, goal, visit, follow):
    focus_area = goal.parent
    perspective = focus_area.parent

    visit(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(VISION)
    assert page.locator(".tree .goal a").count() == 10
    assert_nothing_to_edit(page)

    follow(page.locator(".tree").get_by_role("link", name=perspective.label, exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(perspective.title)
    assert_nothing_to_edit(page)

    follow(page.locator("main").get_by_role("link", name=focus_area.label, exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text(focus_area.title)
    assert_nothing_to_edit(page)

    follow(page.locator("main").get_by_role("link", name=goal.title))
    assert page.url.endswith(goal.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(goal.title)
    expect(page.locator(".facts")).to_contain_text(DECISION)
    assert_nothing_to_edit(page)

    follow(page.locator(".node .sdgs a").first)
    assert "/agenda-2030/" in page.url
    expect(page.locator("main")).to_contain_text(goal.title)
    assert_nothing_to_edit(page)

    follow(page.locator(".site-nav a[href$='/principer/']"))
    expect(page.locator(".principle")).to_have_count(5)
    assert_nothing_to_edit(page)

    follow(page.locator(".principle h2 a").first)
    expect(page.locator(".commitments li").first).to_be_visible()
    assert_nothing_to_edit(page)

    follow(page.locator(".site-nav a[href$='/organisation/']"))
    expect(page.locator("main")).to_contain_text("Kommunfullmäktige")
    assert_nothing_to_edit(page)

    follow(page.locator(".site-nav a[href$='/beslut/']"))
    assert_nothing_to_edit(page)

    follow(page.get_by_role("link", name=DECISION, exact=True))
    expect(page.locator("main")).to_contain_text(
        "Riktlinjer för Grästorps styr- och ledningsmodell"
    )
    expect(page.locator("main")).to_contain_text(goal.title)
    assert_nothing_to_edit(page)

    follow(page.locator("main").get_by_role("link", name="Inriktningsdokument 2024–2027"))
    follow(page.locator("main a[href$='/plan/struktur/']"))
    expect(page.locator("main table")).to_contain_text("Fokusområde")
    assert_nothing_to_edit(page)


def test_keyboard_only(page, live_server, grastorp, visit, axe_check):
    visit(page, "/")

    skip_link = page.locator(".skip-link")
    expect(skip_link).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    box = skip_link.bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    first_goal = page.locator(".tree .goal a").first
    for _ in range(40):
        page.keyboard.press("Tab")
        focused_in_main = page.evaluate(
            "document.querySelector('main').contains(document.activeElement)"
        )
        assert focused_in_main, "after the skip link, Tab must stay inside the main content"
        if page.evaluate("document.activeElement.matches('.tree .goal a')"):
            break
    expect(first_goal).to_be_focused()
    href = first_goal.get_attribute("href")

    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)
    assert page.url.endswith(href)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
