"""A frozen report's files on the portal: rendered once on the first visitor's request,
then served as the same bytes to everyone; while a worker renders, a page says so and no
second rendering is ordered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tillit.reports.choices import RenderStatus

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _jobs(report, fmt):
    from tillit.reports.models import RenderJob

    return RenderJob.objects.filter(report=report, format=fmt)


def test_the_first_request_renders_the_file_and_every_later_one_gets_the_same_bytes(
    client, approved_report
):
    url = reverse("portal:report_file", args=[approved_report.pk, "xlsx"])
    first = client.get(url)
    assert first.status_code == 200
    assert first["Content-Type"].startswith("application/vnd.openxmlformats")
    assert first["Content-Disposition"] == 'attachment; filename="arsredovisning-2025.xlsx"'
    assert first.content[:2] == b"PK"
    job = _jobs(approved_report, "xlsx").get()
    assert job.frozen and job.status == RenderStatus.DONE and job.created_by is None
    assert first["ETag"] == f'"{job.checksum}"'
    assert "public" in first["Cache-Control"] and not first.cookies

    again = client.get(url)
    assert again.content == first.content
    assert _jobs(approved_report, "xlsx").count() == 1

    unchanged = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and not unchanged.content
    assert unchanged["ETag"] == first["ETag"]


def test_the_html_file_opens_in_the_browser_sandboxed(client, approved_report):
    response = client.get(reverse("portal:report_file", args=[approved_report.pk, "html"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"<html" in response.content


def test_while_a_worker_renders_the_page_says_so_and_orders_no_second_rendering(
    client, approved_report, settings
):
    from tillit.reports.tasks import render_report_job

    settings.TASKS = DUMMY_TASKS  # keeps the task, runs nothing: a worker's queue
    url = reverse("portal:report_file", args=[approved_report.pk, "docx"])
    waiting = client.get(url)
    assert waiting.status_code == 202
    assert waiting["Retry-After"]
    assert "no-cache" in waiting["Cache-Control"]
    assert waiting.templates[0].name == "portal/report_preparing.html"
    assert f'href="{url}"' in waiting.content.decode()  # ask again, no script
    assert b"<script" not in waiting.content
    assert client.get(url).status_code == 202
    job = _jobs(approved_report, "docx").get()
    assert job.status == RenderStatus.QUEUED

    render_report_job.call(job_id=job.pk)  # the worker gets to it
    ready = client.get(url)
    assert ready.status_code == 200
    assert ready["Content-Disposition"] == 'attachment; filename="arsredovisning-2025.docx"'
    assert _jobs(approved_report, "docx").count() == 1


def test_a_rendering_that_cannot_start_is_not_retried_at_once(client, approved_report, monkeypatch):
    from tillit.reports import tasks

    class Unreachable:
        """A task whose queue cannot be reached."""

        def enqueue(self, **kwargs):
            raise RuntimeError("no queue")

    monkeypatch.setattr(tasks, "render_report_job", Unreachable())
    url = reverse("portal:report_file", args=[approved_report.pk, "xlsx"])
    failed = client.get(url)
    assert failed.status_code == 503
    assert failed["Retry-After"]
    assert _jobs(approved_report, "xlsx").get().status == RenderStatus.FAILED
    assert client.get(url).status_code == 503
    assert _jobs(approved_report, "xlsx").count() == 1  # not ordered again


def test_a_kept_file_is_served_without_rendering_again(client, approved_report):
    from tillit.reports.tasks import enqueue_render

    job = enqueue_render(report=approved_report, fmt="xlsx", user=None)
    assert job.status == RenderStatus.DONE
    response = client.get(reverse("portal:report_file", args=[approved_report.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["ETag"] == f'"{job.checksum}"'
    assert _jobs(approved_report, "xlsx").count() == 1


def test_report_file_refuses_post(client, approved_report):
    url = reverse("portal:report_file", args=[approved_report.pk, "xlsx"])
    assert client.post(url).status_code == 405
    assert not _jobs(approved_report, "xlsx").exists()
