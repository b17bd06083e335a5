"""A composed report as a Word document (DOCX), for those who edit it further.

Real Word structure rather than look-alikes: the parts, perspectives, focus areas and
goals are Heading 1–4 paragraphs (so Word's navigation pane, its table of contents and
screen readers find them), the figures are Word tables with a repeating header row, the
texts are paragraphs. The charts are left out: the tables carry their data. It reads the
same prepared context as the HTML (`html.document_context`), so the two say the same.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from .. import formatting as fmt
from ..content import ReportContent
from ..packaging import EPOCH, deterministic_zip, utc
from . import Progress, _silent
from .html import LANGUAGE, count_headers, document_context

WORD_LANGUAGE = "sv-SE"
RED = RGBColor(0xA3, 0x26, 0x1B)
MUTED = RGBColor(0x4D, 0x57, 0x52)


# -- building blocks --------------------------------------------------------------------------


def _runs(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False):
    """Text into the paragraph, its line breaks as Word line breaks."""
    lines = str(text).split("\n")
    run = None
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold or None
        run.italic = italic or None
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)
    return run


def _para(
    doc: DocumentType,
    text: str = "",
    *,
    style: str | None = None,
    bold: bool = False,
    italic: bool = False,
    colour: RGBColor | None = None,
) -> Paragraph:
    paragraph = doc.add_paragraph(style=style)
    if text:
        run = _runs(paragraph, text, bold=bold, italic=italic)
        if colour is not None and run is not None:
            for each in paragraph.runs:
                each.font.color.rgb = colour
    return paragraph


def _paragraphs(doc: DocumentType, paragraphs: list[str]) -> None:
    for text in paragraphs:
        _para(doc, text)


def _labelled(doc: DocumentType, label: str, paragraphs: list[str]) -> None:
    """ "Label: text", the label in italics; further paragraphs follow on their own."""
    if not paragraphs:
        return
    paragraph = doc.add_paragraph()
    _runs(paragraph, f"{label} ", italic=True)
    _runs(paragraph, paragraphs[0])
    _paragraphs(doc, paragraphs[1:])


def _meta(doc: DocumentType, text: str) -> Paragraph:
    paragraph = _para(doc, text, colour=MUTED)
    for run in paragraph.runs:
        run.font.size = Pt(9)
    return paragraph


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """A simple Word field (PAGE, NUMPAGES, TOC …) with the text shown until it updates."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _repeat_header(table: Table) -> None:
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(
    doc: DocumentType,
    caption: str,
    headers: list[str],
    rows: list[list[str]],
    *,
    numeric: Collection[int] = (),
    bold_rows: Collection[int] = (),
    italic_rows: Collection[int] = (),
) -> Table:
    """A captioned table: a header row that repeats on every page, figures right-aligned."""
    if caption:
        _para(doc, caption, style="Caption")
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _repeat_header(table)
    for column, header in enumerate(headers):
        cell = table.rows[0].cells[column]
        _runs(cell.paragraphs[0], header, bold=True)
        if column in numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for index, values in enumerate(rows):
        cells = table.rows[index + 1].cells
        for column, value in enumerate(values):
            paragraph = cells[column].paragraphs[0]
            _runs(
                paragraph,
                value,
                bold=index in bold_rows,
                italic=index in italic_rows,
            )
            if column in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()
    return table


def _facts(doc: DocumentType, facts: list[tuple[str, str]]) -> None:
    for label, value in facts:
        paragraph = doc.add_paragraph(style="List Bullet")
        _runs(paragraph, f"{label}: ", bold=True)
        _runs(paragraph, value)


def _lines(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs) if paragraphs else fmt.MISSING


# -- the parts ----------------------------------------------------------------------------------


def _five_year(doc: DocumentType, ctx: dict) -> None:
    economy = ctx["economy"]
    if economy is None:
        _para(
            doc, _("The economy is not followed up in Tillit, so the figures are not shown here.")
        )
        return
    five = economy["five_year"]
    if not five["rows"]:
        return
    _table(
        doc,
        _("Five-year overview"),
        [_("Key figure"), *five["years"]],
        [
            [f"{row['label']} ({row['unit']})" if row["unit"] else row["label"], *row["cells"]]
            for row in five["rows"]
        ],
        numeric=set(range(1, len(five["years"]) + 1)),
    )


