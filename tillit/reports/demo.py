"""Demo reports for Grästorp: the årsredovisning 2025, adopted, and the delårsrapport 2026
being written.

- Helår 2025: every goal gets an approved goal-level assessment and the period is closed.
  The årsredovisning 2025 is written by its section owners, reviewed, approved by
  kommunstyrelsen (so frozen) and presented to kommunfullmäktige.
- Delår jan–aug 2026: a period with a few goals assessed; the delårsrapport is a draft
  with some sections written, so its check lists what is still missing.

Written through the services as the personas would. Loaded once, by `load_demo` the first
time it runs with the follow-up demo (not in the test session's demo).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from tillit.core.choices import Fulfilment
from tillit.core.models import Body, Decision, Organisation, User
from tillit.followup import services as followup
from tillit.followup.choices import FollowUpKind
from tillit.followup.models import Assessment, FollowUpPeriod
from tillit.followup.selectors import period_goals

from . import services
from .choices import ReportKind
from .models import Report, ReportSection

# goal key → (status 2025, analysis, next steps)
ASSESSMENTS_2025: dict[str, tuple[str, str, str]] = {
    "fler-kommuninvanare": (
        Fulfilment.PARTLY,
        "Befolkningen ökade med 34 personer till 5 712 invånare. Inflyttningen till de nya "
        "bostäderna i Västerbo bidrog, men utflyttningen bland unga vuxna är fortsatt hög.",
        "Bostadsförsörjningsprogrammet revideras 2026 och fler tomter för småhus planläggs.",
    ),
    "valkomnande-miljoer": (
        Fulfilment.MET,
        "Torget och Sparbanksparken har rustats och används för fler evenemang än tidigare. "
        "Medborgardialogen om mötesplatser hade rekordmånga deltagare.",
        "Fortsätt utveckla mötesplatser tillsammans med föreningslivet.",
    ),
    "hallbarhetsarbete": (
        Fulfilment.PARTLY,
        "Andelen fossilfria fordon i kommunens fordonsflotta ökade till 62 procent. "
        "Matsvinnet i skolmåltiderna minskade, men energianvändningen i lokalerna är oförändrad.",
        "Energikartläggning av de äldre skollokalerna och en plan för solceller.",
    ),
    "naringsliv-och-besoksnaring": (
        Fulfilment.PARTLY,
        "Företagsklimatet förbättrades i Svenskt Näringslivs ranking, och antalet nystartade "
        "företag ökade. Besöksnäringen påverkades av en regnig sommar.",
        "Näringslivsrådet tar fram en gemensam plan för besöksnäringen inför 2026.",
    ),
    "varldsmedborgare": (
        Fulfilment.PARTLY,
        "Läsningen har ökat i de yngre åldrarna och fler elever når kunskapskraven i svenska. "
        "Behörigheten till gymnasiet ligger fortfarande under målvärdet.",
        "Studiehandledning på modersmål i åk 7–9 och läsombud i varje klass.",
    ),
    "gott-liv-i-alla-aldrar": (
        Fulfilment.MET,
        "Brukarnöjdheten inom äldreomsorgen är hög och väntetiden till särskilt boende har "
        "kortats. Fler äldre använder digitala trygghetslösningar.",
        "Utveckla anhörigstödet och den förebyggande verksamheten.",
    ),
    "social-hallbarhet-och-folkhalsa": (
        Fulfilment.PARTLY,
        "Föreningslivet når fler unga, men andelen unga som uppger god hälsa har minskat något.",
        "Gemensam folkhälsoplan med vårdcentralen och föreningslivet.",
    ),
    "ekonomisk-hallbarhet": (
        Fulfilment.NOT_MET,
        "Resultatet blev lägre än målet på två procent av skatter och bidrag. Vård och "
        "omsorg överskred sin ram, främst på grund av ökade placeringskostnader.",
        "Åtgärdsplan i vård och omsorg och månatlig uppföljning i kommunstyrelsen.",
    ),
    "nya-arbetssatt": (
        Fulfilment.MET,
        "Sex digitala arbetssätt har införts, bland annat e-tjänster för bygglov och "
        "försörjningsstöd. Medarbetarna har provat nya arbetssätt i alla verksamheter.",
        "Sprid erfarenheterna i ett gemensamt innovationsforum.",
    ),
    "vardskap-och-medledarskap": (
        Fulfilment.PARTLY,
        "Medarbetarenkäten visar ett högre index för medledarskap, men sjukfrånvaron är "
        "fortsatt hög inom vård och omsorg.",
        "Arbetsmiljösatsning i vård och omsorg och ledarutveckling för alla chefer.",
    ),
}

# goal keys assessed in the 2026 interim report so far
ASSESSED_2026 = ("valkomnande-miljoer", "varldsmedborgare", "ekonomisk-hallbarhet")

SECTIONS_2025 = {
    "foreword": (
        "fortroendevald",
        "2025 var ett år då vi fick se resultatet av flera års långsiktigt arbete: fler "
        "invånare, välkomnande mötesplatser och en skola där läsningen ökar.\n\n"
        "Samtidigt blev det ekonomiska resultatet svagare än vi hade planerat. Det kräver "
        "att vi fortsätter prioritera och samarbeta över gränserna i hela kommunen.",
    ),
    "events": (
        "strateg",
        "Kommunfullmäktige antog en ny bostadsförsörjningsplan i juni. Den nya förskolan i "
        "Västerbo öppnade i augusti.\n\n"
        "Kostnaderna för placeringar inom individ- och familjeomsorgen ökade kraftigt under "
        "hösten.",
    ),
    "economic_management": (
        "ekonom",
        "Sammantaget bedöms kommunen delvis ha uppnått god ekonomisk hushållning 2025. Fyra "
        "av tio verksamhetsmål är uppfyllda och fem delvis. Av de finansiella målen uppfylls "
        "målet om soliditet men inte resultatmålet.",
    ),
    "financial_position": (
        "ekonom",
        "Soliditeten är fortsatt god och kommunen har inte behövt nyupplåna under året.",
    ),
    "staff": (
        "strateg",
        "Kommunen hade 742 tillsvidareanställda vid årets slut. Sjukfrånvaron minskade till "
        "7,1 procent. Rekryteringen av legitimerad personal inom vård och skola är fortsatt "
        "en utmaning.",
    ),
    "expected_development": (
        "ekonom",
        "Skatteunderlaget väntas växa långsammare de kommande åren samtidigt som andelen "
        "äldre ökar. Verksamheterna behöver fortsätta utveckla digitala och förebyggande "
        "arbetssätt för att klara välfärden med god kvalitet.",
    ),
}

SECTIONS_2026 = {
    "events": (
        "strateg",
        "Kommunfullmäktige beslutade i april om en tilläggsbudget för vård och omsorg.",
    ),
    "expected_development": ("ekonom", ""),
    "economic_management": ("ekonom", ""),
}


def _decision(organisation, abbreviation: str, day: date, paragraph: str, title: str):
    body = Body.objects.get(organisation=organisation, abbreviation=abbreviation)
    found, _ = Decision.objects.get_or_create(
        body=body,
        date=day,
        paragraph=paragraph,
        defaults={"organisation": organisation, "title": title},
    )
    return found


def _assess(period: FollowUpPeriod, goals, keys, strateg: User) -> None:
    for goal in goals:
        if goal.key not in keys:
            continue
        status, analysis, next_steps = ASSESSMENTS_2025[goal.key]
        existing = Assessment.objects.filter(period=period, goal=goal, unit=None).first()
        if existing is not None:
            continue
        written = followup.assessment_save(
            assessment=Assessment(period=period, goal=goal, unit=None),
            written_by=strateg,
            expected_version=0,
            status=status,
            analysis=analysis,
            next_steps=next_steps,
        )
        submitted = followup.assessment_submit(
            assessment=written, submitted_by=strateg, expected_version=written.version
        )
        followup.assessment_approve(
            assessment=submitted, approved_by=strateg, expected_version=submitted.version
        )


def _write_sections(report: Report, texts: dict, people: dict[str, User], keeper: User) -> None:
    for section in ReportSection.objects.filter(report=report):
        if section.key not in texts:
            continue
        owner_key, text = texts[section.key]
        owner = people.get(owner_key)
        section = services.section_assign(
            section=section, owner=owner, user=keeper, expected_version=section.version
        )
        if text and owner is not None:
            services.section_write(
                section=section, text=text, user=owner, expected_version=section.version
            )


@transaction.atomic
def load_report_demo(organisation: Organisation, people: dict[str, User]) -> list[Report]:
    """The two demo reports, unless the organisation has reports already."""
    existing = list(Report.objects.filter(organisation=organisation))
    strateg = people.get("strateg")
    if existing or strateg is None or people.get("ekonom") is None:
        return existing
    reports = []

    annual_period = FollowUpPeriod.objects.filter(
        organisation=organisation, year=2025, kind=FollowUpKind.ANNUAL
    ).first()
    if annual_period is not None:
        if annual_period.is_open:
            _assess(annual_period, period_goals(annual_period), ASSESSMENTS_2025, strateg)
            followup.period_close(period=annual_period, closed_by=strateg)
        annual = services.report_create(
            organisation=organisation,
            kind=ReportKind.ANNUAL,
            year=2025,
            created_by=strateg,
            followup_period=annual_period,
        )
        _write_sections(annual, SECTIONS_2025, people, strateg)
        annual = services.report_submit(report=annual, user=strateg)
        ks = _decision(organisation, "KS", date(2026, 4, 8), "47", "Årsredovisning 2025 (demo)")
        annual = services.report_approve(report=annual, decision=ks, user=strateg)
        kf = _decision(organisation, "KF", date(2026, 4, 27), "39", "Årsredovisning 2025 (demo)")
        annual = services.report_present(report=annual, decision=kf, user=strateg)
        reports.append(annual)

    interim_period = FollowUpPeriod.objects.filter(
        organisation=organisation, year=2026, kind=FollowUpKind.INTERIM
    ).first() or followup.period_create(
        organisation=organisation,
        created_by=strateg,
        name="Delår jan–aug 2026",
        year=2026,
        kind=FollowUpKind.INTERIM,
        start=date(2026, 1, 1),
        end=date(2026, 8, 31),
        deadline=date(2026, 9, 18),
    )
    _assess(interim_period, period_goals(interim_period), ASSESSED_2026, strateg)
    interim = services.report_create(
        organisation=organisation,
        kind=ReportKind.INTERIM,
        year=2026,
        through_month=8,
        created_by=strateg,
        followup_period=interim_period,
    )
    _write_sections(interim, SECTIONS_2026, people, strateg)
    reports.append(interim)
    return reports
