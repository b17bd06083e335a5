"""Reports to kommunfullmäktige: the delårsrapport and the årsredovisning.

A `Report` is composed from the data when it is read (compose.py), with the narrative
`ReportSection`s its owners write. When kommunstyrelsen approves it, the composed content
is frozen in a `ReportSnapshot`: written once, never changed, with a SHA-256 checksum of
its canonical JSON. Every output (web, PDF, DOCX, XLSX) of a frozen report is rendered
from the snapshot alone, so it comes out byte for byte the same whenever it is rendered.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tillit.core.models import Decision, Organisation, User
from tillit.followup.models import FollowUpPeriod, FrozenSnapshot

from .choices import OutputFormat, RenderStatus, ReportKind, ReportState
from .sections import BY_KEY

MONTHS = [MinValueValidator(1), MaxValueValidator(12)]


class Report(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    through_month = models.PositiveSmallIntegerField(
        _("through month"),
        validators=MONTHS,
        help_text=_("The last month the report covers: 8 for January–August, 12 for the year."),
    )
    followup_period = models.ForeignKey(
        FollowUpPeriod,
        verbose_name=_("follow-up period"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The period whose approved goal assessments the report shows."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT
    )
    approval = models.ForeignKey(
        Decision,
        verbose_name=_("approved by the municipal executive board"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    presentation = models.ForeignKey(
        Decision,
        verbose_name=_("presented to the municipal council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("report to the council")
        verbose_name_plural = _("reports to the council")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year"],
                name="report_one_per_kind_and_year",
                violation_error_message=_("There is already a report of this kind for the year."),
            ),
            models.CheckConstraint(
                condition=Q(through_month__gte=1, through_month__lte=12),
                name="report_through_month_is_a_month",
                violation_error_message=_("The month must be 1–12."),
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "review"]) | Q(approval__isnull=False),
                name="report_approved_has_decision",
                violation_error_message=_("An approved report needs the board's decision."),
            ),
            models.CheckConstraint(
                condition=~Q(state="presented") | Q(presentation__isnull=False),
                name="report_presented_has_decision",
                violation_error_message=_("A presented report needs the council's decision."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.pk])

    @property
    def kind_choice(self) -> ReportKind:
        return ReportKind(self.kind)

    @property
    def state_choice(self) -> ReportState:
        return ReportState(self.state)

    @property
    def title(self) -> str:
        return f"{self.kind_choice.label} {self.year}"

    @property
    def is_frozen(self) -> bool:
        return self.state_choice.is_frozen

    @property
    def is_draft(self) -> bool:
        return self.state == ReportState.DRAFT

    @property
    def file_stem(self) -> str:
        """ "arsredovisning-2025": the name of its files."""
        return f"{self.kind_choice.slug}-{self.year}"

    def save(self, *args, **kwargs) -> None:
        """A frozen report changes in one way only: approved → presented, with KF's decision."""
        if not self._state.adding and self.pk:
            stored = Report.objects.filter(pk=self.pk).values("state", "approval_id").first()
            if stored and ReportState(stored["state"]).is_frozen:
                allowed = self.state in (stored["state"], ReportState.PRESENTED) and (
                    self.approval_id == stored["approval_id"]
                )
                if not allowed:
                    raise ValidationError(_("The report is approved and can no longer be changed."))
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == ReportKind.ANNUAL and self.through_month not in (None, 12):
            errors["through_month"] = _("An annual report covers the whole year.")
        if self.kind == ReportKind.INTERIM and self.through_month == 12:
            errors["through_month"] = _("An interim report ends before December.")
        period = self.followup_period if self.followup_period_id else None
        if period is not None:
            if period.organisation_id != self.organisation_id:
                errors["followup_period"] = _("The period belongs to another organisation.")
            elif period.year != self.year:
                errors["followup_period"] = _("The period is of another year.")
        if errors:
            raise ValidationError(errors)


class ReportSection(models.Model):
    """A narrative part of a report, written by its owner while the report is a draft."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(_("section"), max_length=40)
    owner = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person who writes the section."),
    )
    text = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(
        User,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "key"],
                name="report_section_once",
                violation_error_message=_("The report already has this section."),
            )
        ]

    def __str__(self) -> str:
        return str(self.spec.title) if self.spec else self.key

    @property
    def spec(self):
        return BY_KEY.get(self.key)

    def get_absolute_url(self) -> str:
        return reverse("reports:section", args=[self.report_id, self.key])


class ReportSnapshot(FrozenSnapshot):
    """The report as kommunstyrelsen approved it: written once, never changed."""

    report = models.OneToOneField(
        Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="snapshot"
    )

    never_changed = _("A frozen report is never changed.")

    class Meta:
        verbose_name = _("frozen report")
        verbose_name_plural = _("frozen reports")

    def __str__(self) -> str:
        return f"{self.report}: {self.created_at:%Y-%m-%d %H:%M}"


class RenderJob(models.Model):
    """One rendering of a report to a file, run as a task, with its progress."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="render_jobs"
    )
    format = models.CharField(_("format"), max_length=10, choices=OutputFormat.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    frozen = models.BooleanField(
        _("from the frozen report"), default=False, help_text=_("Rendered from the snapshot.")
    )
    output = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    checksum = models.CharField(_("checksum of the file (SHA-256)"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name=_("ordered by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rendering")
        verbose_name_plural = _("renderings")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["report", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.report} ({self.get_format_display()})"

    @property
    def status_choice(self) -> RenderStatus:
        return RenderStatus(self.status)

    @property
    def format_choice(self) -> OutputFormat:
        return OutputFormat(self.format)

    @property
    def file_name(self) -> str:
        return f"{self.report.file_stem}.{self.format}"

    def get_absolute_url(self) -> str:
        return reverse("reports:job", args=[self.report_id, self.pk])
