"""The budget and economic plan by decision: services and selectors.

A budget document (kind "budget") decides, for its year and the economic plan's two years
after it, each verksamhet's frame (its net cost) and the lines the municipality budgets as
a whole (MUNICIPAL_BUDGET_LINES). A tilläggsbudget changes one year's frames and lines by
amounts (+/−). The current frame of a year is the sum over that year's documents: the
adopted budget and every tilläggsbudget, exactly as `YearLedger` adds them up; the plan
years of an earlier budget are superseded by that year's own budget.

Amounts are kronor, typed positive (a tilläggsbudget's changes may be negative); a line's
sign comes from the line (`StatementLine.is_income`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from tillit.core.choices import UnitKind
from tillit.core.concurrency import save_versioned
from tillit.core.history import CHANGE_TYPES, HistoryEntry, history_for
from tillit.core.models import Decision, Organisation, OrgUnit, User

from .choices import MUNICIPAL_BUDGET_LINES, StatementLine
from .models import BudgetDocument, BudgetKind, BudgetLine

ZERO = Decimal(0)
UNIT_PREFIX = "u"
LINE_PREFIX = "l"
REGISTRATION_WINDOW = timedelta(minutes=1)
HISTORY_LIMIT = 100


# ------------------------------------------------------------------------------ arithmetic


def budgeted_result(frames: dict, municipal: dict) -> Decimal:
    """Income lines − cost lines − the verksamheters frames (as `YearLedger.budgeted_result`).

    `frames`: operation id → amount; `municipal`: line → amount, both as typed."""
    result = -sum((a for a in frames.values() if a is not None), ZERO)
    for line in MUNICIPAL_BUDGET_LINES:
        amount = municipal.get(line) or ZERO
        result += amount if StatementLine(line).is_income else -amount
    return result


def signed(line: str, amount: Decimal) -> Decimal:
    """A municipal line's amount as it adds to the result."""
    return amount if StatementLine(line).is_income else -amount


# ---------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Row:
    """A row of the budget's grid: a verksamhet's frame or a municipal line."""

    key: str  # "u<unit id>" or "l<line>"
    label: str
    unit: OrgUnit | None = None
    line: str = ""

    @property
    def is_frame(self) -> bool:
        return self.unit is not None

    @property
    def is_income(self) -> bool:
        return bool(self.line) and StatementLine(self.line).is_income


def operations(organisation: Organisation) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(organisation=organisation, kind=UnitKind.OPERATION).order_by(
            "order", "name"
        )
    )


def grid_rows(organisation: Organisation, extra_units: list[OrgUnit] = ()) -> list[Row]:
    """The verksamheter (and units a document already has lines for), then the lines."""
    units = operations(organisation)
    known = {u.pk for u in units}
    units += [u for u in extra_units if u.pk not in known]
    return [Row(f"{UNIT_PREFIX}{u.pk}", u.name, unit=u) for u in units] + [
        Row(f"{LINE_PREFIX}{line}", str(StatementLine(line).label), line=line)
        for line in MUNICIPAL_BUDGET_LINES
    ]


def row_key(line: BudgetLine) -> str:
    return f"{UNIT_PREFIX}{line.unit_id}" if line.unit_id else f"{LINE_PREFIX}{line.line}"


# ------------------------------------------------------------------------------ selectors


def documents(organisation: Organisation) -> QuerySet[BudgetDocument]:
    return BudgetDocument.objects.filter(organisation=organisation).select_related(
        "decision__body", "created_by"
    )


def adopted_budget(organisation: Organisation, year: int) -> BudgetDocument | None:
    return documents(organisation).filter(kind=BudgetKind.BUDGET, year=year).first()


def budget_years(organisation: Organisation) -> list[int]:
    """The years with a budget document, oldest first."""
    return sorted(
        set(
            BudgetDocument.objects.filter(organisation=organisation)
            .values_list("year", flat=True)
            .distinct()
        )
    )


def adopted_years(organisation: Organisation) -> list[int]:
    """The years with an adopted budget, oldest first."""
    return list(
        BudgetDocument.objects.filter(organisation=organisation, kind=BudgetKind.BUDGET)
        .order_by("year")
        .values_list("year", flat=True)
    )


