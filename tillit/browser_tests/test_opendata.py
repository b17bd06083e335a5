"""The open data page in a real browser, checked with axe-core at every step: a journalist
comes from the portal's menu, opens a dataset's columns by keyboard, downloads the measure
values as CSV, and reads the page on a phone."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_journalist_finds_reads_and_downloads_the_open_data(
    page, grastorp, visit, follow, axe_check
):
    visit(page, "/insyn/")
    follow(page.get_by_role("navigation").get_by_role("link", name=gettext("Open data")))
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext("Open data"))
    expect(page.locator('nav a[aria-current="page"]')).to_have_attribute(
        "href", "/insyn/oppna-data/"
    )

    # The columns of the measure values, opened with the keyboard.
    values = page.locator("#matvarden")
    summary = values.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    table = values.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.locator("th[scope=row] code").first).to_have_text("measure_id")
    axe_check(page)

    # The CSV, as the browser saves it.
    with page.expect_download() as download_info:
        values.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "grastorp-matvarden.csv"
    with open(download.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read(), newline="")))
    assert rows and rows[0]["measure_title"] == "Antal invånare"

    # On a phone: the same page, nothing out of reach.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    axe_check(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a 375px screen"
