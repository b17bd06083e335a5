from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.core.choices import BodyKind, MembershipRole

# The bodies that hold dialogues on the goals: the committees ("Dialogerna i utskotten").
# A municipality with nämnder instead describes them as committees.
DIALOGUE_BODY_KINDS = (BodyKind.COMMITTEE,)

# Who plans a committee's meetings and writes its records besides the plan administrators.
PLANNING_ROLES = (MembershipRole.CHAIR, MembershipRole.VICE_CHAIR, MembershipRole.SECRETARY)
# Who approves (justerar) a committee's dialogue record.
APPROVING_ROLES = (MembershipRole.CHAIR, MembershipRole.VICE_CHAIR)
# A membership in one of these roles makes a person an elected representative
# (förtroendevald); a secretary of a political body is an official.
ELECTED_ROLES = (
    MembershipRole.CHAIR,
    MembershipRole.VICE_CHAIR,
    MembershipRole.MEMBER,
    MembershipRole.SUBSTITUTE,
)


class RecordState(models.TextChoices):
    """A dialogue record (dialogprotokoll) is written as a draft and then approved for good."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")

    @property
    def badge(self) -> str:
        """The modifier of the `badge` CSS class that shows it."""
        return {"draft": "draft", "approved": "adopted"}[self.value]


class CoverageStatus(models.TextChoices):
    """How far a goal has had its yearly dialogue: one status per goal and year.

    See `selectors.coverage` for the rule; the colour and shape only repeat the words.
    """

    DONE = "done", _("Held")
    RECORD_PENDING = "record_pending", _("Held, record not approved yet")
    PLANNED = "planned", _("Planned")
    MISSING = "missing", _("Missing")
    PLAN_NOW = "plan_now", _("Missing – plan now")
    NOT_HELD = "not_held", _("Not held")

    @property
    def colour(self) -> str:
        return {
            "done": "green",
            "record_pending": "yellow",
            "planned": "yellow",
            "missing": "grey",
            "plan_now": "red",
            "not_held": "red",
        }[self.value]

    @property
    def is_missing(self) -> bool:
        return self in (CoverageStatus.MISSING, CoverageStatus.PLAN_NOW, CoverageStatus.NOT_HELD)


class ParticipantKind(models.TextChoices):
    """Who is who at a dialogue: the elected and the officials."""

    ELECTED = "elected", _("Elected representative")
    OFFICIAL = "official", _("Official")
