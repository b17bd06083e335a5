"""A composed report's tables as an Excel workbook (XLSX), for those who count further.

Three sheets, each one table with a bold, frozen header row and a filter:
- the measures: one row per goal's measure with its baseline, target and latest value;
- their yearly values: one row per measure, one column per year;
- the operations against budget (when the report has an economy), in tkr.
Figures are real numbers (not text) with a number format by their decimals, so they sum.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import formatting as fmt
from ..content import GoalContent, ReportContent
from ..packaging import EPOCH, deterministic_zip, utc
from . import Progress, _silent
from .html import LANGUAGE, economy_month, fulfilment_label, heading_text

THOUSAND = Decimal(1000)
_FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def number_format(decimals: int | None) -> str:
    """Excel's format for a figure with `decimals` decimals, thousands grouped."""
    places = max(0, min(int(decimals or 0), 6))
    return "#,##0" + ("." + "0" * places if places else "")


def _sheet_title(text: str) -> str:
    return text.translate(_FORBIDDEN_IN_SHEET_NAMES)[:31]


def _goals(content: ReportContent) -> Iterator[tuple[str, str, GoalContent]]:
    """(perspective, focus area, goal) for every goal, in the report's order."""
    for perspective in content["plan"].get("perspectives", []):
        p_heading = heading_text(perspective.get("label", ""), perspective.get("title", ""))
        for area in perspective.get("focus_areas", []):
            a_heading = heading_text(area.get("label", ""), area.get("title", ""))
            for goal in area.get("goals", []):
                yield p_heading, a_heading, goal


def _table(
    sheet: Worksheet,
    headers: list[str],
    rows: Iterable[list],
    *,
    widths: list[int],
    formats: dict[int, str] | None = None,
    row_formats: list[dict[int, str]] | None = None,
    wrap: Iterable[int] = (),
) -> None:
    """The rows under a bold, frozen header with a filter; formats by column (1-based)."""
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    wrapped = set(wrap)
    for index, values in enumerate(rows):
        sheet.append(values)
        line = sheet.max_row
        for cell in sheet[line]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # people's text, never a formula ("=HYPERLINK(…)")
        formats_here = {**(formats or {}), **(row_formats[index] if row_formats else {})}
        for column, number_fmt in formats_here.items():
            sheet.cell(row=line, column=column).number_format = number_fmt
        for column in wrapped:
            sheet.cell(row=line, column=column).alignment = Alignment(
                vertical="top", wrap_text=True
            )
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(sheet.max_row, 1)}"


def _value(value: str | None, grade: str) -> Decimal | str | None:
    """A measure's value as a number, or a qualitative grade in words."""
    number = fmt.decimal(value)
    if number is not None:
        return number
    return fulfilment_label(grade) or None


def _measures_sheet(sheet: Worksheet, content: ReportContent) -> None:
    year = content["year"]
    rows, row_formats = [], []
    for perspective, area, goal in _goals(content):
        goal_heading = heading_text(goal.get("label", ""), goal.get("title", ""))
        for measure in goal.get("measures", []):
            rows.append(
                [
                    perspective,
                    area,
                    goal_heading,
                    measure.get("area", ""),
                    measure["title"],
                    measure.get("unit", ""),
                    measure.get("responsible_unit", ""),
                    fmt.decimal(measure.get("baseline_value")),
                    measure.get("baseline_year"),
                    _value(measure.get("target"), measure.get("target_grade", "")),
                    _value(measure.get("latest_value"), measure.get("latest_grade", "")),
                    measure.get("latest_label", ""),
                    measure.get("status_label", ""),
                ]
            )
            number = number_format(measure.get("decimals"))
            row_formats.append({8: number, 10: number, 11: number})
    _table(
        sheet,
        [
            _("Perspective"),
            _("Focus area"),
            _("Goal"),
            _("Area"),
            _("Measure"),
            _("Unit"),
            _("Responsible unit"),
            _("Baseline"),
            _("Baseline year"),
            _("Target %(year)s") % {"year": year},
            _("Latest value"),
            _("Period of the latest value"),
            _("Status"),
        ],
        rows,
        widths=[22, 24, 50, 20, 46, 10, 22, 12, 10, 12, 12, 14, 20],
        formats={9: "0"},
        row_formats=row_formats,
        wrap=(3, 5),
    )


