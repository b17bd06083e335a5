"""Demo measures for Grästorp: two operational plans, measures with targets and values.

Demo data only (the figures are made up, the source is "entered by hand"): it
shows the plan overview, the traffic lights and the charts with something in
them. Loaded once, with the rest of the demo (`manage.py load_demo`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from tillit.core.choices import Fulfilment
from tillit.core.models import Body, Decision, Organisation, OrgUnit
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import OperationalPlan, PlanNode, SteeringDocument

from .choices import Direction, MeasureKind, PeriodKind
from .models import Measure, MeasureTarget, MeasureValue

REASON = "Demodata"

# (goal key, title, unit, direction, decimals, unit name, yearly values 2019–2025,
#  targets 2025 and 2026, baseline year)
QUANTITATIVE = [
    (
        "fler-kommuninvanare",
        "Antal invånare",
        "invånare",
        Direction.HIGHER,
        0,
        "Kommunledningskontoret",
        [5610, 5632, 5655, 5668, 5690, 5712, 5731],
        (5750, 5800),
    ),
    (
        "varldsmedborgare",
        "Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram",
        "%",
        Direction.HIGHER,
        1,
        "Tengbergsskolan 7–9",
        [81.2, 83.5, 80.9, 84.1, 85.0, 86.2, 85.4],
        (88, 90),
    ),
    (
        "gott-liv-i-alla-aldrar",
        "Andel brukare som är nöjda med hemtjänsten",
        "%",
        Direction.HIGHER,
        0,
        "Hemtjänsten",
        [86, 88, 87, 89, 90, 88, 91],
        (90, 92),
    ),
    (
        "vardskap-och-medledarskap",
        "Sjukfrånvaro bland medarbetare",
        "%",
        Direction.LOWER,
        1,
        "HR-enheten",
        [7.9, 8.6, 9.1, 8.4, 7.8, 7.5, 7.2],
        (7.0, 6.5),
    ),
    (
        "hallbarhetsarbete",
        "Andel fossilfria fordon i kommunens fordonsflotta",
        "%",
        Direction.HIGHER,
        0,
        "Gata och park",
        [18, 22, 27, 31, 38, 44, 47],
        (55, 65),
    ),
]
QUALITATIVE = [
    (
        "naringsliv-och-besoksnaring",
        "Dialog med näringslivet",
        "Kommunledningskontoret",
        [
            (
                2025,
                1,
                Fulfilment.PARTLY,
                "Två företagsfrukostar; dialogen med handeln har "
                "kommit igång men besöksnäringen saknas ännu.",
            ),
            (2025, 2, Fulfilment.MET, "Gemensam handlingsplan med företagarföreningen."),
        ],
        Fulfilment.MET,
    ),
]


@transaction.atomic
def load_measure_demo(organisation: Organisation) -> None:
    document = SteeringDocument.objects.get(organisation=organisation, start_year=2024)
    kf = Body.objects.get(organisation=organisation, abbreviation="KF")
    goals = {n.key: n for n in PlanNode.objects.filter(document=document, level__key="goal")}
    units = {u.name: u for u in OrgUnit.objects.filter(organisation=organisation)}
    plans = {}
    for year, date, paragraph in ((2025, "2024-11-25", "118"), (2026, "2025-11-24", "121")):
        decision, _ = Decision.objects.get_or_create(
            body=kf,
            date=date,
            paragraph=paragraph,
            defaults={
                "organisation": organisation,
                "title": f"Verksamhetsplan och budget {year} (demo)",
            },
        )
        plan, created = OperationalPlan.objects.get_or_create(
            organisation=organisation,
            year=year,
            defaults={
                "document": document,
                "title": f"Verksamhetsplan {year}",
                "status": DocumentStatus.ADOPTED,
                "decision": decision,
            },
        )
        if created:
            plan.goals.set(goals.values())
        plans[year] = plan

    for order, (goal, title, unit, direction, decimals, unit_name, values, targets) in enumerate(
        QUANTITATIVE
    ):
        measure = _measure(
            organisation,
            goals[goal],
            title,
            order,
            unit=unit,
            direction=direction,
            decimals=decimals,
            responsible_unit=units.get(unit_name),
            baseline_value=Decimal(str(values[4])),
            baseline_year=2023,
        )
        for year, target in zip((2025, 2026), targets, strict=True):
            MeasureTarget.objects.get_or_create(
                measure=measure, plan=plans[year], defaults={"target": Decimal(str(target))}
            )
        for year, value in zip(range(2019, 2026), values, strict=True):
            MeasureValue.objects.get_or_create(
                measure=measure,
                year=year,
                period_kind=PeriodKind.YEAR,
                period=1,
                defaults={"value": Decimal(str(value))},
            )
    for order, (goal, title, unit_name, grades, target) in enumerate(
        QUALITATIVE, start=len(QUANTITATIVE)
    ):
        measure = _measure(
            organisation,
            goals[goal],
            title,
            order,
            kind=MeasureKind.QUALITATIVE,
            responsible_unit=units.get(unit_name),
        )
        for year in (2025, 2026):
            MeasureTarget.objects.get_or_create(
                measure=measure, plan=plans[year], defaults={"target_grade": target}
            )
        for year, tertial, grade, comment in grades:
            MeasureValue.objects.get_or_create(
                measure=measure,
                year=year,
                period_kind=PeriodKind.TERTIAL,
                period=tertial,
                defaults={"grade": grade, "comment": comment},
            )


def _measure(organisation, node, title, order, **fields) -> Measure:
    measure = Measure.objects.filter(organisation=organisation, node=node, title=title).first()
    if measure is None:
        measure = Measure(organisation=organisation, node=node, title=title, order=order, **fields)
        measure._change_reason = REASON
        measure.full_clean()
        measure.save()
    return measure
