from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultKind(models.TextChoices):
    """What a search result is; the values are the `?typ=` of the results page."""

    GOAL = "mal", _("Goals and plan")
    MEASURE = "matt", _("Measures")
    ACTIVITY = "aktivitet", _("Activities")
    REPORT = "rapport", _("Reports")

    @property
    def singular(self) -> str:
        return {
            "mal": _("Plan element"),
            "matt": _("Measure"),
            "aktivitet": _("Activity"),
            "rapport": _("Report"),
        }[self.value]
