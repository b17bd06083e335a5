from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityStatus(models.TextChoices):
    """Where an activity stands. Always shown in words; the badge only repeats it."""

    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Done")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Cancelled")

    @property
    def badge(self) -> str:
        """The modifier of the `badge` CSS class that shows it (`badge--activity-…`)."""
        return f"activity-{self.value}"
