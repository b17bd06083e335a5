"""Rendering a composed report (content.ReportContent) to a file.

Every renderer reads the content and nothing else, and writes no clock time or random
identifier of its own: the same content always gives the same bytes. That is what lets a
frozen report re-render byte for byte the same (tests/test_render_identity.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..choices import OutputFormat
from ..content import ReportContent

# progress(percent, step): percent 0–100, step a short Swedish text ("Sidorna sätts …")
Progress = Callable[[int, str], None]


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value):
    """The content with every text stripped of what XML (DOCX, XLSX) cannot hold: a
    control character pasted into a frozen text must not make its Word file impossible."""
    if isinstance(value, str):
        return _NOT_XML.sub("", value.replace("\x0b", "\n")) if _NOT_XML.search(value) else value
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [xml_safe(item) for item in value]
    return value


def _silent(percent: int, step: str) -> None:
    return None


def render(content: ReportContent, fmt: str, *, progress: Progress | None = None) -> bytes:
    """The report as a file of the format (OutputFormat value)."""
    progress = progress or _silent
    fmt = OutputFormat(fmt)
    content = xml_safe(content)
    if fmt == OutputFormat.HTML:
        from .html import render_html

        return render_html(content).encode("utf-8")
    if fmt == OutputFormat.PDF:
        from .pdf import render_pdf_report

        return render_pdf_report(content, progress=progress)
    if fmt == OutputFormat.DOCX:
        from .docx import render_docx

        return render_docx(content, progress=progress)
    from .xlsx import render_xlsx

    return render_xlsx(content, progress=progress)
