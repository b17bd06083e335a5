"""Benchmark: measures, their values and imports in a large synthetic municipality.

Builds (once per database) an organisation with an administration of many units,
an adopted steering document with many goals and areas (områden), an adopted
operational plan (verksamhetsplan) for this year with a target for every measure,
and millions of values spread over years, periods (year, tertial, month) and
genders: the rows of the plan with bulk_create, the values with COPY on PostgreSQL
and executemany on SQLite, since bulk_create manages only about 13,000 values/s
(generation is timed and reported, not the thing measured). Then measures
- the import throughput of `import_values` (the app's own path, written for real)
  for new rows and for the same rows again (all unchanged), side by side with a
  bare insert of the same rows into a scratch table with the same columns
  (PostgreSQL: COPY; SQLite: executemany);
- the server time and the number of queries of the operational plan overview and
  of a measure page, as an anonymous visitor and as staff.

Usage (a database of its own; never the development database):
    DATABASE_URL=sqlite:////tmp/tillit-bench-measures.sqlite3 \
        .venv/bin/python benchmarks/measures.py
    scripts/with-postgres.sh .venv/bin/python benchmarks/measures.py
Options: --units N (default 2000), --goals N (goals and areas together, default 20000),
--measures N (default 60000), --values N (default 5000000), --import-rows N
(default 100000), --repeat N (default 5), --only import|pages (time only the imports or
only the pages).
Results go to stdout as Markdown tables for docs/benchmarks.md; progress to stderr.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import platform
import statistics
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/tillit-bench-measures.sqlite3")
os.environ["TILLIT_ORGANISATION"] = "storstad"
SLUG = "storstad"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tillit.core.models import Body, Decision, Organisation, OrgUnit, User  # noqa: E402
from tillit.measures.importers.service import import_values  # noqa: E402
from tillit.measures.importers.values import ValueRow  # noqa: E402
from tillit.measures.models import (  # noqa: E402
    ImportBatch,
    Measure,
    MeasureTarget,
    MeasureValue,
)
from tillit.planning.models import (  # noqa: E402
    Level,
    OperationalPlan,
    PlanNode,
    SteeringDocument,
)

PERSPECTIVES = 10
FOCUS_PER_PERSPECTIVE = 5
AREAS_PER_GOAL = 4  # so a fifth of "goals and areas" are goals
HISTORY_YEARS = 10  # values first fill year and tertial figures of the last ten years
BATCH = 50_000  # objects handed to one bulk_create (Django splits it further on SQLite)
IMPORT_DESCRIPTION = "benchmarks/measures.py"
SCRATCH = "bench_measure_value_scratch"
COLUMNS = [
    "measure_id",
    "year",
    "period_kind",
    "period",
    "gender",
    "value",
    "grade",
    "comment",
    "source",
    "batch_id",
    "updated_by_id",
    "updated_at",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def value_keys(year: int, by_gender: bool) -> Iterator[tuple[int, str, int, str]]:
    """A measure's (year, period kind, period, gender), in the order they are filled:
    the year and tertial figures of the last ten years, then their months, then
    older years (only reached when a measure needs more than that)."""
    genders = ("T", "K", "M") if by_gender else ("T",)
    coarse = [("year", 1), ("tertial", 1), ("tertial", 2), ("tertial", 3)]
    months = [("month", m) for m in range(1, 13)]
    recent = range(year, year - HISTORY_YEARS, -1)
    for periods in (coarse, months):
        for y in recent:
            for (kind, period), gender in itertools.product(periods, genders):
                yield y, kind, period, gender
    for y in itertools.count(year - HISTORY_YEARS, -1):
        for (kind, period), gender in itertools.product(coarse + months, genders):
            yield y, kind, period, gender


def value_of(measure_id: int, year: int, period: int, gender: str) -> Decimal:
    """A deterministic number around 50 that drifts with the years."""
    base = (measure_id * 7919 + year * 104729 + period * 31 + ord(gender)) % 4000
    return Decimal(base + 3000 + (year % 100) * 10) / 100


def planned_values(
    measures: list[tuple[int, bool]], total: int, year: int, skip: int = 0
) -> Iterator[tuple[int, int, str, int, str, Decimal]]:
    """`total` values spread evenly over the measures, measure by measure; `skip`
    leaves out each measure's first keys (those the build already stored)."""
    per, extra = divmod(total, len(measures))
    for index, (measure_id, by_gender) in enumerate(measures):
        n = per + (1 if index < extra else 0)
        for y, kind, period, gender in itertools.islice(
            value_keys(year, by_gender), skip, skip + n
        ):
            yield measure_id, y, kind, period, gender, value_of(measure_id, y, period, gender)


