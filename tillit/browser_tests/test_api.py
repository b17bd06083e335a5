"""The API in a real browser: the medledare makes an API key on its page by keyboard (the
page checked with axe-core), sees it once, and revokes it; and the interactive API
documentation (Swagger UI, served from this site) runs under our Content-Security-Policy.

The documentation page is third-party UI (Swagger UI) and is not checked with axe: it is
for developers, and its markup is not ours to fix (docs/api.md says so).
"""

from __future__ import annotations

import re

import pytest
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_person_makes_sees_once_and_revokes_an_api_key(
    page, live_server, grastorp, personas, login, visit, axe_check
):
    from rest_framework.authtoken.models import Token

    login(page, live_server, "medledare")
    visit(page, "/api/nyckel/")
    create = page.get_by_role("button", name=gettext("Create a key"))
    create.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)
    key = page.locator("#new-key")
    expect(key).to_have_value(re.compile(r"^[0-9a-f]{40}$"))
    assert key.input_value() == Token.objects.get(user=personas["medledare"]).key
    visit(page, "/api/nyckel/")
    expect(page.locator("#new-key")).to_have_count(0)  # shown once
    expect(page.locator("table tbody tr")).to_have_count(1)  # the history: created
    revoke = page.get_by_role("button", name=gettext("Revoke the key"))
    revoke.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)
    assert not Token.objects.filter(user=personas["medledare"]).exists()
    expect(page.locator("table tbody tr")).to_have_count(2)


def test_the_api_documentation_runs_under_our_content_security_policy(page, live_server, grastorp):
    """Not checked with axe (third-party UI); every request stays on this site, nothing is
    refused by the policy, and Swagger UI shows the operations of the schema."""
    refused: list[str] = []
    foreign: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    response = page.goto(f"{live_server.url}/api/docs/")
    assert response is not None and response.ok
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tillit API")
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/aktiviteter/").first
    ).to_be_visible()
    assert refused == []
    assert foreign == []
