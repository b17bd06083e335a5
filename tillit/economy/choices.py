"""The economy's vocabulary: Kommun-Bas classes, the lines of the statements, comparisons."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    """SIE's #KTYP."""

    ASSET = "T", _("Asset")
    LIABILITY = "S", _("Liability")
    COST = "K", _("Cost")
    INCOME = "I", _("Income")


# Kommun-Bas: the first digit of an account number is its class.
ACCOUNT_CLASSES: dict[int, str] = {
    0: _("Internal and other accounts"),
    1: _("Assets"),
    2: _("Equity, provisions and liabilities"),
    3: _("Operating income"),
    4: _("Operating costs"),
    5: _("Operating costs"),
    6: _("Operating costs"),
    7: _("Operating costs and depreciation"),
    8: _("Tax revenue, general grants and financial items"),
    9: _("Internal and other accounts"),
}


class StatementLine(models.TextChoices):
    """Where an account's amounts go: a line of the income statement or the balance sheet."""

    # Resultaträkningen
    OPERATING_INCOME = "operating_income", _("Operating income")
    OPERATING_COST = "operating_cost", _("Operating costs")
    DEPRECIATION = "depreciation", _("Depreciation and impairment")
    TAX_REVENUE = "tax_revenue", _("Tax revenue")
    GENERAL_GRANTS = "general_grants", _("General government grants and equalisation")
    FINANCIAL_INCOME = "financial_income", _("Financial income")
    FINANCIAL_COST = "financial_cost", _("Financial costs")
    EXTRAORDINARY = "extraordinary", _("Extraordinary items")
    # Balansräkningen
    FIXED_ASSETS = "fixed_assets", _("Fixed assets")
    INVENTORIES = "inventories", _("Inventories and development properties")
    RECEIVABLES = "receivables", _("Current receivables")
    SHORT_TERM_INVESTMENTS = "short_term_investments", _("Short-term investments")
    CASH = "cash", _("Cash and bank")
    EQUITY = "equity", _("Equity")
    PROVISIONS = "provisions", _("Provisions")
    LONG_TERM_LIABILITIES = "long_term_liabilities", _("Long-term liabilities")
    CURRENT_LIABILITIES = "current_liabilities", _("Current liabilities")
    # Neither
    OUTSIDE = "outside", _("Not in the statements")

    @property
    def is_income_statement(self) -> bool:
        return self in INCOME_STATEMENT_LINES

    @property
    def is_balance_sheet(self) -> bool:
        return self in BALANCE_SHEET_LINES

    @property
    def is_income(self) -> bool:
        """An income line: entered and shown positive when it adds to the result."""
        return self in (
            StatementLine.OPERATING_INCOME,
            StatementLine.TAX_REVENUE,
            StatementLine.GENERAL_GRANTS,
            StatementLine.FINANCIAL_INCOME,
        )


INCOME_STATEMENT_LINES: tuple[StatementLine, ...] = (
    StatementLine.OPERATING_INCOME,
    StatementLine.OPERATING_COST,
    StatementLine.DEPRECIATION,
    StatementLine.TAX_REVENUE,
    StatementLine.GENERAL_GRANTS,
    StatementLine.FINANCIAL_INCOME,
    StatementLine.FINANCIAL_COST,
    StatementLine.EXTRAORDINARY,
)
# The lines a verksamhet's net cost is made of (its frame covers them).
OPERATING_LINES: tuple[StatementLine, ...] = (
    StatementLine.OPERATING_INCOME,
    StatementLine.OPERATING_COST,
    StatementLine.DEPRECIATION,
)
BALANCE_SHEET_LINES: tuple[StatementLine, ...] = (
    StatementLine.FIXED_ASSETS,
    StatementLine.INVENTORIES,
    StatementLine.RECEIVABLES,
    StatementLine.SHORT_TERM_INVESTMENTS,
    StatementLine.CASH,
    StatementLine.EQUITY,
    StatementLine.PROVISIONS,
    StatementLine.LONG_TERM_LIABILITIES,
    StatementLine.CURRENT_LIABILITIES,
)
# Budget lines the municipality as a whole decides beside the verksamheters frames.
MUNICIPAL_BUDGET_LINES: tuple[StatementLine, ...] = (
    StatementLine.TAX_REVENUE,
    StatementLine.GENERAL_GRANTS,
    StatementLine.FINANCIAL_INCOME,
    StatementLine.FINANCIAL_COST,
)

