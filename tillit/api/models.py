"""What the API keeps of its own: the history of each person's API keys.

The keys themselves are DRF's `authtoken.Token` (one per person). A key is shown once,
when it is created; afterwards the page shows only when it was created, and this
history of what happened to the person's keys (created, replaced, revoked) and who did
it. No part of a key is kept here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenEventKind(models.TextChoices):
    CREATED = "created", _("Key created")
    REPLACED = "replaced", _("Key replaced by a new one")
    REVOKED = "revoked", _("Key revoked")


class TokenEvent(models.Model):
    """One thing that happened to a person's API key."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="api_token_events",
    )
    kind = models.CharField(_("event"), max_length=10, choices=TokenEventKind.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API key event")
        verbose_name_plural = _("API key events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}"
