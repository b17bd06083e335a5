"""The reports' workflow as services.py keeps it: draft → review → approved by KS (frozen)
→ presented to KF, refusals of the wrong state, body, organisation or person, and texts
that are never lost to a second writer.

The reports here are of years and kinds the demo leaves alone (annual 2026, interim 2025);
`make_report` removes one of the same kind and year first, should it be there."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tillit.core.concurrency import EditConflict
from tillit.core.models import Body, Decision, Organisation
from tillit.followup.models import FollowUpPeriod, checksum_of
from tillit.reports import services
from tillit.reports.choices import ReportKind, ReportState
from tillit.reports.models import Report, ReportSection, ReportSnapshot
from tillit.reports.sections import sections_for

pytestmark = pytest.mark.django_db

YEAR = 2026


def in_review(report, keeper):
    return services.report_submit(report=report, user=keeper)


def approved(report, keeper, decision):
    in_review(report, keeper)
    return services.report_approve(report=report, decision=decision, user=keeper)


def section(report, key: str) -> ReportSection:
    return ReportSection.objects.get(report=report, key=key)


# --- creating -------------------------------------------------------------------------------


def test_a_report_is_created_as_a_draft_with_the_sections_of_its_kind(annual, report_keeper):
    assert annual.state == ReportState.DRAFT
    assert annual.through_month == 12
    assert annual.created_by == report_keeper
    keys = set(annual.sections.values_list("key", flat=True))
    assert keys == {spec.key for spec in sections_for(ReportKind.ANNUAL)}
    assert "staff" in keys  # an annual report's section only


def test_an_interim_report_covers_january_to_august_by_default(make_report):
    report = make_report(ReportKind.INTERIM, 2025)
    assert report.through_month == 8
    keys = set(report.sections.values_list("key", flat=True))
    assert keys == {spec.key for spec in sections_for(ReportKind.INTERIM)}
    assert "staff" not in keys


def test_a_second_report_of_the_same_kind_and_year_is_refused(annual, grastorp, report_keeper):
    with pytest.raises(ValidationError):
        services.report_create(
            organisation=grastorp, kind=ReportKind.ANNUAL, year=YEAR, created_by=report_keeper
        )
    assert Report.objects.filter(organisation=grastorp, kind="annual", year=YEAR).count() == 1


def test_an_interim_report_cannot_end_in_december(grastorp, report_keeper):
    with pytest.raises(ValidationError) as refused:
        services.report_create(
            organisation=grastorp,
            kind=ReportKind.INTERIM,
            year=2031,
            through_month=12,
            created_by=report_keeper,
        )
    assert "through_month" in refused.value.message_dict


def test_a_follow_up_period_of_another_year_is_refused(grastorp, report_keeper):
    period = FollowUpPeriod.objects.create(
        organisation=grastorp,
        name="Delår jan–aug 2030",
        year=2030,
        kind="interim",
        start=date(2030, 1, 1),
        end=date(2030, 8, 31),
        deadline=date(2030, 9, 15),
    )
    with pytest.raises(ValidationError) as refused:
        services.report_create(
            organisation=grastorp,
            kind=ReportKind.INTERIM,
            year=2031,
            followup_period=period,
            created_by=report_keeper,
        )
    assert "followup_period" in refused.value.message_dict


def test_the_period_of_the_same_kind_and_year_is_chosen_by_itself(grastorp, report_keeper):
    period = FollowUpPeriod.objects.create(
        organisation=grastorp,
        name="Delår jan–aug 2031",
        year=2031,
        kind="interim",
        start=date(2031, 1, 1),
        end=date(2031, 8, 31),
        deadline=date(2031, 9, 15),
    )
    report = services.report_create(
        organisation=grastorp, kind=ReportKind.INTERIM, year=2031, created_by=report_keeper
    )
    assert report.followup_period == period


@pytest.mark.parametrize("persona", ["fortroendevald", "verksamhetschef", "enhetschef"])
def test_only_the_keepers_create_reports(grastorp, personas, persona):
    with pytest.raises(PermissionDenied):
        services.report_create(
            organisation=grastorp, kind=ReportKind.ANNUAL, year=2031, created_by=personas[persona]
        )
    assert not Report.objects.filter(organisation=grastorp, year=2031).exists()


def test_the_economist_keeps_reports_too(grastorp, personas):
    report = services.report_create(
        organisation=grastorp, kind=ReportKind.ANNUAL, year=2031, created_by=personas["ekonom"]
    )
    assert report.state == ReportState.DRAFT


# --- the workflow ---------------------------------------------------------------------------


def test_a_draft_goes_to_review_and_back(annual, report_keeper):
    services.report_submit(report=annual, user=report_keeper)
    assert Report.objects.get(pk=annual.pk).state == ReportState.REVIEW
    services.report_return(report=annual, user=report_keeper)
    assert Report.objects.get(pk=annual.pk).state == ReportState.DRAFT


def test_a_report_in_review_is_not_submitted_again(annual, report_keeper):
    in_review(annual, report_keeper)
    with pytest.raises(ValidationError):
        services.report_submit(report=annual, user=report_keeper)


def test_a_draft_is_not_returned(annual, report_keeper):
    with pytest.raises(ValidationError):
        services.report_return(report=annual, user=report_keeper)
    assert Report.objects.get(pk=annual.pk).state == ReportState.DRAFT


def test_a_draft_is_not_approved(annual, report_keeper, ks):
    with pytest.raises(ValidationError):
        services.report_approve(report=annual, decision=ks, user=report_keeper)
    annual.refresh_from_db()
    assert annual.state == ReportState.DRAFT and annual.approval is None
    assert not ReportSnapshot.objects.filter(report=annual).exists()


def test_a_stale_submit_is_refused_with_the_state_it_has_now(annual, report_keeper, personas):
    stale = Report.objects.get(pk=annual.pk)
    services.report_submit(report=annual, user=personas["ekonom"])
    with pytest.raises(ValidationError) as refused:
        services.report_submit(report=stale, user=report_keeper)
    assert str(ReportState.REVIEW.label) in " ".join(refused.value.messages)
    assert stale.state == ReportState.REVIEW  # the object is brought up to date


@pytest.mark.parametrize("persona", ["fortroendevald", "verksamhetschef", "medledare"])
def test_only_the_keepers_move_a_report(annual, personas, persona):
    with pytest.raises(PermissionDenied):
        services.report_submit(report=annual, user=personas[persona])
    assert Report.objects.get(pk=annual.pk).state == ReportState.DRAFT


def test_approval_freezes_the_report_with_its_checksum(annual, report_keeper, ks):
    report = approved(annual, report_keeper, ks)
    assert report.state == ReportState.APPROVED and report.approval == ks
    snapshot = ReportSnapshot.objects.get(report=report)
    assert snapshot.checksum == checksum_of(snapshot.data)
    assert len(snapshot.checksum) == 64 and snapshot.is_intact
    assert snapshot.data["state"] == ReportState.APPROVED
    assert snapshot.data["kind"] == "annual" and snapshot.data["year"] == YEAR
    assert snapshot.data["approval"] == ks.reference


def test_an_approved_report_does_not_change_when_the_data_does(annual, report_keeper, ks):
    from tillit.reports.compose import compose

    ReportSection.objects.filter(report=annual, key="events").update(text="Skolan byggdes om.")
    report = approved(annual, report_keeper, ks)
    frozen = services.content_of(report)
    # Afterwards the text is changed behind the workflow's back: the frozen report is not.
    ReportSection.objects.filter(report=annual, key="events").update(text="Något helt annat.")
    assert services.content_of(report) == frozen
    texts = {s["key"]: s["text"] for s in services.content_of(report)["sections"]}
    assert texts["events"] == "Skolan byggdes om."
    composed_now = {s["key"]: s["text"] for s in compose(report)["sections"]}
    assert composed_now["events"] == "Något helt annat."
    assert ReportSnapshot.objects.get(report=report).is_intact


def test_two_approvals_at_once_freeze_the_report_once(annual, report_keeper, personas, ks):
    in_review(annual, report_keeper)
    first, second = Report.objects.get(pk=annual.pk), Report.objects.get(pk=annual.pk)
    services.report_approve(report=first, decision=ks, user=report_keeper)
    with pytest.raises(ValidationError):
        services.report_approve(report=second, decision=ks, user=personas["ekonom"])
    assert ReportSnapshot.objects.filter(report=annual).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="several requests at once need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_two_approvals_in_parallel_freeze_the_report_once(annual, report_keeper, personas, ks):
    in_review(annual, report_keeper)
    start = threading.Barrier(2)
    approved_by: list[str] = []
    refused: list[BaseException] = []

    def approve(user) -> None:
        try:
            report = Report.objects.get(pk=annual.pk)
            start.wait(timeout=10)
            services.report_approve(report=report, decision=ks, user=user)
            approved_by.append(user.username)
        except BaseException as error:  # reported below, in the test's thread
            refused.append(error)
        finally:
            connection.close()

    people = [
        threading.Thread(target=approve, args=(user,))
        for user in (report_keeper, personas["ekonom"])
    ]
    for thread in people:
        thread.start()
    for thread in people:
        thread.join(timeout=60)

    assert len(approved_by) == 1
    assert len(refused) == 1 and isinstance(refused[0], ValidationError)
    assert ReportSnapshot.objects.filter(report=annual).count() == 1
    assert Report.objects.get(pk=annual.pk).state == ReportState.APPROVED


def test_approval_needs_the_boards_decision(annual, report_keeper, kf):
    in_review(annual, report_keeper)
    with pytest.raises(ValidationError) as refused:
        services.report_approve(report=annual, decision=kf, user=report_keeper)
    assert "approval" in refused.value.message_dict
    assert Report.objects.get(pk=annual.pk).state == ReportState.REVIEW


def test_a_decision_of_another_municipality_is_refused(annual, report_keeper):
    other = Organisation.objects.create(slug="annan-kommun", name="Annan kommun")
    board = Body.objects.create(organisation=other, kind="board", name="KS", abbreviation="KS")
    theirs = Decision.objects.create(
        organisation=other, body=board, date=date(YEAR + 1, 3, 1), paragraph="1", title="Ärende"
    )
    in_review(annual, report_keeper)
    with pytest.raises(ValidationError) as refused:
        services.report_approve(report=annual, decision=theirs, user=report_keeper)
    assert "approval" in refused.value.message_dict
    assert not ReportSnapshot.objects.filter(report=annual).exists()


def test_a_decision_before_the_reports_year_is_refused(annual, report_keeper, report_decision):
    old = report_decision("KS", date(YEAR - 1, 12, 1), "99")
    in_review(annual, report_keeper)
    with pytest.raises(ValidationError):
        services.report_approve(report=annual, decision=old, user=report_keeper)


def test_an_approved_report_is_presented_to_the_council(annual, report_keeper, ks, kf):
    approved(annual, report_keeper, ks)
    report = services.report_present(report=annual, decision=kf, user=report_keeper)
    assert report.state == ReportState.PRESENTED and report.presentation == kf
    snapshot = ReportSnapshot.objects.get(report=report)
    assert snapshot.is_intact  # presenting changes nothing in the report
    assert services.content_of(report) == {**snapshot.data, "checksum": snapshot.checksum}


def test_the_presentation_needs_the_councils_decision(annual, report_keeper, ks):
    approved(annual, report_keeper, ks)
    with pytest.raises(ValidationError) as refused:
        services.report_present(report=annual, decision=ks, user=report_keeper)
    assert "presentation" in refused.value.message_dict
    assert Report.objects.get(pk=annual.pk).state == ReportState.APPROVED


def test_a_report_in_review_is_not_presented(annual, report_keeper, kf):
    in_review(annual, report_keeper)
    with pytest.raises(ValidationError):
        services.report_present(report=annual, decision=kf, user=report_keeper)
    assert Report.objects.get(pk=annual.pk).presentation is None


# --- the sections ---------------------------------------------------------------------------


def test_the_owner_writes_her_section(annual, report_keeper, personas):
    events = section(annual, "events")
    services.section_assign(
        section=events, owner=personas["verksamhetschef"], user=report_keeper, expected_version=1
    )
    written = services.section_write(
        section=section(annual, "events"),
        text="  Nya Tengbergsskolan invigdes.  ",
        user=personas["verksamhetschef"],
        expected_version=2,
    )
    saved = section(annual, "events")
    assert saved.text == "Nya Tengbergsskolan invigdes." == written.text
    assert saved.updated_by == personas["verksamhetschef"] and saved.version == 3


def test_someone_else_does_not_write_the_section(annual, personas):
    with pytest.raises(PermissionDenied):
        services.section_write(
            section=section(annual, "events"),
            text="Inte min text.",
            user=personas["enhetschef"],
            expected_version=1,
        )
    assert section(annual, "events").text == ""


def test_a_text_saved_on_an_old_version_is_a_conflict(annual, report_keeper, personas):
    services.section_write(
        section=section(annual, "events"),
        text="Den första texten.",
        user=personas["ekonom"],
        expected_version=1,
    )
    with pytest.raises(EditConflict) as conflict:
        services.section_write(
            section=section(annual, "events"),
            text="Den andra texten.",
            user=report_keeper,
            expected_version=1,
        )
    assert conflict.value.current.text == "Den första texten."
    assert section(annual, "events").text == "Den första texten."


def test_sections_are_not_written_in_review(annual, report_keeper):
    in_review(annual, report_keeper)
    with pytest.raises(PermissionDenied):
        services.section_write(
            section=section(annual, "events"),
            text="För sent.",
            user=report_keeper,
            expected_version=1,
        )


def test_a_frozen_report_keeps_its_sections_and_owners(annual, report_keeper, personas, ks):
    approved(annual, report_keeper, ks)
    events = section(annual, "events")
    with pytest.raises(PermissionDenied):
        services.section_write(
            section=events, text="Efteråt.", user=report_keeper, expected_version=events.version
        )
    with pytest.raises(ValidationError):
        services.section_assign(
            section=events,
            owner=personas["enhetschef"],
            user=report_keeper,
            expected_version=events.version,
        )
    assert section(annual, "events").owner is None


def test_an_owner_from_another_municipality_is_refused(annual, report_keeper):
    from tillit.testing.matrix import person_of_another_municipality

    with pytest.raises(ValidationError):
        services.section_assign(
            section=section(annual, "events"),
            owner=person_of_another_municipality(),
            user=report_keeper,
            expected_version=1,
        )
