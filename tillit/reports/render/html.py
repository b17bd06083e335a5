"""A composed report as HTML: the web preview's body and the standalone document.

`document_context(content)` turns the content into what the templates show: every figure
formatted in Swedish, every heading with its id and level, every chart drawn. The web
preview includes `reports/document/_body.html` with it inside the site's page; the
standalone document (`render_html`, also the PDF's source) wraps the same body in a cover
and a print stylesheet. Nothing here reads the database or the clock.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tillit.core.choices import Fulfilment
from tillit.measures.charts import Chart, Point, Series, data_table, render_svg
from tillit.measures.choices import MeasureStatus

from .. import formatting as fmt
from ..content import (
    EconomyContent,
    GoalContent,
    MeasureContent,
    OperationRow,
    ReportContent,
    SectionContent,
)

LANGUAGE = "sv"
FROZEN_STATES = ("approved", "presented")
# The parts of the content that fill a section of the förvaltningsberättelse (SectionContent.data)
ECONOMY_PARTS = ("economy", "balance_requirement", "five_year")


def colour_of_fulfilment(value: str) -> str:
    try:
        return Fulfilment(value).colour
    except ValueError:
        return "grey"


def colour_of_measure(value: str) -> str:
    try:
        return MeasureStatus(value).colour
    except ValueError:
        return "grey"


def fulfilment_label(value: str) -> str:
    """A qualitative grade (Fulfilment value) in words; "" when there is none."""
    try:
        return str(Fulfilment(value).label) if value else ""
    except ValueError:
        return value


def heading_text(label: str, title: str) -> str:
    """ "Fokusområde 1: Bo och leva"; a label that already holds the title stands alone."""
    label, title = (label or "").strip(), (title or "").strip()
    if label and title and title not in label:
        return f"{label}: {title}"
    return label or title


def is_draft(content: ReportContent) -> bool:
    return content.get("state") not in FROZEN_STATES


def through_text(content: ReportContent) -> str:
    """ "januari–augusti 2026", or the month and year when the content lacks a label."""
    return content.get("period_label") or (
        f"{fmt.month_name(content.get('through_month'))} {content.get('year', '')}".strip()
    )


# -- the plan and the goals -----------------------------------------------------------------


def _assessment(data: dict | None) -> dict | None:
    if not data:
        return None
    return {
        "colour": colour_of_fulfilment(data.get("status", "")),
        "label": data.get("status_label") or fulfilment_label(data.get("status", "")),
        "analysis": fmt.paragraphs(data.get("analysis")),
        "next_steps": fmt.paragraphs(data.get("next_steps")),
        "approved_by": data.get("approved_by", ""),
        "approved_at": fmt.date(data.get("approved_at")),
        "unit": data.get("unit", ""),
        "operation": data.get("operation", ""),
    }


def measure_chart(measure: MeasureContent, year: int) -> Chart | None:
    """The measure's yearly values as a chart with its target, or None without values."""
    points = [
        Point(str(point["year"]), float(point["year"]), fmt.decimal(point["value"]))
        for point in measure.get("series", [])
    ]
    if not any(point.value is not None for point in points):
        return None
    series = [Series(name=_("Outcome"), points=points, style="actual")]
    target = fmt.decimal(measure.get("target"))
    if target is not None:
        series.append(Series(_("Target"), [Point(str(year), float(year), target)], "target"))
    return Chart(
        title=measure["title"],
        unit=measure.get("unit", ""),
        series=series,
        decimals=measure.get("decimals"),
    )