def _goal_summary(doc: DocumentType, ctx: dict) -> None:
    summary = ctx["summary"]
    _table(
        doc,
        translation.ngettext(
            "Fulfilment of the %(counter)s goal",
            "Fulfilment of the %(counter)s goals",
            summary["total"],
        )
        % {"counter": summary["total"]},
        [_("Assessment"), _("Number of goals")],
        [[row["label"], str(row["count"])] for row in summary["counts"]],
        numeric={1},
    )


def _financial_goals(doc: DocumentType, ctx: dict) -> None:
    economy = ctx["economy"]
    if economy is None:
        return
    if not economy["financial_goals"]:
        _para(doc, _("No financial goals apply to the year."))
        return
    _table(
        doc,
        _("Financial goals for sound financial management"),
        [_("Goal"), _("Target"), _("Outcome"), _("Assessment"), _("Comment")],
        [
            [
                g["title"],
                g["target"],
                g["value"],
                f"{g['label']} ({g['assessed']})",
                _lines(g["comment"]),
            ]
            for g in economy["financial_goals"]
        ],
        numeric={2},
    )


def _result(doc: DocumentType, ctx: dict) -> None:
    economy = ctx["economy"]
    if economy is None:
        _para(
            doc, _("The economy is not followed up in Tillit, so the figures are not shown here.")
        )
        return
    _facts(doc, economy["result"])
    if economy["indicators"]:
        _table(
            doc,
            _("Key ratios"),
            [_("Key ratio"), _("Value")],
            [[row["label"], row["value"]] for row in economy["indicators"]],
            numeric={1},
        )


def _balance_requirement(doc: DocumentType, ctx: dict) -> None:
    economy = ctx["economy"]
    if economy is None:
        _para(
            doc, _("The economy is not followed up in Tillit, so the figures are not shown here.")
        )
        return
    balance = economy["balance"]
    if balance["rows"]:
        _table(
            doc,
            _("Balance requirement review (mnkr)"),
            [_("Item"), *balance["columns"]],
            [[row["label"], *row["cells"]] for row in balance["rows"]],
            numeric=set(range(1, len(balance["columns"]) + 1)),
            italic_rows={i for i, row in enumerate(balance["rows"]) if row["total"]},
        )
    if economy["balance_verdict"]:
        _para(doc, economy["balance_verdict"])
    if economy["deficits"]:
        _table(
            doc,
            _("Deficits to restore (mnkr)"),
            [_("Year"), _("Deficit"), _("Left to restore"), _("To be restored by"), _("Status")],
            [
                [str(d["year"]), d["amount"], d["remaining"], str(d["deadline"]), d["status"]]
                for d in economy["deficits"]
            ],
            numeric={1, 2, 3},
        )
    else:
        _para(doc, _("No deficits are left to restore."))


def _amounts(doc: DocumentType, rows: list[dict], caption: str, column: str) -> None:
    if not rows:
        _para(doc, _("No figures yet."))
        return
    _table(
        doc,
        f"{caption} ({_('mnkr')})",
        [_("Item"), column],
        [[row["label"], row["amount"]] for row in rows],
        numeric={1},
        bold_rows={i for i, row in enumerate(rows) if row["kind"] == "total"},
        italic_rows={i for i, row in enumerate(rows) if row["kind"] == "subtotal"},
    )


