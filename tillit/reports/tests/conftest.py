"""Fixtures of the reports' tests: the person who keeps the reports, and reports to test on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest


@pytest.fixture
def report_keeper(personas):
    """The demo's strateg: plan administrator, so keeps the reports (reports.manage)."""
    return personas["strateg"]


@pytest.fixture
def make_report(grastorp, report_keeper) -> Callable:
    """make_report(kind, year, through_month=None, **fields): a draft report of Grästorp,
    created through services.report_create with its sections.

    A report of the same kind and year already there (the session's demo may have one) is
    removed first, snapshot and all, inside the test's transaction: the test gets the
    report it asked for and the demo's comes back when the transaction is rolled back.
    """
    from tillit.reports.models import Report, ReportSnapshot
    from tillit.reports.services import report_create

    def make(kind: str, year: int, through_month: int | None = None, **fields) -> Report:
        existing = Report.objects.filter(organisation=grastorp, kind=kind, year=year)
        # QuerySet.delete does not call ReportSnapshot.delete, which refuses.
        ReportSnapshot.objects.filter(report__in=existing).delete()
        existing.delete()
        return report_create(
            organisation=grastorp,
            kind=kind,
            year=year,
            through_month=through_month,
            created_by=report_keeper,
            **fields,
        )

    return make


@pytest.fixture
def report_decision(grastorp) -> Callable:
    """report_decision("KS", date(2027, 3, 20), "31"): a decision of Grästorp's board (KS)
    or council (KF), to approve or present a report with."""
    from tillit.core.models import Body, Decision

    def make(abbreviation: str, day, paragraph: str, title: str = "") -> Decision:
        return Decision.objects.create(
            organisation=grastorp,
            body=Body.objects.get(organisation=grastorp, abbreviation=abbreviation),
            date=day,
            paragraph=paragraph,
            title=title or f"Rapport ({abbreviation} § {paragraph})",
        )

    return make


# The annual report most tests work on: 2026, which the demo's reports (annual 2025,
# interim 2026) leave free, and the decisions of KS and KF that adopt it.
YEAR = 2026


@pytest.fixture
def annual(make_report):
    from tillit.reports.choices import ReportKind

    return make_report(ReportKind.ANNUAL, YEAR)


@pytest.fixture
def ks(report_decision):
    return report_decision("KS", date(YEAR + 1, 3, 20), "31", "Årsredovisning 2026")


@pytest.fixture
def kf(report_decision):
    return report_decision("KF", date(YEAR + 1, 4, 22), "18", "Årsredovisning 2026")
