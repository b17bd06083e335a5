"""Reading outcome into the ledger: SIE 4 files and CSV files, all or nothing.

Both `import_sie` and `import_outcome_csv` return an `ImportReport` or raise
`OutcomeImportError`, whose `.messages` are Swedish sentences naming the line (SIE) or the
row and column (CSV). Everything happens in one transaction: on any error nothing changes.
With `dry_run=True` everything is done, reported, and rolled back (`record` is None).

SIE (tillit/economy/sie.py parses the bytes)
--------------------------------------------
- The year is the file's #RAR 0, which must be a calendar year. A file without #RAR 0 is
  only accepted when it holds nothing but vouchers (4I); its year is then the vouchers'
  year, and all its vouchers must be of one calendar year. Vouchers (and a #TRANS with a
  date of its own) must lie in the year.
- Every account of the file (#KONTO and any account a record uses) gets an Account: a new
  one on the line Kommun-Bas gives its number (`default_line`); an existing one keeps its
  line, gets the file's name when the file names it, and the kind of its #KTYP. Every
  object (#OBJEKT and any object a record uses) gets a CostObject; an existing one keeps
  the unit it is mapped to and gets the file's name when there is one.
- A row's unit is the unit of the first object of its object list that is mapped to a
  unit, objects of dimension 1 (kostnadsställe) first; none: the municipality as a whole.
- A file with #PSALDO for year 0 (4E, and types 2 and 3): the ledger of the months it
  covers (January through the last month with a #PSALDO row) becomes the #PSALDO, every
  account, every unit: the months' earlier rows are deleted. Per account and month the
  rows with objects are used when there are any (of one set of dimensions, preferably
  dimension 1: rows per dimension 6 describe the same money again), and what the total row
  `{}` has beyond them is booked on the municipality as a whole; a total alone is booked
  on the municipality as a whole. Balance accounts (#KTYP T or S; without a #KTYP, classes
  1 and 2) are booked without objects.
  What a balance account's #PSALDO means is read from the file itself. Exporters of SIE
  4B (SIE filformat, utgåva 4B, "#PSALDO Periodsaldopost", https://sie.se/format/) write
  a result account's change in the period; for a balance account most write its balance at
  the end of the period, the opening balance included, and that is the default here: the
  ledger stores movements for every account, so a balance account's movement in a month
  is its #PSALDO minus that of the month before (January: minus #IB 0; a month without a
  row: no movement). Some programs describe their periods as "saldoförändringar" and write
  the changes instead: when the file's #UB 0 agrees only with #IB 0 plus the sum of the
  #PSALDO, the file is read that way, with a warning.
- #IB 0 (without objects) becomes the year's OpeningBalance rows, and #PBUDGET 0 the
  year's PeriodBudget rows (the same object rules), each replacing the year's earlier ones.
- A file of type 4 without #PSALDO: the ledger is its vouchers summed per month (the
  voucher's date, or the #TRANS's own), account and unit. A 4E file (one with balances)
  replaces the months it covers like a #PSALDO file; a 4I file (vouchers only) adds its
  amounts to the ledger, and the same 4I file (by SHA-256) is never read twice.
- Checks that only warn: with the whole year covered, a balance account whose #IB 0 plus
  the year's movements is not its #UB 0, and a result account whose movements do not sum
  to its #RES 0; with both vouchers and #PSALDO, an account and month where they differ.
- Records the parser does not know are reported with their line (`skipped`).

CSV
---
Columns named in the first row, in any order, case-insensitive: `år;månad;konto;enhet;
belopp` and optionally `kontonamn`. `enhet` is a cost centre (a CostObject of dimension
1, by code) or the exact name of a unit of the organisation, or empty (the municipality
as a whole); `belopp` is kronor in the accounting's sign, with a decimal comma or point,
spaces as thousands separators and "-" or "−" for minus. Separated by ";" (or "," or
tab, as the first row has them), in UTF-8 (with or without BOM) or Windows-1252. All rows
must be of one year; the file replaces the ledger of the months it contains, every unit
and account. Accounts not in the chart are created (3–6 digits), named by `kontonamn`
when given. Every row error is reported (the first 50), with its row (the first row is 1)
and column.

Speed: the file is aggregated in Python first; the database sees a constant number of
queries per file, apart from inserts in batches of BATCH_SIZE.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tillit.core.models import Organisation, OrgUnit

from . import sie
from .choices import ImportSource, default_line
from .fields import parse_swedish_decimal
from .models import (
    Account,
    CostObject,
    OpeningBalance,
    Outcome,
    OutcomeImport,
    PeriodBudget,
)

BATCH_SIZE = 2000
MAX_ERRORS = 50
MAX_WARNINGS = 50
MAX_AMOUNT = Decimal(10) ** 14
CENT = Decimal("0.01")

Key = tuple[int, str, tuple[sie.ObjectRef, ...]]  # (month, account number, objects)


class OutcomeImportError(Exception):
    """A file that cannot be read into the ledger; `.messages` are Swedish sentences."""

    def __init__(self, messages: Iterable[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class ImportReport:
    source: str
    file_name: str
    year: int
    first_month: int
    last_month: int
    rows: int = 0
    replaced: int = 0
    accounts_created: list[str] = field(default_factory=list)
    objects_created: list[str] = field(default_factory=list)
    objects_without_unit: list[str] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    record: OutcomeImport | None = None
    # What OutcomeImport.summary keeps: the above and "mode" ("replace" or "add"), "months",
    # "opening_balances" and "period_budgets" (counts, None when the file has none) and, for
    # SIE, "sie_kind", "program", "company", "org_number". Also filled on a dry run.
    details: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The report as JSON, without the record and the details."""
        data = {k: v for k, v in self.__dict__.items() if k not in ("record", "details")}
        data["skipped"] = [list(item) for item in self.skipped]
        return data


