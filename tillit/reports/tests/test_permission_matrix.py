"""The reports' permission matrix: every persona against every view of tillit/reports.

The words of tillit/testing/matrix.py:

    ✓      allowed: the page answers and shows Grästorp's report, or the POST redirects
           and its effect is in the database
    –      answered, but without it (another municipality's person sees her own, empty,
           list; a section of a report in review is shown locked, without its form)
    403    refused
    404    not found: it is not in the person's municipality
    login  an anonymous visitor is sent to the login page

The scene is Grästorp's årsredovisning 2026, a draft, created by the strateg (a keeper:
plan administrator), whose section "events" is owned by the enhetschef; and a finished
rendering of it. Beside the demo personas, `ekonom` (Karin Lund, the economist) keeps the
reports too. `admin` is a superuser, to whom Django grants every permission.
"""

# ruff: noqa: E501  (the matrix is a table: one row per action, one column per persona)
from __future__ import annotations

import pytest
from django.urls import reverse

from tillit.reports import rules as report_rules  # noqa: F401  (the rules are registered)
from tillit.reports import services
from tillit.reports.choices import ReportKind, ReportState
from tillit.reports.models import RenderJob, Report, ReportSection
from tillit.reports.urls import urlpatterns
from tillit.testing.matrix import (
    NO,
    WITH_ECONOMIST,
    YES,
    cells,
    check_cell,
    make_browser,
    make_user,
    registry,
    rendered,
    row_of,
    text,
    view_names,
)

pytestmark = pytest.mark.django_db

PERSONAS = WITH_ECONOMIST
row = row_of(PERSONAS)
TEXT = "Nya Tengbergsskolan invigdes i augusti."


# fmt: off
MATRIX: dict[str, dict[str, str]] = {
    #                          anon     förtr  strateg ekonom vchef  echef  medl   outs   admin  annan
    # reading and rendering: everyone in the municipality
    "index":               row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "report":              row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "render":              row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "job":                 row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "download":            row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "document":            row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    # writing a section: its owner (the enhetschef) and the keepers, while it is a draft
    "section_form":        row("login", "403", "✓",   "✓",   "403", "✓",   "403", "403", "✓",   "404"),
    "section_write":       row("login", "403", "✓",   "✓",   "403", "✓",   "403", "403", "✓",   "404"),
    "section_in_review":   row("login", "403", "–",   "–",   "403", "–",   "403", "403", "–",   "404"),
    # keeping the reports: the plan administrator and the economist
    "create":              row("login", "403", "✓",   "✓",   "403", "403", "403", "403", "✓",   "–"),
    "section_owner":       row("login", "403", "✓",   "✓",   "403", "403", "403", "403", "✓",   "404"),
    "transition":          row("login", "403", "✓",   "✓",   "403", "403", "403", "403", "✓",   "404"),
}
# fmt: on

ACTIONS, action = registry()


class Scene:
    def __init__(self, report: Report, job: RenderJob, owner):
        self.report = report
        self.job = job
        self.owner = owner


def url(name: str, *args) -> str:
    return reverse(f"reports:{name}", args=args)


def events(scene: Scene) -> ReportSection:
    return ReportSection.objects.get(report=scene.report, key="events")


# --- reading and rendering ---------------------------------------------------------------------


@action("reports:index")
def index(client, s):
    response = client.get(url("index"))
    return response, rendered(response, "reports/index.html") and (
        f'id="report-{s.report.pk}"' in text(response)
    )


@action("reports:report")
def report(client, s):
    response = client.get(s.report.get_absolute_url())
    return response, rendered(response, "reports/report.html") and (
        'id="report-section-events"' in text(response)
    )


@action("reports:render", success=302)
def render(client, s):
    response = client.post(url("render", s.report.pk), {"format": "html"})
    made = RenderJob.objects.filter(report=s.report, format="html").first()
    return response, made is not None and made.status == "done" and made.size > 0


@action("reports:job")
def job(client, s):
    response = client.get(s.job.get_absolute_url())
    return response, rendered(response, "reports/job.html") and s.job.checksum in text(response)


@action("reports:download")
def download(client, s):
    response = client.get(url("download", s.report.pk, s.job.pk))
    return response, response.status_code == 200 and response.content.startswith(b"%PDF")


@action("reports:document")
def document(client, s):
    response = client.get(url("document", s.report.pk, "html"))
    return response, response.status_code == 200 and b'id="report-section-events"' in (
        response.content
    )


# --- writing a section -------------------------------------------------------------------------


