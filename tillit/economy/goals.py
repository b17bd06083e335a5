"""God ekonomisk hushållning: the financial goals, the balanskravsutredning and the finance
policy's limits, computed for the pages and for the monthly report to kommunstyrelsen.

Financial goals (finansiella mål). Kommunallagen (11 kap. 1 §) requires god ekonomisk
hushållning, and the budget (11 kap. 6 §) to give the financial goals that matter for
it. KF decides them in the budget with a target, e.g. "Årets resultat ska uppgå till minst
2 procent av skatteintäkter och generella statsbidrag", "Investeringarna ska vara
självfinansierade till minst 80 procent", "Soliditeten ska vara minst 30 procent",
"Kassalikviditeten ska vara minst 80 procent". Each is measured by an indicator computed
from the accounts (`YearLedger.indicators`). At the follow-ups of the year (tertial 1 in
April, the delårsrapport in August, the årsredovisning in December, or any month) the
economist assesses every goal: the value computed then is kept as it was, with a forecast
for the year where one can be made (the result share: the forecast result over the
budgeted tax revenue and general grants), and the economist's judgement and analysis.

Balanskravet (KL 11 kap. 5 § and 12 §, LKBR). The balanskravsutredning of a year:

    Årets resultat
    − samtliga realisationsvinster
    + realisationsvinster enligt undantagsmöjlighet
    + realisationsförluster enligt undantagsmöjlighet
    − orealiserade förluster i värdepapper
    + återföring av orealiserade förluster i värdepapper
    = Årets resultat efter balanskravsjusteringar
    − reservering av medel till resultatutjämningsreserv
    + användning av medel från resultatutjämningsreserv
    = Balanskravsresultat

A negative balanskravsresultat is a deficit that must be restored (återställas) within the
three following years, unless KF decides there are synnerliga skäl not to. Deficits are
restored oldest first by later positive balanskravsresultat (`deficit_schedule`).

The finance policy (finanspolicy, kommunstyrelsens föreskrifter för medelsförvaltningen):
limits for the kommunkonto, likviditet, upplåning, utlåning, medelsplacering and
borgensåtaganden, each followed up by the outcomes the treasury reports. An outcome that
violates its limit is a breach and is flagged.

Everything here reads a constant number of queries whatever the number of goals, years,
limits or outcomes.
"""

from __future__ import annotations

from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tillit.core.choices import Fulfilment
from tillit.core.models import Decision, Organisation
from tillit.measures.charts import format_number

from .choices import INCOME_STATEMENT_LINES, Comparator, FinancialIndicator, LimitUnit, PolicyArea
from .fields import to_tkr
from .ledger import ZERO, YearLedger, percent
from .models import (
    BalanceRequirement,
    FinancialGoal,
    FinancialGoalAssessment,
    Outcome,
    PolicyLimit,
    PolicyOutcome,
)

# KL 11 kap. 12 §: a deficit is restored within the three years after the year it arose.
RESTORE_YEARS = 3
# The follow-ups of a year at which the goals are usually assessed: tertial 1, delår, helår.
ASSESSMENT_MONTHS = (4, 8, 12)


# ------------------------------------------------------------------------- financial goals


def goals_for_year(organisation: Organisation, year: int) -> list[FinancialGoal]:
    """The financial goals that apply to the year, in their order (one query)."""
    return list(
        FinancialGoal.objects.filter(organisation=organisation, first_year__lte=year)
        .filter(Q(last_year__isnull=True) | Q(last_year__gte=year))
        .select_related("decision__body")
        .order_by("order", "pk")
    )


def goal_forecast(goal: FinancialGoal, ledger: YearLedger, month: int) -> Decimal | None:
    """The goal's value for the whole year as forecast at the month, where one can be made:
    for the result share, the forecast result over the budgeted tax revenue and general
    grants. The balance-sheet measures have no forecast."""
    if goal.indicator != FinancialIndicator.RESULT_SHARE:
        return None
    return percent(ledger.forecast_result(month), ledger.budgeted_revenue())


def goal_value(goal: FinancialGoal, ledger: YearLedger, month: int) -> Decimal | None:
    """The goal's indicator computed from the accounts through the month; None before
    there is outcome through it."""
    latest = ledger.latest_month
    if latest is None or month > latest:
        return None
    return ledger.indicators(month)[FinancialIndicator(goal.indicator)]


