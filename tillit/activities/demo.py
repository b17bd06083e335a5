"""Demo activities for Grästorp, 2025–2026, across the units of the demo.

Written through the services as the demo people would: the unit's people plan an
activity, and the person responsible reports its status, progress and result later,
so the history says who did what. Loaded once, when the organisation has no
activities yet (`load_demo` calls it on its first run, after the areas and measures).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from tillit.core.models import Organisation, OrgUnit, User
from tillit.measures.models import Measure
from tillit.planning.models import PlanNode, Principle

from . import services
from .choices import ActivityStatus
from .models import Activity

ÅK9 = "Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram"
NÖJDA = "Andel brukare som är nöjda med hemtjänsten"
SJUKFRÅNVARO = "Sjukfrånvaro bland medarbetare"
FOSSILFRIA = "Andel fossilfria fordon i kommunens fordonsflotta"
NÄRINGSLIV = "Dialog med näringslivet"

# Each activity: who plans it (username) and what it is; `report` is what the person
# responsible reports later (status, progress, result), by `reported_by` (default: the
# responsible person). Goals by their preset key, areas by their title.
ACTIVITIES: tuple[dict[str, Any], ...] = (
    {
        "title": "Läsombud i varje klass",
        "unit": "Tengbergsskolan F–6",
        "planned_by": "enhetschef",
        "responsible": "medledare",
        "participants": ["enhetschef"],
        "areas": ["Läsfrämjande i F–6"],
        "principles": ["medledarskap", "vardskap"],
        "start": date(2025, 1, 13),
        "end": date(2025, 6, 13),
        "description": "Varje klass väljer ett läsombud som tipsar om böcker, håller i "
        "högläsningen en gång i veckan och är länken till skolbiblioteket.",
        "report": (
            ActivityStatus.DONE,
            100,
            "Alla klasser i åk 1–6 har ett läsombud. Skolbibliotekets utlån ökade med en "
            "femtedel jämfört med vårterminen 2024.",
        ),
    },
    {
        "title": "Bokcirklar i åk 4–6",
        "unit": "Tengbergsskolan F–6",
        "planned_by": "medledare",
        "responsible": "medledare",
        "goals": ["varldsmedborgare"],
        "areas": ["Läsfrämjande i F–6"],
        "principles": ["helhet"],
        "start": date(2025, 8, 18),
        "end": date(2026, 6, 12),
        "description": "Eleverna läser samma bok i små grupper och samtalar om den "
        "tillsammans med skolbibliotekarien, en gång i veckan under läsåret.",
        "report": (
            ActivityStatus.DONE,
            100,
            "Tolv bokcirklar under läsåret. Eleverna säger i enkäten att de läser mer "
            "på fritiden; föräldrarna vill att cirklarna fortsätter.",
        ),
    },
    {
        "title": "Studiehandledning på modersmål i åk 7–9",
        "unit": "Tengbergsskolan 7–9",
        "planned_by": "verksamhetschef",
        "responsible": "verksamhetschef",
        "goals": ["varldsmedborgare"],
        "measures": [ÅK9],
        "principles": ["helhet", "vardskap"],
        "start": date(2025, 9, 1),
        "end": None,
        "description": "Elever med ett annat modersmål än svenska får studiehandledning i "
        "matematik, svenska och NO, så att fler blir behöriga till gymnasiet.",
        "report": (
            ActivityStatus.ONGOING,
            60,
            "Fjorton elever har studiehandledning. Lärarna ser att de hänger med bättre "
            "i matematiken; betygen i juni visar om det räcker.",
        ),
    },
    {
        "title": "Digitala tillsynsbesök nattetid",
        "unit": "Hemtjänsten",
        "planned_by": "outsider",
        "responsible": "outsider",
        "participants": ["lena.sjoberg"],
        "areas": ["Trygg hemtjänst med välfärdsteknik"],
        "measures": [NÖJDA],
        "principles": ["digitalisering", "vardskap"],
        "start": date(2025, 2, 3),
        "end": date(2025, 10, 31),
        "description": "Brukare som vill får tillsyn nattetid via kamera i stället för "
        "besök, så att de kan sova ostört.",
        "report": (
            ActivityStatus.DONE,
            100,
            "42 brukare har valt digital tillsyn nattetid. Färre störda nätter, och "
            "personalen har fått tid över till besök på dagtid.",
        ),
    },
    {
        "title": "Digital planering av hemtjänstens insatser",
        "unit": "Hemtjänsten",
        "planned_by": "lena.sjoberg",
        "responsible": "outsider",
        "goals": ["gott-liv-i-alla-aldrar"],
        "areas": ["Trygg hemtjänst med välfärdsteknik"],
        "measures": [NÖJDA],
        "principles": ["digitalisering", "innovation"],
        "start": date(2026, 1, 12),
        "end": date(2026, 12, 18),
        "description": "Ett planeringsverktyg i mobilen ersätter papperslistorna, så att "
        "brukaren oftare möter samma personal.",
        "report": (
            ActivityStatus.ONGOING,
            70,
            "Alla tre hemtjänstgrupper planerar i verktyget. Kontinuiteten mäts i december.",
        ),
    },
    {
        "title": "Friskvårdstimme och höjt friskvårdsbidrag",
        "unit": "HR-enheten",
        "planned_by": "strateg",
        "responsible": "strateg",
        "goals": ["vardskap-och-medledarskap"],
        "measures": [SJUKFRÅNVARO],
        "principles": ["medledarskap", "helhet"],
        "start": date(2025, 1, 1),
        "end": date(2025, 12, 31),
        "description": "Alla medarbetare får en friskvårdstimme i veckan på arbetstid, och "
        "friskvårdsbidraget höjs till 3 000 kronor om året.",
        "report": (
            ActivityStatus.DONE,
            100,
            "Sju av tio medarbetare använde friskvårdstimmen. Sjukfrånvaron sjönk till "
            "7,2 procent.",
        ),
    },
    {
        "title": "Medarbetarenkät och dialog på APT",
        "unit": "HR-enheten",
        "planned_by": "anders.wik",
        "responsible": "strateg",
        "participants": ["anders.wik", "linnea.bjork"],
        "goals": ["vardskap-och-medledarskap", "nya-arbetssatt"],
        "principles": ["medledarskap", "vardskap"],
        "start": date(2026, 9, 14),
        "end": date(2026, 12, 11),
        "description": "Medarbetarenkäten genomförs i september. Varje arbetsplats går "
        "igenom sitt resultat på en arbetsplatsträff och väljer en sak att förbättra.",
        "report": (
            ActivityStatus.ONGOING,
            50,
            "Svarsfrekvens 81 procent. Hälften av arbetsplatserna har haft sin dialog på APT.",
        ),
    },
    {
        "title": "Fossilfria arbetsfordon i Gata och park",
        "unit": "Gata och park",
        "planned_by": "mikael.strand",
        "responsible": "mikael.strand",
        "goals": ["hallbarhetsarbete"],
        "measures": [FOSSILFRIA],
        "principles": ["innovation", "helhet"],
        "start": date(2025, 3, 1),
        "end": date(2026, 12, 31),
        "description": "Arbetsfordon och maskiner byts mot el- och biogasdrivna när de "
        "ändå ska ersättas; laddplatser byggs vid förrådet.",
        "report": (
            ActivityStatus.ONGOING,
            55,
            "Sex av elva fordon är utbytta och laddplatserna är klara. Två hjullastare "
            "återstår, leverans i december.",
        ),
    },
    {
        "title": "Företagsfrukostar",
        "unit": "Kommunledningskontoret",
        "planned_by": "strateg",
        "responsible": "strateg",
        "participants": ["anders.wik"],
        "goals": ["naringsliv-och-besoksnaring"],
        "measures": [NÄRINGSLIV],
        "principles": ["vardskap"],
        "start": date(2025, 2, 1),
        "end": None,
        "description": "Företagsfrukost varannan månad hos ett lokalt företag, där "
        "kommundirektören och företagarna pratar om vad som behövs.",
        "report": (
            ActivityStatus.ONGOING,
            50,
            "Nio frukostar hittills, i snitt 25 företag per gång. Handlingsplanen med "
            "företagarföreningen växte fram här.",
        ),
    },
    {
        "title": "Näringslivsdialog med besöksnäringen",
        "unit": "Kommunledningskontoret",
        "planned_by": "strateg",
        "responsible": "linnea.bjork",
        "goals": ["naringsliv-och-besoksnaring"],
        "principles": ["vardskap", "helhet"],
        "start": date(2026, 12, 1),
        "end": date(2027, 3, 31),
        "description": "Tre träffar med campingar, gårdsbutiker och evenemangsarrangörer "
        "om hur kommunen kan göra det lättare att besöka Grästorp.",
    },
    {
        "title": "Fortbildning i digitala lärresurser",
        "unit": "Utbildning",
        "planned_by": "verksamhetschef",
        "responsible": "verksamhetschef",
        "participants": ["enhetschef", "medledare"],
        "areas": ["Digitalt lärande i hela skolan"],
        "principles": ["digitalisering", "innovation"],
        "start": date(2026, 1, 8),
        "end": date(2026, 12, 18),
        "description": "Lärarna i alla skolor lär sig använda de nya digitala "
        "lärresurserna med omdöme, i fyra halvdagar under året.",
        "report": (
            ActivityStatus.PAUSED,
            40,
            "Två av fyra halvdagar är genomförda. Pausad i väntan på elevdatorerna, som "
            "har försenats; återupptas när de är levererade.",
        ),
    },
    {
        "title": "Utomhuspass med föreningslivet",
        "unit": "Tengbergsskolan F–6",
        "planned_by": "enhetschef",
        "responsible": "enhetschef",
        "areas": ["Rörelse varje skoldag"],
        "principles": ["helhet"],
        "start": date(2026, 2, 2),
        "end": date(2026, 6, 12),
        "description": "Idrottsföreningarna leder ett utomhuspass i veckan för varje klass.",
        "report": (
            ActivityStatus.CANCELLED,
            10,
            "Avbruten: föreningarna har inga ledare på dagtid. Rörelsen sker i stället i "
            "klassernas egna pass.",
        ),
    },
)


@transaction.atomic
def load_activity_demo(organisation: Organisation) -> list[Activity]:
    """Create the demo activities unless the organisation has activities already; return
    the organisation's activities either way (none outside the Grästorp demo)."""
    existing = list(Activity.objects.filter(organisation=organisation))
    if existing:
        return existing
    people = {u.username: u for u in User.objects.filter(organisation=organisation)}
    units = {u.name: u for u in OrgUnit.objects.filter(organisation=organisation)}
    nodes = list(
        PlanNode.objects.filter(organisation=organisation, level__key__in=["goal", "area"])
        .select_related("level")
        .order_by("-document__start_year", "pk")
    )
    goals = {n.key: n for n in reversed(nodes) if n.level.key == "goal"}
    areas = {n.title: n for n in reversed(nodes) if n.level.key == "area"}
    measures = {m.title: m for m in Measure.objects.filter(organisation=organisation)}
    principles = {p.key: p for p in Principle.objects.filter(organisation=organisation)}
    created = []
    for spec in ACTIVITIES:
        needed_people = [spec["planned_by"], spec["responsible"], *spec.get("participants", ())]
        links = [
            *(goals.get(key) for key in spec.get("goals", ())),
            *(areas.get(title) for title in spec.get("areas", ())),
        ]
        if (
            any(name not in people for name in needed_people)
            or spec["unit"] not in units
            or not links
            or None in links
        ):
            continue  # not the Grästorp demo, or a demo person was skipped
        activity = services.activity_create(
            organisation=organisation,
            created_by=people[spec["planned_by"]],
            title=spec["title"],
            description=spec["description"],
            owner_unit=units[spec["unit"]],
            responsible=people[spec["responsible"]],
            participants=[people[name] for name in spec.get("participants", ())],
            nodes=links,
            measures=[measures[t] for t in spec.get("measures", ()) if t in measures],
            principles=[principles[k] for k in spec["principles"] if k in principles],
            start=spec["start"],
            end=spec["end"],
        )
        if "report" in spec:
            status, progress, result = spec["report"]
            activity = services.activity_update(
                activity=activity,
                changed_by=people[spec.get("reported_by", spec["responsible"])],
                expected_version=activity.version,
                status=status,
                progress=progress,
                result=result,
            )
        created.append(activity)
    return created