class _Rollback(Exception):
    """Raised inside the transaction of a dry run to undo it."""


@dataclass
class _Plan:
    """What a file says, before the database is asked: the rows by object codes."""

    source: str
    file_name: str
    checksum: str
    year: int
    first_month: int
    last_month: int
    add: bool = False  # add to the ledger (4I) instead of replacing the months
    months: set[int] = field(default_factory=set)  # the months replaced
    ledger: dict[Key, Decimal] = field(default_factory=dict)
    opening: dict[str, Decimal] | None = None  # None: leave the year's opening balances
    budget: dict[Key, Decimal] | None = None  # None: leave the year's period budgets
    accounts: dict[str, tuple[str, str]] = field(default_factory=dict)  # number → name, kind
    objects: dict[sie.ObjectRef, str] = field(default_factory=dict)  # → name
    # CSV: rows whose unit is named directly (not by a cost object), by unit id
    unit_ledger: dict[tuple[int, str, int | None], Decimal] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def kronor(amount: Decimal) -> str:
    """1234.5 → "1 234,50" (for messages)."""
    text = f"{Decimal(amount).quantize(CENT):,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",").replace("-", "\u2212")


def _checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------------------- SIE


def import_sie(
    organisation: Organisation,
    data: bytes,
    *,
    file_name: str,
    user=None,
    dry_run: bool = False,
) -> ImportReport:
    """Read a SIE file into the ledger (see the module's docstring)."""
    try:
        parsed = sie.parse(data)
    except sie.SieError as error:
        raise OutcomeImportError(str(error)) from None
    plan = _plan_sie(parsed, file_name=file_name, checksum=_checksum(data))
    return _run(organisation, plan, user=user, dry_run=dry_run)


def _is_balance_account(number: str, kind: str) -> bool:
    if kind in ("T", "S"):
        return True
    if kind in ("K", "I"):
        return False
    return number[:1] in ("1", "2")


def _year_of_file(f: sie.SieFile, has_balances: bool) -> int:
    fiscal = f.year_of(0)
    if fiscal is None:
        if has_balances:
            raise OutcomeImportError(
                "Filen saknar #RAR 0: räkenskapsåret måste anges för en fil med saldon."
            )
        years = sorted(
            {(t.date or v.date).year for v in f.vouchers for t in v.transactions}
            | {v.date.year for v in f.vouchers}
        )
        if not years:
            raise OutcomeImportError(
                "Filen har varken saldon eller verifikationer: det finns inget att läsa in."
            )
        if len(years) > 1:
            raise OutcomeImportError(
                "Verifikationerna ska gälla ett och samma kalenderår, men filen har "
                f"verifikationer från {', '.join(map(str, years))}."
            )
        return years[0]
    if (fiscal.start.month, fiscal.start.day, fiscal.end.month, fiscal.end.day) != (
        1,
        1,
        12,
        31,
    ) or fiscal.start.year != fiscal.end.year:
        raise OutcomeImportError(
            f"Räkenskapsåret {fiscal.start.isoformat()}–{fiscal.end.isoformat()} (#RAR 0) "
            "måste vara ett kalenderår."
        )
    return fiscal.start.year


def _choose_group(rows: list[sie.PeriodAmount]) -> list[sie.PeriodAmount]:
    """Of rows with objects, those of one set of dimensions: dimension 1 alone if there are
    such rows, else the first set containing dimension 1, else the first set."""
    groups: dict[tuple[int, ...], list[sie.PeriodAmount]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted({d for d, _ in row.objects})), []).append(row)
    if (1,) in groups:
        return groups[(1,)]
    for dims, members in groups.items():
        if 1 in dims:
            return members
    return next(iter(groups.values()))


