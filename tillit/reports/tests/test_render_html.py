"""The report as HTML: the standalone document and the body the web preview includes.

Read back as a tree (lxml), on the hand-written sample of Grästorp (sample.py): the
contents link to every part, tables are captioned with scoped headers, every chart has its
data table, figures read in Swedish, a draft shows what is missing. Assertions are on
the sample's data and on structure, not on the interface's own (still English) words.
"""

from __future__ import annotations

import copy
import datetime
import re

import lxml.html
import pytest
from django.template.loader import render_to_string

from tillit.reports import formatting as fmt
from tillit.reports.render.html import document_context, render_html

from .sample import rendered, sample_content

NBSP = "\u00a0"


def tree(html: str):
    return lxml.html.document_fromstring(html)


def text_of(element) -> str:
    """The element's text with runs of ASCII white space as one space (U+00A0 kept)."""
    return re.sub(r"[ \t\r\n\f]+", " ", element.text_content()).strip()


def body_html(content) -> str:
    return render_to_string("reports/document/_body.html", document_context(content))


@pytest.fixture(scope="module")
def annual():
    return tree(rendered("annual", "html")[0].decode())


@pytest.fixture(scope="module")
def interim():
    return tree(rendered("interim", "html")[0].decode())


@pytest.fixture(scope="module")
def sparse():
    return tree(rendered("sparse", "html")[0].decode())


# -- formatting -------------------------------------------------------------------------------


def test_numbers_read_in_swedish_without_the_machines_locale():
    assert fmt.number("1234567.5") == f"1{NBSP}234{NBSP}567,5"
    assert fmt.number("-8", 1) == "\u22128,0"
    assert fmt.number(None) == "–" and fmt.number("") == "–" and fmt.number("abc") == "–"
    assert fmt.mnkr("-3204118") == "\u22123,2"
    assert fmt.mnkr("8512345.00") == "8,5"
    assert fmt.tkr("190000000") == f"190{NBSP}000"
    assert fmt.percent("1.95") == f"2,0{NBSP}%"
    assert fmt.with_unit("22.16", "kr") == f"22,16{NBSP}kr"
    assert fmt.with_unit("52345.00", "kr") == f"52{NBSP}345{NBSP}kr"
    assert fmt.with_unit("412.34", "mnkr") == f"412,3{NBSP}mnkr"  # a value in its unit
    assert fmt.with_unit("1234", "tkr") == f"1{NBSP}234{NBSP}tkr"
    assert fmt.with_unit("63", "index") == f"63{NBSP}index"
    assert fmt.in_unit("-0.8", "%") == "\u22120,8"


def test_dates_and_moments_read_in_swedish_time():
    assert fmt.date("2026-03-25") == "25 mars 2026"
    assert fmt.date(datetime.date(2025, 8, 1)) == "1 augusti 2025"
    assert fmt.date("") == "" and fmt.date("not a date") == ""
    # A moment in UTC shows in Swedish time: winter +1, summer +2.
    assert fmt.moment("2026-03-25T13:42:07+00:00") == f"25 mars 2026 kl.{NBSP}14.42"
    assert fmt.moment("2026-09-18T08:05:00+00:00") == f"18 september 2026 kl.{NBSP}10.05"
    assert fmt.period("2025-02-01", "2026-06-30") == "1 februari 2025–30 juni 2026"
    assert fmt.period("2025-08-18", "") == "18 augusti 2025"
    assert fmt.month_name(8) == "augusti" and fmt.month_name(13) == ""


def test_texts_are_split_into_paragraphs_at_blank_lines():
    assert fmt.paragraphs("Ett.\n\n  \nTvå\nrader.\r\n\r\nTre.") == ["Ett.", "Två\nrader.", "Tre."]
    assert fmt.paragraphs("") == [] and fmt.paragraphs(None) == []


# -- the document ---------------------------------------------------------------------------------


def test_the_document_is_swedish_with_the_report_on_its_cover(annual):
    assert annual.get("lang") == "sv"
    assert text_of(annual.find(".//title")) == "Årsredovisning 2025 – Grästorps kommun"
    cover = annual.find_class("cover")[0]
    assert text_of(cover.find(".//h1")) == "Årsredovisning 2025"
    assert "Grästorps kommun" in text_of(cover)
    assert "januari–december 2025" in text_of(cover)
    assert "KS 2026-03-25 § 45" in text_of(cover)
    assert "Godkänd av kommunstyrelsen" in text_of(cover)
    assert not cover.find_class("cover__state--draft")
    assert len(annual.findall(".//h1")) == 1


