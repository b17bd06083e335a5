"""The reports' pages: the list and the create form, the web preview with its workflow,
writing a section without losing anyone's text, and ordering files as render jobs.

The task backend of the tests is the immediate one: a job is done when the order
returns. Reports are of years and kinds the demo leaves alone (annual 2026)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.reports import services
from tillit.reports.choices import ReportKind, ReportState
from tillit.reports.models import RenderJob, Report, ReportSection, ReportSnapshot

pytestmark = pytest.mark.django_db

YEAR = 2026


def url(name: str, *args) -> str:
    return reverse(f"reports:{name}", args=args)


def html(response) -> str:
    return response.content.decode()


def section(report, key: str) -> ReportSection:
    return ReportSection.objects.get(report=report, key=key)


def approve(report, keeper, decision) -> Report:
    services.report_submit(report=report, user=keeper)
    return services.report_approve(report=report, decision=decision, user=keeper)


# --- the list and creating ------------------------------------------------------------------


def test_the_list_shows_the_reports_and_the_keeper_the_form(client_as, annual):
    response = client_as("strateg").get(url("index"))
    assert response.status_code == 200
    assert f'id="report-{annual.pk}"' in html(response)
    assert annual.get_absolute_url() in html(response)
    assert 'name="kind"' in html(response) and url("create") in html(response)


def test_the_list_counts_the_texts_left_to_write(client_as, annual, report_keeper):
    services.section_write(
        section=section(annual, "events"), text="Skrivet.", user=report_keeper, expected_version=1
    )
    reports = client_as("strateg").get(url("index")).context["reports"]
    mine = next(r for r in reports if r.pk == annual.pk)
    # economic_management, staff and expected_development: of the four only people write
    assert mine.to_write == 3


def test_the_list_does_not_grow_in_queries(client_as, make_report):
    client = client_as("strateg")
    make_report(ReportKind.ANNUAL, YEAR)
    client.get(url("index"))
    with CaptureQueriesContext(connection) as before:
        client.get(url("index"))
    for year in (2027, 2028, 2029):
        make_report(ReportKind.INTERIM, year)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url("index"))
    assert len(response.context["reports"]) >= 4
    assert len(after) <= len(before)


def test_others_read_the_list_without_the_form(client_as, annual):
    response = client_as("verksamhetschef").get(url("index"))
    assert response.status_code == 200
    assert f'id="report-{annual.pk}"' in html(response)
    assert 'name="kind"' not in html(response)


def test_the_keeper_creates_a_report(client_as, grastorp):
    response = client_as("strateg").post(
        url("create"), {"kind": "interim", "year": "2031", "through_month": "6"}
    )
    report = Report.objects.get(organisation=grastorp, kind="interim", year=2031)
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert report.through_month == 6 and report.state == ReportState.DRAFT
    assert report.sections.count() == 6


def test_an_annual_report_covers_the_year_whatever_month_is_chosen(client_as, grastorp):
    client_as("ekonom").post(
        url("create"), {"kind": "annual", "year": "2031", "through_month": "6"}
    )
    assert Report.objects.get(organisation=grastorp, kind="annual", year=2031).through_month == 12


def test_a_second_report_of_the_same_kind_and_year_is_refused_on_the_form(client_as, annual):
    response = client_as("strateg").post(
        url("create"), {"kind": "annual", "year": str(YEAR), "through_month": "8"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Report.objects.filter(organisation=annual.organisation, year=YEAR).count() == 1


def test_creating_is_the_keepers(client_as, grastorp):
    response = client_as("enhetschef").post(
        url("create"), {"kind": "interim", "year": "2031", "through_month": "8"}
    )
    assert response.status_code == 403
    assert not Report.objects.filter(organisation=grastorp, year=2031).exists()


# --- the preview ----------------------------------------------------------------------------


def test_the_preview_shows_the_report_its_sections_and_what_is_missing(client_as, annual):
    response = client_as("strateg").get(annual.get_absolute_url())
    assert response.status_code == 200
    page = html(response)
    assert 'id="report-section-events"' in page  # the document itself
    assert url("section", annual.pk, "events") in page  # a link to write it
    assert url("section_owner", annual.pk, "events") in page  # the keeper gives owners
    missing = response.context["checklist"]
    assert any(item["target"] and item["target"].key == "events" for item in missing)
    assert 'name="action" value="submit"' in page
    assert "snapshot-checksum" not in page


def test_a_reader_sees_neither_workflow_nor_write_links(client_as, annual):
    page = html(client_as("fortroendevald").get(annual.get_absolute_url()))
    assert 'id="report-section-events"' in page
    assert url("section", annual.pk, "events") not in page
    assert url("section_owner", annual.pk, "events") not in page
    assert url("transition", annual.pk) not in page
    assert url("render", annual.pk) in page  # everyone may render


def test_the_owner_sees_the_link_to_her_own_section_only(
    client_as, annual, report_keeper, personas
):
    services.section_assign(
        section=section(annual, "staff"),
        owner=personas["enhetschef"],
        user=report_keeper,
        expected_version=1,
    )
    page = html(client_as("enhetschef").get(annual.get_absolute_url()))
    assert url("section", annual.pk, "staff") in page
    assert url("section", annual.pk, "events") not in page


def test_a_frozen_report_shows_its_checksum_and_no_write_links(client_as, annual, ks):
    approved = approve(annual, annual.created_by, ks)
    snapshot = ReportSnapshot.objects.get(report=approved)
    response = client_as("strateg").get(approved.get_absolute_url())
    page = html(response)
    assert response.status_code == 200
    assert snapshot.checksum in page and 'id="snapshot-intact"' in page
    assert url("section", annual.pk, "events") not in page
    assert url("section_owner", annual.pk, "events") not in page
    assert response.context["content"] == snapshot.data
    assert 'name="action" value="present"' in page or 'id="present-form"' in page


def test_the_report_page_does_not_grow_in_queries(client_as, annual, report_keeper, personas):
    client = client_as("strateg")
    client.get(annual.get_absolute_url())  # warm up: the session, the content types
    with CaptureQueriesContext(connection) as before:
        client.get(annual.get_absolute_url())
    for key, persona in (("events", "ekonom"), ("staff", "verksamhetschef")):
        current = section(annual, key)
        services.section_assign(
            section=current, owner=personas[persona], user=report_keeper, expected_version=1
        )
        services.section_write(
            section=section(annual, key),
            text="Text.",
            user=personas[persona],
            expected_version=2,
        )
    for fmt in ("html", "html", "html"):
        RenderJob.objects.create(
            report=annual, format=fmt, status="done", output=b"<html></html>", size=13
        )
    with CaptureQueriesContext(connection) as after:
        response = client.get(annual.get_absolute_url())
    assert response.status_code == 200 and len(response.context["jobs"]) == 3
    assert len(after) <= len(before), [q["sql"] for q in after]


def test_another_municipalitys_person_does_not_find_the_report(annual):
    from django.test import Client

    from tillit.testing.matrix import person_of_another_municipality

    client = Client()
    client.force_login(person_of_another_municipality())
    assert client.get(annual.get_absolute_url()).status_code == 404
    assert client.get(url("section", annual.pk, "events")).status_code == 404


def test_an_unknown_section_is_not_found(client_as, annual):
    assert client_as("strateg").get(url("section", annual.pk, "nothing")).status_code == 404


# --- writing a section ----------------------------------------------------------------------


def test_the_keeper_writes_a_section(client_as, annual):
    client = client_as("strateg")
    form = client.get(url("section", annual.pk, "events"))
    assert form.status_code == 200
    assert 'name="version" value="1"' in html(form)
    response = client.post(
        url("section", annual.pk, "events"),
        {"version": "1", "text": "Nya Tengbergsskolan invigdes i augusti."},
    )
    assert response.status_code == 302
    assert response.url.endswith("#report-section-events")
    assert section(annual, "events").text == "Nya Tengbergsskolan invigdes i augusti."


def test_a_conflicting_text_is_shown_beside_the_saved_one(client_as, annual, personas):
    services.section_write(
        section=section(annual, "events"),
        text="Den andras text.",
        user=personas["ekonom"],
        expected_version=1,
    )
    client = client_as("strateg")
    target = url("section", annual.pk, "events")
    response = client.post(target, {"version": "1", "text": "Min text."})
    assert response.status_code == 409
    page = html(response)
    assert "Den andras text." in page and "Min text." in page
    assert 'name="version" value="2"' in page
    assert section(annual, "events").text == "Den andras text."
    # Saving the resubmitted form now is a choice, and it goes through.
    assert client.post(target, {"version": "2", "text": "Min text."}).status_code == 302
    assert section(annual, "events").text == "Min text."


def test_someone_without_the_section_may_not_write_it(client_as, annual):
    target = url("section", annual.pk, "events")
    assert client_as("medledare").get(target).status_code == 403
    assert client_as("medledare").post(target, {"version": "1", "text": "x"}).status_code == 403
    assert section(annual, "events").text == ""


def test_a_section_of_a_report_in_review_is_locked_and_the_text_kept(client_as, annual):
    services.report_submit(report=annual, user=annual.created_by)
    client = client_as("strateg")
    target = url("section", annual.pk, "events")
    shown = client.get(target)
    assert shown.status_code == 200 and shown.context["locked"]
    assert 'name="version"' not in html(shown)
    posted = client.post(target, {"version": "1", "text": "Skrivet för sent."})
    assert posted.status_code == 409
    assert "Skrivet för sent." in html(posted)  # to copy, not lost
    assert section(annual, "events").text == ""


def test_the_keeper_gives_a_section_its_owner(client_as, annual, personas):
    owner = personas["verksamhetschef"]
    response = client_as("ekonom").post(
        url("section_owner", annual.pk, "events"), {"version": "1", "owner": str(owner.pk)}
    )
    assert response.status_code == 302 and response.url.endswith("#sections")
    assert section(annual, "events").owner == owner
    # A form rendered before that change does not overwrite it.
    client_as("strateg").post(url("section_owner", annual.pk, "events"), {"version": "1"})
    assert section(annual, "events").owner == owner


def test_an_owner_of_another_municipality_is_not_a_choice(client_as, annual):
    from tillit.testing.matrix import person_of_another_municipality

    stranger = person_of_another_municipality()
    client_as("strateg").post(
        url("section_owner", annual.pk, "events"), {"version": "1", "owner": str(stranger.pk)}
    )
    assert section(annual, "events").owner is None


# --- the workflow ---------------------------------------------------------------------------


def test_the_keeper_takes_the_report_through_its_workflow(client_as, annual, ks, kf):
    client = client_as("strateg")
    target = url("transition", annual.pk)
    assert client.post(target, {"action": "submit"}).status_code == 302
    assert Report.objects.get(pk=annual.pk).state == ReportState.REVIEW

    preview = client.get(annual.get_absolute_url())
    assert preview.context["decisions"]["choices"] == [ks]  # the board's, not the council's
    assert 'id="decision-approve"' in html(preview)

    # The report still lacks texts and assessments: approving it is confirmed knowingly.
    assert 'id="despite-missing"' in html(preview)
    assert client.post(target, {"action": "approve", "decision": str(ks.pk)}).status_code == 302
    assert Report.objects.get(pk=annual.pk).state == ReportState.REVIEW
    assert not ReportSnapshot.objects.filter(report=annual).exists()
    confirmed = {"action": "approve", "decision": str(ks.pk), "despite_missing": "1"}
    assert client.post(target, confirmed).status_code == 302
    report = Report.objects.get(pk=annual.pk)
    assert report.state == ReportState.APPROVED and report.approval == ks
    assert ReportSnapshot.objects.get(report=report).is_intact

    assert client.post(target, {"action": "present", "decision": str(kf.pk)}).status_code == 302
    report = Report.objects.get(pk=annual.pk)
    assert report.state == ReportState.PRESENTED and report.presentation == kf


def test_a_report_is_returned_to_draft(client_as, annual):
    services.report_submit(report=annual, user=annual.created_by)
    client_as("ekonom").post(url("transition", annual.pk), {"action": "return"})
    assert Report.objects.get(pk=annual.pk).state == ReportState.DRAFT


def test_approval_without_a_decision_does_nothing(client_as, annual):
    services.report_submit(report=annual, user=annual.created_by)
    response = client_as("strateg").post(url("transition", annual.pk), {"action": "approve"})
    assert response.status_code == 302
    assert Report.objects.get(pk=annual.pk).state == ReportState.REVIEW
    assert not ReportSnapshot.objects.filter(report=annual).exists()


def test_the_council_does_not_approve(client_as, annual, kf):
    services.report_submit(report=annual, user=annual.created_by)
    client_as("strateg").post(
        url("transition", annual.pk),
        {"action": "approve", "decision": str(kf.pk), "despite_missing": "1"},
    )
    assert Report.objects.get(pk=annual.pk).state == ReportState.REVIEW


def test_a_transition_of_the_wrong_state_does_nothing(client_as, annual, ks):
    response = client_as("strateg").post(
        url("transition", annual.pk),
        {"action": "approve", "decision": str(ks.pk), "despite_missing": "1"},
    )
    assert response.status_code == 302
    assert Report.objects.get(pk=annual.pk).state == ReportState.DRAFT


def test_the_workflow_is_the_keepers(client_as, annual):
    response = client_as("verksamhetschef").post(url("transition", annual.pk), {"action": "submit"})
    assert response.status_code == 403
    assert Report.objects.get(pk=annual.pk).state == ReportState.DRAFT


# --- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "magic", "content_type"),
    [
        ("pdf", b"%PDF", "application/pdf"),
        ("docx", b"PK", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", b"PK", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_an_ordered_file_is_rendered_and_downloaded(client_as, annual, fmt, magic, content_type):
    client = client_as("enhetschef")  # anyone in the municipality may render
    response = client.post(url("render", annual.pk), {"format": fmt})
    job = RenderJob.objects.get(report=annual)
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.status == "done" and job.progress == 100 and job.size > 0
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    download = url("download", annual.pk, job.pk)
    assert download in html(page) and job.checksum in html(page)
    file = client.get(download)
    assert file.status_code == 200 and file.content.startswith(magic)
    assert file["Content-Type"] == content_type
    assert file["Content-Disposition"] == f'attachment; filename="arsredovisning-{YEAR}.{fmt}"'
    assert len(file.content) == job.size


def test_the_html_file_is_shown_in_the_browser(client_as, annual, grastorp):
    client = client_as("strateg")
    client.post(url("render", annual.pk), {"format": "html"})
    job = RenderJob.objects.get(report=annual)
    file = client.get(url("download", annual.pk, job.pk))
    assert file["Content-Disposition"].startswith("inline;")
    assert file["Content-Security-Policy"] == "sandbox"
    assert b"<html" in file.content and grastorp.name.encode() in file.content


def test_a_frozen_report_is_rendered_from_its_snapshot(client_as, annual, ks):
    approve(annual, annual.created_by, ks)
    ReportSection.objects.filter(report=annual, key="events").update(text="Ändrat i efterhand.")
    client = client_as("strateg")
    client.post(url("render", annual.pk), {"format": "html"})
    job = RenderJob.objects.get(report=annual)
    assert job.frozen
    assert "Ändrat i efterhand." not in bytes(job.output).decode()


def test_the_job_page_polls_until_the_job_is_finished(client_as, annual):
    running = RenderJob.objects.create(report=annual, format="pdf", status="running", progress=40)
    client = client_as("strateg")
    page = html(client.get(running.get_absolute_url()))
    assert 'hx-trigger="every 2s"' in page and 'value="40"' in page
    unchanged = client.get(
        running.get_absolute_url(), {"shown": "running-40"}, headers={"HX-Request": "true"}
    )
    assert unchanged.status_code == 204
    RenderJob.objects.filter(pk=running.pk).update(status="done", progress=100, output=b"%PDF-")
    changed = client.get(
        running.get_absolute_url(), {"shown": "running-40"}, headers={"HX-Request": "true"}
    )
    assert changed.status_code == 200
    assert "hx-trigger" not in html(changed) and 'hx-swap-oob="true"' in html(changed)
    assert url("download", annual.pk, running.pk) in html(changed)


def test_a_failed_job_says_so_and_has_no_file(client_as, annual):
    failed = RenderJob.objects.create(
        report=annual, format="pdf", status="failed", error="Renderingen stoppades."
    )
    client = client_as("strateg")
    page = client.get(failed.get_absolute_url())
    assert "Renderingen stoppades." in html(page) and "hx-trigger" not in html(page)
    assert client.get(url("download", annual.pk, failed.pk)).status_code == 404


def test_an_unknown_format_is_not_ordered(client_as, annual):
    response = client_as("strateg").post(url("render", annual.pk), {"format": "exe"})
    assert response.status_code == 302
    assert not RenderJob.objects.filter(report=annual).exists()


def test_a_job_of_another_report_is_not_found(client_as, annual, make_report):
    other = make_report(ReportKind.INTERIM, 2025)
    job = RenderJob.objects.create(report=other, format="pdf")
    assert client_as("strateg").get(url("job", annual.pk, job.pk)).status_code == 404


def test_the_document_is_rendered_at_once(client_as, annual):
    response = client_as("strateg").get(url("document", annual.pk, "html"))
    assert response.status_code == 200 and b"<html" in response.content
    assert client_as("strateg").get(url("document", annual.pk, "exe")).status_code == 404


# --- the admin ------------------------------------------------------------------------------


def test_the_admin_shows_reports_snapshots_and_jobs(client_as, annual, ks):
    approve(annual, annual.created_by, ks)
    job = RenderJob.objects.create(report=annual, format="pdf", status="done", output=b"%PDF")
    snapshot = ReportSnapshot.objects.get(report=annual)
    client = client_as("strateg")
    client.force_login(annual.created_by.__class__.objects.get(username="admin"))
    for name, pk in (
        ("reports_report", annual.pk),
        ("reports_reportsnapshot", snapshot.pk),
        ("reports_renderjob", job.pk),
    ):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:{name}_change", args=[pk])).status_code == 200
    assert client.get(reverse("admin:reports_reportsnapshot_add")).status_code == 403
    assert client.get(reverse("admin:reports_renderjob_add")).status_code == 403