# Kommun-Bas account groups (first two digits) → line. The longest prefix wins.
_DEFAULT_LINES: tuple[tuple[str, StatementLine], ...] = (
    ("10", StatementLine.FIXED_ASSETS),
    ("11", StatementLine.FIXED_ASSETS),
    ("12", StatementLine.FIXED_ASSETS),
    ("13", StatementLine.FIXED_ASSETS),
    ("14", StatementLine.INVENTORIES),
    ("15", StatementLine.RECEIVABLES),
    ("16", StatementLine.RECEIVABLES),
    ("17", StatementLine.RECEIVABLES),
    ("18", StatementLine.SHORT_TERM_INVESTMENTS),
    ("19", StatementLine.CASH),
    ("20", StatementLine.EQUITY),
    ("21", StatementLine.EQUITY),
    ("22", StatementLine.PROVISIONS),
    ("23", StatementLine.LONG_TERM_LIABILITIES),
    ("24", StatementLine.CURRENT_LIABILITIES),
    ("25", StatementLine.CURRENT_LIABILITIES),
    ("26", StatementLine.CURRENT_LIABILITIES),
    ("27", StatementLine.CURRENT_LIABILITIES),
    ("28", StatementLine.CURRENT_LIABILITIES),
    ("29", StatementLine.CURRENT_LIABILITIES),
    ("3", StatementLine.OPERATING_INCOME),
    ("4", StatementLine.OPERATING_COST),
    ("5", StatementLine.OPERATING_COST),
    ("6", StatementLine.OPERATING_COST),
    ("7", StatementLine.OPERATING_COST),
    ("78", StatementLine.DEPRECIATION),
    ("80", StatementLine.TAX_REVENUE),
    ("81", StatementLine.TAX_REVENUE),
    ("82", StatementLine.GENERAL_GRANTS),
    ("83", StatementLine.GENERAL_GRANTS),
    ("84", StatementLine.FINANCIAL_INCOME),
    ("85", StatementLine.FINANCIAL_COST),
    ("86", StatementLine.EXTRAORDINARY),
    ("87", StatementLine.EXTRAORDINARY),
)


def default_line(number: str) -> StatementLine:
    """The line Kommun-Bas puts an account on (89 årets resultat, class 0 and 9: outside)."""
    best, line = "", StatementLine.OUTSIDE
    for prefix, candidate in _DEFAULT_LINES:
        if number.startswith(prefix) and len(prefix) > len(best):
            best, line = prefix, candidate
    return line


def account_class(number: str) -> int | None:
    return int(number[0]) if number[:1].isdigit() else None


class Comparator(models.TextChoices):
    AT_LEAST = "gte", _("at least")
    AT_MOST = "lte", _("at most")

    def satisfied(self, value: Decimal | None, target: Decimal) -> bool | None:
        if value is None:
            return None
        return value >= target if self is Comparator.AT_LEAST else value <= target

    @property
    def symbol(self) -> str:
        return "≥" if self is Comparator.AT_LEAST else "≤"


class BudgetKind(models.TextChoices):
    BUDGET = "budget", _("Budget and economic plan")
    SUPPLEMENTARY = "supplementary", _("Supplementary budget")


class ImportSource(models.TextChoices):
    SIE = "sie", _("SIE file")
    CSV = "csv", _("CSV file")


class FinancialIndicator(models.TextChoices):
    """What a financial goal is measured by, computed from the accounts (docs/economy.md)."""

    RESULT_SHARE = "result_share", _("Result as a share of tax revenue and general grants")
    NET_COST_SHARE = "net_cost_share", _("Net costs as a share of tax revenue and general grants")
    SELF_FINANCING = "self_financing", _("Self-financing of investments")
    EQUITY_RATIO = "equity_ratio", _("Equity ratio")
    QUICK_RATIO = "quick_ratio", _("Quick ratio")


class PolicyArea(models.TextChoices):
    """The finance policy's areas (seed: styrning-och-uppfoljning, Finanspolicy)."""

    MUNICIPAL_ACCOUNT = "municipal_account", _("Municipal account")
    LIQUIDITY = "liquidity", _("Liquidity")
    BORROWING = "borrowing", _("Borrowing")
    LENDING = "lending", _("Lending")
    PLACEMENT = "placement", _("Investment of funds")
    GUARANTEES = "guarantees", _("Guarantees")


class LimitUnit(models.TextChoices):
    KRONOR = "kr", _("kronor")
    PERCENT = "percent", _("per cent")
    DAYS = "days", _("days")
    YEARS = "years", _("years")