def test_a_draft_is_marked_as_one_on_its_cover_and_every_page(interim):
    cover = interim.find_class("cover")[0]
    assert text_of(cover.find_class("cover__state--draft")[0]) == "Utkast"
    assert '@top-center { content: "UTKAST"' in text_of(interim.find(".//style"))


def test_the_contents_link_to_every_part_and_every_link_lands(annual, interim, sparse):
    for document in (annual, interim, sparse):
        ids = [element.get("id") for element in document.iter() if element.get("id")]
        assert len(ids) == len(set(ids)), "ids are unique"
        toc = document.get_element_by_id("report-contents").getparent()
        assert toc.tag == "nav" and toc.get("aria-labelledby") == "report-contents"
        targets = [a.get("href")[1:] for a in toc.iter("a")]
        assert all(target in ids for target in targets)
        parts = [h2.get("id") for h2 in document.iter("h2") if h2.getparent().tag == "section"]
        assert parts and set(parts) <= set(targets)


def test_the_contents_list_the_sections_and_perspectives_in_order(annual):
    toc = annual.get_element_by_id("report-contents").getparent()
    entries = [text_of(a) for a in toc.iter("a")]
    sections = [s["title"] for s in sample_content("annual")["sections"]]
    assert [e for e in entries if e in sections] == sections
    assert entries.index("Perspektiv 1: Samhällsutveckling") < entries.index(
        "Perspektiv 2: Välfärdsutveckling"
    )


def test_every_table_has_a_caption_and_scoped_headers(annual, interim, sparse):
    for document in (annual, interim, sparse):
        tables = list(document.iter("table"))
        assert tables
        for table in tables:
            assert table.find("caption") is not None and text_of(table.find("caption"))
            for th in table.iter("th"):
                assert th.get("scope") in ("col", "row")