def default_year(organisation: Organisation, today: date | None = None) -> int:
    """The latest year with an adopted budget; before any, next year."""
    latest = (
        BudgetDocument.objects.filter(organisation=organisation, kind=BudgetKind.BUDGET)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or (today or date.today()).year + 1


def next_budget_year(organisation: Organisation, today: date | None = None) -> int:
    """The year a new budget is most likely for: after the latest adopted one."""
    latest = (
        BudgetDocument.objects.filter(organisation=organisation, kind=BudgetKind.BUDGET)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    this_year = (today or date.today()).year
    return max(latest + 1, this_year) if latest else this_year + 1


@dataclass
class OverviewRow:
    row: Row
    adopted: Decimal | None = None
    changes: list[Decimal | None] = field(default_factory=list)
    plan: list[Decimal | None] = field(default_factory=list)

    @property
    def current(self) -> Decimal | None:
        values = [v for v in [self.adopted, *self.changes] if v is not None]
        return sum(values, ZERO) if values else None


@dataclass
class YearOverview:
    """A year's budget: the adopted budget, each tilläggsbudget, the current frames and
    lines, the budgeted result, and the economic plan's two years after it."""

    year: int
    budget: BudgetDocument | None
    supplements: list[BudgetDocument]
    frames: list[OverviewRow]
    lines: list[OverviewRow]
    frame_total: OverviewRow
    result: OverviewRow

    @property
    def plan_years(self) -> tuple[int, int]:
        return (self.year + 1, self.year + 2)

    @property
    def has_documents(self) -> bool:
        return self.budget is not None or bool(self.supplements)


def year_overview(organisation: Organisation, year: int) -> YearOverview:
    """Three queries whatever the number of documents and lines."""
    docs = list(documents(organisation).filter(year=year).order_by("decision__date", "pk"))
    budget = next((d for d in docs if d.kind == BudgetKind.BUDGET), None)
    supplements = [d for d in docs if d.kind == BudgetKind.SUPPLEMENTARY]
    lines = list(
        BudgetLine.objects.filter(document__in=[d.pk for d in docs]).select_related("unit")
    )
    # (document id, year, row key) → amount
    amounts: dict[tuple[int, int, str], Decimal] = {}
    extra_units = {}
    for line in lines:
        amounts[(line.document_id, line.year, row_key(line))] = line.amount
        if line.unit_id:
            extra_units[line.unit_id] = line.unit
    rows = grid_rows(organisation, list(extra_units.values()))

    def overview_row(row: Row) -> OverviewRow:
        return OverviewRow(
            row=row,
            adopted=amounts.get((budget.pk, year, row.key)) if budget else None,
            changes=[amounts.get((s.pk, year, row.key)) for s in supplements],
            plan=[
                amounts.get((budget.pk, plan_year, row.key)) if budget else None
                for plan_year in (year + 1, year + 2)
            ],
        )

    frame_rows = [overview_row(r) for r in rows if r.is_frame]
    line_rows = [overview_row(r) for r in rows if not r.is_frame]

    def column_total(values: list[Decimal | None]) -> Decimal | None:
        present = [v for v in values if v is not None]
        return sum(present, ZERO) if present else None

    def column_result(pick) -> Decimal | None:
        frames = {r.row.key: pick(r) for r in frame_rows}
        municipal = {r.row.line: pick(r) for r in line_rows}
        if all(v is None for v in [*frames.values(), *municipal.values()]):
            return None
        return budgeted_result(frames, municipal)

    columns = range(len(supplements))
    total = OverviewRow(
        row=Row("total", ""),
        adopted=column_total([r.adopted for r in frame_rows]),
        changes=[column_total([r.changes[i] for r in frame_rows]) for i in columns],
        plan=[column_total([r.plan[i] for r in frame_rows]) for i in (0, 1)],
    )
    result = OverviewRow(
        row=Row("result", ""),
        adopted=column_result(lambda r: r.adopted),
        changes=[column_result(lambda r, i=i: r.changes[i]) for i in columns],
        plan=[column_result(lambda r, i=i: r.plan[i]) for i in (0, 1)],
    )
    return YearOverview(
        year=year,
        budget=budget,
        supplements=supplements,
        frames=frame_rows,
        lines=line_rows,
        frame_total=total,
        result=result,
    )


@dataclass
class DocumentTable:
    """A document's lines: a row per verksamhet and line, a column per plan year."""

    years: tuple[int, ...]
    frames: list[tuple[Row, list[Decimal | None], str]]  # row, amount per year, comment
    lines: list[tuple[Row, list[Decimal | None], str]]
    frame_total: list[Decimal | None]
    result: list[Decimal | None]


def document_amounts(document: BudgetDocument) -> tuple[dict, dict, list[OrgUnit]]:
    """(row key, year) → amount; row key → comment; units with lines (one query)."""
    amounts, comments, units = {}, {}, {}
    for line in document.lines.select_related("unit"):
        key = row_key(line)
        amounts[(key, line.year)] = line.amount
        if line.comment:
            comments[key] = line.comment
        if line.unit_id:
            units[line.unit_id] = line.unit
    return amounts, comments, list(units.values())


def document_table(document: BudgetDocument) -> DocumentTable:
    amounts, comments, units = document_amounts(document)
    rows = grid_rows(document.organisation, units)
    years = document.plan_years

    def values(row: Row) -> list[Decimal | None]:
        return [amounts.get((row.key, y)) for y in years]

    frames = [(r, values(r), comments.get(r.key, "")) for r in rows if r.is_frame]
    lines = [(r, values(r), comments.get(r.key, "")) for r in rows if not r.is_frame]
    frame_total, result = [], []
    for i in range(len(years)):
        present = [v[i] for _r, v, _c in frames if v[i] is not None]
        frame_total.append(sum(present, ZERO) if present else None)
        municipal = {r.line: v[i] for r, v, _c in lines}
        if not present and all(v is None for v in municipal.values()):
            result.append(None)
        else:
            result.append(budgeted_result({r.key: v[i] for r, v, _c in frames}, municipal))
    return DocumentTable(
        years=years, frames=frames, lines=lines, frame_total=frame_total, result=result
    )


def document_history(document: BudgetDocument) -> list[HistoryEntry]:
    """The document's history and its lines' (who changed which amount, when and why)."""
    from .templatetags.economy import tkr

    units = dict(
        OrgUnit.objects.filter(organisation_id=document.organisation_id).values_list("pk", "name")
    )

    def subject(record) -> str:
        name = units.get(record.unit_id) if record.unit_id else None
        label = name or (str(StatementLine(record.line).label) if record.line else "")
        return f"{label}, {record.year}"

    entries = history_for(
        document,
        related=[(BudgetLine.history.filter(document_id=document.pk), subject)],
        limit=HISTORY_LIMIT,
    )
    # The lines registered with the document are part of its own "created" entry.
    created = str(CHANGE_TYPES["+"])
    registered_until = document.created_at + REGISTRATION_WINDOW
    entries = [
        e for e in entries if not (e.subject and e.kind == created and e.date <= registered_until)
    ]
    amount_label = str(BudgetLine._meta.get_field("amount").verbose_name)
    for entry in entries:
        for change in entry.changes:
            if entry.subject and change.label == amount_label:
                change.label = f"{amount_label} (tkr)"
                change.old = _tkr_or_dash(change.old, tkr)
                change.new = _tkr_or_dash(change.new, tkr)
    return entries


def _tkr_or_dash(value: str, tkr) -> str:
    try:
        return tkr(Decimal(value))
    except (ArithmeticError, ValueError, TypeError):
        return value


# ------------------------------------------------------------------------------- services


def _constraint_error(exc: IntegrityError) -> ValidationError:
    return ValidationError(
        BudgetDocument._meta.constraints[0].violation_error_message
        if "one_budget_per_year" in str(exc)
        else str(exc)
    )


def _check_supplementary(organisation: Organisation, year: int, amounts: dict) -> None:
    if not BudgetDocument.objects.filter(
        organisation=organisation, kind=BudgetKind.BUDGET, year=year
    ).exists():
        raise ValidationError(
            _(
                "A supplementary budget changes an adopted budget: register the budget for "
                "%(year)s first."
            )
            % {"year": year}
        )
    if not any(a for a in amounts.values()):
        raise ValidationError(
            _("A supplementary budget needs at least one amount that is not zero.")
        )


def _lines_from(
    document: BudgetDocument, rows: dict[str, Row], amounts: dict, comments: dict
) -> list[BudgetLine]:
    """The lines to keep: a budget keeps every amount given (zero too); a tilläggsbudget
    only the changes that are not zero."""
    result = []
    for (key, year), amount in amounts.items():
        if amount is None or (document.kind == BudgetKind.SUPPLEMENTARY and not amount):
            continue
        row = rows[key]
        result.append(
            BudgetLine(
                document=document,
                year=year,
                unit=row.unit,
                line=row.line,
                amount=amount,
                comment=comments.get(key, "") if document.kind == BudgetKind.SUPPLEMENTARY else "",
            )
        )
    return result


@transaction.atomic
def create_document(
    *,
    organisation: Organisation,
    kind: str,
    year: int,
    title: str,
    decision: Decision,
    description: str = "",
    amounts: dict[tuple[str, int], Decimal | None],
    comments: dict[str, str] | None = None,
    rows: list[Row],
    created_by: User | None,
) -> BudgetDocument:
    """A budget document and its lines, together or not at all.

    `amounts`: (row key, year) → kronor (None: not given); `rows`: the grid's rows."""
    if kind == BudgetKind.SUPPLEMENTARY:
        _check_supplementary(organisation, year, amounts)
    document = BudgetDocument(
        organisation=organisation,
        kind=kind,
        year=year,
        title=title,
        decision=decision,
        description=description,
        created_by=created_by,
    )
    document.full_clean(exclude=["created_by"])
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as exc:
        raise _constraint_error(exc) from exc
    by_key = {r.key: r for r in rows}
    for line in _lines_from(document, by_key, amounts, comments or {}):
        line.save()
    return document


@transaction.atomic
def update_document(
    *,
    document: BudgetDocument,
    expected_version: int,
    title: str,
    decision: Decision,
    description: str,
    amounts: dict[tuple[str, int], Decimal | None],
    comments: dict[str, str] | None = None,
    rows: list[Row],
    reason: str,
) -> BudgetDocument:
    """Correct how a decision was registered. Raises EditConflict when someone else saved
    first; every change (the document's and each line's) is kept with the reason."""
    if document.kind == BudgetKind.SUPPLEMENTARY and not any(a for a in amounts.values()):
        raise ValidationError(
            _("A supplementary budget needs at least one amount that is not zero.")
        )
    document.title = title
    document.decision = decision
    document.description = description
    document.full_clean(exclude=["created_by"])
    document._change_reason = reason
    save_versioned(
        document,
        expected_version=expected_version,
        update_fields=["title", "decision", "description"],
    )
    by_key = {r.key: r for r in rows}
    wanted = {
        (row_key(line), line.year): line
        for line in _lines_from(document, by_key, amounts, comments or {})
    }
    existing = {(row_key(line), line.year): line for line in document.lines.all()}
    for key, line in existing.items():
        line._change_reason = reason
        new = wanted.get(key)
        if new is None:
            line.delete()
        elif new.amount != line.amount or new.comment != line.comment:
            line.amount, line.comment = new.amount, new.comment
            line.save(update_fields=["amount", "comment"])
    for key, line in wanted.items():
        if key not in existing:
            line._change_reason = reason
            line.save()
    return document


def current_frames(organisation: Organisation, years: list[int]) -> dict[int, tuple[dict, dict]]:
    """year → (operation id → current frame, line → current amount): each year's budget
    plus every tilläggsbudget of the year, in one query."""
    found: dict[int, tuple[dict, dict]] = {}
    for year, unit_id, line, amount in BudgetLine.objects.filter(
        document__organisation=organisation, document__year__in=years, year=F("document__year")
    ).values_list("year", "unit_id", "line", "amount"):
        frames, municipal = found.setdefault(
            year, (defaultdict(lambda: ZERO), defaultdict(lambda: ZERO))
        )
        if unit_id is not None:
            frames[unit_id] += amount
        else:
            municipal[line] += amount
    return {year: (dict(f), dict(m)) for year, (f, m) in found.items()}


def budgeted_results(organisation: Organisation, years: list[int]) -> dict[int, Decimal | None]:
    """The budgeted result per year as decided now (None: nothing decided for the year)."""
    found = current_frames(organisation, years)
    return {year: budgeted_result(*found[year]) if year in found else None for year in years}