def build(args: argparse.Namespace, year: int) -> tuple[Organisation, str]:
    org = Organisation.objects.filter(slug=SLUG).first()
    if org is not None:
        return org, "an earlier run (see its output)"
    started = time.perf_counter()
    with transaction.atomic():
        org = Organisation.objects.create(slug=SLUG, name="Storstads kommun")
        parent = None
        levels = {}
        for order, (key, name, owner, lifetime) in enumerate(
            [
                ("perspective", "Perspektiv", "political", "mandate"),
                ("focus_area", "Fokusområde", "political", "mandate"),
                ("goal", "Mål", "political", "mandate"),
                ("area", "Område", "operations", "year"),
            ]
        ):
            levels[key] = parent = Level.objects.create(
                organisation=org,
                key=key,
                name=name,
                name_plural=name,
                parent=parent,
                owner=owner,
                lifetime=lifetime,
                numbered=key != "area",
                order=order,
            )
        kf = Body.objects.create(
            organisation=org, kind="council", name="Kommunfullmäktige", abbreviation="KF"
        )
        adopted_goals = Decision.objects.create(
            organisation=org,
            body=kf,
            date=f"{year - 3}-11-27",
            paragraph="1",
            title="Mål och budget",
        )
        adopted_plan = Decision.objects.create(
            organisation=org,
            body=kf,
            date=f"{year - 1}-11-25",
            paragraph="2",
            title=f"Verksamhetsplan {year}",
        )

        # Units: one administration, a fiftieth operations, the rest units under them.
        root = OrgUnit.objects.create(organisation=org, kind="administration", name="Förvaltning")
        operations = OrgUnit.objects.bulk_create(
            OrgUnit(organisation=org, parent=root, kind="operation", name=f"Verksamhet {n}")
            for n in range(max(args.units // 50, 1))
        )
        for unit in operations:
            unit.path = f"{root.path}{unit.pk}/"
        OrgUnit.objects.bulk_update(operations, ["path"], batch_size=2000)
        units = OrgUnit.objects.bulk_create(
            (
                OrgUnit(
                    organisation=org,
                    parent=operations[n % len(operations)],
                    kind="unit",
                    name=f"Enhet {n}",
                )
                for n in range(max(args.units - len(operations) - 1, 0))
            ),
            batch_size=2000,
        )
        for unit in units:
            unit.path = f"{unit.parent.path}{unit.pk}/"
        OrgUnit.objects.bulk_update(units, ["path"], batch_size=2000)
        units = units or operations

        # The plan: perspectives → focus areas → goals → areas.
        doc = SteeringDocument.objects.create(
            organisation=org,
            title=f"Mål {year - 2}–{year + 1}",
            start_year=year - 2,
            end_year=year + 1,
            status="adopted",
            decision=adopted_goals,
        )
        common = {"organisation": org, "document": doc, "decision": adopted_goals}
        perspectives = PlanNode.objects.bulk_create(
            PlanNode(level=levels["perspective"], number=p, title=f"Perspektiv {p}", **common)
            for p in range(1, PERSPECTIVES + 1)
        )
        focus = PlanNode.objects.bulk_create(
            PlanNode(
                level=levels["focus_area"], parent=p, number=f, title=f"Fokusområde {f}", **common
            )
            for p in perspectives
            for f in range(1, FOCUS_PER_PERSPECTIVE + 1)
        )
        n_goals = max(args.goals // (AREAS_PER_GOAL + 1), 1)
        goals = PlanNode.objects.bulk_create(
            (
                PlanNode(
                    level=levels["goal"],
                    parent=focus[g % len(focus)],
                    number=g // len(focus) + 1,
                    title=f"Vi når mål {g + 1}",
                    **common,
                )
                for g in range(n_goals)
            ),
            batch_size=2000,
        )
        areas = PlanNode.objects.bulk_create(
            (
                PlanNode(
                    level=levels["area"],
                    parent=goals[a % len(goals)],
                    title=f"Område {a + 1}",
                    owner_unit=units[a % len(units)],
                    year=year,
                    order=a // len(goals),
                    **common,
                )
                for a in range(max(args.goals - n_goals, 0))
            ),
            batch_size=2000,
        )
        plan = OperationalPlan.objects.create(
            organisation=org,
            document=doc,
            year=year,
            title=f"Verksamhetsplan {year}",
            status="adopted",
            decision=adopted_plan,
        )
        plan.goals.through.objects.bulk_create(
            (plan.goals.through(operationalplan_id=plan.pk, plannode_id=g.pk) for g in goals),
            batch_size=5000,
        )

        # Measures on goals and areas alike, each with a target in this year's plan.
        nodes = goals + areas
        measures = Measure.objects.bulk_create(
            (
                Measure(
                    organisation=org,
                    node=nodes[m % len(nodes)],
                    title=f"Verksamhetsmått {m + 1}",
                    unit="%",
                    direction="higher" if m % 3 else "lower",
                    decimals=1,
                    baseline_value=Decimal(40 + m % 20),
                    baseline_year=year - 3,
                    by_gender=m % 2 == 0,
                    responsible_unit=units[m % len(units)],
                    order=m // len(nodes),
                )
                for m in range(args.measures)
            ),
            batch_size=5000,
        )
        MeasureTarget.objects.bulk_create(
            (
                MeasureTarget(
                    measure=m, plan=plan, target=Decimal(60 + m.pk % 30), decision=adopted_plan
                )
                for m in measures
            ),
            batch_size=5000,
        )
        User.objects.create_user("bench", organisation=org, is_plan_administrator=True)
        log(
            f"Built the organisation, plan and {len(measures)} measures in"
            f" {time.perf_counter() - started:.1f} s"
        )

        started = time.perf_counter()
        pairs = [(m.pk, m.by_gender) for m in measures]
        values = planned_values(pairs, args.values, year)
        if connection.vendor == "postgresql":
            path = "COPY (psycopg cursor.copy)"
            copy_values(MeasureValue._meta.db_table, values)
        else:
            # bulk_create manages about 13,000 values/s here (building model instances
            # and their SQL is pure Python): too slow for millions, so executemany.
            path = "executemany INSERT"
            insert_values(MeasureValue._meta.db_table, values)
    seconds = time.perf_counter() - started
    log(f"Stored {args.values} values in {seconds:.1f} s ({args.values / seconds:,.0f}/s)")
    return org, f"{path}, {args.values / seconds:,.0f} values/s ({seconds:.0f} s)"


def copy_values(table: str, values) -> None:
    """COPY the values in text format, a few megabytes at a time."""
    now = timezone.now().isoformat()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
        with raw.copy(sql) as copy:
            buffer = io.StringIO()
            for n, (m, y, kind, period, gender, value) in enumerate(values, 1):
                buffer.write(f"{m}\t{y}\t{kind}\t{period}\t{gender}\t{value}\t\t\tmanual\t")
                buffer.write(f"\\N\t\\N\t{now}\n")
                if n % 100_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())


def insert_values(table: str, values) -> None:
    now = timezone.now().isoformat()
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    with connection.cursor() as cursor:
        while chunk := list(itertools.islice(values, BATCH)):
            cursor.executemany(
                sql,
                [
                    (m, y, kind, period, gender, str(value), "", "", "manual", None, None, now)
                    for m, y, kind, period, gender, value in chunk
                ],
            )


# --- import throughput ----------------------------------------------------------------------


def import_rows(org: Organisation, n: int, year: int) -> list[ValueRow]:
    """New rows: each measure's next keys after those the build stored."""
    measures = list(
        Measure.objects.filter(organisation=org).order_by("pk").values_list("pk", "by_gender")
    )
    stored = MeasureValue.objects.filter(measure_id=measures[0][0]).count()
    planned = planned_values(measures, n, year, skip=stored)
    return [
        ValueRow(row=i + 2, measure_id=m, year=y, period_kind=kind, period=p, gender=g, value=v)
        for i, (m, y, kind, p, g, v) in enumerate(planned)
    ]


def bare_insert(rows: list[ValueRow]) -> float:
    """The same rows into a scratch table with the same columns (no indexes)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute(
            f"CREATE TABLE {SCRATCH} (measure_id bigint NOT NULL, year smallint NOT NULL,"
            " period_kind varchar(10) NOT NULL, period smallint NOT NULL,"
            " gender varchar(1) NOT NULL, value numeric(20, 4), grade varchar(20) NOT NULL,"
            " comment text NOT NULL, source varchar(20) NOT NULL, batch_id bigint,"
            " updated_by_id bigint, updated_at timestamp with time zone NOT NULL)"
        )
    tuples = [
        (r.measure_id, r.year, r.period_kind, r.period, r.gender, r.value, "", "", "file")
        for r in rows
    ]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {SCRATCH} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for t in tuples:
                    copy.write_row((*t, None, None, now))
        else:
            cursor.executemany(
                f"INSERT INTO {SCRATCH} ({', '.join(COLUMNS)}) VALUES"
                f" ({', '.join(['%s'] * len(COLUMNS))})",
                [(*t[:5], str(t[5]), *t[6:], None, None, now.isoformat()) for t in tuples],
            )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {SCRATCH}")
    return seconds


def bench_import(org: Organisation, n: int, year: int) -> list[tuple[str, float, int, str]]:
    user = User.objects.get(username="bench")
    rows = import_rows(org, n, year)
    results = []
    for label in ("new rows", "same rows again (unchanged)"):
        started = time.perf_counter()
        result = import_values(
            rows=rows, organisation=org, user=user, description=IMPORT_DESCRIPTION, dry_run=False
        )
        seconds = time.perf_counter() - started
        assert result.ok, result.errors
        counts = f"{result.created} new, {result.updated} changed, {result.unchanged} unchanged"
        results.append((f"`import_values`, {label}", seconds, len(rows), counts))
        log(f"import_values, {label}: {seconds:.1f} s ({counts})")
    seconds = bare_insert(rows)
    bare = "`COPY`" if connection.vendor == "postgresql" else "`executemany` INSERT"
    results.append((f"bare {bare} into a scratch table", seconds, len(rows), "no checks"))
    return results


# --- pages ----------------------------------------------------------------------------------


def measure(client: Client, url: str, repeat: int) -> tuple[float, int, int]:
    times, queries = [], 0
    for _ in range(repeat):
        reset_queries()  # the build filled the debug log; counting needs room
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(times) * 1000, queries, len(response.content)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--goals", type=int, default=20000, help="goals and areas together")
    parser.add_argument("--measures", type=int, default=60000)
    parser.add_argument("--values", type=int, default=5_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--only", choices=["import", "pages"], help="time only the imports or only the pages"
    )
    args = parser.parse_args()

    year = timezone.localdate().year
    call_command("migrate", verbosity=0)
    # Generating and importing as in production: without the debug log of every query.
    settings.DEBUG = False
    org, generated = build(args, year)
    settings.ALLOWED_HOSTS = ["testserver"]
    # Back to the database as built: take away what an earlier run imported.
    MeasureValue.objects.filter(batch__description=IMPORT_DESCRIPTION).delete()
    ImportBatch.objects.filter(description=IMPORT_DESCRIPTION).delete()

    engine = connection.vendor
    units = OrgUnit.objects.filter(organisation=org).count()
    nodes = PlanNode.objects.filter(organisation=org, level__key__in=["goal", "area"]).count()
    measures = Measure.objects.filter(organisation=org).count()
    values = MeasureValue.objects.filter(measure__organisation=org).count()
    print(
        f"\n{engine}: {units} units, {nodes} goals and areas, {measures} measures,"
        f" {values} values; generated by {generated}; {platform.machine()},"
        f" {os.cpu_count()} cores, Python {platform.python_version()}\n"
    )

    if args.only != "pages":
        print("| import | rows | seconds | values/s | result |")
        print("|---|---:|---:|---:|---|")
        for name, seconds, n, counts in bench_import(org, args.import_rows, year):
            print(f"| {name} | {n} | {seconds:.2f} | {n / seconds:,.0f} | {counts} |", flush=True)
    if args.only == "import":
        return
    settings.DEBUG = True  # the pages as plan_tree.py measures them

    # A measure with values by gender, in the middle of the plan.
    sample = Measure.objects.filter(organisation=org, by_gender=True).order_by("pk")[measures // 4]
    pages = [
        ("operational plan overview", f"/verksamhetsplan/{year}/"),
        (f"measure page ({sample.values.count()} values)", sample.get_absolute_url()),
    ]
    anonymous, staff = Client(), Client()
    staff.force_login(User.objects.get(username="bench"))
    print(f"\nmedian of {args.repeat}\n")
    print("| page | who | server time (ms) | queries | HTML (kB) |")
    print("|---|---|---:|---:|---:|")
    for name, url in pages:
        for who, client in (("anonymous", anonymous), ("staff", staff)):
            ms, queries, size = measure(client, url, args.repeat)
            print(f"| {name} | {who} | {ms:.0f} | {queries} | {size / 1024:.0f} |", flush=True)


if __name__ == "__main__":
    main()
