"""Writes to the dialogues: meetings of the annual plans, remits, and the records.

Every write checks the rules itself (the views check them too, to answer 403 early),
keeps a readable history (who, and why: "Protokollet godkänt"), and refuses any change to
an approved record or to the meeting it belongs to, whoever asks. Edits carry the version
they were made from, so that nobody overwrites someone else's change unknowingly.
"""

from __future__ import annotations

from datetime import datetime

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tillit.core.concurrency import EditConflict, save_versioned
from tillit.core.models import Body, User
from tillit.followup.models import checksum_of
from tillit.planning.models import PlanNode, SteeringDocument

from . import clock
from .choices import RecordState
from .models import (
    GOAL_LEVEL_KEY,
    MEETING_HISTORY,
    DialogueRecord,
    DialogueRemit,
    Meeting,
    covers_goals,
)
from .selectors import gather_material, material_goal_ids, participants_of

MEETING_FIELDS = ["title", "starts_at", "ends_at", "place", "is_public", "notes"]
RECORD_TEXT_FIELDS = ["external_participants", "discussion", "shared_understanding", "next_steps"]


def _require(user: User, perm: str, obj) -> None:
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


def _check_goals(organisation_id: int, goals: list[PlanNode]) -> None:
    for goal in goals:
        if goal.organisation_id != organisation_id or goal.level.key != GOAL_LEVEL_KEY:
            raise ValidationError({"goals": _("Choose goals of the organisation's plan.")})


def _set_quietly(obj, attribute: str, targets) -> None:
    """Set a many-to-many relation without a history record of its own: the save that
    follows records it together with the fields."""
    obj.skip_history_when_saving = True
    try:
        getattr(obj, attribute).set(targets)
    finally:
        del obj.skip_history_when_saving


# ------------------------------------------------------------------------------ meetings


@transaction.atomic
def meeting_create(
    *,
    body: Body,
    created_by: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None = None,
    place: str = "",
    is_public: bool = True,
    notes: str = "",
    goals: list[PlanNode] = (),
) -> Meeting:
    """A new meeting in the committee's annual plan."""
    _require(created_by, "dialogues.plan_meeting", body)
    goals = list(goals)
    _check_goals(body.organisation_id, goals)
    meeting = Meeting(
        organisation_id=body.organisation_id,
        body=body,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        is_public=is_public,
        notes=notes,
    )
    meeting.full_clean()
    meeting.save_without_historical_record()
    _set_quietly(meeting, "goals", goals)
    meeting._history_user = created_by
    MEETING_HISTORY.create_historical_record(meeting, "+")
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    changed_by: User,
    expected_version: int,
    goals: list[PlanNode] | None = None,
    **values,
) -> Meeting:
    """Change a meeting: no lost update, and never one whose record is approved."""
    current = (
        Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
    )
    if current.version != expected_version:
        raise EditConflict(current)
    _require(changed_by, "dialogues.plan_meeting", current)
    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting._history_user = changed_by
    meeting.full_clean()
    if goals is not None:
        goals = list(goals)
        _check_goals(meeting.organisation_id, goals)
        if {g.pk for g in goals} != set(meeting.goals.values_list("pk", flat=True)):
            _set_quietly(meeting, "goals", goals)
    save_versioned(meeting, expected_version=expected_version, update_fields=list(values))
    return meeting


@transaction.atomic
def meeting_delete(*, meeting: Meeting, deleted_by: User, expected_version: int) -> None:
    """Remove a meeting from the annual plan, with its draft record if it has one. A
    meeting whose record is approved is never removed."""
    current = (
        Meeting.objects.select_for_update(of=("self",)).select_related("body").get(pk=meeting.pk)
    )
    if current.version != expected_version:
        raise EditConflict(current)
    _require(deleted_by, "dialogues.plan_meeting", current)
    record = DialogueRecord.objects.filter(meeting=current).first()
    if record is not None:
        record._history_user = deleted_by
        record.delete()  # refuses an approved one
    current._history_user = deleted_by
    current.delete()


# ------------------------------------------------------------------------------- remits


@transaction.atomic
def remits_set(
    *, body: Body, document: SteeringDocument, nodes: list[PlanNode], changed_by: User
) -> list[DialogueRemit]:
    """The committee holds dialogue on exactly these elements of the steering document:
    missing remits are added, the others of the document removed (each with its history)."""
    _require(changed_by, "dialogues.edit_remit", body)
    wanted = {node.pk: node for node in nodes}
    for node in nodes:
        if node.document_id != document.pk or not covers_goals(node):
            raise ValidationError(_("Choose a goal, or a perspective or focus area above goals."))
    existing = {
        remit.node_id: remit
        for remit in DialogueRemit.objects.filter(body=body, node__document=document)
    }
    for node_id, remit in existing.items():
        if node_id not in wanted:
            remit._history_user = changed_by
            remit.delete()
    for node_id, node in wanted.items():
        if node_id not in existing:
            remit = DialogueRemit(body=body, node=node)
            remit._history_user = changed_by
            remit.full_clean()
            remit.save()
    return list(DialogueRemit.objects.filter(body=body, node__document=document))


