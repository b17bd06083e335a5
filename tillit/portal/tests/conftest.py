"""Fixtures of the portal's tests: what the session's demo lacks and the public sees.

The session demo has an adopted plan with goals, measures, values and activities, but no
follow-up periods and no reports. These fixtures add them through the services as the
strateg would (factories.py): closed periods with approved goal assessments, and reports
in each state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from . import factories


@pytest.fixture
def strateg(personas):
    return personas["strateg"]


@pytest.fixture
def make_period(grastorp, strateg) -> Callable:
    """make_period(name, year, kind, start, end): an open follow-up period of Grästorp."""

    def make(name: str, year: int, kind: str, start: date, end: date):
        return factories.open_period(grastorp, strateg, name, year, kind, start, end)

    return make


@pytest.fixture
def closed_period(grastorp, goal, strateg):
    """ "Helår 2025", closed, with the goal fixture's approved assessment ("met")."""
    return factories.closed_annual_period(
        grastorp, [goal], strateg, status="met", analysis="Fler elever läser varje dag."
    )


@pytest.fixture
def earlier_period(make_period, goal, strateg):
    """ "Tertial 1 2025", closed, with the goal's approved assessment ("not_met")."""
    from tillit.followup import services
    from tillit.followup.choices import FollowUpKind

    period = make_period(
        "Tertial 1 2025", 2025, FollowUpKind.TERTIAL, date(2025, 1, 1), date(2025, 4, 30)
    )
    factories.approve_goal_assessment(
        period, goal, strateg, status="not_met", analysis="Läsningen har inte ökat än."
    )
    return services.period_close(period=period, closed_by=strateg)


@pytest.fixture
def decision(grastorp) -> Callable:
    """decision("KS", date(2026, 4, 8), "47"): a decision of Grästorp's board or council."""

    def make(abbreviation: str, day: date, paragraph: str):
        return factories.decision(grastorp, abbreviation, day, paragraph)

    return make


@pytest.fixture
def approved_report(grastorp, closed_period, strateg):
    """The årsredovisning 2025: approved by KS (frozen) and presented to KF."""
    return factories.presented_annual_report(grastorp, closed_period, strateg)


@pytest.fixture
def draft_report(grastorp, strateg):
    """The delårsrapport 2026, a draft."""
    from tillit.reports.choices import ReportKind

    return factories.draft_report(grastorp, strateg, ReportKind.INTERIM, 2026)


@pytest.fixture
def review_report(grastorp, strateg):
    """The delårsrapport 2025, in review."""
    from tillit.reports import services
    from tillit.reports.choices import ReportKind

    report = factories.draft_report(grastorp, strateg, ReportKind.INTERIM, 2025)
    return services.report_submit(report=report, user=strateg)
