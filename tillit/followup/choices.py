from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowUpKind(models.TextChoices):
    """What a follow-up period is: a tertial, the interim report (delår) or the full year."""

    TERTIAL = "tertial", _("Tertial")
    INTERIM = "interim", _("Interim report")
    ANNUAL = "annual", _("Annual report")


class PeriodStatus(models.TextChoices):
    """A period is open for assessments until it is closed; closing cannot be undone."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")

    @property
    def badge(self) -> str:
        """The modifier of the `badge` CSS class that shows it."""
        return {"open": "draft", "closed": "adopted"}[self.value]


class AssessmentState(models.TextChoices):
    """Where an assessment is in its workflow: draft → submitted → approved.

    A plan administrator may return a submitted (or approved, while the period is
    open) assessment to its writers: "returned" is a draft that says so.
    """

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")

    @property
    def badge(self) -> str:
        return {
            "draft": "draft",
            "returned": "draft",
            "submitted": "replaced",
            "approved": "adopted",
        }[self.value]

    @property
    def is_editable(self) -> bool:
        return self in EDITABLE_STATES


EDITABLE_STATES = (AssessmentState.DRAFT, AssessmentState.RETURNED)