def _by_objects(
    rows: list[sie.PeriodAmount], *, objects: bool
) -> dict[tuple[int, str], dict[tuple[sie.ObjectRef, ...], Decimal]]:
    """Period amounts per (month, account) → objects → amount, with the remainder of the
    total row beyond the object rows on `()`. Without `objects`: the total only."""
    grouped: dict[tuple[int, str], list[sie.PeriodAmount]] = defaultdict(list)
    for row in rows:
        grouped[(row.month, row.account)].append(row)
    result: dict[tuple[int, str], dict[tuple[sie.ObjectRef, ...], Decimal]] = {}
    for key, members in grouped.items():
        totals = [r for r in members if not r.objects]
        detailed = [r for r in members if r.objects]
        amounts: dict[tuple[sie.ObjectRef, ...], Decimal] = defaultdict(Decimal)
        if detailed:
            chosen = _choose_group(detailed)
            if objects:
                for r in chosen:
                    amounts[r.objects] += r.amount
                if totals:
                    rest = sum((r.amount for r in totals), Decimal(0)) - sum(
                        (r.amount for r in chosen), Decimal(0)
                    )
                    if rest:
                        amounts[()] += rest
            else:
                source = totals or chosen
                amounts[()] = sum((r.amount for r in source), Decimal(0))
        else:
            amounts[()] = sum((r.amount for r in totals), Decimal(0))
        result[key] = dict(amounts)
    return result


def _plan_sie(f: sie.SieFile, *, file_name: str, checksum: str) -> _Plan:
    if f.sie_type == 1:
        raise OutcomeImportError(
            "Filen är av SIE-typ 1 (årssaldon), som inte har några månadsbelopp. Läs in en "
            "SIE 4-fil (eller typ 2 eller 3)."
        )
    has_balances = bool(f.balances or f.period_balances or f.period_budgets)
    year = _year_of_file(f, has_balances)
    kinds = {number: account.kind for number, account in f.accounts.items()}
    balance_account = {n: _is_balance_account(n, k) for n, k in kinds.items()}
    errors: list[str] = []

    psaldo = [p for p in f.period_balances if p.year_index == 0]
    pbudget = [p for p in f.period_budgets if p.year_index == 0]
    for p in [*psaldo, *pbudget]:
        if p.year != year:
            errors.append(
                f"Rad {p.line}: perioden {p.year}{p.month:02d} ligger utanför räkenskapsåret "
                f"{year}."
            )
    voucher_sums: dict[Key, Decimal] = defaultdict(Decimal)
    for voucher in f.vouchers:
        for t in voucher.transactions:
            when = t.date or voucher.date
            if when.year != year:
                errors.append(
                    f"Rad {t.line or voucher.line}: verifikation {voucher.series} "
                    f"{voucher.number} är daterad {when.isoformat()}, utanför räkenskapsåret "
                    f"{year}."
                )
                continue
            voucher_sums[(when.month, t.account, _ordered(t.objects))] += t.amount
    if errors:
        raise OutcomeImportError(_limited(errors))

    ib = {
        b.account: b.amount
        for b in f.balances
        if b.kind == "IB" and b.year_index == 0 and not b.objects
    }
    ub = {
        b.account: b.amount
        for b in f.balances
        if b.kind == "UB" and b.year_index == 0 and not b.objects
    }
    res = {b.account: b.amount for b in f.balances if b.kind == "RES" and b.year_index == 0}

    plan = _Plan(
        source=ImportSource.SIE,
        file_name=file_name,
        checksum=checksum,
        year=year,
        first_month=1,
        last_month=1,
        accounts={n: (a.name, a.kind) for n, a in f.accounts.items()},
        objects={ref: o.name for ref, o in f.objects.items()},
        skipped=list(f.skipped),
        extra={
            "sie_kind": f.kind,
            "program": f.program,
            "company": f.company,
            "org_number": f.org_number,
        },
    )
    warnings = plan.warnings

    if psaldo:
        result_rows = [p for p in psaldo if not balance_account.get(p.account, False)]
        balance_rows = [p for p in psaldo if balance_account.get(p.account, False)]
        for (month, number), amounts in _by_objects(result_rows, objects=True).items():
            for objects, amount in amounts.items():
                plan.ledger[(month, number, _ordered(objects))] = amount
        balances = _by_objects(balance_rows, objects=False)
        movements = _balance_movements(balances, ib, ub, warnings)
        for (month, number), amount in movements.items():
            plan.ledger[(month, number, ())] = amount
        plan.last_month = max(p.month for p in psaldo)
        plan.months = set(range(1, plan.last_month + 1))
        if voucher_sums:
            _compare_vouchers(voucher_sums, plan.ledger, warnings)
    elif voucher_sums:
        plan.ledger = {k: v for k, v in voucher_sums.items()}
        months = {k[0] for k in voucher_sums}
        if has_balances:
            plan.last_month = max(months)
            plan.months = set(range(1, plan.last_month + 1))
        else:
            plan.add = True
            plan.first_month, plan.last_month = min(months), max(months)
    elif pbudget:
        months = {p.month for p in pbudget}
        plan.first_month, plan.last_month = min(months), max(months)
    elif not ib:
        raise OutcomeImportError(
            f"Filen har inga periodsaldon (#PSALDO), verifikationer (#VER), ingående balanser "
            f"(#IB) eller periodbudgetar (#PBUDGET) för räkenskapsåret {year}."
        )

    if ib:
        plan.opening = dict(ib)
    if pbudget:
        plan.budget = {}
        for (month, number), amounts in _by_objects(pbudget, objects=True).items():
            for objects, amount in amounts.items():
                plan.budget[(month, number, _ordered(objects))] = amount

    if plan.months and plan.last_month == 12:
        _check_year(plan.ledger, balance_account, ib, ub, res, warnings)
    plan.warnings = _limited(warnings, MAX_WARNINGS, "avvikelser")
    return plan


