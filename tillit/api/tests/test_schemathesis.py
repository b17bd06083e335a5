"""Property-based tests of the API from its own OpenAPI schema (schemathesis): requests
generated from the schema, to every GET operation anonymously and with a member's API
key, and to every write with the key, never make the server fail and always answer in
the documented shape.

The schema is read from the application itself (/api/schema/, through WSGI), so what is
tested is what is published. Hypothesis runs derandomized (the same examples every run)
and few of them per operation, to keep the whole file well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, response_schema_conformance

pytestmark = pytest.mark.django_db

CHECKS = (not_a_server_error, response_schema_conformance)
EXAMPLES = 10
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)

APP = get_wsgi_application()


@pytest.fixture(autouse=True)
def keep_the_connection_open():
    """Django closes the database connection when a request starts and ends, and the WSGI
    handler called here sends those signals; in a test that would close the connection of
    the test's own transaction (on PostgreSQL). Django's test client keeps it open the same
    way, by leaving `close_old_connections` out of the signals while it runs a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(grastorp):
    """The schema as the application serves it, run against the application (WSGI)."""
    return schemathesis.from_wsgi("/api/schema/?format=json", APP)


schema = schemathesis.from_pytest_fixture("api_schema")
reads = schema.include(method="GET")
writes = schema.include(method=["POST", "PUT", "PATCH", "DELETE"])


@reads.parametrize()
@HYPOTHESIS
def test_an_anonymous_read_never_fails_and_answers_as_documented(case):
    response = case.call_wsgi()
    case.validate_response(response, checks=CHECKS)


@pytest.fixture
def member_key(personas) -> str:
    return Token.objects.get_or_create(user=personas["medledare"])[0].key


@reads.parametrize()
@HYPOTHESIS
def test_a_members_read_never_fails_and_answers_as_documented(case, member_key):
    response = case.call_wsgi(headers={"Authorization": f"Token {member_key}"})
    case.validate_response(response, checks=CHECKS)


@writes.parametrize()
@HYPOTHESIS
def test_a_members_write_never_fails_and_answers_as_documented(case, member_key):
    """Whatever is sent, the answer is a refusal or a success, never an error."""
    response = case.call_wsgi(headers={"Authorization": f"Token {member_key}"})
    case.validate_response(response, checks=CHECKS)
