"""Import measure values: check every row, then write all of them or none.

`import_values` takes rows read by `values.read_file` and
- checks each against the organisation's measures (it exists here, takes a
  number or an assessment, is reported by gender or not) and, when a person
  imports, that they may enter values for it (`measures.enter_values`);
- compares it with the value stored for the same measure, period and gender:
  new, changed or unchanged;
- unless there is any problem or it is a dry run, writes the new and changed
  values in one transaction with bulk upserts (unchanged ones are left alone),
  recording an `ImportBatch` that the written values point to.

Files run to 100,000 rows and more, so reading the stored values and writing the
changes take a constant number of statements, however many rows, and no model
instances: the rows' keys go into a temporary table joined to the values
(`_stored_values`), the changes into one upsert (`_write_values`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db import connection, transaction
from django.db.models.expressions import Col
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tillit.core.choices import Fulfilment
from tillit.core.models import Organisation, User

from ..charts import format_number
from ..choices import Gender, MeasureKind, PeriodKind, Source
from ..models import ImportBatch, Measure, MeasureValue
from .values import (
    GENDER,
    GRADE,
    MAX_ERRORS,
    MEASURE,
    VALUE,
    Problem,
    ValueRow,
    problem,
    read_file,
)

CHUNK = 900  # ids per IN (…): below SQLite's smallest limit on query parameters
# A value's key: the fields of its unique constraint (one value per measure, period, gender).
UNIQUE_FIELDS = ["measure", "year", "period_kind", "period", "gender"]
# What an import writes over a stored value; the rest of the row is its key.
WRITTEN_FIELDS = ["value", "grade", "comment", "source", "batch", "updated_by", "updated_at"]
READ_FIELDS = ["value", "grade", "comment"]  # what it compares
FETCH = 10_000  # stored values fetched from the cursor at a time
KEYS_TABLE = "tillit_import_keys"  # temporary tables, for the length of one statement or two
VALUES_TABLE = "tillit_import_values"

Key = tuple[int, int, str, int, str]


@dataclass(frozen=True)
class Change:
    """What a row does to a stored value: creates it or changes it."""

    row: int
    measure: Measure
    year: int
    period_kind: str
    period: int
    gender: str
    created: bool
    old_value: Decimal | None
    new_value: Decimal | None
    old_grade: str
    new_grade: str
    old_comment: str
    new_comment: str

    @property
    def period_label(self) -> str:
        return period_label(self.year, self.period_kind, self.period)

    @property
    def gender_label(self) -> str:
        return str(Gender(self.gender).label)

    @property
    def old_display(self) -> str:
        return self._display(self.old_value, self.old_grade)

    @property
    def new_display(self) -> str:
        return self._display(self.new_value, self.new_grade)

    @property
    def value_changed(self) -> bool:
        return self.old_value != self.new_value or self.old_grade != self.new_grade

    @property
    def comment_changed(self) -> bool:
        return self.old_comment != self.new_comment

    def _display(self, value: Decimal | None, grade: str) -> str:
        if self.measure.kind == MeasureKind.QUALITATIVE:
            return str(Fulfilment(grade).label) if grade else "–"
        return format_number(value)

    def describe(self) -> str:
        """One line, as the command prints it."""
        text = _("Row %(row)s: %(measure)s (id %(id)s), %(period)s, %(gender)s: %(old)s → %(new)s")
        line = text % {
            "row": self.row,
            "measure": self.measure.title,
            "id": self.measure.pk,
            "period": self.period_label,
            "gender": self.gender_label.lower(),
            "old": _("new") if self.created else self.old_display,
            "new": self.new_display,
        }
        if self.comment_changed:
            line += " " + _("(comment: %(comment)s)") % {"comment": self.new_comment or "–"}
        return line


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[Change] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # at most MAX_ERRORS, by row
    error_count: int = 0  # all of them
    dry_run: bool = True
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def written(self) -> bool:
        return self.batch is not None

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    def measures(self) -> list[tuple[Measure, int]]:
        """The measures the import changes, with how many of their values, by title."""
        counts: dict[int, int] = defaultdict(int)
        by_id: dict[int, Measure] = {}
        for change in self.changes:
            counts[change.measure.pk] += 1
            by_id[change.measure.pk] = change.measure
        return sorted(((by_id[pk], n) for pk, n in counts.items()), key=lambda m: m[0].title)

    def summary(self) -> str:
        if not self.ok:
            return ngettext(
                "Nothing was imported: the file has %(count)s error.",
                "Nothing was imported: the file has %(count)s errors.",
                self.error_count,
            ) % {"count": format_number(self.error_count)}
        return self.outcome()

    def outcome(self) -> str:
        """What the import did (or, in a dry run, would do), counted, in one sentence."""
        counts = {
            "created": format_number(self.created),
            "updated": format_number(self.updated),
            "unchanged": format_number(self.unchanged),
        }
        if self.dry_run:
            return (
                _(
                    "Dry run, nothing saved. If imported: new values %(created)s, "
                    "changed %(updated)s, unchanged %(unchanged)s."
                )
                % counts
            )
        return (
            _("Imported. New values %(created)s, changed %(updated)s, unchanged %(unchanged)s.")
            % counts
        )


def period_label(year: int, period_kind: str, period: int) -> str:
    if period_kind == PeriodKind.TERTIAL:
        return f"{year} T{period}"
    if period_kind == PeriodKind.MONTH:
        return f"{year}-{period:02d}"
    return str(year)


def import_file(
    *,
    source: str | Path | IO[bytes] | bytes,
    name: str,
    organisation: Organisation,
    user: User | None,
    dry_run: bool,
) -> ImportResult:
    """Read a file and import it (or dry-run it): the file's name is the description."""
    parsed = read_file(source, name)
    return import_values(
        rows=parsed.rows,
        organisation=organisation,
        user=user,
        description=Path(name).name,
        dry_run=dry_run,
        problems=parsed.problems,
    )