def _operations(doc: DocumentType, ctx: dict) -> None:
    economy = ctx["economy"]
    if not economy["operations"]:
        _para(doc, _("No operations have a budget for the year."))
        return
    interim = ctx["report"]["interim"]
    month = economy["month"]
    rows = economy["operations"] + (
        [economy["operations_total"]] if economy["operations_total"] else []
    )
    if interim:
        headers = [
            _("Operation"),
            _("Budget for the year"),
            _("Budget through %(month)s") % {"month": month},
            _("Outcome through %(month)s") % {"month": month},
            _("Deviation"),
            _("Forecast for the year"),
            _("Deviation from budget"),
        ]
        values = [
            [
                row["name"],
                row["frame"],
                row["budget"],
                row["outcome"],
                row["deviation"]["text"],
                row["forecast"],
                row["forecast_deviation"]["text"],
            ]
            for row in rows
        ]
        caption = _(
            "Net cost of the operations through %(month)s, with the forecast for the year (mnkr)"
        ) % {"month": month}
        note = _(
            "Deviation is budget minus outcome, and the deviation from budget is the budget for "
            "the year minus the forecast: a negative figure is a deficit."
        )
    else:
        headers = [_("Operation"), _("Budget for the year"), _("Outcome"), _("Deviation")]
        values = [
            [row["name"], row["frame"], row["outcome"], row["deviation"]["text"]] for row in rows
        ]
        caption = _("Net cost of the operations against budget (mnkr)")
        note = _("Deviation is budget minus outcome: a negative figure is a deficit.")
    _table(
        doc,
        caption,
        headers,
        values,
        numeric=set(range(1, len(headers))),
        bold_rows={len(rows) - 1} if economy["operations_total"] else set(),
    )
    _meta(doc, note)
    for comment in economy["comments"]:
        _labelled(doc, f"{comment['name']}:", comment["paragraphs"])


def _data_part(doc: DocumentType, ctx: dict, part: str) -> None:
    if part == "five_year":
        _five_year(doc, ctx)
    elif part == "governance":
        _facts(doc, ctx["governance"])
    elif part == "goals":
        _goal_summary(doc, ctx)
        _financial_goals(doc, ctx)
    elif part == "economy":
        _result(doc, ctx)
    elif part == "balance_requirement":
        _balance_requirement(doc, ctx)


