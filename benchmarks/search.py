"""Benchmark: search in a large synthetic municipality.

Builds (once per database) "Sökstads kommun": an adopted steering document and a draft
one (10 perspectives × 20 focus areas × N goals each), tens of thousands of measures and
activities with Swedish-looking texts (random words from a municipal vocabulary, with a
rare word, a middling one and one in half the rows), 200 units and approved reports of
twenty years. Then it asks the public search (/insyn/sok/) and the staff search (/sok/)
a handful of queries with Django's test client (no network, no browser) and records the
median server time and the number of queries. On PostgreSQL it asks the same again with
the GIN indexes dropped (inside a transaction that is rolled back), to show what they do.

Usage (a database of its own; never the development database):
    DATABASE_URL=sqlite:////tmp/tillit-bench-search.sqlite3 .venv/bin/python benchmarks/search.py
    scripts/with-postgres.sh .venv/bin/python benchmarks/search.py
Options: --goals N per document (default 2000), --measures N (default 30000),
--activities N (default 50000), --repeat N (default 5).
Results go to stdout as Markdown tables for docs/benchmarks.md; progress to stderr.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/tillit-bench-search.sqlite3")
SLUG = "sokstad"
os.environ["TILLIT_ORGANISATION"] = SLUG

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from tillit.activities.models import Activity  # noqa: E402
from tillit.core.models import Body, Decision, Organisation, OrgUnit, User  # noqa: E402
from tillit.measures.models import Measure  # noqa: E402
from tillit.planning.models import Level, PlanNode, SteeringDocument  # noqa: E402
from tillit.reports.models import Report, ReportSection  # noqa: E402
from tillit.search.vectors import INDEX_NAMES  # noqa: E402

PERSPECTIVES = 10
FOCUS_PER_PERSPECTIVE = 20
VOCABULARY = """
arbete arbetet barn barnen elever eleverna skola skolan skolor skolorna lärare lärarna
undervisning läsning läsningen bibliotek biblioteket hemtjänst hemtjänsten omsorg omsorgen
äldre brukare brukarna trygghet tryggt trygg kvalitet kvaliteten uppföljning uppföljningen
mål målen resultat resultatet invånare invånarna kommun kommunen företag företagen
näringsliv näringslivet bostäder bostad byggande planering planeringen miljö miljön
klimat energi energin vatten avlopp gator vägar cykelvägar kollektivtrafik trafik
folkhälsa hälsa idrott fritid kultur kulturen föreningar föreningsliv ungdomar unga
integration språk svenska arbetsmarknad sysselsättning utbildning vuxenutbildning
digitalisering digitala tjänster service bemötande delaktighet dialog samverkan
samarbete nätverk ekonomi budget kostnader effektivitet personal medarbetare chefer
ledarskap arbetsmiljö sjukfrånvaro rekrytering kompetens kompetensutveckling
förbättring utveckling utvecklingen projekt insatser insats åtgärder åtgärd plan
planen strategi strategin prioritering tillgänglighet lokaler lokalerna nya fler
bättre ökad ökade minskad minskade andel antal procent jämfört året under inom
genom mellan tillsammans varje alla många flera viktigt arbetar fortsätter
""".split()
COMMON = "verksamhet"  # in about half the texts
MIDDLING = "förskola"  # in about one in twenty
RARE = "solcellspark"  # in about one in two thousand


def _text(rng: random.Random, words: int) -> str:
    chosen = rng.choices(VOCABULARY, k=words)
    if rng.random() < 0.5:
        chosen.insert(rng.randrange(len(chosen) + 1), COMMON)
    if rng.random() < 0.05:
        chosen.insert(rng.randrange(len(chosen) + 1), MIDDLING)
    if rng.random() < 0.0005:
        chosen.insert(rng.randrange(len(chosen) + 1), RARE)
    return " ".join(chosen).capitalize() + "."


def _title(rng: random.Random) -> str:
    return _text(rng, rng.randint(4, 9)).rstrip(".")


def build(goals: int, measures: int, activities: int) -> Organisation:  # noqa: PLR0915
    org = Organisation.objects.filter(slug=SLUG).first()
    if org is not None:
        return org
    rng = random.Random(7)
    started = time.perf_counter()
    with transaction.atomic():
        org = Organisation.objects.create(slug=SLUG, name="Sökstads kommun")
        parent, levels = None, {}
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
        council = Body.objects.create(
            organisation=org, kind="council", name="KF", abbreviation="KF"
        )
        board = Body.objects.create(organisation=org, kind="board", name="KS", abbreviation="KS")
        decision = Decision.objects.create(
            organisation=org, body=council, date="2023-11-27", paragraph="1", title="Mål"
        )
        documents = [
            SteeringDocument.objects.create(
                organisation=org,
                title="Mål 2024–2027",
                start_year=2024,
                end_year=2027,
                status="adopted",
                decision=decision,
            ),
            SteeringDocument.objects.create(
                organisation=org, title="Mål 2028–2031 (utkast)", start_year=2028, end_year=2031
            ),
        ]
        all_goals = []
        for document in documents:
            common = {"organisation": org, "document": document}
            perspectives = PlanNode.objects.bulk_create(
                PlanNode(level=levels["perspective"], number=p, title=_title(rng), **common)
                for p in range(1, PERSPECTIVES + 1)
            )
            focus = PlanNode.objects.bulk_create(
                PlanNode(
                    level=levels["focus_area"], parent=p, number=f, title=_title(rng), **common
                )
                for p in perspectives
                for f in range(1, FOCUS_PER_PERSPECTIVE + 1)
            )
            per_focus = max(goals // len(focus), 1)
            all_goals += PlanNode.objects.bulk_create(
                (
                    PlanNode(
                        level=levels["goal"],
                        parent=f,
                        number=g,
                        title=_title(rng),
                        description=_text(rng, rng.randint(20, 60)),
                        strategy=_text(rng, rng.randint(10, 40)),
                        **common,
                    )
                    for f in focus
                    for g in range(1, per_focus + 1)
                ),
                batch_size=2000,
            )
        # Nine in ten measures and activities belong to the adopted plan.
        public_goals = [g for g in all_goals if g.document_id == documents[0].pk]
        draft_goals = [g for g in all_goals if g.document_id == documents[1].pk]

        def some_goal() -> PlanNode:
            return rng.choice(public_goals if rng.random() < 0.9 else draft_goals)

        Measure.objects.bulk_create(
            (
                Measure(
                    organisation=org,
                    node=some_goal(),
                    title=_title(rng),
                    description=_text(rng, rng.randint(10, 50)),
                )
                for _ in range(measures)
            ),
            batch_size=5000,
        )
        root = OrgUnit.objects.create(organisation=org, kind="administration", name="Förvaltning")
        units = [
            OrgUnit.objects.create(organisation=org, parent=root, kind="unit", name=f"Enhet {n}")
            for n in range(200)
        ]
        made = Activity.objects.bulk_create(
            (
                Activity(
                    organisation=org,
                    owner_unit=rng.choice(units),
                    title=_title(rng),
                    description=_text(rng, rng.randint(15, 60)),
                    result=_text(rng, rng.randint(0, 30)) if rng.random() < 0.4 else "",
                    start=date(2024 + rng.randrange(4), 1 + rng.randrange(12), 1),
                )
                for _ in range(activities)
            ),
            batch_size=5000,
        )
        through = Activity.nodes.through
        through.objects.bulk_create(
            (through(activity_id=a.pk, plannode_id=some_goal().pk) for a in made),
            batch_size=10000,
        )
        for year in range(2005, 2025):
            for kind, month in (("interim", 8), ("annual", 12)):
                approval = Decision.objects.create(
                    organisation=org,
                    body=board,
                    date=date(year + 1, 3, 1),
                    paragraph=f"{year}{month}",
                    title=f"Rapport {year}",
                )
                report = Report.objects.create(
                    organisation=org,
                    kind=kind,
                    year=year,
                    through_month=month,
                    state="approved",
                    approval=approval,
                )
                ReportSection.objects.bulk_create(
                    ReportSection(report=report, key=key, text=_text(rng, 300))
                    for key in ("foreword", "events", "staff", "expected_development")
                )
        User.objects.create_user("sokbench", organisation=org, is_plan_administrator=True)
    # Planner statistics, as a production database has them. (Without them SQLite plans
    # public_activities' subquery as activities × public plan elements: minutes here.)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return org


def measure(client: Client, url: str, params: dict, repeat: int) -> tuple[float, int, int]:
    times, queries, hits = [], 0, 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, params)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, params, response.status_code)
        queries = len(captured)
        results = response.context["results"]
        hits = results.total if results else 0
    return statistics.median(times) * 1000, queries, hits


QUERIES = [
    ("a rare word", {"q": RARE}),
    ("a word in 1 of 20", {"q": MIDDLING}),
    ("another form of it", {"q": "förskolor"}),
    ("a word in half", {"q": COMMON}),
    ("… page 10", {"q": COMMON, "sida": 10}),
    ("… only activities", {"q": COMMON, "typ": "aktivitet"}),
    ("two words", {"q": "trygg hemtjänst"}),
    ("no hit", {"q": "xyzzy"}),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--goals", type=int, default=2000)
    parser.add_argument("--measures", type=int, default=30000)
    parser.add_argument("--activities", type=int, default=50000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    setup_test_environment()  # the test client then keeps each response's context
    org = build(args.goals, args.measures, args.activities)
    settings.ALLOWED_HOSTS = ["testserver"]
    anonymous, staff = Client(), Client()
    staff.force_login(User.objects.get(username="sokbench"))
    engine = connection.vendor
    print(
        f"\n{engine}: {PlanNode.objects.filter(organisation=org).count()} plan elements, "
        f"{Measure.objects.filter(organisation=org).count()} measures, "
        f"{Activity.objects.filter(organisation=org).count()} activities, "
        f"{Report.objects.filter(organisation=org).count()} reports; {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; median of {args.repeat}\n"
    )
    pages = (("public", anonymous, "/insyn/sok/"), ("staff", staff, "/sok/"))
    print("| query | who | hits | server time (ms) | queries |")
    print("|---|---|---:|---:|---:|")
    for name, params in QUERIES:
        for who, client, url in pages:
            ms, queries, hits = measure(client, url, params, args.repeat)
            print(f"| {name} | {who} | {hits} | {ms:.0f} | {queries} |")
    if engine != "postgresql":
        return
    print("\nWithout the GIN indexes (dropped in a transaction, rolled back):\n")
    print("| query | who | hits | server time (ms) | queries |")
    print("|---|---|---:|---:|---:|")
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in INDEX_NAMES.values():
                cursor.execute(f"DROP INDEX {name}")
        for name, params in QUERIES[:4] + QUERIES[6:]:
            for who, client, url in pages:
                ms, queries, hits = measure(client, url, params, args.repeat)
                print(f"| {name} | {who} | {hits} | {ms:.0f} | {queries} |")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
