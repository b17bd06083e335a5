"""Rendering a report as a background task, with its progress on the job.

With the immediate backend (the default, and the tests') the file is ready when
`enqueue_render` returns; with the database backend a worker (`manage.py db_worker`)
renders it and the report's page shows how far it has come.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from tillit.core.models import User

from .choices import RenderStatus
from .models import RenderJob, Report

logger = logging.getLogger(__name__)


# Drafts change, so only their latest few files of each format are kept.
KEEP_DRAFT_FILES = 3


def kept_file(report: Report, fmt: str) -> RenderJob | None:
    """A frozen report's first finished file of the format, served for every later order:
    its bytes stay the same even if Tillit's templates or the machine's fonts change."""
    if not report.is_frozen:
        return None
    return (
        RenderJob.objects.defer("output")
        .filter(report=report, format=fmt, frozen=True, status=RenderStatus.DONE)
        .order_by("created_at", "pk")
        .first()
    )


def kept_bytes(report: Report, fmt: str) -> tuple[RenderJob, bytes] | None:
    """The kept file of a frozen report (`kept_file`) with its bytes, if it has one."""
    kept = kept_file(report, fmt)
    if kept is None:
        return None
    return kept, bytes(RenderJob.objects.values_list("output", flat=True).get(pk=kept.pk))


def expire_stale(report: Report) -> None:
    """Renderings waiting or running for longer than TILLIT_RENDER_TIMEOUT_MINUTES are
    failed: their worker stopped (or never came), and the page should not wait forever."""
    limit = timezone.now() - timedelta(minutes=settings.TILLIT_RENDER_TIMEOUT_MINUTES)
    stale = RenderJob.objects.filter(
        report=report,
        status__in=[RenderStatus.QUEUED, RenderStatus.RUNNING],
        created_at__lt=limit,
    )
    if stale.exists():
        stale.update(
            status=RenderStatus.FAILED,
            error=_("The rendering did not finish in time. Order it again."),
            finished_at=timezone.now(),
        )


def enqueue_render(*, report: Report, fmt: str, user: User) -> RenderJob:
    """A rendering of the report: a frozen report's kept file if it has one, else a new
    job, rendered at once or by a worker (the task backend decides)."""
    kept = kept_file(report, fmt)
    if kept is not None:
        return kept
    job = RenderJob.objects.create(
        report=report, format=fmt, created_by=user, frozen=report.is_frozen
    )
    try:
        result = render_report_job.enqueue(job_id=job.pk)
    except Exception:
        _fail(job.pk, _("The rendering could not be started."))
        raise
    RenderJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def _fail(job_id: int, message: str) -> None:
    RenderJob.objects.filter(pk=job_id).exclude(status=RenderStatus.DONE).update(
        status=RenderStatus.FAILED, error=message, finished_at=timezone.now()
    )


@task()
def render_report_job(job_id: int) -> str:
    """Compose (or read the frozen) report, render it and store the file on the job."""
    from .render import render
    from .services import content_of

    job = RenderJob.objects.select_related("report__organisation").filter(pk=job_id).first()
    if job is None:
        return "gone"
    claimed = RenderJob.objects.filter(pk=job.pk, status=RenderStatus.QUEUED).update(
        status=RenderStatus.RUNNING, progress=1, frozen=job.report.is_frozen
    )
    if not claimed:
        return "taken"

    def progress(percent: int, step: str) -> None:
        RenderJob.objects.filter(pk=job.pk, status=RenderStatus.RUNNING).update(
            progress=max(1, min(int(percent), 99)), step=step[:200]
        )

    try:
        with translation.override("sv"):
            progress(5, _("Composing the report from the data …"))
            content = content_of(job.report)
            data = render(content, job.format, progress=progress)
    except Exception:
        logger.exception("Rendering report %s to %s failed", job.report_id, job.format)
        with translation.override("sv"):
            _fail(
                job.pk,
                _(
                    "The rendering stopped because of an error in Tillit. Try again; "
                    "if it happens again, tell your system administrator."
                ),
            )
        return "failed"
    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderStatus.DONE,
        progress=100,
        step="",
        output=data,
        size=len(data),
        checksum=hashlib.sha256(data).hexdigest(),
        finished_at=timezone.now(),
    )
    older = (
        RenderJob.objects.filter(report_id=job.report_id, format=job.format, frozen=False)
        .exclude(status__in=[RenderStatus.QUEUED, RenderStatus.RUNNING])
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)[KEEP_DRAFT_FILES:]
    )
    RenderJob.objects.filter(pk__in=list(older)).delete()
    return "done"


def running_jobs(report: Report):
    return RenderJob.objects.filter(
        report=report, status__in=[RenderStatus.QUEUED, RenderStatus.RUNNING]
    )