def import_values(
    *,
    rows: Iterable[ValueRow],
    organisation: Organisation,
    user: User | None,
    description: str,
    dry_run: bool,
    problems: Sequence[Problem] = (),
    source: str = Source.FILE,
) -> ImportResult:
    """Check the rows, then (unless dry_run, or anything is wrong) write them all in one
    transaction. `problems` are those found while reading the file: with any, nothing is
    written, but the rows are still checked so that every error is reported at once.
    `source` is recorded on the batch and on every value written (a file, Kolada …)."""
    rows = list(rows)
    errors = list(problems)
    if not rows and not errors:
        errors.append(problem(_("The file has no values: there are no rows under the header.")))
    measures = _measures(organisation, {row.measure_id for row in rows})
    errors += _check_rows(rows, measures, organisation)
    if user is not None:
        errors += _check_permissions(rows, measures, user)
    if errors:
        errors.sort(key=lambda p: p.sort_key)
        return ImportResult(errors=errors[:MAX_ERRORS], error_count=len(errors), dry_run=dry_run)

    with transaction.atomic():
        result = _compare(rows, measures)
        result.dry_run = dry_run
        if dry_run or not result.changes:
            return result
        result.batch = ImportBatch.objects.create(
            organisation_id=organisation.pk,
            source=source,
            description=description[:300],
            created_by=user,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
        _write_values(result.changes, source=source, batch=result.batch, user=user)
    return result


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _measures(organisation: Organisation, ids: set[int]) -> dict[int, Measure]:
    found: dict[int, Measure] = {}
    for chunk in _chunks(sorted(ids)):
        found.update(
            (m.pk, m)
            for m in Measure.objects.filter(
                organisation_id=organisation.pk, pk__in=chunk
            ).select_related("responsible_unit")
        )
    return found


def _check_rows(
    rows: list[ValueRow], measures: dict[int, Measure], organisation: Organisation
) -> list[Problem]:
    found: list[Problem] = []
    for row in rows:
        measure = measures.get(row.measure_id)
        if measure is None:
            found.append(
                problem(
                    _("there is no measure with id %(id)s in %(organisation)s.")
                    % {"id": row.measure_id, "organisation": organisation.name},
                    row=row.row,
                    column=MEASURE,
                )
            )
            continue
        qualitative = measure.kind == MeasureKind.QUALITATIVE
        if qualitative and row.value is not None:
            found.append(
                problem(
                    _(
                        "“%(measure)s” is a qualitative measure: give its assessment in the "
                        "column “%(grade)s”, not a number."
                    )
                    % {"measure": measure.title, "grade": GRADE},
                    row=row.row,
                    column=VALUE,
                )
            )
        if not qualitative and row.grade:
            found.append(
                problem(
                    _(
                        "“%(measure)s” is measured in numbers: give its value in the column "
                        "“%(value)s”, not an assessment."
                    )
                    % {"measure": measure.title, "value": VALUE},
                    row=row.row,
                    column=GRADE,
                )
            )
        if row.gender != Gender.TOTAL and not measure.by_gender:
            found.append(
                problem(
                    _(
                        "“%(measure)s” is not reported by gender: write T (total) or leave the "
                        "cell empty."
                    )
                    % {"measure": measure.title},
                    row=row.row,
                    column=GENDER,
                )
            )
    return found


def _row_ranges(numbers: list[int], most: int = 10) -> str:
    """[4, 5, 6, 9] → "4–6, 9"; after `most` ranges, "…"."""
    ranges: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        ranges.append(str(start) if start == previous else f"{start}–{previous}")
        if number is not None:
            start = previous = number
    if len(ranges) > most:
        ranges = [*ranges[:most], "…"]
    return ", ".join(ranges)


def _check_permissions(
    rows: list[ValueRow], measures: dict[int, Measure], user: User
) -> list[Problem]:
    """One problem per measure the person may not enter values for, naming its rows."""
    rows_of: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row.measure_id in measures:
            rows_of[row.measure_id].append(row.row)
    found: list[Problem] = []
    for measure_id, numbers in rows_of.items():
        measure = measures[measure_id]
        if user.has_perm("measures.enter_values", measure):
            continue
        text = ngettext(
            "Row %(rows)s: you may not enter values for “%(measure)s”.",
            "Rows %(rows)s: you may not enter values for “%(measure)s”.",
            len(numbers),
        ) % {"rows": _row_ranges(numbers), "measure": measure.title}
        found.append(Problem(text, row=numbers[0], column=MEASURE))
    return found


def _compare(rows: list[ValueRow], measures: dict[int, Measure]) -> ImportResult:
    stored = _stored_values(rows)
    result = ImportResult()
    for row in rows:
        old = stored.get(row.key)
        old_value, old_grade, old_comment = old if old else (None, "", "")
        new_value = row.value if "value" in row.given else old_value
        new_grade = row.grade if "grade" in row.given else old_grade
        new_comment = row.comment if "comment" in row.given else old_comment
        if (new_value, new_grade, new_comment) == (old_value, old_grade, old_comment):
            # Also an empty row for a value that was never there: nothing to store.
            result.unchanged += 1
            continue
        if old is None:
            result.created += 1
        else:
            result.updated += 1
        result.changes.append(
            Change(
                row=row.row,
                measure=measures[row.measure_id],
                year=row.year,
                period_kind=row.period_kind,
                period=row.period,
                gender=row.gender,
                created=old is None,
                old_value=old_value,
                new_value=new_value,
                old_grade=old_grade,
                new_grade=new_grade,
                old_comment=old_comment,
                new_comment=new_comment,
            )
        )
    return result


# --- reading the stored values and writing the changes -------------------------------------
#
# Raw SQL on the model's own table and columns: the ORM cannot join a list of composite
# keys, and bulk_create spends most of a large import building a model instance per
# row and compiling its SQL field by field. SQLite (≥ 3.24, for the upsert) and
# PostgreSQL are supported. Values and times are adapted by the database's operations,
# so they are stored and read exactly as the ORM stores and reads them.


def _stored_values(rows: list[ValueRow]) -> dict[Key, tuple[Decimal | None, str, str]]:
    """The stored value, assessment and comment of each row's key that has one.

    The keys go into a temporary table, and each is looked up in the values' unique
    index: four statements for any number of rows, reading exactly the rows' values
    (not every value of the rows' measures and years, at scale tens of times as many),
    as tuples, converted as the ORM would (on SQLite a number comes back as a float,
    rounded to 4 decimals). A temporary table rather than `IN (VALUES …)`, which SQLite
    allows only so many parameters and does not use the index for, or unnest(arrays),
    which PostgreSQL joins by reading the whole table.
    """
    keys = sorted({row.key for row in rows})  # in the index's order: fewer pages to read
    key_columns = [_column(name) for name in UNIQUE_FIELDS]
    read = ", ".join(f"v.{c}" for c in key_columns + [_column(name) for name in READ_FIELDS])
    same_key = " AND ".join(f"v.{c} = k.{c}" for c in key_columns)
    if connection.vendor == "postgresql":
        # Joined plainly, 100,000 keys are hashed against all the values (millions,
        # 4 times as slow): LIMIT 1 makes PostgreSQL look each key up in the index.
        values = f"LATERAL (SELECT * FROM {_table()} v WHERE {same_key} LIMIT 1) v ON true"
    else:
        values = f"{_table()} v ON {same_key}"  # SQLite's own plan: each key in the index
    column, converters = _converters("value")
    stored: dict[Key, tuple[Decimal | None, str, str]] = {}
    with connection.cursor() as cursor, _temporary_table(cursor, KEYS_TABLE, UNIQUE_FIELDS, keys):
        cursor.execute(f"SELECT {read} FROM {_quoted(KEYS_TABLE)} k JOIN {values}")
        while found := cursor.fetchmany(FETCH):
            for measure_id, year, kind, period, gender, value, grade, comment in found:
                for convert in converters:
                    value = convert(value, column, connection)
                stored[(measure_id, year, kind, period, gender)] = (value, grade, comment)
    return stored


def _write_values(
    changes: list[Change], *, source: str, batch: ImportBatch, user: User | None
) -> None:
    """Upsert the new and changed values in a constant number of statements.

    Each gets `updated_at`, one time for all of them as auto_now would set it (SQLite
    keeps it as text, in UTC, in Django's format; the adapter takes care of that). An
    upsert, not inserts and updates: a value another import stored after this one
    compared is overwritten, as in the ORM's upsert, instead of failing the import."""
    ops = connection.ops
    value_field = MeasureValue._meta.get_field("value")
    digits, places = value_field.max_digits, value_field.decimal_places
    same = (
        source,
        batch.pk,
        user.pk if user is not None else None,
        ops.adapt_datetimefield_value(timezone.now()),
    )
    values = [
        (
            change.measure.pk,
            change.year,
            change.period_kind,
            change.period,
            change.gender,
            ops.adapt_decimalfield_value(change.new_value, digits, places),
            change.new_grade,
            change.new_comment,
            *same,
        )
        for change in changes
    ]
    values.sort(key=lambda written: written[:5])  # in the unique index's order, as keys
    if connection.vendor == "postgresql":
        _upsert_postgresql(values)
    else:
        _upsert_sqlite(values)


def _upsert_sqlite(values: list[tuple]) -> None:
    """SQLite: one prepared upsert, executed for each value. SQLite runs in-process, so
    there are no round trips to save. (Many rows to a VALUES is about 1.5 times as fast
    at 100,000 values, but takes a statement per few thousand, SQLite's limit on
    parameters, and a statement per 83 with the 999 Django assumes.)"""
    placeholders = ", ".join(["%s"] * len(UNIQUE_FIELDS + WRITTEN_FIELDS))
    with connection.cursor() as cursor:
        cursor.executemany(_upsert(f"VALUES ({placeholders})"), values)


def _upsert_postgresql(values: list[tuple]) -> None:
    """PostgreSQL: COPY the values into a temporary table, then one INSERT … SELECT …
    ON CONFLICT. Several times as fast as executemany of the upsert (a statement per
    value, each bound and parsed apart) and a little faster than unnest(arrays)."""
    fields = UNIQUE_FIELDS + WRITTEN_FIELDS
    columns = ", ".join(_column(name) for name in fields)
    with connection.cursor() as cursor, _temporary_table(cursor, VALUES_TABLE, fields, values):
        cursor.execute(_upsert(f"SELECT {columns} FROM {_quoted(VALUES_TABLE)}"))


def _upsert(rows: str) -> str:
    """INSERT `rows` (VALUES or a SELECT of all the columns of a value but its id),
    updating the written columns of any value with the same key."""
    key = ", ".join(_column(name) for name in UNIQUE_FIELDS)
    columns = ", ".join(_column(name) for name in UNIQUE_FIELDS + WRITTEN_FIELDS)
    written = ", ".join(f"{c} = EXCLUDED.{c}" for c in map(_column, WRITTEN_FIELDS))
    return f"INSERT INTO {_table()} ({columns}) {rows} ON CONFLICT ({key}) DO UPDATE SET {written}"


@contextmanager
def _temporary_table(cursor, name: str, fields: list[str], rows: list[tuple]) -> Iterator[None]:
    """A temporary table `name` with the columns of these MeasureValue fields, holding
    `rows`, for the length of the with block. Filled with COPY on PostgreSQL and with
    executemany on SQLite (in-process: as fast as it gets there)."""
    columns = ", ".join(_column(field) for field in fields)
    table = _quoted(name)
    # The columns' types, copied from the values table: no rows, just the shape.
    if connection.vendor == "postgresql":
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS"
            f" SELECT {columns} FROM {_table()} WITH NO DATA"
        )
        with (
            connection.wrap_database_errors,  # as Django's own errors, like the rest
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} AS SELECT {columns} FROM {_table()} WHERE 0"
        )
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
    yield
    cursor.execute(f"DROP TABLE {table}")


def _table() -> str:
    return _quoted(MeasureValue._meta.db_table)


def _column(name: str) -> str:
    """A MeasureValue field's column, quoted."""
    return _quoted(MeasureValue._meta.get_field(name).column)


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _converters(name: str) -> tuple[Col, list[Callable]]:
    """A field's column and the functions the ORM applies to it when it reads it, each
    called as f(value, column, connection): none for a number on PostgreSQL; on SQLite,
    float → Decimal rounded to the field's decimal places."""
    column = MeasureValue._meta.get_field(name).get_col(MeasureValue._meta.db_table)
    return column, connection.ops.get_db_converters(column) + column.get_db_converters(connection)
