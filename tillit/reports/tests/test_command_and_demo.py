"""`manage.py render_report` and the demo reports.

The command renders what the web renders: a report kommunstyrelsen approved comes from its
frozen snapshot, byte for byte the same as the job's file, however the data changes later.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tillit.core.models import Body, Decision
from tillit.followup.demo import load_followup_demo
from tillit.reports import services
from tillit.reports.choices import ReportKind, ReportState
from tillit.reports.demo import load_report_demo
from tillit.reports.models import Report, ReportSnapshot
from tillit.reports.tasks import enqueue_render

pytestmark = pytest.mark.django_db


def _decision(grastorp, abbreviation: str, day: date, paragraph: str):
    return Decision.objects.create(
        organisation=grastorp,
        body=Body.objects.get(organisation=grastorp, abbreviation=abbreviation),
        date=day,
        paragraph=paragraph,
        title="Årsredovisning",
    )


def _run(tmp_path, *args: str) -> tuple[bytes, str]:
    output = tmp_path / "out"
    err = io.StringIO()
    call_command("render_report", *args, "--output", str(output), stderr=err)
    return output.read_bytes(), err.getvalue()


def test_a_report_not_created_yet_is_composed_as_a_draft(grastorp, tmp_path):
    data, log = _run(tmp_path, "--kind", "delarsrapport", "--year", "2026", "--format", "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames  # a real workbook
    assert "utkast" in log and "SHA-256 " + hashlib.sha256(data).hexdigest() in log
    assert not Report.objects.filter(organisation=grastorp).exists()  # nothing saved


def test_an_approved_report_renders_from_its_snapshot_byte_for_byte(grastorp, personas, tmp_path):
    strateg = personas["strateg"]
    report = services.report_create(
        organisation=grastorp, kind=ReportKind.ANNUAL, year=2025, created_by=strateg
    )
    report = services.report_submit(report=report, user=strateg)
    report = services.report_approve(
        report=report, decision=_decision(grastorp, "KS", date(2026, 4, 8), "47"), user=strateg
    )
    assert report.state == ReportState.APPROVED

    first, log = _run(tmp_path, "--kind", "arsredovisning", "--year", "2025", "--format", "docx")
    assert "låst version" in log
    assert zipfile.ZipFile(io.BytesIO(first)).testzip() is None

    # The data changes after the approval: the frozen report does not.
    goal = report.snapshot.data["plan"]["perspectives"][0]["focus_areas"][0]["goals"][0]
    from tillit.planning.models import PlanNode

    PlanNode.objects.filter(pk=goal["id"]).update(title="En helt ny titel")
    again, _ = _run(tmp_path, "--kind", "arsredovisning", "--year", "2025", "--format", "docx")
    assert again == first
    job = enqueue_render(report=report, fmt="docx", user=strateg)
    assert bytes(job.output) == first and job.checksum == hashlib.sha256(first).hexdigest()


def test_the_command_refuses_what_it_cannot_do(grastorp, personas, tmp_path):
    with pytest.raises(CommandError, match="ingen organisation"):
        _run(
            tmp_path,
            "--kind",
            "arsredovisning",
            "--year",
            "2025",
            "--format",
            "pdf",
            "--organisation",
            "ingenstans",
        )
    services.report_create(
        organisation=grastorp,
        kind=ReportKind.INTERIM,
        year=2025,
        through_month=6,
        created_by=personas["strateg"],
    )
    with pytest.raises(CommandError, match="månad 6"):
        _run(
            tmp_path,
            "--kind",
            "delarsrapport",
            "--year",
            "2025",
            "--format",
            "html",
            "--through-month",
            "8",
        )
    with pytest.raises(CommandError, match="går inte att skriva"):
        call_command(
            "render_report",
            "--kind",
            "delarsrapport",
            "--year",
            "2025",
            "--format",
            "html",
            "--output",
            str(tmp_path / "saknas" / "fil.html"),
            stderr=io.StringIO(),
        )


def test_the_demo_has_an_adopted_annual_report_and_an_interim_report_in_the_writing(
    grastorp, personas
):
    load_followup_demo(grastorp)
    reports = load_report_demo(grastorp, personas)
    annual, interim = reports
    assert annual.state == ReportState.PRESENTED
    assert annual.approval.body.abbreviation == "KS"
    assert annual.presentation.body.abbreviation == "KF"
    snapshot = ReportSnapshot.objects.get(report=annual)
    assert snapshot.is_intact
    data = snapshot.data
    goals = [g for p in data["plan"]["perspectives"] for f in p["focus_areas"] for g in f["goals"]]
    assert len(goals) == 10 and all(g["assessment"] for g in goals)
    assert not [m for m in data["missing"] if "Mål" in m["message"]]
    texts = {s["key"]: s["text"] for s in data["sections"]}
    assert "742 tillsvidareanställda" in texts["staff"]
    assert data["economy"]["has_outcome"]

    assert interim.state == ReportState.DRAFT and interim.through_month == 8
    content = services.content_of(interim)
    assert content["missing"]  # sections unwritten, goals unassessed
    assert set(load_report_demo(grastorp, personas)) == {annual, interim}  # loads once
    assert Report.objects.filter(organisation=grastorp).count() == 2
