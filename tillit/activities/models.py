"""Activities (aktiviteter): what the operations decide to do for the goals ("hur").

An activity is its own model, not a plan element: the preset's plan level "activity"
describes where activities sit in the structure (under a goal), while the rows live
here, with their unit, people, period, status and progress, linked to the goals and
areas they work toward, the measures that show their effect, and the principles
(Grästorp 5.0) they express.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.core.models import Organisation, OrgUnit, User
from tillit.measures.models import Measure
from tillit.planning.models import PlanNode, Principle

from .choices import ActivityStatus

LINK_FIELDS = ("participants", "nodes", "measures", "principles")

# Kept by name so that the services can write one history record for a new activity
# with its links (saving the row and then setting each link would write one per step).
ACTIVITY_HISTORY = HistoricalRecords(excluded_fields=["version"], m2m_fields=list(LINK_FIELDS))


class Activity(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("The unit whose operations decide on the activity and carry it out."),
    )
    responsible = models.ForeignKey(
        User,
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities_responsible",
    )
    participants = models.ManyToManyField(
        User, verbose_name=_("participants"), blank=True, related_name="activities_taking_part"
    )
    nodes = models.ManyToManyField(
        PlanNode,
        verbose_name=_("goals and areas"),
        related_name="activities",
        help_text=_("The goals and areas the activity works toward."),
    )
    measures = models.ManyToManyField(
        Measure,
        verbose_name=_("measures"),
        blank=True,
        related_name="activities",
        help_text=_("The measures in which the activity's effect is expected to show."),
    )
    principles = models.ManyToManyField(
        Principle, verbose_name=_("principles"), blank=True, related_name="activities"
    )
    start = models.DateField(_("start date"))
    end = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Empty while it has no set end.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    result = models.TextField(
        _("result"), blank=True, help_text=_("A short note on what the activity has led to.")
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = ACTIVITY_HISTORY

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start", "title", "pk"]
        indexes = [
            models.Index(fields=["organisation", "start"]),
            models.Index(fields=["organisation", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="activity_ends_after_it_starts",
                violation_error_message=_("The end date cannot come before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0) & Q(progress__lte=100),
                name="activity_progress_in_per_cent",
                violation_error_message=_("Progress is given in per cent, from 0 to 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:activity", args=[self.pk])

    @property
    def status_choice(self) -> ActivityStatus:
        return ActivityStatus(self.status)

    def clean(self) -> None:
        errors = {}
        if self.owner_unit_id and self.owner_unit.organisation_id != self.organisation_id:
            errors["owner_unit"] = _("The unit belongs to another organisation.")
        if self.responsible_id and self.responsible.organisation_id != self.organisation_id:
            errors["responsible"] = _("The person belongs to another organisation.")
        if errors:
            raise ValidationError(errors)
