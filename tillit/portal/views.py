"""The public portal (insyn): what the municipality wants to achieve and how it is going,
for everyone, without logging in.

Every row comes through the allow-list (`public.py`, and `selectors.py` built on it). The
views never read the session or the user, so that every visitor gets the same answer:
each page says so (`Cache-Control: public`) with an ETag of its body, and answers a
repeated request with 304 Not Modified.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tillit.calendars.selectors import year_months
from tillit.core.models import Organisation
from tillit.economy.fields import MONTH_NAMES
from tillit.measures.charts import Chart, Point, Series, data_table, project_trend, render_svg
from tillit.measures.choices import Gender, MeasureKind, Source
from tillit.measures.selectors import series_points
from tillit.reports.choices import OutputFormat, RenderStatus
from tillit.reports.models import RenderJob, Report, ReportSnapshot
from tillit.reports.tasks import enqueue_render, expire_stale, kept_bytes, kept_file, running_jobs

from . import public, selectors

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300  # how long a browser or proxy may keep a page without asking again
FILE_CACHE_SECONDS = 86_400  # a frozen report's file never changes
PREPARING_RETRY_SECONDS = 5  # when the "being prepared" page suggests asking again
FAILED_RETRY_AFTER = timedelta(minutes=10)  # a failed rendering is not retried sooner
FIRST_YEAR, LAST_YEAR = 1900, 2999  # the calendar's years
FORMATS = (OutputFormat.PDF, OutputFormat.DOCX, OutputFormat.XLSX, OutputFormat.HTML)


# ------------------------------------------------------------------------------- helpers


def cacheable(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Mark a successful answer as the same for everyone, with an ETag; 304 when the
    visitor already has it."""
    if response.status_code != 200 or response.streaming:
        return response
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    if not response.has_header("ETag"):
        set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A portal page: GET and HEAD only, cacheable by anyone (see `cacheable`)."""

    @require_safe
    @wraps(view)
    def page(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return cacheable(request, view(request, *args, **kwargs))

    return page


def _organisation() -> Organisation:
    organisation = selectors.portal_organisation()
    if organisation is None:
        raise Http404(_("No municipality has been set up yet."))
    return organisation


def _render(
    request: HttpRequest,
    organisation: Organisation,
    template: str,
    context: dict,
    *,
    status: int = 200,
) -> HttpResponse:
    # The portal's organisation, never the visitor's (the context processor's).
    return render(
        request,
        f"portal/{template}",
        {"organisation": organisation, **context},
        status=status,
    )


def source_text(measure, organisation: Organisation) -> str:
    """Where a measure's values come from, as the public page cites it."""
    if measure.source == Source.KOLADA:
        return _("Kolada (key figure %(kpi)s)") % {"kpi": measure.kolada_kpi}
    if measure.source == Source.SCB:
        if measure.scb_table:
            return _("Statistics Sweden, SCB (table %(table)s)") % {"table": measure.scb_table}
        return _("Statistics Sweden, SCB")
    return organisation.name


def measure_chart(row: selectors.MeasureRow, *, full: bool, end_year: int | None = None):
    """The chart of a measure's values (and targets), with its data table; None for a
    qualitative measure or one without values. `full` adds women, men and the trend."""
    measure = row.measure
    if measure.kind != MeasureKind.QUANTITATIVE:
        return None
    actual = series_points(row.values)
    series = [Series(name=_("Outcome"), points=actual, style="actual")]
    if full and measure.by_gender:
        for gender, name in ((Gender.WOMEN, _("Women")), (Gender.MEN, _("Men"))):
            points = series_points(row.values, gender=gender)
            if points:
                series.append(Series(name=name, points=points, style="actual"))
    if not any(s.points for s in series):
        return None
    targets = [
        Point(label=str(t.plan.year), x=float(t.plan.year), value=t.target)
        for t in row.targets
        if t.target is not None
    ]
    if targets:
        series.append(Series(name=_("Target"), points=targets, style="target"))
    if full and end_year is not None:
        projection = project_trend(
            actual, float(end_year), name=_("Trend to %(year)s") % {"year": end_year}
        )
        if projection is not None:
            series.append(projection)
    chart = Chart(title=measure.title, unit=measure.unit, series=series, decimals=measure.decimals)
    prefix = f"measure-{measure.pk}-chart"
    return {
        "id": prefix,
        "svg": mark_safe(render_svg(chart, id_prefix=prefix)),  # render_svg escapes its text
        "table": data_table(chart),
    }


def value_table(row: selectors.MeasureRow) -> list[dict]:
    """Every public value of the measure, one row per period (latest first), with the
    total and, for a measure by gender, women and men."""
    periods: dict[tuple, dict] = {}
    for value in row.values:
        key = (value.year, value.period_kind, value.period)
        entry = periods.setdefault(
            key, {"label": value.period_label, "recency": selectors.recency(value), "cells": {}}
        )
        entry["cells"][value.gender] = value
    genders = [Gender.TOTAL, Gender.WOMEN, Gender.MEN] if row.measure.by_gender else [Gender.TOTAL]
    rows = sorted(periods.values(), key=lambda e: e["recency"], reverse=True)
    return [
        {"label": entry["label"], "values": [entry["cells"].get(g) for g in genders]}
        for entry in rows
    ]