def _measure_row(measure: MeasureContent, goal_id: int, year: int) -> dict:
    decimals = measure.get("decimals")
    baseline = fmt.number(measure.get("baseline_value"), decimals)
    if measure.get("baseline_value") is not None and measure.get("baseline_year"):
        baseline = f"{baseline} ({measure['baseline_year']})"
    target = fmt.number(measure.get("target"), decimals)
    if measure.get("target") is None and measure.get("target_grade"):
        target = fulfilment_label(measure["target_grade"])
    latest = fmt.number(measure.get("latest_value"), decimals)
    if measure.get("latest_value") is None and measure.get("latest_grade"):
        latest = fulfilment_label(measure["latest_grade"])
    row = {
        "id": f"report-measure-{goal_id}-{measure['id']}",
        "title": measure["title"],
        "area": measure.get("area", ""),
        "unit": measure.get("unit", ""),
        "responsible_unit": measure.get("responsible_unit", ""),
        "baseline": baseline,
        "target": target,
        "latest": latest,
        "latest_label": measure.get("latest_label", ""),
        "colour": colour_of_measure(measure.get("status", "")),
        "status_label": measure.get("status_label", ""),
        "chart": None,
    }
    chart = measure_chart(measure, year)
    if chart is not None:
        prefix = f"{row['id']}-chart"
        row["chart"] = {
            "id": prefix,
            # render_svg escapes every text it draws
            "svg": mark_safe(render_svg(chart, width=640, height=260, id_prefix=prefix)),
            "table": data_table(chart),
        }
    return row


def _goal(goal: GoalContent, level: int, year: int) -> dict:
    assessment = _assessment(goal.get("assessment"))
    return {
        "id": f"report-goal-{goal['id']}",
        "heading": heading_text(goal.get("label", ""), goal.get("title", "")),
        "level": level,
        "sub_level": min(level + 1, 6),
        "description": fmt.paragraphs(goal.get("description")),
        "sdgs": ", ".join(str(number) for number in goal.get("sdgs", [])),
        "assessment": assessment,
        "suggestion": goal.get("suggestion_label", "")
        if goal.get("suggestion") and goal.get("suggestion") != "not_assessed"
        else "",
        "suggestion_colour": colour_of_fulfilment(goal.get("suggestion", "")),
        "units": [_assessment(unit) for unit in goal.get("units", [])],
        "measures": [_measure_row(m, goal["id"], year) for m in goal.get("measures", [])],
        "activities": [
            {
                "title": activity["title"],
                "unit": activity.get("unit", ""),
                "status": activity.get("status", ""),
                "status_label": activity.get("status_label", ""),
                "progress": fmt.percent(activity.get("progress"), 0),
                "period": fmt.period(activity.get("start", ""), activity.get("end", "")),
                "result": fmt.paragraphs(activity.get("result")),
            }
            for activity in goal.get("activities", [])
        ],
        "dialogues": [
            {
                "date": fmt.date(dialogue.get("date")),
                "body": dialogue.get("body", ""),
                "title": dialogue.get("title", ""),
                "shared_understanding": fmt.paragraphs(dialogue.get("shared_understanding")),
                "next_steps": fmt.paragraphs(dialogue.get("next_steps")),
            }
            for dialogue in goal.get("dialogues", [])
        ],
    }


def _perspectives(content: ReportContent) -> list[dict]:
    year = content["year"]
    out = []
    for p_index, perspective in enumerate(content["plan"].get("perspectives", []), start=1):
        areas = []
        for a_index, area in enumerate(perspective.get("focus_areas", []), start=1):
            heading = heading_text(area.get("label", ""), area.get("title", ""))
            goal_level = 5 if heading else 4
            areas.append(
                {
                    "id": f"report-focus-area-{p_index}-{a_index}",
                    "heading": heading,
                    "description": fmt.paragraphs(area.get("description")),
                    "goals": [_goal(goal, goal_level, year) for goal in area.get("goals", [])],
                }
            )
        out.append(
            {
                "id": f"report-perspective-{p_index}",
                "heading": heading_text(perspective.get("label", ""), perspective.get("title", "")),
                "description": fmt.paragraphs(perspective.get("description")),
                "focus_areas": areas,
            }
        )
    return out


