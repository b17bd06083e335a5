"""The same content gives the same bytes, whenever it is rendered: a frozen report
re-renders byte for byte the same. And what the content says shows in every format."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from tillit.reports.render import render

from .sample import content_of_kind, rendered

FORMATS = ("html", "pdf", "docx", "xlsx")


def rendered_at_least_a_second_ago(kind: str, fmt: str) -> bytes:
    """The session's render of the sample, at least 1.1 s old: zip entries are dated to
    the second, so a renderer that used the clock would give other bytes now."""
    data, made = rendered(kind, fmt)
    wait = 1.1 - (time.monotonic() - made)
    if wait > 0:
        time.sleep(wait)
    return data


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_content_renders_to_the_same_bytes(fmt):
    first = rendered_at_least_a_second_ago("annual", fmt)
    assert render(content_of_kind("annual"), fmt) == first


@pytest.mark.parametrize("fmt", FORMATS)
def test_another_moment_or_text_gives_another_file(fmt):
    kind = "annual" if fmt != "pdf" else "sparse"  # the small one, where PDFs are slow
    base = rendered(kind, fmt)[0]

    moved = content_of_kind(kind)
    moved["composed_at"] = "2026-04-01T09:00:00+00:00"
    assert render(moved, fmt) != base

    retitled = content_of_kind(kind)
    goal = retitled["plan"]["perspectives"][0]["focus_areas"][0]["goals"][0]
    goal["label"] = goal["label"].replace("kommuninnevånare", "invånare i Grästorp")
    if goal["measures"]:  # the workbook shows the measures, not the goal's texts
        goal["measures"][0]["title"] = "Antal invånare i Grästorp 31 december"
    assert render(retitled, fmt) != base


@pytest.mark.parametrize("fmt", ("docx", "xlsx"))
def test_every_office_entry_is_dated_to_the_moment_the_report_was_composed(fmt):
    package = zipfile.ZipFile(io.BytesIO(rendered("annual", fmt)[0]))
    assert {entry.date_time for entry in package.infolist()} == {(2026, 3, 25, 13, 42, 6)}
    core = package.read("docProps/core.xml").decode()
    assert core.count("2026-03-25T13:42:07Z") == 2  # created and modified


@pytest.mark.parametrize("fmt", ("html", "docx", "xlsx"))
def test_rendering_reports_its_progress_in_steps(fmt):
    steps = []
    render(
        content_of_kind("sparse"), fmt, progress=lambda percent, step: steps.append((percent, step))
    )
    if fmt == "html":
        assert steps == []  # at once: nothing to follow
        return
    percents = [percent for percent, _step in steps]
    assert len(steps) >= 2 and percents == sorted(percents) and 0 < percents[-1] < 100
    assert all(step.endswith("…") for _percent, step in steps)
