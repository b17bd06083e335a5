from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportKind(models.TextChoices):
    """The two reports to kommunfullmäktige each year."""

    INTERIM = "interim", pgettext_lazy("report to the council", "Interim report")
    ANNUAL = "annual", pgettext_lazy("report to the council", "Annual report")

    @property
    def slug(self) -> str:
        """The word used in file names and on the command line."""
        return {"interim": "delarsrapport", "annual": "arsredovisning"}[self.value]

    @classmethod
    def from_slug(cls, slug: str) -> ReportKind:
        for kind in cls:
            if kind.slug == slug:
                return kind
        raise ValueError(slug)


class ReportState(models.TextChoices):
    """draft → review → approved (by KS, frozen) → presented (to KF).

    Narrative sections are written while the report is a draft. In review they are read,
    and the plan administrator or the economist may send it back to draft. Approval by
    kommunstyrelsen freezes the report as a snapshot; presenting it to kommunfullmäktige
    records the council's decision and changes nothing in it.
    """

    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    APPROVED = "approved", _("Approved by the municipal executive board")
    PRESENTED = "presented", _("Presented to the municipal council")

    @property
    def badge(self) -> str:
        return {
            "draft": "draft",
            "review": "replaced",
            "approved": "adopted",
            "presented": "adopted",
        }[self.value]

    @property
    def is_frozen(self) -> bool:
        return self in (ReportState.APPROVED, ReportState.PRESENTED)


class OutputFormat(models.TextChoices):
    """What a report is rendered to."""

    PDF = "pdf", "PDF"
    DOCX = "docx", _("Word (DOCX)")
    XLSX = "xlsx", _("Excel, measure tables (XLSX)")
    HTML = "html", "HTML"

    @property
    def content_type(self) -> str:
        return {
            "pdf": "application/pdf",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "html": "text/html; charset=utf-8",
        }[self.value]


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")

    @property
    def is_finished(self) -> bool:
        return self in (RenderStatus.DONE, RenderStatus.FAILED)
