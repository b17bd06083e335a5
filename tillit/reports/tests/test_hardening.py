"""What a report must withstand: being un-frozen behind the services' back, people's text
that is not plain (formulas, control characters), decisions out of order, renderings
that never finish, and files piling up."""

from __future__ import annotations

import io
from datetime import date, timedelta

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.reports import services
from tillit.reports.choices import RenderStatus, ReportKind, ReportState
from tillit.reports.models import RenderJob, Report, ReportSection
from tillit.reports.render import render, xml_safe
from tillit.reports.tasks import KEEP_DRAFT_FILES, enqueue_render, expire_stale
from tillit.reports.tests.sample import sample_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(annual, report_keeper, ks):
    report = services.report_submit(report=annual, user=report_keeper)
    return services.report_approve(report=report, decision=ks, user=report_keeper)


def test_a_frozen_report_cannot_be_saved_back_into_a_draft(approved):
    stale = Report.objects.get(pk=approved.pk)
    stale.state, stale.approval = ReportState.DRAFT, None  # as the admin's "revert" would
    with pytest.raises(ValidationError):
        stale.save()
    assert Report.objects.get(pk=approved.pk).state == ReportState.APPROVED


def test_the_admin_offers_no_revert_to_an_older_version(settings):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


def test_decisions_must_come_after_the_period_and_in_order(
    make_report, report_keeper, report_decision
):
    report = services.report_submit(
        report=make_report(ReportKind.INTERIM, 2026, through_month=8), user=report_keeper
    )
    too_early = report_decision("KS", date(2026, 8, 31), "90")
    with pytest.raises(ValidationError, match="approval"):
        services.report_approve(report=report, decision=too_early, user=report_keeper)
    report = services.report_approve(
        report=report, decision=report_decision("KS", date(2026, 10, 7), "91"), user=report_keeper
    )
    before_the_board = report_decision("KF", date(2026, 10, 1), "92")
    with pytest.raises(ValidationError, match="presentation"):
        services.report_present(report=report, decision=before_the_board, user=report_keeper)


def test_a_text_pasted_from_word_is_stored_and_rendered_without_control_characters(
    make_report, report_keeper
):
    report = make_report(ReportKind.ANNUAL, 2026)
    section = ReportSection.objects.get(report=report, key="events")
    section = services.section_write(
        section=section,
        text="Första raden\x0bandra raden\x07 och ett ljud\n",
        user=report_keeper,
        expected_version=section.version,
    )
    assert section.text == "Första raden\nandra raden och ett ljud"

    content = sample_content("annual")
    content["sections"][0]["text"] = "Klistrat ur Word\x0bmed\x01 styrtecken"
    document = docx.Document(io.BytesIO(render(content, "docx")))
    assert "Klistrat ur Word" in "\n".join(p.text for p in document.paragraphs)
    assert xml_safe({"a": ["x\x0cy"]}) == {"a": ["xy"]}


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook():
    content = sample_content("annual")
    goal = content["plan"]["perspectives"][0]["focus_areas"][0]["goals"][0]
    goal["measures"][0]["title"] = '=HYPERLINK("http://example.org","Klicka")'
    content["economy"]["operations"][0]["comment"] = "=1+1"
    workbook = openpyxl.load_workbook(io.BytesIO(render(content, "xlsx")))
    formulas = [
        cell.coordinate
        for sheet in workbook
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas == []
    texts = {cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row}
    assert '=HYPERLINK("http://example.org","Klicka")' in texts


def test_a_frozen_report_keeps_its_first_file_of_each_format(approved, report_keeper):
    first = enqueue_render(report=approved, fmt="xlsx", user=report_keeper)
    again = enqueue_render(report=approved, fmt="xlsx", user=report_keeper)
    assert first.frozen and first.status == RenderStatus.DONE
    assert again.pk == first.pk
    assert RenderJob.objects.filter(report=approved, format="xlsx").count() == 1


def test_a_draft_keeps_only_its_latest_files(make_report, report_keeper):
    report = make_report(ReportKind.ANNUAL, 2026)
    jobs = [
        enqueue_render(report=report, fmt="html", user=report_keeper)
        for _ in range(KEEP_DRAFT_FILES + 2)
    ]
    kept = set(RenderJob.objects.filter(report=report).values_list("pk", flat=True))
    assert kept == {job.pk for job in jobs[-KEEP_DRAFT_FILES:]}


def test_a_rendering_that_never_finishes_is_failed_after_the_timeout(
    make_report, report_keeper, settings
):
    report = make_report(ReportKind.ANNUAL, 2026)
    stuck = RenderJob.objects.create(report=report, format="pdf", status=RenderStatus.RUNNING)
    fresh = RenderJob.objects.create(report=report, format="pdf", status=RenderStatus.QUEUED)
    RenderJob.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.TILLIT_RENDER_TIMEOUT_MINUTES + 1)
    )
    expire_stale(report)
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == RenderStatus.FAILED and stuck.error
    assert fresh.status == RenderStatus.QUEUED