def proposed_fulfilment(goal: FinancialGoal, value: Decimal | None) -> Fulfilment:
    """What the figures say: met or not met by the value; not assessed without one. The
    economist decides (e.g. "partly" when the forecast points elsewhere)."""
    met = goal.is_met(value)
    if met is None:
        return Fulfilment.NOT_ASSESSED
    return Fulfilment.MET if met else Fulfilment.NOT_MET


def target_text(goal: FinancialGoal) -> str:
    """ "≥ 2,0 %"."""
    return f"{Comparator(goal.comparator).symbol}\u00a0{format_number(goal.target, 1)}\u00a0%"


@dataclass
class GoalRow:
    goal: FinancialGoal
    target: str
    month: int | None  # the month the value is computed through
    value: Decimal | None
    met: bool | None
    forecast: Decimal | None
    forecast_met: bool | None
    assessments: list[FinancialGoalAssessment]  # of the year (through the month), by month
    latest: FinancialGoalAssessment | None  # the latest of them

    @property
    def fulfilment(self) -> Fulfilment:
        return Fulfilment(self.latest.fulfilment) if self.latest else Fulfilment.NOT_ASSESSED


def goal_rows(
    organisation: Organisation, ledger: YearLedger, month: int | None = None
) -> list[GoalRow]:
    """The year's goals with their values through the month (default: the latest month with
    outcome), their forecasts and the assessments made at or before it (two queries)."""
    year = ledger.year
    goals = goals_for_year(organisation, year)
    month = month if month is not None else ledger.latest_month
    assessments: dict[int, list[FinancialGoalAssessment]] = defaultdict(list)
    found = FinancialGoalAssessment.objects.filter(
        goal__in=[g.pk for g in goals], year=year
    ).select_related("assessed_by")
    if month is not None:
        found = found.filter(month__lte=month)
    for assessment in found.order_by("month"):
        assessments[assessment.goal_id].append(assessment)
    values = ledger.indicators(month) if month and month <= (ledger.latest_month or 0) else {}
    rows = []
    for goal in goals:
        value = values.get(FinancialIndicator(goal.indicator)) if values else None
        forecast = goal_forecast(goal, ledger, month) if month else None
        own = assessments.get(goal.pk, [])
        for assessment in own:
            assessment.goal = goal  # no query for it in the templates
            assessment.fulfilment_choice = Fulfilment(assessment.fulfilment)
        rows.append(
            GoalRow(
                goal=goal,
                target=target_text(goal),
                month=month if values else None,
                value=value,
                met=goal.is_met(value),
                forecast=forecast,
                forecast_met=goal.is_met(forecast),
                assessments=own,
                latest=own[-1] if own else None,
            )
        )
    return rows


def assessment_months(latest_month: int | None) -> list[int]:
    """The months a goal may be assessed at now: the usual follow-ups with outcome, and the
    latest month with outcome."""
    if latest_month is None:
        return []
    return sorted({m for m in ASSESSMENT_MONTHS if m <= latest_month} | {latest_month})


# ------------------------------------------------------------------------- balanskrav


@dataclass
class Deficit:
    """A negative balanskravsresultat to restore within RESTORE_YEARS years."""

    year: int
    amount: Decimal  # positive: the size of the deficit
    waiver: Decision | None = None
    waived: bool = False
    restored: Decimal = ZERO
    restorations: list[tuple[int, Decimal]] = field(default_factory=list)
    restored_year: int | None = None  # the year it was fully restored
    restored_in_forecast: bool = False  # … by that year's forecast, not its closed accounts
    late: bool = False  # its deadline passed with some of it left

    @property
    def deadline(self) -> int:
        return self.year + RESTORE_YEARS

    @property
    def remaining(self) -> Decimal:
        return ZERO if self.waived else self.amount - self.restored

    @property
    def is_open(self) -> bool:
        return not self.waived and self.remaining > 0


@dataclass
class ScheduleInput:
    year: int
    balance_result: Decimal | None
    waiver: Decision | None = None
    waived: bool = False
    forecast: bool = False  # a forecast, not a closed year: restores, but judges no deadline


@dataclass
class ScheduleYear:
    year: int
    balance_result: Decimal | None
    forecast: bool
    opened: Deficit | None  # the deficit that arose this year
    restored: Decimal  # of earlier deficits, by this year's surplus
    restorations: list[tuple[Deficit, Decimal]]
    outstanding: Decimal  # left to restore of all deficits at the end of the year
    overdue: list[Deficit]  # deficits past their deadline with some left, at the year's end


