"""A large import with the real database backend: the request enqueues, the worker runs.

`manage.py db_worker --batch` runs every task that is waiting and stops, so the test runs
the worker as production does (the same command), on SQLite and on PostgreSQL alike. The
test is transactional: the worker's claim on a task is a transaction of its own.
"""

from __future__ import annotations

import signal
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tillit.core.models import OrgUnit
from tillit.measures.models import ImportJob, ImportJobStatus, Measure, MeasureValue

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    settings.TILLIT_IMPORT_DIR = str(tmp_path / "uploads")
    settings.TILLIT_BACKGROUND_IMPORT_ROWS = 2


def run_worker() -> str:
    """`db_worker --batch`, as a timer or an operator would start it; the output."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    out = StringIO()
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=out)
    finally:
        for sig, handler in handlers.items():  # the worker installs its own
            signal.signal(sig, handler)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_large_import_enqueued_by_the_confirmation(
    grastorp, area, client_as, database_tasks
):
    from tillit.measures.tests.test_import_jobs import two_rows

    measure = Measure.objects.create(
        organisation=grastorp,
        node=area,
        title="Elever som läser varje dag",
        responsible_unit=OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6"),
    )
    client = client_as("enhetschef")
    response = client.post(reverse("measures:import"), {"file": two_rows(measure)})
    token = response.context["pending"].token
    url = client.post(reverse("measures:import_confirm"), {"token": token})["Location"]

    job = ImportJob.objects.get()
    task = DBTaskResult.objects.get()
    assert job.status == ImportJobStatus.QUEUED and job.task_id == str(task.id)
    assert task.task_path == "tillit.measures.tasks.import_file_job"
    assert not MeasureValue.objects.filter(measure=measure).exists()
    assert "hx-trigger" in client.get(url).content.decode()

    run_worker()

    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == ImportJobStatus.DONE, job.summary
    assert task.status == "SUCCESSFUL" and task.return_value == "done"
    assert dict(MeasureValue.objects.filter(measure=measure).values_list("period", "value")) == {
        1: Decimal("55.5"),
        2: Decimal(60),
    }
    page = client.get(url).content.decode()
    assert "Importerat. Nya värden 2, ändrade 0, oförändrade 0." in page
    assert reverse("measures:import_batch", args=[job.batch_id]) in page


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_task_failed_outside_the_import_shows_as_failed(
    grastorp, personas, client_as, database_tasks
):
    job = ImportJob.objects.create(
        organisation=grastorp,
        created_by=personas["enhetschef"],
        file_name="värden.csv",
        file_token="a" * 32,
        rows=2,
    )
    # A task the worker cannot even start: enqueued by an older version, with other arguments.
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {"job": job.pk}},
        task_path="tillit.measures.tasks.import_file_job",
        backend_name="default",
        run_after=None,  # as soon as possible
    )
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(task.id))

    run_worker()

    task.refresh_from_db()
    assert task.status == "FAILED"
    page = client_as("enhetschef").get(job.get_absolute_url()).content.decode()
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and job.summary in page
    assert "hx-trigger" not in page
