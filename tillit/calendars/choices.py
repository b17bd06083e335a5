from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """What a date in the yearly calendar (årshjul) is about."""

    PLAN_BUDGET = "plan_budget", _("Plan and budget")
    FOLLOW_UP = "follow_up", _("Follow-up")
    DIALOGUE = "dialogue", _("Dialogue")
    REPORT_KS = "report_ks", _("Report to the executive board")
    REPORT_KF = "report_kf", _("Report to the council")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")
