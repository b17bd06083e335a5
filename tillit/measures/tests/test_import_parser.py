"""Reading files of measure values: formats, encodings, numbers, and every kind of error.

No database: the parser only reads. The messages are the Swedish ones users see.
"""

from __future__ import annotations

import codecs
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from tillit.measures.charts import format_number
from tillit.measures.importers import values
from tillit.measures.importers.values import (
    MAX_ERRORS,
    detect_delimiter,
    parse_number,
    read_file,
)

HEADER = ["mått_id", "år", "period", "kön", "värde", "kommentar"]


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def csv_bytes(lines: list[str], encoding: str = "utf-8", delimiter: str = ";") -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in (line.split("|") for line in lines))
    return (text + "\r\n").encode(encoding)


def xlsx_file(tmp_path, rows: list[list[object]], name: str = "värden.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Annat").append(["inte", "läst"])
    path = tmp_path / name
    workbook.save(path)
    return path


def texts(parsed) -> list[str]:
    return [str(p) for p in parsed.problems]


# --- formats and encodings ---------------------------------------------------------------


def test_an_excel_file_is_read_from_its_first_sheet(tmp_path):
    path = xlsx_file(
        tmp_path,
        [
            HEADER,
            [12, 2025, "T1", "K", 12.5, "Bra början"],
            [12, 2025, 3, None, 7, None],
            [13, "2024", None, "m", "1 234,5", "Helår"],
        ],
    )
    parsed = read_file(path)
    assert parsed.ok, texts(parsed)
    first, second, third = parsed.rows
    assert (first.row, first.measure_id, first.year) == (2, 12, 2025)
    assert (first.period_kind, first.period, first.gender) == ("tertial", 1, "K")
    assert first.value == Decimal("12.5") and first.comment == "Bra början"
    assert (second.period_kind, second.period, second.gender) == ("month", 3, "T")
    assert second.value == Decimal(7) and second.comment == ""
    assert (third.period_kind, third.period, third.gender) == ("year", 1, "M")
    assert third.value == Decimal("1234.5")


def test_excel_row_numbers_count_blank_rows_as_excel_shows_them(tmp_path):
    path = xlsx_file(
        tmp_path, [HEADER, [12, 2025, None, None, 1], [], [], [12, 2025, "T9", None, 2]]
    )
    parsed = read_file(path)
    assert texts(parsed) == [
        "Rad 5, kolumn ”period”: ”T9” är ingen tertial: det finns tre, T1, T2 och T3."
    ]


def test_excel_binary_fractions_are_rounded_to_four_decimals(tmp_path):
    path = xlsx_file(tmp_path, [HEADER, [12, 2025, None, None, 0.1 + 0.2]])
    assert read_file(path).rows[0].value == Decimal("0.3000")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_windows_1252(encoding):
    data = csv_bytes(
        [
            "mått_id|år|period|kön|värde|kommentar",
            "12|2025|T2|T|12,5|Läsförståelsen ökar i årskurs 4",
            "12|2025|maj||3|Åtgärder för ökad närvaro",
        ],
        encoding,
    )
    parsed = read_file(data, "värden.csv")
    assert parsed.ok, texts(parsed)
    assert [r.comment for r in parsed.rows] == [
        "Läsförståelsen ökar i årskurs 4",
        "Åtgärder för ökad närvaro",
    ]
    assert parsed.rows[0].value == Decimal("12.5")
    assert (parsed.rows[1].period_kind, parsed.rows[1].period) == ("month", 5)


def test_a_bom_is_not_part_of_the_first_column_name():
    data = codecs.BOM_UTF8 + csv_bytes(["mått_id|år|värde", "12|2025|1"])
    assert read_file(data, "a.csv").ok


def test_csv_may_be_separated_by_commas_with_decimal_points_or_quoted_decimal_commas():
    data = csv_bytes(
        ["mått_id,år,värde,kommentar", '12,2025,12.5,"Ökning, tydlig"', '13,2025,"7,25",'],
        delimiter="|",  # the lines carry their own commas
    )
    parsed = read_file(data, "a.csv")
    assert parsed.ok, texts(parsed)
    assert [r.value for r in parsed.rows] == [Decimal("12.5"), Decimal("7.25")]
    assert parsed.rows[0].comment == "Ökning, tydlig"


def test_semicolons_win_over_decimal_commas():
    assert detect_delimiter("mått_id;år;värde\n12;2025;12,5\n") == ";"
    assert detect_delimiter("mått_id,år,värde\n12,2025,12.5\n") == ","


def test_an_undecidable_separator_falls_back_to_semicolon():
    assert detect_delimiter("mått_id\n12\n") == ";"


