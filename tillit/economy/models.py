"""Economy: budget and economic plan by decision, the chart of accounts, monthly outcome,
forecasts, financial goals (god ekonomisk hushållning), the balanskravsutredning and the
finance policy's limits.

Amounts are Swedish kronor with öre, in the accounting's own sign: costs and assets are
positive, income, liabilities and equity negative (as in SIE). A verksamhet's net cost is
then the plain sum of its operating accounts, and the municipality's result is minus the
sum of the income statement. Budget amounts are typed as people say them (a frame of
190 000 tkr, tax revenue of 301 000 tkr) and get their sign from their line.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.core.choices import Fulfilment, UnitKind
from tillit.core.models import Decision, Organisation, OrgUnit

from .choices import (
    AccountKind,
    BudgetKind,
    Comparator,
    FinancialIndicator,
    ImportSource,
    LimitUnit,
    PolicyArea,
    StatementLine,
    account_class,
)

MONTH_VALIDATORS = [MinValueValidator(1), MaxValueValidator(12)]


def _amount(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, **kwargs)


class Account(models.Model):
    """An account of the chart (kontoplan), by Kommun-Bas, and the line it is reported on."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="accounts",
        verbose_name=_("organisation"),
    )
    number = models.CharField(_("account number"), max_length=10)
    name = models.CharField(_("name"), max_length=200, blank=True)
    kind = models.CharField(
        _("account type"), max_length=1, choices=AccountKind.choices, blank=True
    )
    line = models.CharField(
        _("statement line"),
        max_length=30,
        choices=StatementLine.choices,
        help_text=_(
            "The line of the income statement or balance sheet the account is reported on."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["organisation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"],
                name="account_number_unique",
                violation_error_message=_("The chart of accounts already has this account."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    @property
    def account_class(self) -> int | None:
        return account_class(self.number)


class CostObject(models.Model):
    """An object of a dimension in the accounting (kostnadsställe, projekt, …): SIE's #OBJEKT.

    Mapped to the unit whose outcome it is; outcome on an object without a unit belongs to
    the municipality as a whole (finansförvaltningen)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="cost_objects",
        verbose_name=_("organisation"),
    )
    dimension = models.PositiveSmallIntegerField(
        _("dimension"), default=1, help_text=_("SIE dimension: 1 is the cost centre.")
    )
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cost_objects",
        verbose_name=_("unit"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("cost object")
        verbose_name_plural = _("cost objects")
        ordering = ["organisation", "dimension", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "dimension", "code"],
                name="cost_object_unique",
                violation_error_message=_("This dimension already has an object with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    def clean(self) -> None:
        if self.unit_id and self.unit.organisation_id != self.organisation_id:
            raise ValidationError({"unit": _("The unit belongs to another organisation.")})


class OutcomeImport(models.Model):
    """One file of outcome read into the ledger: who, when, what it covered and replaced."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="outcome_imports",
        verbose_name=_("organisation"),
    )
    source = models.CharField(_("source"), max_length=10, choices=ImportSource.choices)
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64)
    year = models.PositiveIntegerField(_("year"))
    first_month = models.PositiveSmallIntegerField(_("first month"), validators=MONTH_VALIDATORS)
    last_month = models.PositiveSmallIntegerField(_("last month"), validators=MONTH_VALIDATORS)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outcome import")
        verbose_name_plural = _("outcome imports")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.year})"


class Outcome(models.Model):
    """The ledger, per month: the movement on one account at one unit (none: the whole
    municipality). Balance accounts too, so balances at a month's end are IB + movements."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("organisation"),
    )
    year = models.PositiveIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("account")
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("unit"),
    )
    amount = _amount(_("amount"))
    source = models.ForeignKey(
        OutcomeImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["year", "month", "account__number"]
        indexes = [models.Index(fields=["organisation", "year", "month"], name="outcome_period")]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.account.number}: {self.amount}"


class OpeningBalance(models.Model):
    """A balance account's ingående balans for a year (SIE #IB 0)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="opening_balances",
        verbose_name=_("organisation"),
    )
    year = models.PositiveIntegerField(_("year"))
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="opening_balances",
        verbose_name=_("account"),
    )
    amount = _amount(_("amount"))
    source = models.ForeignKey(
        OutcomeImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"IB {self.year} {self.account_id}: {self.amount}"

    class Meta:
        verbose_name = _("opening balance")
        verbose_name_plural = _("opening balances")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "account"], name="opening_balance_unique"
            )
        ]


