"""Demo dialogues for Grästorp: the committees' remits, annual plans 2025–2026 and records.

Written through the services as the demo people would: the strategist (plan
administrator) sets the remits, plans the meetings and writes the records, and each
committee's chair approves them, so the history says who did what. Loaded once, when the
organisation has no meetings yet (`load_demo` calls it on its first run, after the
follow-up demo). Without the follow-up demo (`follow_up=False`, the tests' session) the
same meetings and records are made; their material then has no assessments.

In 2026 the goal *Vi skapar förutsättningar för ett grönskande näringsliv och
besöksnäring* has no meeting, so the overview shows a missing dialogue; two meetings in
December 2026 are planned, and the welfare committee's September record is a draft.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from tillit.core.models import Body, Organisation, User
from tillit.planning.models import PlanNode, SteeringDocument

from . import services
from .models import Meeting

# committee → the perspective (preset key) it holds dialogue on
REMITS = {
    "SU": "samhallsutveckling",
    "VU": "valfardsutveckling",
    "PU": "attraktiv-arbetsplats",
}
TOWN_HALL = "Sessionssalen, kommunhuset"
SMALL_ROOM = "Lilla sessionssalen, kommunhuset"

SU_PEOPLE = ["bengt.olsson", "mikael.strand", "anders.wik", "strateg"]
VU_PEOPLE = ["fortroendevald", "fatima.rahman", "verksamhetschef", "lena.sjoberg", "strateg"]
PU_PEOPLE = ["gunnar.persson", "anders.wik", "strateg"]

# Each meeting: committee, start (Swedish time), hours, place, title, goals (preset keys),
# and its record, if any: participants, others, the texts, and whether the chair approved.
MEETINGS: tuple[dict[str, Any], ...] = (
    {
        "body": "SU",
        "start": (2025, 3, 12, 13, 0),
        "title": "Dialog om bo och leva",
        "goals": ["fler-kommuninvanare", "valkomnande-miljoer"],
        "record": {
            "participants": SU_PEOPLE,
            "external": "Planarkitekt, Plan och bygg",
            "discussion": "Samhällsbyggnad redovisade befolkningsutvecklingen och läget i "
            "detaljplanearbetet för nya bostäder vid Töftedal. Utskottet frågade hur "
            "nyinflyttade familjer tas emot och hur centrumplanen tar tillvara "
            "medborgardialogen från i höstas.",
            "shared": "Bostadsbyggandet är den viktigaste förutsättningen för att antalet "
            "invånare ska fortsätta öka. Välkomnande miljöer i centrum utvecklas tillsammans "
            "med handlare och föreningar, inte av kommunen ensam.",
            "next": "Samhällsbyggnad återkommer i september med en tidplan för "
            "detaljplanerna. Kommunledningskontoret tar fram ett välkomstpaket för "
            "nyinflyttade till våren 2026.",
            "approved_by": "bengt.olsson",
        },
    },
    {
        "body": "SU",
        "start": (2025, 9, 17, 13, 0),
        "title": "Dialog om hållbarhet, näringsliv och besöksnäring",
        "goals": ["hallbarhetsarbete", "naringsliv-och-besoksnaring"],
        "record": {
            "participants": SU_PEOPLE,
            "external": "",
            "discussion": "Gata och park redovisade andelen fossilfria fordon i kommunens "
            "fordonsflotta och planen för att byta ut de sista dieselbilarna. "
            "Kommunledningskontoret berättade om företagsfrukostarna och den gemensamma "
            "handlingsplanen med företagarföreningen.",
            "shared": "Omställningen av fordonsflottan går åt rätt håll, men målvärdet för "
            "2025 nås inte utan fler laddplatser. Dialogen med näringslivet har blivit "
            "regelbunden; besöksnäringen behöver komma in i samma forum.",
            "next": "Laddinfrastrukturen tas upp i budgetberedningen. Besöksnäringen bjuds in "
            "till nästa företagsfrukost.",
            "approved_by": "bengt.olsson",
        },
    },
    {
        "body": "VU",
        "start": (2025, 5, 14, 9, 0),
        "title": "Dialog om utbildning och ett gott liv i alla åldrar",
        "goals": ["varldsmedborgare", "gott-liv-i-alla-aldrar"],
        "record": {
            "participants": VU_PEOPLE,
            "external": "Elevrådets ordförande, Tengbergsskolan 7–9",
            "discussion": "Utbildning redovisade uppföljningen av första tertialen: läsningen "
            "ökar i F–6, medan behörigheten till gymnasiets yrkesprogram ligger under "
            "målvärdet. Vård och omsorg berättade om den digitala tillsynen i hemtjänsten "
            "och hur nöjda brukarna är. Elevrådet beskrev hur eleverna upplever "
            "studiehandledningen.",
            "shared": "Läsfrämjandet i de yngre åldrarna ger resultat och ska fortsätta. "
            "Behörigheten i åk 9 är den stora utmaningen; studiehandledning på modersmål är "
            "rätt väg men behöver tid. Välfärdstekniken i hemtjänsten värderas efter hur "
            "brukarna upplever den, inte bara efter tiden den sparar.",
            "next": "Utbildning återkommer i oktober med en analys av behörigheten per "
            "program. Vård och omsorg gör en brukarenkät om den digitala tillsynen i höst.",
            "approved_by": "fortroendevald",
        },
    },
    {
        "body": "VU",
        "start": (2025, 10, 8, 9, 0),
        "title": "Dialog om folkhälsa och ekonomisk hållbarhet",
        "goals": ["social-hallbarhet-och-folkhalsa", "ekonomisk-hallbarhet"],
        "record": {
            "participants": VU_PEOPLE,
            "external": "",
            "discussion": "Förvaltningen redovisade folkhälsoläget utifrån elevhälsans enkät "
            "och de förebyggande hembesöken hos äldre. Ekonomienheten visade prognosen för "
            "välfärdsverksamheterna och vilka samverkansprojekt som har sänkt kostnaderna.",
            "shared": "Fysisk rörelse och känsla av sammanhang är en gemensam nyckel för "
            "skolan och äldreomsorgen. Samverkan över verksamhetsgränserna prövas innan nya "
            "resurser begärs.",
            "next": "Rörelse varje skoldag införs på Tengbergsskolan F–6 från januari. "
            "Förvaltningen återkommer med ett förslag till ett gemensamt folkhälsoråd.",
            "approved_by": "fortroendevald",
        },
    },
    {
        "body": "PU",
        "start": (2025, 4, 23, 15, 0),
        "title": "Dialog om nya arbetssätt",
        "goals": ["nya-arbetssatt"],
        "place": SMALL_ROOM,
        "record": {
            "participants": PU_PEOPLE,
            "external": "",
            "discussion": "Kommundirektören redovisade hur arbetslagen har provat nya "
            "arbetssätt under året, bland annat digital schemaläggning i hemtjänsten och "
            "gemensam planeringstid i skolan.",
            "shared": "Medledarnas förslag är grunden för nya arbetssätt. Det är tillåtet att "
            "pröva och misslyckas, och lärdomarna sprids mellan verksamheterna.",
            "next": "Kommunledningsgruppen samlar erfarenheterna vid en lärande träff i november.",
            "approved_by": "gunnar.persson",
        },
    },
    {
        "body": "PU",
        "start": (2025, 11, 19, 15, 0),
        "title": "Dialog om värdskap och medledarskap",
        "goals": ["vardskap-och-medledarskap"],
        "place": SMALL_ROOM,
        "record": {
            "participants": PU_PEOPLE,
            "external": "Huvudskyddsombud",
            "discussion": "HR-enheten redovisade sjukfrånvaron, som minskar men ligger över "
            "målvärdet, och resultatet av medarbetarenkätens frågor om värdskap och "
            "medledarskap.",
            "shared": "Tidiga samtal och ett närvarande ledarskap gör skillnad för "
            "sjukfrånvaron, och medarbetarna är med och formar insatserna.",
            "next": "HR-enheten tar fram en handlingsplan för hälsofrämjande arbetsplatser "
            "tillsammans med skyddsombuden.",
            "approved_by": "gunnar.persson",
        },
    },
    {
        "body": "SU",
        "start": (2026, 3, 11, 13, 0),
        "title": "Dialog om bo och leva",
        "goals": ["fler-kommuninvanare", "valkomnande-miljoer"],
        "record": {
            "participants": SU_PEOPLE,
            "external": "",
            "discussion": "Antalet invånare ökade under 2025 i takt med målet. "
            "Samhällsbyggnad visade tidplanen för detaljplanerna och välkomstpaketet för "
            "nyinflyttade.",
            "shared": "Ökningen är sårbar: bostäder för äldre som vill flytta från villan "
            "frigör hus för barnfamiljer, och det behövs fler sådana.",
            "next": "Förvaltningen utreder ett trygghetsboende i centrum och redovisar i oktober.",
            "approved_by": "bengt.olsson",
        },
    },
    {
        "body": "SU",
        "start": (2026, 12, 9, 13, 0),
        "title": "Dialog om hållbarhetsarbetet",
        "goals": ["hallbarhetsarbete"],
    },
    {
        "body": "VU",
        "start": (2026, 2, 11, 9, 0),
        "title": "Dialog om utbildning och ett gott liv i alla åldrar",
        "goals": ["varldsmedborgare", "gott-liv-i-alla-aldrar"],
        "record": {
            "participants": VU_PEOPLE,
            "external": "",
            "discussion": "Utbildning redovisade helåret 2025: fler elever läser på fritiden, "
            "och behörigheten i åk 9 har ökat något sedan studiehandledningen kom igång. "
            "Hemtjänsten redovisade brukarenkäten om den digitala tillsynen.",
            "shared": "Arbetet med läsning och studiehandledning ger effekt och fortsätter "
            "2026. Brukarna är i huvudsak positiva till den digitala tillsynen, men den ska "
            "alltid vara ett val.",
            "next": "Utbildning följer upp behörigheten efter vårterminen. Hemtjänsten "
            "erbjuder alla brukare ett samtal om tillsynen vid nästa uppföljning.",
            "approved_by": "fortroendevald",
        },
    },
    {
        "body": "VU",
        "start": (2026, 9, 16, 9, 0),
        "title": "Dialog om folkhälsa och ekonomisk hållbarhet",
        "goals": ["social-hallbarhet-och-folkhalsa", "ekonomisk-hallbarhet"],
        "record": {
            "participants": VU_PEOPLE,
            "external": "",
            "discussion": "Tengbergsskolan F–6 berättade om det första halvåret med rörelse "
            "varje skoldag. Ekonomienheten redovisade delårsprognosen.",
            "shared": "",
            "next": "",
            "approved_by": None,  # a draft, still to be finished
        },
    },
    {
        "body": "PU",
        "start": (2026, 5, 20, 15, 0),
        "title": "Dialog om nya arbetssätt",
        "goals": ["nya-arbetssatt"],
        "place": SMALL_ROOM,
        "record": {
            "participants": PU_PEOPLE,
            "external": "",
            "discussion": "Kommunledningsgruppen redovisade erfarenheterna från den lärande "
            "träffen i november och de förslag från medledarna som har prövats sedan dess.",
            "shared": "Flera försök har spridits mellan verksamheterna. Tiden för att pröva "
            "nytt behöver planeras in, annars äts den upp av vardagen.",
            "next": "Varje verksamhet avsätter tid för ett förbättringsförsök per termin.",
            "approved_by": "gunnar.persson",
        },
    },
    {
        "body": "PU",
        "start": (2026, 12, 2, 15, 0),
        "title": "Dialog om värdskap och medledarskap",
        "goals": ["vardskap-och-medledarskap"],
        "place": SMALL_ROOM,
    },
)


@transaction.atomic
def load_dialogue_demo(organisation: Organisation, *, follow_up: bool = True) -> list[Meeting]:
    """Create the demo remits, meetings and records unless the organisation has meetings
    already; return the organisation's meetings in date order either way.

    `follow_up` says whether the follow-up demo was loaded; the material is gathered from
    whatever is there, so nothing here depends on it.
    """
    existing = list(Meeting.objects.filter(organisation=organisation).order_by("starts_at"))
    if existing:
        return existing
    bodies = {
        b.abbreviation: b
        for b in Body.objects.filter(organisation=organisation, abbreviation__in=list(REMITS))
    }
    people = {u.username: u for u in User.objects.filter(organisation=organisation)}
    document = (
        SteeringDocument.objects.filter(organisation=organisation, start_year__lte=2025)
        .order_by("-start_year")
        .first()
    )
    if len(bodies) < len(REMITS) or "strateg" not in people or document is None:
        return []  # not the Grästorp demo: nothing to show the dialogues with
    nodes = {n.key: n for n in PlanNode.objects.filter(document=document).exclude(key="")}
    strateg = people["strateg"]
    for abbreviation, key in REMITS.items():
        if key in nodes:
            services.remits_set(
                body=bodies[abbreviation], document=document, nodes=[nodes[key]], changed_by=strateg
            )
    meetings = []
    for spec in MEETINGS:
        meeting = services.meeting_create(
            body=bodies[spec["body"]],
            created_by=strateg,
            title=spec["title"],
            starts_at=timezone.make_aware(datetime(*spec["start"])),
            ends_at=timezone.make_aware(datetime(*spec["start"][:3], spec["start"][3] + 2, 0)),
            place=spec.get("place", TOWN_HALL),
            goals=[nodes[key] for key in spec["goals"] if key in nodes],
        )
        meetings.append(meeting)
        if "record" in spec:
            _write_record(meeting, spec["record"], strateg, people)
    return meetings


def _write_record(meeting: Meeting, spec: dict, writer: User, people: dict[str, User]) -> None:
    record = services.record_start(meeting=meeting, started_by=writer)
    record = services.record_save(
        record=record,
        written_by=writer,
        expected_version=record.version,
        participants=[people[name] for name in spec["participants"] if name in people],
        external_participants=spec["external"],
        discussion=spec["discussion"],
        shared_understanding=spec["shared"],
        next_steps=spec["next"],
    )
    approver = people.get(spec["approved_by"] or "")
    if approver is not None and meeting.has_started():
        services.record_approve(
            record=record, approved_by=approver, expected_version=record.version
        )
