"""The scheduler: when a job is due, and that each slot is enqueued once, however often
and on however many machines `run_schedule` runs."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

from tillit.core import scheduling
from tillit.core.models import ScheduledRun
from tillit.core.scheduling import Daily, Hourly, Job, run_due

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ticks: list[str] = []


@task()
def tick() -> str:
    """A task for these tests: counts its runs."""
    ticks.append("tick")
    return "tick"


NIGHTLY = Job(name="test-nightly", task=f"{__name__}.tick", every=Daily(time(3, 15)))
HOURLY = Job(name="test-hourly", task=f"{__name__}.tick", every=Hourly(minute=5))


def at(text: str) -> datetime:
    """A moment in Stockholm's local time: "2026-11-22 03:15"."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=STOCKHOLM)


@pytest.fixture(autouse=True)
def no_ticks():
    ticks.clear()


# --- slots ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "slot"),
    [
        ("2026-11-22 03:14", "2026-11-21 03:15"),
        ("2026-11-22 03:15", "2026-11-22 03:15"),
        ("2026-11-22 23:59", "2026-11-22 03:15"),
        ("2026-03-29 04:00", "2026-03-29 03:15"),  # the night summer time begins
    ],
)
def test_a_daily_jobs_slot_is_the_last_time_it_was_due(now, slot):
    assert NIGHTLY.slot(at(now)) == at(slot)


def test_the_slot_is_taken_in_local_time_whatever_the_clock_says():
    utc = datetime(2026, 11, 22, 2, 15, tzinfo=ZoneInfo("UTC"))  # 03:15 in Stockholm
    assert NIGHTLY.slot(utc) == at("2026-11-22 03:15")


@pytest.mark.parametrize(
    ("now", "slot"),
    [("2026-11-22 10:04", "2026-11-22 09:05"), ("2026-11-22 10:05", "2026-11-22 10:05")],
)
def test_an_hourly_jobs_slot(now, slot):
    assert HOURLY.slot(at(now)) == at(slot)


# --- due or not ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_job_is_due_once_per_slot():
    assert [run.job for run in run_due(now=at("2026-11-22 03:20"), registry=(NIGHTLY,))] == [
        "test-nightly"
    ]
    assert ticks == ["tick"]  # the immediate backend ran it at once

    assert run_due(now=at("2026-11-22 03:25"), registry=(NIGHTLY,)) == []  # the same slot
    assert run_due(now=at("2026-11-23 03:14"), registry=(NIGHTLY,)) == []  # not due yet
    assert len(run_due(now=at("2026-11-23 03:15"), registry=(NIGHTLY,))) == 1  # due again

    assert ticks == ["tick", "tick"]
    assert list(ScheduledRun.objects.values_list("job", "slot").order_by("slot")) == [
        ("test-nightly", at("2026-11-22 03:15")),
        ("test-nightly", at("2026-11-23 03:15")),
    ]


@pytest.mark.django_db
def test_a_missed_slot_is_caught_up_once_but_older_ones_are_not():
    # Nothing ran for three days; at 10:00 only today's 03:15 is enqueued.
    runs = run_due(now=at("2026-11-22 10:00"), registry=(NIGHTLY,))
    assert [run.slot for run in runs] == [at("2026-11-22 03:15")]


@pytest.mark.django_db
def test_the_run_records_the_task_it_enqueued(settings):
    settings.TASKS = DATABASE_TASKS
    from django_tasks_db.models import DBTaskResult

    (run,) = run_due(now=at("2026-11-22 03:20"), registry=(NIGHTLY,))

    task_result = DBTaskResult.objects.get()
    assert run.task_id == str(task_result.id)
    assert task_result.task_path == f"{__name__}.tick"
    assert ticks == []  # waiting for a worker


