"""The public portal in a real browser, every page checked with axe-core: a citizen on a
phone (375×740) and at a desktop reads every kind of portal page, none wider than the
screen (down to 320 px); with the keyboard she skips to the content, tabs through the
menu to a goal and opens it; and she downloads the annual report as a PDF."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 60_000  # the PDF is rendered within the request (the immediate backend)
PHONE = {"width": 375, "height": 740}
NARROWEST = {"width": 320, "height": 640}
NAV = ("portal:home", "portal:principles", "portal:reports", "portal:calendar")


@pytest.fixture
def published(grastorp, personas, goal):
    """What the portal shows beyond the demo: a closed period assessing the goal, and the
    årsredovisning 2025 approved by KS and presented to KF."""
    from tillit.portal import public
    from tillit.portal.tests import factories

    strateg = personas["strateg"]
    period = factories.closed_annual_period(grastorp, [goal], strateg, status="partly")
    report = factories.presented_annual_report(grastorp, period, strateg)
    measure = public.public_measures(grastorp).filter(node=goal).first()
    activity = public.public_activities(grastorp).filter(nodes=goal).first()
    return {
        "goal": goal,
        "report": report,
        "urls": [
            reverse("portal:home"),
            reverse("portal:goal", args=[goal.pk]),
            reverse("portal:measure", args=[measure.pk]),
            reverse("portal:activity", args=[activity.pk]),
            reverse("portal:principles"),
            reverse("portal:reports"),
            reverse("portal:report", args=[report.pk]),
            reverse("portal:calendar"),
        ],
    }


def _fits(page) -> bool:
    """Nothing makes the page wider than the window (tables scroll in their own region)."""
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_every_portal_page_on_a_phone_and_a_desktop(page, new_context, published, visit):
    phone, narrow = new_context().new_page(), new_context().new_page()
    phone.set_viewport_size(PHONE)
    narrow.set_viewport_size(NARROWEST)
    for url in published["urls"]:
        for browser_page in (phone, page):
            response = visit(browser_page, url)  # axe: no violations
            assert response.status == 200, url
            assert response.headers["cache-control"] == "public, max-age=300"
            expect(browser_page.locator("html")).to_have_attribute("lang", "sv")
            assert _fits(browser_page), (url, browser_page.viewport_size)
        visit(narrow, url)
        assert _fits(narrow), (url, "320 px")
    # The goal page on the phone: status in words, a chart with its table.
    visit(phone, reverse("portal:goal", args=[published["goal"].pk]))
    expect(phone.locator(".portal-assessment .status").first).to_be_visible()
    expect(phone.locator(".portal-chart svg[role=img]").first).to_be_visible()
    expect(phone.locator(".portal-chart table caption").first).to_be_visible()


def test_the_keyboard_skips_to_the_content_and_tabs_through_the_menu_to_a_goal(
    page, published, visit, axe_check, live_server
):
    goal = published["goal"]
    visit(page, reverse("portal:home"))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown when focused
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    visit(page, reverse("portal:home"))
    menu = [link.get_attribute("href") for link in page.locator(".portal-nav a").all()]
    assert menu[: len(NAV)] == [reverse(name) for name in NAV]
    reached: list[str] = []
    goal_url = reverse("portal:goal", args=[goal.pk])
    for _ in range(80):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        reached.append(href)
        if href == goal_url:
            break
    assert reached[-1] == goal_url, reached
    # The whole menu, in its order, on the way to the goal.
    start = reached.index(menu[1]) - 1  # the brand before the menu also leads home
    assert reached[start : start + len(menu)] == menu, reached
    # The focused link has a visible focus ring.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)
    assert page.url == live_server.url + goal_url
    expect(page.locator("h1")).to_have_text(goal.title)


def test_a_citizen_downloads_the_annual_report(page, published, visit, follow, settings):
    report = published["report"]
    # With a worker's queue (that runs nothing here) the first ask for a file is answered
    # with a page that says it is being prepared.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    waiting = visit(page, reverse("portal:report_file", args=[report.pk, "docx"]))
    assert waiting.status == 202
    expect(page.get_by_role("link", name=gettext("Try to download it again"))).to_be_visible()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    visit(page, reverse("portal:reports"))
    follow(page.locator(f"#report-{report.pk} h2 a"))
    expect(page.locator("#snapshot-checksum")).to_be_visible()
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download:
        # Rendered within the request: the click waits as long as the download may take.
        page.locator(f"#report-{report.pk}-pdf").click(timeout=RENDER_TIMEOUT_MS)
    assert download.value.suggested_filename == "arsredovisning-2025.pdf"
    with open(download.value.path(), "rb") as file:
        assert file.read(4) == b"%PDF"