class PeriodBudget(models.Model):
    """The accounting's own month budget (SIE #PBUDGET): only its profile over the year is
    used, to spread a decided frame over the months."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="period_budgets"
    )
    year = models.PositiveIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="period_budgets")
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="period_budgets"
    )
    amount = _amount(_("amount"))
    source = models.ForeignKey(
        OutcomeImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.account_id}: {self.amount}"

    class Meta:
        verbose_name = _("period budget")
        verbose_name_plural = _("period budgets")
        indexes = [models.Index(fields=["organisation", "year"], name="period_budget_year")]


class BudgetDocument(models.Model):
    """A budget decision: "Budget 2027 och ekonomisk plan 2028–2029" (KF, November), or a
    tilläggsbudget changing a year's frames. Its lines only change by a new decision."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="budgets",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BudgetKind.choices)
    year = models.PositiveIntegerField(_("budget year"))
    title = models.CharField(_("title"), max_length=200)
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("decision")
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "decision__date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=Q(kind=BudgetKind.BUDGET),
                name="one_budget_per_year",
                violation_error_message=_(
                    "This year already has an adopted budget; change it by a supplementary budget."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def plan_years(self) -> tuple[int, ...]:
        """The years the document decides: the budget year and, for a budget, the economic
        plan's two years after it."""
        if self.kind == BudgetKind.BUDGET:
            return (self.year, self.year + 1, self.year + 2)
        return (self.year,)

    def clean(self) -> None:
        if self.decision_id and self.decision.organisation_id != self.organisation_id:
            raise ValidationError({"decision": _("The decision belongs to another organisation.")})


class BudgetLine(models.Model):
    """One amount of a budget document: a verksamhet's frame (net cost), or a line the
    municipality budgets as a whole (tax revenue, general grants, financial items). In a
    tilläggsbudget, the change."""

    document = models.ForeignKey(
        BudgetDocument, on_delete=models.CASCADE, related_name="lines", verbose_name=_("budget")
    )
    year = models.PositiveIntegerField(_("year"))
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("operation"),
        limit_choices_to={"kind": UnitKind.OPERATION},
    )
    line = models.CharField(
        _("statement line"), max_length=30, choices=StatementLine.choices, blank=True
    )
    amount = _amount(_("amount"))
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["document", "year", "unit__order", "line"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(line=""))
                | (Q(unit__isnull=True) & ~Q(line="")),
                name="budget_line_unit_or_line",
                violation_error_message=_(
                    "A budget line is either an operation's frame or a line."
                ),
            ),
            models.UniqueConstraint(
                fields=["document", "year", "unit"],
                condition=Q(unit__isnull=False),
                name="budget_line_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["document", "year", "line"],
                condition=~Q(line=""),
                name="budget_line_line_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.unit or self.get_line_display()}: {self.amount}"


class Forecast(models.Model):
    """A verksamhet's forecast (prognos) of its year-end net cost, as of a month."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="forecasts",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="forecasts",
        verbose_name=_("operation"),
        limit_choices_to={"kind": UnitKind.OPERATION},
    )
    year = models.PositiveIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    amount = _amount(_("forecast net cost for the year"))
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        ordering = ["year", "month", "unit__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "month"],
                name="forecast_unique",
                violation_error_message=_("This operation already has a forecast for this month."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}-{self.month:02d}"


class FinancialGoal(models.Model):
    """A financial goal for god ekonomisk hushållning, decided with a target, e.g. "Årets
    resultat ska vara minst 2 procent av skatteintäkter och generella statsbidrag"."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="financial_goals",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=30, choices=FinancialIndicator.choices)
    comparator = models.CharField(
        _("comparison"), max_length=3, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    target = models.DecimalField(_("target (per cent)"), max_digits=8, decimal_places=2)
    first_year = models.PositiveIntegerField(_("from year"))
    last_year = models.PositiveIntegerField(_("to year"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        related_name="financial_goals",
        verbose_name=_("decision"),
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("financial goal")
        verbose_name_plural = _("financial goals")
        ordering = ["organisation", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def applies_to(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)

    def is_met(self, value: Decimal | None) -> bool | None:
        return Comparator(self.comparator).satisfied(value, self.target)

    def clean(self) -> None:
        if self.last_year is not None and self.last_year < self.first_year:
            raise ValidationError({"last_year": _("The last year comes before the first.")})


class FinancialGoalAssessment(models.Model):
    """A financial goal assessed at a month (tertial, delår, helår): the value computed from
    the accounts then, kept as it was, and the economist's judgement."""

    goal = models.ForeignKey(
        FinancialGoal, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("goal")
    )
    year = models.PositiveIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH_VALIDATORS)
    value = models.DecimalField(
        _("outcome"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    forecast_value = models.DecimalField(
        _("forecast for the year"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fulfilment = models.CharField(
        _("assessment"), max_length=20, choices=Fulfilment.choices, default=Fulfilment.NOT_ASSESSED
    )
    comment = models.TextField(_("analysis"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    def __str__(self) -> str:
        return f"{self.goal} {self.year}-{self.month:02d}"

    class Meta:
        verbose_name = _("financial goal assessment")
        verbose_name_plural = _("financial goal assessments")
        ordering = ["goal", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "year", "month"],
                name="financial_assessment_unique",
                violation_error_message=_("The goal is already assessed for this month."),
            )
        ]


class BalanceRequirement(models.Model):
    """The balanskravsutredning of one year (kommunallagen 11 kap., LKBR).

    Årets resultat − samtliga realisationsvinster + realisationsvinster och -förluster enligt
    undantagsmöjlighet − orealiserade förluster i värdepapper + återföring av sådana
    = årets resultat efter balanskravsjusteringar; − reservering till och + användning av
    resultatutjämningsreserven = balanskravsresultat. Adjustments are entered positive."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="balance_requirements",
        verbose_name=_("organisation"),
    )
    year = models.PositiveIntegerField(_("year"))
    result = _amount(
        _("result for the year"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the result computed from the accounts."),
    )
    realisation_gains = _amount(_("all realisation gains"), default=Decimal(0))
    exempt_realisation_gains = _amount(
        _("realisation gains under the exemption"), default=Decimal(0)
    )
    exempt_realisation_losses = _amount(
        _("realisation losses under the exemption"), default=Decimal(0)
    )
    unrealised_losses = _amount(_("unrealised losses on securities"), default=Decimal(0))
    unrealised_losses_reversed = _amount(
        _("reversal of unrealised losses on securities"), default=Decimal(0)
    )
    reserve_provision = _amount(
        _("provision to the result equalisation reserve"), default=Decimal(0)
    )
    reserve_use = _amount(_("use of the result equalisation reserve"), default=Decimal(0))
    waiver_decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision on exceptional reasons"),
        help_text=_("A decision that a deficit of this year need not be restored."),
    )
    comment = models.TextField(_("comment"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("balance requirement review")
        verbose_name_plural = _("balance requirement reviews")
        ordering = ["organisation", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="balance_requirement_unique",
                violation_error_message=_("This year already has a balance requirement review."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}"

    def adjusted_result(self, result: Decimal) -> Decimal:
        """Årets resultat efter balanskravsjusteringar."""
        return (
            result
            - self.realisation_gains
            + self.exempt_realisation_gains
            + self.exempt_realisation_losses
            - self.unrealised_losses
            + self.unrealised_losses_reversed
        )

    def balance_result(self, result: Decimal) -> Decimal:
        """Balanskravsresultat."""
        return self.adjusted_result(result) - self.reserve_provision + self.reserve_use


class PolicyLimit(models.Model):
    """A limit of the finance policy, e.g. "Likviditeten ska motsvara minst 30 dagars
    utbetalningar" or "Upplåningen får uppgå till högst 150 000 tkr"."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="policy_limits",
        verbose_name=_("organisation"),
    )
    area = models.CharField(_("area"), max_length=30, choices=PolicyArea.choices)
    title = models.CharField(_("title"), max_length=300)
    comparator = models.CharField(
        _("comparison"), max_length=3, choices=Comparator.choices, default=Comparator.AT_MOST
    )
    limit = models.DecimalField(_("limit"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10, choices=LimitUnit.choices)
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="policy_limits", verbose_name=_("decision")
    )
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("finance policy limit")
        verbose_name_plural = _("finance policy limits")
        ordering = ["organisation", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_breached(self, value: Decimal | None) -> bool:
        return Comparator(self.comparator).satisfied(value, self.limit) is False


class PolicyOutcome(models.Model):
    """A limit's outcome at a date, as the treasury reports it."""

    limit = models.ForeignKey(
        PolicyLimit, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("limit")
    )
    date = models.DateField(_("date"))
    value = models.DecimalField(_("outcome"), max_digits=16, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.limit} {self.date}: {self.value}"

    class Meta:
        verbose_name = _("finance policy outcome")
        verbose_name_plural = _("finance policy outcomes")
        ordering = ["limit", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["limit", "date"],
                name="policy_outcome_unique",
                violation_error_message=_("The limit already has an outcome for this date."),
            )
        ]

    @property
    def breached(self) -> bool:
        return self.limit.is_breached(self.value)