def _goal_crumb(node) -> dict:
    if node.level.key == selectors.GOAL_LEVEL_KEY:
        return {"label": node.label, "url": reverse("portal:goal", args=[node.pk])}
    return {"label": node.label, "url": reverse("portal:home") + f"#node-{node.pk}"}


def months_label(report: Report) -> str:
    """ "januari–augusti 2026": the months a report covers."""
    return f"{MONTH_NAMES[0]}–{MONTH_NAMES[report.through_month - 1]} {report.year}"


def _formats(report: Report) -> list[dict]:
    return [
        {
            "format": fmt.value,
            "label": fmt.label,
            "url": reverse("portal:report_file", args=[report.pk, fmt.value]),
            "name": f"{report.file_stem}.{fmt.value}",
        }
        for fmt in FORMATS
    ]


_TABLE = re.compile(r"<table\b[^>]*>\s*<caption\b[^>]*>(.*?)</caption>", re.S)


def scrollable_tables(body: str) -> str:
    """Each captioned table of a report's body in a region of its own that scrolls
    sideways on a narrow screen (and can be scrolled by keyboard)."""

    def wrap(match: re.Match) -> str:
        name = html.escape(html.unescape(strip_tags(match.group(1))).strip(), quote=True)
        return (
            f'<div class="portal-scroll" role="region" tabindex="0" aria-label="{name}">'
            + match.group(0)
        )

    wrapped, count = _TABLE.subn(wrap, body)
    if count != wrapped.count("<table"):  # a table without caption: leave all as they are
        return body
    return wrapped.replace("</table>", "</table></div>")


# --------------------------------------------------------------------------------- pages


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The organisation, its vision and mission, the goals with how they are going."""
    organisation = _organisation()
    tree = selectors.public_plan(organisation)
    goals = selectors.tree_goals(tree) if tree else []
    assessments = public.latest_public_assessments(goals)
    for goal in goals:
        goal.public_assessment = assessments.get(goal.pk)
    statements = tree.statements if tree else []
    return _render(
        request,
        organisation,
        "home.html",
        {
            "tree": tree,
            "vision": statements[0] if statements else None,
            "statements": statements[1:],
            "principles": list(public.public_principles(organisation)),
        },
    )


@public_page
def goal(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation()
    node = selectors.goal_or_none(organisation, pk)
    if node is None:
        raise Http404
    assessments = selectors.goal_assessments(organisation, node)
    rows = selectors.measure_rows(
        organisation, selectors.goal_measures(organisation, node), today=timezone.localdate()
    )
    for row in rows:
        row.chart = measure_chart(row, full=False)
    return _render(
        request,
        organisation,
        "goal.html",
        {
            "goal": node,
            "crumbs": [
                {"label": parent.label, "url": reverse("portal:home") + f"#node-{parent.pk}"}
                for parent in selectors.goal_path(node)
            ],
            "sdgs": list(node.sdgs.all()),
            "latest": assessments[0] if assessments else None,
            "earlier": assessments[1:],
            "rows": rows,
            "activities": selectors.goal_activities(organisation, node),
        },
    )


@public_page
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation()
    found = selectors.measure_or_none(organisation, pk)
    if found is None:
        raise Http404
    row = selectors.measure_rows(
        organisation,
        public.public_measures(organisation).filter(pk=found.pk),
        today=timezone.localdate(),
    )[0]
    row.measure = found  # with its goal and document, loaded above
    goal_node = found.node
    return _render(
        request,
        organisation,
        "measure.html",
        {
            "measure": found,
            "goal": goal_node,
            "crumbs": [_goal_crumb(goal_node)],
            "row": row,
            "source": source_text(found, organisation),
            "chart": measure_chart(row, full=True, end_year=goal_node.document.end_year),
            "values": value_table(row),
            "genders": [Gender.TOTAL, Gender.WOMEN, Gender.MEN]
            if found.by_gender
            else [Gender.TOTAL],
        },
    )


@public_page
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation()
    found = selectors.activity_or_none(organisation, pk)
    if found is None:
        raise Http404
    return _render(
        request,
        organisation,
        "activity.html",
        {
            "activity": found,
            "crumbs": [],
            "nodes": selectors.activity_goals(organisation, found),
            "principles": selectors.activity_principles(organisation, found),
        },
    )


@public_page
def principles(request: HttpRequest) -> HttpResponse:
    organisation = _organisation()
    return _render(
        request,
        organisation,
        "principles.html",
        {"principles": selectors.principles_with_commitments(organisation)},
    )


@public_page
def reports(request: HttpRequest) -> HttpResponse:
    organisation = _organisation()
    found = selectors.reports(organisation)
    for report in found:
        report.months_label = months_label(report)
        report.formats = _formats(report)
    return _render(request, organisation, "reports.html", {"reports": found})


@public_page
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The frozen report to read on the web, as kommunstyrelsen approved it."""
    from tillit.reports.render.html import document_context

    organisation = _organisation()
    found = selectors.report_or_none(organisation, pk)
    if found is None:
        raise Http404
    snapshot = ReportSnapshot.objects.filter(report=found).first()
    if snapshot is None:  # frozen without its snapshot: nothing to show as approved
        raise Http404
    content = selectors.without_people({**snapshot.data, "checksum": snapshot.checksum})
    body = render_to_string(
        "reports/document/_body.html", {**document_context(content), "missing": None}
    )
    return _render(
        request,
        organisation,
        "report.html",
        {
            "report": found,
            "months_label": months_label(found),
            "snapshot": snapshot,
            "formats": _formats(found),
            "document": mark_safe(scrollable_tables(body)),  # the reports' own template
        },
    )


