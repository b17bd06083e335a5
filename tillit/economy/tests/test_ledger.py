"""YearLedger: the economy's arithmetic on one organisation's year (tillit/economy/ledger.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillit.economy.choices import BudgetKind, FinancialIndicator, StatementLine
from tillit.economy.ledger import YearLedger
from tillit.economy.models import BudgetDocument, BudgetLine, OpeningBalance, PeriodBudget

from . import test_followup as data
from .conftest import YEAR

# The follow-up's figures (see test_followup's docstring), shared as fixtures.
budget = data.budget
ledger_data = data.ledger_data
make_forecast = data.make_forecast
M = data.M

pytestmark = pytest.mark.django_db


def load(grastorp, year: int = YEAR) -> YearLedger:
    return YearLedger.load(grastorp, year)


def test_net_cost_belongs_to_the_operation_above_the_unit(grastorp, ledger_data, operation):
    ledger = load(grastorp)
    education = operation("Utbildning").pk
    assert ledger.net_cost(education, 1) == Decimal("10.5") * M
    assert ledger.net_cost_through(education, 3) == Decimal("31.5") * M
    assert ledger.net_cost_through(education, 12) == Decimal("31.5") * M
    assert ledger.net_cost(operation("Vård och omsorg").pk, 2) == 20 * M
    # Outcome on no unit is the municipality's as a whole: only operating lines count.
    assert ledger.net_cost(None, 3) == Decimal("0.2") * M
    assert ledger.net_cost(None, 1) == 0
    assert ledger.months_with_outcome == (1, 2, 3) and ledger.latest_month == 3


def test_loading_makes_a_constant_number_of_queries(grastorp, ledger_data, outcome, unit):
    with CaptureQueriesContext(connection) as small:
        load(grastorp)
    for month in range(1, 13):
        outcome(month, "4015", 1000, unit=unit("Tengbergsskolan F–6"))
        outcome(month, "1930", 1000)
    with CaptureQueriesContext(connection) as large:
        load(grastorp)
    assert len(large) == len(small) <= 7


def test_the_frame_spread_evenly_without_a_period_budget(grastorp, ledger_data, operation):
    ledger = load(grastorp)
    education = operation("Utbildning").pk
    assert ledger.frame(education) == 120 * M
    assert ledger.budget_for_month(education, 1) == 10 * M
    assert ledger.budget_through(education, 3) == 30 * M
    assert ledger.budget_through(education, 12) == 120 * M
    assert ledger.frame(999999) is None
    assert ledger.budget_through(999999, 3) is None
    assert ledger.budget_for_month(999999, 3) is None


def test_the_period_budget_gives_the_frame_its_profile(
    grastorp, ledger_data, operation, unit, account
):
    education = operation("Utbildning")
    school = unit("Tengbergsskolan F–6")
    # Half the year's month budget in the autumn term's four months, none in July.
    amounts = {1: 5, 2: 5, 3: 5, 4: 5, 5: 5, 6: 5, 7: 0, 8: 5, 9: 5, 10: 5, 11: 5, 12: 0}
    amounts.update({8: 5, 9: 5, 10: 5, 11: 5})
    for month, amount in amounts.items():
        # Split over the verksamhet and a unit under it, and over costs and income.
        PeriodBudget.objects.create(
            organisation=grastorp,
            year=YEAR,
            month=month,
            account=account("4011"),
            unit=school,
            amount=Decimal(amount + 1) * M,
        )
        PeriodBudget.objects.create(
            organisation=grastorp,
            year=YEAR,
            month=month,
            account=account("3011"),
            unit=education,
            amount=-1 * M,
        )
    # A balance account's month budget is no part of the profile.
    PeriodBudget.objects.create(
        organisation=grastorp,
        year=YEAR,
        month=1,
        account=account("1930"),
        unit=education,
        amount=999 * M,
    )
    ledger = load(grastorp)
    total = sum(amounts.values())  # 50
    assert ledger.budget_for_month(education.pk, 1) == (120 * M * 5 / total).quantize(
        Decimal("0.01")
    )
    assert ledger.budget_for_month(education.pk, 7) == 0
    assert ledger.budget_through(education.pk, 3) == (120 * M * 15 / total).quantize(
        Decimal("0.01")
    )
    assert ledger.budget_through(education.pk, 12) == 120 * M
    # The projection follows the profile: 31 500 tkr is 15/50 of the year's pace.
    assert ledger.projection(education.pk, 3) == Decimal("105") * M
    # Other verksamheter keep the straight line.
    care = operation("Vård och omsorg").pk
    assert ledger.budget_through(care, 3) == 60 * M


def test_a_profile_with_negative_months_is_not_used(grastorp, ledger_data, operation, account):
    education = operation("Utbildning")
    for month in range(1, 13):
        PeriodBudget.objects.create(
            organisation=grastorp,
            year=YEAR,
            month=month,
            account=account("4011"),
            unit=education,
            amount=(-1 if month == 6 else 2) * M,
        )
    assert load(grastorp).budget_through(education.pk, 3) == 30 * M


def test_the_projection(grastorp, ledger_data, operation):
    ledger = load(grastorp)
    education = operation("Utbildning").pk
    assert ledger.projection(education, 3) == 126 * M
    assert ledger.projection(education, 1) == 126 * M
    # April is not read in yet: the projection is the latest month's, March's.
    assert ledger.projection(education, 4) == 126 * M
    assert ledger.projection(None, 3) == Decimal("0.8") * M


def test_the_latest_forecast_at_or_before_a_month(grastorp, ledger_data, operation, make_forecast):
    first = make_forecast("Utbildning", 1, "121000")
    third = make_forecast("Utbildning", 3, "130000")
    ledger = load(grastorp)
    education = operation("Utbildning").pk
    assert ledger.forecast(education, 1) == first
    assert ledger.forecast(education, 2) == first
    assert ledger.forecast(education, 12) == third
    assert ledger.forecast(operation("Samhällsbyggnad").pk, 12) is None


def test_the_forecast_result(grastorp, ledger_data, make_forecast):
    # Budgeted: 380 000 + 90 000 + 2 000 − 4 000 − 450 000 = 18 000 tkr.
    ledger = load(grastorp)
    assert ledger.budgeted_result() == 18 * M
    assert ledger.budgeted_revenue() == 470 * M
    # By the projections: 126 000 + 240 000 + 60 000 + 30 000, and the common items'
    # 800, which have no frame.
    assert ledger.forecast_result(3) == Decimal("11.2") * M
    make_forecast("Utbildning", 3, "130000")
    make_forecast("Vård och omsorg", 2, "250000")
    ledger = load(grastorp)
    assert ledger.forecast_result(3) == (18 + 450 - 130 - 250 - 60 - 30 - Decimal("0.8")) * M
    # April's outcome is not read in: the projections are still March's.
    assert ledger.forecast_result(4) == ledger.forecast_result(3)


def test_an_operation_without_a_frame_or_outcome_counts_nothing(grastorp, budget):
    ledger = load(grastorp)
    assert ledger.months_with_outcome == ()
    assert ledger.forecast_result(6) == ledger.budgeted_result() == 18 * M


def test_no_forecast_result_without_an_adopted_budget(grastorp, ledger_data):
    assert load(grastorp, YEAR + 9).forecast_result(12) is None


def test_the_income_statement_shows_income_positive(grastorp, ledger_data, outcome):
    outcome(2, "8411", Decimal("-0.3") * M)  # interest income
    outcome(2, "8511", Decimal("0.4") * M)  # interest costs
    outcome(3, "7811", Decimal("0.6") * M)  # depreciation
    ledger = load(grastorp)
    statement = ledger.income_statement(3)
    assert statement[StatementLine.OPERATING_INCOME] == Decimal("1.5") * M
    assert statement[StatementLine.OPERATING_COST] == Decimal("-115.7") * M
    assert statement[StatementLine.DEPRECIATION] == Decimal("-0.6") * M
    assert statement[StatementLine.TAX_REVENUE] == 93 * M
    assert statement[StatementLine.GENERAL_GRANTS] == Decimal("22.5") * M
    assert statement[StatementLine.FINANCIAL_INCOME] == Decimal("0.3") * M
    assert statement[StatementLine.FINANCIAL_COST] == Decimal("-0.4") * M
    assert ledger.result(3) == Decimal("0.6") * M
    assert ledger.result(1) == Decimal("0.5") * M


def test_the_balance_sheet_is_opening_balance_plus_movements(grastorp, outcome, account):
    OpeningBalance.objects.create(
        organisation=grastorp, year=YEAR, account=account("1930"), amount=50 * M
    )
    OpeningBalance.objects.create(
        organisation=grastorp, year=YEAR, account=account("2010"), amount=-40 * M
    )
    OpeningBalance.objects.create(
        organisation=grastorp, year=YEAR, account=account("2440"), amount=-10 * M
    )
    outcome(1, "1930", 5 * M)
    outcome(1, "2440", -5 * M)
    outcome(2, "1930", -2 * M)
    ledger = load(grastorp)
    january = ledger.balance_sheet(1)
    assert january[StatementLine.CASH] == 55 * M
    assert january[StatementLine.CURRENT_LIABILITIES] == -15 * M
    assert january[StatementLine.EQUITY] == -40 * M
    assert ledger.balance_sheet(12)[StatementLine.CASH] == 53 * M
    assert ledger.balance_sheet(12)[StatementLine.FIXED_ASSETS] == 0


def test_the_indicators(grastorp, ledger_data, outcome, account):
    OpeningBalance.objects.create(
        organisation=grastorp, year=YEAR, account=account("1110"), amount=300 * M
    )
    OpeningBalance.objects.create(
        organisation=grastorp, year=YEAR, account=account("1930"), amount=100 * M
    )
    OpeningBalance.objects.create(
        organisation=grastorp, year=YEAR, account=account("2010"), amount=-240 * M
    )
    OpeningBalance.objects.create(
        organisation=grastorp, year=YEAR, account=account("2440"), amount=-160 * M
    )
    outcome(3, "1110", 4 * M)  # investments net of depreciation …
    outcome(3, "7811", 1 * M)  # … and depreciation: 5 000 tkr invested
    indicators = load(grastorp).indicators(3)
    # Result 1 300 − 1 000 = 300 tkr of revenue 93 000 + 22 500 = 115 500 tkr.
    assert indicators[FinancialIndicator.RESULT_SHARE] == Decimal("0.3")
    # Net costs 114 200 + 1 000 = 115 200 tkr.
    assert indicators[FinancialIndicator.NET_COST_SHARE] == Decimal("99.7")
    # (300 + 1 000) / 5 000.
    assert indicators[FinancialIndicator.SELF_FINANCING] == Decimal("26.0")
    # Equity 240 000 and the year's result so far, 300, of assets 304 000 + 100 000.
    assert indicators[FinancialIndicator.EQUITY_RATIO] == Decimal("59.5")
    # Cash 100 000 against current liabilities 160 000.
    assert indicators[FinancialIndicator.QUICK_RATIO] == Decimal("62.5")


def test_a_supplementary_budget_changes_the_frame(grastorp, budget, budget_decision, operation):
    supplement = BudgetDocument.objects.create(
        organisation=grastorp,
        kind=BudgetKind.SUPPLEMENTARY,
        year=YEAR,
        title="Tilläggsbudget",
        decision=budget_decision,
    )
    BudgetLine.objects.create(
        document=supplement, year=YEAR, unit=operation("Utbildning"), amount=2 * M
    )
    ledger = load(grastorp)
    assert ledger.frame(operation("Utbildning").pk) == 122 * M
    assert ledger.budgeted_result() == 16 * M


def test_the_economic_plan_is_not_the_next_years_budget(
    grastorp, budget, budget_decision, operation
):
    """A budget decides its year; its economic plan's years are a plan until their own budget."""
    education = operation("Utbildning")
    BudgetLine.objects.create(document=budget, year=YEAR + 1, unit=education, amount=125 * M)
    plan_only = load(grastorp, YEAR + 1)
    assert not plan_only.has_adopted_budget
    assert plan_only.frame(education.pk) is None
    assert plan_only.forecast_result(12) is None
    next_budget = BudgetDocument.objects.create(
        organisation=grastorp,
        kind=BudgetKind.BUDGET,
        year=YEAR + 1,
        title=f"Budget {YEAR + 1}",
        decision=budget_decision,
    )
    BudgetLine.objects.create(document=next_budget, year=YEAR + 1, unit=education, amount=127 * M)
    ledger = load(grastorp, YEAR + 1)
    assert ledger.has_adopted_budget
    assert ledger.frame(education.pk) == 127 * M