def _ordered(objects: tuple[sie.ObjectRef, ...]) -> tuple[sie.ObjectRef, ...]:
    """Objects of dimension 1 first, the others in the file's order; duplicates dropped."""
    seen: dict[sie.ObjectRef, None] = {}
    for ref in sorted(objects, key=lambda ref: ref[0] != 1):
        seen.setdefault(ref, None)
    return tuple(seen)


def _balance_movements(
    balances: dict[tuple[int, str], dict[tuple, Decimal]],
    ib: dict[str, Decimal],
    ub: dict[str, Decimal],
    warnings: list[str],
) -> dict[tuple[int, str], Decimal]:
    """Balance accounts' #PSALDO (balances at the months' ends) → movements per month."""
    by_account: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for (month, number), amounts in balances.items():
        by_account[number][month] = amounts.get((), Decimal(0))
    # Which reading the file's closing balances agree with (see the module's docstring).
    cumulative = changes = 0
    for number, months in by_account.items():
        if number in ub and 12 in months:
            opening = ib.get(number, Decimal(0))
            as_balance = months[12] == ub[number]
            as_change = opening + sum(months.values(), Decimal(0)) == ub[number]
            cumulative += as_balance and not as_change
            changes += as_change and not as_balance
    read_as_changes = changes > 0 and cumulative == 0
    if read_as_changes:
        warnings.append(
            "Balanskontonas periodsaldon (#PSALDO) stämmer med #UB 0 bara som förändringar "
            "per månad, inte som saldon vid månadernas slut; de har lästs som förändringar."
        )
    movements: dict[tuple[int, str], Decimal] = {}
    for number, months in by_account.items():
        previous = ib.get(number, Decimal(0))
        for month in sorted(months):
            if read_as_changes:
                movement = months[month]
            else:
                movement, previous = months[month] - previous, months[month]
            if movement:
                movements[(month, number)] = movement
    return movements


def _sum_by_account_month(amounts: dict[Key, Decimal]) -> dict[tuple[str, int], Decimal]:
    result: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for (month, number, _objects), amount in amounts.items():
        result[(number, month)] += amount
    return result


def _compare_vouchers(
    vouchers: dict[Key, Decimal], ledger: dict[Key, Decimal], warnings: list[str]
) -> None:
    from_vouchers = _sum_by_account_month(vouchers)
    from_psaldo = _sum_by_account_month(ledger)
    for number, month in sorted(set(from_vouchers) | set(from_psaldo)):
        a = from_vouchers.get((number, month), Decimal(0))
        b = from_psaldo.get((number, month), Decimal(0))
        if a != b:
            warnings.append(
                f"Konto {number}, {month:02d}: verifikationerna summerar till {kronor(a)} "
                f"men periodsaldot (#PSALDO) är {kronor(b)}."
            )