def deficit_schedule(rows: Iterable[ScheduleInput]) -> list[ScheduleYear]:
    """The years in order, with the deficits they opened and restored.

    A negative balanskravsresultat opens a deficit of its size, to be restored by the end of
    the third year after (KL 11 kap. 12 §); one waived by KF's decision on synnerliga skäl
    is not to be restored. A positive balanskravsresultat restores the open deficits oldest
    first (FIFO), in part or in whole; one past its deadline is still owed and still
    restored. A deficit left at the end of its deadline year (or of the first closed year
    after it, when years are missing) is marked late: "ej återställt i tid". Years without a
    result change nothing. A forecast year restores like any other but passes no judgement
    on deadlines, since the year is not over.
    """
    deficits: list[Deficit] = []
    schedule = []
    for row in sorted(rows, key=lambda r: r.year):
        opened = None
        restorations: list[tuple[Deficit, Decimal]] = []
        result = row.balance_result
        if result is not None and result > 0:
            available = result
            for deficit in deficits:
                if available <= 0:
                    break
                if not deficit.is_open or deficit.year >= row.year:
                    continue
                share = min(available, deficit.remaining)
                deficit.restored += share
                deficit.restorations.append((row.year, share))
                available -= share
                restorations.append((deficit, share))
                if deficit.remaining == 0:
                    deficit.restored_year = row.year
                    deficit.restored_in_forecast = row.forecast
        if result is not None and not row.forecast:
            for deficit in deficits:
                if deficit.is_open and deficit.deadline <= row.year:
                    deficit.late = True
        if result is not None and result < 0:
            opened = Deficit(
                year=row.year,
                amount=-result,
                waiver=row.waiver,
                waived=row.waived or row.waiver is not None,
            )
            deficits.append(opened)
        schedule.append(
            ScheduleYear(
                year=row.year,
                balance_result=result,
                forecast=row.forecast,
                opened=opened,
                restored=sum((share for _d, share in restorations), ZERO),
                restorations=restorations,
                outstanding=sum((d.remaining for d in deficits), ZERO),
                overdue=[d for d in deficits if d.late and d.is_open],
            )
        )
    return schedule


class ResultSource:
    ENTERED = "entered"  # typed into the balanskravsutredning
    ACCOUNTS = "accounts"  # the accounts through December
    FORECAST = "forecast"  # the year's forecast result at a month
    OUTCOME = "outcome"  # outcome through a month, the year not closed and no forecast


@dataclass
class BalanceYear:
    """One year's balanskravsutredning, its lines signed as they add up."""

    year: int
    requirement: BalanceRequirement  # unsaved (all zero) when the year has none
    result: Decimal | None
    source: str | None
    month: int | None  # the month a forecast or an outcome is at
    computed: Decimal | None  # the result from the accounts (or forecast) beside an entered one
    schedule: ScheduleYear | None = None

    @property
    def exists(self) -> bool:
        return self.requirement.pk is not None

    @property
    def is_forecast(self) -> bool:
        return self.source == ResultSource.FORECAST

    @property
    def adjusted_result(self) -> Decimal | None:
        return None if self.result is None else self.requirement.adjusted_result(self.result)

    @property
    def balance_result(self) -> Decimal | None:
        return None if self.result is None else self.requirement.balance_result(self.result)

    @property
    def lines(self) -> list[tuple[str, Decimal | None, bool]]:
        """(line text, signed amount, is a sum) as in the årsredovisning."""
        r = self.requirement
        return [
            (_("Result for the year"), self.result, True),
            (_("Less all realisation gains"), -r.realisation_gains, False),
            (
                _("Plus realisation gains under the exemption"),
                r.exempt_realisation_gains,
                False,
            ),
            (
                _("Plus realisation losses under the exemption"),
                r.exempt_realisation_losses,
                False,
            ),
            (_("Less unrealised losses on securities"), -r.unrealised_losses, False),
            (
                _("Plus reversal of unrealised losses on securities"),
                r.unrealised_losses_reversed,
                False,
            ),
            (
                _("Result for the year after balance requirement adjustments"),
                self.adjusted_result,
                True,
            ),
            (
                _("Less provision to the result equalisation reserve"),
                -r.reserve_provision,
                False,
            ),
            (_("Plus use of the result equalisation reserve"), r.reserve_use, False),
            (_("Balance requirement result"), self.balance_result, True),
        ]


def accounts_results(organisation: Organisation) -> dict[int, tuple[Decimal, int]]:
    """year → (the result from the accounts, the last month with outcome), one query. The
    result is minus the income statement's accounts, as `YearLedger.result`."""
    rows = (
        Outcome.objects.filter(organisation=organisation)
        .values("year")
        .annotate(
            last=Max("month"),
            total=Sum("amount", filter=Q(account__line__in=INCOME_STATEMENT_LINES)),
        )
        .order_by()
    )
    return {row["year"]: (-(row["total"] or ZERO), row["last"]) for row in rows}


