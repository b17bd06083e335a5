"""Production settings: `check --deploy` is clean with the documented environment
(.env.example), settings follow their variables, and every answer carries the security
headers. The running stack (gunicorn, PostgreSQL, the worker) is scripts/smoke-production.sh."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tillit.core.models import User

PROJECT = Path(django_settings.BASE_DIR)
ENV_EXAMPLE = PROJECT / ".env.example"
TIMEOUT = 60


def documented_environment() -> dict[str, str]:
    """The variables .env.example sets, as `set -a; . .env.example` gives them."""
    variables = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line)
        if match:
            variables[match[1]] = match[2]
    return variables


def clean_environment(**variables: str) -> dict[str, str]:
    """Only what a service gets: no DEBUG, no pytest (settings.TESTING), no DATABASE_URL."""
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    return {**base, **variables}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def production_environment(**changes: str) -> dict[str, str]:
    variables = documented_environment()
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    return clean_environment(**{**variables, **changes})


def test_the_documented_environment_sets_what_production_needs():
    variables = documented_environment()
    assert variables["DEBUG"] == "false"
    for name in (
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "TILLIT_TASKS_BACKEND",
        "TILLIT_IMPORT_DIR",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "TRUST_X_FORWARDED_PROTO",
        "TRUSTED_PROXY_COUNT",
    ):
        assert variables.get(name), f"{name} is not set in .env.example"


def test_check_deploy_is_clean_with_the_documented_environment():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_environment()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "AXES: BEGIN" not in result.stdout + result.stderr  # no banner at every start


def test_check_deploy_refuses_the_placeholder_secret_key():
    env = clean_environment(**documented_environment())  # SECRET_KEY as the example has it
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "security.W009" in result.stderr


def test_check_deploy_warns_without_https_settings():
    env = production_environment(
        SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false", SESSION_COOKIE_SECURE="false"
    )
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_tillit_refuses_to_start_without_a_secret_key():
    env = production_environment()
    del env["SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


SHOW_SETTINGS = """
import json
from config import settings as s
print(json.dumps({
    "csp": s.CONTENT_SECURITY_POLICY,
    "csp_report_only": getattr(s, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None),
    "hsts": [s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD],
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "proxy_header": list(getattr(s, "SECURE_PROXY_SSL_HEADER", None) or []),
    "cookies_secure": [s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE],
    "proxies": s.TRUSTED_PROXY_COUNT,
    "axes": [
        s.AXES_FAILURE_LIMIT,
        s.AXES_COOLOFF_TIME and s.AXES_COOLOFF_TIME.total_seconds(),
        s.AXES_VERBOSE,
    ],
}))
"""


def settings_under(env: dict[str, str]) -> dict:
    result = run(["-c", SHOW_SETTINGS], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_documented_environment_turns_https_and_the_limits_on():
    shown = settings_under(production_environment())
    assert shown["hsts"] == [3600, True, True]
    assert shown["ssl_redirect"] is True
    assert shown["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert shown["cookies_secure"] == [True, True]
    assert shown["proxies"] == 1
    assert shown["axes"] == [5, 15 * 60, False]
    assert shown["csp"]["DIRECTIVES"]["script-src"] == ["'self'"]
    assert "report-uri" not in shown["csp"]["DIRECTIVES"]
    assert shown["csp_report_only"] is None


def test_the_development_defaults_stay_out_of_the_way():
    shown = settings_under(clean_environment(DEBUG="true"))
    assert shown["hsts"] == [0, False, False]
    assert shown["ssl_redirect"] is False
    assert shown["proxy_header"] == []
    assert shown["cookies_secure"] == [False, False]  # plain http://127.0.0.1:8000
    assert shown["proxies"] == 0


def test_the_limits_and_csp_reports_follow_their_variables():
    shown = settings_under(
        production_environment(
            AXES_FAILURE_LIMIT="10",
            AXES_COOLOFF_MINUTES="2.5",
            TRUSTED_PROXY_COUNT="2",
            CSP_REPORT_URI="https://csp.grastorp.example/report",
            CSP_REPORT_ONLY="true",
        )
    )
    assert shown["axes"] == [10, 150, False]
    assert shown["proxies"] == 2
    assert shown["csp"] is None  # reported only, nothing blocked
    directives = shown["csp_report_only"]["DIRECTIVES"]
    assert directives["report-uri"] == ["https://csp.grastorp.example/report"]
    assert directives["script-src"] == ["'self'"]


def test_no_cool_off_locks_out_until_an_administrator_lifts_it():
    shown = settings_under(production_environment(AXES_COOLOFF_MINUTES="0"))
    assert shown["axes"] == [5, None, False]


# ---------------------------------------------------------------- headers, in process


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.fixture
def paths(grastorp) -> dict[str, str]:
    return {
        "plan": reverse("home"),
        "login": reverse("login"),
        "admin login": reverse("admin:login"),
        "public portal": "/insyn/",
        "not found": "/finns-inte/",
    }


@pytest.mark.parametrize("name", ["plan", "login", "admin login", "public portal", "not found"])
def test_every_answer_carries_the_security_headers(client, paths, name):
    response = client.get(paths[name])
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no inline scripts, no eval, no other hosts
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # plain HTTP, no HSTS configured


def test_the_staff_pages_use_no_inline_script(client_as):
    """What the policy forbids must not be in the pages: a <script> without src, or an
    on… attribute, would be blocked by the browser."""
    client = client_as("strateg")
    for url in (reverse("home"), reverse("core:decisions"), reverse("reports:index")):
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url


@pytest.fixture
def https_behind_a_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def test_https_answers_carry_hsts(client, grastorp, https_behind_a_proxy):
    response = client.get(reverse("home"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https(client, grastorp, https_behind_a_proxy):
    response = client.get(reverse("login") + "?next=/beslut/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/logga-in/?next=/beslut/"
    assert "Strict-Transport-Security" not in response


def test_the_session_and_csrf_cookies_are_https_only(settings, grastorp, https_behind_a_proxy):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User.objects.get(username="strateg")
    user.set_password("a-long-and-right-password")
    user.save(update_fields=["password"])
    client = Client(enforce_csrf_checks=True, HTTP_HOST="testserver")  # as nginx passes it
    form = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    csrf = form.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("login"),
        {
            "username": "strateg",
            "password": "a-long-and-right-password",
            "csrfmiddlewaretoken": form.context["csrf_token"],
        },
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_ORIGIN="https://testserver",
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_the_locked_out_page_carries_the_headers_too(client, grastorp, settings):
    settings.AXES_FAILURE_LIMIT = 1
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    response = client.post(reverse("login"), {"username": "strateg", "password": "wrong"})
    assert response.status_code == 429
    assert policy(response)["script-src"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
