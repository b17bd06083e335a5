"""The nightly Kolada refresh as tasks: the scheduler enqueues it, one task per organisation
refreshes, the log tells how it went. Kolada is the fake of test_import_kolada.py."""

from __future__ import annotations

import logging
import signal
from datetime import datetime
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tillit.core import scheduling
from tillit.core.models import ScheduledRun
from tillit.measures import tasks
from tillit.measures.models import MeasureValue
from tillit.measures.tests.test_import_kolada import Kolada, linked, stored
from tillit.measures.tests.test_kolada import LocalServer

NIGHT = datetime(2026, 11, 22, 3, 20, tzinfo=ZoneInfo("Europe/Stockholm"))
KOLADA_JOB = scheduling.jobs()["kolada"]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def kolada(settings):
    server = LocalServer()
    settings.KOLADA_BASE_URL = server.base_url + "/v3"
    yield Kolada(server)
    server.close()


@pytest.mark.django_db
def test_the_nightly_job_refreshes_the_kolada_measures_and_logs_it(
    grastorp, area, goal, kolada, caplog
):
    population = linked(grastorp, node=area, by_gender=True)
    sick_leave = linked(grastorp, kpi="N00090", node=goal, title="Sjukfrånvaro")
    caplog.set_level(logging.INFO, logger="tillit.measures.tasks")

    runs = scheduling.run_due(now=NIGHT, registry=(KOLADA_JOB,))

    assert [(run.job, run.slot) for run in runs] == [
        ("kolada", datetime(2026, 11, 22, 3, 15, tzinfo=ZoneInfo("Europe/Stockholm")))
    ]
    assert len(stored(population)) == 5
    assert stored(sick_leave) == {(2024, "T"): Decimal("7.25")}
    logged = caplog.text
    assert "Kolada, grastorp: Sjukfrånvaro (id " in logged
    assert "Importerat. Nya värden 1, ändrade 0, oförändrade 0." in logged
    assert "Kolada, grastorp: 2 av 2 mått uppdaterade, 0 misslyckades." in logged

    requests = len(kolada.requests)
    assert scheduling.run_due(now=NIGHT, registry=(KOLADA_JOB,)) == []  # the same night
    assert len(kolada.requests) == requests


@pytest.mark.django_db
def test_a_failing_refresh_is_logged_as_a_warning_and_changes_nothing(
    grastorp, area, kolada, caplog
):
    measure = linked(grastorp, node=area)
    MeasureValue.objects.create(measure=measure, year=2024, value=1)
    kolada.failing = True

    outcome = tasks.refresh_kolada.call(organisation_id=grastorp.pk)

    assert outcome == {
        "organisation": "grastorp",
        "measures": 1,
        "failed": 1,
        "created": 0,
        "updated": 0,
    }
    assert stored(measure) == {(2024, "T"): Decimal(1)}
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("Kolada svarade med ett serverfel (HTTP 500" in text for text in warnings)
    assert any("0 av 1 mått uppdaterade, 1 misslyckades" in text for text in warnings)


@pytest.mark.django_db
def test_nothing_from_kolada_means_no_refresh_task(grastorp, kolada):
    assert tasks.refresh_kolada_everywhere.call() == 0
    assert kolada.requests == []


@pytest.mark.django_db
def test_an_organisation_gone_before_its_task_ran_is_only_logged(caplog):
    assert tasks.refresh_kolada.call(organisation_id=987654)["measures"] == 0
    assert "987654 no longer exists" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_workers_run_the_nightly_job_one_task_per_organisation(
    grastorp, area, kolada, settings, monkeypatch
):
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr(scheduling, "JOBS", (KOLADA_JOB,))
    measure = linked(grastorp, node=area)

    call_command("run_schedule", stdout=StringIO())
    (run,) = ScheduledRun.objects.all()
    (nightly,) = DBTaskResult.objects.all()
    assert (run.job, run.task_id) == ("kolada", str(nightly.id))
    assert not stored(measure)  # waiting for a worker

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO())
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    results = {r.task_path.rsplit(".", 1)[1]: r for r in DBTaskResult.objects.all()}
    assert set(results) == {"refresh_kolada_everywhere", "refresh_kolada"}
    assert all(r.status == "SUCCESSFUL" for r in results.values())
    assert results["refresh_kolada"].args_kwargs["kwargs"] == {"organisation_id": grastorp.pk}
    assert results["refresh_kolada"].return_value["failed"] == 0
    assert len(stored(measure)) == 2  # 2023 and 2024, in total
