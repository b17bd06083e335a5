"""Demo data for Grästorp: a small administration, committees, people and areas.

Built on top of the Grästorp preset (`load_preset("grastorp")`), which brings
the organisation, KF, KS, KLG and the adopted steering document 2024–2027.
Every demo person logs in with the same, publicly known password, so this is
for development, tests and demonstrations only.

`load_demo()` is idempotent: it saves a row only when it differs from the
demo, so a second call creates nothing, changes nothing and adds no history.

Accounts are only ever created, and a demo person's roles and memberships
only with the account, in the run that creates it. An account that is already
there is left exactly as it is: its password, flags (is_active, is_staff,
is_superuser, is_plan_administrator, is_economist), names, roles and memberships, so a demo
person who changed their password keeps it, and a role an administrator took
away does not come back with its permissions. (Delete the account and run the
demo again to get it back as the demo has it.) An account with a demo username
that the demo did not create for this organisation (say, a real ``admin``) is
skipped with a warning and is not among the people returned. The demo areas
are seeded on the first run only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from .choices import BodyKind, MembershipRole, UnitKind, UnitRoleKind
from .loading import upsert
from .models import Body, Membership, Organisation, OrgUnit, UnitRole, User

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "tillit-demo"
CHANGE_REASON = "Demodata"
EMAIL_DOMAIN = "grastorp.example"


class Persona(NamedTuple):
    username: str
    description: str


# The people tests and demonstrations act as, in the order they are presented.
PERSONAS: dict[str, Persona] = {
    "fortroendevald": Persona(
        "fortroendevald",
        "Förtroendevald (C) i KF, ordförande i välfärdsutskottet: läser allt, planerar "
        "utskottets dialoger och godkänner dialogprotokollen; ändrar inget i planen.",
    ),
    "strateg": Persona(
        "strateg",
        "Strateg på kommunledningskontoret, planadministratör: registrerar beslut och "
        "ändrar den politiska planen.",
    ),
    "ekonom": Persona(
        "ekonom",
        "Ekonom på ekonomienheten: registrerar budgetbeslut, läser in utfall, följer upp "
        "ekonomin och håller finansiella mål, balanskrav och finanspolicy.",
    ),
    "verksamhetschef": Persona(
        "verksamhetschef",
        "Verksamhetschef för Utbildning: områden, aktiviteter och analyser i hela Utbildning.",
    ),
    "enhetschef": Persona(
        "enhetschef",
        "Rektor för Tengbergsskolan F–6: skolans områden, aktiviteter och analyser.",
    ),
    "medledare": Persona(
        "medledare",
        "Lärare och medledare på Tengbergsskolan F–6: planerar och följer upp skolans aktiviteter.",
    ),
    "outsider": Persona(
        "outsider",
        "Enhetschef för Hemtjänsten: sin egen enhet, men inte skolans.",
    ),
    "admin": Persona(
        "admin",
        "Systemförvaltare (superanvändare): allt, även /admin/.",
    ),
}

ADMINISTRATION = "Grästorps kommuns förvaltning"

# verksamhet → its enheter → (per enhet) its arbetslag
OPERATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "Kommunledningskontoret": {
        "Ekonomienheten": (),
        "HR-enheten": (),
        "Kansliet": (),
        "Kommunikation och digitalisering": (),
    },
    "Utbildning": {
        "Grästorps förskolor": (),
        "Tengbergsskolan F–6": ("Arbetslag F–3", "Arbetslag 4–6"),
        "Tengbergsskolan 7–9": (),
        "Elevhälsan": (),
    },
    "Vård och omsorg": {
        "Hemtjänsten": (),
        "Särskilt boende": (),
        "Stöd och service": (),
    },
    "Samhällsbyggnad": {
        "Plan och bygg": (),
        "Gata och park": (),
        "Kultur och fritid": (),
    },
}

# abbreviation → (name, remit)
COMMITTEES: dict[str, tuple[str, str]] = {
    "SU": (
        "Utskottet för samhällsutveckling",
        "Bereder ärenden och för dialog om målen i perspektivet samhällsutveckling.",
    ),
    "VU": (
        "Utskottet för välfärdsutveckling",
        "Bereder ärenden och för dialog om målen i perspektivet välfärdsutveckling.",
    ),
    "PU": (
        "Personalutskottet",
        "Bereder ärenden och för dialog om målen i perspektivet attraktiv arbetsplats.",
    ),
}
UTBILDNING_GROUP = ("LG-UTB", "Ledningsgruppen för Utbildning")

# username → first name, last name, job title, flags, unit roles, memberships.
# Unit roles: (unit name, role); memberships: (body abbreviation, role, party).
PEOPLE: dict[str, dict[str, Any]] = {
    "fortroendevald": {
        "name": ("Ingrid", "Bergström"),
        "job_title": "Ordförande i utskottet för välfärdsutveckling",
        "memberships": [("KF", MembershipRole.MEMBER, "C"), ("VU", MembershipRole.CHAIR, "C")],
    },
    "strateg": {
        "name": ("Sara", "Lindqvist"),
        "job_title": "Utvecklingsstrateg",
        "is_plan_administrator": True,
        "roles": [("Kommunledningskontoret", UnitRoleKind.CO_LEADER)],
        "memberships": [("KLG", MembershipRole.MEMBER, "")],
    },
    "ekonom": {
        "name": ("Karin", "Lund"),
        "job_title": "Ekonom",
        "is_economist": True,
        "roles": [("Ekonomienheten", UnitRoleKind.CO_LEADER)],
    },
    "verksamhetschef": {
        "name": ("Johan", "Ekström"),
        "job_title": "Verksamhetschef utbildning",
        "roles": [("Utbildning", UnitRoleKind.MANAGER)],
        "memberships": [
            ("KLG", MembershipRole.MEMBER, ""),
            ("LG-UTB", MembershipRole.CHAIR, ""),
        ],
    },
    "enhetschef": {
        "name": ("Maria", "Holm"),
        "job_title": "Rektor, Tengbergsskolan F–6",
        "roles": [("Tengbergsskolan F–6", UnitRoleKind.MANAGER)],
    },
    "medledare": {
        "name": ("Ali", "Hassan"),
        "job_title": "Lärare i årskurs 4–6",
        "roles": [("Tengbergsskolan F–6", UnitRoleKind.CO_LEADER)],
    },
    "outsider": {
        "name": ("Eva", "Nyberg"),
        "job_title": "Enhetschef hemtjänsten",
        "roles": [("Hemtjänsten", UnitRoleKind.MANAGER)],
    },
    "admin": {
        "name": ("Tove", "Admin"),
        "job_title": "Systemförvaltare",
        "is_staff": True,
        "is_superuser": True,
    },
    # Further people, so that bodies and units have more than one face.
    "anders.wik": {
        "name": ("Anders", "Wik"),
        "job_title": "Kommundirektör",
        "roles": [(ADMINISTRATION, UnitRoleKind.MANAGER)],
        "memberships": [("KLG", MembershipRole.CHAIR, "")],
    },
    "lena.sjoberg": {
        "name": ("Lena", "Sjöberg"),
        "job_title": "Verksamhetschef vård och omsorg",
        "roles": [("Vård och omsorg", UnitRoleKind.MANAGER)],
        "memberships": [("KLG", MembershipRole.MEMBER, "")],
    },
    "mikael.strand": {
        "name": ("Mikael", "Strand"),
        "job_title": "Verksamhetschef samhällsbyggnad",
        "roles": [("Samhällsbyggnad", UnitRoleKind.MANAGER)],
        "memberships": [("KLG", MembershipRole.MEMBER, "")],
    },
    "helena.mansson": {
        "name": ("Helena", "Månsson"),
        "job_title": "Rektor, Grästorps förskolor",
        "roles": [("Grästorps förskolor", UnitRoleKind.MANAGER)],
        "memberships": [("LG-UTB", MembershipRole.MEMBER, "")],
    },
    "bengt.olsson": {
        "name": ("Bengt", "Olsson"),
        "job_title": "Kommunstyrelsens ordförande",
        "memberships": [
            ("KF", MembershipRole.MEMBER, "M"),
            ("KS", MembershipRole.CHAIR, "M"),
            ("SU", MembershipRole.CHAIR, "M"),
        ],
    },
    "fatima.rahman": {
        "name": ("Fatima", "Rahman"),
        "job_title": "Kommunstyrelsens vice ordförande",
        "memberships": [
            ("KF", MembershipRole.MEMBER, "S"),
            ("KS", MembershipRole.VICE_CHAIR, "S"),
            ("VU", MembershipRole.VICE_CHAIR, "S"),
        ],
    },
    "gunnar.persson": {
        "name": ("Gunnar", "Persson"),
        "job_title": "Ledamot i kommunstyrelsen",
        "memberships": [
            ("KF", MembershipRole.MEMBER, "KD"),
            ("KS", MembershipRole.MEMBER, "KD"),
            ("PU", MembershipRole.CHAIR, "KD"),
        ],
    },
    "linnea.bjork": {
        "name": ("Linnéa", "Björk"),
        "job_title": "Kommunsekreterare",
        "roles": [("Kansliet", UnitRoleKind.CO_LEADER)],
        "memberships": [
            ("KF", MembershipRole.SECRETARY, ""),
            ("KS", MembershipRole.SECRETARY, ""),
        ],
    },
}

# Areas (områden) for the yearly plan: (goal title starts with, year, title, unit, description)
AREAS: tuple[tuple[str, int, str, str, str], ...] = (
    (
        "Vi utbildar barn och elever till världsmedborgare",
        2025,
        "Läsfrämjande i F–6",
        "Tengbergsskolan F–6",
        "Fler elever läser varje dag, i skolan och hemma, med stöd av skolbiblioteket.",
    ),
    (
        "Vi utbildar barn och elever till världsmedborgare",
        2025,
        "Språkutvecklande förskola",
        "Grästorps förskolor",
        "Alla barn möter ett rikt språk i leken, på svenska och på sitt modersmål.",
    ),
    (
        "Vi utbildar barn och elever till världsmedborgare",
        2026,
        "Digitalt lärande i hela skolan",
        "Utbildning",
        "Digitala verktyg används med omdöme för att eleverna ska lära sig mer.",
    ),
    (
        "Vi skapar förutsättningar för social hållbarhet",
        2026,
        "Rörelse varje skoldag",
        "Tengbergsskolan F–6",
        "Varje elev rör sig minst trettio minuter varje skoldag.",
    ),
    (
        "Vi ger förutsättningar för ett gott och meningsfullt liv",
        2025,
        "Trygg hemtjänst med välfärdsteknik",
        "Hemtjänsten",
        "Digital tillsyn och planering ger mer tid för mötet med den enskilde.",
    ),
)


class DemoError(Exception):
    """The demo cannot be loaded (e.g. the preset is missing)."""


@transaction.atomic
def load_demo(
    *,
    organisation_slug: str = "grastorp",
    warn: Callable[[str], None] | None = None,
    follow_up: bool = True,
) -> dict[str, User]:
    """Load the demo organisation; return persona key → User (admin included).

    ``follow_up=False`` leaves out the demo follow-up periods (tests make their own).

    A persona whose username is taken by an account that is not the demo's is
    skipped: ``warn`` (by default the log) gets a Swedish line about it, and the
    persona is missing from the result.
    """
    organisation = Organisation.objects.filter(slug=organisation_slug).first()
    if organisation is None:
        raise DemoError(
            f"Organisationen ”{organisation_slug}” finns inte. Läs in förinställningen först: "
            f"manage.py load_preset {organisation_slug}"
        )
    # The demo areas are examples to edit: seed them once, so a later run (every
    # `make run`) neither undoes nor duplicates what someone did to them.
    first_time = not User.objects.filter(
        organisation=organisation, username=PERSONAS["enhetschef"].username
    ).exists()
    units = _load_units(organisation)
    bodies = _load_bodies(organisation, units)
    people = _load_people(organisation, units, bodies, warn or logger.warning)
    if first_time:
        _load_areas(organisation, units)
        from tillit.measures.demo import load_measure_demo

        load_measure_demo(organisation)
        from tillit.activities.demo import load_activity_demo

        load_activity_demo(organisation)
        if follow_up:
            from tillit.followup.demo import load_followup_demo

            load_followup_demo(organisation)
        from tillit.dialogues.demo import load_dialogue_demo

        load_dialogue_demo(organisation, follow_up=follow_up)
        from tillit.calendars.demo import load_calendar_demo

        load_calendar_demo(organisation, by=people.get(PERSONAS["strateg"].username))
        from tillit.economy.demo import load_economy_demo

        load_economy_demo(organisation, by=people.get(PERSONAS["ekonom"].username))
        if follow_up:
            from tillit.reports.demo import load_report_demo

            load_report_demo(
                organisation,
                {key: people[p.username] for key, p in PERSONAS.items() if p.username in people},
            )
    return {
        key: people[persona.username]
        for key, persona in PERSONAS.items()
        if persona.username in people
    }


def _load_units(organisation: Organisation) -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    root = _ensure(
        OrgUnit,
        lookup={"organisation": organisation, "parent": None, "name": ADMINISTRATION},
        values={"kind": UnitKind.ADMINISTRATION},
    )
    units[ADMINISTRATION] = root
    for i, (operation_name, enheter) in enumerate(OPERATIONS.items()):
        operation = _ensure(
            OrgUnit,
            lookup={"organisation": organisation, "parent": root, "name": operation_name},
            values={"kind": UnitKind.OPERATION, "order": i},
        )
        units[operation_name] = operation
        for j, (unit_name, teams) in enumerate(enheter.items()):
            unit = _ensure(
                OrgUnit,
                lookup={"organisation": organisation, "parent": operation, "name": unit_name},
                values={"kind": UnitKind.UNIT, "order": j},
            )
            units[unit_name] = unit
            for k, team_name in enumerate(teams):
                units[team_name] = _ensure(
                    OrgUnit,
                    lookup={"organisation": organisation, "parent": unit, "name": team_name},
                    values={"kind": UnitKind.TEAM, "order": k},
                )
    return units


def _load_bodies(organisation: Organisation, units: dict[str, OrgUnit]) -> dict[str, Body]:
    bodies = {b.abbreviation: b for b in Body.objects.filter(organisation=organisation)}
    missing = [a for a in ("KF", "KS", "KLG") if a not in bodies]
    if missing:
        raise DemoError(
            f"Organisationen saknar {', '.join(missing)}. Läs in förinställningen först: "
            f"manage.py load_preset {organisation.slug}"
        )
    board = bodies["KS"]
    for i, (abbreviation, (name, remit)) in enumerate(COMMITTEES.items()):
        bodies[abbreviation] = _ensure(
            Body,
            lookup={"organisation": organisation, "abbreviation": abbreviation},
            values={
                "kind": BodyKind.COMMITTEE,
                "name": name,
                "parent": board,
                "description": remit,
                "order": board.order + 1 + i,
            },
        )
    abbreviation, name = UTBILDNING_GROUP
    bodies[abbreviation] = _ensure(
        Body,
        lookup={"organisation": organisation, "abbreviation": abbreviation},
        values={
            "kind": BodyKind.MANAGEMENT_GROUP,
            "name": name,
            "unit": units["Utbildning"],
            "description": "Leder utbildningens utvecklingsarbete tillsammans med medledarna.",
            "order": bodies["KLG"].order + 1,
        },
    )
    return bodies


def _load_people(
    organisation: Organisation,
    units: dict[str, OrgUnit],
    bodies: dict[str, Body],
    warn: Callable[[str], None],
) -> dict[str, User]:
    password: str | None = None  # hashing is slow by design: once for everyone
    people: dict[str, User] = {}
    for username, spec in PEOPLE.items():
        person = User.objects.filter(username=username).first()
        if person is None:
            if password is None:
                password = make_password(DEMO_PASSWORD)
            person = _create_person(organisation, username, spec, password)
            _give_roles(person, spec, units, bodies)
        elif not is_demo_account(person, organisation):
            warn(
                f"Hoppar över ”{username}”: kontot finns redan och är inget demokonto i "
                f"{organisation.name}. Det lämnas orört."
            )
            continue
        people[username] = person
    return people


def _create_person(
    organisation: Organisation, username: str, spec: dict[str, Any], password: str
) -> User:
    first_name, last_name = spec["name"]
    person = User(
        username=username,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@{EMAIL_DOMAIN}",
        job_title=spec["job_title"],
        is_active=True,
        is_plan_administrator=spec.get("is_plan_administrator", False),
        is_economist=spec.get("is_economist", False),
        is_staff=spec.get("is_staff", False),
        is_superuser=spec.get("is_superuser", False),
        password=password,
    )
    person._change_reason = CHANGE_REASON
    person.full_clean()
    person.save()
    return person


def _give_roles(
    person: User, spec: dict[str, Any], units: dict[str, OrgUnit], bodies: dict[str, Body]
) -> None:
    """The demo's unit roles and memberships of a person whose account was just created."""
    for unit_name, role in spec.get("roles", ()):
        _ensure(
            UnitRole, lookup={"person": person, "unit": units[unit_name]}, values={"role": role}
        )
    for abbreviation, role, party in spec.get("memberships", ()):
        _ensure(
            Membership,
            lookup={"person": person, "body": bodies[abbreviation]},
            values={"role": role, "party": party},
        )