def _governance(content: ReportContent) -> list[tuple[str, str]]:
    """What the steering model rested on this period, as facts (label, value)."""
    plan = content["plan"]
    goals = [
        goal
        for perspective in plan.get("perspectives", [])
        for area in perspective.get("focus_areas", [])
        for goal in area.get("goals", [])
    ]
    areas = [
        area
        for perspective in plan.get("perspectives", [])
        for area in perspective.get("focus_areas", [])
        if area.get("label") or area.get("title")
    ]
    dialogues = {
        (d.get("date"), d.get("body"), d.get("title"))
        for g in goals
        for d in g.get("dialogues", [])
    }
    document = plan.get("document", "")
    if document and plan.get("decision"):
        document = f"{document} ({plan['decision']})"
    facts = [
        (_("Steering document"), document or fmt.MISSING),
        (_("Perspectives"), str(len(plan.get("perspectives", [])))),
    ]
    if areas:
        facts.append((_("Focus areas"), str(len(areas))))
    facts += [
        (_("Goals"), str(len(goals))),
        (_("Performance measures"), str(sum(len(g.get("measures", [])) for g in goals))),
        (_("Activities"), str(sum(len(g.get("activities", [])) for g in goals))),
        (_("Dialogues in the committees"), str(len(dialogues))),
    ]
    period = content.get("followup_period")
    if period:
        dates = fmt.period(period.get("start", ""), period.get("end", ""))
        facts.append((_("Follow-up period"), f"{period.get('name', '')} ({dates})"))
    return facts


# -- summaries ------------------------------------------------------------------------------

COUNT_KEYS = ("met", "partly", "not_met", "not_assessed")
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def count_headers() -> list[tuple[str, str]]:
    """(Fulfilment value, its label): the columns of the fulfilment counts."""
    return [(key, fulfilment_label(key)) for key in COUNT_KEYS]


def sdg_colour(value: str) -> str:
    """An Agenda 2030 goal's colour, "#RRGGBB" only: it goes into a style attribute."""
    return value if isinstance(value, str) and _COLOUR.fullmatch(value) else ""


def _summary(content: ReportContent) -> dict:
    counts = content.get("goal_summary") or {}
    return {
        "counts": [
            {
                "key": key,
                "label": label,
                "colour": colour_of_fulfilment(key),
                "count": counts.get(key, 0),
            }
            for key, label in count_headers()
        ],
        "total": counts.get("total", 0),
        "sdgs": [
            {
                "number": sdg["number"],
                "name": sdg.get("name", ""),
                "colour": sdg_colour(sdg.get("colour", "")),
                "goals": sdg.get("goals", []),
                "counts": [sdg.get("counts", {}).get(key, 0) for key in COUNT_KEYS],
            }
            for sdg in content.get("sdg_summary", [])
        ],
        "principles": [
            {
                "name": row.get("name", ""),
                "activities": row.get("activities", 0),
                "finished": row.get("finished", 0),
                "examples": row.get("examples", []),
            }
            for row in content.get("principle_summary", [])
        ],
    }


# -- the economy ----------------------------------------------------------------------------


def _deviation(value: str | None) -> dict:
    amount = fmt.decimal(value)
    return {"text": fmt.mnkr(value), "negative": amount is not None and amount < 0}


def _operation(row: OperationRow) -> dict:
    return {
        "name": row.get("name", ""),
        "frame": fmt.mnkr(row.get("frame")),
        "budget": fmt.mnkr(row.get("budget")),
        "outcome": fmt.mnkr(row.get("outcome")),
        "deviation": _deviation(row.get("deviation")),
        "forecast": fmt.mnkr(row.get("forecast")),
        "forecast_deviation": _deviation(row.get("forecast_deviation")),
        "comment": fmt.paragraphs(row.get("comment")),
    }


def assessed_text(month: int | None) -> str:
    """When a financial goal was assessed, or that the value only proposes it."""
    if isinstance(month, int) and 1 <= month <= 12:
        return _("assessed in %(month)s") % {"month": fmt.month_name(month)}
    return _("proposed from the value")