def _series_sheet(sheet: Worksheet, content: ReportContent) -> None:
    years = sorted(
        {
            point["year"]
            for _p, _a, goal in _goals(content)
            for measure in goal.get("measures", [])
            for point in measure.get("series", [])
        }
    )
    rows, row_formats = [], []
    for _perspective, _area, goal in _goals(content):
        goal_heading = heading_text(goal.get("label", ""), goal.get("title", ""))
        for measure in goal.get("measures", []):
            by_year = {point["year"]: point["value"] for point in measure.get("series", [])}
            rows.append(
                [
                    goal_heading,
                    measure["title"],
                    measure.get("unit", ""),
                    *[fmt.decimal(by_year.get(year)) for year in years],
                ]
            )
            number = number_format(measure.get("decimals"))
            row_formats.append({4 + index: number for index in range(len(years))})
    _table(
        sheet,
        [_("Goal"), _("Measure"), _("Unit"), *[str(year) for year in years]],
        rows,
        widths=[50, 46, 10, *[10] * len(years)],
        row_formats=row_formats,
        wrap=(1, 2),
    )


def _tkr(value: str | None) -> Decimal | None:
    amount = fmt.decimal(value)
    return None if amount is None else amount / THOUSAND


def _economy_sheet(sheet: Worksheet, content: ReportContent) -> None:
    economy = content["economy"]
    month = fmt.month_name(economy_month(content))
    interim = content.get("kind") == "interim"
    operations = list(economy.get("operations", []))
    if economy.get("operations_total"):
        operations.append(economy["operations_total"])
    if interim:
        keys = ["frame", "budget", "outcome", "deviation", "forecast", "forecast_deviation"]
        headers = [
            _("Operation"),
            _("Budget for the year (tkr)"),
            _("Budget through %(month)s (tkr)") % {"month": month},
            _("Outcome through %(month)s (tkr)") % {"month": month},
            _("Deviation (tkr)"),
            _("Forecast for the year (tkr)"),
            _("Deviation from budget (tkr)"),
        ]
    else:
        keys = ["frame", "outcome", "deviation"]
        headers = [
            _("Operation"),
            _("Budget for the year (tkr)"),
            _("Outcome (tkr)"),
            _("Deviation (tkr)"),
        ]
    headers.append(_("Comment"))
    rows = [
        [row.get("name", ""), *[_tkr(row.get(key)) for key in keys], row.get("comment", "")]
        for row in operations
    ]
    _table(
        sheet,
        headers,
        rows,
        widths=[30, *[16] * len(keys), 60],
        formats={column: "#,##0" for column in range(2, 2 + len(keys))},
        wrap=(len(headers),),
    )
    if economy.get("operations_total") and rows:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)


def render_xlsx(content: ReportContent, *, progress: Progress | None = None) -> bytes:
    """The report's measure tables (and its operations against budget) as an XLSX file."""
    progress = progress or _silent
    with translation.override(LANGUAGE):
        progress(10, _("Writing the tables …"))
        workbook = Workbook()
        measures = workbook.active
        measures.title = _sheet_title(_("Measures"))
        _measures_sheet(measures, content)
        _series_sheet(workbook.create_sheet(_sheet_title(_("Values by year"))), content)
        if content.get("economy"):
            _economy_sheet(workbook.create_sheet(_sheet_title(_("Operations"))), content)

        organisation = content.get("organisation", {}).get("name", "")
        moment = utc(fmt.parse_moment(content.get("composed_at", "")) or EPOCH)
        properties = workbook.properties
        properties.title = content.get("title", "")
        properties.subject = f"{content.get('kind_label', '')} {content.get('period_label', '')}"
        properties.creator = organisation
        properties.lastModifiedBy = organisation
        properties.language = "sv-SE"
        properties.created = properties.modified = moment.replace(tzinfo=None)
        progress(90, _("Packing the file …"))
        out = io.BytesIO()
        workbook.save(out)
    return deterministic_zip(out.getvalue(), moment)