def _check_year(
    ledger: dict[Key, Decimal],
    balance_account: dict[str, bool],
    ib: dict[str, Decimal],
    ub: dict[str, Decimal],
    res: dict[str, Decimal],
    warnings: list[str],
) -> None:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for (_month, number, _objects), amount in ledger.items():
        totals[number] += amount
    for number in sorted(ub):
        if not balance_account.get(number, _is_balance_account(number, "")):
            continue
        closing = ib.get(number, Decimal(0)) + totals.get(number, Decimal(0))
        if closing != ub[number]:
            warnings.append(
                f"Konto {number}: ingående balans och årets förändringar ger {kronor(closing)}, "
                f"men utgående balans (#UB 0) är {kronor(ub[number])}."
            )
    for number in sorted(res):
        if balance_account.get(number, _is_balance_account(number, "")):
            continue
        total = totals.get(number, Decimal(0))
        if total != res[number]:
            warnings.append(
                f"Konto {number}: årets belopp summerar till {kronor(total)}, men "
                f"resultatet (#RES 0) är {kronor(res[number])}."
            )


def _limited(messages: list[str], limit: int = MAX_ERRORS, what: str = "fel") -> list[str]:
    if len(messages) <= limit:
        return messages
    return [*messages[:limit], f"… och {len(messages) - limit} {what} till."]


# ------------------------------------------------------------------------------------- CSV

COLUMNS = {"år": "year", "ar": "year", "månad": "month", "manad": "month", "konto": "account"}
COLUMNS |= {"enhet": "unit", "belopp": "amount", "kontonamn": "name"}
REQUIRED = ("year", "month", "account", "unit", "amount")
COLUMN_LABELS = {
    "year": "år",
    "month": "månad",
    "account": "konto",
    "unit": "enhet",
    "amount": "belopp",
    "name": "kontonamn",
}
_ACCOUNT = re.compile(r"[0-9]{3,6}")
_BOM = "\ufeff"


