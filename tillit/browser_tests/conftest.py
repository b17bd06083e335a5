"""Real-browser tests: Debian's Chromium driven by Playwright against Django's live server.

Every page a test visits is checked with axe-core (WCAG 2.x A/AA and best
practices, axe's default rule set) and must have no violations. Use the helpers
below instead of `page.goto` and bare clicks, so that no page escapes the check:

- `visit(page, url)`: go to a URL (or a path on the live server), check it;
- `follow(locator)`: click a link or button that loads a page, check it;
- `submit(field)`: press Enter in a form field, check the page that comes back;
- `login(page, live_server, username)`: log in through the login form.

Live-server tests are transactional: the database is flushed after each one,
so each test asks for `grastorp`, which loads the preset and the demo again.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Locator, Page, Response, expect

# Playwright's sync API keeps an event loop running in this thread, so Django would
# refuse the ORM calls the tests make. Safe here: the tests wait for each page.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 10_000  # fail fast: every page here answers in well under a second

_axe = Axe()


@pytest.fixture(scope="session")
def base_url() -> None:
    """No base URL: tests go to the live server's paths through `visit`.

    Also stands in for pytest-playwright's fallback fixture, a method that pytest 9 warns about.
    """
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, headless; never a browser downloaded by `playwright install`."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A Swedish browser (headless Chromium says en-US otherwise) with a laptop-sized window."""
    return {
        **browser_context_args,
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def context(new_context: Callable[..., BrowserContext]) -> BrowserContext:
    context = new_context()
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def new_page(new_context: Callable[..., BrowserContext]) -> Callable[[], Page]:
    """A page in a fresh browser context: another person at another computer."""

    def make() -> Page:
        context = new_context()
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        return context.new_page()

    return make


def axe_violations_report(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): "
            f"{violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def _axe_check(page: Page) -> None:
    """No axe-core violations on the page as it is now."""
    violations = _axe.run(page).response["violations"]
    if violations:
        pytest.fail(axe_violations_report(page.url, violations), pytrace=False)


@pytest.fixture
def axe_check() -> Callable[[Page], None]:
    return _axe_check


@pytest.fixture
def visit(live_server) -> Callable[[Page, str], Response]:
    def go(page: Page, url: str) -> Response:
        if url.startswith("/"):
            url = live_server.url + url
        response = page.goto(url)
        assert response is not None, f"no response from {url}"
        _axe_check(page)
        return response

    return go


@pytest.fixture
def follow() -> Callable[[Locator], Response | None]:
    """Click something that loads a new page; check that page."""

    def click(locator: Locator) -> Response | None:
        page = locator.page
        with page.expect_navigation() as navigation:
            locator.click()
        _axe_check(page)
        return navigation.value

    return click


@pytest.fixture
def submit() -> Callable[[Locator], Response | None]:
    """Send a form with the keyboard (Enter in one of its fields); check the answer."""

    def press_enter(field: Locator) -> Response | None:
        page = field.page
        with page.expect_navigation() as navigation:
            field.press("Enter")
        _axe_check(page)
        return navigation.value

    return press_enter


@pytest.fixture
def login(visit, submit) -> Callable[[Page, object, str], None]:
    """Log in through the login form, as a person would."""

    def log_in(page: Page, live_server, username: str) -> None:
        from tillit.core.demo import DEMO_PASSWORD

        visit(page, f"{live_server.url}/logga-in/")
        page.get_by_label("Användarnamn").fill(username)
        password = page.get_by_label("Lösenord")
        password.fill(DEMO_PASSWORD)
        response = submit(password)
        assert response is not None and response.ok, f"logging in as {username} failed"
        expect(page.locator("form[action$='/logga-ut/'] button")).to_be_visible()

    return log_in