def balance_years(
    organisation: Organisation,
    *,
    current: YearLedger | None = None,
    month: int | None = None,
) -> list[BalanceYear]:
    """Every year with a balanskravsutredning or outcome, oldest first, with the deficit
    schedule. A year's result is the one entered, else the accounts' through December. The
    latest year with outcome not yet closed gets its forecast result (at its latest month),
    or, passing `current` and `month`, the result forecast for that year at that month (the
    monthly report); years after `current` are left out. Constant number of queries."""
    requirements = {
        r.year: r
        for r in BalanceRequirement.objects.filter(organisation=organisation).select_related(
            "waiver_decision__body"
        )
    }
    accounts = accounts_results(organisation)
    years = set(requirements) | set(accounts)
    if current is not None:
        years = {y for y in years if y <= current.year} | {current.year}
    open_years = [y for y, (_r, last) in accounts.items() if last < 12]
    closed_years = [y for y, (_r, last) in accounts.items() if last == 12]
    forecast_year = current.year if current is not None else max(open_years, default=None)
    if (
        current is None
        and forecast_year is not None
        and forecast_year < max(closed_years, default=0)
    ):
        forecast_year = None  # an old year imported in part: no forecast to make of it
    result_rows = []
    for year in sorted(years):
        requirement = requirements.get(year) or BalanceRequirement(
            organisation=organisation, year=year
        )
        computed, source, at = None, None, None
        if (
            year in accounts
            and accounts[year][1] == 12
            and not (current is not None and year == current.year and (month or 12) < 12)
        ):
            computed, source = accounts[year][0], ResultSource.ACCOUNTS
        elif year == forecast_year:
            ledger = current if current is not None else YearLedger.load(organisation, year)
            at = month if current is not None else ledger.latest_month
            forecast = ledger.forecast_result(at) if at else None
            if forecast is not None:
                computed, source = forecast, ResultSource.FORECAST
            elif at and ledger.latest_month:
                computed, source = ledger.result(min(at, ledger.latest_month)), ResultSource.OUTCOME
        if requirement.result is not None:
            result, source_used = requirement.result, ResultSource.ENTERED
        else:
            result, source_used = computed, source
            if source == ResultSource.OUTCOME:
                result = None  # part of a year says nothing of the balance requirement
        result_rows.append(
            BalanceYear(
                year=year,
                requirement=requirement,
                result=result,
                source=source_used if result is not None else source,
                month=at,
                computed=computed,
            )
        )
    schedule = deficit_schedule(
        ScheduleInput(
            year=row.year,
            balance_result=row.balance_result,
            waiver=row.requirement.waiver_decision if row.requirement.waiver_decision_id else None,
            forecast=row.is_forecast,
        )
        for row in result_rows
    )
    for row, scheduled in zip(result_rows, schedule, strict=True):
        row.schedule = scheduled
    return result_rows


def deficit_status(deficit: Deficit) -> tuple[str, str]:
    """(text, colour of includes/status.html) for a deficit as things stand."""
    if deficit.waived:
        reference = deficit.waiver.reference if deficit.waiver else ""
        return _("Not to be restored: exceptional reasons (%(decision)s)") % {
            "decision": reference
        }, "grey"
    if deficit.remaining == 0:
        if deficit.restored_in_forecast:
            return _("Forecast to be restored in %(year)s") % {
                "year": deficit.restored_year
            }, "yellow"
        if deficit.restored_year is not None and deficit.restored_year > deficit.deadline:
            return _("Restored in %(year)s, after the deadline") % {
                "year": deficit.restored_year
            }, "yellow"
        return _("Restored in %(year)s") % {"year": deficit.restored_year}, "green"
    if deficit.late:
        return _("Not restored in time"), "red"
    return _("To be restored by %(year)s at the latest") % {"year": deficit.deadline}, "yellow"


# ------------------------------------------------------------------------- finance policy


