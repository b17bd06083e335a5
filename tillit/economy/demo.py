"""Grästorp's economy for the demo: a chart of accounts by Kommun-Bas, cost centres mapped
to the units, the budgets for 2025 and 2026 with their economic plans (adopted with the
verksamhetsplan, KF § 118 and § 121) and a tilläggsbudget, financial goals, the finance
policy's limits, the balanskravsutredning of earlier years, forecasts, and the outcome
itself: the accounting of 2025 (the whole year) and 2026 (January to October), written as
SIE 4E files by `sample_sie` and read in through the real import (tillit/economy/imports.py).

The figures are invented but of Grästorp's size (some 5 700 inhabitants: tax revenue and
general grants of about 440 million kronor). Vård och omsorg spends more than its frame in
2026; the others keep theirs. `manage.py make_sample_sie` writes the same files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from tillit.core.choices import Fulfilment, UnitKind
from tillit.core.models import Body, Decision, Organisation, OrgUnit, User

from . import sie
from .choices import (
    BudgetKind,
    Comparator,
    FinancialIndicator,
    LimitUnit,
    PolicyArea,
    StatementLine,
    default_line,
)
from .ledger import YearLedger
from .models import (
    BalanceRequirement,
    BudgetDocument,
    BudgetLine,
    CostObject,
    FinancialGoal,
    FinancialGoalAssessment,
    Forecast,
    PolicyLimit,
    PolicyOutcome,
)

M = Decimal(1_000_000)

# The chart of accounts: number → name (the line is Kommun-Bas's, see choices.default_line).
ACCOUNTS: dict[str, str] = {
    "1110": "Byggnader och tekniska anläggningar",
    "1210": "Maskiner och inventarier",
    "1310": "Aktier och andelar",
    "1510": "Kundfordringar",
    "1710": "Förutbetalda kostnader och upplupna intäkter",
    "1930": "Bank",
    "2010": "Eget kapital",
    "2210": "Avsättningar för pensioner",
    "2310": "Lån i banker och kreditinstitut",
    "2410": "Leverantörsskulder",
    "2910": "Upplupna kostnader och förutbetalda intäkter",
    "3110": "Taxor och avgifter",
    "3310": "Hyror och arrenden",
    "3510": "Riktade statsbidrag",
    "3610": "Försäljning av verksamhet",
    "4310": "Köp av huvudverksamhet",
    "4610": "Förbrukningsmaterial",
    "5110": "Löner månadsavlönade",
    "5610": "Sociala avgifter enligt lag och avtal",
    "5710": "Pensionskostnader",
    "6110": "Lokalhyror",
    "6410": "Energi, vatten och avfall",
    "7010": "Konsulttjänster och övriga tjänster",
    "7810": "Avskrivningar byggnader och anläggningar",
    "7830": "Avskrivningar maskiner och inventarier",
    "8011": "Kommunalskatt",
    "8012": "Slutavräkning kommunalskatt",
    "8210": "Inkomstutjämningsbidrag",
    "8230": "Kostnadsutjämning",
    "8250": "Kommunal fastighetsavgift",
    "8410": "Ränteintäkter",
    "8510": "Räntekostnader",
}

# Cost centres (dimension 1): code → (name, unit name or None for the finance function).
COST_CENTRES: dict[str, tuple[str, str | None]] = {
    "100": ("Kommunledning", "Kommunledningskontoret"),
    "110": ("Ekonomienheten", "Ekonomienheten"),
    "120": ("HR-enheten", "HR-enheten"),
    "130": ("Kansliet", "Kansliet"),
    "140": ("Kommunikation och digitalisering", "Kommunikation och digitalisering"),
    "200": ("Utbildning, gemensamt", "Utbildning"),
    "210": ("Grästorps förskolor", "Grästorps förskolor"),
    "220": ("Tengbergsskolan F-6", "Tengbergsskolan F–6"),
    "230": ("Tengbergsskolan 7-9", "Tengbergsskolan 7–9"),
    "240": ("Elevhälsan", "Elevhälsan"),
    "300": ("Vård och omsorg, gemensamt", "Vård och omsorg"),
    "310": ("Hemtjänsten", "Hemtjänsten"),
    "320": ("Särskilt boende", "Särskilt boende"),
    "330": ("Stöd och service", "Stöd och service"),
    "400": ("Samhällsbyggnad, gemensamt", "Samhällsbyggnad"),
    "410": ("Plan och bygg", "Plan och bygg"),
    "420": ("Gata och park", "Gata och park"),
    "430": ("Kultur och fritid", "Kultur och fritid"),
    "900": ("Finansförvaltning", None),
}

# Per verksamhet: its frames 2025 and 2026 (kr), the cost centres and each one's share,
# and how the year's outcome runs against the frame (1.0 = exactly on it).
OPERATIONS: dict[str, dict] = {
    "Kommunledningskontoret": {
        "frames": {2025: 46_500_000, 2026: 48_000_000},
        "centres": {"100": 0.30, "110": 0.18, "120": 0.17, "130": 0.15, "140": 0.20},
        "pace": {2025: 0.985, 2026: 0.975},
    },
    "Utbildning": {
        "frames": {2025: 170_000_000, 2026: 176_000_000},
        "centres": {"200": 0.10, "210": 0.28, "220": 0.30, "230": 0.24, "240": 0.08},
        "pace": {2025: 0.996, 2026: 0.992},
    },
    "Vård och omsorg": {
        "frames": {2025: 152_000_000, 2026: 158_000_000},
        "centres": {"300": 0.08, "310": 0.34, "320": 0.42, "330": 0.16},
        "pace": {2025: 1.012, 2026: 1.031},
    },
    "Samhällsbyggnad": {
        "frames": {2025: 41_500_000, 2026: 43_000_000},
        "centres": {"400": 0.12, "410": 0.18, "420": 0.40, "430": 0.30},
        "pace": {2025: 1.004, 2026: 1.001},
    },
}
# Gross cost mix of a verksamhet (shares of its gross cost) and its income (share of gross).
COST_MIX = {
    "5110": 0.50,
    "5610": 0.16,
    "5710": 0.05,
    "4310": 0.07,
    "4610": 0.04,
    "6110": 0.09,
    "6410": 0.03,
    "7010": 0.03,
    "7810": 0.02,
    "7830": 0.01,
}
INCOME_MIX = {"3110": 0.45, "3310": 0.10, "3510": 0.35, "3610": 0.10}
INCOME_SHARE = 0.16  # income as a share of gross cost
# The month profile of costs (salaries: holiday pay in July, year-end in December).
PROFILE = (1.0, 0.97, 1.0, 1.0, 1.02, 1.05, 0.62, 0.95, 1.06, 1.05, 1.06, 1.22)

MUNICIPAL = {
    2025: {
        "8011": 284_000_000,
        "8012": 8_000_000,
        "8210": 98_000_000,
        "8230": 26_000_000,
        "8250": 12_000_000,
        "8410": 2_800_000,
        "8510": 6_000_000,
    },
    2026: {
        "8011": 293_000_000,
        "8012": 8_000_000,
        "8210": 102_000_000,
        "8230": 27_000_000,
        "8250": 13_000_000,
        "8410": 2_500_000,
        "8510": 6_500_000,
    },
}
# Outcome of the municipal lines against budget (slutavräkningen turned out weaker in 2026).
MUNICIPAL_PACE = {2025: 1.004, 2026: 0.996}
INVESTMENTS = {2025: 38_000_000, 2026: 45_000_000}  # bought over the year, evenly
NEW_LOAN = {2025: (9, 20_000_000), 2026: (5, 30_000_000)}  # (month, amount)

OPENING_2025 = {
    "1110": 612_000_000,
    "1210": 44_000_000,
    "1310": 9_000_000,
    "1510": 31_000_000,
    "1710": 18_000_000,
    "1930": 48_000_000,
    "2010": -296_000_000,
    "2210": -41_000_000,
    "2310": -290_000_000,
    "2410": -56_000_000,
    "2910": -79_000_000,
}

DEMO_YEARS = {2025: 12, 2026: 10}  # year → the last month with outcome


@dataclass
class _Decisions:
    budget: dict[int, Decision]
    supplementary: Decision
    policy: Decision
    waiver: Decision | None = None


def _round(value: float) -> Decimal:
    return Decimal(round(value)).quantize(Decimal("0.01"))


def budget_lines(year: int, base: int | None = None) -> tuple[dict[str, Decimal], dict]:
    """A year's budget as decided in the budget of `base` (the year itself by default; a
    later year is the economic plan, 3 per cent up a year): (frames by verksamhet, lines)."""
    base = base or year
    base = 2025 if base <= 2025 else 2026
    growth = Decimal("1.03") ** (year - base)
    frames = {
        name: (Decimal(spec["frames"][base]) * growth).quantize(Decimal(1000))
        for name, spec in OPERATIONS.items()
    }
    amounts = MUNICIPAL[base]
    tax = Decimal(amounts["8011"] + amounts["8012"])
    grants = Decimal(amounts["8210"] + amounts["8230"] + amounts["8250"])
    lines = {
        StatementLine.TAX_REVENUE: (tax * growth).quantize(Decimal(1000)),
        StatementLine.GENERAL_GRANTS: (grants * Decimal("1.025") ** (year - base)).quantize(
            Decimal(1000)
        ),
        StatementLine.FINANCIAL_INCOME: Decimal(amounts["8410"]),
        StatementLine.FINANCIAL_COST: (Decimal(amounts["8510"]) * growth).quantize(Decimal(1000)),
    }
    return frames, lines


def sample_sie(
    year: int, through_month: int, *, opening: dict[str, Decimal] | None = None, seed: int = 1444
) -> sie.SieFile:
    """Grästorp's accounting of a year through a month as a SIE 4E export: #IB, monthly
    summary vouchers per cost centre (#VER/#TRANS with the cost centre as object), the
    budget's month profile (#PBUDGET), and #UB/#RES when the year is complete."""
    rng = random.Random(seed * 10_000 + year)
    base = 2025 if year <= 2025 else 2026
    opening = opening if opening is not None else {k: Decimal(v) for k, v in OPENING_2025.items()}
    result = sie.SieFile(
        flag=0,
        sie_type=4,
        program="Tillit demo",
        generated=date(year, through_month, 1),
        company="Grästorps kommun",
        org_number="212000-1546",
        currency="SEK",
    )
    result.fiscal_years = {
        0: sie.FiscalYear(0, date(year, 1, 1), date(year, 12, 31)),
        -1: sie.FiscalYear(-1, date(year - 1, 1, 1), date(year - 1, 12, 31)),
    }
    result.dimensions = {1: sie.Dimension(1, "Kostnadsställe")}
    result.objects = {
        (1, code): sie.SieObject(1, code, name) for code, (name, _unit) in COST_CENTRES.items()
    }
    result.accounts = {
        number: sie.Account(number, name, _ktyp(number)) for number, name in ACCOUNTS.items()
    }
    result.balances = [
        sie.Balance("IB", 0, number, amount) for number, amount in sorted(opening.items())
    ]
    totals: dict[str, Decimal] = {number: Decimal(0) for number in ACCOUNTS}
    weight = sum(PROFILE)
    frames, _lines = budget_lines(year)
    number_in_series = 0

    def voucher(day: date, text: str, rows: list[tuple[str, tuple, Decimal]]) -> None:
        nonlocal number_in_series
        number_in_series += 1
        rows = [r for r in rows if r[2]]
        bank = -sum((amount for _, _, amount in rows), Decimal(0))
        rows.append(("1930", (), bank))
        transactions = [sie.Transaction(acc, objs, amount) for acc, objs, amount in rows]
        for acc, _objs, amount in rows:
            totals[acc] += amount
        result.vouchers.append(sie.Voucher("A", str(number_in_series), day, text, transactions))

    for month in range(1, through_month + 1):
        day = date(year, month, 25)
        share = PROFILE[month - 1] / weight
        for name, spec in OPERATIONS.items():
            net = float(frames[name]) * spec["pace"][base] * share
            gross = net / (1 - INCOME_SHARE)
            for code, centre_share in spec["centres"].items():
                rows = []
                for number, cost_share in COST_MIX.items():
                    noise = 1 + rng.uniform(-0.04, 0.04)
                    rows.append(
                        (number, ((1, code),), _round(gross * centre_share * cost_share * noise))
                    )
                for number, income_share in INCOME_MIX.items():
                    noise = 1 + rng.uniform(-0.06, 0.06)
                    amount = gross * INCOME_SHARE * centre_share * income_share * noise
                    rows.append((number, ((1, code),), -_round(amount)))
                # Depreciation is not paid from the bank: it lowers the fixed assets.
                depreciation = [r for r in rows if r[0] in ("7810", "7830")]
                others = [r for r in rows if r[0] not in ("7810", "7830")]
                voucher(day, f"Månadens bokföring {COST_CENTRES[code][0]}", others)
                for number, objs, amount in depreciation:
                    asset = "1110" if number == "7810" else "1210"
                    number_in_series += 1
                    transactions = [
                        sie.Transaction(number, objs, amount),
                        sie.Transaction(asset, (), -amount),
                    ]
                    totals[number] += amount
                    totals[asset] -= amount
                    result.vouchers.append(
                        sie.Voucher("B", str(number_in_series), day, "Avskrivningar", transactions)
                    )
        municipal = MUNICIPAL[base]
        pace = MUNICIPAL_PACE[base]
        rows = [
            (number, ((1, "900"),), (-1 if number != "8510" else 1) * _round(amount * pace / 12))
            for number, amount in municipal.items()
        ]
        voucher(date(year, month, 20), "Skatteintäkter, bidrag och finansiella poster", rows)
        voucher(
            day,
            "Investeringar",
            [
                ("1110", (), _round(INVESTMENTS[base] * 0.8 / 12)),
                ("1210", (), _round(INVESTMENTS[base] * 0.2 / 12)),
            ],
        )
        loan_month, loan = NEW_LOAN[base]
        if month == loan_month:
            voucher(day, "Nyupplåning", [("2310", (), -Decimal(loan))])
        if month == 12:
            voucher(
                date(year, 12, 31),
                "Periodisering vid årets slut",
                [("1510", (), Decimal(4_000_000)), ("2410", (), Decimal(-2_500_000))],
            )
    # The budget's month profile, for each verksamhet on its first cost centre.
    for name, spec in OPERATIONS.items():
        code = next(iter(spec["centres"]))
        for month in range(1, 13):
            amount = _round(float(frames[name]) * PROFILE[month - 1] / weight)
            result.period_budgets.append(
                sie.PeriodAmount(0, year, month, "5110", ((1, code),), amount)
            )
    if through_month == 12:
        for number, amount in sorted(totals.items()):
            if default_line(number).is_balance_sheet:
                result.balances.append(
                    sie.Balance("UB", 0, number, opening.get(number, Decimal(0)) + amount)
                )
            elif amount:
                result.balances.append(sie.Balance("RES", 0, number, amount))
    return result


def closing_balances(file: sie.SieFile) -> dict[str, Decimal]:
    """The balances at the end of a complete year, with the result moved to equity: the
    next year's #IB."""
    balances: dict[str, Decimal] = {}
    result = Decimal(0)
    for record in file.balances:
        if record.kind == "UB":
            balances[record.account] = record.amount
        elif record.kind == "RES":
            result += record.amount
    balances["2010"] = balances.get("2010", Decimal(0)) + result
    return balances


def demo_files() -> dict[int, sie.SieFile]:
    """The demo's SIE files: year → file (2025 complete, 2026 through October)."""
    first = sample_sie(2025, DEMO_YEARS[2025])
    second = sample_sie(2026, DEMO_YEARS[2026], opening=closing_balances(first))
    return {2025: first, 2026: second}


def _ktyp(number: str) -> str:
    line = default_line(number)
    if line.is_balance_sheet:
        return "T" if number.startswith("1") else "S"
    return "I" if line.is_income else "K"


@transaction.atomic
def load_economy_demo(organisation: Organisation, *, by: User | None = None) -> None:
    """Load the demo's economy (first run only: the caller checks)."""
    from .imports import import_sie

    units = {u.name: u for u in OrgUnit.objects.filter(organisation=organisation)}
    for code, (name, unit_name) in COST_CENTRES.items():
        CostObject.objects.update_or_create(
            organisation=organisation,
            dimension=1,
            code=code,
            defaults={"name": name, "unit": units.get(unit_name) if unit_name else None},
        )
    decisions = _decisions(organisation)
    _budgets(organisation, decisions, units, by)
    for year, file in demo_files().items():
        import_sie(
            organisation,
            sie.write(file),
            file_name=f"grastorp-{year}.se",
            user=by,
        )
    _goals(organisation, decisions, by)
    _policy(organisation, decisions, by)
    _balance_requirements(organisation, decisions)
    _forecasts(organisation, units, by)


def _decisions(organisation: Organisation) -> _Decisions:
    kf = Body.objects.get(organisation=organisation, abbreviation="KF")
    ks = Body.objects.get(organisation=organisation, abbreviation="KS")

    def decision(body, day, paragraph, title):
        found, _ = Decision.objects.get_or_create(
            body=body,
            date=day,
            paragraph=paragraph,
            defaults={"organisation": organisation, "title": title},
        )
        return found

    return _Decisions(
        budget={
            2025: decision(kf, date(2024, 11, 25), "118", "Verksamhetsplan och budget 2025 (demo)"),
            2026: decision(kf, date(2025, 11, 24), "121", "Verksamhetsplan och budget 2026 (demo)"),
        },
        supplementary=decision(
            kf, date(2026, 4, 27), "41", "Tilläggsbudget 2026 för vård och omsorg (demo)"
        ),
        policy=decision(ks, date(2024, 2, 14), "22", "Finanspolicy för Grästorps kommun (demo)"),
    )


def _budgets(organisation, decisions: _Decisions, units, by) -> None:
    operations = {u.name: u for u in units.values() if u.kind == UnitKind.OPERATION}
    for year in (2025, 2026):
        document = BudgetDocument.objects.create(
            organisation=organisation,
            kind=BudgetKind.BUDGET,
            year=year,
            title=f"Budget {year} och ekonomisk plan {year + 1}–{year + 2}",
            decision=decisions.budget[year],
            description="Antagen av kommunfullmäktige tillsammans med verksamhetsplanen.",
            created_by=by,
        )
        for plan_year in document.plan_years:
            frames, lines = budget_lines(plan_year, base=year)
            for name, amount in frames.items():
                BudgetLine.objects.create(
                    document=document, year=plan_year, unit=operations[name], amount=amount
                )
            for line, amount in lines.items():
                BudgetLine.objects.create(
                    document=document, year=plan_year, line=line, amount=amount
                )
    supplementary = BudgetDocument.objects.create(
        organisation=organisation,
        kind=BudgetKind.SUPPLEMENTARY,
        year=2026,
        title="Tilläggsbudget 2026",
        decision=decisions.supplementary,
        description="Ökat behov av hemtjänst och särskilt boende.",
        created_by=by,
    )
    BudgetLine.objects.create(
        document=supplementary,
        year=2026,
        unit=operations["Vård och omsorg"],
        amount=Decimal(2_500_000),
        comment="Fler brukare i hemtjänsten än budgeterat.",
    )


def _goals(organisation, decisions: _Decisions, by) -> None:
    specs = (
        (
            "Årets resultat ska uppgå till minst 2 procent av skatteintäkter och generella "
            "statsbidrag.",
            FinancialIndicator.RESULT_SHARE,
            Comparator.AT_LEAST,
            "2",
        ),
        (
            "Verksamhetens nettokostnader ska inte överstiga 98 procent av skatteintäkter och "
            "generella statsbidrag.",
            FinancialIndicator.NET_COST_SHARE,
            Comparator.AT_MOST,
            "98",
        ),
        (
            "Investeringarna ska vara självfinansierade till minst 60 procent.",
            FinancialIndicator.SELF_FINANCING,
            Comparator.AT_LEAST,
            "60",
        ),
        (
            "Soliditeten ska vara minst 35 procent.",
            FinancialIndicator.EQUITY_RATIO,
            Comparator.AT_LEAST,
            "35",
        ),
    )
    for order, (title, indicator, comparator, target) in enumerate(specs):
        goal = FinancialGoal.objects.create(
            organisation=organisation,
            title=title,
            indicator=indicator,
            comparator=comparator,
            target=Decimal(target),
            first_year=2025,
            decision=decisions.budget[2025],
            order=order,
        )
        for year, month in ((2025, 12), (2026, 8)):
            ledger = YearLedger.load(organisation, year)
            value = ledger.indicators(month)[indicator]
            met = goal.is_met(value)
            FinancialGoalAssessment.objects.create(
                goal=goal,
                year=year,
                month=month,
                value=value,
                fulfilment=Fulfilment.MET if met else Fulfilment.NOT_MET,
                comment=(
                    "Målet nås enligt bokslutet."
                    if met and month == 12
                    else "Målet nås hittills under året."
                    if met
                    else "Målet nås inte: kostnaderna inom vård och omsorg ökar mer än budgeterat."
                ),
                assessed_by=by,
            )


def _policy(organisation, decisions: _Decisions, by) -> None:
    specs = (
        (
            PolicyArea.LIQUIDITY,
            "Likviditeten ska motsvara minst 20 dagars utbetalningar.",
            Comparator.AT_LEAST,
            "20",
            LimitUnit.DAYS,
            ("24", "19", "22"),
        ),
        (
            PolicyArea.BORROWING,
            "Den totala låneskulden får uppgå till högst 350 000 tkr.",
            Comparator.AT_MOST,
            "350000000",
            LimitUnit.KRONOR,
            ("310000000", "340000000", "340000000"),
        ),
        (
            PolicyArea.BORROWING,
            "Högst 40 procent av lånen får förfalla inom ett år.",
            Comparator.AT_MOST,
            "40",
            LimitUnit.PERCENT,
            ("31", "35", "33"),
        ),
        (
            PolicyArea.LENDING,
            "Utlåning får endast ske till kommunens helägda bolag, högst 50 000 tkr.",
            Comparator.AT_MOST,
            "50000000",
            LimitUnit.KRONOR,
            ("35000000", "35000000", "35000000"),
        ),
        (
            PolicyArea.PLACEMENT,
            "Högst 30 procent av placerade medel i aktiefonder.",
            Comparator.AT_MOST,
            "30",
            LimitUnit.PERCENT,
            ("26", "28", "27"),
        ),
        (
            PolicyArea.GUARANTEES,
            "Borgensåtaganden får uppgå till högst 250 000 tkr.",
            Comparator.AT_MOST,
            "250000000",
            LimitUnit.KRONOR,
            ("212000000", "212000000", "218000000"),
        ),
        (
            PolicyArea.MUNICIPAL_ACCOUNT,
            "Kommunkontots checkkredit får utnyttjas med högst 30 000 tkr.",
            Comparator.AT_MOST,
            "30000000",
            LimitUnit.KRONOR,
            ("0", "0", "12000000"),
        ),
    )
    dates = (date(2025, 12, 31), date(2026, 4, 30), date(2026, 8, 31))
    for order, (area, title, comparator, limit, unit, outcomes) in enumerate(specs):
        policy_limit = PolicyLimit.objects.create(
            organisation=organisation,
            area=area,
            title=title,
            comparator=comparator,
            limit=Decimal(limit),
            unit=unit,
            decision=decisions.policy,
            order=order,
        )
        for day, value in zip(dates, outcomes, strict=True):
            breached = policy_limit.is_breached(Decimal(value))
            PolicyOutcome.objects.create(
                limit=policy_limit,
                date=day,
                value=Decimal(value),
                comment=(
                    "Likviditeten var låg inför utbetalning av semesterlöner; upplåning "
                    "planeras i maj."
                    if breached
                    else ""
                ),
                recorded_by=by,
            )


def _balance_requirements(organisation, decisions: _Decisions) -> None:
    # Earlier years as the annual reports state them; 2025 from the accounts.
    for year, result, gains, reserve in (
        (2022, Decimal(-6_200_000), Decimal(800_000), Decimal(0)),
        (2023, Decimal(3_100_000), Decimal(0), Decimal(0)),
        (2024, Decimal(9_400_000), Decimal(400_000), Decimal(2_000_000)),
        (2025, None, Decimal(0), Decimal(0)),
    ):
        BalanceRequirement.objects.create(
            organisation=organisation,
            year=year,
            result=result,
            realisation_gains=gains,
            reserve_provision=reserve,
            comment="Enligt årsredovisningen." if result is not None else "",
        )


def _forecasts(organisation, units, by) -> None:
    """Each verksamhet's forecasts of 2026, made by its manager: the projection from
    outcome, weighed with what the manager knows of the rest of the year."""
    specs = {
        "Kommunledningskontoret": (
            "anders.wik",
            -300_000,
            "Vakanta tjänster på HR-enheten under våren ger ett överskott.",
        ),
        "Utbildning": (
            "verksamhetschef",
            500_000,
            "Lägre kostnader för skolskjuts än budgeterat, men fler elever i förskolan "
            "under hösten.",
        ),
        "Vård och omsorg": (
            "lena.sjoberg",
            1_200_000,
            "Fler brukare med omfattande behov i hemtjänsten och höga kostnader för "
            "bemanning i särskilt boende. Åtgärdsplan tas fram till kommunstyrelsen i "
            "november.",
        ),
        "Samhällsbyggnad": (
            "mikael.strand",
            400_000,
            "Vinterväghållningen kan bli dyrare än budgeterat.",
        ),
    }
    authors = {u.username: u for u in User.objects.filter(organisation=organisation)}
    for year, month in ((2026, 4), (2026, 8), (2026, 10)):
        ledger = YearLedger.load(organisation, year)
        for operation in ledger.operations:
            projected = ledger.projection(operation.pk, month)
            if projected is None or operation.name not in specs:
                continue
            username, judgement, comment = specs[operation.name]
            amount = (projected + judgement) / 100_000
            Forecast.objects.create(
                organisation=organisation,
                unit=operation,
                year=year,
                month=month,
                amount=amount.quantize(Decimal(1)) * 100_000,
                comment=("Tidig bedömning. " if month == 4 else "") + comment,
                author=authors.get(username, by),
            )
