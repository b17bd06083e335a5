"""API keys: the page where a person makes, sees once and revokes their own key, the key
at work, and writes through a browser session, which need the CSRF token."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tillit.activities.models import Activity
from tillit.api.models import TokenEvent, TokenEventKind

pytestmark = pytest.mark.django_db

PAGE = reverse("api:token")


def shown_key(response) -> str | None:
    found = re.search(r'id="new-key"[^>]*value="([0-9a-f]{40})"', response.content.decode())
    return found.group(1) if found else None


def test_the_page_is_for_logged_in_people(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_person_creates_a_key_and_sees_it_once(client_as, personas):
    client = client_as("medledare")
    page = client.get(PAGE)
    assert page.status_code == 200 and shown_key(page) is None
    created = client.post(PAGE, {"action": "create"}, follow=True)
    key = shown_key(created)
    assert key == Token.objects.get(user=personas["medledare"]).key
    assert "no-store" in created["Cache-Control"]
    again = client.get(PAGE)
    assert shown_key(again) is None
    assert key not in again.content.decode()
    event = TokenEvent.objects.get(user=personas["medledare"])
    assert (event.kind, event.by) == (TokenEventKind.CREATED, personas["medledare"])


def test_the_key_works_until_it_is_replaced_or_revoked(client_as, personas):
    client = client_as("medledare")
    first = shown_key(client.post(PAGE, {"action": "create"}, follow=True))
    url = reverse("api:activity-list")
    with_first = Client(HTTP_AUTHORIZATION=f"Token {first}")
    assert with_first.get(url).status_code == 200
    second = shown_key(client.post(PAGE, {"action": "create"}, follow=True))
    assert second != first
    assert with_first.get(url).status_code == 401
    with_second = Client(HTTP_AUTHORIZATION=f"Token {second}")
    assert with_second.get(url).status_code == 200
    client.post(PAGE, {"action": "revoke"})
    assert with_second.get(url).status_code == 401
    assert not Token.objects.filter(user=personas["medledare"]).exists()
    kinds = list(
        TokenEvent.objects.filter(user=personas["medledare"]).values_list("kind", flat=True)
    )
    assert kinds == [TokenEventKind.REVOKED, TokenEventKind.REPLACED, TokenEventKind.CREATED]


def test_the_history_shows_on_the_page(client_as):
    client = client_as("enhetschef")
    client.post(PAGE, {"action": "create"})
    client.post(PAGE, {"action": "revoke"})
    page = client.get(PAGE)
    rows = page.context["events"]
    assert [event.kind for event in rows] == [TokenEventKind.REVOKED, TokenEventKind.CREATED]
    assert page.context["token"] is None


def test_a_person_sees_and_revokes_only_their_own_key(client_as, personas):
    other = Token.objects.create(user=personas["strateg"])
    client = client_as("medledare")
    assert other.key not in client.get(PAGE).content.decode()
    client.post(PAGE, {"action": "revoke"})
    assert Token.objects.filter(pk=other.pk).exists()


def test_making_a_key_needs_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["medledare"])
    assert client.post(PAGE, {"action": "create"}).status_code == 403
    assert not Token.objects.filter(user=personas["medledare"]).exists()


def test_a_key_is_made_on_the_command_line_too(personas, capsys):
    call_command("drf_create_token", personas["medledare"].username)
    key = Token.objects.get(user=personas["medledare"]).key
    assert key in capsys.readouterr().out


# --- writing through a browser session ------------------------------------------------------


def _activity(area) -> dict:
    return {
        "title": "Sommarläsning med biblioteket",
        "owner_unit": area.owner_unit_id,
        "nodes": [area.pk],
        "start": "2026-06-15",
    }


def test_a_session_write_without_the_csrf_token_is_refused(personas, area):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["medledare"])
    response = client.post(
        reverse("api:activity-list"), _activity(area), content_type="application/json"
    )
    assert response.status_code == 403
    assert not Activity.objects.filter(title="Sommarläsning med biblioteket").exists()


def test_a_session_write_with_the_csrf_token_is_allowed(personas, area):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["medledare"])
    client.get(PAGE)  # any page with a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("api:activity-list"),
        _activity(area),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content
    assert Activity.objects.filter(title="Sommarläsning med biblioteket").exists()


def test_a_key_needs_no_csrf_token(personas, area):
    token = Token.objects.create(user=personas["medledare"])
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(
        reverse("api:activity-list"), _activity(area), content_type="application/json"
    )
    assert response.status_code == 201, response.content


def test_an_anonymous_write_is_asked_to_authenticate(area):
    response = Client().post(
        reverse("api:activity-list"), _activity(area), content_type="application/json"
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_admin_lists_the_keys_history_read_only(client, personas):
    from tillit.core.models import User

    TokenEvent.objects.create(user=personas["medledare"], kind=TokenEventKind.CREATED)
    client.force_login(User.objects.get(username="admin"))
    page = client.get(reverse("admin:api_tokenevent_changelist"))
    assert page.status_code == 200
    assert str(personas["medledare"]) in page.content.decode()
    assert client.get(reverse("admin:api_tokenevent_add")).status_code == 403