def limit_value_text(value: Decimal | None, unit: str) -> str:
    """A limit or an outcome as it reads: "150 000 tkr", "2,5 %", "30 dagar", "3,5 år"."""
    if value is None:
        return format_number(None)
    if unit == LimitUnit.KRONOR:
        return _("%(amount)s tkr") % {"amount": format_number(to_tkr(value), 0)}
    if unit == LimitUnit.PERCENT:
        return f"{format_number(value, 1)}\u00a0%"
    number = format_number(value, 0 if value == value.to_integral_value() else 1)
    count = int(value) if value == value.to_integral_value() else 2
    if unit == LimitUnit.DAYS:
        return ngettext("%(number)s day", "%(number)s days", count) % {"number": number}
    return ngettext("%(number)s year", "%(number)s years", count) % {"number": number}


def limit_text(limit: PolicyLimit) -> str:
    """ "≤ 150 000 tkr"."""
    return f"{Comparator(limit.comparator).symbol}\u00a0{limit_value_text(limit.limit, limit.unit)}"


@dataclass
class LimitRow:
    limit: PolicyLimit
    text: str  # "≤ 150 000 tkr"
    outcomes: list[PolicyOutcome]  # newest first, each with .text and .is_breached
    latest: PolicyOutcome | None

    @property
    def breached(self) -> bool | None:
        return None if self.latest is None else self.latest.is_breached


def policy_rows(organisation: Organisation, through: date | None = None) -> list[LimitRow]:
    """The finance policy's limits with their outcomes (through a date), newest first; two
    queries."""
    limits = list(
        PolicyLimit.objects.filter(organisation=organisation)
        .select_related("decision__body")
        .order_by("order", "pk")
    )
    outcomes: dict[int, list[PolicyOutcome]] = defaultdict(list)
    found = PolicyOutcome.objects.filter(limit__organisation=organisation).select_related(
        "recorded_by"
    )
    if through is not None:
        found = found.filter(date__lte=through)
    by_pk = {limit.pk: limit for limit in limits}
    for outcome in found.order_by("-date", "-pk"):
        outcome.limit = by_pk[outcome.limit_id]
        outcome.text = limit_value_text(outcome.value, outcome.limit.unit)
        outcome.is_breached = outcome.limit.is_breached(outcome.value)
        outcomes[outcome.limit_id].append(outcome)
    return [
        LimitRow(
            limit=limit,
            text=limit_text(limit),
            outcomes=outcomes.get(limit.pk, []),
            latest=(outcomes.get(limit.pk) or [None])[0],
        )
        for limit in limits
    ]


def policy_areas(rows: Sequence[LimitRow]) -> list[tuple[str, str, list[LimitRow]]]:
    """(area value, area label, its limits) in the policy's order of areas."""
    by_area: dict[str, list[LimitRow]] = defaultdict(list)
    for row in rows:
        by_area[row.limit.area].append(row)
    return [(area.value, area.label, by_area[area]) for area in PolicyArea if by_area.get(area)]


# ------------------------------------------------------------------------- monthly report


def month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def report_context(ledger: YearLedger, month: int) -> dict:
    """What templates/economy/_report_goals.html needs for the monthly report to
    kommunstyrelsen at the month: the year's financial goals (value through the month, the
    forecast, the latest assessment at or before it), the balance requirement (the year's
    forecast balanskravsresultat and the deficits of earlier years left to restore) and the
    finance policy's limits (the latest outcome at the month's end, breaches first).
    Constant number of queries."""
    organisation = ledger.organisation
    year = ledger.year
    goals = goal_rows(organisation, ledger, month)
    balance = balance_years(organisation, current=ledger, month=month)
    this_year = next((row for row in balance if row.year == year), None)
    earlier_open = []
    if this_year is not None and this_year.schedule is not None:
        deficits = {}
        for row in balance:
            if row.year < year and row.schedule and row.schedule.opened:
                deficits[row.year] = row.schedule.opened
        for deficit in deficits.values():
            if deficit.is_open or (deficit.restorations and deficit.restorations[-1][0] == year):
                text, colour = deficit_status(deficit)
                earlier_open.append(
                    {
                        "deficit": deficit,
                        "restored_now": sum(
                            (s for y, s in deficit.restorations if y == year), ZERO
                        ),
                        "status": text,
                        "colour": colour,
                    }
                )
    limits = policy_rows(organisation, month_end(year, month))
    limits.sort(key=lambda r: (not r.breached, r.limit.order, r.limit.pk))
    return {
        "report_goals_year": year,
        "report_goals_month": month,
        "report_goals_rows": goals,
        "report_goals_balance": this_year,
        "report_goals_deficits": earlier_open,
        "report_goals_outstanding": sum((d["deficit"].remaining for d in earlier_open), ZERO),
        "report_goals_limits": limits,
        "report_goals_breaches": sum(1 for r in limits if r.breached),
    }
