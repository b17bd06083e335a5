"""The report as PDF, read back with poppler (pdftotext, pdfinfo, pdftohtml).

Few renders (each takes a second or more): the annual and the interim sample, shared
with the other tests through sample.rendered.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils.translation import gettext

from .sample import rendered

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdftohtml")),
    reason="poppler-utils (pdftotext, pdfinfo, pdftohtml) is not installed",
)


def poppler(tool: list[str], content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "rapport.pdf"
    path.write_bytes(content)
    return subprocess.run(
        [*tool, str(path), *(["-"] if tool[0] == "pdftotext" else [])],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


@pytest.fixture(scope="module")
def annual_pdf() -> bytes:
    return rendered("annual", "pdf")[0]


@pytest.fixture(scope="module")
def interim_pdf() -> bytes:
    return rendered("interim", "pdf")[0]


def flat(text: str) -> str:
    return re.sub(r"[ \t\r\n\f]+", " ", text)


def test_the_annual_report_reads_back_with_its_goals_assessments_and_figures(annual_pdf, tmp_path):
    assert annual_pdf.startswith(b"%PDF-")
    text = flat(poppler(["pdftotext", "-layout", "-enc", "UTF-8"], annual_pdf, tmp_path))
    assert "Grästorps kommun" in text and "Årsredovisning 2025" in text  # å, ä, ö intact
    assert "Vi skapar förutsättningar för kontinuerlig ökning av kommuninnevånare" in text
    assert "Delvis uppfyllt" in text and "Ej uppfyllt" in text
    assert "Inflyttningen från Trollhättan och Vänersborg är fortsatt stark" in text
    assert "Företagsklimatet har försämrats" in text
    assert "KS 2026-03-25 § 45" in text
    assert re.search(r"Verksamhetens nettokostnader −426,7", text)  # a real minus sign
    assert re.search("5\u00a0712|5 712", text)  # thousands apart
    page = gettext("Page {page} of {pages}").split("{page}")[0]
    pages = int(re.search(r"Pages:\s+(\d+)", poppler(["pdfinfo"], annual_pdf, tmp_path))[1])
    assert f"{page}1 " in text and f"{page}{pages} " in text + " "


def test_the_pdf_is_tagged_a4_and_dated_from_the_content(annual_pdf, tmp_path):
    info = poppler(["pdfinfo", "-isodates"], annual_pdf, tmp_path)
    assert re.search(r"Tagged:\s+yes", info)
    assert "595.276 x 841.89" in info  # A4
    assert re.search(r"Author:\s+Grästorps kommun", info)
    assert re.search(r"Title:\s+Årsredovisning 2025", info)
    assert re.search(r"CreationDate:\s+2026-03-25T13:42:07", info)
    structure = poppler(["pdfinfo", "-struct"], annual_pdf, tmp_path)
    assert "H1" in structure and "H5" in structure and "Table" in structure


def test_the_outline_and_the_contents_carry_the_headings_with_page_numbers(annual_pdf, tmp_path):
    xml = poppler(["pdftohtml", "-xml", "-i", "-q", "-stdout"], annual_pdf, tmp_path)
    outline = re.findall(r'<item page="(\d+)">([^<]*)</item>', xml)
    titles = [title for _page, title in outline]
    assert titles[0] == "Årsredovisning 2025"
    goal = "Mål 1: Vi skapar förutsättningar för kontinuerlig ökning av kommuninnevånare"
    for heading in ("Perspektiv 1: Samhällsutveckling", "Fokusområde 1: Bo och leva", goal):
        assert heading in titles
    assert "Balanskravsresultat" in titles  # a section of the förvaltningsberättelse
    # The contents give each part's page number, and it is where the outline puts it.
    page_of = dict((title, page) for page, title in outline)
    text = poppler(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-f", "2", "-l", "2"], annual_pdf, tmp_path
    )
    line = next(line for line in text.splitlines() if "Perspektiv 2: Välfärdsutveckling" in line)
    assert line.rstrip().endswith(f" {page_of['Perspektiv 2: Välfärdsutveckling']}")


def test_a_draft_says_so_on_every_page_and_shows_what_is_missing(interim_pdf, tmp_path):
    text = poppler(["pdftotext", "-layout", "-enc", "UTF-8"], interim_pdf, tmp_path)
    pages = text.split("\f")[:-1]
    assert pages and all("UTKAST" in page for page in pages)
    flattened = flat(text)
    assert "Förväntad utveckling: Texten är inte skriven ännu." in flattened
    assert "Vad de kommande åren väntas innebära." in flattened  # the unwritten text's note
    assert "172,5" in flattened  # Vård och omsorg's forecast
