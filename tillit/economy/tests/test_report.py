"""The monthly report to kommunstyrelsen: the page and the PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from . import test_followup as data
from .conftest import YEAR

# The follow-up's figures (see test_followup's docstring), shared as fixtures.
budget = data.budget
clock = data.clock
ledger_data = data.ledger_data
make_forecast = data.make_forecast
FRAMES, M, _add_operation = data.FRAMES, data.M, data._add_operation

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "economy"


def report_url(month: int = 3, year: int = YEAR) -> str:
    return reverse("economy:report", args=[year, month])


def pdf_url(month: int = 3, year: int = YEAR) -> str:
    return reverse("economy:report_pdf", args=[year, month])


def title(month_name: str = "mars", year: int = YEAR) -> str:
    return gettext("Monthly report to the municipal board – %(month_label)s %(year)s") % {
        "month_label": month_name,
        "year": year,
    }


@pytest.fixture
def forecasts(make_forecast):
    make_forecast("Utbildning", 3, "130000", "Högre kostnader för skolskjutsar än väntat.")
    make_forecast("Vård och omsorg", 2, "236000", "Färre placeringar.", author="ekonom")


def test_the_report_page(client_as, ledger_data, clock, forecasts, grastorp):
    response = client_as("fortroendevald").get(report_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert title() in html
    assert grastorp.name in html
    assert f'href="{pdf_url()}"' in html
    # The verksamheter, the income statement, the comments of the forecasts.
    for name in FRAMES:
        assert name in html
    assert 'id="operations-table"' in html and 'id="statement-table"' in html
    assert "Högre kostnader för skolskjutsar än väntat." in html
    assert "Färre placeringar." in html
    # The summary: Utbildning forecasts a deficit (130 000 of 120 000); Vård och omsorg a
    # surplus; the others' forecasts from outcome equal their frames.
    assert response.context["deficits"] == 1
    assert response.context["operation_count"] == len(FRAMES)
    summary = response.context["summary"]
    # 18 000 + 450 000 − (130 000 + 236 000 + 60 000 + 30 000)
    assert summary.forecast == 11_200_000  # and the common items' 800, which have no frame
    assert "11\u00a0200" in html and "18\u00a0000" in html
    assert "130\u00a0000" in html and "−10\u00a0000" in html


def test_the_report_body_is_shared_with_the_print_version():
    body = (TEMPLATES / "_report_body.html").read_text()
    assert '{% include "economy/_report_goals.html" %}' in body
    for name in ("report.html", "report_print.html"):
        assert '{% include "economy/_report_body.html" %}' in (TEMPLATES / name).read_text()


def test_the_report_has_the_financial_goals_balanskrav_and_finance_policy(client_as, grastorp):
    """The demo's April 2026: the goals, and the liquidity limit breached at the end of
    April (it is back within the limit in August)."""
    response = client_as("fortroendevald").get(reverse("economy:report", args=[2026, 4]))
    html = response.content.decode()
    for heading in ("report-goals-heading", "report-balance-heading", "report-policy-heading"):
        assert f'id="{heading}"' in html
    assert "Soliditeten ska vara minst 35 procent." in html
    assert response.context["report_goals_breaches"] == 1
    august = client_as("fortroendevald").get(reverse("economy:report", args=[2026, 8]))
    assert august.context["report_goals_breaches"] == 0


@pytest.mark.parametrize("month", [0, 13])
def test_a_month_out_of_range_is_not_found(client_as, grastorp, month):
    assert client_as("ekonom").get(report_url(month)).status_code == 404
    assert client_as("ekonom").get(pdf_url(month)).status_code == 404


def test_anonymous_people_are_sent_to_log_in(client, grastorp):
    for url in (report_url(), pdf_url()):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_person_without_an_organisation_finds_no_report(client, grastorp, django_user_model):
    client.force_login(django_user_model.objects.create_user("utan", password="x"))
    assert client.get(report_url()).status_code == 404
    assert client.get(pdf_url()).status_code == 404


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(content)
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


def pdf_info(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout


def test_the_report_as_pdf(client_as, ledger_data, clock, forecasts, grastorp, tmp_path):
    response = client_as("ekonom").get(pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="manadsrapport-{YEAR}-03.pdf"'
    content = response.content
    assert content.startswith(b"%PDF-")
    text = pdf_text(content, tmp_path)
    assert title() in " ".join(text.split())
    assert "Grästorps kommun" in text  # å, ä and ö come through intact
    assert "Vård och omsorg" in text
    assert "Högre kostnader för skolskjutsar än väntat." in text
    assert "126\u00a0000" in text or "126 000" in text  # a figure formatted as on the page
    assert "−10\u00a0000" in text or "−10 000" in text  # with its real minus sign
    page_word = gettext("Page {page} of {pages}").split("{page}")[0]
    assert f"{page_word}1" in text
    info = pdf_info(content, tmp_path)
    assert "Tagged:          yes" in info
    assert "Pages:" in info


def test_the_pdf_of_an_empty_year(client_as, grastorp, tmp_path):
    response = client_as("ekonom").get(pdf_url(1, YEAR + 8))
    assert response.status_code == 200
    assert title("januari", YEAR + 8) in " ".join(pdf_text(response.content, tmp_path).split())


def test_the_report_makes_a_constant_number_of_queries(
    client_as, ledger_data, clock, grastorp, outcome, forecasts
):
    client = client_as("ekonom")
    client.get(report_url())
    with CaptureQueriesContext(connection) as small:
        client.get(report_url())
    for number in range(4):
        _add_operation(grastorp, f"Ny verksamhet {number}", ledger_data, outcome)
    with CaptureQueriesContext(connection) as large:
        response = client.get(report_url())
    assert response.context["operation_count"] == len(FRAMES) + 4
    assert len(large) == len(small)


def test_the_demo_years_follow_up_renders(client_as, grastorp):
    """Whatever the demo holds for 2025 and 2026, its pages answer (figures: tests above)."""
    client = client_as("ekonom")
    for year in (2025, 2026):
        page = client.get(reverse("economy:year", args=[year]))
        assert page.status_code == 200
        month = page.context["month"]
        assert client.get(report_url(month, year)).status_code == 200
        for row in page.context["rows"]:
            if row.unit is not None:
                url = reverse("economy:operation", args=[year, row.unit.pk])
                assert client.get(url).status_code == 200
