"""The import's own SQL: reading stored values by key and upserting the changes.

`import_values` reads and writes values with raw SQL (a temporary table of keys,
executemany or COPY of an upsert) instead of the ORM. These tests hold that path to
what the ORM would store and read: every column of a written value, numbers and times
as Django adapts them, a constant number of queries, and all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, DataError, IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tillit.core.choices import Fulfilment
from tillit.core.models import OrgUnit
from tillit.measures.choices import Gender, MeasureKind, PeriodKind, Source
from tillit.measures.importers import service
from tillit.measures.importers.service import import_values
from tillit.measures.importers.values import ValueRow
from tillit.measures.models import ImportBatch, Measure, MeasureValue

VALUE_TABLE = MeasureValue._meta.db_table
LONG_AGO = timezone.now() - timedelta(days=400)


def make_measure(organisation, node, title, **extra) -> Measure:
    extra.setdefault("unit", "%")
    return Measure.objects.create(
        organisation=organisation,
        node=node,
        title=title,
        responsible_unit=OrgUnit.objects.get(organisation=organisation, name="Tengbergsskolan F–6"),
        **extra,
    )


@pytest.fixture
def measure(grastorp, area):
    return make_measure(grastorp, area, "Elever som läser varje dag")


@pytest.fixture
def gender_measure(grastorp, goal):
    return make_measure(grastorp, goal, "Behöriga till gymnasiet", by_gender=True)


@pytest.fixture
def qualitative(grastorp, area):
    return make_measure(
        grastorp, area, "Skolbiblioteket används", kind=MeasureKind.QUALITATIVE, unit=""
    )


def row(measure, year, *, n=2, given=("value",), **fields) -> ValueRow:
    return ValueRow(row=n, measure_id=measure.pk, year=year, given=frozenset(given), **fields)


def run(rows, organisation, user=None, **options):
    options.setdefault("description", "värden.csv")
    options.setdefault("dry_run", False)
    return import_values(rows=rows, organisation=organisation, user=user, **options)


def stored(measure) -> dict[tuple, MeasureValue]:
    return {
        (v.year, v.period_kind, v.period, v.gender): v
        for v in MeasureValue.objects.filter(measure=measure)
    }


def old_value(measure, year, **fields) -> MeasureValue:
    """A value stored long ago, by the ORM, with provenance of its own."""
    value = MeasureValue.objects.create(measure=measure, year=year, **fields)
    MeasureValue.objects.filter(pk=value.pk).update(updated_at=LONG_AGO)
    value.refresh_from_db()
    return value


def test_new_and_changed_values_get_every_column_right(grastorp, personas, measure):
    strateg, enhetschef = personas["strateg"], personas["enhetschef"]
    earlier = ImportBatch.objects.create(organisation=grastorp, source=Source.KOLADA)
    changed = old_value(measure, 2023, value=Decimal("40"), comment="Gammal", updated_by=enhetschef)
    commented = old_value(measure, 2022, value=Decimal("30"), comment="Före")
    untouched = old_value(measure, 2021, value=Decimal("20"), source=Source.KOLADA, batch=earlier)

    before = timezone.now()
    result = run(
        [
            row(
                measure, 2024, n=2, value=Decimal("61.5"), comment="Ny", given={"value", "comment"}
            ),
            row(measure, 2023, n=3, value=Decimal("41")),  # no comment given: it stays
            row(measure, 2022, n=4, value=Decimal("30"), comment="", given={"value", "comment"}),
            row(measure, 2021, n=5, value=Decimal("20")),
        ],
        grastorp,
        strateg,
    )
    after = timezone.now()

    assert result.ok and result.written
    assert (result.created, result.updated, result.unchanged) == (1, 2, 1)
    assert [(c.row, c.created, c.old_value, c.new_value) for c in result.changes] == [
        (2, True, None, Decimal("61.5")),
        (3, False, Decimal("40"), Decimal("41")),
        (4, False, Decimal("30"), Decimal("30")),
    ]
    values = stored(measure)
    batch = result.batch
    new = values[(2024, "year", 1, "T")]
    assert (new.value, new.grade, new.comment) == (Decimal("61.5"), "", "Ny")
    for written in (new, values[(2023, "year", 1, "T")], values[(2022, "year", 1, "T")]):
        assert (written.source, written.batch, written.updated_by) == (Source.FILE, batch, strateg)
        assert timezone.is_aware(written.updated_at)
        assert before <= written.updated_at <= after
    # Changed in place: the same rows, their other columns as the import left them.
    assert values[(2023, "year", 1, "T")].pk == changed.pk
    assert (values[(2023, "year", 1, "T")].value, values[(2023, "year", 1, "T")].comment) == (
        Decimal("41"),
        "Gammal",
    )
    assert values[(2022, "year", 1, "T")].pk == commented.pk
    assert values[(2022, "year", 1, "T")].comment == ""
    # An unchanged value is not written at all.
    kept = values[(2021, "year", 1, "T")]
    assert (kept.source, kept.batch, kept.updated_by, kept.updated_at) == (
        Source.KOLADA,
        earlier,
        None,
        untouched.updated_at,
    )
    assert (batch.source, batch.created_by, batch.created, batch.updated, batch.unchanged) == (
        Source.FILE,
        strateg,
        1,
        2,
        1,
    )


def test_the_time_of_a_change_is_stored_as_django_stores_it(grastorp, measure):
    by_hand = MeasureValue.objects.create(measure=measure, year=2020, value=1)
    result = run([row(measure, 2021, value=Decimal("2"))], grastorp)
    imported = MeasureValue.objects.get(measure=measure, year=2021)

    table = connection.ops.quote_name(VALUE_TABLE)
    if connection.vendor == "sqlite":
        # Text, naive, in UTC (the connection's time zone), in Django's own format.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, typeof(updated_at), CAST(updated_at AS TEXT) FROM {table}"
                " WHERE id IN (%s, %s)",
                [by_hand.pk, imported.pk],
            )
            raw = {pk: (kind, text) for pk, kind, text in cursor.fetchall()}
        django_format = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?")
        for kind, text in raw.values():
            assert kind == "text" and django_format.fullmatch(text)
        utc = timezone.make_naive(imported.updated_at, UTC)
        assert raw[imported.pk][1] == str(utc)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT updated_at FROM {table} WHERE id = %s", [imported.pk])
            assert cursor.fetchone()[0] == imported.updated_at
    assert imported.updated_at.utcoffset() == timedelta(0)
    assert by_hand.updated_at <= imported.updated_at <= timezone.now()
    assert result.batch.created_at <= imported.updated_at


NUMBERS = [
    Decimal("1234.5678"),
    Decimal("-0.0001"),
    Decimal("-273.15"),
    Decimal("0"),
    Decimal("0.1"),
    Decimal("99999999999.9999"),  # 15 significant digits: what SQLite keeps of a number
    Decimal("-12345678901.2345"),
    Decimal("7E+3"),
    Decimal("1.10"),
]


def test_numbers_are_stored_and_read_back_as_the_orm_does(grastorp, area, measure):
    by_orm = make_measure(grastorp, area, "Samma tal, sparade med ORM")
    rows = [row(measure, 2000 + i, value=v) for i, v in enumerate(NUMBERS)]
    MeasureValue.objects.bulk_create(
        MeasureValue(measure=by_orm, year=2000 + i, value=v) for i, v in enumerate(NUMBERS)
    )

    result = run(rows, grastorp)
    assert result.created == len(NUMBERS)
    imported = {year: v.value for (year, *_), v in stored(measure).items()}
    orm = {year: v.value for (year, *_), v in stored(by_orm).items()}
    assert imported == orm
    assert [imported[2000 + i] for i in range(len(NUMBERS))] == NUMBERS  # equal as numbers

    # What the comparison reads is what the ORM reads, to the last digit and exponent.
    as_read = service._stored_values(rows)
    by_values_list = {
        (m, y, k, p, g): (value, grade, comment)
        for m, y, k, p, g, value, grade, comment in MeasureValue.objects.filter(
            measure=measure
        ).values_list(
            "measure_id", "year", "period_kind", "period", "gender", "value", "grade", "comment"
        )
    }
    assert {k: (str(v), g, c) for k, (v, g, c) in as_read.items()} == {
        k: (str(v), g, c) for k, (v, g, c) in by_values_list.items()
    }
    again = run(rows, grastorp)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(NUMBERS))


def test_qualitative_rows_and_cleared_numbers_store_no_number(grastorp, measure, qualitative):
    old_value(measure, 2024, value=Decimal("12.5"), comment="Kvar")
    old_value(qualitative, 2024, grade=Fulfilment.PARTLY)
    result = run(
        [
            row(qualitative, 2024, grade=Fulfilment.MET, given={"grade"}),
            row(
                qualitative,
                2025,
                period_kind=PeriodKind.TERTIAL,
                period=2,
                grade=Fulfilment.NOT_ASSESSED,
                comment="Inte i år",
                given={"grade", "comment"},
            ),
            row(measure, 2024, value=None),  # an empty cell (or Kolada's null) clears it
        ],
        grastorp,
        source=Source.KOLADA,
    )
    assert (result.created, result.updated, result.unchanged) == (1, 2, 0)
    grades = {k: (v.value, v.grade, v.comment, v.source) for k, v in stored(qualitative).items()}
    assert grades == {
        (2024, "year", 1, "T"): (None, Fulfilment.MET, "", Source.KOLADA),
        (2025, "tertial", 2, "T"): (None, Fulfilment.NOT_ASSESSED, "Inte i år", Source.KOLADA),
    }
    cleared = MeasureValue.objects.get(measure=measure, year=2024)
    assert (cleared.value, cleared.comment, cleared.batch) == (None, "Kvar", result.batch)
    again = run([row(measure, 2024, value=None)], grastorp)
    assert (again.unchanged, again.batch) == (1, None)


def test_a_value_another_import_changed_in_between_is_compared_with_its_new_state(
    grastorp, personas, gender_measure
):
    rows = [
        row(gender_measure, 2024, n=2 + i, gender=g, value=Decimal(v))
        for i, (g, v) in enumerate([(Gender.TOTAL, "80"), (Gender.WOMEN, "84"), (Gender.MEN, "76")])
    ]
    first = run(rows, grastorp, personas["strateg"])
    kolada = run(
        [row(gender_measure, 2024, gender=Gender.WOMEN, value=Decimal("85.25"))],
        grastorp,
        source=Source.KOLADA,
    )
    assert kolada.updated == 1

    again = run(rows, grastorp, personas["enhetschef"])
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    [change] = again.changes
    assert (change.gender, change.old_value, change.new_value) == (
        Gender.WOMEN,
        Decimal("85.25"),
        Decimal("84"),
    )
    values = {v.gender: v for v in MeasureValue.objects.filter(measure=gender_measure)}
    assert (values["K"].value, values["K"].source, values["K"].batch) == (
        Decimal("84"),
        Source.FILE,
        again.batch,
    )
    assert values["K"].updated_by == personas["enhetschef"]
    assert {values["T"].batch, values["M"].batch} == {first.batch}


def test_a_value_stored_between_the_comparison_and_the_write_is_overwritten(
    grastorp, measure, monkeypatch
):
    """Another import commits the same key after this one read the stored values: the
    upsert overwrites it rather than failing on the unique constraint."""
    compare = service._stored_values

    def meanwhile(rows):
        found = compare(rows)
        MeasureValue.objects.create(measure=measure, year=2025, value=1, source=Source.KOLADA)
        return found

    monkeypatch.setattr(service, "_stored_values", meanwhile)
    result = run([row(measure, 2025, value=Decimal("2")), row(measure, 2024, value=3)], grastorp)
    assert (result.created, result.updated) == (2, 0)
    [value] = MeasureValue.objects.filter(measure=measure, year=2025)
    assert (value.value, value.source, value.batch) == (Decimal("2"), Source.FILE, result.batch)


def numbered_rows(measure, n: int) -> list[ValueRow]:
    """n rows of one measure by gender: months, genders, years from 1901 on."""
    keys = (
        (year, month, gender)
        for year in range(1901, 2101)
        for month in range(1, 13)
        for gender in (Gender.TOTAL, Gender.WOMEN, Gender.MEN)
    )
    return [
        ValueRow(
            row=i + 2,
            measure_id=measure.pk,
            year=year,
            period_kind=PeriodKind.MONTH,
            period=month,
            gender=gender,
            value=Decimal(i) / 8 - 100,
        )
        for i, (year, month, gender) in zip(range(n), keys, strict=False)
    ]


def test_the_queries_do_not_grow_with_the_rows(grastorp, personas, gender_measure, monkeypatch):
    """The same number of queries for 100 rows as for 3,000: new, changed, half changed.
    (bulk_create needed a statement per 83 values on SQLite, at 999 parameters each.)"""
    monkeypatch.setattr(service, "FETCH", 500)  # the stored values read in pieces, too
    counts = {}
    for n in (100, 3000):
        MeasureValue.objects.filter(measure=gender_measure).delete()
        rows = numbered_rows(gender_measure, n)
        changed = [replace(r, value=r.value + 1) for r in rows]
        half = rows[: n // 2] + changed[n // 2 :]
        queries = []
        for these, expected in (
            (rows, (n, 0, 0)),
            (changed, (0, n, 0)),
            (half, (0, n // 2, n // 2)),
        ):
            with CaptureQueriesContext(connection) as captured:
                result = run(these, grastorp, personas["strateg"])
            assert (result.created, result.updated, result.unchanged) == expected
            queries.append(len(captured))
        counts[n] = queries
    assert counts[3000] == counts[100]
    assert max(counts[3000]) <= 20
    values = MeasureValue.objects.filter(measure=gender_measure)
    assert sorted(v.value for v in values) == sorted(r.value for r in half)


def test_a_database_error_while_writing_leaves_nothing_behind(grastorp, measure):
    batches = ImportBatch.objects.count()
    table = connection.ops.quote_name(VALUE_TABLE)

    def fail_on_writing_values(execute, sql, params, many, context):
        if sql.startswith(f"INSERT INTO {table}"):
            raise DatabaseError("disk full")
        return execute(sql, params, many, context)

    rows = [row(measure, 2000 + i, value=i) for i in range(50)]
    with connection.execute_wrapper(fail_on_writing_values), pytest.raises(DatabaseError):
        run(rows, grastorp)
    assert ImportBatch.objects.count() == batches
    assert not MeasureValue.objects.filter(measure=measure).exists()
    # What the import set up for itself went with it: the next one works.
    assert run(rows, grastorp).created == 50


def test_a_value_the_database_refuses_rolls_back_the_values_before_it(grastorp, measure):
    batches = ImportBatch.objects.count()
    rows = [row(measure, 2000 + i, value=i) for i in range(50)]
    # A month 13 passes the service (the file reader refuses it) but not the table's check.
    rows.append(row(measure, 2024, period_kind=PeriodKind.MONTH, period=13, value=1))
    with pytest.raises(IntegrityError):
        run(rows, grastorp)
    assert ImportBatch.objects.count() == batches
    assert not MeasureValue.objects.filter(measure=measure).exists()
    assert run(rows[:-1], grastorp).created == 50


def test_a_dry_run_writes_nothing_and_can_be_repeated(grastorp, measure):
    old_value(measure, 2024, value=Decimal("5"))
    rows = [row(measure, 2024, value=Decimal("6")), row(measure, 2025, value=Decimal("7"))]
    for _ in range(2):
        result = run(rows, grastorp, dry_run=True)
        assert (result.created, result.updated, result.batch) == (1, 1, None)
    assert {k[0]: v.value for k, v in stored(measure).items()} == {2024: Decimal("5")}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite stores any number")
def test_a_number_too_large_for_the_column_is_djangos_data_error(grastorp, measure):
    """The file reader refuses more than 16 digits before the decimal point; past it, the
    database does, with Django's own exception (COPY is not Django's cursor)."""
    rows = [row(measure, 2024, value=Decimal("1")), row(measure, 2025, value=Decimal("1E+17"))]
    with pytest.raises(DataError):
        run(rows, grastorp)
    assert not MeasureValue.objects.filter(measure=measure).exists()
