"""Writes to the yearly calendar: its own dates, feed addresses and reminder settings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from tillit.core.concurrency import save_versioned
from tillit.core.models import User

from .models import CalendarEvent, FeedToken, ReminderSettings

EVENT_FIELDS = [
    "title",
    "kind",
    "date",
    "start_time",
    "end_date",
    "body",
    "place",
    "description",
    "is_public",
]


def _require_editor(user: User, organisation) -> None:
    if not user.has_perm("calendars.edit_event", organisation):
        raise PermissionDenied


@transaction.atomic
def event_save(*, event: CalendarEvent, changed_by: User, expected_version: int | None) -> None:
    """Create or change a date; a change only if nobody else changed it first."""
    _require_editor(changed_by, event.organisation)
    event._history_user = changed_by
    event.full_clean()
    if event.pk is None:
        event.save()
    else:
        save_versioned(
            event,
            expected_version=expected_version if expected_version is not None else event.version,
            update_fields=EVENT_FIELDS,
        )


@transaction.atomic
def event_delete(*, event: CalendarEvent, deleted_by: User) -> None:
    _require_editor(deleted_by, event.organisation)
    event._history_user = deleted_by
    event.delete()


@transaction.atomic
def feed_renew(*, user: User) -> FeedToken:
    """A new address for the person's feed; the old one stops working at once."""
    for token in FeedToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True):
        token.revoke()
    return FeedToken.objects.create(user=user)


@transaction.atomic
def feed_revoke(*, user: User) -> int:
    revoked = 0
    for token in FeedToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True):
        token.revoke()
        revoked += 1
    return revoked


def reminders_set(*, user: User, by_email: bool) -> ReminderSettings:
    settings, _created = ReminderSettings.objects.update_or_create(
        user=user, defaults={"by_email": by_email}
    )
    return settings
