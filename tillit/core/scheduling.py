"""Periodic jobs: one registry, one command, one timer; not a cron line per job.

A job is a name, a task (`django.tasks`, given by its dotted path) and how often: daily at
a local time, or hourly at a minute past the hour. Its *slot* at a moment is the latest
time it was due by then: for "daily at 03:15", at 10:00 on 22 November it is 22 November
03:15, at 03:00 it is still 21 November 03:15.

`manage.py run_schedule` (`run_due`) enqueues every job whose current slot has not been
enqueued yet, recording it as a `ScheduledRun(job, slot)`. Run it every few minutes from
a systemd timer, on as many machines as you like: the row is inserted before anything is
enqueued, and the database lets only one insert of a (job, slot) succeed, so each slot is
enqueued exactly once (a look-up first only spares a failing insert). The insert and the
enqueueing share a transaction: with the database task backend, the task exists exactly
when the row does; if enqueueing fails, the slot stays due for the next run. A slot missed
while nothing ran (the machine was down at 03:15) is enqueued by the next run; older
slots are not caught up.

With the immediate task backend the task runs at once, inside `run_schedule` (and inside
the slot's transaction: fine for a demo, not for production, which has workers).
The workers (`manage.py db_worker`) run what is enqueued; see docs/operations.md.

To add a job: append it to `JOBS` below; its task must take no arguments.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Daily:
    """Every day at `at`, local time (TIME_ZONE)."""

    at: time

    def slot(self, local: datetime) -> datetime:
        today = datetime.combine(local.date(), self.at, tzinfo=local.tzinfo)
        return today if local >= today else today - timedelta(days=1)

    def __str__(self) -> str:
        return f"dagligen {self.at:%H:%M}"


@dataclass(frozen=True)
class Hourly:
    """Every hour at `minute` past."""

    minute: int = 0

    def slot(self, local: datetime) -> datetime:
        this_hour = local.replace(minute=self.minute, second=0, microsecond=0)
        return this_hour if local >= this_hour else this_hour - timedelta(hours=1)

    def __str__(self) -> str:
        return f"varje timme, {self.minute:02d} minuter över"


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path to a django.tasks Task that takes no arguments
    every: Daily | Hourly
    description: str = ""

    def slot(self, now: datetime) -> datetime:
        """The latest time the job was due by `now` (aware, in the local time zone)."""
        local = timezone.localtime(now, ZoneInfo(settings.TIME_ZONE))
        return self.every.slot(local)


JOBS: tuple[Job, ...] = (
    Job(
        name="kolada",
        task="tillit.measures.tasks.refresh_kolada_everywhere",
        every=Daily(time(3, 15)),
        description=(
            "Hämtar värdena för alla mått som följer Kolada, en uppgift per organisation."
        ),
    ),
    Job(
        name="reminders",
        task="tillit.calendars.tasks.send_reminders_everywhere",
        every=Daily(time(6, 30)),
        description="Skickar dagens påminnelser per e-post (docs/calendar.md).",
    ),
    Job(
        name="prune-task-results",
        task="tillit.core.tasks.prune_task_results",
        every=Daily(time(4, 45)),
        description="Tar bort bakgrundsuppgifternas resultat när de är en månad gamla.",
    ),
)


def jobs() -> dict[str, Job]:
    return {job.name: job for job in JOBS}


def enqueue_slot(job: Job, slot: datetime) -> ScheduledRun | None:
    """Record the slot and enqueue the job's task, unless the slot is recorded already
    (by an earlier run, or by another machine at this very moment): then None.

    The look-up first only spares the database a failing insert (and its log line) every
    few minutes; the unique constraint is what makes a slot enqueued once."""
    if _recorded(job, slot):
        return None
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: only the insert may meet the constraint
                run = ScheduledRun.objects.create(job=job.name, slot=slot)
        except IntegrityError:
            return None
        result = import_string(job.task).enqueue()
        run.task_id = str(result.id)[:64]
        run.save(update_fields=["task_id"])
    logger.info("Scheduled job %s enqueued for %s (task %s).", job.name, slot, run.task_id)
    return run


def _recorded(job: Job, slot: datetime) -> bool:
    return ScheduledRun.objects.filter(job=job.name, slot=slot).exists()


def run_due(
    *, now: datetime | None = None, registry: tuple[Job, ...] | None = None
) -> list[ScheduledRun]:
    """Enqueue every job whose current slot has not been enqueued yet; the runs recorded."""
    now = now or timezone.now()
    enqueued = []
    for job in JOBS if registry is None else registry:
        run = enqueue_slot(job, job.slot(now))
        if run is not None:
            enqueued.append(run)
    return enqueued


def last_runs(names: list[str]) -> dict[str, ScheduledRun]:
    """The latest recorded run of each named job."""
    latest: dict[str, ScheduledRun] = {}
    for name in names:
        run = ScheduledRun.objects.filter(job=name).order_by("-slot").first()
        if run is not None:
            latest[name] = run
    return latest