@pytest.mark.django_db
def test_a_slot_is_not_recorded_when_its_task_cannot_be_enqueued(settings):
    broken = Job(name="test-broken", task=f"{__name__}.tick", every=Daily(time(3, 15)))
    settings.TASKS = {"default": {**DATABASE_TASKS["default"], "QUEUES": ["other"]}}
    with pytest.raises(Exception, match="Queue 'default' is not valid"):
        run_due(now=at("2026-11-22 03:20"), registry=(broken,))
    assert not ScheduledRun.objects.exists()  # due again at the next run


@pytest.mark.django_db
def test_the_unique_constraint_decides_not_the_look_up(monkeypatch):
    """Another machine records the slot between this one's look-up and its insert."""
    ScheduledRun.objects.create(job=NIGHTLY.name, slot=at("2026-11-22 03:15"))
    monkeypatch.setattr(scheduling, "_recorded", lambda job, slot: False)

    assert run_due(now=at("2026-11-22 03:20"), registry=(NIGHTLY,)) == []
    assert ticks == [] and ScheduledRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_machines_at_the_same_moment_enqueue_the_slot_once(settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("several machines share PostgreSQL; SQLite serves one machine")
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr(scheduling, "_recorded", lambda job, slot: False)  # both insert
    from django_tasks_db.models import DBTaskResult

    start = threading.Barrier(2)
    enqueued: list[int] = []
    errors: list[BaseException] = []

    def machine() -> None:
        try:
            start.wait(timeout=10)
            enqueued.append(len(run_due(now=at("2026-11-22 03:20"), registry=(NIGHTLY,))))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    machines = [threading.Thread(target=machine) for _ in range(2)]
    for thread in machines:
        thread.start()
    for thread in machines:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(enqueued) == [0, 1]
    assert ScheduledRun.objects.count() == 1 and DBTaskResult.objects.count() == 1


# --- the registry and the command ----------------------------------------------------------


def test_every_registered_job_names_a_task_that_takes_no_arguments():
    for job in scheduling.JOBS:
        found = import_string(job.task)
        assert isinstance(found, Task), job.name
        assert found.func.__code__.co_argcount == 0, job.name


@pytest.mark.django_db
def test_run_schedule_enqueues_the_due_jobs_and_lists_them(monkeypatch):
    monkeypatch.setattr(scheduling, "JOBS", (NIGHTLY, HOURLY))
    out = StringIO()
    call_command("run_schedule", "--list", stdout=out)
    assert out.getvalue().splitlines()[0] == (
        "test-nightly: dagligen 03:15; aldrig i kön, står på tur."
    )
    assert not ScheduledRun.objects.exists()  # --list only lists

    out = StringIO()
    call_command("run_schedule", stdout=out)
    assert [line.split(":")[0] for line in out.getvalue().splitlines()[:2]] == [
        "test-nightly",
        "test-hourly",
    ]
    assert ticks == ["tick", "tick"]

    out = StringIO()
    call_command("run_schedule", "--list", stdout=out)
    first = out.getvalue().splitlines()[0]
    assert first.startswith("test-nightly: dagligen 03:15; senast ")
    assert "står på tur" not in first


@pytest.mark.django_db
def test_finished_task_results_are_pruned_after_a_month(settings):
    from django_tasks_db.models import DBTaskResult

    from tillit.core.tasks import prune_task_results

    assert prune_task_results.call() == 0  # the immediate backend keeps nothing
    settings.TASKS = DATABASE_TASKS
    old, recent, waiting = (tick.enqueue() for _ in range(3))
    DBTaskResult.objects.filter(id__in=[old.id, recent.id]).update(status="SUCCESSFUL")
    DBTaskResult.objects.filter(id=old.id).update(finished_at=timezone.now() - timedelta(days=31))
    DBTaskResult.objects.filter(id=recent.id).update(finished_at=timezone.now())

    assert prune_task_results.call() == 1
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {
        uuid.UUID(recent.id),
        uuid.UUID(waiting.id),
    }
