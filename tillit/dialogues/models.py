"""Dialogues between politicians and officials in the committees (utskott).

"Dialogerna i utskotten genomförs minst en gång per mål och år … Resultatet av dialogerna
dokumenteras som underlag för delårsrapport och årsredovisning. Tidpunkt för när
dialogerna genomförs under året fastställs i utskottens årsplaner." (riktlinjer)

- `DialogueRemit`: which goals a committee holds dialogue on (a perspective or focus area
  covers the goals beneath it).
- `Meeting`: a committee's meeting; its meetings of a year are its annual plan (årsplan).
- `DialogueRecord`: what a meeting's dialogue came to (dialogprotokoll), with the follow-up
  material frozen as it stood at the meeting; once approved it never changes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.core.models import Body, Organisation, User
from tillit.followup.models import checksum_of
from tillit.planning.models import Level, PlanNode

from .choices import DIALOGUE_BODY_KINDS, RecordState

GOAL_LEVEL_KEY = "goal"


def covers_goals(node: PlanNode) -> bool:
    """Whether a plan element is a goal or sits at a level above the goal level (a
    perspective, a focus area), so that a remit on it covers goals."""
    level = node.level
    goal_level = Level.objects.filter(
        organisation_id=level.organisation_id, key=GOAL_LEVEL_KEY
    ).first()
    seen: set[int] = set()
    while goal_level is not None and goal_level.pk not in seen:
        if goal_level.pk == level.pk:
            return True
        seen.add(goal_level.pk)
        goal_level = goal_level.parent
    return False


class DialogueRemit(models.Model):
    """A committee holds dialogue on this goal, or on every goal beneath this perspective
    or focus area. The coverage view names a goal's responsible committees from these."""

    body = models.ForeignKey(
        Body,
        verbose_name=_("committee"),
        on_delete=models.CASCADE,
        related_name="dialogue_remits",
        limit_choices_to={"kind__in": DIALOGUE_BODY_KINDS},
    )
    node = models.ForeignKey(
        PlanNode,
        verbose_name=_("perspective, focus area or goal"),
        on_delete=models.CASCADE,
        related_name="dialogue_remits",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dialogue remit")
        verbose_name_plural = _("dialogue remits")
        ordering = ["body__order", "node__order", "node__number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "node"],
                name="one_remit_per_body_and_node",
                violation_error_message=_("The committee already holds dialogue on this."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.abbreviation}: {self.node.label}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.body_id and self.body.kind not in DIALOGUE_BODY_KINDS:
            errors["body"] = _("Only a committee holds dialogues on the goals.")
        if self.node_id:
            if self.body_id and self.node.organisation_id != self.body.organisation_id:
                errors["node"] = _("The plan element belongs to another organisation.")
            elif not covers_goals(self.node):
                errors["node"] = _("Choose a goal, or a perspective or focus area above goals.")
        if errors:
            raise ValidationError(errors)


# Kept by name so that the services write one history record for a new meeting with its
# goals (saving the row and then setting the goals would write two).
MEETING_HISTORY = HistoricalRecords(excluded_fields=["version"], m2m_fields=["goals"])


class Meeting(models.Model):
    """A committee's meeting. Its `goals` are the goals it holds dialogue on; a committee's
    meetings of a year are its annual plan (årsplan). Times are in Europe/Stockholm."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="dialogue_meetings",
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("committee"),
        on_delete=models.PROTECT,
        related_name="meetings",
        limit_choices_to={"kind__in": DIALOGUE_BODY_KINDS},
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("E.g. Dialogue on the welfare goals.")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    goals = models.ManyToManyField(
        PlanNode,
        verbose_name=_("dialogue on these goals"),
        blank=True,
        related_name="dialogue_meetings",
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_(
            "A public meeting's date, goals and approved record are shown to everyone. "
            "Otherwise only to the organisation's staff."
        ),
    )
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = MEETING_HISTORY

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["organisation", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.body.abbreviation} {start:%Y-%m-%d}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:meeting", args=[self.pk])

    @property
    def year(self) -> int:
        return timezone.localtime(self.starts_at).year

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at) if self.ends_at else None

    def annual_plan_url(self) -> str:
        return reverse("dialogues:annual_plan", args=[self.year, self.body.abbreviation])

    def has_started(self, now=None) -> bool:
        return self.starts_at <= (now or timezone.now())

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.body_id:
            if self.body.kind not in DIALOGUE_BODY_KINDS:
                errors["body"] = _("Only a committee holds dialogues on the goals.")
            elif self.organisation_id and self.body.organisation_id != self.organisation_id:
                errors["body"] = _("The body belongs to another organisation.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("A meeting cannot end before it starts.")
        if errors:
            raise ValidationError(errors)


class DialogueRecord(models.Model):
    """A dialogue record (dialogprotokoll): who took part, what was discussed, the shared
    understanding reached (samsyn) and the next steps, beside the follow-up material of the
    meeting's goals as it stood at the meeting.

    `material` is plain JSON (Swedish labels resolved), gathered when the record is started
    and refreshed only on request while it is a draft; `material_checksum` is the SHA-256 of
    its canonical JSON (as a follow-up period's snapshot). Approving locks the record: from
    then on nothing in it changes, and `participants_at_approval` keeps who was who then.
    """

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="record"
    )
    participants = models.ManyToManyField(
        User, verbose_name=_("participants"), blank=True, related_name="dialogue_records"
    )
    external_participants = models.TextField(
        _("other participants"),
        blank=True,
        help_text=_("People without an account, one a line, e.g. Elevrådets ordförande."),
    )
    discussion = models.TextField(_("what was discussed"), blank=True)
    shared_understanding = models.TextField(_("shared understanding"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    material = models.JSONField(_("follow-up material"), default=dict)
    material_checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    participants_at_approval = models.JSONField(
        _("participants when approved"), null=True, blank=True, editable=False
    )
    state = models.CharField(
        _("state"), max_length=20, choices=RecordState.choices, default=RecordState.DRAFT
    )
    written_by = models.ForeignKey(
        User,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        User,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    # The material is not history: its checksum is, and a refresh says so in the reason.
    history = HistoricalRecords(
        excluded_fields=["version", "material", "participants_at_approval"],
        m2m_fields=[participants],
    )

    class Meta:
        verbose_name = _("dialogue record")
        verbose_name_plural = _("dialogue records")
        ordering = ["meeting__starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=RecordState.APPROVED)
                | (Q(approved_at__isnull=False) & ~Q(material_checksum="")),
                name="approved_record_has_time_and_checksum",
                violation_error_message=_(
                    "An approved record needs the time it was approved and its checksum."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Record: %(meeting)s") % {"meeting": self.meeting})

    def get_absolute_url(self) -> str:
        return reverse("dialogues:record", args=[self.meeting_id])

    @property
    def state_choice(self) -> RecordState:
        return RecordState(self.state)

    @property
    def is_approved(self) -> bool:
        return self.state == RecordState.APPROVED

    @property
    def is_intact(self) -> bool:
        """Whether the stored material still has the checksum it was gathered with."""
        return checksum_of(self.material) == self.material_checksum

    def save(self, *args, **kwargs) -> None:
        # Approved records are locked, whoever asks (the admin and the shell included).
        if (
            not self._state.adding
            and self.pk
            and DialogueRecord.objects.filter(pk=self.pk, state=RecordState.APPROVED).exists()
        ):
            raise ValidationError(_("An approved record is never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if DialogueRecord.objects.filter(pk=self.pk, state=RecordState.APPROVED).exists():
            raise ValidationError(_("An approved record is never changed."))
        return super().delete(*args, **kwargs)
