"""The follow-up's permission matrix: every persona against every page and action.

✓ = allowed (200 on a page, a redirect after a successful POST); ✗ = refused (403 for
a logged-in person, the login page for an anonymous visitor, 404 for a page the person
may not even read) and, for a refused POST, nothing in the database changed.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tillit.core.models import OrgUnit
from tillit.followup.choices import AssessmentState, PeriodStatus
from tillit.followup.models import Assessment, FollowUpPeriod
from tillit.followup.services import period_close

from .helpers import ALL, EVERYONE, UNIT_WRITERS, refused

pytestmark = pytest.mark.django_db


# --- reading ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_staff_read_an_open_period_and_the_public_does_not(
    client_as, period, goal, school, make_assessment, persona
):
    make_assessment(period, goal, school, analysis="Ett utkast som bara personalen ser.")
    allowed = persona != "anonymous"
    client = client_as(persona)
    listing = client.get(reverse("followup:periods"))
    assert listing.status_code == 200
    assert (period.name in listing.content.decode()) is allowed
    for url in (period.get_absolute_url(), reverse("followup:goal", args=[period.pk, goal.pk])):
        response = client.get(url)
        assert response.status_code == (200 if allowed else 404)
    goal_page = client.get(reverse("followup:goal", args=[period.pk, goal.pk]))
    assert ("Ett utkast som bara personalen ser." in goal_page.content.decode()) is allowed


@pytest.mark.parametrize("persona", EVERYONE)
def test_everyone_reads_a_closed_period_but_only_what_was_approved(
    client_as, personas, period, goal, school, make_assessment, persona
):
    make_assessment(period, goal, None, state=AssessmentState.APPROVED, analysis="Godkänd analys.")
    make_assessment(period, goal, school, state=AssessmentState.SUBMITTED, analysis="Inlämnad.")
    period_close(period=period, closed_by=personas["strateg"])
    client = client_as(persona)
    assert period.name in client.get(reverse("followup:periods")).content.decode()
    assert client.get(period.get_absolute_url()).status_code == 200
    page = client.get(reverse("followup:goal", args=[period.pk, goal.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Godkänd analys." in text
    assert "Inlämnad." not in text  # only approved assessments were frozen


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_attention_list_is_for_logged_in_people(client_as, period, persona):
    response = client_as(persona).get(reverse("followup:attention"))
    if persona == "anonymous":
        assert refused(response, persona)
    else:
        assert response.status_code == 200


def test_anonymous_reads_approved_assessments_of_closed_periods_only(
    period, goal, school, make_assessment, personas
):
    from django.contrib.auth.models import AnonymousUser
    from rules import has_perm

    anonymous = AnonymousUser()
    approved = make_assessment(period, goal, None, state=AssessmentState.APPROVED)
    draft = make_assessment(period, goal, school)
    assert not has_perm("followup.read_assessment", anonymous, approved)
    period_close(period=period, closed_by=personas["strateg"])
    approved.refresh_from_db()
    draft.refresh_from_db()
    assert has_perm("followup.read_assessment", anonymous, approved)
    assert not has_perm("followup.read_assessment", anonymous, draft)


# --- writing a unit's assessment -----------------------------------------------------------


def _post(version: int, analysis: str) -> dict:
    return {"status": "partly", "analysis": analysis, "next_steps": "", "version": version}


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_units_own_people_write_its_assessment(client_as, period, goal, school, persona):
    allowed = persona in UNIT_WRITERS
    client = client_as(persona)
    url = reverse("followup:assessment_unit", args=[period.pk, goal.pk, school.pk])
    form = client.get(url)
    assert form.status_code == 200 if allowed else refused(form, persona)
    response = client.post(url, _post(0, f"Analys av {persona}."))
    created = Assessment.objects.filter(period=period, goal=goal, unit=school).first()
    if allowed:
        assert response.status_code == 302
        assert created.analysis == f"Analys av {persona}."
        assert created.state == AssessmentState.DRAFT
    else:
        assert refused(response, persona)
        assert created is None


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_units_own_people_change_its_draft(
    client_as, period, goal, school, make_assessment, persona
):
    assessment = make_assessment(period, goal, school)
    allowed = persona in UNIT_WRITERS
    response = client_as(persona).post(
        reverse("followup:assessment_unit", args=[period.pk, goal.pk, school.pk]),
        _post(assessment.version, "Ändrad analys."),
    )
    assessment.refresh_from_db()
    assert (assessment.analysis == "Ändrad analys.") is allowed
    assert response.status_code == 302 if allowed else refused(response, persona)


def test_a_unit_not_responsible_for_the_goal_does_not_assess_it(client_as, period, goal):
    """Hemtjänsten has no area or measure under the school goal: its chef cannot write."""
    home_care = OrgUnit.objects.get(name="Hemtjänsten")
    response = client_as("outsider").get(
        reverse("followup:assessment_unit", args=[period.pk, goal.pk, home_care.pk])
    )
    assert response.status_code == 403


def test_a_work_team_does_not_assess_its_enhet_does(client_as, period, goal):
    team = OrgUnit.objects.get(name="Arbetslag F–3")
    response = client_as("enhetschef").get(
        reverse("followup:assessment_unit", args=[period.pk, goal.pk, team.pk])
    )
    assert response.status_code == 404


def test_the_operation_writes_its_overall_assessment(client_as, period, goal):
    education = OrgUnit.objects.get(name="Utbildning")
    url = reverse("followup:assessment_unit", args=[period.pk, goal.pk, education.pk])
    assert client_as("verksamhetschef").get(url).status_code == 200
    assert client_as("enhetschef").get(url).status_code == 403


# --- writing the goal-level assessment --------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_goal_level_is_written_by_plan_administrators_and_assessed_operations_managers(
    client_as, period, goal, school, make_assessment, persona
):
    url = reverse("followup:assessment_goal", args=[period.pk, goal.pk])
    client = client_as(persona)
    # Before any unit of Utbildning has assessed the goal: the plan administrator only.
    before = client.get(url)
    assert before.status_code == 200 if persona == "strateg" else refused(before, persona)
    make_assessment(period, goal, school)
    allowed = persona in ("strateg", "verksamhetschef")
    after = client.get(url)
    assert after.status_code == 200 if allowed else refused(after, persona)
    response = client.post(url, _post(0, f"Målets analys av {persona}."))
    created = Assessment.objects.filter(period=period, goal=goal, unit=None).first()
    if allowed:
        assert response.status_code == 302
        assert created.analysis == f"Målets analys av {persona}."
    else:
        assert refused(response, persona)
        assert created is None


# --- the workflow ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_the_writers_submit(client_as, period, goal, school, make_assessment, persona):
    assessment = make_assessment(period, goal, school)
    allowed = persona in UNIT_WRITERS
    response = client_as(persona).post(
        reverse("followup:assessment_submit", args=[assessment.pk]),
        {"version": assessment.version},
    )
    assessment.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert assessment.state == AssessmentState.SUBMITTED
        assert assessment.submitted_by.username == persona
    else:
        assert refused(response, persona)
        assert assessment.state == AssessmentState.DRAFT


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_plan_administrator_approves(
    client_as, period, goal, school, make_assessment, persona
):
    assessment = make_assessment(period, goal, school, state=AssessmentState.SUBMITTED)
    allowed = persona == "strateg"
    response = client_as(persona).post(
        reverse("followup:assessment_approve", args=[assessment.pk]),
        {"version": assessment.version},
    )
    assessment.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert assessment.state == AssessmentState.APPROVED
        assert assessment.approved_by.username == "strateg"
    else:
        assert refused(response, persona)
        assert assessment.state == AssessmentState.SUBMITTED


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_plan_administrator_returns(
    client_as, period, goal, school, make_assessment, persona
):
    assessment = make_assessment(period, goal, school, state=AssessmentState.SUBMITTED)
    allowed = persona == "strateg"
    client = client_as(persona)
    url = reverse("followup:assessment_return", args=[assessment.pk])
    form = client.get(url)
    assert form.status_code == 200 if allowed else refused(form, persona)
    response = client.post(url, {"version": assessment.version, "comment": "Saknar analys."})
    assessment.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert assessment.state == AssessmentState.RETURNED
    else:
        assert refused(response, persona)
        assert assessment.state == AssessmentState.SUBMITTED


@pytest.mark.parametrize("persona", EVERYONE)
def test_nobody_edits_an_approved_assessment(
    client_as, period, goal, school, make_assessment, persona
):
    assessment = make_assessment(period, goal, school, state=AssessmentState.APPROVED)
    client = client_as(persona)
    url = reverse("followup:assessment_unit", args=[period.pk, goal.pk, school.pk])
    assert refused(client.get(url), persona)
    response = client.post(url, _post(assessment.version, "Efter godkännandet."))
    assert refused(response, persona)
    submit = client.post(
        reverse("followup:assessment_submit", args=[assessment.pk]),
        {"version": assessment.version},
    )
    assert refused(submit, persona)
    assessment.refresh_from_db()
    assert assessment.analysis != "Efter godkännandet."
    assert assessment.state == AssessmentState.APPROVED


@pytest.mark.parametrize("persona", EVERYONE)
def test_nothing_is_written_in_a_closed_period(
    client_as, personas, period, goal, school, make_assessment, persona
):
    draft = make_assessment(period, goal, school)
    submitted = make_assessment(period, goal, None, state=AssessmentState.SUBMITTED)
    period_close(period=period, closed_by=personas["strateg"])
    client = client_as(persona)
    for url in (
        reverse("followup:assessment_unit", args=[period.pk, goal.pk, school.pk]),
        reverse("followup:assessment_goal", args=[period.pk, goal.pk]),
    ):
        assert refused(client.get(url), persona)
        assert refused(client.post(url, _post(1, "Efter stängningen.")), persona)
    for name, assessment in (
        ("followup:assessment_submit", draft),
        ("followup:assessment_approve", submitted),
        ("followup:assessment_return", submitted),
    ):
        response = client.post(reverse(name, args=[assessment.pk]), {"version": 1})
        # Anonymous visitors do not even see unapproved assessments of a closed period.
        assert refused(response, persona) or response.status_code == 404
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert draft.analysis != "Efter stängningen."
    assert submitted.state == AssessmentState.SUBMITTED


# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_plan_administrator_opens_a_period(client_as, grastorp, persona):
    allowed = persona == "strateg"
    client = client_as(persona)
    url = reverse("followup:period_add")
    form = client.get(url)
    assert form.status_code == 200 if allowed else refused(form, persona)
    response = client.post(
        url,
        {
            "name": "Tertial 1 2026",
            "year": 2026,
            "kind": "tertial",
            "start": "2026-01-01",
            "end": "2026-04-30",
            "deadline": "2026-05-15",
        },
    )
    created = FollowUpPeriod.objects.filter(name="Tertial 1 2026").exists()
    assert created is allowed
    if not allowed:
        assert refused(response, persona)


@pytest.mark.parametrize("persona", EVERYONE)
def test_only_the_plan_administrator_closes_a_period(client_as, period, persona):
    allowed = persona == "strateg"
    client = client_as(persona)
    url = reverse("followup:period_close", args=[period.pk])
    confirmation = client.get(url)
    assert confirmation.status_code == 200 if allowed else refused(confirmation, persona)
    response = client.post(url)
    period.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert period.status == PeriodStatus.CLOSED
    else:
        assert refused(response, persona)
        assert period.status == PeriodStatus.OPEN


def test_a_superuser_gets_no_follow_up_writes_the_rules_do_not_give(client, period, goal, school):
    from tillit.core.models import User

    client.force_login(User.objects.get(username="admin"))
    url = reverse("followup:assessment_unit", args=[period.pk, goal.pk, school.pk])
    assert client.get(url).status_code == 403
    assert client.post(reverse("followup:period_close", args=[period.pk])).status_code == 403


@pytest.mark.parametrize("persona", ALL)
def test_what_the_goal_page_offers_follows_the_permissions(
    client_as, period, goal, school, make_assessment, persona
):
    submitted = make_assessment(period, goal, school, state=AssessmentState.SUBMITTED)
    page = client_as(persona).get(reverse("followup:goal", args=[period.pk, goal.pk]))
    text = page.content.decode()
    approve = reverse("followup:assessment_approve", args=[submitted.pk])
    assert (approve in text) is (persona == "strateg")
    write_own = reverse(
        "followup:assessment_unit",
        args=[period.pk, goal.pk, OrgUnit.objects.get(name="Tengbergsskolan 7–9").pk],
    )
    assert (write_own in text) is (persona == "verksamhetschef")
