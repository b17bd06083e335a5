"""Fixtures of the open data's tests: an anonymous visitor, files read back, and the data
the session's demo lacks (a closed follow-up period with an approved assessment)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone


@dataclass
class File:
    response: object
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")  # strict: the files are UTF-8

    def csv_rows(self) -> list[dict]:
        return list(csv.DictReader(io.StringIO(self.text, newline="")))

    def json(self) -> dict:
        # Decimals back as Decimal, never through a float.
        return json.loads(self.text, parse_float=Decimal)


def read(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def visitor() -> Client:
    return Client()


@pytest.fixture
def fetch(visitor) -> Callable[..., File]:
    """fetch("matvarden", "csv"): the file, as an anonymous visitor downloads it."""

    def get(slug: str, fmt: str, **headers) -> File:
        response = visitor.get(reverse("opendata:download", args=[slug, fmt]), **headers)
        return File(response, read(response))

    return get


@pytest.fixture
def count_queries(visitor) -> Callable[[str], int]:
    """The queries a visitor's request causes, the streamed rows included."""

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = visitor.get(url)
            read(response)
        assert response.status_code == 200, url
        return len(queries)

    return count


@pytest.fixture
def closed_period(grastorp):
    from tillit.followup.choices import FollowUpKind, PeriodStatus
    from tillit.followup.models import FollowUpPeriod

    return FollowUpPeriod.objects.create(
        organisation=grastorp,
        name="Helår 2025",
        year=2025,
        kind=FollowUpKind.ANNUAL,
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        deadline=date(2026, 1, 31),
        status=PeriodStatus.CLOSED,
        closed_at=timezone.now(),
    )


@pytest.fixture
def assessed_goal(goal, closed_period, personas):
    """The goal, with an approved goal-level assessment in a closed period (public)."""
    from tillit.followup.choices import AssessmentState
    from tillit.followup.models import Assessment

    now = timezone.now()
    strateg = personas["strateg"]
    Assessment.objects.create(
        period=closed_period,
        goal=goal,
        status="partly",
        analysis="Fler elever når målen i svenska.",
        state=AssessmentState.APPROVED,
        written_by=strateg,
        written_at=now,
        submitted_by=strateg,
        submitted_at=now,
        approved_by=strateg,
        approved_at=now,
    )
    return goal