def balance_table(economy: EconomyContent) -> dict:
    """The balance requirement review: one column per year, the rows by their labels."""
    years = economy.get("balance_requirement", [])
    labels: list[str] = []
    totals: dict[str, bool] = {}
    for year in years:
        for line in year.get("lines", []):
            if line["label"] not in totals:
                labels.append(line["label"])
            totals[line["label"]] = totals.get(line["label"], False) or line.get("total", False)
    columns = [
        _("%(year)s (forecast)") % {"year": year["year"]}
        if year.get("is_forecast")
        else str(year["year"])
        for year in years
    ]
    rows = []
    for label in labels:
        cells = []
        for year in years:
            amounts = [
                line.get("amount") for line in year.get("lines", []) if line["label"] == label
            ]
            cells.append(fmt.mnkr(amounts[0] if amounts else None))
        rows.append({"label": label, "total": totals[label], "cells": cells})
    return {"columns": columns, "rows": rows}


def balance_verdict(content: ReportContent) -> str:
    """One sentence on the balance requirement of the report's year (or its forecast)."""
    economy = content.get("economy")
    if not economy:
        return ""
    years = economy.get("balance_requirement", [])
    current = next(
        (y for y in years if y.get("year") == content["year"]), years[0] if years else None
    )
    if current is None:
        return ""
    result = fmt.decimal(current.get("balance_result"))
    if result is None:
        return _("No balance requirement result can be given yet.")
    amount = fmt.mnkr(result)
    if current.get("is_forecast"):
        if result < 0:
            return _(
                "The forecast is a balance requirement result of %(amount)s mnkr: the balance "
                "requirement is not expected to be met."
            ) % {"amount": amount}
        return _(
            "The forecast is a balance requirement result of %(amount)s mnkr: the balance "
            "requirement is expected to be met."
        ) % {"amount": amount}
    if result < 0:
        return _(
            "The balance requirement is not met: the balance requirement result is %(amount)s "
            "mnkr, a deficit to be restored within three years."
        ) % {"amount": amount}
    return _(
        "The balance requirement is met with a balance requirement result of %(amount)s mnkr."
    ) % {"amount": amount}


def economy_month(content: ReportContent) -> int:
    """The month the economy's figures run through: the report's, or the latest with
    outcome when that is earlier."""
    through = content.get("through_month") or 12
    latest = (content.get("economy") or {}).get("latest_month")
    return min(through, latest) if isinstance(latest, int) else through


def balance_date(content: ReportContent) -> str:
    """The day the balance sheet stands at: the last day of the economy's month."""
    month = economy_month(content)
    year = content.get("year")
    if not (isinstance(month, int) and 1 <= month <= 12 and isinstance(year, int)):
        return ""
    return fmt.date(datetime.date(year, month, calendar.monthrange(year, month)[1]))


def result_facts(content: ReportContent) -> list[tuple[str, str]]:
    economy = content.get("economy")
    if not economy:
        return []
    month = fmt.month_name(economy_month(content))
    if economy_month(content) == 12:
        result_label = _("Result for the year")
    else:
        result_label = _("Result through %(month)s") % {"month": month}
    facts = [
        (result_label, fmt.money(economy.get("result"))),
        (_("Budgeted result for the year"), fmt.money(economy.get("budgeted_result"))),
    ]
    if economy.get("forecast_result") is not None:
        facts.append((_("Forecast result for the year"), fmt.money(economy["forecast_result"])))
    return facts


def _amount_rows(rows: Iterable[dict]) -> list[dict]:
    return [
        {
            "label": row.get("label", ""),
            "amount": fmt.mnkr(row.get("amount")),
            "kind": row.get("kind", "line"),
        }
        for row in rows
    ]


def _year_label(year: int, content: ReportContent) -> str:
    """ "2026 (jan–aug)" for the report's own year when it is not a whole year: the
    five-year overview sets part of a year beside whole ones."""
    month = economy_month(content)
    if year == content.get("year") and isinstance(month, int) and month < 12:
        return f"{year} (jan–{fmt.month_name(month)[:3]})" if month > 1 else f"{year} (jan)"
    return str(year)