@action("reports:section")
def section_form(client, s):
    response = client.get(url("section", s.report.pk, "events"))
    return response, rendered(response, "reports/section.html") and 'name="version"' in text(
        response
    )


@action("reports:section", success=302)
def section_write(client, s):
    response = client.post(
        url("section", s.report.pk, "events"), {"version": events(s).version, "text": TEXT}
    )
    return response, events(s).text == TEXT


@action("reports:section")
def section_in_review(client, s):
    Report.objects.filter(pk=s.report.pk).update(state=ReportState.REVIEW)
    response = client.get(url("section", s.report.pk, "events"))
    return response, rendered(response, "reports/section.html") and 'name="version"' in text(
        response
    )


# --- keeping the reports -----------------------------------------------------------------------


@action("reports:create", success=302)
def create(client, s):
    response = client.post(url("create"), {"kind": "interim", "year": "2031", "through_month": "8"})
    return response, Report.objects.filter(
        organisation=s.report.organisation, kind="interim", year=2031
    ).exists()


@action("reports:section_owner", success=302)
def section_owner(client, s):
    response = client.post(
        url("section_owner", s.report.pk, "events"), {"version": events(s).version, "owner": ""}
    )
    return response, events(s).owner is None


@action("reports:transition", success=302)
def transition(client, s):
    response = client.post(url("transition", s.report.pk), {"action": "submit"})
    return response, Report.objects.get(pk=s.report.pk).state == ReportState.REVIEW


# --- the tests ---------------------------------------------------------------------------------


@pytest.fixture
def scene(make_report, report_keeper, personas):
    report = make_report(ReportKind.ANNUAL, 2026)
    owner = personas["enhetschef"]
    services.section_assign(
        section=ReportSection.objects.get(report=report, key="events"),
        owner=owner,
        user=report_keeper,
        expected_version=1,
    )
    pdf = b"%PDF-1.7 a rendering"
    job = RenderJob.objects.create(
        report=report,
        format="pdf",
        status="done",
        progress=100,
        output=pdf,
        size=len(pdf),
        checksum="a" * 64,
        created_by=report_keeper,
    )
    return Scene(report, job, owner)


@pytest.mark.parametrize(("name", "persona"), cells(MATRIX, ACTIONS, PERSONAS))
def test_matrix(scene, personas, name, persona):
    browser = make_browser(personas)
    check_cell(ACTIONS[name], browser(persona), scene, MATRIX[name][persona])


def test_every_view_of_the_reports_is_in_the_matrix():
    covered = {a.view for a in ACTIONS.values()}
    assert view_names("reports", urlpatterns) - covered == set()


# --- the rules themselves ------------------------------------------------------------------------

# fmt: off
RULES: dict[str, dict[str, str]] = {
    #                          anon  förtr strat ekonom vchef echef medl  outs  admin annan
    "view":                row("✗",  "✓",  "✓",  "✓",  "✓",  "✓",  "✓",  "✓",  "✓",  "✗"),
    "manage":              row("✗",  "✗",  "✓",  "✓",  "✗",  "✗",  "✗",  "✗",  "✓",  "✗"),
    "edit_owned_section":  row("✗",  "✗",  "✓",  "✓",  "✗",  "✓",  "✗",  "✗",  "✓",  "✗"),
    "edit_unowned_section": row("✗", "✗",  "✓",  "✓",  "✗",  "✗",  "✗",  "✗",  "✓",  "✗"),
    "edit_section_in_review": row("✗", "✗", "✗", "✗",  "✗",  "✗",  "✗",  "✗",  "✓",  "✗"),
}
# fmt: on


def rule_question(name: str, scene: Scene):
    if name == "edit_section_in_review":
        Report.objects.filter(pk=scene.report.pk).update(state=ReportState.REVIEW)
        scene.report.refresh_from_db()
    sections = {s.key: s for s in ReportSection.objects.filter(report=scene.report)}
    for section in sections.values():
        section.report = scene.report
    return {
        "view": ("reports.view", scene.report),
        "manage": ("reports.manage", scene.report),
        "edit_owned_section": ("reports.edit_section", sections["events"]),
        "edit_unowned_section": ("reports.edit_section", sections["staff"]),
        "edit_section_in_review": ("reports.edit_section", sections["events"]),
    }[name]


@pytest.mark.parametrize(
    ("name", "persona"), [pytest.param(n, p, id=f"{n}-{p}") for n in RULES for p in PERSONAS]
)
def test_rule(scene, personas, name, persona):
    permission, obj = rule_question(name, scene)
    granted = make_user(personas, persona).has_perm(permission, obj)
    assert (YES if granted else NO) == RULES[name][persona]
