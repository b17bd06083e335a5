"""Follow-up: periods (uppföljningsperioder), goal assessments (bedömningar av
måluppfyllelse) and the snapshot a period freezes when it is closed."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.core.choices import Fulfilment, UnitKind
from tillit.core.models import Organisation, OrgUnit, User
from tillit.planning.models import PlanNode

from .choices import AssessmentState, FollowUpKind, PeriodStatus

GOAL_LEVEL_KEY = "goal"
# An assessment is written per enhet, rolled up per verksamhet, and then for the goal.
ASSESSED_UNIT_KINDS = (UnitKind.OPERATION, UnitKind.UNIT)


class FollowUpPeriod(models.Model):
    """An uppföljningsperiod: "Tertial 1 2025", "Delår jan–aug 2025", "Helår 2025"."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="followup_periods",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. Delår jan–aug 2025."))
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    deadline = models.DateField(
        _("deadline for assessments"),
        help_text=_("The date by which the assessments are to be written and submitted."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        User,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up period")
        verbose_name_plural = _("follow-up periods")
        ordering = ["-year", "-end", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "name"],
                name="followup_period_name_unique_per_year",
                violation_error_message=_("There is already a period with this name this year."),
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="followup_period_dates_in_order",
                violation_error_message=_("The last day cannot come before the first."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("start")),
                name="followup_period_deadline_after_start",
                violation_error_message=_("The deadline cannot come before the period starts."),
            ),
            models.CheckConstraint(
                condition=Q(status=PeriodStatus.OPEN) | Q(closed_at__isnull=False),
                name="followup_closed_period_has_closing_time",
                violation_error_message=_("A closed period needs the time it was closed."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("followup:period", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN

    @property
    def status_badge(self) -> str:
        return PeriodStatus(self.status).badge

    def clean(self) -> None:
        if (
            self.start
            and self.end
            and self.year
            and not (self.start.year <= self.year <= self.end.year)
        ):
            raise ValidationError({"year": _("The year must lie within the period's dates.")})


class Assessment(models.Model):
    """A bedömning av måluppfyllelse: one goal in one period, for one unit or for the goal.

    `unit` empty: the goal-level assessment, which the unit assessments roll up into
    (enhet → verksamhet → mål).
    """

    period = models.ForeignKey(
        FollowUpPeriod,
        verbose_name=_("follow-up period"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    goal = models.ForeignKey(
        PlanNode,
        verbose_name=_("goal"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        help_text=_("Empty for the assessment of the goal as a whole."),
    )
    status = models.CharField(
        _("assessment"),
        max_length=20,
        choices=Fulfilment.choices,
        default=Fulfilment.NOT_ASSESSED,
    )
    analysis = models.TextField(_("analysis"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=AssessmentState.choices, default=AssessmentState.DRAFT
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
    submitted_by = models.ForeignKey(
        User,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
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

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["period", "goal", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "period", "unit"],
                name="one_assessment_per_goal_period_and_unit",
                violation_error_message=_(
                    "The unit already has an assessment of this goal in this period."
                ),
            ),
            # NULL is never equal to NULL: the goal-level assessment needs its own constraint.
            models.UniqueConstraint(
                fields=["goal", "period"],
                condition=Q(unit__isnull=True),
                name="one_goal_level_assessment_per_period",
                violation_error_message=_(
                    "The goal already has an assessment of its own in this period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(state__in=[AssessmentState.DRAFT, AssessmentState.RETURNED])
                | Q(submitted_at__isnull=False),
                name="submitted_assessment_has_submission_time",
                violation_error_message=_(
                    "A submitted assessment needs the time it was submitted."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=AssessmentState.APPROVED) | Q(approved_at__isnull=False),
                name="approved_assessment_has_approval_time",
                violation_error_message=_("An approved assessment needs the time it was approved."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal.label} · {self.period} · {self.unit or _('the goal as a whole')}"

    def get_absolute_url(self) -> str:
        return reverse("followup:goal", args=[self.period_id, self.goal_id])

    def get_edit_url(self) -> str:
        if self.unit_id is None:
            return reverse("followup:assessment_goal", args=[self.period_id, self.goal_id])
        return reverse(
            "followup:assessment_unit", args=[self.period_id, self.goal_id, self.unit_id]
        )

    @property
    def fulfilment(self) -> Fulfilment:
        return Fulfilment(self.status)

    @property
    def state_choice(self) -> AssessmentState:
        return AssessmentState(self.state)

    @property
    def is_editable(self) -> bool:
        return self.state_choice.is_editable

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.goal_id:
            if self.goal.level.key != GOAL_LEVEL_KEY:
                errors["goal"] = _("Only a goal is assessed.")
            elif self.period_id and self.goal.organisation_id != self.period.organisation_id:
                errors["goal"] = _("The goal belongs to another organisation.")
        if self.unit_id:
            if self.unit.kind not in ASSESSED_UNIT_KINDS:
                errors["unit"] = _("Assessments are written by an operation or a unit.")
            elif self.period_id and self.unit.organisation_id != self.period.organisation_id:
                errors["unit"] = _("The unit belongs to another organisation.")
        if errors:
            raise ValidationError(errors)


def canonical_json(data) -> str:
    """The one way a snapshot is written out for its checksum."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum_of(data) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


class FrozenSnapshot(models.Model):
    """Content frozen at a moment: written once, never changed, with its checksum.

    `checksum` is the SHA-256 of the canonical JSON of `data` (sorted keys, no spaces),
    so anyone can check that the stored content is the one that was frozen. The follow-up
    period's snapshot and the approved report's (tillit/reports) are such."""

    created_at = models.DateTimeField(_("frozen at"), default=timezone.now)
    data = models.JSONField(_("content"))
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64)

    never_changed = _("A snapshot is never changed once it has been frozen.")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(self.never_changed)
        if not self.checksum:
            self.checksum = checksum_of(self.data)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(self.never_changed)

    @property
    def is_intact(self) -> bool:
        """Whether the stored content still has the checksum it was frozen with."""
        return checksum_of(self.data) == self.checksum


class PeriodSnapshot(FrozenSnapshot):
    """What was reported when a period was closed, frozen."""

    period = models.OneToOneField(
        FollowUpPeriod,
        verbose_name=_("follow-up period"),
        on_delete=models.PROTECT,
        related_name="snapshot",
    )

    class Meta:
        verbose_name = _("snapshot of a follow-up period")
        verbose_name_plural = _("snapshots of follow-up periods")

    def __str__(self) -> str:
        return f"{self.period}: {self.created_at:%Y-%m-%d %H:%M}"