def _file_response(job: RenderJob, data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=OutputFormat(job.format).content_type)
    if job.format == OutputFormat.HTML:
        # Shown in the browser, but as a document of its own: no scripts, its own origin.
        response["Content-Disposition"] = f'inline; filename="{name}"'
        response["Content-Security-Policy"] = "sandbox"
    else:
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = f'"{job.checksum}"'
    patch_cache_control(response, public=True, max_age=FILE_CACHE_SECONDS)
    return response


def _prepare(report: Report, fmt: str) -> RenderJob | None:
    """The rendering of the report's file under way (or one that failed a moment ago), or
    a new one. One at a time per report: the report's row is locked while deciding."""
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=report.pk).first()
        expire_stale(report)
        busy = running_jobs(report).filter(format=fmt).defer("output").first()
        if busy is not None:
            return busy
        failed = (
            RenderJob.objects.defer("output")
            .filter(
                report=report,
                format=fmt,
                status=RenderStatus.FAILED,
                finished_at__gte=timezone.now() - FAILED_RETRY_AFTER,
            )
            .order_by("-finished_at")
            .first()
        )
        if failed is not None:
            return failed
        try:
            return enqueue_render(report=report, fmt=fmt, user=None)
        except Exception:  # the task queue could not take it: the page says so
            logger.exception("Could not start rendering report %s to %s", report.pk, fmt)
            return None


@require_safe
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """A frozen report's file, the same bytes every time. The first visitor to ask for a
    format has it rendered (at once with the immediate task backend; by a worker
    otherwise, while the page says it is being prepared)."""
    if fmt not in OutputFormat.values:
        raise Http404
    organisation = _organisation()
    found = selectors.report_or_none(organisation, pk)
    if found is None or not found.is_frozen:
        raise Http404
    kept = kept_file(found, fmt)
    if kept is None:
        job = _prepare(found, fmt)
        kept = kept_file(found, fmt)
    if kept is not None:
        not_modified = get_conditional_response(request, etag=f'"{kept.checksum}"')
        if not_modified is not None:
            not_modified["ETag"] = f'"{kept.checksum}"'
            patch_cache_control(not_modified, public=True, max_age=FILE_CACHE_SECONDS)
            return not_modified
        job, data = kept_bytes(found, fmt)
        job.report = found
        return _file_response(job, data, f"{found.file_stem}.{fmt}")
    failed = job is None or job.status == RenderStatus.FAILED
    response = _render(
        request,
        organisation,
        "report_preparing.html",
        {
            "report": found,
            "format": OutputFormat(fmt),
            "failed": failed,
            "retry_minutes": int(FAILED_RETRY_AFTER.total_seconds() // 60),
        },
        status=503 if failed else 202,
    )
    response["Retry-After"] = str(
        int(FAILED_RETRY_AFTER.total_seconds()) if failed else PREPARING_RETRY_SECONDS
    )
    patch_cache_control(response, no_cache=True)
    return response


@public_page
def calendar(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The årshjul: the year's public events and public meetings, month by month."""
    organisation = _organisation()
    this_year = timezone.localdate().year
    year = this_year if year is None else year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    months = year_months(organisation, year, staff=False)
    uids = [entry.uid for month in months for entry in month.entries]
    goals = selectors.meeting_goals(organisation, uids)
    shown = [
        {
            "month": month,
            "entries": [
                {
                    "entry": entry,
                    "goals": goals.get(entry.uid, []),
                    # A meeting's notes are the committee's; its date, place and goals are public.
                    "description": "" if entry.uid.startswith("meeting-") else entry.description,
                }
                for entry in month.entries
            ],
        }
        for month in months
    ]
    return _render(
        request,
        organisation,
        "calendar.html",
        {
            "year": year,
            "this_year": this_year,
            "months": shown,
            "count": len(uids),
            "previous": year - 1 if year > FIRST_YEAR else None,
            "next": year + 1 if year < LAST_YEAR else None,
            "feed_url": reverse("calendars:feed_public"),
        },
    )
