"""Fixtures of the economy's tests.

The session's demo has Grästorp's economy for 2025 (the whole year) and 2026 (January to
October), see tillit/economy/demo.py. Tests that need figures of their own use YEAR (2031),
which neither the demo nor anything else touches.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

YEAR = 2031


@pytest.fixture
def operation(grastorp):
    """A verksamhet by name: operation("Utbildning")."""
    from tillit.core.choices import UnitKind
    from tillit.core.models import OrgUnit

    def get(name: str):
        return OrgUnit.objects.get(organisation=grastorp, kind=UnitKind.OPERATION, name=name)

    return get


@pytest.fixture
def unit(grastorp):
    """Any unit by name: unit("Tengbergsskolan F–6")."""
    from tillit.core.models import OrgUnit

    return lambda name: OrgUnit.objects.get(organisation=grastorp, name=name)


@pytest.fixture
def budget_decision(grastorp):
    """KF's decision on the budget for YEAR and the economic plan for the two years after."""
    from tillit.core.models import Body, Decision

    return Decision.objects.create(
        organisation=grastorp,
        body=Body.objects.get(organisation=grastorp, abbreviation="KF"),
        date=date(YEAR - 1, 11, 24),
        paragraph="88",
        title=f"Budget {YEAR} och ekonomisk plan {YEAR + 1}–{YEAR + 2}",
    )


@pytest.fixture
def account(grastorp):
    """An account of the chart, made with Kommun-Bas's line: account("4011", "Löner")."""
    from tillit.economy.choices import default_line
    from tillit.economy.models import Account

    def get(number: str, name: str = ""):
        found, _ = Account.objects.get_or_create(
            organisation=grastorp,
            number=number,
            defaults={"name": name or f"Konto {number}", "line": default_line(number)},
        )
        return found

    return get


@pytest.fixture
def outcome(grastorp, account):
    """Book a month's outcome: outcome(3, "4011", 120000, unit=…) in YEAR (or year=…)."""
    from tillit.economy.models import Outcome

    def book(month: int, number: str, amount, *, unit=None, year: int = YEAR):
        return Outcome.objects.create(
            organisation=grastorp,
            year=year,
            month=month,
            account=account(number),
            unit=unit,
            amount=Decimal(str(amount)),
        )

    return book
