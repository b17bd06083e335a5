"""Writing the annual plans and the records: no lost updates, four eyes, locked once approved."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from tillit.core.choices import MembershipRole
from tillit.core.concurrency import EditConflict
from tillit.core.models import Membership
from tillit.dialogues import services
from tillit.dialogues.choices import RecordState
from tillit.dialogues.models import DialogueRecord, DialogueRemit, Meeting
from tillit.dialogues.selectors import participants_of

from .conftest import YEAR, local

pytestmark = pytest.mark.django_db


# --- meetings -----------------------------------------------------------------------------


def test_the_chair_plans_a_meeting_of_her_committee_with_one_history_entry(
    personas, vu, goal, make_meeting
):
    meeting = make_meeting(created_by=personas["fortroendevald"])
    assert list(meeting.goals.all()) == [goal]
    [created] = meeting.history.all()
    assert created.history_type == "+"
    assert created.history_user == personas["fortroendevald"]
    assert [g.plannode_id for g in created.goals.all()] == [goal.pk]


def test_a_unit_manager_plans_no_committee_meeting(personas, make_meeting):
    with pytest.raises(PermissionDenied):
        make_meeting(created_by=personas["verksamhetschef"])


def test_the_chair_of_another_committee_does_not_plan_this_ones(personas, body, make_meeting):
    su_chair = personas["fortroendevald"]  # chair of VU, not of SU
    with pytest.raises(PermissionDenied):
        make_meeting(body("SU"), created_by=su_chair)


def test_a_committee_secretary_plans_its_meetings(personas, vu, make_meeting):
    Membership.objects.create(person=personas["medledare"], body=vu, role=MembershipRole.SECRETARY)
    assert make_meeting(created_by=personas["medledare"]).body == vu


def test_a_meeting_cannot_end_before_it_starts(make_meeting):
    with pytest.raises(ValidationError):
        make_meeting(starts_at=local(YEAR, 3, 10, 13), ends_at=local(YEAR, 3, 10, 12))


def test_only_goals_of_the_organisation_are_dialogue_goals(goal, make_meeting):
    with pytest.raises(ValidationError):
        make_meeting(goals=[goal.parent])  # a focus area


def test_changing_a_meeting_someone_else_changed_is_a_conflict(personas, make_meeting):
    meeting = make_meeting()
    services.meeting_update(
        meeting=Meeting.objects.get(pk=meeting.pk),
        changed_by=personas["fortroendevald"],
        expected_version=1,
        place="Sessionssalen",
    )
    with pytest.raises(EditConflict) as conflict:
        services.meeting_update(
            meeting=Meeting.objects.get(pk=meeting.pk),
            changed_by=personas["strateg"],
            expected_version=1,
            place="Biblioteket",
        )
    assert conflict.value.current.place == "Sessionssalen"
    meeting.refresh_from_db()
    assert (meeting.place, meeting.version) == ("Sessionssalen", 2)


def test_changing_the_goals_is_one_history_entry(personas, goal, goal_by_key, make_meeting):
    meeting = make_meeting()
    other = goal_by_key("gott-liv-i-alla-aldrar")
    services.meeting_update(
        meeting=meeting,
        changed_by=personas["strateg"],
        expected_version=meeting.version,
        goals=[goal, other],
        title="Dialog om utbildning och omsorg",
    )
    assert meeting.history.count() == 2
    latest = meeting.history.first()
    assert {g.plannode_id for g in latest.goals.all()} == {goal.pk, other.pk}


def test_removing_a_meeting_removes_its_draft_record(personas, make_meeting, make_record):
    meeting = make_meeting()
    make_record(meeting)
    services.meeting_delete(meeting=meeting, deleted_by=personas["strateg"], expected_version=1)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not DialogueRecord.objects.filter(meeting_id=meeting.pk).exists()


def test_a_meeting_with_an_approved_record_is_locked(personas, make_meeting, make_record, at):
    meeting = make_meeting()
    record = make_record(meeting)
    at(local(YEAR, 3, 11, 12))
    services.record_approve(
        record=record, approved_by=personas["fortroendevald"], expected_version=record.version
    )
    meeting = Meeting.objects.get(pk=meeting.pk)
    with pytest.raises(PermissionDenied):
        services.meeting_update(
            meeting=meeting,
            changed_by=personas["strateg"],
            expected_version=meeting.version,
            title="Något annat",
        )
    with pytest.raises(PermissionDenied):
        services.meeting_delete(
            meeting=meeting, deleted_by=personas["strateg"], expected_version=meeting.version
        )


# --- remits --------------------------------------------------------------------------------


def test_setting_a_remit_adds_and_removes_with_history(personas, vu, goal, goal_by_key):
    perspective = goal_by_key("valfardsutveckling")
    services.remits_set(
        body=vu, document=goal.document, nodes=[goal], changed_by=personas["strateg"]
    )
    assert [r.node for r in DialogueRemit.objects.filter(body=vu)] == [goal]
    assert DialogueRemit.history.filter(node_id=perspective.pk, history_type="-").exists()


def test_a_remit_names_a_goal_or_something_above_goals(personas, vu, area, goal):
    with pytest.raises(ValidationError):
        services.remits_set(
            body=vu, document=goal.document, nodes=[area], changed_by=personas["strateg"]
        )


def test_a_unit_manager_sets_no_remit(personas, vu, goal):
    with pytest.raises(PermissionDenied):
        services.remits_set(
            body=vu, document=goal.document, nodes=[goal], changed_by=personas["enhetschef"]
        )


def test_one_remit_per_committee_and_element(vu, goal):
    DialogueRemit.objects.create(body=vu, node=goal)
    with pytest.raises(IntegrityError), transaction.atomic():
        DialogueRemit.objects.create(body=vu, node=goal)


# --- records -------------------------------------------------------------------------------


def test_a_record_is_started_once(personas, make_meeting):
    meeting = make_meeting()
    services.record_start(meeting=meeting, started_by=personas["strateg"])
    with pytest.raises(EditConflict):
        services.record_start(meeting=meeting, started_by=personas["fortroendevald"])


def test_a_meeting_without_goals_gets_no_record(personas, make_meeting):
    meeting = make_meeting(goals=[])
    with pytest.raises(PermissionDenied):
        services.record_start(meeting=meeting, started_by=personas["strateg"])


def test_a_participant_from_the_operations_writes_the_draft(personas, make_meeting, make_record):
    record = make_record(make_meeting(), participants=[personas["verksamhetschef"]])
    saved = services.record_save(
        record=record,
        written_by=personas["verksamhetschef"],
        expected_version=record.version,
        participants=[personas["verksamhetschef"]],
        discussion="Utbildning redovisade läsningen.",
    )
    assert saved.written_by == personas["verksamhetschef"]
    with pytest.raises(PermissionDenied):  # not a participant
        services.record_save(
            record=saved,
            written_by=personas["enhetschef"],
            expected_version=saved.version,
            participants=[],
        )


def test_saving_a_record_someone_else_saved_is_a_conflict(personas, make_meeting, make_record):
    record = make_record(make_meeting())
    services.record_save(
        record=record,
        written_by=personas["fortroendevald"],
        expected_version=record.version,
        participants=[],
        discussion="Ordförandens version.",
    )
    with pytest.raises(EditConflict) as conflict:
        services.record_save(
            record=record,
            written_by=personas["strateg"],
            expected_version=record.version,
            participants=[],
            discussion="Strategens version.",
        )
    assert conflict.value.current.discussion == "Ordförandens version."


def test_the_chair_approves_what_someone_else_wrote(personas, make_meeting, make_record, at):
    record = make_record(make_meeting(), participants=[personas["fortroendevald"]])
    at(local(YEAR, 3, 11, 12))
    approved = services.record_approve(
        record=record, approved_by=personas["fortroendevald"], expected_version=record.version
    )
    assert approved.state == RecordState.APPROVED
    assert approved.approved_at == local(YEAR, 3, 11, 12)
    assert approved.history.first().history_change_reason == "Protokollet godkänt"
    assert approved.participants_at_approval == [
        p.as_data() for p in participants_of([personas["fortroendevald"]], body=record.meeting.body)
    ]
    # Her role in the meeting's committee comes first.
    assert approved.participants_at_approval[0]["role"].startswith("Ordförande, VU")


def test_the_chair_does_not_approve_a_record_she_alone_wrote(personas, make_meeting, at):
    record = services.record_start(meeting=make_meeting(), started_by=personas["fortroendevald"])
    at(local(YEAR, 3, 11, 12))
    with pytest.raises(PermissionDenied):
        services.record_approve(
            record=record, approved_by=personas["fortroendevald"], expected_version=record.version
        )


def test_the_vice_chair_approves_too_but_not_the_plan_administrator(
    personas, make_meeting, make_record, at
):
    from tillit.core.models import User

    record = make_record(make_meeting())
    at(local(YEAR, 3, 11, 12))
    with pytest.raises(PermissionDenied):
        services.record_approve(
            record=record, approved_by=personas["strateg"], expected_version=record.version
        )
    vice = User.objects.get(username="fatima.rahman")
    assert services.record_approve(
        record=record, approved_by=vice, expected_version=record.version
    ).is_approved


def test_a_record_is_not_approved_before_the_meeting(personas, make_meeting, make_record, at):
    record = make_record(make_meeting(starts_at=local(YEAR, 3, 10, 9)))
    at(local(YEAR, 3, 10, 8))
    with pytest.raises(PermissionDenied):
        services.record_approve(
            record=record, approved_by=personas["fortroendevald"], expected_version=record.version
        )


def test_a_record_whose_meeting_changed_its_goals_needs_its_material_refreshed(
    personas, goal, goal_by_key, make_meeting, make_record, at
):
    meeting = make_meeting()
    record = make_record(meeting)
    services.meeting_update(
        meeting=meeting,
        changed_by=personas["strateg"],
        expected_version=meeting.version,
        goals=[goal, goal_by_key("gott-liv-i-alla-aldrar")],
    )
    at(local(YEAR, 3, 11, 12))
    with pytest.raises(ValidationError):
        services.record_approve(
            record=record, approved_by=personas["fortroendevald"], expected_version=record.version
        )
    refreshed = services.record_refresh_material(
        record=record, refreshed_by=personas["strateg"], expected_version=record.version
    )
    assert len(refreshed.material["goals"]) == 2
    assert services.record_approve(
        record=refreshed,
        approved_by=personas["fortroendevald"],
        expected_version=refreshed.version,
    ).is_approved


def test_an_approved_record_is_never_changed(personas, make_meeting, make_record, at):
    record = make_record(make_meeting())
    at(local(YEAR, 3, 11, 12))
    record = services.record_approve(
        record=record, approved_by=personas["fortroendevald"], expected_version=record.version
    )
    with pytest.raises(ValidationError):
        services.record_save(
            record=record,
            written_by=personas["strateg"],
            expected_version=record.version,
            participants=[],
            discussion="Efteråt.",
        )
    with pytest.raises(ValidationError):
        services.record_refresh_material(
            record=record, refreshed_by=personas["strateg"], expected_version=record.version
        )
    record = DialogueRecord.objects.get(pk=record.pk)
    record.discussion = "Ändrad i skalet."
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()
    assert DialogueRecord.objects.get(pk=record.pk).discussion == "Vi talade om läsningen."


def test_the_checksum_shows_a_change_made_directly_in_the_database(
    personas, make_meeting, make_record
):
    record = make_record(make_meeting())
    assert record.is_intact
    DialogueRecord.objects.filter(pk=record.pk).update(material={"goals": []})
    assert not DialogueRecord.objects.get(pk=record.pk).is_intact