def is_demo_account(person: User, organisation: Organisation) -> bool:
    """Whether ``load_demo`` created this account, for this organisation."""
    if person.organisation_id != organisation.pk:
        return False
    created = person.history.filter(history_type="+").order_by("history_date").first()
    return created is not None and created.history_change_reason == CHANGE_REASON


def _load_areas(organisation: Organisation, units: dict[str, OrgUnit]) -> None:
    from tillit.planning.models import Level, PlanNode

    area_level = Level.objects.filter(organisation=organisation, key="area").first()
    if area_level is None:
        raise DemoError(
            "Organisationen saknar nivån ”område”. Läs in förinställningen först: "
            f"manage.py load_preset {organisation.slug}"
        )
    goals = list(
        PlanNode.objects.filter(organisation=organisation, level__key="goal")
        .select_related("document")
        .order_by("-document__start_year", "pk")
    )
    numbers: dict[int, int] = {}
    for goal_start, year, title, unit_name, description in AREAS:
        goal = next(
            (g for g in goals if g.title.startswith(goal_start) and _covers(g.document, year)),
            None,
        )
        if goal is None:
            raise DemoError(
                f"Hittar inget mål som börjar med ”{goal_start}” för {year}. "
                f"Läs in förinställningen först: manage.py load_preset {organisation.slug}"
            )
        values: dict[str, Any] = {
            "document": goal.document,
            "owner_unit": units[unit_name],
            "description": description,
        }
        if area_level.numbered:
            numbers[goal.pk] = numbers.get(goal.pk, 0) + 1
            values["number"] = numbers[goal.pk]
        _ensure(
            PlanNode,
            lookup={
                "organisation": organisation,
                "level": area_level,
                "parent": goal,
                "title": title,
                "year": year,
            },
            values=values,
        )


def _covers(document, year: int) -> bool:
    return document.start_year <= year <= document.end_year


def _ensure(
    model: type[models.Model], *, lookup: dict[str, Any], values: dict[str, Any]
) -> models.Model:
    """Get the row matching `lookup` and make it carry `values`; save only if needed."""
    return upsert(model, lookup, values, reason=CHANGE_REASON)[0]