def test_column_names_are_matched_without_regard_to_case_spaces_or_accents_form():
    data = csv_bytes([" MÅTT_ID |År|Period|KÖN|Värde|ma\u030att id", "12|2025|T3|k|1|"])
    parsed = read_file(data, "a.csv")
    # "ma\u030att id" is "mått id" typed on a Mac: it is mått_id, given twice.
    assert texts(parsed) == ["Kolumnen ”mått_id” finns mer än en gång."]
    data = csv_bytes([" MÅTT_ID |År|Period|KÖN|Värde", "12|2025|T3|k|1"])
    assert read_file(data, "a.csv").rows[0].gender == "K"


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("", "year", 1),
        ("år", "year", 1),
        ("T1", "tertial", 1),
        ("t3", "tertial", 3),
        ("1", "month", 1),
        ("12", "month", 12),
        ("jan", "month", 1),
        ("Maj", "month", 5),
        ("okt", "month", 10),
        ("december", "month", 12),
    ],
)
def test_periods(text, kind, number):
    parsed = read_file(csv_bytes(["mått_id|år|period|värde", f"12|2025|{text}|1"]), "a.csv")
    assert (parsed.rows[0].period_kind, parsed.rows[0].period) == (kind, number)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("1 234 567,5", Decimal("1234567.5")),
        ("1\u00a0234", Decimal("1234")),
        ("1\u202f234,25", Decimal("1234.25")),
        ("-3,5", Decimal("-3.5")),
        ("\u22123,5", Decimal("-3.5")),
        ("0,1230", Decimal("0.123")),
        (",5", Decimal("0.5")),
        ("", None),
    ],
)
def test_numbers_as_swedes_write_them(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "number", ["0", "7", "-3.5", "1234", "-1234567.25", "0.0001", "999999999999.9999"]
)
def test_numbers_as_tillit_shows_them_are_read_back(number):
    assert parse_number(format_number(Decimal(number))) == Decimal(number)


def test_an_empty_value_is_no_value():
    parsed = read_file(csv_bytes(["mått_id|år|värde|kommentar", "12|2025||Ej mätt i år"]), "a.csv")
    assert parsed.rows[0].value is None
    assert parsed.rows[0].given == frozenset({"value", "comment"})


def test_assessments_for_qualitative_measures():
    parsed = read_file(
        csv_bytes(
            [
                "mått_id|år|bedömning",
                "12|2025|Uppfyllt",
                "12|2024|delvis  uppfyllt",
                "12|2023|ej uppfyllt",
                "12|2022|EJ BEDÖMT",
                "12|2021|",
            ]
        ),
        "a.csv",
    )
    assert [r.grade for r in parsed.rows] == ["met", "partly", "not_met", "not_assessed", ""]
    assert parsed.rows[0].given == frozenset({"grade"})


def test_blank_rows_are_skipped():
    parsed = read_file(csv_bytes(["mått_id|år|värde", "12|2025|1", "||", "13|2025|2"]), "a.csv")
    assert [r.row for r in parsed.rows] == [2, 4]


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("|2025|||1", "Rad 2, kolumn ”mått_id”: mått-id saknas."),
        ("x12|2025|||1", "Rad 2, kolumn ”mått_id”: ”x12” är inget mått-id (ett heltal)."),
        ("12||||1", "Rad 2, kolumn ”år”: året saknas."),
        ("12|25|||1", "Rad 2, kolumn ”år”: ”25” är inget år (fyra siffror, t.ex. 2025)."),
        (
            "12|2025|T4||1",
            "Rad 2, kolumn ”period”: ”T4” är ingen tertial: det finns tre, T1, T2 och T3.",
        ),
        ("12|2025|13||1", "Rad 2, kolumn ”period”: ”13” är ingen månad: månaderna är 1–12."),
        (
            "12|2025|Q1||1",
            "Rad 2, kolumn ”period”: ”Q1” är ingen period: lämna tomt (eller skriv ”år”) "
            "för helår, T1–T3 för en tertial, 1–12 eller jan–dec för en månad.",
        ),
        (
            "12|2025||X|1",
            "Rad 2, kolumn ”kön”: ”X” är inget kön: skriv T (totalt), K (kvinnor) eller M (män).",
        ),
        ("12|2025|||12,5,3", "Rad 2, kolumn ”värde”: ”12,5,3” är inget tal."),
        ("12|2025|||1.234,5", "Rad 2, kolumn ”värde”: ”1.234,5” är inget tal."),
        ("12|2025|||12 5", "Rad 2, kolumn ”värde”: ”12 5” är inget tal."),
        ("12|2025|||12 %", "Rad 2, kolumn ”värde”: ”12 %” är inget tal."),
        ("12|2025|||0,12345", "Rad 2, kolumn ”värde”: ”0,12345” har fler än 4 decimaler."),
        (
            "12|2025|||12345678901234567",
            "Rad 2, kolumn ”värde”: ”12345678901234567” är för stort.",
        ),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column(cells, message):
    parsed = read_file(csv_bytes(["mått_id|år|period|kön|värde", cells]), "a.csv")
    assert texts(parsed) == [message]
    assert parsed.rows == []


