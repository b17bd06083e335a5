"""The Content-Security-Policy in a real browser: the staff pages, htmx (with the indicator
style it injects) and the Django admin work under it without one violation; and the page a
locked-out login gets is accessible."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# Collects every violation the browser reports, from the first script on each page.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


@pytest.fixture
def watched(page: Page) -> Page:
    page.add_init_script(WATCH_VIOLATIONS)
    page.csp_console = []  # the browser's own "Refused to …" messages, as a second witness
    page.on(
        "console",
        lambda message: (
            page.csp_console.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def assert_no_violations(page: Page) -> None:
    assert page.evaluate("window.__cspViolations") == []
    assert page.csp_console == []


def test_htmx_and_its_indicator_style_work_under_the_policy(watched, live_server, login, visit):
    page = watched
    login(page, live_server, "strateg")
    response = visit(page, "/beslut/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.evaluate("typeof window.htmx") == "object"

    # htmx's own <style> (.htmx-indicator) is applied: style-src allows inline styles.
    opacity = page.evaluate(
        """() => {
        const probe = document.createElement("span");
        probe.className = "htmx-indicator";
        document.body.append(probe);
        return getComputedStyle(probe).opacity;
    }"""
    )
    assert opacity == "0"

    # A filter change swaps the table through htmx (a script from 'self' making a request).
    with page.expect_response(lambda r: "/beslut/?organ=KF" in r.url):
        page.locator("#id_organ").select_option("KF")
    expect(page).to_have_url(f"{live_server.url}/beslut/?organ=KF")
    expect(page.locator("#decision-table")).to_contain_text("KF 2023-11-27 § 93")
    assert_no_violations(page)

    # And the policy is enforced (and watched): an inline script is refused.
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__inlineRan = true";
        document.head.append(script);
    }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__inlineRan") is None
    assert page.evaluate("window.__cspViolations")[0].startswith("script-src")


def test_the_admin_works_under_the_policy(watched, live_server, personas):
    """Django's admin is the system administrator's tool: its scripts are files, so the
    strict policy holds there too. (Its pages are Django's own, not checked with axe: the
    login page, for one, has no level-one heading.)"""
    from tillit.core.demo import DEMO_PASSWORD

    page = watched
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.locator("#id_username").fill("admin")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")
    expect(page.locator("#user-tools")).to_be_visible()
    strateg = personas["strateg"]
    page.goto(f"{live_server.url}/admin/core/user/{strateg.pk}/change/")
    expect(page.locator("#id_username")).to_have_value("strateg")
    assert page.evaluate("typeof window.django") == "object"  # the admin's scripts ran
    assert_no_violations(page)


def test_a_locked_out_login_gets_an_accessible_page(watched, live_server, visit, submit):
    page = watched
    visit(page, "/logga-in/")
    responses = []
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Användarnamn").fill("medledare")
        password = page.get_by_label("Lösenord")
        password.fill(f"wrong-{attempt}")
        responses.append(submit(password))
        if attempt < settings.AXES_FAILURE_LIMIT - 1:
            expect(page.get_by_label("Lösenord")).to_be_visible()  # the form again
    assert responses[-1].status == 429
    expect(page.locator("#locked-out h1")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    assert_no_violations(page)
