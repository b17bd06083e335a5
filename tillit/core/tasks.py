"""Housekeeping tasks for the scheduler (tillit/core/scheduling.py)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends

logger = logging.getLogger(__name__)

KEEP_TASK_RESULTS_DAYS = 30


@task()
def prune_task_results() -> int:
    """Delete the database backend's finished task results after a month, so that its table
    stays small (as `manage.py prune_db_task_results --min-age-days 30` does): what a task
    did is in the log and in its own records (an import job, a batch). Another backend
    keeps no results: nothing to do. Returns how many were deleted."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not isinstance(backend, DatabaseBackend):
        return 0
    cutoff = timezone.now() - timedelta(days=KEEP_TASK_RESULTS_DAYS)
    deleted, _by_model = (
        DBTaskResult.objects.finished()
        .filter(backend_name=backend.alias, finished_at__lte=cutoff)
        .delete()
    )
    logger.info("Deleted %s task results finished before %s.", deleted, cutoff)
    return deleted