def _economy(content: ReportContent) -> dict | None:
    economy = content.get("economy")
    if not economy:
        return None
    five = economy.get("five_year") or {"years": [], "rows": []}
    interim = content.get("kind") == "interim"
    total = economy.get("operations_total")
    month_name = fmt.month_name(economy_month(content))
    return {
        "has_outcome": economy.get("has_outcome", False),
        "month": month_name,
        "outcome_label": _("Outcome through %(month)s") % {"month": month_name}
        if interim
        else _("Outcome"),
        "balance_date": balance_date(content),
        "result": result_facts(content),
        "income_statement": _amount_rows(economy.get("income_statement", [])),
        "balance_sheet": _amount_rows(economy.get("balance_sheet", [])),
        "indicators": [
            {
                "label": row.get("label", ""),
                "value": fmt.with_unit(row.get("value"), row.get("unit", "")),
            }
            for row in economy.get("indicators", [])
        ],
        "forecast": interim,
        "operations": [_operation(row) for row in economy.get("operations", [])],
        "operations_total": _operation(total) if total else None,
        "comments": [
            {"name": row.get("name", ""), "paragraphs": fmt.paragraphs(row.get("comment"))}
            for row in economy.get("operations", [])
            if row.get("comment")
        ],
        "financial_goals": [
            {
                "title": goal.get("title", ""),
                "target": goal.get("target", ""),
                "value": fmt.with_unit(goal.get("value"), goal.get("unit", "")),
                "colour": colour_of_fulfilment(goal.get("fulfilment", "")),
                "label": goal.get("fulfilment_label", ""),
                "assessed": assessed_text(goal.get("assessed_month")),
                "comment": fmt.paragraphs(goal.get("comment")),
            }
            for goal in economy.get("financial_goals", [])
        ],
        "balance": balance_table(economy),
        "balance_verdict": balance_verdict(content),
        "deficits": [
            {
                "year": deficit.get("year"),
                "amount": fmt.mnkr(deficit.get("amount")),
                "remaining": fmt.mnkr(deficit.get("remaining")),
                "deadline": deficit.get("deadline"),
                "status": deficit.get("status", ""),
            }
            for deficit in economy.get("deficits", [])
        ],
        "five_year": {
            "years": [_year_label(year, content) for year in five.get("years", [])],
            "rows": [
                {
                    "label": row.get("label", ""),
                    "unit": row.get("unit", ""),
                    "cells": [
                        fmt.in_unit(value, row.get("unit", "")) for value in row.get("values", [])
                    ],
                }
                for row in five.get("rows", [])
            ],
        },
    }


# -- sections and the table of contents --------------------------------------------------------


def _section(section: SectionContent, draft: bool) -> dict | None:
    paragraphs = fmt.paragraphs(section.get("text"))
    data = section.get("data", "")
    note = ""
    if not paragraphs and draft:
        note = "required" if section.get("text_required") else ("" if data else "optional")
    if not paragraphs and not data and not note:
        return None  # an optional text nobody wrote: nothing to show in the final report
    updated = fmt.moment(section.get("updated_at", "")) if section.get("updated_at") else ""
    return {
        "id": f"report-section-{section['key']}",
        "key": section["key"],
        "title": section.get("title", ""),
        "guidance": section.get("guidance", ""),
        "data": data,
        "paragraphs": paragraphs,
        "note": note,
        "owner": section.get("owner", "") if draft else "",
        "updated": updated if draft else "",
    }


def _economy_parts(economy: dict | None, placed: set[str]) -> list[dict]:
    """The economy's subsections (id, title, part): the statements, then what no section holds."""
    if economy is None:
        return []
    parts = [
        ("income-statement", _("Income statement"), "income_statement"),
        ("balance-sheet", _("Balance sheet"), "balance_sheet"),
        ("operations", _("Operations against budget"), "operations"),
    ]
    if "economy" not in placed:
        parts.insert(0, ("result", _("Result and key ratios"), "economy"))
    if "goals" not in placed:
        parts.append(("financial-goals", _("Financial goals"), "financial_goals"))
    if "balance_requirement" not in placed:
        parts.append(
            ("balance-requirement", _("Balance requirement result"), "balance_requirement")
        )
    if "five_year" not in placed and economy["five_year"]["rows"]:
        parts.append(("five-year", _("Five-year overview"), "five_year"))
    return [
        {"id": f"report-economy-{key}", "title": title, "part": part} for key, title, part in parts
    ]


