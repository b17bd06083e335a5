"""A composed report as a tagged PDF: the standalone HTML document laid out by WeasyPrint.

The print stylesheet in `reports/document/standalone.html` gives A4 pages with the
municipality and the report's title as a running header, "Sida N av M" in the footer and
the table of contents' page numbers (`target-counter`); the headings become the PDF's
outline, and the tags carry the headings, tables and language to screen readers. The
document's dates come from the content alone, so the same content gives the same bytes.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from tillit.core.pdf import render_pdf

from ..content import ReportContent
from . import Progress, _silent
from .html import LANGUAGE, render_html


def render_pdf_report(content: ReportContent, *, progress: Progress | None = None) -> bytes:
    """The report as PDF bytes, tagged for accessibility."""
    progress = progress or _silent
    with translation.override(LANGUAGE):
        progress(10, _("Writing the document …"))
        html = render_html(content)
        progress(30, _("Laying out the pages …"))
        data = render_pdf(html)
        progress(95, _("Packing the file …"))
    return data