def _goal(doc: DocumentType, ctx: dict, goal: dict) -> None:
    level = goal["level"] - 1  # the HTML body starts at h2, Word at Heading 1
    sub = min(level + 1, 9)
    doc.add_heading(goal["heading"], level=level)
    _paragraphs(doc, goal["description"])
    if goal["sdgs"]:
        _meta(doc, _("Agenda 2030: goal %(sdgs)s") % {"sdgs": goal["sdgs"]})
    assessment = goal["assessment"]
    paragraph = doc.add_paragraph()
    _runs(paragraph, _("Assessment:") + " ", bold=True)
    if assessment:
        _runs(paragraph, assessment["label"], bold=True)
        if assessment["analysis"]:
            _para(doc, _("Analysis"), bold=True)
            _paragraphs(doc, assessment["analysis"])
        if assessment["next_steps"]:
            _para(doc, _("Next steps"), bold=True)
            _paragraphs(doc, assessment["next_steps"])
        if assessment["approved_by"] or assessment["approved_at"]:
            _meta(
                doc,
                _("Approved by %(who)s, %(when)s")
                % {
                    "who": assessment["approved_by"] or fmt.MISSING,
                    "when": assessment["approved_at"] or fmt.MISSING,
                },
            )
    else:
        _runs(paragraph, _("No approved assessment for the period"), bold=True)
        if goal["suggestion"]:
            _para(
                doc, _("The measures suggest: %(suggestion)s.") % {"suggestion": goal["suggestion"]}
            )

    if goal["units"]:
        doc.add_heading(_("The units' assessments"), level=sub)
        for unit in goal["units"]:
            name = f"{unit['unit']} ({unit['operation']})" if unit["operation"] else unit["unit"]
            paragraph = doc.add_paragraph()
            _runs(paragraph, f"{name}: ", bold=True)
            _runs(paragraph, unit["label"])
            _paragraphs(doc, unit["analysis"])
            _labelled(doc, _("Next steps:"), unit["next_steps"])

    if goal["measures"]:
        doc.add_heading(_("Performance measures"), level=sub)
        year = ctx["report"]["year"]
        rows = []
        for measure in goal["measures"]:
            details = []
            if measure["area"]:
                details.append(_("Area: %(area)s") % {"area": measure["area"]})
            if measure["responsible_unit"]:
                details.append(_("Responsible: %(unit)s") % {"unit": measure["responsible_unit"]})
            title = measure["title"] + ("\n" + " · ".join(details) if details else "")
            latest = measure["latest"]
            if measure["latest_label"]:
                latest = f"{latest} ({measure['latest_label']})"
            rows.append(
                [
                    title,
                    measure["unit"] or fmt.MISSING,
                    measure["baseline"],
                    measure["target"],
                    latest,
                    measure["status_label"],
                ]
            )
        _table(
            doc,
            _("Performance measures of %(goal)s") % {"goal": goal["heading"]},
            [
                _("Measure"),
                _("Unit"),
                _("Baseline"),
                _("Target %(year)s") % {"year": year},
                _("Latest value"),
                _("Status"),
            ],
            rows,
            numeric={2, 3, 4},
        )
        _series(doc, goal)

    if goal["activities"]:
        doc.add_heading(_("Activities"), level=sub)
        _table(
            doc,
            _("Activities for %(goal)s") % {"goal": goal["heading"]},
            [_("Activity"), _("Unit"), _("Status"), _("Progress"), _("Period"), _("Result")],
            [
                [
                    a["title"],
                    a["unit"] or fmt.MISSING,
                    a["status_label"],
                    a["progress"],
                    a["period"] or fmt.MISSING,
                    _lines(a["result"]),
                ]
                for a in goal["activities"]
            ],
            numeric={3},
        )

    if goal["dialogues"]:
        doc.add_heading(_("Conclusions of the dialogues"), level=sub)
        for dialogue in goal["dialogues"]:
            paragraph = doc.add_paragraph()
            _runs(paragraph, f"{dialogue['body']}, {dialogue['date']}", bold=True)
            if dialogue["title"]:
                _runs(paragraph, f": {dialogue['title']}")
            _labelled(doc, _("Shared understanding:"), dialogue["shared_understanding"])
            _labelled(doc, _("Next steps:"), dialogue["next_steps"])


def _series(doc: DocumentType, goal: dict) -> None:
    """The measures' yearly values in one table: what the charts show elsewhere."""
    charted = [m for m in goal["measures"] if m["chart"]]
    if not charted:
        return
    years: list[str] = []
    values: dict[str, dict[str, str]] = {}
    for measure in charted:
        table = measure["chart"]["table"]
        for row in table.rows:
            if row.label not in years:
                years.append(row.label)
            values.setdefault(measure["id"], {})[row.label] = row.cells[0]
    years.sort()
    _table(
        doc,
        _("Values by year: %(goal)s") % {"goal": goal["heading"]},
        [_("Measure"), *years],
        [
            [m["title"], *[values[m["id"]].get(year, fmt.MISSING) for year in years]]
            for m in charted
        ],
        numeric=set(range(1, len(years) + 1)),
    )


# -- the document -------------------------------------------------------------------------------