def document_context(content: ReportContent) -> dict[str, Any]:
    """Everything `reports/document/_body.html` (and standalone.html) shows, ready to print."""
    draft = is_draft(content)
    plan = content["plan"]
    sections = [s for s in (_section(s, draft) for s in content.get("sections", [])) if s]
    placed = {section["data"] for section in sections if section["data"]}
    economy = _economy(content)
    economy_parts = _economy_parts(economy, placed)
    perspectives = _perspectives(content)
    summary = _summary(content)
    vision = plan.get("vision")
    mission = plan.get("mission")
    principles = [
        {
            "name": p.get("name", ""),
            "title": p.get("title", ""),
            "description": fmt.paragraphs(p.get("description")),
        }
        for p in plan.get("principles", [])
    ]

    toc: list[dict] = []
    if vision or mission or principles:
        toc.append({"id": "report-vision", "title": _("Vision and mission"), "children": []})
    if sections:
        toc.append(
            {
                "id": "report-management",
                "title": _("Management report"),
                "children": [{"id": s["id"], "title": s["title"]} for s in sections],
            }
        )
    toc.append(
        {
            "id": "report-goals",
            "title": _("Goal fulfilment"),
            "children": [{"id": p["id"], "title": p["heading"]} for p in perspectives],
        }
    )
    has_summary = bool(summary["sdgs"] or summary["principles"])
    if has_summary:
        toc.append(
            {
                "id": "report-summary",
                "title": _("Summary by Agenda 2030 goal and principle"),
                "children": [],
            }
        )
    if economy is not None:
        toc.append(
            {
                "id": "report-economy",
                "title": _("Economy"),
                "children": [{"id": p["id"], "title": p["title"]} for p in economy_parts],
            }
        )

    return {
        "report": {
            "title": content.get("title", ""),
            "kind": content.get("kind", ""),
            "kind_label": content.get("kind_label", ""),
            "year": content.get("year"),
            "period_label": through_text(content),
            "organisation": content.get("organisation", {}).get("name", ""),
            "state": content.get("state", ""),
            "state_label": content.get("state_label", ""),
            "approval": content.get("approval", ""),
            "composed_at": fmt.moment(content.get("composed_at", "")),
            "composed_iso": content.get("composed_at", ""),
            # a frozen report's snapshot checksum, given by services.content_of beside it
            "checksum": content.get("checksum", ""),
            "draft": draft,
            "interim": content.get("kind") == "interim",
        },
        "toc": toc,
        "missing": content.get("missing", []) if draft else [],
        "plan_document": plan.get("document", ""),
        "plan_decision": plan.get("decision", ""),
        "vision": {
            "title": vision.get("title", ""),
            "paragraphs": fmt.paragraphs(vision.get("text")),
        }
        if vision
        else None,
        "mission": {
            "title": mission.get("title", ""),
            "paragraphs": fmt.paragraphs(mission.get("text")),
        }
        if mission
        else None,
        "principles": principles,
        "sections": sections,
        "governance": _governance(content),
        "perspectives": perspectives,
        "summary": summary,
        "has_summary": has_summary,
        "count_headers": count_headers(),
        "economy": economy,
        "economy_parts": economy_parts,
    }


def css_string(text: str) -> str:
    """Text as a CSS string literal, for the page's running header."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{escaped}"'


def render_html(content: ReportContent) -> str:
    """The report as one standalone HTML document (lang sv, inline print stylesheet)."""
    from tillit.economy.views.followup import page_counter_css

    with translation.override(LANGUAGE):
        context = {
            **document_context(content),
            # CSS string literals, escaped for CSS: the page counter and the draft's mark
            "page_counter": mark_safe(page_counter_css()),
            "draft_mark": mark_safe(css_string(content.get("state_label", "").upper())),
        }
        return render_to_string("reports/document/standalone.html", context)
