"""Search in a real browser, with the keyboard only, every page checked with axe-core:
from the staff layout's header, and on the public portal.

The texts are looked up through gettext, as the pages render them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils.translation import gettext, ngettext
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def tab_to(page: Page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"{selector} never got the focus by Tab")


def press_enter(page: Page, axe_check: Callable[[Page], None]) -> None:
    """Enter on the focused link or field loads a page; check it."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)


def test_staff_search_from_the_header_and_open_a_hit(page, live_server, grastorp, login, axe_check):
    login(page, live_server, "strateg")
    tab_to(page, "#site-search-q")
    page.keyboard.type("elever")
    press_enter(page, axe_check)
    assert page.url.startswith(f"{live_server.url}/sok/?")
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext("Search"))
    expect(page.get_by_role("searchbox", name=gettext("Search for"))).to_have_value("elever")
    expect(page.get_by_role("status")).to_contain_text("elever")
    expect(page.locator(".search-result mark").first).to_be_visible()
    # Only the activities: the type links, by keyboard.
    tab_to(page, ".search-kinds a[href*='typ=aktivitet']")
    press_enter(page, axe_check)
    expect(page.locator(".search-result")).to_have_count(2)
    expect(page.get_by_role("status")).to_have_text(
        ngettext(
            "%(counter)s hit for “%(query)s” among %(kind)s",
            "%(counter)s hits for “%(query)s” among %(kind)s",
            2,
        )
        % {"counter": 2, "query": "elever", "kind": gettext("Activities").lower()}
    )
    expect(page.locator(".search-kinds a[aria-current='true']")).to_contain_text(
        gettext("Activities")
    )
    # The first hit opens the staff page of the activity.
    title = page.locator(".search-result h3 a").first.inner_text()
    tab_to(page, ".search-result a")
    press_enter(page, axe_check)
    assert "/aktiviteter/" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_the_public_searches_on_the_portal(page, live_server, grastorp, visit, axe_check):
    visit(page, "/insyn/")
    tab_to(page, "a[href='/insyn/sok/']")
    press_enter(page, axe_check)
    tab_to(page, "#search-q")
    page.keyboard.type("elever")
    press_enter(page, axe_check)
    expect(page.get_by_role("status")).to_contain_text("elever")
    results = page.locator(".search-result")
    expect(results.first).to_be_visible()
    # No hit is a draft or anything internal: every link leads to the portal.
    hrefs = results.locator("h3 a").evaluate_all("(links) => links.map((a) => a.pathname)")
    assert hrefs and all(href.startswith("/insyn/") for href in hrefs), hrefs
    tab_to(page, ".search-result a")
    press_enter(page, axe_check)
    assert page.url.startswith(f"{live_server.url}/insyn/")


def test_no_hits_is_said_clearly_and_the_query_is_shown_as_text(page, live_server, grastorp, visit):
    visit(page, "/insyn/sok/?q=%3Cb%3EXyzzy%3C%2Fb%3E")
    expect(page.get_by_role("status")).to_contain_text("<b>Xyzzy</b>")
    expect(page.locator(".search-none")).to_be_visible()
    expect(page.locator("main b")).to_have_count(0)
