"""Benchmark: the economy of a large synthetic municipality.

Builds (once per database) an organisation with an administration of many units under
its verksamheter, a cost centre (SIE object) per unit mapped to it, a chart of accounts,
and the year's budget with a frame per verksamhet. Writes a year of its accounting as a
SIE 4E file (vouchers on every unit, the opening balances, the budget's month profile),
then measures
- `sie.parse` of that file, and `import_sie` of it into an empty year and again over
  itself (every month replaced): the app's own path, all or nothing, as on the page;
- the monthly follow-up `/ekonomi/<year>/`, a verksamhet's page, the monthly report to
  KS and its PDF, with Django's test client as the economist: server time, queries and
  size.

Usage (a database of its own; never the development database):
    DATABASE_URL=sqlite:////tmp/tillit-bench-economy.sqlite3 .venv/bin/python benchmarks/economy.py
    scripts/with-postgres.sh .venv/bin/python benchmarks/economy.py
Options: --operations N (default 40), --units N (units per verksamhet, default 50),
--accounts N (cost accounts, default 300), --lines N (voucher lines, default 200000),
--repeat N (page timings, default 3).
Results go to stdout as Markdown for docs/benchmarks.md; progress to stderr.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/tillit-bench-economy.sqlite3")
os.environ["TILLIT_ORGANISATION"] = "storekonomi"
SLUG = "storekonomi"
YEAR = 2026

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from tillit.core.choices import BodyKind, UnitKind  # noqa: E402
from tillit.core.models import Body, Decision, Organisation, OrgUnit, User  # noqa: E402
from tillit.economy import sie  # noqa: E402
from tillit.economy.choices import BudgetKind, StatementLine  # noqa: E402
from tillit.economy.imports import import_sie  # noqa: E402
from tillit.economy.models import (  # noqa: E402
    BudgetDocument,
    BudgetLine,
    CostObject,
    Outcome,
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def build(args: argparse.Namespace) -> tuple[Organisation, list[OrgUnit], list[OrgUnit]]:
    organisation, created = Organisation.objects.get_or_create(
        slug=SLUG, defaults={"name": "Storstads kommun"}
    )
    operations = list(OrgUnit.objects.filter(organisation=organisation, kind=UnitKind.OPERATION))
    if not created and operations:
        units = list(OrgUnit.objects.filter(organisation=organisation, kind=UnitKind.UNIT))
        return organisation, operations, units
    log("building the organisation …")
    root = OrgUnit.objects.create(
        organisation=organisation, kind=UnitKind.ADMINISTRATION, name="Förvaltningen"
    )
    operations, units = [], []
    for i in range(args.operations):
        operation = OrgUnit.objects.create(
            organisation=organisation,
            kind=UnitKind.OPERATION,
            name=f"Verksamhet {i + 1}",
            parent=root,
            order=i,
        )
        operations.append(operation)
        for j in range(args.units):
            units.append(
                OrgUnit.objects.create(
                    organisation=organisation,
                    kind=UnitKind.UNIT,
                    name=f"Enhet {i + 1}.{j + 1}",
                    parent=operation,
                    order=j,
                )
            )
    CostObject.objects.bulk_create(
        CostObject(organisation=organisation, dimension=1, code=f"K{u.pk}", name=u.name, unit=u)
        for u in units
    )
    council = Body.objects.create(
        organisation=organisation,
        kind=BodyKind.COUNCIL,
        name="Kommunfullmäktige",
        abbreviation="KF",
    )
    decision = Decision.objects.create(
        organisation=organisation,
        body=council,
        date=date(YEAR - 1, 11, 20),
        paragraph="1",
        title=f"Budget {YEAR}",
    )
    document = BudgetDocument.objects.create(
        organisation=organisation,
        kind=BudgetKind.BUDGET,
        year=YEAR,
        title=f"Budget {YEAR} och ekonomisk plan",
        decision=decision,
    )
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(document=document, year=YEAR, unit=op, amount=Decimal(500_000_000))
            for op in operations
        ]
        + [
            BudgetLine(document=document, year=YEAR, line=line, amount=Decimal(amount))
            for line, amount in (
                (StatementLine.TAX_REVENUE, 15_000_000_000),
                (StatementLine.GENERAL_GRANTS, 6_000_000_000),
            )
        ]
    )
    User.objects.create_user("bench-ekonom", organisation=organisation, is_economist=True)
    return organisation, operations, units


def accounting(args: argparse.Namespace, units: list[OrgUnit]) -> bytes:
    """A year's vouchers: each a cost on a unit's cost centre against the bank."""
    rng = random.Random(2026)
    cost_accounts = [str(4000 + 10 * i) for i in range(args.accounts)]
    file = sie.SieFile(company="Storstads kommun", program="Tillit benchmark")
    file.fiscal_years = {0: sie.FiscalYear(0, date(YEAR, 1, 1), date(YEAR, 12, 31))}
    file.dimensions = {1: sie.Dimension(1, "Kostnadsställe")}
    file.objects = {(1, f"K{u.pk}"): sie.SieObject(1, f"K{u.pk}", u.name) for u in units}
    file.accounts = {n: sie.Account(n, f"Kostnad {n}", "K") for n in cost_accounts}
    file.accounts["1930"] = sie.Account("1930", "Bank", "T")
    file.accounts["2010"] = sie.Account("2010", "Eget kapital", "S")
    file.balances = [
        sie.Balance("IB", 0, "1930", Decimal(5_000_000_000)),
        sie.Balance("IB", 0, "2010", Decimal(-5_000_000_000)),
    ]
    per_voucher = 5
    for n in range(args.lines // (per_voucher + 1)):
        month = n % 12 + 1
        unit = units[rng.randrange(len(units))]
        rows = [
            sie.Transaction(
                rng.choice(cost_accounts),
                ((1, f"K{unit.pk}"),),
                Decimal(rng.randrange(100, 1_000_000)),
            )
            for _ in range(per_voucher)
        ]
        rows.append(sie.Transaction("1930", (), -sum(r.amount for r in rows)))
        file.vouchers.append(
            sie.Voucher("A", str(n + 1), date(YEAR, month, 1 + n % 28), "Bokföring", rows)
        )
    return sie.write(file)


def counting(queries: list[tuple[float, str]]):
    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    return wrapper


def timed(function, repeat: int = 1) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=40)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    organisation, operations, units = build(args)
    economist = User.objects.get(username="bench-ekonom")
    log("writing the SIE file …")
    data = accounting(args, units)
    log(f"{len(data) / 1e6:.1f} MB")

    parse_time, parsed = timed(lambda: sie.parse(data))
    Outcome.objects.filter(organisation=organisation, year=YEAR).delete()
    log("importing …")
    first_time, report = timed(
        lambda: import_sie(organisation, data, file_name="storstad.se", user=economist)
    )
    again_time, _ = timed(
        lambda: import_sie(organisation, data, file_name="storstad.se", user=economist)
    )
    rows = report.rows
    lines = sum(len(v.transactions) for v in parsed.vouchers)

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(economist)
    pages = [
        ("the monthly follow-up", f"/ekonomi/{YEAR}/?manad=12"),
        ("a verksamhet", f"/ekonomi/{YEAR}/verksamhet/{operations[0].pk}/?manad=12"),
        ("the report to KS", f"/ekonomi/{YEAR}/12/rapport/"),
        ("the report as PDF", f"/ekonomi/{YEAR}/12/rapport.pdf"),
    ]
    results = []
    for label, url in pages:
        client.get(url)  # warm
        queries: list[tuple[float, str]] = []  # a request resets the query log: count here
        with connection.execute_wrapper(counting(queries)):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        slowest = max(queries)
        log(f"{label}: slowest query {slowest[0] * 1000:.0f} ms: {slowest[1][:300]}")
        seconds, response = timed(lambda url=url: client.get(url), args.repeat)
        results.append((label, url, seconds, len(queries), len(response.content)))

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    vendor = connection.vendor
    print(
        f"### {vendor}: {len(units)} units in {len(operations)} verksamheter, "
        + f"{lines:,} voucher lines".replace(",", "\u00a0")
    )
    print()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; SIE file {len(data) / 1e6:.1f} MB."
    )
    print()
    print("| step | time | note |")
    print("|---|---|---|")
    print(f"| `sie.parse` | {parse_time:.2f} s | {len(parsed.vouchers)} vouchers |")
    print(f"| `import_sie`, a new year | {first_time:.2f} s | {rows} ledger rows |")
    print(f"| `import_sie` again (every month replaced) | {again_time:.2f} s | |")
    print()
    print("| page | server time (median) | queries | size |")
    print("|---|---|---|---|")
    for label, url, seconds, count, size in results:
        print(f"| {label} (`{url}`) | {seconds * 1000:.0f} ms | {count} | {size / 1000:.0f} kB |")
    print()
    print(f"Peak memory of the process: {peak:.0f} MB.")


if __name__ == "__main__":
    main()
