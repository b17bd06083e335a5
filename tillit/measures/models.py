"""Verksamhetsmått: what is measured, the targets a year's plan sets, and the values.

A measure lives across years (its series is the point); each year's operational
plan (verksamhetsplan) gives it a target, adopted by decision. Values come per
period (month, tertial, year) and, where the source has it, per gender.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.core.choices import Fulfilment
from tillit.core.models import Decision, Organisation, OrgUnit, User
from tillit.planning.models import OperationalPlan, PlanNode

from .choices import Direction, Gender, MeasureKind, MeasureStatus, PeriodKind, Source


class Measure(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    node = models.ForeignKey(
        PlanNode,
        verbose_name=_("goal or area"),
        on_delete=models.PROTECT,
        related_name="measures",
        help_text=_("The goal or area the measure follows up."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeasureKind.choices, default=MeasureKind.QUANTITATIVE
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True, help_text=_("E.g. %, antal, kr."))
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=0)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    source = models.CharField(
        _("data source"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    kolada_kpi = models.CharField(
        _("Kolada KPI"), max_length=20, blank=True, help_text=_("E.g. N01951.")
    )
    scb_table = models.CharField(_("SCB table"), max_length=50, blank=True)
    by_gender = models.BooleanField(_("reported by gender"), default=False)
    responsible_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["order", "title"]
        indexes = [
            models.Index(fields=["organisation", "kolada_kpi"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="kolada") | ~Q(kolada_kpi=""),
                name="kolada_measure_has_kpi",
                violation_error_message=_("A measure from Kolada needs its KPI id."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("measures:measure", args=[self.pk])

    def clean(self) -> None:
        if self.node_id and self.node.organisation_id != self.organisation_id:
            raise ValidationError({"node": _("The plan element belongs to another organisation.")})
        if self.responsible_unit_id and self.responsible_unit.organisation_id != (
            self.organisation_id
        ):
            raise ValidationError(
                {"responsible_unit": _("The unit belongs to another organisation.")}
            )
        if (self.baseline_value is None) != (self.baseline_year is None):
            raise ValidationError(
                {"baseline_year": _("Give the baseline and its year together, or neither.")}
            )


class MeasureTarget(models.Model):
    """A measure's target in one year's operational plan, with its status thresholds."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="targets"
    )
    plan = models.ForeignKey(
        OperationalPlan,
        verbose_name=_("operational plan"),
        on_delete=models.CASCADE,
        related_name="targets",
    )
    target = models.DecimalField(
        _("target"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_grade = models.CharField(
        _("target (qualitative)"),
        max_length=20,
        choices=Fulfilment.choices,
        blank=True,
    )
    near_threshold = models.DecimalField(
        _("close to target from"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "The value from which the measure counts as close to its target (yellow). "
            "Empty: nine tenths of the way from the baseline to the target."
        ),
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measure_targets",
        help_text=_("The decision that set or last changed the target."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "plan"],
                name="one_target_per_measure_and_plan",
                violation_error_message=_("The measure already has a target in this plan."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.plan.year}"

    @property
    def year(self) -> int:
        return self.plan.year

    def status_of(self, value: Decimal | None, grade: str = "") -> MeasureStatus:
        """The traffic light for a value against this target, in the measure's direction."""
        measure = self.measure
        if measure.kind == MeasureKind.QUALITATIVE:
            if not grade or grade == Fulfilment.NOT_ASSESSED:
                return MeasureStatus.NO_DATA
            return {
                Fulfilment.MET: MeasureStatus.MET,
                Fulfilment.PARTLY: MeasureStatus.NEAR,
                Fulfilment.NOT_MET: MeasureStatus.NOT_MET,
            }[Fulfilment(grade)]
        if self.target is None:
            return MeasureStatus.NO_TARGET
        if value is None:
            return MeasureStatus.NO_DATA
        higher = measure.direction == Direction.HIGHER
        if (value >= self.target) if higher else (value <= self.target):
            return MeasureStatus.MET
        near = self.near_threshold
        if near is None:
            start = measure.baseline_value
            if start is None or start == self.target:
                near = self.target * (Decimal("0.9") if higher else Decimal("1.1"))
            else:
                near = start + (self.target - start) * Decimal("0.9")
        if (value >= near) if higher else (value <= near):
            return MeasureStatus.NEAR
        return MeasureStatus.NOT_MET


class ImportBatch(models.Model):
    """One import of values: who, when, from where, and what it did."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    description = models.CharField(
        _("what was imported"), max_length=300, help_text=_("A file name or a query.")
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("imported by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created = models.PositiveIntegerField(_("values created"), default=0)
    updated = models.PositiveIntegerField(_("values changed"), default=0)
    unchanged = models.PositiveIntegerField(_("values unchanged"), default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.description}"


class MeasureValue(models.Model):
    """One value of a measure for one period (and gender).

    Values are many (millions in a large municipality), so they carry their
    provenance (source, import, who and when) instead of a full history table.
    """

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    period_kind = models.CharField(
        _("period"), max_length=10, choices=PeriodKind.choices, default=PeriodKind.YEAR
    )
    period = models.PositiveSmallIntegerField(
        _("period number"), default=1, help_text=_("Month 1–12, tertial 1–3, year 1.")
    )
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, default=Gender.TOTAL
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=Fulfilment.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="values",
    )
    updated_by = models.ForeignKey(
        User, verbose_name=_("changed by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["year", "period_kind", "period", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "period_kind", "period", "gender"],
                name="one_value_per_measure_period_and_gender",
                violation_error_message=_("The measure already has a value for this period."),
            ),
            models.CheckConstraint(
                condition=Q(period__gte=1, period__lte=12),
                name="value_period_in_range",
                violation_error_message=_("The period number is out of range."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.period_label} {self.get_gender_display()}"

    @property
    def period_label(self) -> str:
        if self.period_kind == PeriodKind.YEAR:
            return str(self.year)
        if self.period_kind == PeriodKind.TERTIAL:
            return f"{self.year} T{self.period}"
        return f"{self.year}-{self.period:02d}"

    def clean(self) -> None:
        if self.period_kind and not 1 <= self.period <= PeriodKind(self.period_kind).periods:
            raise ValidationError(
                {
                    "period": _("A %(kind)s is numbered 1–%(n)s.")
                    % {
                        "kind": PeriodKind(self.period_kind).label.lower(),
                        "n": PeriodKind(self.period_kind).periods,
                    }
                }
            )


class ImportJobStatus(models.TextChoices):
    """Where an import job is: waiting for a worker, running, or finished either way."""

    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")

    @property
    def colour(self) -> str:
        return {"queued": "grey", "running": "yellow", "done": "green", "failed": "red"}[self.value]


class ImportJob(models.Model):
    """A large file import handed to a task worker, and what came of it.

    The person confirms the import after the preview; the file then waits under a name of
    the job's own (`uploads.job_file(file_token)`) until the task imports it, all or
    nothing, and deletes it. The job keeps the outcome for the job page: the summary
    sentence, the errors (at most as many as a preview shows), the batch written."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("imported by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    file_name = models.CharField(_("file"), max_length=300)
    file_token = models.CharField(max_length=32, unique=True, editable=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportJobStatus.choices, default=ImportJobStatus.QUEUED
    )
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    summary = models.CharField(_("outcome"), max_length=500, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of errors"), default=0)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    def get_absolute_url(self) -> str:
        return reverse("measures:import_job", args=[self.pk])

    @property
    def status_choice(self) -> ImportJobStatus:
        return ImportJobStatus(self.status)

    @property
    def finished(self) -> bool:
        return self.status in (ImportJobStatus.DONE, ImportJobStatus.FAILED)

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)
