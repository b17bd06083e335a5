"""Large file imports run as a task: the job, its page, who sees it, and its file.

The tests set TILLIT_BACKGROUND_IMPORT_ROWS low, so that a file of a few rows counts as
large. With the immediate backend (the tests' default) the task has run by the time the
confirmation redirects; the dummy backend keeps it queued; `test_import_worker.py` runs
it with the database backend and its worker.
"""

from __future__ import annotations

import os
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tillit.core.models import OrgUnit, User
from tillit.measures import tasks, uploads
from tillit.measures.models import ImportBatch, ImportJob, ImportJobStatus, Measure, MeasureValue

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.TILLIT_IMPORT_DIR = str(tmp_path / "uploads")
    settings.TILLIT_BACKGROUND_IMPORT_ROWS = 2
    return tmp_path / "uploads"


@pytest.fixture
def school_measure(grastorp, area):
    return Measure.objects.create(
        organisation=grastorp,
        node=area,
        title="Elever som läser varje dag",
        unit="%",
        responsible_unit=OrgUnit.objects.get(organisation=grastorp, name="Tengbergsskolan F–6"),
    )


def upload(lines: list[str], name: str = "värden.csv") -> SimpleUploadedFile:
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")
    return SimpleUploadedFile(name, data, content_type="text/csv")


def two_rows(measure: Measure) -> SimpleUploadedFile:
    return upload(
        ["mått_id;år;period;värde", f"{measure.pk};2025;T1;55,5", f"{measure.pk};2025;T2;60"]
    )


def values_of(measure) -> dict[int, Decimal | None]:
    return dict(MeasureValue.objects.filter(measure=measure).values_list("period", "value"))


def preview(client: Client, file: SimpleUploadedFile) -> str:
    """Upload the file and return the token of the preview."""
    response = client.post(reverse("measures:import"), {"file": file})
    assert response.status_code == 200
    return response.context["pending"].token


def label(status: ImportJobStatus) -> str:
    with translation.override("sv"):
        return str(status.label)


# --- through the job -----------------------------------------------------------------------


def test_a_large_file_is_imported_by_a_job_whose_page_links_to_the_import(
    client_as, personas, school_measure, upload_dir
):
    client = client_as("enhetschef")
    response = client.post(reverse("measures:import"), {"file": two_rows(school_measure)})
    assert response.context["background"] is True
    token = response.context["pending"].token

    response = client.post(reverse("measures:import_confirm"), {"token": token})

    job = ImportJob.objects.get(created_by=personas["enhetschef"])
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:import_job", args=[job.pk])
    assert job.status == ImportJobStatus.DONE
    assert (job.file_name, job.rows, job.error_count, job.errors) == ("värden.csv", 2, 0, [])
    assert job.started_at is not None and job.finished_at is not None and job.task_id
    assert values_of(school_measure) == {1: Decimal("55.5"), 2: Decimal(60)}
    assert job.batch == ImportBatch.objects.get(created_by=personas["enhetschef"])
    assert list(upload_dir.iterdir()) == []  # the file is gone after the import

    page = client.get(response["Location"]).content.decode()
    assert "<h1>Import av värden.csv</h1>" in page
    assert "Importerat. Nya värden 2, ändrade 0, oförändrade 0." in page
    assert reverse("measures:import_batch", args=[job.batch.pk]) in page
    assert label(ImportJobStatus.DONE) in page
    assert "hx-trigger" not in page  # nothing more to follow


def test_a_small_file_is_still_imported_inside_the_request(client_as, school_measure, settings):
    settings.TILLIT_BACKGROUND_IMPORT_ROWS = 3
    client = client_as("enhetschef")
    token = preview(client, two_rows(school_measure))

    response = client.post(reverse("measures:import_confirm"), {"token": token})

    batch = ImportBatch.objects.get(description="värden.csv")
    assert response["Location"] == reverse("measures:import_batch", args=[batch.pk])
    assert not ImportJob.objects.exists()


def test_an_import_that_fails_in_the_task_changes_nothing_and_shows_the_errors(
    client_as, grastorp, school_measure, upload_dir
):
    client = client_as("enhetschef")
    token = preview(client, two_rows(school_measure))
    # Between the preview and the import the measure moves to another unit.
    school_measure.responsible_unit = OrgUnit.objects.get(organisation=grastorp, name="Hemtjänsten")
    school_measure.save()

    response = client.post(reverse("measures:import_confirm"), {"token": token})

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert job.summary == "Inget importerades: filen har 1 fel."
    assert job.errors == [
        {
            "row": 2,
            "column": "mått_id",
            "text": "Rader 2–3: du får inte lägga in värden för ”Elever som läser varje dag”.",
        }
    ]
    assert job.batch is None and not MeasureValue.objects.filter(measure=school_measure).exists()
    assert list(upload_dir.iterdir()) == []

    page = client.get(response["Location"]).content.decode()
    assert "värden.csv kan inte importeras" in page
    assert "Inget importerades: filen har 1 fel." in page
    assert "Rader 2–3: du får inte lägga in värden för ”Elever som läser varje dag”." in page
    assert label(ImportJobStatus.FAILED) in page