# ------------------------------------------------------------------------------ records


def _with_material(record: DialogueRecord) -> None:
    record.material = gather_material(record.meeting, now=clock.now())
    record.material_checksum = checksum_of(record.material)


@transaction.atomic
def record_start(*, meeting: Meeting, started_by: User) -> DialogueRecord:
    """Start the meeting's record as a draft, with the follow-up material of its goals."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("body", "organisation")
        .get(pk=meeting.pk)
    )
    existing = DialogueRecord.objects.filter(meeting=meeting).first()
    if existing is not None:
        raise EditConflict(existing)
    record = DialogueRecord(meeting=meeting)
    _require(started_by, "dialogues.write_record", record)
    _with_material(record)
    record.written_by = started_by
    record.written_at = clock.now()
    record._history_user = started_by
    record._change_reason = _("Record started")
    record.full_clean()
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise EditConflict(DialogueRecord.objects.get(meeting=meeting)) from None
    return record


def _locked_draft(record: DialogueRecord, expected_version: int) -> DialogueRecord:
    """The record as it is now, locked with its meeting until the transaction ends (so that
    the meeting's goals do not change while the record is approved); a conflict if it has
    changed since `expected_version`, refused if it is approved."""
    current = (
        DialogueRecord.objects.select_for_update(of=("self", "meeting"))
        .select_related("meeting__body", "meeting__organisation")
        .get(pk=record.pk)
    )
    if current.version != expected_version:
        raise EditConflict(current)
    if current.is_approved:
        raise ValidationError(_("An approved record is never changed."))
    return current


@transaction.atomic
def record_save(
    *,
    record: DialogueRecord,
    written_by: User,
    expected_version: int,
    participants: list[User],
    external_participants: str = "",
    discussion: str = "",
    shared_understanding: str = "",
    next_steps: str = "",
) -> DialogueRecord:
    """Write the draft: who took part and what the dialogue came to. No lost update."""
    current = _locked_draft(record, expected_version)
    _require(written_by, "dialogues.write_record", current)
    for person in participants:
        if person.organisation_id != current.meeting.organisation_id:
            raise ValidationError(
                {"participants": _("The person belongs to another organisation.")}
            )
    current.external_participants = external_participants
    current.discussion = discussion
    current.shared_understanding = shared_understanding
    current.next_steps = next_steps
    current.written_by = written_by
    current.written_at = clock.now()
    current._history_user = written_by
    current.full_clean()
    if {p.pk for p in participants} != set(current.participants.values_list("pk", flat=True)):
        _set_quietly(current, "participants", participants)
    save_versioned(
        current,
        expected_version=expected_version,
        update_fields=[*RECORD_TEXT_FIELDS, "written_by", "written_at"],
    )
    return current


@transaction.atomic
def record_refresh_material(
    *, record: DialogueRecord, refreshed_by: User, expected_version: int
) -> DialogueRecord:
    """Gather the material again (the meeting's goals may have changed, an assessment been
    approved): only while the record is a draft."""
    current = _locked_draft(record, expected_version)
    _require(refreshed_by, "dialogues.write_record", current)
    _with_material(current)
    current._history_user = refreshed_by
    current._change_reason = _("Material refreshed")
    save_versioned(
        current, expected_version=expected_version, update_fields=["material", "material_checksum"]
    )
    return current


@transaction.atomic
def record_approve(
    *, record: DialogueRecord, approved_by: User, expected_version: int
) -> DialogueRecord:
    """The committee's chair (or vice chair) approves the record: from now on neither the
    record, its material nor its meeting changes. The material must be about the meeting's
    goals as they are, and intact."""
    current = _locked_draft(record, expected_version)
    _require(approved_by, "dialogues.approve_record", current)
    meeting_goals = set(current.meeting.goals.values_list("pk", flat=True))
    if set(material_goal_ids(current.material)) != meeting_goals:
        raise ValidationError(
            _(
                "The material is not about the meeting's goals as they are now: refresh the "
                "material before approving."
            )
        )
    if not current.is_intact:
        raise ValidationError(
            _("The material has been changed outside Tillit: refresh it before approving.")
        )
    current.participants_at_approval = [
        p.as_data() for p in participants_of(current.participants.all(), body=current.meeting.body)
    ]
    current.state = RecordState.APPROVED
    current.approved_by = approved_by
    current.approved_at = clock.now()
    current._history_user = approved_by
    current._change_reason = _("Record approved")
    current.full_clean()
    save_versioned(
        current,
        expected_version=expected_version,
        update_fields=["state", "approved_by", "approved_at", "participants_at_approval"],
    )
    return current
