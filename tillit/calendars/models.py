"""The yearly calendar's own dates, private calendar feeds and reminder settings.

Most dates of the årshjul live elsewhere (follow-up deadlines, committee meetings, the
adoption of the plan) and are gathered by `selectors`; `CalendarEvent` holds the rest:
budget and plan adoption in November, the dates the reports go to KS and KF.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.core.models import Body, Organisation, User

from .choices import EventKind


class CalendarEvent(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="calendar_events",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    start_time = models.TimeField(
        _("time"), null=True, blank=True, help_text=_("Empty: the whole day.")
    )
    end_date = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("For something that lasts several days.")
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calendar_events",
        help_text=_("The body whose meeting or decision it is, if any."),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown to visitors and in public calendar feeds.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("date in the yearly calendar")
        verbose_name_plural = _("dates in the yearly calendar")
        ordering = ["date", "start_time", "title"]
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    def clean(self) -> None:
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError({"end_date": _("The last day cannot come before the first.")})
        if (
            self.body_id
            and self.organisation_id
            and self.body.organisation_id != self.organisation_id
        ):
            raise ValidationError({"body": _("The body belongs to another organisation.")})

    def get_absolute_url(self) -> str:
        return reverse("calendars:year", args=[self.date.year]) + f"#handelse-{self.pk}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class FeedToken(models.Model):
    """The secret part of a person's private calendar feed address.

    Whoever has the address reads the feed (Outlook cannot log in), so it can be
    revoked: the person replaces it, and the old address answers 404 from then on."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="feed_tokens"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_feed_token_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class ReminderSettings(models.Model):
    """Whether a person gets reminders by e-mail. Everyone does until they say no."""

    user = models.OneToOneField(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="reminder_settings"
    )
    by_email = models.BooleanField(_("reminders by e-mail"), default=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder setting")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(self.user)


class SentReminder(models.Model):
    """A reminder that went out, so that the daily run never sends it twice."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("reminder"), max_length=200)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="each_reminder_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.key}"
