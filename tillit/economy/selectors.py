"""The rows of the monthly follow-up, built on `YearLedger` (tillit/economy/ledger.py).

Everything here is arithmetic on a loaded ledger, apart from the few helpers that say so
(`result_goal`, `unit_breakdown`), each one query whatever the size of the accounting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from tillit.core.models import Organisation, OrgUnit

from .choices import (
    INCOME_STATEMENT_LINES,
    MUNICIPAL_BUDGET_LINES,
    OPERATING_LINES,
    Comparator,
    FinancialIndicator,
    StatementLine,
)
from .ledger import ZERO, YearLedger
from .models import FinancialGoal, Forecast, Outcome


def default_month(ledger: YearLedger, today: date) -> int:
    """The month a follow-up page opens at: the latest with outcome; else December when
    the year has an adopted budget; else the current month (January for a year ahead)."""
    if ledger.latest_month is not None:
        return ledger.latest_month
    if ledger.has_adopted_budget:
        return 12
    if ledger.year == today.year:
        return today.month
    return 12 if ledger.year < today.year else 1


def forecast_allowed(year: int, month: int, today: date) -> bool:
    """A forecast is made for the current month or one that has passed."""
    return (year, month) <= (today.year, today.month)


@dataclass
class OperationRow:
    """One line of the follow-up table: a verksamhet, the common finances, or the total."""

    label: str
    unit: OrgUnit | None = None
    frame: Decimal | None = None
    budget_through: Decimal | None = None
    outcome_through: Decimal = ZERO
    forecast: Forecast | None = None
    projection: Decimal | None = None
    # What the year-end net cost is expected to be: the forecast, else the projection,
    # else the frame (as YearLedger.forecast_result counts it).
    expected: Decimal | None = None
    expected_source: str = ""  # "forecast", "projection", "frame" or ""
    can_forecast: bool = False
    is_common: bool = False
    is_total: bool = False

    @property
    def deviation(self) -> Decimal | None:
        """Budget − outcome so far: positive is below budget."""
        if self.budget_through is None:
            return None
        return self.budget_through - self.outcome_through

    @property
    def frame_deviation(self) -> Decimal | None:
        """Frame − expected year-end net cost: negative is a deficit against the frame."""
        if self.frame is None or self.expected is None:
            return None
        return self.frame - self.expected

    @property
    def forecast_amount(self) -> Decimal | None:
        return self.forecast.amount if self.forecast is not None else None


def operation_rows(ledger: YearLedger, month: int, *, can_forecast=lambda unit: False) -> list:
    """The verksamheter's rows, the common finances' row when it has outcome, and a total."""
    rows = []
    for operation in ledger.operations:
        forecast = ledger.forecast(operation.pk, month)
        projection = ledger.projection(operation.pk, month)
        frame = ledger.frame(operation.pk)
        if forecast is not None:
            expected, source = forecast.amount, "forecast"
        elif projection is not None:
            expected, source = projection, "projection"
        elif frame is not None:
            expected, source = frame, "frame"
        else:
            expected, source = None, ""
        rows.append(
            OperationRow(
                label=operation.name,
                unit=operation,
                frame=frame,
                budget_through=ledger.budget_through(operation.pk, month),
                outcome_through=ledger.net_cost_through(operation.pk, month),
                forecast=forecast,
                projection=projection,
                expected=expected,
                expected_source=source,
                can_forecast=can_forecast(operation),
            )
        )
    common = ledger.net_cost_through(None, month)
    if common:
        rows.append(
            OperationRow(
                label="",
                outcome_through=common,
                projection=ledger.projection(None, month),
                is_common=True,
            )
        )
    rows.append(_total(rows))
    return rows


def _sum(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def _total(rows: list[OperationRow]) -> OperationRow:
    operations = [r for r in rows if not r.is_common]
    return OperationRow(
        label="",
        frame=_sum(r.frame for r in operations),
        budget_through=_sum(r.budget_through for r in operations),
        outcome_through=sum((r.outcome_through for r in rows), ZERO),
        projection=_sum(r.projection for r in rows),
        expected=_sum(r.expected for r in rows),
        is_total=True,
    )


def deficit_count(rows: list[OperationRow]) -> int:
    """How many verksamheter expect to end the year above their frame."""
    return sum(
        1
        for r in rows
        if r.unit is not None and r.frame_deviation is not None and r.frame_deviation < 0
    )


@dataclass
class StatementRow:
    line: StatementLine | None
    label: str
    outcome: Decimal
    budget: Decimal | None = None
    is_subtotal: bool = False


def statement_rows(ledger: YearLedger, month: int) -> list[StatementRow]:
    """The income statement through the month (income positive, costs negative) beside the
    year's budget: the frames for the verksamheter's net costs, and the lines the
    municipality budgets as a whole."""
    statement = ledger.income_statement(month)
    frames = sum(ledger.frames.values(), ZERO) if ledger.frames else None
    rows: list[StatementRow] = []
    for line in INCOME_STATEMENT_LINES:
        budget = None
        if line in MUNICIPAL_BUDGET_LINES and line in ledger.municipal_budget:
            amount = ledger.municipal_budget[line]
            budget = amount if StatementLine(line).is_income else -amount
        rows.append(
            StatementRow(line=line, label=line.label, outcome=statement[line], budget=budget)
        )
        if line == OPERATING_LINES[-1]:
            rows.append(
                StatementRow(
                    line=None,
                    label="",
                    outcome=sum((statement[op] for op in OPERATING_LINES), ZERO),
                    budget=-frames if frames is not None else None,
                    is_subtotal=True,
                )
            )
    return rows


def result_goal(organisation: Organisation, year: int) -> FinancialGoal | None:
    """The financial goal on the year's result (result as a share of tax revenue and general
    grants) that applies to the year, if any: one query."""
    return (
        FinancialGoal.objects.filter(
            organisation=organisation,
            indicator=FinancialIndicator.RESULT_SHARE,
            first_year__lte=year,
        )
        .filter(Q(last_year__isnull=True) | Q(last_year__gte=year))
        .select_related("decision__body")
        .order_by("order", "pk")
        .first()
    )


@dataclass
class ResultSummary:
    budget: Decimal | None
    outcome: Decimal
    forecast: Decimal | None
    goal: FinancialGoal | None = None
    target_amount: Decimal | None = None
    reaches_target: bool | None = None
    revenue: Decimal = ZERO

    @property
    def forecast_deviation_size(self) -> Decimal | None:
        deviation = self.forecast_deviation
        return abs(deviation) if deviation is not None else None

    @property
    def target_symbol(self) -> str:
        return Comparator(self.goal.comparator).symbol if self.goal is not None else ""

    @property
    def forecast_deviation(self) -> Decimal | None:
        if self.budget is None or self.forecast is None:
            return None
        return self.forecast - self.budget


def result_summary(ledger: YearLedger, month: int, goal: FinancialGoal | None) -> ResultSummary:
    budget = ledger.budgeted_result() if ledger.has_adopted_budget else None
    forecast = ledger.forecast_result(month)
    revenue = ledger.budgeted_revenue()
    summary = ResultSummary(
        budget=budget, outcome=ledger.result(month), forecast=forecast, goal=goal, revenue=revenue
    )
    if goal is not None and revenue:
        summary.target_amount = (goal.target * revenue / 100).quantize(Decimal("0.01"))
        summary.reaches_target = Comparator(goal.comparator).satisfied(
            forecast, summary.target_amount
        )
    return summary


@dataclass
class MonthRow:
    month: int
    budget: Decimal | None
    outcome: Decimal | None
    budget_accumulated: Decimal | None
    outcome_accumulated: Decimal | None

    @property
    def deviation(self) -> Decimal | None:
        if self.budget_accumulated is None or self.outcome_accumulated is None:
            return None
        return self.budget_accumulated - self.outcome_accumulated


def month_rows(ledger: YearLedger, operation_id: int) -> list[MonthRow]:
    """The twelve months of a verksamhet: budget and outcome, each and accumulated. Months
    without outcome in the ledger have none (rather than a zero that reads as a figure)."""
    rows = []
    accumulated = ZERO
    for month in range(1, 13):
        booked = month in ledger.months_with_outcome
        outcome = ledger.net_cost(operation_id, month) if booked else None
        if booked:
            accumulated += outcome
        rows.append(
            MonthRow(
                month=month,
                budget=ledger.budget_for_month(operation_id, month),
                outcome=outcome,
                budget_accumulated=ledger.budget_through(operation_id, month),
                outcome_accumulated=accumulated if booked else None,
            )
        )
    return rows


@dataclass
class UnitOutcome:
    unit_id: int | None
    name: str
    depth: int
    amount: Decimal
    is_operation: bool = False


@dataclass
class Breakdown:
    rows: list[UnitOutcome] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows), ZERO)


def unit_breakdown(operation: OrgUnit, year: int, month: int) -> Breakdown:
    """The verksamhet's net cost through the month per unit under it (the verksamhet's own
    row for what is booked on it directly): one query, grouped by unit."""
    # The units first, then the outcome by their ids: one grouped lookup in the unit
    # index, where a join on the path prefix made PostgreSQL scan the year's ledger.
    units = {
        pk: (name, path)
        for pk, name, path in OrgUnit.objects.filter(
            organisation_id=operation.organisation_id, path__startswith=operation.path
        ).values_list("pk", "name", "path")
    }
    totals = (
        Outcome.objects.filter(
            year=year,
            month__lte=month,
            unit_id__in=list(units),
            account__line__in=OPERATING_LINES,
        )
        .values_list("unit_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    rows = sorted(
        ((unit_id, *units[unit_id], total) for unit_id, total in totals),
        key=lambda row: row[2],
    )
    base = operation.path.count("/")
    found = []
    for unit_id, name, path, total in rows:
        depth = path.count("/") - base
        found.append(
            UnitOutcome(
                unit_id=unit_id,
                name=name,
                depth=max(depth, 0),
                amount=total or ZERO,
                is_operation=unit_id == operation.pk,
            )
        )
    return Breakdown(rows=found)


def forecasts_of(ledger: YearLedger, operation_id: int) -> list[tuple[Forecast, Decimal | None]]:
    """The verksamhet's forecasts of the year, newest month first, each with the projection
    from the outcome at its month."""
    made = [f for (unit_id, _), f in ledger.forecasts.items() if unit_id == operation_id]
    made.sort(key=lambda f: f.month, reverse=True)
    return [(f, ledger.projection(operation_id, f.month)) for f in made]