def _setup(doc: DocumentType, ctx: dict) -> None:
    """A4 with margins, Swedish proofing, running header and "Sida N av M" in the footer."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(22)
    section.different_first_page_header_footer = True

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if run_defaults is not None:
        rpr = run_defaults.find(qn("w:rPr"))
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), WORD_LANGUAGE)

    report = ctx["report"]
    header = section.header.paragraphs[0]
    header.text = ""
    _runs(header, report["organisation"])
    _runs(header, "\t")
    if report["draft"]:
        _runs(header, report["state_label"].upper(), bold=True)
    _runs(header, "\t" + report["title"])
    for run in header.runs:
        run.font.size = Pt(8.5)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for part in re.split(r"(\{page\}|\{pages\})", _("Page {page} of {pages}")):
        if part == "{page}":
            _field(footer, "PAGE", "1")
        elif part == "{pages}":
            _field(footer, "NUMPAGES", "1")
        elif part:
            footer.add_run(part)


def _cover(doc: DocumentType, ctx: dict) -> None:
    report = ctx["report"]
    _para(doc, report["organisation"], style="Subtitle")
    _para(doc, report["title"], style="Title")
    _para(doc, f"{report['kind_label']} · {report['period_label']}")
    state = _para(doc, report["state_label"], bold=True, colour=RED if report["draft"] else None)
    if report["draft"]:
        for run in state.runs:
            run.font.size = Pt(16)
            run.font.all_caps = True
        _para(doc, _("A draft: the texts and the figures may still change."))
    if report["approval"]:
        _para(
            doc,
            _("Approved by the municipal executive board, %(decision)s")
            % {"decision": report["approval"]},
        )
    if report["composed_at"]:
        text = (
            _("Compiled from the data %(when)s")
            if report["draft"]
            else _("Frozen as approved %(when)s")
        )
        _meta(doc, text % {"when": report["composed_at"]})
    if report.get("checksum"):
        _meta(doc, _("Checksum of the frozen content (SHA-256):") + " " + report["checksum"])
    doc.add_page_break()


def _toc(doc: DocumentType) -> None:
    _para(doc, _("Contents"), style="TOC Heading")
    _field(
        doc.add_paragraph(),
        'TOC \\o "1-4" \\h \\z \\u',
        _("Update the field (F9) to show the table of contents."),
    )
    doc.add_page_break()


def _body(doc: DocumentType, ctx: dict, progress: Progress) -> None:
    if ctx["missing"]:
        doc.add_heading(_("Still missing before the report is complete"), level=1)
        for item in ctx["missing"]:
            paragraph = doc.add_paragraph(style="List Bullet")
            _runs(paragraph, f"{item['section']}: ", bold=True)
            _runs(paragraph, item["message"])

    vision, mission, principles = ctx["vision"], ctx["mission"], ctx["principles"]
    if vision or mission or principles:
        doc.add_heading(_("Vision and mission"), level=1)
        if vision:
            doc.add_heading(_("Vision"), level=2)
            _para(doc, vision["title"], bold=True)
            _paragraphs(doc, vision["paragraphs"])
        if mission:
            doc.add_heading(_("Mission"), level=2)
            if mission["title"]:
                _para(doc, mission["title"], bold=True)
            _paragraphs(doc, mission["paragraphs"])
        if principles:
            doc.add_heading(_("Guiding principles"), level=2)
            for principle in principles:
                paragraph = doc.add_paragraph()
                _runs(paragraph, principle["name"], bold=True)
                if principle["title"]:
                    _runs(paragraph, f" – {principle['title']}")
                _paragraphs(doc, principle["description"])

    if ctx["sections"]:
        doc.add_heading(_("Management report"), level=1)
        for section in ctx["sections"]:
            doc.add_heading(section["title"], level=2)
            _data_part(doc, ctx, section["data"])
            _paragraphs(doc, section["paragraphs"])
            if section["note"] == "required":
                paragraph = _para(doc, _("Not written yet.") + " ", bold=True, colour=RED)
                _runs(paragraph, section["guidance"])
            elif section["note"] == "optional":
                _meta(doc, f"{_('No text has been written (optional).')} {section['guidance']}")
            meta = []
            if section["owner"]:
                meta.append(_("Responsible for the text: %(owner)s") % {"owner": section["owner"]})
            if section["updated"]:
                meta.append(_("Last changed %(when)s") % {"when": section["updated"]})
            if meta:
                _meta(doc, " · ".join(meta))
    progress(35, _("Writing the goals and the measures …"))

    doc.add_heading(_("Goal fulfilment"), level=1)
    if ctx["plan_document"]:
        if ctx["plan_decision"]:
            text = _("The goals of %(document)s, adopted %(decision)s.") % {
                "document": ctx["plan_document"],
                "decision": ctx["plan_decision"],
            }
        else:
            text = _("The goals of %(document)s.") % {"document": ctx["plan_document"]}
        _meta(doc, text)
    if not ctx["perspectives"]:
        _para(doc, _("The plan has no goals."))
    for perspective in ctx["perspectives"]:
        doc.add_heading(perspective["heading"], level=2)
        _paragraphs(doc, perspective["description"])
        if not perspective["focus_areas"]:
            _para(doc, _("No goals in this perspective."))
        for area in perspective["focus_areas"]:
            if area["heading"]:
                doc.add_heading(area["heading"], level=3)
            _paragraphs(doc, area["description"])
            for goal in area["goals"]:
                _goal(doc, ctx, goal)
    progress(65, _("Writing the economy …"))

    summary = ctx["summary"]
    if ctx["has_summary"]:
        doc.add_heading(_("Summary by Agenda 2030 goal and principle"), level=1)
        if summary["sdgs"]:
            doc.add_heading(_("By Agenda 2030 goal"), level=2)
            labels = [label for _key, label in count_headers()]
            _table(
                doc,
                _("The goals' fulfilment by the Agenda 2030 goals they are linked to"),
                [_("Agenda 2030 goal"), _("Goals"), *labels],
                [
                    [
                        f"{sdg['number']}. {sdg['name']}",
                        "\n".join(sdg["goals"]),
                        *[str(count) for count in sdg["counts"]],
                    ]
                    for sdg in summary["sdgs"]
                ],
                numeric=set(range(2, 2 + len(labels))),
            )
        if summary["principles"]:
            doc.add_heading(_("By guiding principle"), level=2)
            _table(
                doc,
                _("Activities that express each guiding principle"),
                [_("Principle"), _("Activities"), _("Completed"), _("Examples")],
                [
                    [
                        row["name"],
                        str(row["activities"]),
                        str(row["finished"]),
                        "\n".join(row["examples"]) or fmt.MISSING,
                    ]
                    for row in summary["principles"]
                ],
                numeric={1, 2},
            )

    economy = ctx["economy"]
    if economy is not None:
        doc.add_heading(_("Economy"), level=1)
        _meta(
            doc,
            _("Amounts in millions of kronor (mnkr). Income is shown positive and costs negative."),
        )
        if not economy["has_outcome"]:
            _para(doc, _("The accounts have no outcome for the year yet."))
        outcome = economy["outcome_label"]
        for part in ctx["economy_parts"]:
            doc.add_heading(part["title"], level=2)
            if part["part"] == "income_statement":
                _amounts(doc, economy["income_statement"], part["title"], outcome)
            elif part["part"] == "balance_sheet":
                column = economy["balance_date"] or outcome
                _amounts(doc, economy["balance_sheet"], part["title"], column)
            elif part["part"] == "operations":
                _operations(doc, ctx)
            elif part["part"] == "financial_goals":
                _financial_goals(doc, ctx)
            else:
                _data_part(doc, ctx, part["part"])


def render_docx(content: ReportContent, *, progress: Progress | None = None) -> bytes:
    """The report as a DOCX file: a cover, a table of contents, Word headings and tables."""
    progress = progress or _silent
    with translation.override(LANGUAGE):
        progress(10, _("Writing the document …"))
        ctx = document_context(content)
        doc = Document()
        _setup(doc, ctx)
        _cover(doc, ctx)
        _toc(doc)
        _body(doc, ctx, progress)

        moment = fmt.parse_moment(content.get("composed_at", ""))
        properties = doc.core_properties
        properties.title = content.get("title", "")
        properties.subject = f"{ctx['report']['kind_label']} {ctx['report']['period_label']}"
        properties.author = ctx["report"]["organisation"]
        properties.last_modified_by = ctx["report"]["organisation"]
        properties.language = WORD_LANGUAGE
        properties.keywords = content.get("kind_label", "")
        properties.comments = ""
        properties.category = ""
        properties.revision = 1
        moment = utc(moment or EPOCH)
        properties.created = properties.modified = moment.replace(tzinfo=None)
        progress(90, _("Packing the file …"))
        out = io.BytesIO()
        doc.save(out)
    return deterministic_zip(out.getvalue(), moment)
