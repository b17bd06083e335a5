"""The report's tables as an Excel workbook, read back with openpyxl: real numbers."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tillit.reports.render.html import fulfilment_label
from tillit.reports.render.xlsx import number_format

from .sample import rendered, sample_content


def workbook(kind: str):
    return load_workbook(io.BytesIO(rendered(kind, "xlsx")[0]))


@pytest.fixture(scope="module")
def annual():
    return workbook("annual")


@pytest.fixture(scope="module")
def interim():
    return workbook("interim")


def measures_of(content) -> list[dict]:
    return [
        measure
        for perspective in content["plan"]["perspectives"]
        for area in perspective["focus_areas"]
        for goal in area["goals"]
        for measure in goal["measures"]
    ]


def as_decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def test_the_sheets_are_tables_with_a_bold_frozen_filtered_header(annual):
    assert len(annual.worksheets) == 3
    for sheet in annual.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1] if cell.value is not None)
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.auto_filter.ref.endswith(str(sheet.max_row))
        assert sheet.column_dimensions["A"].width >= 20
    assert annual.properties.title == "Årsredovisning 2025"
    assert annual.properties.creator == "Grästorps kommun"


def test_one_row_per_measure_with_numeric_values_equal_to_the_report(annual):
    sheet = annual.worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))
    measures = measures_of(sample_content("annual"))
    assert len(rows) == len(measures)
    for row, measure in zip(rows, measures, strict=True):
        values = [cell.value for cell in row]
        assert values[4] == measure["title"] and values[5] == (measure["unit"] or None)
        for column, key in ((7, "baseline_value"), (9, "target"), (10, "latest_value")):
            if measure[key] is not None:
                assert isinstance(values[column], int | float)
                assert as_decimal(values[column]) == Decimal(measure[key])
                assert row[column].number_format == number_format(measure["decimals"])
        assert values[8] == measure["baseline_year"]
        assert values[12] == measure["status_label"]
    first = [cell.value for cell in rows[0]][:3]
    assert first == [
        "Perspektiv 1: Samhällsutveckling",
        "Fokusområde 1: Bo och leva",
        "Mål 1: Vi skapar förutsättningar för kontinuerlig ökning av kommuninnevånare",
    ]


def test_a_qualitative_measure_gives_its_grades_in_words(annual):
    row = next(
        [cell.value for cell in row]
        for row in annual.worksheets[0].iter_rows(min_row=2)
        if row[4].value == "Förskolans lärmiljö, kvalitetsbedömning"
    )
    assert row[9] == fulfilment_label("met") and row[10] == fulfilment_label("partly")


def test_the_yearly_values_are_one_column_per_year(annual, interim):
    sheet = annual.worksheets[1]
    header = [cell.value for cell in sheet[1]]
    assert header[3:] == ["2021", "2022", "2023", "2024", "2025"]
    rows = {row[1].value: [cell.value for cell in row[3:]] for row in sheet.iter_rows(min_row=2)}
    assert rows["Befolkningsförändring under året"] == [21, 27, -8, 46, 24]
    assert rows["Elever i åk 5 som känner sig trygga i skolan"] == [None, 91.5, None, 93, 92.25]
    assert rows["Antal besökare i Grästorps bibliotek per invånare"] == [None] * 5
    assert [cell.value for cell in interim.worksheets[1][1]][-1] == "2026"


def test_the_operations_are_in_thousands_of_kronor_with_the_interim_forecast(annual, interim):
    sheet = annual.worksheets[2]
    rows = {row[0].value: [cell.value for cell in row] for row in sheet.iter_rows(min_row=2)}
    assert as_decimal(rows["Samhällsbyggnad"][1]) == Decimal("52300")
    assert as_decimal(rows["Samhällsbyggnad"][2]) == Decimal("53105.22075")
    assert as_decimal(rows["Samhällsbyggnad"][3]) == Decimal("-805.22075")
    assert sheet.cell(row=2, column=2).number_format == "#,##0"
    assert all(cell.font.bold for cell in sheet[sheet.max_row][:4])
    assert sheet[sheet.max_row][0].value == "Summa verksamheter"
    forecast = interim.worksheets[2]
    assert forecast.max_column == 8  # name, six figures, comment
    rows = {row[0].value: [cell.value for cell in row] for row in forecast.iter_rows(min_row=2)}
    assert rows["Vård och omsorg"][5:7] == [172500, -4500]
    assert rows["Vård och omsorg"][7].startswith("Fler placeringar")


def test_the_least_a_report_can_hold_has_no_economy_sheet():
    sparse = workbook("sparse")
    assert len(sparse.worksheets) == 2
    assert sparse.worksheets[0].max_row == 1  # the header alone: no goal has measures


def test_number_formats_follow_the_decimals():
    assert number_format(0) == "#,##0"
    assert number_format(2) == "#,##0.00"
    assert number_format(None) == "#,##0"