def test_an_exception_in_the_task_fails_the_job_with_a_message_in_swedish(
    client_as, school_measure, upload_dir, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(tasks, "import_file", broken)
    client = client_as("enhetschef")
    token = preview(client, two_rows(school_measure))

    response = client.post(reverse("measures:import_confirm"), {"token": token})

    job = ImportJob.objects.get()
    with translation.override("sv"):
        stopped = str(tasks.STOPPED)
    assert (job.status, job.summary, job.batch) == (ImportJobStatus.FAILED, stopped, None)
    assert not MeasureValue.objects.filter(measure=school_measure).exists()
    assert list(upload_dir.iterdir()) == []
    assert stopped in client.get(response["Location"]).content.decode()


def test_a_job_whose_file_is_gone_fails_instead_of_running_forever(
    client_as, personas, grastorp, settings
):
    settings.TASKS = DUMMY_TASKS
    job = ImportJob.objects.create(
        organisation=grastorp,
        created_by=personas["enhetschef"],
        file_name="borta.csv",
        file_token="c" * 32,
        rows=10,
    )

    assert tasks.import_file_job.call(job_id=job.pk) == ImportJobStatus.FAILED

    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and job.summary
    assert tasks.import_file_job.call(job_id=job.pk) == "skipped"  # a job runs once


# --- following a job that waits ----------------------------------------------------------


def test_the_page_of_a_waiting_job_polls_until_the_status_changes(
    client_as, personas, school_measure, settings
):
    settings.TASKS = DUMMY_TASKS  # keeps the task, runs nothing
    client = client_as("enhetschef")
    token = preview(client, two_rows(school_measure))
    url = client.post(reverse("measures:import_confirm"), {"token": token})["Location"]
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.QUEUED

    page = client.get(url).content.decode()
    assert '<div role="status">' in page
    assert f'hx-get="{url}?shown=queued"' in page and 'hx-trigger="every 2s"' in page
    assert f'<a href="{url}">' in page  # without JavaScript: a plain reload link
    assert label(ImportJobStatus.QUEUED) in page
    unchanged = client.get(url, {"shown": "queued"}, headers={"HX-Request": "true"})
    assert unchanged.status_code == 204  # nothing to swap

    tasks.import_file_job.call(job_id=job.pk)  # a worker runs it

    response = client.get(url, {"shown": "queued"}, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert response.status_code == 200 and "<h1>" not in fragment
    assert "hx-trigger" not in fragment  # the polling stops
    assert "Importerat. Nya värden 2, ändrade 0, oförändrade 0." in fragment
    job.refresh_from_db()
    assert 'id="job-outcome" hx-swap-oob="true"' in fragment
    assert reverse("measures:import_batch", args=[job.batch.pk]) in fragment
    assert "HX-Request" in response["Vary"]


def test_the_import_page_lists_the_persons_jobs_under_way(client_as, personas, grastorp):
    job = ImportJob.objects.create(
        organisation=grastorp,
        created_by=personas["enhetschef"],
        file_name="stor.xlsx",
        file_token="d" * 32,
        rows=80_000,
    )
    page = client_as("enhetschef").get(reverse("measures:import")).content.decode()
    assert f'<a href="{job.get_absolute_url()}">stor.xlsx</a>' in page
    assert (
        job.get_absolute_url()
        not in client_as("strateg").get(reverse("measures:import")).content.decode()
    )


# --- who sees a job ------------------------------------------------------------------------


@pytest.fixture
def job(grastorp, personas):
    return ImportJob.objects.create(
        organisation=grastorp,
        created_by=personas["enhetschef"],
        file_name="värden.csv",
        file_token="e" * 32,
        status=ImportJobStatus.DONE,
        summary="Importerat. Nya värden 1, ändrade 0, oförändrade 0.",
    )


def test_only_the_person_who_started_a_job_sees_it(client_as, job):
    url = reverse("measures:import_job", args=[job.pk])
    assert client_as("enhetschef").get(url).status_code == 200
    for other in ("strateg", "medledare", "outsider", "fortroendevald"):
        assert client_as(other).get(url).status_code == 404, other


def test_anonymous_visitors_are_sent_to_log_in_to_see_a_job(client_as, job):
    response = client_as("anonymous").get(reverse("measures:import_job", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_person_outside_every_organisation_may_not_see_a_job(job):
    client = Client()
    client.force_login(User.objects.create_user("utan-kommun"))
    assert client.get(reverse("measures:import_job", args=[job.pk])).status_code == 403


def test_the_uploader_no_longer_sees_the_job_after_leaving_the_organisation(
    client_as, personas, job
):
    client = client_as("enhetschef")
    User.objects.filter(pk=personas["enhetschef"].pk).update(organisation=None)
    assert client.get(reverse("measures:import_job", args=[job.pk])).status_code == 403


# --- the file a job waits for --------------------------------------------------------------


def test_the_sweep_leaves_a_waiting_jobs_file_alone(client_as, job, school_measure, upload_dir):
    upload_dir.mkdir(exist_ok=True)
    waiting = ImportJob.objects.create(
        organisation=job.organisation,
        created_by=job.created_by,
        file_name="stor.csv",
        file_token="f" * 32,
    )
    waited_for, leftover = uploads.job_file(waiting.file_token), uploads.job_file(job.file_token)
    for path in (waited_for, leftover):
        path.write_bytes(b"x")
        a_day_ago = time.time() - 24 * 3600
        os.utime(path, (a_day_ago, a_day_ago))

    preview(client_as("enhetschef"), two_rows(school_measure))  # an upload sweeps

    assert waited_for.exists()  # its job still waits, however long
    assert not leftover.exists()  # its job is done


def test_a_preview_confirmed_twice_at_once_makes_one_job(grastorp, personas, upload_dir):
    upload_dir.mkdir(exist_ok=True)
    source = upload_dir / ("b" * 32)
    source.write_bytes(b"x")
    arguments = {
        "source": source,
        "name": "värden.csv",
        "rows": 2,
        "organisation": grastorp,
        "user": personas["enhetschef"],
    }
    first = tasks.enqueue_file_import(**arguments)
    assert tasks.enqueue_file_import(**arguments) is None  # the file is the first job's
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [first.pk]