def test_headings_never_skip_a_level(annual, interim, sparse):
    for document in (annual, interim, sparse):
        levels = [int(h.tag[1]) for h in document.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, levels


def test_the_body_starts_at_h2_for_the_web_preview():
    body = tree(f"<div>{body_html(sample_content('annual'))}</div>")
    headings = list(body.iter("h1", "h2", "h3", "h4", "h5", "h6"))
    assert headings[0].tag == "h2" and not list(body.iter("h1"))


def test_the_goals_are_shown_per_perspective_and_focus_area_with_their_assessment(annual):
    goal = annual.get_element_by_id("report-goal-101")
    assert goal.tag == "h5"
    assert text_of(goal) == (
        "Mål 1: Vi skapar förutsättningar för kontinuerlig ökning av kommuninnevånare"
    )
    article = goal.getparent()
    words = text_of(article)
    assert "Delvis uppfyllt" in words  # the status in words, not colour alone
    assert article.find_class("status--yellow")
    assert "Inflyttningen från Trollhättan och Vänersborg är fortsatt stark" in words
    assert "Detaljplanen för Södra Grästorp antas under våren." in words
    assert "Maria Öberg, 12 februari 2026" in words
    assert "Samhällsbyggnad" in words and "Två av tre planerade detaljplaner" in words
    assert "Samhällsbyggnadsutskottet, 14 maj 2025" in words
    assert "Förvaltningen återkommer med en tidplan" in words
    area = annual.get_element_by_id("report-focus-area-1-1")
    assert area.tag == "h4" and text_of(area) == "Fokusområde 1: Bo och leva"
    perspective = annual.get_element_by_id("report-perspective-2")
    assert perspective.tag == "h3" and text_of(perspective) == "Perspektiv 2: Välfärdsutveckling"


def test_a_goal_without_an_approved_assessment_says_so_and_shows_the_suggestion(annual):
    article = annual.get_element_by_id("report-goal-103").getparent()
    assert article.find_class("status--grey")
    assert "Delvis uppfyllt" in text_of(article)  # what the measures suggest
    assert not article.find_class("report-measures")  # a goal without measures has no table


def test_the_measures_are_a_table_and_each_series_a_chart_with_its_data_table(annual):
    row = annual.get_element_by_id("report-measure-101-11")
    cells = [text_of(cell) for cell in row]
    assert cells[0].startswith("Antal invånare 31 december")
    assert cells[1:5] == ["antal", f"5{NBSP}650 (2022)", f"5{NBSP}750", f"5{NBSP}712 (2025)"]
    assert "Nära målvärdet" in cells[5]
    figure = annual.get_element_by_id("report-measure-101-11-chart-figure")
    svg = figure.find(".//svg")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == (
        "report-measure-101-11-chart-title report-measure-101-11-chart-desc"
    )
    table = figure.find(".//table")
    rows = [[text_of(c) for c in tr] for tr in table.find("tbody")]
    assert rows[0][:2] == ["2021", f"5{NBSP}623"]
    assert rows[-1] == ["2025", f"5{NBSP}712", f"5{NBSP}750"]
    change = annual.get_element_by_id("report-measure-101-12-chart-figure")
    assert ["2023", "\u22128", "–"] in [[text_of(c) for c in tr] for tr in change.find(".//tbody")]


def test_a_measure_without_values_has_no_chart_and_a_qualitative_one_shows_grades(annual):
    assert annual.get_element_by_id("report-measure-102-22") is not None
    with pytest.raises(KeyError):
        annual.get_element_by_id("report-measure-102-22-chart-figure")
    row = annual.get_element_by_id("report-measure-201-53")
    cells = [text_of(cell) for cell in row]
    assert cells[3] and cells[3] != "–"  # the target grade in words
    assert cells[4].endswith("(2025)") and not cells[4].startswith("–")


def test_the_activities_and_values_are_formatted_in_swedish(annual):
    words = text_of(annual)
    assert "1 februari 2025–30 juni 2026" in words
    assert f"60{NBSP}%" in words
    assert "92,3 (2025)" in words  # 92.25 rounded half up to the measure's one decimal


def test_the_five_year_overview_fills_its_section_and_the_economy_is_in_mnkr(annual):
    overview = annual.get_element_by_id("report-section-overview").getparent()
    table = overview.find(".//table")
    assert table.get("id") == "report-five-year"
    result_row = [text_of(c) for c in table.find("tbody")[1]]
    assert result_row == ["Årets resultat (mnkr)", "14,0", "12,5", "9,3", "\u22123,2", "8,5"]
    statement = annual.get_element_by_id("report-income-statement")
    rows = {text_of(tr[0]): text_of(tr[1]) for tr in statement.find("tbody")}
    assert rows["Verksamhetens nettokostnader"] == "\u2212426,7"
    assert rows["Årets resultat"] == "8,5"
    assert "31 december 2025" in text_of(annual.get_element_by_id("report-balance-sheet"))


def test_each_economy_part_is_shown_once(annual, interim):
    for document in (annual, interim):
        for part in ("report-five-year", "report-balance-requirement", "report-financial-goals"):
            assert len([e for e in document.iter() if e.get("id") == part]) <= 1
    # The interim report has no overview section: its five-year overview goes to the economy.
    economy = interim.get_element_by_id("report-economy").getparent()
    assert economy.get_element_by_id("report-five-year") is not None
    balance = interim.get_element_by_id("report-section-balance_requirement").getparent()
    assert balance.find(".//table").get("id") == "report-balance-requirement"


def test_the_operations_show_deficits_with_words_and_the_interim_forecast(annual, interim):
    table = interim.get_element_by_id("report-operations")
    rows = {text_of(tr[0]): [text_of(c) for c in tr[1:]] for tr in table.find("tbody")}
    assert rows["Vård och omsorg"][4] == "172,5"  # the forecast
    assert rows["Vård och omsorg"][5].endswith("\u22124,5")  # frame − forecast
    deficit = table.find_class("deviation--negative")[0]
    assert deficit.find_class("visually-hidden")  # the deficit in words, not red alone
    assert "Fler placeringar inom individ- och familjeomsorgen" in text_of(interim)
    annual_table = annual.get_element_by_id("report-operations")
    assert len(annual_table.find("thead")[0]) == 4  # no forecast in the annual report
    total = annual_table.find("tbody")[-1]
    assert "report-amounts__total" in total.get("class")
    assert text_of(total[0]) == "Summa verksamheter"


def test_a_draft_lists_what_is_missing_and_marks_unwritten_texts(interim, annual):
    missing = interim.get_element_by_id("report-missing-heading").getparent()
    assert "Förväntad utveckling: Texten är inte skriven ännu." in text_of(missing)
    section = interim.get_element_by_id("report-section-expected_development").getparent()
    note = section.find_class("report-note--required")[0]
    assert "Vad de kommande åren väntas innebära." in text_of(note)
    assert "Karin Ek" in text_of(
        interim.get_element_by_id("report-section-events").getparent()
    )  # who writes it, while it is a draft
    with pytest.raises(KeyError):
        annual.get_element_by_id("report-missing-heading")
    assert not annual.find_class("report-note--required")
    assert "Karin Ek" not in text_of(annual.find(".//main"))


def test_an_approved_report_leaves_out_an_optional_text_nobody_wrote():
    content = sample_content("annual")
    content["sections"][0]["text"] = ""  # the foreword
    html = tree(render_html(content))
    with pytest.raises(KeyError):
        html.get_element_by_id("report-section-foreword")


def test_texts_are_escaped():
    content = sample_content("interim")
    content["sections"][1]["text"] = "<script>alert(1)</script> & <b>fet</b>"
    content["plan"]["perspectives"][0]["focus_areas"][0]["goals"][0]["title"] = "<i>x</i>"
    html = render_html(content)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>fet</b>" not in html


def test_the_least_a_report_can_hold_still_renders(sparse):
    ids = {element.get("id") for element in sparse.iter() if element.get("id")}
    assert "report-economy" not in ids and "report-vision" not in ids
    assert "report-summary" not in ids
    # No focus areas: the goals come straight under their perspective.
    assert sparse.get_element_by_id("report-goal-101").tag == "h4"
    words = text_of(sparse)
    assert "Välfärdsutveckling" in words  # a perspective without goals still shows
    position = sparse.get_element_by_id("report-section-financial_position").getparent()
    assert position.find_class("report-note")  # no economy: said, not left blank


def test_a_colour_that_is_not_one_stays_out_of_the_style_attribute():
    content = sample_content("annual")
    content["sdg_summary"][0]["colour"] = "red; background-image: url(file:///etc/passwd)"
    html = render_html(content)
    assert "passwd" not in html
    assert 'style="background: #C5192D"' in html  # the next goal's colour is one


def test_older_or_odd_content_does_not_break_the_document():
    content = copy.deepcopy(sample_content("annual"))
    goal = content["plan"]["perspectives"][0]["focus_areas"][0]["goals"][0]
    goal["assessment"]["status"] = "something_new"
    goal["measures"][0]["status"] = "unknown"
    goal["measures"][0]["series"].append({"year": 2026, "value": "not a number"})
    content["economy"]["operations"][0]["forecast"] = ""
    content["economy"]["balance_requirement"] = []
    content["economy"]["five_year"] = {"years": [], "rows": []}
    html = tree(render_html(content))
    assert html.get_element_by_id("report-goal-101") is not None
    assert html.get_element_by_id("report-measure-101-11").find_class("status--grey")


def test_the_economy_runs_through_the_reports_month_even_with_later_outcome():
    content = sample_content("interim")
    content["economy"]["latest_month"] = 10  # the accounts have come further since
    economy = document_context(content)["economy"]
    assert economy["month"] == "augusti"
    assert economy["balance_date"] == "31 augusti 2026"
    content["economy"]["latest_month"] = 6  # the accounts lag behind the report
    assert document_context(content)["economy"]["balance_date"] == "30 juni 2026"


def test_the_context_has_every_figure_formatted():
    context = document_context(sample_content("interim"))
    economy = context["economy"]
    assert economy["result"][-1][1] == f"\u22122,4{NBSP}mnkr"  # the forecast result
    assert economy["balance"]["columns"][0].startswith("2026")
    assert economy["deficits"][0]["amount"] == "2,4"
    assert context["report"]["draft"] is True
    assert context["report"]["composed_at"] == f"18 september 2026 kl.{NBSP}10.05"
