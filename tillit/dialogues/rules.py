"""Who plans, writes, approves and reads the committees' dialogues.

- **Plan** a committee's meetings (its annual plan) and its remit (which goals it holds
  dialogue on): the plan administrators and the committee's chair, vice chair and
  secretary. A meeting whose record has been approved is locked: nobody changes or removes
  it.
- **Write** a draft record: the same people, and the record's participants from the
  organisation once they are on it (the official who presented, say). Only a meeting with
  goals gets a record.
- **Approve** a record (justera): the committee's chair or vice chair, once the meeting has
  started, and never alone: someone else must have saved the record (started or changed
  it). Approving locks the record for good.
- **Read**: a public meeting (its date, place, goals) and its approved record are public
  documents that feed the reports; everything else (non-public meetings, drafts, history)
  is read by the organisation's staff only, elected representatives included. People of
  another municipality see nothing of it.

The names are not Django's model permissions. The dialogues' views and services ask
`rules.has_perm` directly, so a superuser gets no write here that the rules do not give.
"""

from __future__ import annotations

import rules

from tillit.core.models import Body, Membership
from tillit.core.rules import (
    is_member_of_organisation,
    is_plan_administrator,
    is_system_administrator,
)

from . import clock
from .choices import APPROVING_ROLES, PLANNING_ROLES
from .models import DialogueRecord, Meeting


def committee_roles(user) -> dict[int, set[str]]:
    """Body id → the person's membership roles there: one query, cached on the user."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_dialogue_roles", None)
    if cached is None:
        cached = {}
        for body_id, role in Membership.objects.filter(person=user).values_list("body_id", "role"):
            cached.setdefault(body_id, set()).add(role)
        user._dialogue_roles = cached
    return cached


def _meeting(obj) -> Meeting | None:
    if isinstance(obj, DialogueRecord):
        return obj.meeting
    return obj if isinstance(obj, Meeting) else None


def _body_id(obj) -> int | None:
    if isinstance(obj, Body):
        return obj.pk
    meeting = _meeting(obj)
    return meeting.body_id if meeting is not None else None


def _holder(obj):
    """What carries the organisation: the body or the meeting (a record has none itself)."""
    return obj.meeting if isinstance(obj, DialogueRecord) else obj


def approved_record_of(meeting: Meeting) -> DialogueRecord | None:
    """The meeting's record if it is approved (the reverse one-to-one, cached by Django)."""
    try:
        record = meeting.record
    except DialogueRecord.DoesNotExist:
        return None
    return record if record.is_approved else None


@rules.predicate
def is_staff(user, obj) -> bool:
    """A member of the organisation the body, meeting or record belongs to."""
    return obj is not None and is_member_of_organisation(user, _holder(obj))


@rules.predicate
def is_plan_admin(user, obj) -> bool:
    return obj is not None and is_plan_administrator(user, _holder(obj))


@rules.predicate
def leads_the_committee(user, obj) -> bool:
    """Chair, vice chair or secretary of the committee."""
    roles = committee_roles(user).get(_body_id(obj), set())
    return any(role in roles for role in PLANNING_ROLES)


@rules.predicate
def chairs_the_committee(user, obj) -> bool:
    """Chair or vice chair of the committee."""
    roles = committee_roles(user).get(_body_id(obj), set())
    return any(role in roles for role in APPROVING_ROLES)


@rules.predicate
def meeting_is_public(user, obj) -> bool:
    meeting = _meeting(obj)
    return meeting is not None and meeting.is_public


@rules.predicate
def meeting_is_locked(user, obj) -> bool:
    """A meeting whose record has been approved (asked of a body: never)."""
    meeting = _meeting(obj)
    return (
        meeting is not None and meeting.pk is not None and approved_record_of(meeting) is not None
    )


@rules.predicate
def meeting_has_goals(user, obj) -> bool:
    meeting = _meeting(obj)
    if meeting is None or meeting.pk is None:
        return False
    cached = getattr(meeting, "_dialogue_has_goals", None)
    if cached is None:
        cached = meeting.goals.exists()
        meeting._dialogue_has_goals = cached
    return cached


@rules.predicate
def meeting_has_started(user, obj) -> bool:
    meeting = _meeting(obj)
    return meeting is not None and meeting.starts_at <= clock.now()


@rules.predicate
def record_is_saved(user, obj) -> bool:
    return isinstance(obj, DialogueRecord) and obj.pk is not None


@rules.predicate
def record_is_draft(user, obj) -> bool:
    return isinstance(obj, DialogueRecord) and not obj.is_approved


@rules.predicate
def record_is_approved(user, obj) -> bool:
    return isinstance(obj, DialogueRecord) and obj.is_approved


@rules.predicate
def takes_part(user, obj) -> bool:
    """One of the record's participants (cached on the record object)."""
    if not isinstance(obj, DialogueRecord) or obj.pk is None or not user.is_authenticated:
        return False
    ids = getattr(obj, "_participant_ids", None)
    if ids is None:
        ids = set(obj.participants.values_list("pk", flat=True))
        obj._participant_ids = ids
    return user.pk in ids


@rules.predicate
def someone_else_saved(user, obj) -> bool:
    """Four eyes: a person other than this one has started or changed the record."""
    if not isinstance(obj, DialogueRecord) or obj.pk is None or not user.is_authenticated:
        return False
    return obj.history.filter(history_user__isnull=False).exclude(history_user_id=user.pk).exists()


can_plan = is_staff & (is_plan_admin | leads_the_committee)

rules.add_perm("dialogues.view_meeting", meeting_is_public | is_staff | is_system_administrator)
rules.add_perm("dialogues.plan_meeting", can_plan & ~meeting_is_locked)
rules.add_perm("dialogues.edit_remit", can_plan)
rules.add_perm(
    "dialogues.read_record",
    is_staff | is_system_administrator | (record_is_approved & meeting_is_public),
)
rules.add_perm(
    "dialogues.write_record",
    is_staff & record_is_draft & meeting_has_goals & (can_plan | (record_is_saved & takes_part)),
)
rules.add_perm(
    "dialogues.approve_record",
    is_staff
    & record_is_saved
    & record_is_draft
    & chairs_the_committee
    & meeting_has_started
    & someone_else_saved,
)
rules.add_perm("dialogues.view_history", is_staff | is_system_administrator)
# Asked of the organisation: whether lists include non-public meetings and drafts.
rules.add_perm("dialogues.view_private", is_staff | is_system_administrator)
