"""Benchmark: the årsredovisning of a large synthetic municipality.

Builds (once per database) "Storstads kommun" as far as an annual report reads it, at the
size of Sweden's largest municipalities: an adopted steering document of perspectives,
focus areas and goals (each with two Agenda 2030 goals) and ten areas a goal; measures on
the goals and their areas, each with a target in the year's adopted operational plan and
six years of yearly values; activities linked to goals and areas (some to the five
principles); the follow-up period "Helår" of the year, closed, with an approved assessment
of every goal and two approved unit assessments a goal; the year's approved dialogue
records of the committees; 2,000 units under 40 verksamheter; and the economy: a chart of
accounts, a cost centre per unit, the year's outcome per unit, account and month (the four
years before per verksamhet), opening balances, the budgets with a frame per verksamhet,
forecasts, financial goals with their assessments and the balanskravsutredning. Rows go in
with bulk_create. Then, for the årsredovisning of the year (created through
`report_create` as a plan administrator, its sections written), it measures
- `compose(report)`: wall time, queries, peak Python memory (tracemalloc), size of the JSON;
- `render(content, fmt)` for pdf, docx, xlsx and html: wall time, peak Python memory
  (tracemalloc), the growth of the process's peak RSS (WeasyPrint allocates outside
  Python too), the size of the file and the PDF's pages;
- `manage.py render_report --kind arsredovisning --year Y --format pdf` as a subprocess,
  timed, with its peak RSS: for the draft (composed from the data), and again once the
  report is approved by KS (rendered from its frozen snapshot), with the approval itself
  (compose and the snapshot) timed between.

Usage (a database of its own; never the development database):
    DATABASE_URL=sqlite:////tmp/tillit-bench-reports.sqlite3 .venv/bin/python benchmarks/reports.py
    scripts/with-postgres.sh .venv/bin/python benchmarks/reports.py
Options: --year N (default last year), --operations N (verksamheter, default 40), --units N
(units per verksamhet, default 50), --perspectives N (4), --focus-areas N (per perspective,
3), --goals N (per focus area, 4), --areas N (per goal, 10), --measures N (per goal, 8),
--activities N (600), --dialogues N (100), --accounts N (operating accounts a unit books on,
1–14, default 10), --formats html,xlsx,docx,pdf (the PDF last: it leaves the process large),
--repeat N (timed runs of each step after the first, default 1), --no-command (skip the
subprocess runs), --keep (leave the report a draft: no approval), --profile STEP (cProfile
compose or one format's rendering to stderr, and nothing else).
A database is built once, for one year and one set of sizes: give other options a new one.
Results go to stdout as Markdown for docs/benchmarks.md; progress to stderr. The files are
left in /tmp/tillit-bench-reports/.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import logging
import os
import platform
import random
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# As in production: DEBUG off (no query log, no template debugging), for the command too,
# with a throw-away key for the benchmark's processes.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/tillit-bench-reports.sqlite3")
os.environ["TILLIT_ORGANISATION"] = "storstad"
SLUG = "storstad"
OUTPUT = Path("/tmp/tillit-bench-reports")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from tillit.activities.choices import ActivityStatus  # noqa: E402
from tillit.activities.models import Activity  # noqa: E402
from tillit.core.choices import BodyKind, Fulfilment, UnitKind  # noqa: E402
from tillit.core.models import Body, Decision, Organisation, OrgUnit, User  # noqa: E402
from tillit.dialogues.choices import RecordState  # noqa: E402
from tillit.dialogues.models import DialogueRecord, DialogueRemit, Meeting  # noqa: E402
from tillit.economy.choices import (  # noqa: E402
    BudgetKind,
    Comparator,
    FinancialIndicator,
    StatementLine,
    default_line,
)
from tillit.economy.demo import ACCOUNTS, COST_MIX, INCOME_MIX, INCOME_SHARE, PROFILE  # noqa: E402
from tillit.economy.ledger import YearLedger  # noqa: E402
from tillit.economy.models import (  # noqa: E402
    Account,
    BalanceRequirement,
    BudgetDocument,
    BudgetLine,
    CostObject,
    FinancialGoal,
    FinancialGoalAssessment,
    Forecast,
    OpeningBalance,
    Outcome,
)
from tillit.followup import services as followup  # noqa: E402
from tillit.followup.choices import AssessmentState, FollowUpKind  # noqa: E402
from tillit.followup.models import Assessment, FollowUpPeriod, checksum_of  # noqa: E402
from tillit.measures.choices import Direction, MeasureKind  # noqa: E402
from tillit.measures.models import Measure, MeasureTarget, MeasureValue  # noqa: E402
from tillit.planning.models import (  # noqa: E402
    Commitment,
    Level,
    OperationalPlan,
    PlanNode,
    Principle,
    SteeringDocument,
    SustainableDevelopmentGoal,
)
from tillit.reports import services  # noqa: E402
from tillit.reports.choices import ReportKind  # noqa: E402
from tillit.reports.models import Report, ReportSection, ReportSnapshot  # noqa: E402

BATCH = 5000
# A large municipality's year, in kronor: some 30 billion of tax revenue and general grants.
SCALE = 68  # Grästorp's demo economy (tillit/economy/demo.py) times this
NET_COST = Decimal(28_600_000_000)  # the verksamheters' frames together, the report's year
MUNICIPAL = {  # account → amount of the report's year (positive)
    "8011": 19_900_000_000,
    "8012": 540_000_000,
    "8210": 6_900_000_000,
    "8230": 1_800_000_000,
    "8250": 880_000_000,
    "8410": 170_000_000,
    "8510": 440_000_000,
}
OPENING = {  # balance account → opening balance of the first year (accounting sign)
    "1110": 41_600_000_000,
    "1210": 3_000_000_000,
    "1310": 600_000_000,
    "1510": 2_100_000_000,
    "1710": 1_200_000_000,
    "1930": 3_300_000_000,
    "2010": -20_100_000_000,
    "2210": -2_800_000_000,
    "2310": -19_700_000_000,
    "2410": -3_800_000_000,
    "2910": -5_400_000_000,
}
INVESTMENTS = 2_600_000_000  # a year, 80 % buildings, 20 % equipment
NEW_LOANS = 1_400_000_000  # a year, in June
GROWTH = Decimal("1.04")  # a year: earlier years are this much smaller
# The operating accounts a unit books on, in the order they are taken (--accounts).
UNIT_ACCOUNTS = (
    "5110",
    "5610",
    "3110",
    "6110",
    "4310",
    "5710",
    "3510",
    "4610",
    "6410",
    "7810",
    "7010",
    "3310",
    "7830",
    "3610",
)
DEPRECIATION = {"7810": "1110", "7830": "1210"}  # lowers the asset, not the bank

COMMITTEES = (
    ("SUU", "Samhällsutvecklingsutskottet"),
    ("VFU", "Välfärdsutskottet"),
    ("UTU", "Utbildningsutskottet"),
    ("PEU", "Personalutskottet"),
)
PERSPECTIVES = (
    "Samhällsutveckling",
    "Välfärdsutveckling",
    "Utbildning och livslångt lärande",
    "Attraktiv arbetsgivare",
)
PRINCIPLES = (
    ("vardskap", "Värdskap"),
    ("helhet", "Helhet"),
    ("digitalisering", "Digitalisering"),
    ("medledarskap", "Medledarskap"),
    ("innovation", "Innovation"),
)
SECTIONS = {  # section key → number of paragraphs its owner writes
    "foreword": 3,
    "events": 6,
    "economic_management": 4,
    "financial_position": 3,
    "staff": 5,
    "expected_development": 4,
}

# Words for the texts: sentences of the kind the analyses and records are made of.
SENTENCES = (
    "Andelen invånare som är nöjda med verksamheten ökade jämfört med föregående år.",
    "Resultatet ligger nära målvärdet men skiljer sig mellan stadsdelarna.",
    "Personalomsättningen har minskat sedan introduktionen för nyanställda förbättrades.",
    "Kostnaderna för köpt verksamhet ökade mer än budgeterat under andra halvåret.",
    "Samarbetet med civilsamhället har fördjupats genom flera gemensamma insatser.",
    "Digitala tjänster har införts och används av allt fler invånare och företag.",
    "Väntetiderna har kortats, men målet för året nåddes inte fullt ut.",
    "Insatserna riktas nu särskilt till de områden där utfallet är svagast.",
    "Uppföljningen visar att arbetssättet ger effekt och bör spridas till fler enheter.",
    "Sjukfrånvaron minskade något men är fortsatt hög inom vissa yrkesgrupper.",
    "Befolkningen växte snabbare än prognosen, vilket ökar behovet av lokaler.",
    "Energianvändningen i de kommunala fastigheterna minskade med fyra procent.",
    "Medarbetarenkäten visar ett högre index för medledarskap än året innan.",
    "Flera verksamheter har utvecklat sitt värdskap i mötet med invånarna.",
    "Analysen pekar på att tidiga och förebyggande insatser behöver prioriteras.",
    "Utskottet och förvaltningen nådde en gemensam bild av vad som behöver göras.",
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def text(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def paragraphs(rng: random.Random, n: int) -> str:
    return "\n\n".join(text(rng, rng.randint(4, 7)) for _ in range(n))


def money(value: float | Decimal) -> Decimal:
    return Decimal(round(value)).quantize(Decimal("0.01"))


# --- the municipality ---------------------------------------------------------------------------


def build(args: argparse.Namespace, year: int) -> Organisation:
    org = Organisation.objects.filter(slug=SLUG).first()
    if org is not None:
        log("the municipality is there from an earlier run")
        return org
    started = time.perf_counter()
    rng = random.Random(2026)
    with transaction.atomic():
        org = Organisation.objects.create(slug=SLUG, name="Storstads kommun")
        people = build_people(org)
        bodies, decisions = build_bodies(org, year)
        operations, units = build_units(org, args)
        log(f"{len(units)} units in {len(operations)} verksamheter")
        plan, goals, areas = build_plan(org, args, year, bodies, decisions, units, rng)
        log(f"{len(goals)} goals, {len(areas)} areas")
        measures = build_measures(org, args, year, plan, goals, areas, decisions, rng)
        log(f"{len(measures)} measures")
        build_activities(org, args, year, goals, areas, units, people, rng)
        build_dialogues(org, args, year, goals, bodies, people, rng)
        build_economy(org, args, year, operations, units, decisions, people, rng)
    # The period is closed through the app's own service (it freezes the period's snapshot).
    with transaction.atomic():
        build_followup(org, year, goals, areas, people, rng)
    log(f"built the municipality in {time.perf_counter() - started:.1f} s")
    return org


def build_people(org: Organisation) -> dict[str, User]:
    people = {
        "admin": User.objects.create_user(
            "bench", organisation=org, is_plan_administrator=True, first_name="Sara"
        ),
        "ekonom": User.objects.create_user(
            "bench-ekonom", organisation=org, is_economist=True, first_name="Erik"
        ),
    }
    for n in range(10):
        people[f"person{n}"] = User.objects.create_user(
            f"bench-{n}", organisation=org, first_name=f"Person {n}", last_name="Storstad"
        )
    return people


def build_bodies(org: Organisation, year: int) -> tuple[dict[str, Body], dict[str, Decision]]:
    bodies = {
        "KF": Body.objects.create(
            organisation=org, kind=BodyKind.COUNCIL, name="Kommunfullmäktige", abbreviation="KF"
        ),
        "KS": Body.objects.create(
            organisation=org, kind=BodyKind.BOARD, name="Kommunstyrelsen", abbreviation="KS"
        ),
    }
    for order, (abbreviation, name) in enumerate(COMMITTEES):
        bodies[abbreviation] = Body.objects.create(
            organisation=org,
            kind=BodyKind.COMMITTEE,
            name=name,
            abbreviation=abbreviation,
            parent=bodies["KS"],
            order=order,
        )
    kf = bodies["KF"]
    decisions = {
        "goals": Decision.objects.create(
            organisation=org,
            body=kf,
            date=date(year - 3, 11, 27),
            paragraph="93",
            title=f"Inriktningsdokument {year - 2}–{year + 1}",
        )
    }
    for y in range(year - 4, year + 1):
        decisions[f"budget{y}"] = Decision.objects.create(
            organisation=org,
            body=kf,
            date=date(y - 1, 11, 24),
            paragraph=str(100 + y % 100),
            title=f"Verksamhetsplan och budget {y}",
        )
    return bodies, decisions


def build_units(org: Organisation, args: argparse.Namespace) -> tuple[list, list]:
    root = OrgUnit.objects.create(
        organisation=org, kind=UnitKind.ADMINISTRATION, name="Stadsledningsförvaltningen"
    )
    operations = OrgUnit.objects.bulk_create(
        OrgUnit(
            organisation=org,
            parent=root,
            kind=UnitKind.OPERATION,
            name=f"Verksamhet {n + 1}",
            order=n,
        )
        for n in range(args.operations)
    )
    for unit in operations:
        unit.path = f"{root.path}{unit.pk}/"
    OrgUnit.objects.bulk_update(operations, ["path"], batch_size=BATCH)
    units = OrgUnit.objects.bulk_create(
        (
            OrgUnit(
                organisation=org,
                parent=operation,
                kind=UnitKind.UNIT,
                name=f"Enhet {o + 1}.{n + 1}",
                order=n,
            )
            for o, operation in enumerate(operations)
            for n in range(args.units)
        ),
        batch_size=BATCH,
    )
    for unit in units:
        unit.path = f"{unit.parent.path}{unit.pk}/"
    OrgUnit.objects.bulk_update(units, ["path"], batch_size=BATCH)
    return operations, units


def build_plan(org, args, year, bodies, decisions, units, rng):
    levels: dict[str, Level] = {}
    # key, name, plural, parent, who decides, lifetime (numbered: the political tree levels)
    spec = [
        ("vision", "Vision", "Visioner", None, "political", "standing"),
        ("mission", "Mission", "Missioner", None, "political", "standing"),
        ("perspective", "Perspektiv", "Perspektiv", None, "political", "mandate"),
        ("focus_area", "Fokusområde", "Fokusområden", "perspective", "political", "mandate"),
        ("goal", "Mål", "Mål", "focus_area", "political", "mandate"),
        ("area", "Område", "Områden", "goal", "operations", "year"),
        ("measure", "Verksamhetsmått", "Verksamhetsmått", "area", "political", "year"),
        ("activity", "Aktivitet", "Aktiviteter", "goal", "operations", "year"),
    ]
    for order, (key, name, plural, parent, owner, lifetime) in enumerate(spec):
        levels[key] = Level.objects.create(
            organisation=org,
            key=key,
            name=name,
            name_plural=plural,
            parent=levels.get(parent) if parent else None,
            owner=owner,
            lifetime=lifetime,
            numbered=key in ("perspective", "focus_area", "goal"),
            in_tree=key not in ("measure", "activity"),
            order=order,
        )
    adopted = decisions["goals"]
    document = SteeringDocument.objects.create(
        organisation=org,
        title=f"Inriktningsdokument {year - 2}–{year + 1}",
        start_year=year - 2,
        end_year=year + 1,
        introduction=paragraphs(rng, 2),
        status="adopted",
        decision=adopted,
    )
    common = {"organisation": org, "document": document, "decision": adopted}
    PlanNode.objects.create(
        level=levels["vision"],
        title="Storstad – en stad där alla kan växa",
        description=paragraphs(rng, 2),
        **common,
    )
    PlanNode.objects.create(
        level=levels["mission"],
        title="Vi skapar tillsammans en hållbar och trygg stad för alla som bor och verkar här.",
        description=paragraphs(rng, 1),
        **common,
    )
    perspectives = PlanNode.objects.bulk_create(
        PlanNode(
            level=levels["perspective"],
            number=p + 1,
            title=PERSPECTIVES[p] if p < len(PERSPECTIVES) else f"Perspektiv {p + 1}",
            description=paragraphs(rng, 1),
            strategy=paragraphs(rng, 2),
            order=p,
            **common,
        )
        for p in range(args.perspectives)
    )
    focus = PlanNode.objects.bulk_create(
        PlanNode(
            level=levels["focus_area"],
            parent=perspective,
            number=f + 1,
            title=f"Fokusområde {perspective.number}.{f + 1}",
            description=paragraphs(rng, 1),
            order=f,
            **common,
        )
        for perspective in perspectives
        for f in range(args.focus_areas)
    )
    goals = PlanNode.objects.bulk_create(
        PlanNode(
            level=levels["goal"],
            parent=area,
            number=g + 1,
            title=f"Vi når mål {area.parent.number}.{area.number}.{g + 1} för invånarna",
            description=text(rng, 3),
            order=g,
            **common,
        )
        for area in focus
        for g in range(args.goals)
    )
    sdgs = {s.number: s for s in SustainableDevelopmentGoal.objects.all()}
    through = PlanNode.sdgs.through
    through.objects.bulk_create(
        through(plannode_id=node.pk, sustainabledevelopmentgoal_id=sdgs[number].pk)
        for n, node in enumerate(perspectives + goals)
        for number in sorted({n % 17 + 1, (n * 7 + 3) % 17 + 1})
    )
    areas = PlanNode.objects.bulk_create(
        (
            PlanNode(
                level=levels["area"],
                parent=goal,
                title=f"Område {a + 1} för mål {goal.pk}",
                description=text(rng, 2),
                owner_unit=units[(g * args.areas + a) * 7 % len(units)],
                year=year,
                order=a,
                **common,
            )
            for g, goal in enumerate(goals)
            for a in range(args.areas)
        ),
        batch_size=BATCH,
    )
    plan = OperationalPlan.objects.create(
        organisation=org,
        document=document,
        year=year,
        title=f"Verksamhetsplan {year}",
        status="adopted",
        decision=decisions[f"budget{year}"],
    )
    plan.goals.through.objects.bulk_create(
        plan.goals.through(operationalplan_id=plan.pk, plannode_id=g.pk) for g in goals
    )
    principles = Principle.objects.bulk_create(
        Principle(
            organisation=org,
            key=key,
            name=name,
            title=f"När vi tänker {name.lower()}",
            description=text(rng, 3),
            commitments_intro=f"När vi tänker {name.lower()} innebär det att:",
            order=order,
        )
        for order, (key, name) in enumerate(PRINCIPLES)
    )
    Commitment.objects.bulk_create(
        Commitment(principle=p, text=text(rng, 1), order=n) for p in principles for n in range(4)
    )
    DialogueRemit.objects.bulk_create(
        DialogueRemit(body=bodies[COMMITTEES[p % len(COMMITTEES)][0]], node=perspective)
        for p, perspective in enumerate(perspectives)
    )
    return plan, goals, areas


def build_measures(org, args, year, plan, goals, areas, decisions, rng) -> list[Measure]:
    by_goal: dict[int, list[PlanNode]] = defaultdict(list)
    for area in areas:
        by_goal[area.parent_id].append(area)
    specs = []
    for goal in goals:
        for m in range(args.measures):
            own = by_goal[goal.pk]
            node = goal if m % 4 == 0 or not own else own[m % len(own)]
            specs.append((goal, node, m))
    units = {a.pk: a.owner_unit_id for a in areas}
    measures = Measure.objects.bulk_create(
        (
            Measure(
                organisation=org,
                node=node,
                title=f"Verksamhetsmått {goal.number}.{m + 1}: andel nöjda invånare ({node.pk})",
                description=text(rng, 2),
                kind=MeasureKind.QUALITATIVE if m % 8 == 7 else MeasureKind.QUANTITATIVE,
                unit=("%", "antal", "kr", "dagar")[m % 4],
                direction=Direction.LOWER if m % 3 == 2 else Direction.HIGHER,
                decimals=1,
                baseline_value=Decimal(40 + m * 3) if m % 8 != 7 else None,
                baseline_year=year - 5 if m % 8 != 7 else None,
                by_gender=m % 2 == 0,
                responsible_unit_id=units.get(node.pk),
                order=m,
            )
            for goal, node, m in specs
        ),
        batch_size=BATCH,
    )
    decision = decisions[f"budget{year}"]
    MeasureTarget.objects.bulk_create(
        (
            MeasureTarget(
                measure=measure,
                plan=plan,
                target=None if measure.kind == MeasureKind.QUALITATIVE else Decimal(60 + n % 30),
                target_grade=Fulfilment.MET if measure.kind == MeasureKind.QUALITATIVE else "",
                decision=decision,
            )
            for n, measure in enumerate(measures)
        ),
        batch_size=BATCH,
    )
    grades = (Fulfilment.MET, Fulfilment.PARTLY, Fulfilment.NOT_MET)
    now = timezone.now()

    def values():
        for n, measure in enumerate(measures):
            qualitative = measure.kind == MeasureKind.QUALITATIVE
            genders = ("T", "K", "M") if measure.by_gender else ("T",)
            for y in range(year - args.history + 1, year + 1):
                for gender in genders:
                    value = (
                        Decimal(45 + (n * 7 + y * 3 + ord(gender)) % 40)
                        + Decimal(rng.randint(0, 99)) / 100
                    )
                    yield MeasureValue(
                        measure=measure,
                        year=y,
                        gender=gender,
                        value=None if qualitative else value,
                        grade=grades[(n + y) % 3] if qualitative else "",
                        updated_at=now,
                    )
            if not qualitative:  # the year's tertials too, as the follow-up enters them
                for tertial in (1, 2, 3):
                    yield MeasureValue(
                        measure=measure,
                        year=year,
                        period_kind="tertial",
                        period=tertial,
                        value=Decimal(50 + (n + tertial) % 30),
                        updated_at=now,
                    )

    MeasureValue.objects.bulk_create(values(), batch_size=BATCH)
    return measures


def build_activities(org, args, year, goals, areas, units, people, rng) -> None:
    statuses = (
        ActivityStatus.DONE,
        ActivityStatus.ONGOING,
        ActivityStatus.ONGOING,
        ActivityStatus.PLANNED,
        ActivityStatus.DONE,
        ActivityStatus.PAUSED,
    )
    staff = [p for k, p in people.items() if k.startswith("person")]
    rows = []
    for n in range(args.activities):
        status = statuses[n % len(statuses)]
        start = date(year - 1 + (n % 3 == 0), 1 + n % 12, 1 + n % 28)
        end = start + timedelta(days=120 + n % 400)
        rows.append(
            Activity(
                organisation=org,
                title=f"Aktivitet {n + 1}: {rng.choice(SENTENCES)[:80].rstrip('.')}",
                description=text(rng, 3),
                owner_unit=units[n * 13 % len(units)],
                responsible=staff[n % len(staff)],
                start=start,
                end=end,
                status=status,
                progress=100 if status == ActivityStatus.DONE else (n * 17) % 100,
                result=text(rng, 2) if status == ActivityStatus.DONE else "",
            )
        )
    activities = Activity.objects.bulk_create(rows, batch_size=BATCH)
    # Each activity works toward a goal; two in three also toward one of its areas, and one
    # in six toward a second goal as well.
    areas_of: dict[int, list[PlanNode]] = defaultdict(list)
    for area in areas:
        areas_of[area.parent_id].append(area)

    def targets(n: int) -> set[int]:
        goal = goals[n % len(goals)]
        found = {goal.pk}
        if n % 3 and areas_of[goal.pk]:
            found.add(areas_of[goal.pk][n % len(areas_of[goal.pk])].pk)
        if n % 6 == 5:
            found.add(goals[n * 7 % len(goals)].pk)
        return found

    links = Activity.nodes.through
    links.objects.bulk_create(
        links(activity_id=a.pk, plannode_id=node_id)
        for n, a in enumerate(activities)
        for node_id in targets(n)
    )
    principles = list(Principle.objects.filter(organisation=org))
    through = Activity.principles.through
    through.objects.bulk_create(
        through(activity_id=a.pk, principle_id=p.pk)
        for n, a in enumerate(activities)
        if n % 5 < 2  # two in five express principles
        for p in {principles[n % 5], principles[n * 3 % 5]}
    )


def build_dialogues(org, args, year, goals, bodies, people, rng) -> None:
    committees = [bodies[abbreviation] for abbreviation, _name in COMMITTEES]
    perspective_of = {g.pk: g.parent.parent_id for g in goals}
    perspectives = sorted(set(perspective_of.values()))
    goals_by_committee: dict[int, list[PlanNode]] = defaultdict(list)
    for goal in goals:
        committee = committees[perspectives.index(perspective_of[goal.pk]) % len(committees)]
        goals_by_committee[committee.pk].append(goal)
    holding = [c for c in committees if goals_by_committee[c.pk]]  # with goals to discuss
    tz = timezone.get_current_timezone()
    meetings = []
    for n in range(args.dialogues):
        committee = holding[n % len(holding)]
        day = date(year, 1, 15) + timedelta(days=n * 330 // max(args.dialogues, 1))
        starts = datetime(day.year, day.month, day.day, 13, 0, tzinfo=tz)
        meetings.append(
            Meeting(
                organisation=org,
                body=committee,
                title=f"Dialog om målen ({committee.abbreviation} {n + 1})",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="Stadshuset",
            )
        )
    meetings = Meeting.objects.bulk_create(meetings)
    through = Meeting.goals.through
    links = []
    for n, meeting in enumerate(meetings):
        own = goals_by_committee[meeting.body_id]
        for goal in {own[(n + k) % len(own)].pk for k in range(1 + n % 3)}:
            links.append(through(meeting_id=meeting.pk, plannode_id=goal))
    through.objects.bulk_create(links)
    approver = people["person0"]
    material: dict = {"goals": []}
    records = DialogueRecord.objects.bulk_create(
        DialogueRecord(
            meeting=meeting,
            external_participants="Elevrådets ordförande\nRepresentant för pensionärsrådet",
            discussion=paragraphs(rng, 2),
            shared_understanding=text(rng, 4),
            next_steps=text(rng, 3),
            material=material,
            material_checksum=checksum_of(material),
            state=RecordState.APPROVED,
            written_by=people["person1"],
            written_at=meeting.ends_at,
            approved_by=approver,
            approved_at=meeting.ends_at + timedelta(days=7),
        )
        for meeting in meetings
    )
    participants = DialogueRecord.participants.through
    staff = [p for k, p in people.items() if k.startswith("person")]
    participants.objects.bulk_create(
        participants(dialoguerecord_id=r.pk, user_id=p.pk)
        for n, r in enumerate(records)
        for p in {staff[n % 10], staff[(n + 3) % 10], staff[(n + 6) % 10]}
    )


def build_followup(org, year, goals, areas, people, rng) -> None:
    admin = people["admin"]
    period = FollowUpPeriod.objects.create(
        organisation=org,
        name=f"Helår {year}",
        year=year,
        kind=FollowUpKind.ANNUAL,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        deadline=date(year + 1, 2, 15),
    )
    owners: dict[int, list[int]] = defaultdict(list)
    for area in areas:
        if area.owner_unit_id not in owners[area.parent_id]:
            owners[area.parent_id].append(area.owner_unit_id)
    approved = timezone.make_aware(datetime(year + 1, 2, 20, 10))
    statuses = (Fulfilment.MET, Fulfilment.PARTLY, Fulfilment.PARTLY, Fulfilment.NOT_MET)
    rows = []
    for n, goal in enumerate(goals):
        for unit_id in [None, *owners[goal.pk][:2]]:
            rows.append(
                Assessment(
                    period=period,
                    goal=goal,
                    unit_id=unit_id,
                    status=statuses[(n + (unit_id or 0)) % len(statuses)],
                    analysis=text(rng, rng.randint(4, 6)),
                    next_steps=text(rng, 2),
                    state=AssessmentState.APPROVED,
                    written_by=people["person2"],
                    written_at=approved - timedelta(days=10),
                    submitted_by=people["person2"],
                    submitted_at=approved - timedelta(days=5),
                    approved_by=admin,
                    approved_at=approved,
                )
            )
    Assessment.objects.bulk_create(rows, batch_size=BATCH)
    log(f"{len(rows)} approved assessments; closing the period …")
    followup.period_close(period=period, closed_by=admin)


# --- the economy -------------------------------------------------------------------------------


def build_economy(org, args, year, operations, units, decisions, people, rng) -> None:
    accounts = Account.objects.bulk_create(
        Account(
            organisation=org,
            number=number,
            name=name,
            kind=_kind(number),
            line=default_line(number),
        )
        for number, name in ACCOUNTS.items()
    )
    account = {a.number: a for a in accounts}
    CostObject.objects.bulk_create(
        [
            CostObject(organisation=org, dimension=1, code=f"K{u.pk}", name=u.name, unit=u)
            for u in operations + units
        ]
        + [CostObject(organisation=org, dimension=1, code="900", name="Finansförvaltning")],
        batch_size=BATCH,
    )
    booked = UNIT_ACCOUNTS[: args.accounts]
    costs = {n: COST_MIX[n] for n in booked if n in COST_MIX}
    incomes = {n: INCOME_MIX[n] for n in booked if n in INCOME_MIX}
    cost_total, income_total = sum(costs.values()), sum(incomes.values())
    weights = [rng.uniform(0.3, 2.0) for _ in operations]
    frame_share = [w / sum(weights) for w in weights]
    paces = [rng.uniform(0.975, 1.035) for _ in operations]
    members: dict[int, list[OrgUnit]] = defaultdict(list)
    for unit in units:
        members[unit.parent_id].append(unit)
    month_weight = sum(PROFILE)

    balances = {number: Decimal(amount) for number, amount in OPENING.items()}
    for y in range(year - 4, year + 1):
        growth = GROWTH ** (y - year)
        # The budget of the year, with the economic plan's two years after it.
        document = BudgetDocument.objects.create(
            organisation=org,
            kind=BudgetKind.BUDGET,
            year=y,
            title=f"Budget {y} och ekonomisk plan {y + 1}–{y + 2}",
            decision=decisions[f"budget{y}"],
            created_by=people["ekonom"],
        )
        lines = []
        for plan_year in (y, y + 1, y + 2):
            g = GROWTH ** (plan_year - year)
            lines += [
                BudgetLine(
                    document=document,
                    year=plan_year,
                    unit=op,
                    amount=(NET_COST * Decimal(share) * g).quantize(Decimal(1000)),
                )
                for op, share in zip(operations, frame_share, strict=True)
            ]
            lines += [
                BudgetLine(document=document, year=plan_year, line=line, amount=amount)
                for line, amount in _municipal_budget(g).items()
            ]
        BudgetLine.objects.bulk_create(lines)
        OpeningBalance.objects.bulk_create(
            OpeningBalance(organisation=org, year=y, account=account[n], amount=a)
            for n, a in balances.items()
        )

        # The outcome: the report's year per unit, the years before per verksamhet.
        monthly: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        entries: list[tuple[int, str, Decimal, OrgUnit | None]] = []

        def book(month: int, number: str, amount: Decimal, unit: OrgUnit | None = None) -> None:
            monthly[(month, number)] += amount  # noqa: B023 (called within the iteration)
            entries.append((month, number, amount, unit))  # noqa: B023

        for o, op in enumerate(operations):
            net = float(NET_COST * Decimal(frame_share[o] * paces[o]) * growth)
            bookers = members[op.pk] if y == year else [op]
            shares = [rng.uniform(0.7, 1.3) for _ in bookers]
            for unit, unit_share in zip(bookers, shares, strict=True):
                gross = net * unit_share / sum(shares) / (1 - INCOME_SHARE)
                for month in range(1, 13):
                    part = gross * PROFILE[month - 1] / month_weight
                    for number in booked:
                        if number in costs:
                            amount = part * costs[number] / cost_total
                        else:
                            amount = -part * INCOME_SHARE * incomes[number] / income_total
                        book(month, number, money(amount * rng.uniform(0.96, 1.04)), unit)
        # The municipality as a whole, each month: tax revenue, grants, financial items,
        # investments, a loan in June; depreciation lowers the assets, and everything else
        # goes through the bank, so that every month's balances add up.
        for month in range(1, 13):
            for number, amount in MUNICIPAL.items():
                sign = 1 if number == "8510" else -1
                book(month, number, money(sign * amount * float(growth) / 12 * 1.002))
            book(month, "1110", money(INVESTMENTS * 0.8 * float(growth) / 12))
            book(month, "1210", money(INVESTMENTS * 0.2 * float(growth) / 12))
            if month == 6:
                book(month, "2310", -money(NEW_LOANS * float(growth)))
            for cost, asset in DEPRECIATION.items():
                book(month, asset, -monthly.get((month, cost), Decimal(0)))
            in_month = sum((a for (m, _n), a in monthly.items() if m == month), Decimal(0))
            book(month, "1930", -in_month)
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for (_month, number), amount in monthly.items():
            totals[number] += amount
        Outcome.objects.bulk_create(
            (
                Outcome(organisation=org, year=y, month=m, account=account[n], unit=u, amount=a)
                for m, n, a, u in entries
            ),
            batch_size=BATCH,
        )
        log(f"{y}: {len(entries)} outcome rows")
        result = Decimal(0)
        for number, amount in totals.items():
            if default_line(number).is_balance_sheet:
                balances[number] = balances.get(number, Decimal(0)) + amount
            else:
                result += amount
        balances["2010"] += result  # the result goes to equity (accounting sign)

        BalanceRequirement.objects.create(
            organisation=org,
            year=y,
            realisation_gains=Decimal(12_000_000 + 3_000_000 * (y % 3)),
            exempt_realisation_gains=Decimal(2_000_000) if y % 2 else Decimal(0),
            reserve_provision=Decimal(150_000_000) if y == year - 2 else Decimal(0),
            comment=text(rng, 1),
        )

    # Forecasts of the year by every verksamhet.
    Forecast.objects.bulk_create(
        Forecast(
            organisation=org,
            unit=op,
            year=year,
            month=month,
            amount=(NET_COST * Decimal(frame_share[o] * paces[o])).quantize(Decimal(100_000)),
            comment=text(rng, 2),
            author=people["ekonom"],
        )
        for month in (4, 8, 10)
        for o, op in enumerate(operations)
    )
    goals = [
        FinancialGoal.objects.create(
            organisation=org,
            title=title,
            indicator=indicator,
            comparator=comparator,
            target=Decimal(target),
            first_year=year - 4,
            decision=decisions[f"budget{year - 4}"],
            description=text(rng, 2),
            order=order,
        )
        for order, (title, indicator, comparator, target) in enumerate(
            (
                (
                    "Årets resultat ska uppgå till minst 2 procent av skatteintäkter och "
                    "generella statsbidrag.",
                    FinancialIndicator.RESULT_SHARE,
                    Comparator.AT_LEAST,
                    "2",
                ),
                (
                    "Verksamhetens nettokostnader ska inte överstiga 98 procent av "
                    "skatteintäkter och generella statsbidrag.",
                    FinancialIndicator.NET_COST_SHARE,
                    Comparator.AT_MOST,
                    "98",
                ),
                (
                    "Soliditeten ska vara minst 30 procent.",
                    FinancialIndicator.EQUITY_RATIO,
                    Comparator.AT_LEAST,
                    "30",
                ),
            )
        )
    ]
    for y in range(year - 4, year + 1):
        ledger = YearLedger.load(org, y)
        for month in (4, 8, 12) if y == year else (12,):
            indicators = ledger.indicators(month)
            for goal in goals:
                value = indicators[goal.indicator]
                met = goal.is_met(value)
                FinancialGoalAssessment.objects.create(
                    goal=goal,
                    year=y,
                    month=month,
                    value=value,
                    fulfilment=Fulfilment.MET if met else Fulfilment.NOT_MET,
                    comment=text(rng, 2),
                    assessed_by=people["ekonom"],
                )


def _kind(number: str) -> str:
    line = default_line(number)
    if line.is_balance_sheet:
        return "T" if number.startswith("1") else "S"
    return "I" if line.is_income else "K"


def _municipal_budget(growth: Decimal) -> dict[str, Decimal]:
    m = {k: Decimal(v) * growth for k, v in MUNICIPAL.items()}
    return {
        StatementLine.TAX_REVENUE: (m["8011"] + m["8012"]).quantize(Decimal(1000)),
        StatementLine.GENERAL_GRANTS: (m["8210"] + m["8230"] + m["8250"]).quantize(Decimal(1000)),
        StatementLine.FINANCIAL_INCOME: m["8410"].quantize(Decimal(1000)),
        StatementLine.FINANCIAL_COST: m["8510"].quantize(Decimal(1000)),
    }


# --- the report ----------------------------------------------------------------------------------


def fresh_report(org: Organisation, year: int, rng: random.Random) -> Report:
    """A new draft årsredovisning of the year, its sections written by their owners."""
    existing = Report.objects.filter(organisation=org, kind=ReportKind.ANNUAL, year=year)
    ReportSnapshot.objects.filter(report__in=existing).delete()  # the model's delete refuses
    existing.delete()
    admin = User.objects.get(username="bench")
    report = services.report_create(
        organisation=org, kind=ReportKind.ANNUAL, year=year, created_by=admin
    )
    owners = list(User.objects.filter(organisation=org, username__startswith="bench-"))
    now = timezone.now()
    for n, section in enumerate(ReportSection.objects.filter(report=report)):
        if section.key in SECTIONS:
            section.owner = owners[n % len(owners)]
            section.text = paragraphs(rng, SECTIONS[section.key])
            section.updated_by, section.updated_at = section.owner, now
            section.save(update_fields=["owner", "text", "updated_by", "updated_at"])
    return report


def counting(queries: list[float]):
    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(time.perf_counter() - started)

    return wrapper


def rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def release_memory() -> None:
    """Collect garbage and hand freed memory back to the system (glibc's malloc_trim), so that
    a step's RSS starts from what is really in use, not from what an earlier step freed."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def reset_peak_rss() -> bool:
    """Set the process's peak RSS (getrusage's ru_maxrss) back to the current RSS, so that
    the next step's peak is its own (Linux: /proc/self/clear_refs, "5")."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class Measured:
    """A step run `1 + repeat` times: timed (the first cold), then once under tracemalloc."""

    def __init__(self, name: str, function, repeat: int) -> None:
        self.name = name
        self.times: list[float] = []
        self.rss: list[int] = []  # peak RSS growth of each timed run, kB
        self.queries: list[float] = []
        self.exact_rss = True
        for run in range(1 + repeat):
            release_memory()
            before = rss_kb()
            self.exact_rss = reset_peak_rss() and self.exact_rss
            before_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            queries: list[float] = []
            with connection.execute_wrapper(counting(queries)):
                started = time.perf_counter()
                self.result = function()
                self.times.append(time.perf_counter() - started)
            after_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            self.rss.append(max(after_peak - (before if self.exact_rss else before_peak), 0))
            if run == 0:
                self.queries = queries
            log(f"{name}: {self.times[-1]:.2f} s, peak RSS +{self.rss[-1] / 1024:.0f} MB")
        gc.collect()
        tracemalloc.start()
        function()
        self.traced = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        log(f"{name}: tracemalloc peak {self.traced / 1e6:.0f} MB")

    @property
    def first(self) -> float:
        return self.times[0]

    @property
    def warm(self) -> float | None:
        return statistics.median(self.times[1:]) if len(self.times) > 1 else None


def pdf_pages(path: Path) -> int | None:
    if not shutil.which("pdfinfo"):
        return None
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    return int(found.group(1)) if found else None


def run_command(year: int, fmt: str, output: Path) -> tuple[float, int | None, str]:
    """`manage.py render_report` in a process of its own: (wall seconds, peak RSS kB, last
    line of its stderr)."""
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "render_report",
        "--kind",
        ReportKind.ANNUAL.slug,
        "--year",
        str(year),
        "--format",
        fmt,
        "--output",
        str(output),
    ]
    timer = shutil.which("time") and Path("/usr/bin/time").exists()
    if timer:
        command = ["/usr/bin/time", "-v", *command]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(), cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        log(done.stderr)
        raise SystemExit(f"render_report failed ({done.returncode})")
    peak = None
    if timer:
        found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        peak = int(found.group(1)) if found else None
    else:  # the largest child so far: right when this is the largest
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak = after if after > before else None
    said = [
        line
        for line in done.stderr.splitlines()
        if line.strip() and not line.startswith(("\t", " "))
    ]
    return seconds, peak, said[-1] if said else ""


def profile(function, label: str) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(function)
    log(f"--- cProfile of {label}, by cumulative time ---")
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)


def machine() -> str:
    memory = ""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {memory}, "
        f"Python {platform.python_version()}, {database}"
    )


def mb(kb_or_bytes: float | None, *, kb: bool = False) -> str:
    if kb_or_bytes is None:
        return "–"
    return f"{kb_or_bytes / (1024 if kb else 1e6):,.0f} MB".replace(",", "\u00a0")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)
    parser.add_argument("--operations", type=int, default=40)
    parser.add_argument("--units", type=int, default=50, help="units per verksamhet")
    parser.add_argument("--perspectives", type=int, default=4)
    parser.add_argument("--focus-areas", type=int, default=3, help="per perspective")
    parser.add_argument("--goals", type=int, default=4, help="per focus area")
    parser.add_argument("--areas", type=int, default=10, help="per goal")
    parser.add_argument("--measures", type=int, default=8, help="per goal")
    parser.add_argument("--history", type=int, default=6, help="years of measure values")
    parser.add_argument("--activities", type=int, default=600)
    parser.add_argument("--dialogues", type=int, default=100)
    parser.add_argument("--accounts", type=int, default=10, choices=range(1, 15), metavar="1–14")
    parser.add_argument("--formats", default="html,xlsx,docx,pdf")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs after the first")
    parser.add_argument("--no-command", action="store_true", help="skip manage.py render_report")
    parser.add_argument("--keep", action="store_true", help="do not approve the report")
    parser.add_argument(
        "--profile", choices=["compose", "pdf", "docx", "xlsx", "html"], help="cProfile a step"
    )
    args = parser.parse_args()
    year = args.year
    formats = [f for f in args.formats.split(",") if f]

    call_command("migrate", verbosity=0)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per page
    org = build(args, year)
    from tillit.reports.compose import compose
    from tillit.reports.render import render

    OUTPUT.mkdir(exist_ok=True)
    rng = random.Random(year)
    report = fresh_report(org, year, rng)
    translation.activate("sv")

    if args.profile:
        content = compose(report)
        if args.profile == "compose":
            profile(lambda: compose(report), "compose")
        else:
            profile(lambda: render(content, args.profile), f"render {args.profile}")
        return

    composed = Measured("compose", lambda: compose(report), args.repeat)
    content = composed.result
    data = json.dumps(content, ensure_ascii=False).encode("utf-8")
    (OUTPUT / f"arsredovisning-{year}.json").write_bytes(data)
    goals = [
        g for p in content["plan"]["perspectives"] for f in p["focus_areas"] for g in f["goals"]
    ]
    counts = {
        "goals": len(goals),
        "measures": sum(len(g["measures"]) for g in goals),
        "unit assessments": sum(len(g["units"]) for g in goals),
        "activities": sum(len(g["activities"]) for g in goals),
        "dialogues": sum(len(g["dialogues"]) for g in goals),
        "verksamheter": len(content["economy"]["operations"]) if content["economy"] else 0,
    }
    log(f"composed: {counts}, JSON {len(data) / 1e6:.1f} MB")

    rendered = []
    for fmt in formats:
        step = Measured(f"render {fmt}", lambda fmt=fmt: render(content, fmt), args.repeat)
        path = OUTPUT / f"arsredovisning-{year}.{fmt}"
        path.write_bytes(step.result)
        pages = pdf_pages(path) if fmt == "pdf" else None
        rendered.append((fmt, step, len(step.result), pages))
        step.result = None

    commands = []
    if not args.no_command:
        path = OUTPUT / f"arsredovisning-{year}-command.pdf"
        seconds, peak, said = run_command(year, "pdf", path)
        log(f"render_report (draft): {seconds:.1f} s, {said}")
        commands.append(("draft, composed from the data", seconds, peak, pdf_pages(path)))

    approval = None
    if not args.keep:
        admin = User.objects.get(username="bench")
        ks = Body.objects.get(organisation=org, abbreviation="KS")
        decision, _created = Decision.objects.get_or_create(
            organisation=org,
            body=ks,
            date=date(year + 1, 3, 25),
            paragraph="45",
            defaults={"title": f"Årsredovisning {year}"},
        )
        report = services.report_submit(report=report, user=admin)
        gc.collect()
        queries: list[float] = []
        with connection.execute_wrapper(counting(queries)):
            started = time.perf_counter()
            report = services.report_approve(report=report, decision=decision, user=admin)
            approval = (time.perf_counter() - started, len(queries))
        log(f"report_approve: {approval[0]:.2f} s, {approval[1]} queries")
        if not args.no_command:
            path = OUTPUT / f"arsredovisning-{year}-frozen.pdf"
            seconds, peak, said = run_command(year, "pdf", path)
            log(f"render_report (frozen): {seconds:.1f} s, {said}")
            commands.append(("approved, from the frozen snapshot", seconds, peak, pdf_pages(path)))

    # --- the results, as Markdown ---
    units = OrgUnit.objects.filter(organisation=org).count()
    outcome = Outcome.objects.filter(organisation=org, year=year).count()
    history = Outcome.objects.filter(organisation=org, year__lt=year).count()
    values = MeasureValue.objects.filter(measure__organisation=org).count()
    print(
        f"\n### {connection.vendor}: the årsredovisning {year} of a municipality of {units} "
        f"units, {counts['goals']} goals, {counts['measures']} measures\n"
    )
    print(f"Machine: {machine()}.\n")
    print(
        f"Data: {counts['goals']} goals with {counts['measures']} measures ({values} values), "
        f"{counts['unit assessments']} approved unit assessments, {counts['activities']} "
        f"activities and {counts['dialogues']} dialogue records under the goals, "
        f"{counts['verksamheter']} verksamheter; {outcome} outcome rows in the year and "
        f"{history} in the four years before. Composed content: "
        f"{len(data) / 1e6:.1f} MB of JSON.\n"
    )
    repeat = f"median of {args.repeat}" if args.repeat > 1 else "second run"
    print(
        f"| step | first run | {repeat} | queries | Python peak (tracemalloc) "
        "| peak RSS growth (first / later) | output |"
    )
    print("|---|---:|---:|---:|---:|---:|---|")

    def row(step: Measured, output: str) -> None:
        warm = f"{step.warm:.2f} s" if step.warm is not None else "–"
        later = mb(max(step.rss[1:]), kb=True) if len(step.rss) > 1 else "–"
        print(
            f"| {step.name} | {step.first:.2f} s | {warm} | {len(step.queries)} | "
            f"{mb(step.traced)} | {mb(step.rss[0], kb=True)} / {later} | {output} |",
            flush=True,
        )

    composed.name = "`compose(report)`"
    row(composed, f"{len(data) / 1e6:.1f} MB JSON")
    for fmt, step, size, pages in rendered:
        step.name = f'`render(content, "{fmt}")`'
        shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
        row(step, shown + (f", {pages} pages" if pages else ""))
    if commands or approval:
        print()
        print("| whole run | wall time | queries | peak RSS of the process | output |")
        print("|---|---:|---:|---:|---|")
        if commands:
            label, seconds, peak, pages = commands[0]
            print(
                f"| `render_report … --format pdf`, {label} | {seconds:.1f} s | – | "
                f"{mb(peak, kb=True)} | {pages} pages |"
            )
        if approval:
            print(
                f"| `report_approve` (compose, freeze the snapshot) | {approval[0]:.1f} s | "
                f"{approval[1]} | – | |"
            )
        for label, seconds, peak, pages in commands[1:]:
            print(
                f"| `render_report … --format pdf`, {label} | {seconds:.1f} s | – | "
                f"{mb(peak, kb=True)} | {pages} pages |"
            )


if __name__ == "__main__":
    main()
