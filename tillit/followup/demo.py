"""Demo follow-up for Grästorp: three periods of 2025, one of them closed.

Demo data only, written through the services as the demo personas would, so the
history says who did what. Loaded once: when the organisation has no follow-up
period yet (call it after the people and the measures demo exist).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from tillit.core.choices import Fulfilment
from tillit.core.models import Organisation, OrgUnit, User
from tillit.planning.models import PlanNode

from . import services
from .choices import FollowUpKind
from .models import Assessment, FollowUpPeriod

GOAL_KEY = "varldsmedborgare"
SCHOOL = "Tengbergsskolan F–6"
PERIODS = (
    (
        "Tertial 1 2025",
        FollowUpKind.TERTIAL,
        date(2025, 1, 1),
        date(2025, 4, 30),
        date(2025, 5, 20),
    ),
    (
        "Delår jan–aug 2025",
        FollowUpKind.INTERIM,
        date(2025, 1, 1),
        date(2025, 8, 31),
        date(2025, 9, 20),
    ),
    ("Helår 2025", FollowUpKind.ANNUAL, date(2025, 1, 1), date(2025, 12, 31), date(2026, 2, 15)),
)


@transaction.atomic
def load_followup_demo(organisation: Organisation) -> list[FollowUpPeriod]:
    """Create the demo periods and assessments unless the organisation has periods already;
    return the organisation's periods in date order either way."""
    existing = list(
        FollowUpPeriod.objects.filter(organisation=organisation).order_by("start", "pk")
    )
    if existing:
        return existing
    people = {
        u.username: u
        for u in User.objects.filter(
            organisation=organisation, username__in=["strateg", "enhetschef", "medledare"]
        )
    }
    goal = (
        PlanNode.objects.filter(organisation=organisation, level__key="goal", key=GOAL_KEY)
        .order_by("-document__start_year")
        .first()
    )
    school = OrgUnit.objects.filter(organisation=organisation, name=SCHOOL).first()
    if len(people) < 3 or goal is None or school is None:
        return []  # not the Grästorp demo: nothing to show the follow-up with
    strateg = people["strateg"]
    periods = [
        services.period_create(
            organisation=organisation,
            created_by=strateg,
            name=name,
            year=2025,
            kind=kind,
            start=start,
            end=end,
            deadline=deadline,
        )
        for name, kind, start, end, deadline in PERIODS
    ]
    tertial, interim, _annual = periods

    # Tertial 1: written, submitted, approved and closed.
    unit_level = _write(
        tertial,
        goal,
        school,
        people["enhetschef"],
        Fulfilment.PARTLY,
        "Läsgrupperna i åk 4–6 har kommit igång och skolbiblioteket har fler utlån än i fjol. "
        "Det är för tidigt att se effekten på resultaten.",
        "Läsombud i varje klass under hösten.",
    )
    _submit_and_approve(unit_level, people["enhetschef"], strateg)
    goal_level = _write(
        tertial,
        goal,
        None,
        strateg,
        Fulfilment.PARTLY,
        "Läsningen ökar i de yngre åldrarna; behörigheten till gymnasiet ligger under målvärdet.",
        "Dialog i välfärdsutskottet om studiehandledning i åk 7–9.",
    )
    _submit_and_approve(goal_level, strateg, strateg)
    services.period_close(period=tertial, closed_by=strateg)

    # Delår: a draft of the school's, to be continued.
    _write(
        interim,
        goal,
        school,
        people["medledare"],
        Fulfilment.PARTLY,
        "Läsgrupperna fortsätter; vi samlar elevernas egna omdömen före sommaren.",
        "",
    )
    for period in periods:
        period.refresh_from_db()
    return periods


def _write(period, goal, unit, person, status, analysis, next_steps) -> Assessment:
    return services.assessment_save(
        assessment=Assessment(period=period, goal=goal, unit=unit),
        written_by=person,
        expected_version=0,
        status=status,
        analysis=analysis,
        next_steps=next_steps,
    )


def _submit_and_approve(assessment: Assessment, writer: User, approver: User) -> Assessment:
    submitted = services.assessment_submit(
        assessment=assessment, submitted_by=writer, expected_version=assessment.version
    )
    return services.assessment_approve(
        assessment=submitted, approved_by=approver, expected_version=submitted.version
    )
