"""A report to the council in a real browser, every page checked with axe-core: the
strateg opens the årsredovisning from the menu, writes a section by keyboard, sends the
report to review, approves it with kommunstyrelsen's decision (which freezes it, with its
checksum) and orders a PDF, whose page shows it finished and lets her download it."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

YEAR = 2026
RENDER_TIMEOUT_MS = 60_000  # the PDF is rendered within the request (the immediate backend)
TEXT = "Nya Tengbergsskolan invigdes i augusti, och kommunen tog emot fler nyanlända."


@pytest.fixture
def report(grastorp, personas):
    """Grästorp's årsredovisning 2026, a draft (one the demo may have made is replaced)."""
    from tillit.reports.models import Report, ReportSnapshot
    from tillit.reports.services import report_create

    existing = Report.objects.filter(organisation=grastorp, kind="annual", year=YEAR)
    ReportSnapshot.objects.filter(report__in=existing).delete()
    existing.delete()
    return report_create(
        organisation=grastorp, kind="annual", year=YEAR, created_by=personas["strateg"]
    )


@pytest.fixture
def board_decision(grastorp):
    from tillit.core.models import Body, Decision

    return Decision.objects.create(
        organisation=grastorp,
        body=Body.objects.get(organisation=grastorp, abbreviation="KS"),
        date=date(YEAR + 1, 3, 25),
        paragraph="45",
        title=f"Årsredovisning {YEAR}",
    )


def test_the_strateg_writes_approves_and_renders_a_report(
    page, live_server, report, board_decision, login, visit, follow, axe_check
):
    from tillit.reports.models import RenderJob, ReportSection, ReportSnapshot

    login(page, live_server, "strateg")
    follow(page.locator(".site-nav").locator('a[href="/rapporter/"]'))
    expect(page.locator("a[aria-current=page]")).to_have_attribute("href", "/rapporter/")
    follow(page.locator(f"#report-{report.pk}").get_by_role("link"))
    expect(page.locator("#report-state")).to_have_text(gettext("Draft"))
    expect(page.locator("#report-section-events")).to_be_visible()  # the document itself

    # A section, by keyboard: its text, then Tab to the save button and Enter.
    follow(page.locator("#owner-events").get_by_role("link", name=gettext("Write")))
    expect(page.locator("#guidance")).to_be_visible()
    text = page.locator("#id_text")
    text.focus()
    page.keyboard.type(TEXT)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name=gettext("Save the text"))).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)
    assert ReportSection.objects.get(report=report, key="events").text == TEXT
    expect(page.locator(".report-section--events")).to_contain_text(TEXT)

    follow(page.get_by_role("button", name=gettext("Send to review")))
    expect(page.locator("#report-state")).to_have_text(gettext("In review"))

    page.get_by_label(gettext("Decision of the municipal executive board")).select_option(
        str(board_decision.pk)
    )
    page.locator("#despite-missing").check()  # it still lacks parts: approved knowingly
    follow(page.get_by_role("button", name=gettext("Approve and freeze")))
    snapshot = ReportSnapshot.objects.get(report=report)
    expect(page.locator("#snapshot-checksum")).to_have_text(snapshot.checksum)
    expect(page.locator(".report-section--events")).to_contain_text(TEXT)
    expect(page.locator("#owner-events").get_by_role("link", name=gettext("Write"))).to_have_count(
        0
    )

    # A PDF of the frozen report, as a job whose page says it is ready.
    with page.expect_navigation(timeout=RENDER_TIMEOUT_MS):
        page.locator("#render button[name=format][value=pdf]").click()
    axe_check(page)
    job = RenderJob.objects.get(report=report)
    assert job.status == "done" and job.frozen
    expect(page.locator("#job-checksum")).to_have_text(job.checksum)
    with page.expect_download() as download:
        page.locator("#job-download").click()
    assert download.value.suggested_filename == f"arsredovisning-{YEAR}.pdf"
    with open(download.value.path(), "rb") as file:
        assert file.read(4) == b"%PDF"
