"""Rendering a report as a background task, with its progress on the job.

With the immediate backend (the default, and the tests') the file is ready when
`enqueue_render` returns; with the database backend a worker (`manage.py db_worker`)
renders it and the report's page shows how far it has come.
"""

from __future__ import annotations

import hashlib
import logging

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from tillit.core.models import User

from .choices import RenderStatus
from .models import RenderJob, Report

logger = logging.getLogger(__name__)


def enqueue_render(*, report: Report, fmt: str, user: User) -> RenderJob:
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
        status=RenderStatus.RUNNING, progress=1
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
    return "done"


def running_jobs(report: Report):
    return RenderJob.objects.filter(
        report=report, status__in=[RenderStatus.QUEUED, RenderStatus.RUNNING]
    )
