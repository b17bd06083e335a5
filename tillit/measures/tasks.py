"""Background work for measures: large file imports and the scheduled Kolada refresh.

Tasks use the `django.tasks` API (django-tasks until Django 6). Which backend runs them is
a setting (`TILLIT_TASKS_BACKEND`): at once, inside the request or command that enqueues
them, or by a worker (`manage.py db_worker`) on any machine sharing the database. A task
gets ids, never model instances, and finds its rows itself: the row may have changed (or
gone) by the time a worker picks the task up.
"""

from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import TaskResultStatus, default_task_backend, task
from django_tasks.exceptions import TaskResultDoesNotExist

from tillit.core.models import Organisation, User

from .choices import Source
from .importers import ImportResult, import_file
from .importers.kolada import refresh_kolada_measures
from .models import ImportJob, ImportJobStatus, Measure
from .uploads import job_file

logger = logging.getLogger(__name__)

STOPPED = gettext_lazy(
    "The import stopped because of an error in Tillit, and nothing was imported. "
    "Try again; if it happens again, tell your system administrator."
)


# --- large file imports ------------------------------------------------------------------


def enqueue_file_import(
    *, source: Path, name: str, rows: int, organisation: Organisation, user: User
) -> ImportJob | None:
    """Hand a previewed file to a task: the file moves to a name of the job's own (which the
    preview sweep leaves alone), the job is recorded, the task is enqueued. None if the
    file is gone (the same preview confirmed twice at once). With the immediate backend
    the import has run when this returns."""
    token = uuid.uuid4().hex
    try:
        os.utime(source)  # fresh, so that no sweep takes it for a leftover meanwhile
        os.replace(source, job_file(token))
    except FileNotFoundError:
        return None
    job = ImportJob.objects.create(
        organisation=organisation,
        created_by=user,
        file_name=name[:300],
        file_token=token,
        rows=rows,
    )
    try:
        result = import_file_job.enqueue(job_id=job.pk)
    except Exception:
        fail_job(job)
        raise
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


@task()
def import_file_job(job_id: int) -> str:
    """Import the job's file, all or nothing, and record the outcome on the job.

    The file is checked again as it is imported: measures, roles or values may have changed
    since the preview, and then nothing is written and the job shows the errors. Whatever
    happens, the file is deleted, and an exception leaves the job failed, not running."""
    job = ImportJob.objects.select_related("organisation", "created_by").filter(pk=job_id).first()
    if job is None or not _claim(job):
        return "skipped"  # gone, or another worker has it
    path = job_file(job.file_token)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            if not path.is_file():
                _finish(job, failed=_("The uploaded file is no longer here: upload it again."))
                return job.status
            result = import_file(
                source=path,
                name=job.file_name,
                organisation=job.organisation,
                user=job.created_by,
                dry_run=False,
            )
            _finish(job, result=result)
    except Exception:
        logger.exception("Import job %s (%s) failed.", job.pk, job.file_name)
        fail_job(job)
        raise
    finally:
        path.unlink(missing_ok=True)
    return job.status


def _claim(job: ImportJob) -> bool:
    """Mark the job running, if it is still queued: a task delivered twice runs once."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, started_at=now
    )
    job.status, job.started_at = ImportJobStatus.RUNNING, now
    return bool(claimed)


def _finish(job: ImportJob, *, result: ImportResult | None = None, failed: str = "") -> None:
    if result is not None:
        job.status = ImportJobStatus.DONE if result.ok else ImportJobStatus.FAILED
        job.summary = result.summary()[:500]
        job.errors = [
            {"row": error.row, "column": error.column, "text": error.text}
            for error in result.errors
        ]
        job.error_count = result.error_count
        job.batch = result.batch
    else:
        job.status, job.summary = ImportJobStatus.FAILED, failed
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "summary", "errors", "error_count", "batch", "finished_at"])


def fail_job(job: ImportJob) -> None:
    """The job failed without an outcome of its own (an exception, a lost task): say so in
    Swedish, and delete its file. A job already finished is left as it is."""
    job_file(job.file_token).unlink(missing_ok=True)
    with translation.override(settings.LANGUAGE_CODE):
        message = str(STOPPED)
    ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJobStatus.QUEUED, ImportJobStatus.RUNNING]
    ).update(status=ImportJobStatus.FAILED, summary=message, finished_at=timezone.now())
    job.refresh_from_db()


def notice_lost_task(job: ImportJob) -> None:
    """A job still waiting or running whose task has ended all the same (the worker could
    not even start it, say) has failed: ask the task backend, when it keeps results."""
    if job.finished or not job.task_id:
        return
    backend = default_task_backend
    if not backend.supports_get_result:
        return
    try:
        status = backend.get_result(job.task_id).status
    except (TaskResultDoesNotExist, ImportError):
        return  # not known, or its code is not here (an upgrade under way): cannot tell
    if status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
        fail_job(job)


# --- the scheduled Kolada refresh --------------------------------------------------------


@task()
def refresh_kolada_everywhere() -> int:
    """The nightly job (tillit/core/scheduling.py): one refresh task per organisation that
    has measures from Kolada, so organisations are refreshed side by side by the workers
    and one organisation's trouble does not hold up the others. Returns how many."""
    organisation_ids = sorted(
        set(
            Measure.objects.filter(source=Source.KOLADA)
            .exclude(kolada_kpi="")
            .values_list("organisation_id", flat=True)
        )
    )
    for organisation_id in organisation_ids:
        refresh_kolada.enqueue(organisation_id=organisation_id)
    return len(organisation_ids)


@task()
def refresh_kolada(organisation_id: int) -> dict[str, object]:
    """Re-import the organisation's measures that follow Kolada (as `import_kolada --all
    --organisation` does), logging one line per measure; returns the counts."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        logger.warning("Kolada refresh: organisation %s no longer exists.", organisation_id)
        return {"organisation": organisation_id, "measures": 0, "failed": 0}
    with translation.override(settings.LANGUAGE_CODE):
        results = refresh_kolada_measures(organisation=organisation)
        failed = 0
        for result in results:
            line = f"{result.measure.title} (id {result.measure.pk}, {result.kpi}): "
            if result.ok:
                logger.info("Kolada, %s: %s%s", organisation.slug, line, result.summary())
            else:
                failed += 1
                errors = "; ".join(str(error) for error in result.errors)
                logger.warning(
                    "Kolada, %s: %s%s %s", organisation.slug, line, result.summary(), errors
                )
    outcome = {
        "organisation": organisation.slug,
        "measures": len(results),
        "failed": failed,
        "created": sum(r.created for r in results if r.written),
        "updated": sum(r.updated for r in results if r.written),
    }
    level = logging.WARNING if failed else logging.INFO
    logger.log(
        level,
        "Kolada, %s: %s av %s mått uppdaterade, %s misslyckades.",
        organisation.slug,
        len(results) - failed,
        len(results),
        failed,
    )
    return outcome