def test_a_bad_assessment_is_named():
    parsed = read_file(csv_bytes(["mått_id|år|bedömning", "12|2025|bra"]), "a.csv")
    assert texts(parsed) == [
        "Rad 2, kolumn ”bedömning”: ”bra” är ingen bedömning: skriv uppfyllt, "
        "delvis uppfyllt, ej uppfyllt eller ej bedömt."
    ]


def test_every_error_in_the_file_is_reported_not_only_the_first():
    parsed = read_file(
        csv_bytes(
            [
                "mått_id|år|period|värde",
                "12|2025|T1|1",
                "12|2025|T2|abc",
                "12|20255|T3|2",
                "13|2025|T5|x",
            ]
        ),
        "a.csv",
    )
    assert [(p.row, p.column) for p in parsed.problems] == [
        (3, "värde"),
        (4, "år"),
        (5, "period"),
        (5, "värde"),
    ]
    assert [r.row for r in parsed.rows] == [2]


def test_a_period_given_twice_names_both_rows():
    parsed = read_file(
        csv_bytes(
            ["mått_id|år|period|kön|värde", "12|2025|T1|T|1", "13|2025|T1|T|1", "12|2025|t1||2"]
        ),
        "a.csv",
    )
    assert texts(parsed) == [
        "Rad 4: samma mått, period och kön som rad 2: ett värde kan bara anges en gång."
    ]
    assert [r.row for r in parsed.rows] == [2, 3]


def test_the_year_and_an_empty_period_are_the_same_period():
    parsed = read_file(
        csv_bytes(["mått_id|år|period|värde", "12|2025||1", "12|2025|år|2"]), "a.csv"
    )
    assert texts(parsed) == [
        "Rad 3: samma mått, period och kön som rad 2: ett värde kan bara anges en gång."
    ]


def test_unknown_columns_are_named():
    parsed = read_file(csv_bytes(["mått_id|år|värde|enhet|källa", "12|2025|1|st|egen"]), "a.csv")
    assert texts(parsed) == [
        "Okända kolumner ”enhet”, ”källa”. Kolumnerna är: mått_id, år, period, kön, värde, "
        "bedömning, kommentar."
    ]


def test_a_missing_required_column_is_named():
    parsed = read_file(csv_bytes(["mått_id|värde", "12|1"]), "a.csv")
    assert texts(parsed) == ["Den obligatoriska kolumnen ”år” saknas."]


def test_a_file_needs_a_value_or_an_assessment_column():
    parsed = read_file(csv_bytes(["mått_id|år|kommentar", "12|2025|hej"]), "a.csv")
    assert texts(parsed) == ["Filen behöver en kolumn ”värde” eller ”bedömning”."]


def test_a_value_in_a_column_without_a_name_is_an_error():
    parsed = read_file(csv_bytes(["mått_id|år|värde|", "12|2025|1|", "12|2024|1|oj"]), "a.csv")
    assert texts(parsed) == ["Rad 3: cellen i kolumn D har ett värde, men kolumnen saknar namn."]


def test_an_empty_file_has_no_header():
    assert texts(read_file(b"", "a.csv")) == ["Filen är tom: den har ingen rubrikrad."]
    assert texts(read_file(b"\r\n;;\r\n", "a.csv")) == ["Filen är tom: den har ingen rubrikrad."]


def test_an_old_excel_file_is_refused_with_advice():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert texts(read_file(data, "värden.xls")) == [
        "Filen är i det gamla Excelformatet (.xls): spara den som .xlsx eller .csv och försök igen."
    ]


def test_a_damaged_excel_file_is_refused(tmp_path):
    assert texts(read_file(b"PK\x03\x04 not really a zip", "värden.xlsx")) == [
        "Filen gick inte att läsa som en Excelarbetsbok (.xlsx)."
    ]


def test_utf16_text_is_refused_with_advice():
    data = "mått_id\tår\tvärde\r\n".encode("utf-16")
    assert texts(read_file(data, "a.csv")) == [
        "Filen är inte text: spara den som CSV (UTF-8 eller Windows-1252)."
    ]


def test_a_file_with_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(values, "MAX_ROWS", 3)
    parsed = read_file(csv_bytes(["mått_id|år|värde", "1|2025|1", "2|2025|1", "3|2025|1"]), "a.csv")
    assert texts(parsed) == ["Filen har fler än 3 rader: dela upp den i mindre filer."]
    assert parsed.rows == []


def test_at_most_so_many_errors_are_kept_but_all_are_found():
    lines = ["mått_id|år|värde"] + [f"12|{2000 + i % 50}|x{i}" for i in range(MAX_ERRORS + 50)]
    parsed = read_file(csv_bytes(lines), "a.csv")
    assert len(parsed.problems) == MAX_ERRORS + 50  # the service shows the first MAX_ERRORS
