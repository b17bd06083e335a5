"""Failed logins are limited (django-axes): per user name and address, through the real forms."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from tillit.core.models import User
from tillit.core.security import client_ip

PASSWORD = "a-long-and-right-password"
LIMIT = 5


@pytest.fixture
def people(settings, grastorp) -> None:
    """The demo's strateg, medledare and admin (a superuser) with a password of their own,
    hashed fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    for user in User.objects.filter(username__in=["strateg", "medledare", "admin"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    assert User.objects.get(username="admin").is_superuser


def log_in(client: Client, username: str, password: str, *, address: str = "203.0.113.7", url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, username: str, times: int, **kwargs) -> list[int]:
    return [log_in(client, username, "wrong", **kwargs).status_code for _ in range(times)]


def test_the_limit_th_wrong_password_locks_the_user_out_from_that_address(people):
    client = Client()
    assert fail(client, "strateg", LIMIT - 1) == [200] * (LIMIT - 1)  # the form again

    locked = log_in(client, "strateg", "wrong")
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
    assert locked.context["minutes"] == 15
    assert b'id="locked-out"' in locked.content
    assert locked.content.startswith(b"<!DOCTYPE html>")
    assert b'<html lang="sv">' in locked.content


def test_a_locked_out_user_is_refused_even_with_the_right_password(people):
    client = Client()
    fail(client, "strateg", LIMIT)

    response = log_in(client, "strateg", PASSWORD)
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_lock_holds_for_that_address_only_and_that_user_only(people):
    fail(Client(), "strateg", LIMIT, address="203.0.113.7")

    same_address_other_user = Client()
    assert log_in(same_address_other_user, "medledare", PASSWORD).status_code == 302
    assert is_logged_in(same_address_other_user)

    same_user_other_address = Client()
    response = log_in(same_user_other_address, "strateg", PASSWORD, address="198.51.100.20")
    assert response.status_code == 302
    assert is_logged_in(same_user_other_address)


def test_a_successful_login_clears_the_failures(people):
    client = Client()
    fail(client, "strateg", LIMIT - 1)
    assert log_in(client, "strateg", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="strateg").exists()
    client.post(reverse("logout"))

    # Another limit − 1 failures do not lock: the count started again.
    assert fail(client, "strateg", LIMIT - 1) == [200] * (LIMIT - 1)
    assert log_in(client, "strateg", PASSWORD).status_code == 302


def test_the_lock_lifts_when_the_cool_off_has_passed(people):
    client = Client()
    fail(client, "strateg", LIMIT)
    assert log_in(client, "strateg", PASSWORD).status_code == 429

    # 16 minutes later (each attempt while locked out restarted the 15).
    attempt = AccessAttempt.objects.get(username="strateg")
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=attempt.attempt_time - timedelta(minutes=16)
    )
    response = log_in(client, "strateg", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_page_says_how_long_the_lock_lasts(people, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    statuses = fail(client, "strateg", 3)
    assert statuses == [200, 200, 429]
    locked = log_in(client, "strateg", PASSWORD)
    assert locked.context["minutes"] == 30
    assert locked.context["failure_limit"] == 3


def test_without_a_cool_off_the_lock_holds_until_an_administrator_lifts_it(people, settings):
    settings.AXES_COOLOFF_TIME = None
    client = Client()
    fail(client, "strateg", LIMIT)
    attempt = AccessAttempt.objects.get(username="strateg")
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=attempt.attempt_time - timedelta(days=30)
    )
    locked = log_in(client, "strateg", PASSWORD)
    assert locked.status_code == 429
    assert locked.context["minutes"] is None

    # What `manage.py axes_reset_username strateg` does.
    from django.core.management import call_command

    call_command("axes_reset_username", "strateg", stdout=StringIO())
    assert log_in(client, "strateg", PASSWORD).status_code == 302


def test_the_admin_login_is_limited_too(people):
    client = Client()
    url = reverse("admin:login")
    statuses = fail(client, "admin", LIMIT, url=url)
    assert statuses == [200] * (LIMIT - 1) + [429]

    response = log_in(client, "admin", PASSWORD, url=url)
    assert response.status_code == 429
    assert not is_logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 302  # to the login


def test_an_unknown_user_name_is_limited_like_a_known_one(people):
    assert fail(Client(), "no-such-person", LIMIT)[-1] == 429


def test_a_spoofed_forwarded_for_header_does_not_dodge_the_limit(people, settings):
    settings.TRUSTED_PROXY_COUNT = 0  # no proxy: the header is the client's own words
    client = Client()
    statuses = [
        client.post(
            reverse("login"),
            {"username": "strateg", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        ).status_code
        for n in range(LIMIT)
    ]
    assert statuses[-1] == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_behind_a_proxy_each_client_address_counts_on_its_own(people, settings):
    """Behind nginx every request comes from 127.0.0.1: one person's mistakes must not
    lock everyone else out, nor must everyone's add up."""
    settings.TRUSTED_PROXY_COUNT = 1

    def through_proxy(client_address: str, password: str = "wrong") -> int:
        return (
            Client()
            .post(
                reverse("login"),
                {"username": "strateg", "password": password},
                REMOTE_ADDR="127.0.0.1",
                HTTP_X_FORWARDED_FOR=client_address,
            )
            .status_code
        )

    assert [through_proxy("203.0.113.7") for _ in range(LIMIT)][-1] == 429
    assert through_proxy("198.51.100.20", PASSWORD) == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, "198.51.100.1", "127.0.0.1"),  # no proxy trusted: the connection's address
        (1, "198.51.100.1", "198.51.100.1"),  # nginx appended the client's address
        (1, "10.9.9.9, 198.51.100.1", "198.51.100.1"),  # the left one was sent by the client
        (2, "10.9.9.9, 198.51.100.1, 192.0.2.5", "198.51.100.1"),  # a balancer, then nginx
        (2, "198.51.100.1", "127.0.0.1"),  # not through both proxies
        (1, "", "127.0.0.1"),  # no header at all
        (1, "not-an-address", "127.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_taken_from_the_trusted_proxies_only(
    settings, count, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    if forwarded_for:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_ip(request) == expected
