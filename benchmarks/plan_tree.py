"""Benchmark: the plan pages of a large synthetic municipality.

Builds (once per database) an organisation with many perspectives, focus areas
and goals, a deep administration and a long history, then measures the server
time and the number of queries of the start page, a steering document page, a
goal page and the organisation page, as an anonymous visitor and as staff.

Usage (a database of its own; never the development database):
    DATABASE_URL=sqlite:////tmp/tillit-bench.sqlite3 .venv/bin/python benchmarks/plan_tree.py
    scripts/with-postgres.sh .venv/bin/python benchmarks/plan_tree.py
Options: --goals N (default 20000), --units N (default 2000), --repeat N (default 5).
Results go to stdout as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/tillit-bench.sqlite3")
os.environ["TILLIT_ORGANISATION"] = "storstad"
SLUG = "storstad"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tillit.core.models import Body, Decision, Organisation, OrgUnit, User  # noqa: E402
from tillit.planning.models import Level, PlanNode, SteeringDocument  # noqa: E402

PERSPECTIVES = 10
FOCUS_PER_PERSPECTIVE = 20


def build(goals: int, units: int) -> Organisation:
    org = Organisation.objects.filter(slug="storstad").first()
    if org is not None:
        return org
    started = time.perf_counter()
    with transaction.atomic():
        org = Organisation.objects.create(slug="storstad", name="Storstads kommun")
        parent = None
        levels = {}
        for order, (key, name) in enumerate(
            [("perspective", "Perspektiv"), ("focus_area", "Fokusområde"), ("goal", "Mål")]
        ):
            levels[key] = parent = Level.objects.create(
                organisation=org,
                key=key,
                name=name,
                name_plural=name,
                parent=parent,
                owner="political",
                lifetime="mandate",
                numbered=True,
                order=order,
            )
        kf = Body.objects.create(
            organisation=org, kind="council", name="Kommunfullmäktige", abbreviation="KF"
        )
        decision = Decision.objects.create(
            organisation=org, body=kf, date="2023-11-27", paragraph="1", title="Mål och budget"
        )
        doc = SteeringDocument.objects.create(
            organisation=org,
            title="Mål 2024–2027",
            start_year=2024,
            end_year=2027,
            status="adopted",
            decision=decision,
        )
        common = {"organisation": org, "document": doc, "decision": decision}
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
        per_focus = max(goals // len(focus), 1)
        created = PlanNode.objects.bulk_create(
            (
                PlanNode(
                    level=levels["goal"],
                    parent=f,
                    number=g,
                    title=f"Vi når mål {g} inom {f.title.lower()}",
                    **common,
                )
                for f in focus
                for g in range(1, per_focus + 1)
            ),
            batch_size=2000,
        )
        through = PlanNode.sdgs.through
        through.objects.bulk_create(
            (
                through(plannode_id=g.pk, sustainabledevelopmentgoal_id=1 + i % 17)
                for i, g in enumerate(created)
            ),
            batch_size=5000,
        )
        root = OrgUnit.objects.create(organisation=org, kind="administration", name="Förvaltning")
        operations = [
            OrgUnit.objects.create(
                organisation=org, parent=root, kind="operation", name=f"Verksamhet {n}"
            )
            for n in range(max(units // 50, 1))
        ]
        for n in range(units - len(operations) - 1):
            OrgUnit.objects.create(
                organisation=org,
                parent=operations[n % len(operations)],
                kind="unit",
                name=f"Enhet {n}",
            )
        User.objects.create_user("bench", organisation=org, is_plan_administrator=True)
    print(f"Built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return org


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
    parser.add_argument("--goals", type=int, default=20000)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    org = build(args.goals, args.units)
    settings.ALLOWED_HOSTS = ["testserver"]
    goal = PlanNode.objects.filter(organisation=org, level__key="goal").order_by("pk").first()
    doc = goal.document
    pages = [
        ("start page", "/"),
        ("steering document", doc.get_absolute_url()),
        ("goal page", goal.get_absolute_url()),
        ("organisation", "/organisation/"),
    ]
    anonymous, staff = Client(), Client()
    staff.force_login(User.objects.get(username="bench"))
    engine = connection.vendor
    goals = PlanNode.objects.filter(organisation=org, level__key="goal").count()
    units = OrgUnit.objects.filter(organisation=org).count()
    print(
        f"\n{engine}: {goals} goals, {units} units; {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}; median of {args.repeat}\n"
    )
    print("| page | who | server time (ms) | queries | HTML (kB) |")
    print("|---|---|---:|---:|---:|")
    for name, url in pages:
        for who, client in (("anonymous", anonymous), ("staff", staff)):
            ms, queries, size = measure(client, url, args.repeat)
            print(f"| {name} | {who} | {ms:.0f} | {queries} | {size / 1024:.0f} |")


if __name__ == "__main__":
    main()
