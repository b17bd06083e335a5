"""What the portal does not show: drafts, internal structure, reports not yet approved,
assessments not approved in a closed period, and another municipality's plan are not
found (404) or left out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

SECRET = "HEMLIGT-UTKAST"


@pytest.fixture
def draft_goal(grastorp):
    """A goal of a steering document still in draft (the next mandate period)."""
    from tillit.planning.models import Level, PlanNode, SteeringDocument

    document = SteeringDocument.objects.create(
        organisation=grastorp,
        title=f"Inriktningsdokument 2028–2031 {SECRET}",
        start_year=2028,
        end_year=2031,
    )
    levels = {lvl.key: lvl for lvl in Level.objects.filter(organisation=grastorp)}
    perspective = PlanNode.objects.create(
        organisation=grastorp,
        document=document,
        level=levels["perspective"],
        number=1,
        title=f"Perspektiv {SECRET}",
    )
    focus = PlanNode.objects.create(
        organisation=grastorp,
        document=document,
        level=levels["focus_area"],
        parent=perspective,
        number=1,
        title=f"Fokus {SECRET}",
    )
    return PlanNode.objects.create(
        organisation=grastorp,
        document=document,
        level=levels["goal"],
        parent=focus,
        number=1,
        title=f"Mål {SECRET}",
    )


def test_a_draft_documents_goal_is_not_found(client, draft_goal):
    assert client.get(reverse("portal:goal", args=[draft_goal.pk])).status_code == 404
    assert SECRET not in client.get(reverse("portal:home")).content.decode()


def test_an_operational_area_or_a_perspective_is_not_a_goal_page(client, area, goal):
    assert client.get(reverse("portal:goal", args=[area.pk])).status_code == 404
    assert client.get(reverse("portal:goal", args=[goal.parent.pk])).status_code == 404
    assert client.get(reverse("portal:goal", args=[999_999])).status_code == 404


def test_a_measure_of_a_draft_plan_or_of_an_area_is_not_found(client, grastorp, draft_goal, area):
    from tillit.measures.models import Measure

    drafted = Measure.objects.create(organisation=grastorp, node=draft_goal, title=SECRET)
    internal = Measure.objects.create(organisation=grastorp, node=area, title=SECRET)
    for measure in (drafted, internal):
        assert client.get(reverse("portal:measure", args=[measure.pk])).status_code == 404


def test_an_area_measure_is_not_on_the_goal_page(client, grastorp, goal, area):
    from tillit.measures.models import Measure

    Measure.objects.create(organisation=grastorp, node=area, title=f"Områdesmått {SECRET}")
    assert SECRET not in client.get(reverse("portal:goal", args=[goal.pk])).content.decode()


def test_a_draft_operational_plans_target_is_not_shown(client, grastorp, goal):
    from tillit.measures.models import MeasureTarget
    from tillit.planning.models import OperationalPlan
    from tillit.portal import public

    measure = public.public_measures(grastorp).filter(node=goal).first()
    plan = OperationalPlan.objects.create(
        organisation=grastorp, document=goal.document, year=2027, title="Verksamhetsplan 2027"
    )
    MeasureTarget.objects.create(measure=measure, plan=plan, target=4242)
    response = client.get(reverse("portal:measure", args=[measure.pk]))
    assert 2027 not in [t.plan.year for t in response.context["row"].targets]
    assert "4\u00a0242" not in response.content.decode()


def test_activities_not_linked_to_anything_public_are_not_found(client, grastorp, draft_goal, area):
    from tillit.activities.models import Activity
    from tillit.core.models import OrgUnit

    unit = OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6")
    drafted = Activity.objects.create(
        organisation=grastorp, title=SECRET, owner_unit=unit, start=dt.date(2028, 1, 1)
    )
    drafted.nodes.add(draft_goal)
    loose = Activity.objects.create(
        organisation=grastorp, title=SECRET, owner_unit=unit, start=dt.date(2025, 1, 1)
    )
    for activity in (drafted, loose):
        assert client.get(reverse("portal:activity", args=[activity.pk])).status_code == 404
    # One linked to an area beneath a public goal is public.
    linked = Activity.objects.create(
        organisation=grastorp, title="Läsfest", owner_unit=unit, start=dt.date(2025, 1, 1)
    )
    linked.nodes.add(area)
    assert client.get(reverse("portal:activity", args=[linked.pk])).status_code == 200


def test_only_approved_goal_assessments_of_closed_periods_are_shown(
    client, grastorp, goal, make_period, strateg, personas
):
    from tillit.core.models import OrgUnit
    from tillit.followup import services
    from tillit.followup.choices import AssessmentState, FollowUpKind
    from tillit.followup.models import Assessment

    from .factories import approve_goal_assessment

    school = OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6")

    now = timezone.now()
    # Approved, but its period is still open.
    open_period = make_period(
        "Delår jan–aug 2025",
        2025,
        FollowUpKind.INTERIM,
        dt.date(2025, 1, 1),
        dt.date(2025, 8, 31),
    )
    approve_goal_assessment(open_period, goal, strateg, analysis=f"Öppen period {SECRET}")
    # A closed period: the goal's own assessment only submitted, a unit's approved.
    closed = make_period(
        "Tertial 2 2025", 2025, FollowUpKind.TERTIAL, dt.date(2025, 5, 1), dt.date(2025, 8, 31)
    )
    Assessment.objects.create(
        period=closed,
        goal=goal,
        status="met",
        analysis=f"Inskickad {SECRET}",
        state=AssessmentState.SUBMITTED,
        submitted_at=now,
    )
    Assessment.objects.create(
        period=closed,
        goal=goal,
        unit=school,
        status="met",
        analysis=f"Enhetens {SECRET}",
        state=AssessmentState.APPROVED,
        submitted_at=now,
        approved_at=now,
        approved_by=personas["enhetschef"],
    )
    services.period_close(period=closed, closed_by=strateg)
    for url in (reverse("portal:home"), reverse("portal:goal", args=[goal.pk])):
        response = client.get(url)
        assert SECRET not in response.content.decode(), url
    response = client.get(reverse("portal:goal", args=[goal.pk]))
    assert response.context["latest"] is None and not response.context["earlier"]


def test_a_report_not_yet_approved_is_not_found(client, draft_report, review_report):
    for report in (draft_report, review_report):
        assert client.get(reverse("portal:report", args=[report.pk])).status_code == 404
        for fmt in ("pdf", "docx", "xlsx", "html"):
            url = reverse("portal:report_file", args=[report.pk, fmt])
            assert client.get(url).status_code == 404, url
    from tillit.reports.models import RenderJob

    assert not RenderJob.objects.filter(report__in=[draft_report, review_report]).exists()


def test_an_unknown_file_format_is_not_found(client, approved_report):
    assert client.get(f"/insyn/rapporter/{approved_report.pk}/fil.exe").status_code == 404
    assert client.get(f"/insyn/rapporter/{approved_report.pk}/fil.PDF").status_code == 404


def test_another_municipalitys_plan_is_not_found(client):
    from tillit.core.models import Organisation
    from tillit.planning.choices import DocumentStatus, Owner
    from tillit.planning.models import Level, PlanNode, SteeringDocument

    other = Organisation.objects.create(slug="annan", name="Annan kommun")
    level = Level.objects.create(
        organisation=other,
        key="goal",
        name="Mål",
        name_plural="Mål",
        owner=Owner.POLITICAL,
        lifetime="mandate",
    )
    from tillit.core.models import Body, Decision

    body = Body.objects.create(
        organisation=other, name="Fullmäktige", abbreviation="KF", kind="council"
    )
    decision = Decision.objects.create(
        organisation=other, body=body, date=dt.date(2023, 11, 1), paragraph="1", title="Mål"
    )
    document = SteeringDocument.objects.create(
        organisation=other,
        title="Annan plan",
        start_year=2024,
        end_year=2027,
        status=DocumentStatus.ADOPTED,
        decision=decision,
    )
    goal = PlanNode.objects.create(
        organisation=other, document=document, level=level, number=1, title=f"Annat {SECRET}"
    )
    assert client.get(reverse("portal:goal", args=[goal.pk])).status_code == 404


def test_the_calendar_leaves_out_what_is_not_public(client, grastorp, draft_goal, goal):
    from tillit.calendars.models import CalendarEvent
    from tillit.core.models import Body
    from tillit.dialogues.models import Meeting

    CalendarEvent.objects.create(
        organisation=grastorp,
        title=f"Intern {SECRET}",
        kind="other",
        date=dt.date(2026, 5, 4),
        is_public=False,
    )
    committee = Body.objects.filter(organisation=grastorp, kind="committee").first()
    start = timezone.make_aware(dt.datetime(2026, 5, 6, 13, 0))
    Meeting.objects.create(
        organisation=grastorp,
        body=committee,
        title=f"Stängt möte {SECRET}",
        starts_at=start,
        is_public=False,
    )
    public = Meeting.objects.create(
        organisation=grastorp,
        body=committee,
        title="Dialog om skolan",
        starts_at=start,
        is_public=True,
        notes=f"Anteckningar {SECRET}",
    )
    public.goals.add(goal, draft_goal)
    response = client.get(reverse("portal:calendar_year", args=[2026]))
    page = response.content.decode()
    assert "Dialog om skolan" in page
    assert SECRET not in page
    may = {row["entry"].uid: row for row in response.context["months"][4]["entries"]}
    assert [g.pk for g in may[f"meeting-{public.pk}"]["goals"]] == [goal.pk]
    assert reverse("portal:goal", args=[goal.pk]) in page
    # No deadlines of the follow-up: they are the staff's.
    assert all(
        not row["entry"].uid.startswith("deadline-")
        for month in response.context["months"]
        for row in month["entries"]
    )
