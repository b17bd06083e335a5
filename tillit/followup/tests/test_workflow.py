"""Writing, submitting, approving and returning, and no lost update."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from tillit.core.choices import Fulfilment
from tillit.core.concurrency import EditConflict
from tillit.followup import services
from tillit.followup.choices import AssessmentState
from tillit.followup.models import Assessment

pytestmark = pytest.mark.django_db


def _form(version: int, analysis: str, status: str = "partly") -> dict:
    return {"status": status, "analysis": analysis, "next_steps": "", "version": version}


def test_an_assessment_goes_from_draft_through_submitted_to_approved(
    personas, period, goal, school
):
    draft = services.assessment_save(
        assessment=Assessment(period=period, goal=goal, unit=school),
        written_by=personas["medledare"],
        expected_version=0,
        status="partly",
        analysis="Läsgrupperna har kommit igång.",
        next_steps="Fler läsombud.",
    )
    assert (draft.state, draft.written_by, draft.version) == (
        AssessmentState.DRAFT,
        personas["medledare"],
        1,
    )
    submitted = services.assessment_submit(
        assessment=draft, submitted_by=personas["enhetschef"], expected_version=1
    )
    assert submitted.state == AssessmentState.SUBMITTED
    assert submitted.submitted_by == personas["enhetschef"]
    approved = services.assessment_approve(
        assessment=submitted, approved_by=personas["strateg"], expected_version=2
    )
    assert approved.state == AssessmentState.APPROVED
    assert approved.approved_at is not None
    reasons = list(
        approved.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == [None, gettext("Submitted"), gettext("Approved")]


def test_a_returned_assessment_is_changed_and_submitted_again(
    client_as, personas, period, goal, school, make_assessment
):
    assessment = make_assessment(period, goal, school, state=AssessmentState.SUBMITTED)
    client_as("strateg").post(
        reverse("followup:assessment_return", args=[assessment.pk]),
        {"version": assessment.version, "comment": "Analysen saknar elevernas röster."},
    )
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.RETURNED
    form = client_as("enhetschef").get(assessment.get_edit_url())
    assert "Analysen saknar elevernas röster." in form.content.decode()
    saved = client_as("enhetschef").post(
        assessment.get_edit_url(), _form(assessment.version, "Med elevernas röster.")
    )
    assert saved.status_code == 302
    assessment.refresh_from_db()
    resubmitted = services.assessment_submit(
        assessment=assessment,
        submitted_by=personas["enhetschef"],
        expected_version=assessment.version,
    )
    assert resubmitted.state == AssessmentState.SUBMITTED
    assert resubmitted.analysis == "Med elevernas röster."


def test_an_approved_assessment_may_be_returned_while_the_period_is_open(
    personas, period, goal, school, make_assessment
):
    assessment = make_assessment(period, goal, school, state=AssessmentState.APPROVED)
    returned = services.assessment_return(
        assessment=assessment, returned_by=personas["strateg"], expected_version=1
    )
    assert returned.state == AssessmentState.RETURNED
    assert returned.approved_at is None


def test_an_assessment_is_not_submitted_without_its_analysis(
    personas, period, goal, school, make_assessment
):
    assessment = make_assessment(period, goal, school, analysis="   ")
    with pytest.raises(ValidationError):
        services.assessment_submit(
            assessment=assessment, submitted_by=personas["enhetschef"], expected_version=1
        )
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.DRAFT


def test_the_service_refuses_to_change_an_approved_assessment_whoever_asks(
    personas, period, goal, school, make_assessment
):
    assessment = make_assessment(period, goal, school, state=AssessmentState.APPROVED)
    for person in ("enhetschef", "strateg"):
        with pytest.raises((ValidationError, PermissionDenied)):
            services.assessment_save(
                assessment=assessment,
                written_by=personas[person],
                expected_version=assessment.version,
                status="met",
                analysis="Ändrad i efterhand.",
                next_steps="",
            )
    assessment.refresh_from_db()
    assert assessment.analysis != "Ändrad i efterhand."


def test_an_approval_of_something_changed_meanwhile_is_refused(
    client_as, personas, period, goal, school, make_assessment
):
    """The plan administrator approves what they saw: a stale version is not approved."""
    assessment = make_assessment(period, goal, school, state=AssessmentState.SUBMITTED)
    seen = assessment.version
    services.assessment_return(
        assessment=assessment, returned_by=personas["strateg"], expected_version=seen
    )
    with pytest.raises(EditConflict):
        services.assessment_approve(
            assessment=assessment, approved_by=personas["strateg"], expected_version=seen
        )
    response = client_as("strateg").post(
        reverse("followup:assessment_approve", args=[assessment.pk]), {"version": seen}
    )
    assert response.status_code == 403  # it is no longer submitted
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.RETURNED


# --- no lost update ---------------------------------------------------------------------------


def test_two_people_saving_the_same_assessment_the_second_sees_both_versions(
    client_as, period, goal, school, make_assessment
):
    assessment = make_assessment(period, goal, school, analysis="Första utkastet.")
    url = assessment.get_edit_url()
    rector, teacher = client_as("enhetschef"), client_as("medledare")
    # Both open the form on the same version.
    version = rector.get(url).context["form"].initial["version"]
    assert teacher.get(url).context["form"].initial["version"] == version

    first = rector.post(url, _form(version, "Rektorns analys.", status="met"))
    assert first.status_code == 302
    second = teacher.post(url, _form(version, "Lärarens analys.", status="not_met"))

    assert second.status_code == 200
    conflict = {str(row["label"]): row for row in second.context["conflict"]}
    with translation.override("sv"):
        analysis, status = str(gettext_lazy("Analysis")), str(gettext_lazy("Assessment"))
        assert conflict[analysis]["theirs"] == "Rektorns analys."
        assert conflict[analysis]["mine"] == "Lärarens analys."
        assert conflict[status]["theirs"] == Fulfilment.MET.label == "Uppfyllt"
        assert conflict[status]["mine"] == Fulfilment.NOT_MET.label
    text = second.content.decode()
    assert "Rektorns analys." in text and "Lärarens analys." in text
    assessment.refresh_from_db()
    assert assessment.analysis == "Rektorns analys."  # nothing overwritten

    # The form now carries the current version: saving again is a choice, and it works.
    assert second.context["form"].data["version"] == assessment.version
    again = teacher.post(url, _form(assessment.version, "Lärarens analys.", status="not_met"))
    assert again.status_code == 302
    assessment.refresh_from_db()
    assert assessment.analysis == "Lärarens analys."
    assert assessment.history.count() == 3


def test_two_people_writing_a_new_assessment_the_second_sees_the_first(
    client_as, period, goal, school
):
    url = reverse("followup:assessment_unit", args=[period.pk, goal.pk, school.pk])
    rector, teacher = client_as("enhetschef"), client_as("medledare")
    assert rector.get(url).context["form"].initial["version"] == 0
    assert teacher.get(url).context["form"].initial["version"] == 0
    assert rector.post(url, _form(0, "Rektorn först.")).status_code == 302
    second = teacher.post(url, _form(0, "Läraren sedan."))
    assert second.status_code == 200
    assert second.context["conflict"][0]["theirs"] == "Rektorn först."
    assert Assessment.objects.get(period=period, goal=goal, unit=school).analysis == (
        "Rektorn först."
    )


def test_a_draft_submitted_meanwhile_is_not_overwritten(
    client_as, personas, period, goal, school, make_assessment
):
    assessment = make_assessment(period, goal, school, analysis="Inlämnad version.")
    url = assessment.get_edit_url()
    teacher = client_as("medledare")
    version = teacher.get(url).context["form"].initial["version"]
    services.assessment_submit(
        assessment=assessment, submitted_by=personas["enhetschef"], expected_version=version
    )
    response = teacher.post(url, _form(version, "Sen ändring."))
    assert response.status_code == 403  # it is no longer a draft: nobody writes in it
    assessment.refresh_from_db()
    assert assessment.analysis == "Inlämnad version."