def _decode_csv(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise OutcomeImportError(
                "Filen går inte att läsa: spara den som CSV i UTF-8 eller Windows-1252."
            ) from None
    return text.removeprefix(_BOM)


def _show(value: str) -> str:
    return f"”{value if len(value) <= 40 else value[:40] + '…'}”"


def _joined(names: list[str]) -> str:
    quoted = [f"”{n}”" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " och " + quoted[-1]


def import_outcome_csv(
    organisation: Organisation,
    data: bytes,
    *,
    file_name: str,
    user=None,
    dry_run: bool = False,
) -> ImportReport:
    """Read a CSV file of outcome per month, account and unit (see the module docstring)."""
    text = _decode_csv(data)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        raise OutcomeImportError("Filen är tom.")
    delimiter = max(";\t,", key=lambda d: (header_line.count(d), d == ";"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    # The row numbers count every line of the file, the header as row 1.
    start = next(i for i, row in enumerate(rows) if any(cell.strip() for cell in row))
    header = [cell.strip().strip('"').lower() for cell in rows[start]]
    positions: dict[str, int] = {}
    warnings: list[str] = []
    for index, name in enumerate(header):
        key = COLUMNS.get(name)
        if key is None:
            if name:
                warnings.append(f"Kolumnen {_show(name)} känns inte igen och har inte lästs.")
        elif key not in positions:
            positions[key] = index
    missing = [COLUMN_LABELS[k] for k in REQUIRED if k not in positions]
    if missing:
        word = "Kolumnen" if len(missing) == 1 else "Kolumnerna"
        raise OutcomeImportError(
            f"{word} {_joined(missing)} saknas i första raden. Den ska namnge kolumnerna "
            "år;månad;konto;enhet;belopp (och kanske kontonamn)."
        )

    units: dict[str, OrgUnit] = {}
    ambiguous: set[str] = set()  # names that more than one unit has
    for found in OrgUnit.objects.filter(organisation=organisation):
        if found.name in units:
            ambiguous.add(found.name)
        units[found.name] = found
    cost_centres = {
        o.code: o for o in CostObject.objects.filter(organisation=organisation, dimension=1)
    }
    errors: list[str] = []
    years: set[int] = set()
    ledger: dict[Key, Decimal] = defaultdict(Decimal)
    unit_ledger: dict[tuple[int, str, int | None], Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    used_objects: dict[sie.ObjectRef, str] = {}

    for offset, row in enumerate(rows[start + 1 :], start=start + 2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row=row) -> str:
            index = positions.get(key)
            return row[index].strip() if index is not None and index < len(row) else ""

        def fail(key: str, message: str, offset=offset) -> None:
            errors.append(f"Rad {offset}, kolumn ”{COLUMN_LABELS[key]}”: {message}")

        ok = True
        year_text, month_text = cell("year"), cell("month")
        year = month = None
        if re.fullmatch(r"[0-9]{4}", year_text) and 1900 <= int(year_text) <= 2100:
            year = int(year_text)
        else:
            fail("year", f"{_show(year_text)} är inget årtal." if year_text else "året saknas.")
            ok = False
        if re.fullmatch(r"[0-9]{1,2}", month_text) and 1 <= int(month_text) <= 12:
            month = int(month_text)
        else:
            fail(
                "month",
                f"{_show(month_text)} är ingen månad (1–12)." if month_text else "månaden saknas.",
            )
            ok = False
        number = cell("account")
        if not _ACCOUNT.fullmatch(number):
            fail(
                "account",
                f"{_show(number)} är inget kontonummer (3–6 siffror)."
                if number
                else "kontonumret saknas.",
            )
            ok = False
        unit_text = cell("unit")
        unit_id: int | None = None
        cost_object = None
        if unit_text:
            cost_object = cost_centres.get(unit_text)
            if cost_object is None:
                unit = units.get(unit_text)
                if unit_text in ambiguous:
                    fail(
                        "unit",
                        f"flera enheter i {organisation.name} heter {_show(unit_text)}: ange "
                        "kostnadsställets kod i stället.",
                    )
                    ok = False
                elif unit is None:
                    fail(
                        "unit",
                        f"{_show(unit_text)} är varken ett kostnadsställe eller en enhet i "
                        f"{organisation.name}.",
                    )
                    ok = False
                else:
                    unit_id = unit.pk
        amount_text = cell("amount")
        amount = None
        try:
            amount = parse_swedish_decimal(amount_text)
        except ValueError:
            fail(
                "amount",
                f"{_show(amount_text)} är inget belopp." if amount_text else "beloppet saknas.",
            )
            ok = False
        else:
            if amount != amount.quantize(CENT):
                fail("amount", f"{_show(amount_text)} har fler än två decimaler.")
                ok = False
            elif abs(amount) >= MAX_AMOUNT:
                fail("amount", f"{_show(amount_text)} är orimligt stort.")
                ok = False
        if not ok:
            continue
        years.add(year)
        if cost_object is not None:
            ref = (1, cost_object.code)
            used_objects[ref] = cost_object.name
            ledger[(month, number, (ref,))] += amount
        else:
            unit_ledger[(month, number, unit_id)] += amount
        if cell("name") and number not in names:
            names[number] = cell("name")
        names.setdefault(number, "")

    if len(years) > 1:
        errors.append(
            "Raderna gäller flera år (" + ", ".join(map(str, sorted(years))) + "); en fil får "
            "bara gälla ett år."
        )
    if errors:
        raise OutcomeImportError(_limited(errors))
    if not years:
        raise OutcomeImportError("Filen har inga rader med utfall under rubrikraden.")
    months = {k[0] for k in ledger} | {k[0] for k in unit_ledger}
    plan = _Plan(
        source=ImportSource.CSV,
        file_name=file_name,
        checksum=_checksum(data),
        year=years.pop(),
        first_month=min(months),
        last_month=max(months),
        months=months,
        ledger=dict(ledger),
        unit_ledger=dict(unit_ledger),
        accounts={n: (name, "") for n, name in names.items()},
        objects=used_objects,
        warnings=warnings,
        extra={"csv_names_only_for_new": True},
    )
    return _run(organisation, plan, user=user, dry_run=dry_run)


# -------------------------------------------------------------------------- the database


def _run(organisation: Organisation, plan: _Plan, *, user, dry_run: bool) -> ImportReport:
    report: ImportReport | None = None
    try:
        with transaction.atomic():
            report = _apply(organisation, plan, user=user)
            if dry_run:
                raise _Rollback
    except _Rollback:
        report.dry_run = True
        report.record = None
    except IntegrityError:
        raise OutcomeImportError(
            "Kontoplanen eller objekten ändrades samtidigt av någon annan; försök igen."
        ) from None
    return report


def _object_label(ref: sie.ObjectRef, name: str) -> str:
    return f"{ref[0]} / {ref[1]} {name}".strip()


def _apply(organisation: Organisation, plan: _Plan, *, user) -> ImportReport:
    # One import at a time per organisation (a no-op on SQLite, which locks the database).
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    history_user = user if getattr(user, "is_authenticated", False) else None

    if plan.add:
        earlier = (
            OutcomeImport.objects.filter(organisation=organisation, checksum=plan.checksum)
            .select_related("imported_by")
            .first()
        )
        if earlier is not None:
            when = timezone.localtime(earlier.imported_at).date().isoformat()
            who = str(earlier.imported_by) if earlier.imported_by else "okänd"
            raise OutcomeImportError(
                f"Filen är redan inläst {when} av {who} ({earlier.file_name}): verifikationerna "
                "skulle då räknas två gånger."
            )

    accounts, accounts_created = _accounts(organisation, plan, history_user)
    objects, objects_created = _objects(organisation, plan, history_user)

    without_unit: dict[sie.ObjectRef, None] = {}

    def unit_of(refs: tuple[sie.ObjectRef, ...]) -> int | None:
        for ref in refs:
            obj = objects[ref]
            if obj.unit_id is not None:
                return obj.unit_id
        for ref in refs:
            without_unit.setdefault(ref, None)
        return None

    def resolve(amounts: dict[Key, Decimal]) -> dict[tuple[int, int, int | None], Decimal]:
        result: dict[tuple[int, int, int | None], Decimal] = defaultdict(Decimal)
        for (month, number, refs), amount in amounts.items():
            result[(month, accounts[number].pk, unit_of(refs))] += amount
        return result

    ledger = resolve(plan.ledger)
    for (month, number, unit_id), amount in plan.unit_ledger.items():
        ledger[(month, accounts[number].pk, unit_id)] += amount
    ledger = {k: v for k, v in ledger.items() if v}
    budget = resolve(plan.budget) if plan.budget is not None else None

    existing: dict[tuple[int, int, int | None], Outcome] = {}
    if plan.add:
        existing = {
            (o.month, o.account_id, o.unit_id): o
            for o in Outcome.objects.filter(
                organisation=organisation,
                year=plan.year,
                month__gte=plan.first_month,
                month__lte=plan.last_month,
            )
        }

    report = ImportReport(
        source=plan.source,
        file_name=plan.file_name,
        year=plan.year,
        first_month=plan.first_month,
        last_month=plan.last_month,
        rows=len(ledger),
        accounts_created=accounts_created,
        objects_created=objects_created,
        objects_without_unit=[
            _object_label(ref, objects[ref].name) for ref in sorted(without_unit)
        ],
        skipped=plan.skipped,
        warnings=plan.warnings,
    )
    record = OutcomeImport.objects.create(
        organisation=organisation,
        source=plan.source,
        file_name=plan.file_name[:255],
        checksum=plan.checksum,
        year=plan.year,
        first_month=plan.first_month,
        last_month=plan.last_month,
        rows=report.rows,
        imported_by=history_user,
    )

    if plan.add:
        changed, new = [], []
        for (month, account_id, unit_id), amount in ledger.items():
            row = existing.get((month, account_id, unit_id))
            if row is not None:
                row.amount += amount
                row.source = record
                changed.append(row)
            else:
                new.append(
                    Outcome(
                        organisation=organisation,
                        year=plan.year,
                        month=month,
                        account_id=account_id,
                        unit_id=unit_id,
                        amount=amount,
                        source=record,
                    )
                )
        Outcome.objects.bulk_update(changed, ["amount", "source"], batch_size=BATCH_SIZE)
        Outcome.objects.bulk_create(new, batch_size=BATCH_SIZE)
    else:
        if plan.months:
            report.replaced, _ = Outcome.objects.filter(
                organisation=organisation, year=plan.year, month__in=sorted(plan.months)
            ).delete()
        Outcome.objects.bulk_create(
            [
                Outcome(
                    organisation=organisation,
                    year=plan.year,
                    month=month,
                    account_id=account_id,
                    unit_id=unit_id,
                    amount=amount,
                    source=record,
                )
                for (month, account_id, unit_id), amount in ledger.items()
            ],
            batch_size=BATCH_SIZE,
        )

    if plan.opening is not None:
        OpeningBalance.objects.filter(organisation=organisation, year=plan.year).delete()
        OpeningBalance.objects.bulk_create(
            [
                OpeningBalance(
                    organisation=organisation,
                    year=plan.year,
                    account=accounts[number],
                    amount=amount,
                    source=record,
                )
                for number, amount in sorted(plan.opening.items())
            ],
            batch_size=BATCH_SIZE,
        )
    if budget is not None:
        PeriodBudget.objects.filter(organisation=organisation, year=plan.year).delete()
        PeriodBudget.objects.bulk_create(
            [
                PeriodBudget(
                    organisation=organisation,
                    year=plan.year,
                    month=month,
                    account_id=account_id,
                    unit_id=unit_id,
                    amount=amount,
                    source=record,
                )
                for (month, account_id, unit_id), amount in budget.items()
                if amount
            ],
            batch_size=BATCH_SIZE,
        )

    summary = report.as_dict()
    summary["mode"] = "add" if plan.add else "replace"
    summary["months"] = sorted(plan.months) if not plan.add else []
    summary["opening_balances"] = len(plan.opening) if plan.opening is not None else None
    summary["period_budgets"] = sum(1 for v in budget.values() if v) if budget is not None else None
    summary.update({k: v for k, v in plan.extra.items() if k != "csv_names_only_for_new"})
    record.summary = summary
    record.save(update_fields=["summary"])
    report.record, report.details = record, summary
    return report


def _accounts(
    organisation: Organisation, plan: _Plan, user
) -> tuple[dict[str, Account], list[str]]:
    """The file's accounts, created or brought up to date; and the numbers created."""
    numbers = set(plan.accounts) | {k[1] for k in plan.ledger} | {k[1] for k in plan.unit_ledger}
    numbers |= set(plan.opening or ()) | {k[1] for k in plan.budget or ()}
    # Locked: the versions bumped below must not race an edit of the same account.
    found = {
        a.number: a
        for a in Account.objects.select_for_update().filter(
            organisation=organisation, number__in=sorted(numbers)
        )
    }
    new, changed = [], []
    names_only_for_new = plan.extra.get("csv_names_only_for_new", False)
    for number in sorted(numbers - set(found)):
        name, kind = plan.accounts.get(number, ("", ""))
        new.append(
            Account(
                organisation=organisation,
                number=number,
                name=name[:200],
                kind=kind,
                line=default_line(number),
            )
        )
    for number, account in found.items():
        name, kind = plan.accounts.get(number, ("", ""))
        name = name[:200]
        update = False
        if name and name != account.name and (not names_only_for_new or not account.name):
            account.name, update = name, True
        if kind and kind != account.kind:
            account.kind, update = kind, True
        if update:
            account.version += 1
            changed.append(account)
    if new:
        bulk_create_with_history(new, Account, batch_size=BATCH_SIZE, default_user=user)
    if changed:
        bulk_update_with_history(
            changed, Account, ["name", "kind", "version"], batch_size=BATCH_SIZE, default_user=user
        )
    if new:
        found |= {
            a.number: a
            for a in Account.objects.filter(
                organisation=organisation, number__in=[a.number for a in new]
            )
        }
    return found, [a.number for a in new]


def _objects(
    organisation: Organisation, plan: _Plan, user
) -> tuple[dict[sie.ObjectRef, CostObject], list[str]]:
    """The file's objects, created or renamed (their units kept); and labels of the new."""
    refs = set(plan.objects)
    for keys in (plan.ledger, plan.budget or {}):
        for _month, _number, objects in keys:
            refs.update(objects)
    dimensions = sorted({d for d, _ in refs})
    found: dict[sie.ObjectRef, CostObject] = {}
    if refs:
        for obj in CostObject.objects.select_for_update().filter(
            organisation=organisation, dimension__in=dimensions
        ):
            found[(obj.dimension, obj.code)] = obj
    new, changed = [], []
    for ref in sorted(refs - set(found)):
        new.append(
            CostObject(
                organisation=organisation,
                dimension=ref[0],
                code=ref[1][:50],
                name=plan.objects.get(ref, "")[:200],
            )
        )
    for ref in refs & set(found):
        obj, name = found[ref], plan.objects.get(ref, "")[:200]
        if name and name != obj.name:
            obj.name = name
            obj.version += 1
            changed.append(obj)
    if new:
        bulk_create_with_history(new, CostObject, batch_size=BATCH_SIZE, default_user=user)
        for obj in CostObject.objects.filter(
            organisation=organisation, dimension__in=sorted({o.dimension for o in new})
        ):
            found[(obj.dimension, obj.code)] = obj
    if changed:
        bulk_update_with_history(
            changed, CostObject, ["name", "version"], batch_size=BATCH_SIZE, default_user=user
        )
    labels = [_object_label((o.dimension, o.code), o.name) for o in new]
    return found, labels


def detect_kind(data: bytes) -> str:
    """ImportSource.SIE when the file starts with #FLAGGA (after a BOM and blanks), else CSV."""
    head = data[:64].removeprefix(b"\xef\xbb\xbf").lstrip()
    return ImportSource.SIE if head.upper().startswith(b"#FLAGGA") else ImportSource.CSV


def import_file(
    organisation: Organisation, data: bytes, *, file_name: str, user=None, dry_run: bool = False
) -> ImportReport:
    """SIE or CSV, as the bytes say (`detect_kind`)."""
    run = import_sie if detect_kind(data) == ImportSource.SIE else import_outcome_csv
    return run(organisation, data, file_name=file_name, user=user, dry_run=dry_run)


def months_label(first: int, last: int) -> str:
    from .fields import MONTH_NAMES

    if first == last:
        return MONTH_NAMES[first - 1]
    return f"{MONTH_NAMES[first - 1]}–{MONTH_NAMES[last - 1]}"


__all__ = [
    "ImportReport",
    "OutcomeImportError",
    "detect_kind",
    "import_file",
    "import_outcome_csv",
    "import_sie",
    "months_label",
]
