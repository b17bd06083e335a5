"""HTML → PDF for the reports (the monthly report to KS, later the annual report).

WeasyPrint lays the page out from the HTML and its print stylesheet: @page rules give the
paper size, running headers and footers and page numbers ("Sida 1 av 3"), and its h1–h6
become the PDF's outline (bookmarks). The PDF is tagged (`pdf_tags`, WeasyPrint ≥ 63), so a
screen reader finds its headings, tables and reading order and the document's language.

Resources are fetched only from `data:` URLs and local files: the HTML is expected to carry
its stylesheet inline, and a report never makes the server request URLs (no SSRF, and no
request from the server to itself while it is answering one).
"""

from __future__ import annotations

ALLOWED_PROTOCOLS = ("data", "file")


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The HTML document as PDF bytes, tagged for accessibility."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, timeout=5)
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(pdf_tags=True)
