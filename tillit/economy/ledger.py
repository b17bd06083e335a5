"""The economy's arithmetic, read once per organisation and year.

`YearLedger.load(organisation, year)` makes a constant number of queries (the outcome
summed per operation, month and line; the opening balances; the operations; the budget;
the period budget's profile; the forecasts) whatever the size of the accounting, and
everything else here is arithmetic on what it read.

Signs: the ledger keeps the accounting's (costs and assets positive, income, equity and
liabilities negative). `income_statement` turns it the way reports show it (income
positive, costs negative), and a verksamhet's net cost is positive.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Sum

from tillit.core.choices import UnitKind
from tillit.core.models import Organisation, OrgUnit

from .choices import (
    BALANCE_SHEET_LINES,
    INCOME_STATEMENT_LINES,
    MUNICIPAL_BUDGET_LINES,
    OPERATING_LINES,
    FinancialIndicator,
    StatementLine,
)
from .models import (
    BudgetKind,
    BudgetLine,
    Forecast,
    OpeningBalance,
    Outcome,
    PeriodBudget,
)

ZERO = Decimal(0)
MONTHS = tuple(range(1, 13))
HUNDRED = Decimal(100)


def percent(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator in per cent, one decimal; None when it cannot be computed."""
    if numerator is None or not denominator:
        return None
    return (numerator * HUNDRED / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class YearLedger:
    organisation: Organisation
    year: int
    operations: list[OrgUnit]
    # (operation id or None, month, line) → amount in the accounting's sign
    movements: dict[tuple[int | None, int, str], Decimal]
    opening: dict[str, Decimal]  # balance line → opening balance
    frames: dict[int, Decimal]  # operation id → decided frame (net cost) for the year
    municipal_budget: dict[str, Decimal]  # line → decided amount, as typed (positive)
    profiles: dict[int | None, tuple[Decimal, ...]]  # operation → share of the year per month
    forecasts: dict[tuple[int, int], Forecast]  # (operation id, month) → forecast
    has_adopted_budget: bool = False
    months_with_outcome: tuple[int, ...] = field(default_factory=tuple)

    # --- loading -------------------------------------------------------------------------

    @classmethod
    def load(cls, organisation: Organisation, year: int) -> YearLedger:
        operations = list(
            OrgUnit.objects.filter(organisation=organisation, kind=UnitKind.OPERATION).order_by(
                "order", "name"
            )
        )
        owner = _operation_finder(operations)

        movements: dict[tuple[int | None, int, str], Decimal] = defaultdict(lambda: ZERO)
        months: set[int] = set()
        rows = (
            Outcome.objects.filter(organisation=organisation, year=year)
            .values_list("unit__path", "month", "account__line")
            .annotate(total=Sum("amount"))
            .order_by()
        )
        for path, month, line, total in rows:
            movements[(owner(path), month, line)] += total or ZERO
            months.add(month)

        opening: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for line, total in (
            OpeningBalance.objects.filter(organisation=organisation, year=year)
            .values_list("account__line")
            .annotate(total=Sum("amount"))
            .order_by()
        ):
            opening[line] += total or ZERO

        frames: dict[int, Decimal] = defaultdict(lambda: ZERO)
        municipal: dict[str, Decimal] = defaultdict(lambda: ZERO)
        adopted = False
        # Only the documents of the year: the economic plan's years of an earlier budget
        # are superseded by that year's own budget and are not added to it.
        for unit_id, line, kind, amount in BudgetLine.objects.filter(
            document__organisation=organisation, document__year=year, year=year
        ).values_list("unit_id", "line", "document__kind", "amount"):
            adopted = adopted or kind == BudgetKind.BUDGET
            if unit_id is not None:
                frames[unit_id] += amount
            else:
                municipal[line] += amount

        by_month: dict[int | None, list[Decimal]] = defaultdict(lambda: [ZERO] * 12)
        for path, month, total in (
            PeriodBudget.objects.filter(
                organisation=organisation, year=year, account__line__in=OPERATING_LINES
            )
            .values_list("unit__path", "month")
            .annotate(total=Sum("amount"))
            .order_by()
        ):
            by_month[owner(path)][month - 1] += total or ZERO
        profiles = {}
        for operation_id, amounts in by_month.items():
            total = sum(amounts, ZERO)
            if total > 0 and all(a >= 0 for a in amounts):
                profiles[operation_id] = tuple(a / total for a in amounts)

        forecasts = {
            (f.unit_id, f.month): f
            for f in Forecast.objects.filter(organisation=organisation, year=year).select_related(
                "author"
            )
        }
        return cls(
            organisation=organisation,
            year=year,
            operations=operations,
            movements=dict(movements),
            opening=dict(opening),
            frames=dict(frames),
            municipal_budget=dict(municipal),
            profiles=profiles,
            forecasts=forecasts,
            has_adopted_budget=adopted,
            months_with_outcome=tuple(sorted(months)),
        )

    # --- outcome ---------------------------------------------------------------------------

    @property
    def latest_month(self) -> int | None:
        return self.months_with_outcome[-1] if self.months_with_outcome else None

    @cached_property
    def _by_operation(self) -> dict[int | None, list[tuple[int, str, Decimal]]]:
        """The movements per verksamhet, so that one verksamhet's sums read only its own."""
        index: dict[int | None, list[tuple[int, str, Decimal]]] = defaultdict(list)
        for (op, month, line), amount in self.movements.items():
            index[op].append((month, line, amount))
        return index

    def _sum(self, *, lines, months, operation: int | None | type = ...) -> Decimal:
        """The movements on the lines in the months: of one verksamhet (None: of no
        verksamhet), or of all of them when no operation is given."""
        lines = set(lines)
        months = set(months)
        if operation is ...:
            rows = ((m, line, amount) for (_op, m, line), amount in self.movements.items())
        else:
            rows = iter(self._by_operation.get(operation, ()))
        return sum(
            (amount for month, line, amount in rows if line in lines and month in months),
            ZERO,
        )

    def net_cost(self, operation_id: int | None, month: int) -> Decimal:
        """A verksamhet's net cost in one month (positive: it cost the municipality)."""
        return self._sum(lines=OPERATING_LINES, months=(month,), operation=operation_id)

    def net_cost_through(self, operation_id: int | None, month: int) -> Decimal:
        return self._sum(lines=OPERATING_LINES, months=range(1, month + 1), operation=operation_id)

    def income_statement(self, through_month: int = 12) -> dict[StatementLine, Decimal]:
        """The income statement through a month, as reports show it: income positive."""
        months = range(1, through_month + 1)
        return {line: -self._sum(lines=(line,), months=months) for line in INCOME_STATEMENT_LINES}

    def result(self, through_month: int = 12) -> Decimal:
        return sum(self.income_statement(through_month).values(), ZERO)

    def balance_sheet(self, month: int = 12) -> dict[StatementLine, Decimal]:
        """Balances at the end of a month, in the accounting's sign (assets positive)."""
        months = range(1, month + 1)
        return {
            line: self.opening.get(line, ZERO) + self._sum(lines=(line,), months=months)
            for line in BALANCE_SHEET_LINES
        }

    # --- budget ----------------------------------------------------------------------------

    def frame(self, operation_id: int) -> Decimal | None:
        return self.frames.get(operation_id)

    def profile(self, operation_id: int | None) -> tuple[Decimal, ...]:
        return self.profiles.get(operation_id) or tuple(Decimal(1) / 12 for _ in MONTHS)

    def budget_for_month(self, operation_id: int, month: int) -> Decimal | None:
        frame = self.frame(operation_id)
        if frame is None:
            return None
        return (frame * self.profile(operation_id)[month - 1]).quantize(Decimal("0.01"))

    def budget_through(self, operation_id: int, month: int) -> Decimal | None:
        frame = self.frame(operation_id)
        if frame is None:
            return None
        share = sum(self.profile(operation_id)[:month], ZERO)
        return (frame * share).quantize(Decimal("0.01"))

    def budgeted_revenue(self) -> Decimal:
        """Skatteintäkter and generella statsbidrag och utjämning as budgeted."""
        return self.municipal_budget.get(StatementLine.TAX_REVENUE, ZERO) + (
            self.municipal_budget.get(StatementLine.GENERAL_GRANTS, ZERO)
        )

    def budgeted_result(self) -> Decimal:
        result = -sum(self.frames.values(), ZERO)
        for line in MUNICIPAL_BUDGET_LINES:
            amount = self.municipal_budget.get(line, ZERO)
            result += amount if StatementLine(line).is_income else -amount
        return result

    # --- forecasts ---------------------------------------------------------------------------

    def projection(self, operation_id: int | None, month: int) -> Decimal | None:
        """The year-end net cost if the rest of the year goes as the year so far, measured by
        the budget's own profile over the months (straight-line when it has none)."""
        if self.latest_month is None:
            return None
        month = min(month, self.latest_month)  # a later month: from the outcome there is
        share = sum(self.profile(operation_id)[:month], ZERO)
        if not share or month not in self.months_with_outcome:
            return None
        if not any(
            m <= month and line in OPERATING_LINES
            for m, line, _amount in self._by_operation.get(operation_id, ())
        ):
            return None  # nothing booked on it yet: no basis to carry over the year
        return (self.net_cost_through(operation_id, month) / share).quantize(Decimal("0.01"))

    def forecast(self, operation_id: int, month: int) -> Forecast | None:
        """The verksamhet's latest forecast made at or before the month."""
        for candidate in range(month, 0, -1):
            found = self.forecasts.get((operation_id, candidate))
            if found is not None:
                return found
        return None

    def forecast_result(self, month: int) -> Decimal | None:
        """The municipality's result for the year as forecast at the month: the budgeted
        municipal lines, minus each verksamhet's forecast (its projection where it made none,
        its frame where there is no outcome either), minus the projected net cost booked on
        no verksamhet (common items such as pensions, which have no frame)."""
        if not self.has_adopted_budget:
            return None
        result = self.budgeted_result() + sum(self.frames.values(), ZERO)
        for operation in self.operations:
            forecast = self.forecast(operation.pk, month)
            if forecast is not None:
                result -= forecast.amount
            else:
                projected = self.projection(operation.pk, month)
                result -= (
                    projected if projected is not None else self.frames.get(operation.pk, ZERO)
                )
        common = self.projection(None, month)
        if common is not None:
            result -= common
        return result

    # --- financial indicators ----------------------------------------------------------------

    def indicators(self, month: int = 12) -> dict[FinancialIndicator, Decimal | None]:
        """The financial goals' measures through a month, in per cent (docs/economy.md)."""
        statement = self.income_statement(month)
        balances = self.balance_sheet(month)
        revenue = statement[StatementLine.TAX_REVENUE] + statement[StatementLine.GENERAL_GRANTS]
        result = sum(statement.values(), ZERO)
        net_cost = -(
            statement[StatementLine.OPERATING_INCOME]
            + statement[StatementLine.OPERATING_COST]
            + statement[StatementLine.DEPRECIATION]
        )
        depreciation = -statement[StatementLine.DEPRECIATION]
        fixed_asset_change = self._sum(
            lines=(StatementLine.FIXED_ASSETS,), months=range(1, month + 1)
        )
        investments = fixed_asset_change + depreciation
        assets = sum(
            (
                balances[line]
                for line in (
                    StatementLine.FIXED_ASSETS,
                    StatementLine.INVENTORIES,
                    StatementLine.RECEIVABLES,
                    StatementLine.SHORT_TERM_INVESTMENTS,
                    StatementLine.CASH,
                )
            ),
            ZERO,
        )
        quick_assets = (
            balances[StatementLine.RECEIVABLES]
            + balances[StatementLine.SHORT_TERM_INVESTMENTS]
            + balances[StatementLine.CASH]
        )
        # Equity includes the year's result so far: the accounts close it into equity only
        # at the year's end, by a booking on an account outside the statements (89,
        # årets resultat) that is then taken off again here.
        closed = self._sum(lines=(StatementLine.OUTSIDE,), months=range(1, month + 1))
        equity = -balances[StatementLine.EQUITY] + result - closed
        return {
            FinancialIndicator.RESULT_SHARE: percent(result, revenue),
            FinancialIndicator.NET_COST_SHARE: percent(net_cost, revenue),
            FinancialIndicator.SELF_FINANCING: (
                percent(result + depreciation, investments) if investments > 0 else None
            ),
            FinancialIndicator.EQUITY_RATIO: percent(equity, assets),
            FinancialIndicator.QUICK_RATIO: percent(
                quick_assets, -balances[StatementLine.CURRENT_LIABILITIES]
            ),
        }


def _operation_finder(operations: list[OrgUnit]):
    """unit path → the id of the verksamhet it is part of (None: above or outside them)."""
    paths = sorted(((op.path, op.pk) for op in operations), key=lambda p: -len(p[0]))
    cache: dict[str | None, int | None] = {}

    def owner(path: str | None) -> int | None:
        if path not in cache:
            cache[path] = next(
                (pk for op_path, pk in paths if path and path.startswith(op_path)), None
            )
        return cache[path]

    return owner