def test_the_interim_forecast_total_counts_every_verksamhet(make_report):
    from decimal import Decimal

    from tillit.reports.compose import compose

    economy = compose(make_report(ReportKind.INTERIM, 2026, through_month=8))["economy"]
    rows = economy["operations"]
    assert all(row["forecast"] is not None for row in rows if row["frame"] is not None)
    total = sum(Decimal(row["forecast"]) for row in rows if row["forecast"] is not None)
    assert Decimal(economy["operations_total"]["forecast"]) == total


def test_only_decisions_after_the_report_months_are_offered(
    make_report, report_keeper, report_decision
):
    from tillit.reports.forms import decision_choices

    report = make_report(ReportKind.INTERIM, 2026, through_month=8)
    in_the_period = report_decision("KS", date(2026, 6, 10), "60")
    after = report_decision("KS", date(2026, 10, 7), "91")
    assert list(decision_choices(report, "approve")) == [after]
    assert in_the_period not in decision_choices(report, "approve")


# --- the same, the way a person meets it: through the pages ---------------------------------


def test_a_frozen_report_gives_its_kept_file_on_every_order(client_as, approved):
    from django.urls import reverse

    client = client_as("verksamhetschef")
    order = reverse("reports:render", args=[approved.pk])
    first = client.post(order, {"format": "xlsx"})
    again = client.post(order, {"format": "xlsx"})
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]  # the same rendering, not a new one
    job = RenderJob.objects.get(report=approved, format="xlsx")
    direct = client.get(reverse("reports:document", args=[approved.pk, "xlsx"]))
    assert direct.content == bytes(job.output)


def test_a_file_is_only_downloaded_under_its_own_report(
    client_as, approved, make_report, report_keeper
):
    from django.urls import reverse

    job = enqueue_render(report=approved, fmt="html", user=report_keeper)
    other = make_report(ReportKind.INTERIM, 2026, through_month=8)
    client = client_as("strateg")
    assert client.get(reverse("reports:download", args=[approved.pk, job.pk])).status_code == 200
    assert client.get(reverse("reports:download", args=[other.pk, job.pk])).status_code == 404


def test_the_page_of_a_stuck_rendering_says_it_failed(client_as, make_report, settings):
    from django.urls import reverse

    report = make_report(ReportKind.ANNUAL, 2026)
    stuck = RenderJob.objects.create(report=report, format="pdf", status=RenderStatus.RUNNING)
    RenderJob.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.TILLIT_RENDER_TIMEOUT_MINUTES + 1)
    )
    page = client_as("enhetschef").get(reverse("reports:job", args=[report.pk, stuck.pk]))
    assert page.status_code == 200
    assert page.context["job"].status == RenderStatus.FAILED
    assert 'hx-trigger="every' not in page.content.decode()  # it stops asking
