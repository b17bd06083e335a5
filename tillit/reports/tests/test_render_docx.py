"""The report as a Word document, read back with python-docx: real headings, real tables."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from docx import Document
from docx.oxml.ns import qn

from tillit.reports.render.docx import render_docx

from .sample import rendered, sample_content

NBSP = "\u00a0"


def document(kind: str):
    return Document(io.BytesIO(rendered(kind, "docx")[0]))


@pytest.fixture(scope="module")
def annual():
    return document("annual")


@pytest.fixture(scope="module")
def interim():
    return document("interim")


def headings(doc, level: int) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def tables_with(doc, text: str) -> list:
    """The tables with a row whose first cell starts with the text, in order."""
    return [
        table
        for table in doc.tables
        if any(row.cells[0].text.startswith(text) for row in table.rows)
    ]


def table_with(doc, text: str):
    tables = tables_with(doc, text)
    assert tables, f"no table holds {text!r}"
    return tables[0]


def row_of(table, text: str) -> list[str]:
    return next(
        [cell.text for cell in row.cells]
        for row in table.rows
        if row.cells[0].text.startswith(text)
    )


def test_the_cover_title_and_properties_name_the_report(annual):
    assert [p.text for p in annual.paragraphs if p.style.name == "Title"] == ["Årsredovisning 2025"]
    assert any(p.text == "Grästorps kommun" for p in annual.paragraphs[:3])
    properties = annual.core_properties
    assert properties.title == "Årsredovisning 2025"
    assert properties.author == "Grästorps kommun"
    assert properties.language == "sv-SE"
    assert properties.created == datetime(2026, 3, 25, 13, 42, 7, tzinfo=UTC)
    assert properties.modified == properties.created


def test_the_parts_perspectives_focus_areas_and_goals_are_word_headings(annual):
    sections = [s["title"] for s in sample_content("annual")["sections"]]
    assert [h for h in headings(annual, 2) if h in sections] == sections
    assert "Perspektiv 1: Samhällsutveckling" in headings(annual, 2)
    assert "Fokusområde 2: Verka och vistas" in headings(annual, 3)
    goals = headings(annual, 4)
    assert "Mål 1: Vi skapar förutsättningar för kontinuerlig ökning av kommuninnevånare" in goals
    assert len(goals) == 6
    assert len(headings(annual, 1)) >= 4


def test_the_measures_are_a_table_with_a_repeating_header_row(annual):
    # The five-year overview holds the population too; the measures come next, then
    # the yearly values the charts show elsewhere, as a table of their own.
    overview, table, series = tables_with(annual, "Antal invånare 31 december")
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    row = row_of(table, "Antal invånare 31 december")
    assert row[0].startswith("Antal invånare 31 december\n")  # its responsible unit below
    assert row[0].endswith("Kommunledning")
    assert row[1:5] == ["antal", f"5{NBSP}650 (2022)", f"5{NBSP}750", f"5{NBSP}712 (2025)"]
    assert row[5] == "Nära målvärdet"
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)
    assert row_of(series, "Befolkningsförändring under året")[1:] == [
        "21",
        "27",
        "\u22128",
        "46",
        "24",
    ]


def test_the_texts_and_the_assessments_are_paragraphs_in_swedish(annual):
    texts = [p.text for p in annual.paragraphs]
    assert (
        "Inflyttningen från Trollhättan och Vänersborg är fortsatt stark, särskilt bland "
        "barnfamiljer." in texts
    )
    assert any(t.endswith("Delvis uppfyllt") for t in texts)
    assert "Tack till alla medarbetare – medledare – som gjort det möjligt." in texts
    assert any("Samhällsbyggnadsutskottet, 14 maj 2025" in t for t in texts)


def test_the_economy_tables_carry_the_figures(annual, interim):
    statement = table_with(annual, "Verksamhetens nettokostnader")
    assert row_of(statement, "Verksamhetens nettokostnader")[1] == "\u2212426,7"
    balance = table_with(annual, "Anläggningstillgångar")
    assert balance.rows[0].cells[1].text == "31 december 2025"
    operations = table_with(interim, "Vård och omsorg")
    assert row_of(operations, "Vård och omsorg")[5:] == ["172,5", "\u22124,5"]
    assert all(run.bold for run in operations.rows[-1].cells[0].paragraphs[0].runs)


def test_the_contents_and_page_numbers_are_word_fields(annual):
    package = zipfile.ZipFile(io.BytesIO(rendered("annual", "docx")[0]))
    body = package.read("word/document.xml").decode()
    assert 'w:instr="TOC \\o &quot;1-4&quot; \\h \\z \\u"' in body
    footers = [name for name in package.namelist() if name.startswith("word/footer")]
    footer = "".join(package.read(name).decode() for name in footers)
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    styles = package.read("word/styles.xml").decode()
    assert 'w:lang w:val="sv-SE"' in styles  # Swedish proofing


def test_a_draft_marks_itself_and_its_unwritten_texts(interim, annual):
    assert "UTKAST" in interim.sections[0].header.paragraphs[0].text
    assert "UTKAST" not in annual.sections[0].header.paragraphs[0].text
    texts = [p.text for p in interim.paragraphs]
    assert any(t.endswith("Vad de kommande åren väntas innebära.") for t in texts)
    assert any("Texten är inte skriven ännu." in t for t in texts)


def test_the_least_a_report_can_hold_renders_with_goals_under_their_perspective():
    doc = document("sparse")
    assert "Samhällsutveckling" in headings(doc, 2) and "Välfärdsutveckling" in headings(doc, 2)
    assert headings(doc, 3)[0].startswith("Mål 1:")  # no focus areas: goals one level up
    assert not any(
        cell.text == "Verksamhetens nettokostnader"
        for t in doc.tables
        for r in t.rows
        for cell in r.cells
    )


def test_a_report_without_a_composed_moment_still_renders():
    content = sample_content("annual")
    content["composed_at"] = ""
    doc = Document(io.BytesIO(render_docx(content)))
    assert doc.core_properties.created == datetime(1980, 1, 1, tzinfo=UTC)
