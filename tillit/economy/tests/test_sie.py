"""The SIE 4 reader and writer: realistic files, every error message, and fuzzing.

No database: the module under test is plain Python.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tillit.economy.sie import (
    Account,
    Balance,
    Dimension,
    FiscalYear,
    PeriodAmount,
    SieError,
    SieFile,
    SieObject,
    Transaction,
    Voucher,
    detect_encoding,
    parse,
    split_fields,
    write,
)

GRASTORP = """\
#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#PROGRAM "Raindance" "2024.1"
#GEN 20250115 "Ekonomienheten"
#FNAMN "Grästorps kommun"
#ORGNR 212000-1546
#ADRESS "Ekonomichef" "Torggatan 1" "467 80 Grästorp" "0514-580 00"
#VALUTA SEK
#RAR 0 20240101 20241231
#RAR -1 20230101 20231231
#KPTYP "KOMMUNBAS"
#DIM 1 "Kostnadsställe"
#DIM 6 "Projekt"
#OBJEKT 1 "100" "Kommunstyrelsen"
#OBJEKT 1 "410" "Förskola Ängen"
#OBJEKT 1 "520" "Äldreomsorg Österbo"
#OBJEKT 6 "P1" "Skolgårdsprojektet"
#KONTO 1930 "Bank"
#KONTO 2011 "Eget kapital"
#KONTO 3011 "Taxor och avgifter"
#KONTO 4011 "Löner månadsavlönade"
#KONTO 7810 "Avskrivningar på byggnader"
#KONTO 8011 "Kommunalskatt"
#KTYP 1930 T
#KTYP 2011 S
#KTYP 3011 I
#KTYP 4011 K
#SRU 1930 7281
#IB 0 1930 15234567.89
#IB 0 2011 -15234567.89
#UB 0 1930 14890123.45
#IB -1 1930 14000000.00
#OIB 0 1930 {1 "100"} 500.00
#OUB 0 1930 {1 "100"} 650.00
#RES 0 3011 -2500000.00
#RES 0 4011 48000000.00 12
#RES 0 7810 1200000
#RES 0 8011 -310000000.5
#PSALDO 0 202401 4011 {} 4000000.00
#PSALDO 0 202401 4011 {1 "410"} 1250000.50 3
#PSALDO 0 202402 3011 {1 "520" 6 "P1"} -210000.00
#PBUDGET 0 202401 4011 {} 3900000.00
#PBUDGET 0 202401 4011 {1 "410"} 1200000.00
#VER A 1 20240131 "Löner januari" 20240201
{
#TRANS 4011 {1 "410"} 1250000.50 20240131 "Förskola Ängen"
#TRANS 4011 {1 "520"} 2749999.50
#TRANS 1930 {} -4000000.00
}
#VER B 17 20240215 "Avgifter äldreomsorg"
{
#TRANS 1930 {} 210000.00
#TRANS 3011 {1 "520" 6 "P1"} -210000.00 "" "Österbo" 42
}
"""

FOUR_I = """\
#FLAGGA 0
#PROGRAM "Tillit" "1.0"
#FORMAT PC8
#GEN 20250301
#SIETYP 4
#FNAMN "Grästorps kommun"
#VER "" "" 20250228 "Omföring"
{
#TRANS 4011 {1 "410"} 500.00
#TRANS 4011 {1 "520"} -500.00
}
"""


def comparable(sie: SieFile) -> SieFile:
    """The file without what a round trip may change: lines, encoding, #FORMAT, skipped."""
    return dataclasses.replace(
        sie,
        encoding="",
        declared_format="",
        skipped=[],
        balances=[dataclasses.replace(b, line=0) for b in sie.balances],
        period_balances=[dataclasses.replace(p, line=0) for p in sie.period_balances],
        period_budgets=[dataclasses.replace(p, line=0) for p in sie.period_budgets],
        vouchers=[
            dataclasses.replace(
                v, line=0, transactions=[dataclasses.replace(t, line=0) for t in v.transactions]
            )
            for v in sie.vouchers
        ],
    )


def sie_error(text: str | bytes) -> SieError:
    with pytest.raises(SieError) as caught:
        parse(text.encode() if isinstance(text, str) else text)
    return caught.value


# --- Realistic files ---------------------------------------------------------


def test_realistic_4e_in_cp437():
    data = GRASTORP.encode("cp437")
    assert "å".encode("cp437") in data  # really PC8, not UTF-8

    sie = parse(data)

    assert sie.encoding == "cp437"
    assert sie.kind == "4E"
    assert (sie.flag, sie.declared_format, sie.sie_type) == (0, "PC8", 4)
    assert sie.program == "Raindance"
    assert sie.generated == dt.date(2025, 1, 15)
    assert sie.company == "Grästorps kommun"
    assert sie.org_number == "212000-1546"
    assert sie.currency == "SEK"
    assert sie.info == {
        "program_version": "2024.1",
        "gen_sign": "Ekonomienheten",
        "adress_kontakt": "Ekonomichef",
        "adress_utdelningsadr": "Torggatan 1",
        "adress_postadr": "467 80 Grästorp",
        "adress_tel": "0514-580 00",
        "kptyp": "KOMMUNBAS",
    }
    assert sie.year_of(0) == FiscalYear(0, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert sie.year_of(-1) == FiscalYear(-1, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert sie.year_of(-2) is None
    assert sie.accounts["4011"] == Account("4011", "Löner månadsavlönade", "K")
    assert sie.accounts["1930"] == Account("1930", "Bank", "T", "7281")
    assert sie.accounts["7810"].name == "Avskrivningar på byggnader"
    assert sie.dimensions == {1: Dimension(1, "Kostnadsställe"), 6: Dimension(6, "Projekt")}
    assert sie.objects[(1, "410")] == SieObject(1, "410", "Förskola Ängen")
    assert sie.objects[(1, "520")].name == "Äldreomsorg Österbo"
    assert len(sie.objects) == 4
    assert sie.skipped == []

    assert sie.balances[0] == Balance("IB", 0, "1930", Decimal("15234567.89"), line=30)
    assert sie.balances[3] == Balance("IB", -1, "1930", Decimal("14000000"), line=33)
    assert sie.balances[4] == Balance("IB", 0, "1930", Decimal("500"), ((1, "100"),), line=34)
    assert sie.balances[5].kind == "UB" and sie.balances[5].objects == ((1, "100"),)
    assert sie.balances[7] == Balance(
        "RES", 0, "4011", Decimal("48000000"), quantity=Decimal(12), line=37
    )
    assert sie.balances[9].amount == Decimal("-310000000.50")
    assert [b.kind for b in sie.balances] == ["IB", "IB", "UB", "IB", "IB", "UB"] + ["RES"] * 4

    assert sie.period_balances == [
        PeriodAmount(0, 2024, 1, "4011", (), Decimal("4000000"), line=40),
        PeriodAmount(0, 2024, 1, "4011", ((1, "410"),), Decimal("1250000.5"), Decimal(3), 41),
        PeriodAmount(0, 2024, 2, "3011", ((1, "520"), (6, "P1")), Decimal("-210000"), line=42),
    ]
    assert [p.amount for p in sie.period_budgets] == [Decimal("3900000"), Decimal("1200000")]
    assert sie.period_budgets[1].objects == ((1, "410"),)

    first, second = sie.vouchers
    assert (first.series, first.number, first.date, first.text, first.line) == (
        "A",
        "1",
        dt.date(2024, 1, 31),
        "Löner januari",
        45,
    )
    assert first.registered == dt.date(2024, 2, 1)
    assert first.transactions[0] == Transaction(
        "4011",
        ((1, "410"),),
        Decimal("1250000.50"),
        dt.date(2024, 1, 31),
        "Förskola Ängen",
        line=47,
    )
    assert [t.amount for t in first.transactions] == [
        Decimal("1250000.50"),
        Decimal("2749999.50"),
        Decimal("-4000000.00"),
    ]
    assert second.transactions[1] == Transaction(
        "3011", ((1, "520"), (6, "P1")), Decimal("-210000"), None, "Österbo", Decimal(42), 54
    )


def test_amounts_are_decimals_with_two_places():
    sie = parse(GRASTORP.encode("cp437"))
    assert str(sie.balances[6].amount) == "-2500000.00"
    assert str(sie.balances[8].amount) == "1200000.00"
    assert all(isinstance(b.amount, Decimal) for b in sie.balances)


def test_the_same_file_in_utf8_despite_format_pc8():
    as_cp437 = parse(GRASTORP.encode("cp437"))
    as_utf8 = parse(GRASTORP.encode("utf-8"))
    assert as_utf8.encoding == "utf-8"
    assert as_utf8.declared_format == "PC8"
    assert as_utf8.company == "Grästorps kommun"
    assert dataclasses.replace(as_utf8, encoding="cp437") == as_cp437


def test_a_utf8_bom_is_accepted():
    sie = parse(b"\xef\xbb\xbf" + GRASTORP.encode("utf-8"))
    assert sie.encoding == "utf-8"
    assert sie.company == "Grästorps kommun"


def test_detect_encoding():
    assert detect_encoding(b"#FLAGGA 0\r\n") == "utf-8"
    assert detect_encoding("Grästorp".encode()) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbfGr\xc3\xa4storp") == "utf-8"
    assert detect_encoding("Grästorp".encode("cp437")) == "cp437"
    assert detect_encoding(b"") == "utf-8"


def test_lexical_variants():
    text = (
        "\r\n#flagga 1\r\n\r\n#Sietyp\t4\r\n   \r\n"
        '#konto 1930 "Bank \\"Plusgiro\\" konto"\r\n'
        '#KONTO\t3011\t"Avgifter \\\\ taxor"\r\n'
        "#konto 4011 Löner\r\n"
        '#ver\tA 1 20240105 "Första"  {\r\n'
        '\t#trans 1930\t{1 "Kost ställe"\t6 P1} 100.00\r\n'
        "  #TRANS 3011 {} -100.00\r\n"
        "  }\r\n"
        '#VER A 2 20240106 "Andra"{\r\n#TRANS 1930 {} 0.5\r\n#TRANS 3011 {} -0.50\r\n}\r\n'
    )
    sie = parse(text.encode())
    assert sie.flag == 1
    assert sie.accounts["1930"].name == 'Bank "Plusgiro" konto'
    assert sie.accounts["3011"].name == "Avgifter \\ taxor"
    assert sie.accounts["4011"].name == "Löner"
    assert len(sie.vouchers) == 2
    first = sie.vouchers[0]
    assert (first.text, first.line) == ("Första", 9)
    assert first.transactions[0].objects == ((1, "Kost ställe"), (6, "P1"))
    assert first.transactions[0].line == 10
    assert sie.objects[(1, "Kost ställe")] == SieObject(1, "Kost ställe", "")
    assert sie.vouchers[1].transactions[0].amount == Decimal("0.50")


def test_a_brace_inside_the_voucher_text_does_not_open_the_block():
    sie = parse(b'#FLAGGA 0\n#VER A 1 20240101 "Text {"\n{\n#TRANS 1930 {} 0\n}\n')
    assert sie.vouchers[0].text == "Text {"
    error = sie_error('#FLAGGA 0\n#VER A 1 20240101 "Text {"\n#TRANS 1930 {} 0\n')
    assert (error.line, error.message) == (3, "#VER på rad 2 ska följas av en rad med ”{”.")


def test_only_ascii_labels_are_recognised():
    sie = parse("#FLAGGA 0\n#ſietyp 2\n".encode())
    assert sie.sie_type == 4
    assert sie.skipped == [(2, "#ſietyp")]


def test_old_mac_line_ends_count_as_lines():
    sie = parse(b'#FLAGGA 0\r#KONTO 1930 "Bank"\r#FOO\r')
    assert sie.accounts["1930"].name == "Bank"
    assert sie.skipped == [(3, "#FOO")]


def test_split_fields():
    assert split_fields('1930 "Bank konto"  {}') == ["1930", "Bank konto", []]
    assert split_fields('\t{1 "100" 6 "P 1"}12.50') == [["1", "100", "6", "P 1"], "12.50"]
    assert split_fields('"a \\"b\\" \\\\ c" ""') == ['a "b" \\ c', ""]
    assert split_fields('{"1""10"}') == [["1", "10"]]
    assert split_fields("  ") == []
    assert split_fields('ab"c d') == ['ab"c', "d"]  # a quote inside a bare word is kept


def test_4i_with_only_vouchers():
    sie = parse(FOUR_I.encode("cp437"))
    assert sie.kind == "4I"
    assert sie.balances == sie.period_balances == sie.period_budgets == []
    voucher = sie.vouchers[0]
    assert (voucher.series, voucher.number, voucher.text) == ("", "", "Omföring")
    assert voucher.registered is None


def test_kind_of_other_types():
    assert parse(b"#FLAGGA 0\n#SIETYP 2\n#IB 0 1930 1\n").kind == "2"
    assert parse(b"#FLAGGA 0\n").kind == "4I"  # type 4 is the default when #SIETYP is missing


def test_accounts_without_konto_are_recorded_with_empty_names():
    sie = parse(
        b"#FLAGGA 0\n#IB 0 1510 10\n#PSALDO 0 202401 3011 {} 5\n"
        b"#VER A 1 20240101\n{\n#TRANS 1930 {} 1\n#TRANS 2440 {} -1\n}\n#KONTO 1930 Bank\n"
    )
    assert set(sie.accounts) == {"1510", "3011", "1930", "2440"}
    assert sie.accounts["1510"] == Account("1510")
    assert sie.accounts["1930"].name == "Bank"
    assert sie.vouchers[0].text == ""


def test_unknown_records_are_skipped_and_reported():
    sie = parse(
        b'#FLAGGA 0\n#FOO 1 2\n#KSUMMA\n#konto 1930 Bank\n#Bar "oavslutad\n'
        b"#VER A 1 20240101\n{\n#TRANS 1930 {} 1\n#NYPOST x\n#TRANS 1930 {} -1\n}\n#KSUMMA 123\n"
    )
    assert sie.skipped == [
        (2, "#FOO"),
        (3, "#KSUMMA"),
        (5, "#Bar"),
        (9, "#NYPOST"),
        (12, "#KSUMMA"),
    ]
    assert len(sie.vouchers[0].transactions) == 2


def test_identification_records_go_to_info():
    sie = parse(
        b'#FLAGGA 0\n#PROSA "Fr\xc3\xa5n Raindance"\n#FTYP KOMMUN\n#FNR GRA\n'
        b"#ORGNR 212000-1546 2 3\n#BKOD 84110\n#TAXAR 2025\n#OMFATTN 20241231\n"
        b'#ENHET 4011 "timmar"\n#UNDERDIM 21 "Avdelning" 1\n'
    )
    assert sie.info == {
        "prosa": "Från Raindance",
        "ftyp": "KOMMUN",
        "fnr": "GRA",
        "orgnr_forvnr": "2",
        "orgnr_verknr": "3",
        "bkod": "84110",
        "taxar": "2025",
        "omfattn": "20241231",
    }
    assert sie.accounts["4011"].unit == "timmar"
    assert sie.dimensions[21] == Dimension(21, "Avdelning", 1)


def test_rtrans_is_kept_and_its_compatibility_trans_dropped():
    sie = parse(
        b"#FLAGGA 0\n#VER A 1 20240101\n{\n#TRANS 3011 {} -100\n#BTRANS 1910 {} 100\n"
        b"#RTRANS 1920 {} 100\n#TRANS 1920 {} 100\n}\n"
        b"#VER A 2 20240101\n{\n#RTRANS 1920 {} 50\n#TRANS 3011 {} -50\n}\n"
    )
    first, second = sie.vouchers
    assert [(t.account, t.amount, t.line) for t in first.transactions] == [
        ("3011", Decimal(-100), 4),
        ("1920", Decimal(100), 6),
    ]
    assert [t.account for t in second.transactions] == ["1920", "3011"]


def test_btrans_must_still_parse():
    error = sie_error("#FLAGGA 0\n#VER A 1 20240101\n{\n#BTRANS 1910 {} 1,5\n}\n")
    assert (error.line, error.message) == (
        4,
        "#BTRANS: beloppet ”1,5” är inte ett tal (skriv med punkt, t.ex. 12.50).",
    )


# --- Errors ------------------------------------------------------------------

ERRORS = [
    ("", None, "Filen är tom."),
    ("\r\n  \n\t\n", None, "Filen är tom."),
    ("#SIETYP 4\n#FLAGGA 0\n", None, "Filen saknar #FLAGGA på första raden."),
    ("\nFLAGGA 0\n", None, "Filen saknar #FLAGGA på första raden."),
    ('#FLAGGA 0\n#FNAMN "Grästorp\n', 2, "oavslutad citattext."),
    ('#FLAGGA 0\n#FNAMN "Grästorp\\"\n', 2, "oavslutad citattext."),
    ("#FLAGGA 2\n", 1, "#FLAGGA: flaggan ”2” ska vara 0 eller 1."),
    ("#FLAGGA\n", 1, "#FLAGGA: flaggan saknas."),
    ("#FLAGGA 0\n#SIETYP 5\n", 2, "#SIETYP: SIE-typen ”5” stöds inte (bara 1–4)."),
    (
        "#FLAGGA 0\n#SIETYP 4\n#RAR 0 2026133 20261231\n",
        3,
        "#RAR: startdatumet ”2026133” är inget datum (ÅÅÅÅMMDD).",
    ),
    (
        "#FLAGGA 0\n#RAR 0 20260101 20260230\n",
        2,
        "#RAR: slutdatumet ”20260230” är inget datum (ÅÅÅÅMMDD).",
    ),
    ("#FLAGGA 0\n#RAR 0 20260101\n", 2, "#RAR: slutdatumet saknas."),
    (
        "#FLAGGA 0\n#RAR 0 20260101 20251231\n",
        2,
        "#RAR: startdatumet ”20260101” ligger efter slutdatumet.",
    ),
    ("#FLAGGA 0\n#RAR noll 20260101 20261231\n", 2, "#RAR: årsnumret ”noll” är inget heltal."),
    ("#FLAGGA 0\n#GEN 2025-01-15\n", 2, "#GEN: datumet ”2025-01-15” är inget datum (ÅÅÅÅMMDD)."),
    *[
        (
            f'#FLAGGA 0\n\n\n\n\n\n\n\n\n\n\n#PSALDO 0 202401 4011 {{}} "{amount}"\n',
            12,
            f"#PSALDO: beloppet ”{amount}” är inte ett tal (skriv med punkt, t.ex. 12.50).",
        )
        for amount in ("12,5", "1 000", "+12", ".5", "12.", "1e3", "١٢", "", "NaN", "-")
    ],
    ("#FLAGGA 0\n#IB 0 1930 12.505\n", 2, "#IB: beloppet ”12.505” har fler än två decimaler."),
    (
        "#FLAGGA 0\n#UB 0 1930 " + "9" * 16 + "\n",
        2,
        "#UB: beloppet ”9999999999999999” är orimligt stort.",
    ),
    (
        "#FLAGGA 0\n#RES 0 1930 " + "1" * 100 + "\n",
        2,
        "#RES: beloppet ”" + "1" * 40 + "…” är orimligt stort.",
    ),
    ("#FLAGGA 0\n#IB 0 1930\n", 2, "#IB: beloppet saknas."),
    ("#FLAGGA 0\n#IB 0\n", 2, "#IB: kontonumret saknas."),
    ("#FLAGGA 0\n#IB 0 1930 1 många\n", 2, "#IB: kvantiteten ”många” är inte ett tal"),
    (
        "#FLAGGA 0\n#PSALDO 0 202613 4011 {} 1\n",
        2,
        "#PSALDO: perioden ”202613” har månad 13, som inte är 1–12.",
    ),
    (
        "#FLAGGA 0\n#PBUDGET 0 202600 4011 {} 1\n",
        2,
        "#PBUDGET: perioden ”202600” har månad 0, som inte är 1–12.",
    ),
    ("#FLAGGA 0\n#PSALDO 0 2026 4011 {} 1\n", 2, "#PSALDO: perioden ”2026” är ingen period"),
    (
        "#FLAGGA 0\n#PSALDO 0 202601 4011 1\n",
        2,
        "#PSALDO: ”1” är ingen objektlista (skriv {} när det inte finns några objekt).",
    ),
    ("#FLAGGA 0\n#KONTO 19A0 Bank\n", 2, "#KONTO: kontonumret ”19A0” får bara innehålla siffror."),
    ("#FLAGGA 0\n#KONTO ١٩٣٠ Bank\n", 2, "#KONTO: kontonumret ”١٩٣٠” får bara innehålla siffror."),
    ("#FLAGGA 0\n#KONTO 1930\n", 2, "#KONTO: kontonamnet saknas."),
    ("#FLAGGA 0\n#KONTO 1930 {}\n", 2, "#KONTO: kontonamnet får inte vara en objektlista."),
    ("#FLAGGA 0\n#KTYP 1930 X\n", 2, "#KTYP: kontotypen ”X” ska vara T, S, K eller I."),
    ("#FLAGGA 0\n#DIM ett Kst\n", 2, "#DIM: dimensionsnumret ”ett” är inget positivt heltal."),
    ("#FLAGGA 0\n#OBJEKT 1 100\n", 2, "#OBJEKT: objektnamnet saknas."),
    ("#FLAGGA 0\n#VALUTA\n", 2, "#VALUTA: valutakoden saknas."),
    ("#FLAGGA 0\n#TRANS 1930 {} 1\n", 2, "#TRANS utanför en verifikation."),
    ("#FLAGGA 0\n\n\n\n\n\n#TRANS 1930 {} 1\n", 7, "#TRANS utanför en verifikation."),
    ("#FLAGGA 0\n#RTRANS 1930 {} 1\n", 2, "#RTRANS utanför en verifikation."),
    (
        "#FLAGGA 0\n\n\n\n#VER A 1 20240101\n{\n#TRANS 1930 {} 1\n\n#TRANS 3011 {} -1\n",
        9,
        "Verifikationen som börjar på rad 5 avslutas aldrig med }.",
    ),
    (
        "#FLAGGA 0\n#VER A 1 20240101 {\n#TRANS 1930 {} 0\n#VER A 2 20240101\n",
        4,
        "Verifikationen som börjar på rad 2 avslutas aldrig med }.",
    ),
    (
        "#FLAGGA 0\n#VER A 1 20240101\n{\n#KONTO 1930 Bank\n}\n",
        4,
        "Verifikationen som börjar på rad 2 avslutas aldrig med }.",
    ),
    (
        "#FLAGGA 0\n#VER A 1 20240101\n#TRANS 1930 {} 1\n",
        3,
        "#VER på rad 2 ska följas av en rad med ”{”.",
    ),
    ("#FLAGGA 0\n#VER A 1 20240101\n", 2, "Verifikationen som börjar på rad 2 avslutas aldrig"),
    ("#FLAGGA 0\n#VER A 1\n{\n}\n", 2, "#VER: verifikationsdatumet saknas."),
    (
        "#FLAGGA 0\n#VER A 1 20240101 Text 20241301\n",
        2,
        "#VER: registreringsdatumet ”20241301” är inget datum (ÅÅÅÅMMDD).",
    ),
    ("#FLAGGA 0\n{\n", 2, "”{” utan föregående #VER."),
    ("#FLAGGA 0\n}\n", 2, "”}” utan matchande ”{”."),
    (
        "#FLAGGA 0\n#VER A 1 20240101\n{\n{\n",
        4,
        "”{” inuti verifikationen som börjar på rad 2.",
    ),
    (
        "#FLAGGA 0\n#VER A 1 20240101\n{\n#TRANS 1930 {} 1\n#TRANS 1930\n",
        5,
        "#TRANS: objektlistan saknas",
    ),
    (
        "#FLAGGA 0\n#VER A 1 20240101\n{\n#TRANS 1930 {1} 1\n",
        4,
        "#TRANS: objektlistan ska bestå av par av dimensionsnummer och objektkod.",
    ),
    (
        '#FLAGGA 0\n#VER A 1 20240101\n{\n#TRANS 1930 {x "1"} 1\n',
        4,
        "#TRANS: dimensionsnumret ”x” i objektlistan är inget positivt heltal.",
    ),
    ('#FLAGGA 0\n#OIB 0 1930 {1 "1" 1\n', 2, "oavslutad objektlista (”}” saknas)."),
    ('#FLAGGA 0\n#OIB 0 1930 {1 {"1"}} 1\n', 2, "”{” inuti en objektlista."),
    ("#FLAGGA 0\n#OUB 0 1930 } 1\n", 2, "”}” utan matchande ”{”."),
    (
        "#FLAGGA 0\n#VER A 1 20240101\n{\n#TRANS 1930 {} 1 20240230\n",
        4,
        "#TRANS: transaktionsdatumet ”20240230” är inget datum (ÅÅÅÅMMDD).",
    ),
    (
        "#FLAGGA 0\n#SIETYP 3\n#VER A 1 20240101\n",
        3,
        "#VER är inte tillåten i en fil av SIE-typ 3 (verifikationer finns bara i typ 4).",
    ),
    (
        "#FLAGGA 0\n#VER A 1 20240101\n{\n}\n#SIETYP 1\n",
        5,
        "#SIETYP: filen har verifikationer, som bara får finnas i SIE-typ 4.",
    ),
    ("#FLAGGA 0\nKONTO 1930 Bank\n", 2, "raden börjar inte med en post (#ETIKETT): ”KONTO 1930"),
    ("#FLAGGA 0\n#KONTO 1930 Bank\x00\n", 2, "otillåtet styrtecken (U+0000) i raden."),
    ("#FLAGGA 0\n\n#FOO \x1b[31m\n", 3, "otillåtet styrtecken (U+001B) i raden."),
    ("#FLAGGA 0\x7f\n", 1, "otillåtet styrtecken (U+007F) i raden."),
]


@pytest.mark.parametrize(("text", "line", "message"), ERRORS)
def test_errors(text, line, message):
    error = sie_error(text)
    assert error.line == line
    assert message in error.message
    assert str(error) == (error.message if line is None else f"Rad {line}: {error.message}")


def test_unbalanced_voucher_names_voucher_line_and_difference():
    text = "#FLAGGA 0\n#VER A 17 20240101\n{\n#TRANS 1930 {} 150.00\n#TRANS 3011 {} -50\n}\n"
    error = sie_error(text)
    assert str(error) == "Rad 2: Verifikation A 17 balanserar inte: summan är 100.00."
    assert (error.line, error.message) == (
        2,
        "Verifikation A 17 balanserar inte: summan är 100.00.",
    )


def test_unbalanced_voucher_without_series_and_number():
    error = sie_error('#FLAGGA 0\n#VER "" "" 20240101\n{\n#TRANS 1930 {} -0.01\n}\n')
    assert str(error) == (
        "Rad 2: Verifikation (utan serie och nummer) balanserar inte: summan är -0.01."
    )


def test_stops_at_the_first_error():
    error = sie_error("#FLAGGA 0\n#KONTO x Bank\n#KONTO y Bank\n#FLAGGA 5\n")
    assert error.line == 2


def test_control_characters_in_cp437_files_are_reported():
    error = sie_error(b'#FLAGGA 0\n#FNAMN "Gr\x84storp"\n#KONTO 1930 "\x01"\n')
    assert error.line == 3
    assert "U+0001" in error.message


def test_error_is_a_value_error_that_survives_pickling():
    error = sie_error("#FLAGGA 0\n#KONTO 1930\n")
    assert isinstance(error, ValueError)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.line, copy.message, str(copy)) == (error.line, error.message, str(error))
    assert str(SieError("Filen är tom.")) == "Filen är tom."


# --- Writing -----------------------------------------------------------------


def test_write_realistic_file_in_spec_order_with_crlf():
    data = write(parse(GRASTORP.encode("cp437")))
    text = data.decode("cp437")
    lines = text.split("\r\n")
    assert lines[-1] == "" and all("\n" not in line for line in lines)
    labels = [line.split(" ")[0] for line in lines if line.startswith("#")]
    order = ["#FLAGGA", "#FORMAT", "#SIETYP", "#PROGRAM", "#GEN", "#FNAMN", "#ORGNR", "#ADRESS"]
    order += ["#VALUTA", "#RAR", "#KPTYP", "#DIM", "#OBJEKT", "#KONTO", "#KTYP", "#SRU", "#IB"]
    order += ["#UB", "#OIB", "#OUB", "#RES", "#PSALDO", "#PBUDGET", "#VER", "#TRANS"]
    assert list(dict.fromkeys(labels)) == order
    assert '#FNAMN "Grästorps kommun"' in lines
    assert '#KONTO 4011 "Löner månadsavlönade"' in lines
    assert "#KTYP 1930 T" in lines
    assert '#OIB 0 1930 {1 "100"} 500.00' in lines
    assert "#RES 0 4011 48000000.00 12" in lines
    assert '#PSALDO 0 202402 3011 {1 "520" 6 "P1"} -210000.00' in lines
    assert '#VER A 1 20240131 "Löner januari" 20240201' in lines
    assert '#TRANS 4011 {1 "410"} 1250000.50 20240131 "Förskola Ängen"' in lines
    assert '#TRANS 3011 {1 "520" 6 "P1"} -210000.00 "" "Österbo" 42' in lines
    assert "#TRANS 1930 {} -4000000.00" in lines


@pytest.mark.parametrize("encoding", ["cp437", "utf-8"])
def test_realistic_file_round_trips(encoding):
    original = parse(GRASTORP.encode("cp437"))
    again = parse(write(original, encoding=encoding))
    assert again.encoding == encoding
    assert comparable(again) == comparable(original)


def test_write_quotes_and_escapes():
    sie = SieFile(company='Bank "Plusgiro" \\ konto')
    sie.accounts["1930"] = Account("1930", "Kassa\toch\r\nbank")
    sie.vouchers.append(
        Voucher(
            "",
            "A 1",
            dt.date(24, 1, 5),
            "{",
            [Transaction("1930", ((1, "1 0"),), Decimal("1.004")), Transaction("1930", (), -1)],
        )
    )
    text = write(sie, encoding="utf-8").decode()
    assert '#FNAMN "Bank \\"Plusgiro\\" \\\\ konto"\r\n' in text
    assert '#KONTO 1930 "Kassa\toch  bank"\r\n' in text
    assert '#VER "" "A 1" 00240105 "{"\r\n{\r\n' in text
    assert '#TRANS 1930 {1 "1 0"} 1.00\r\n#TRANS 1930 {} -1.00\r\n}\r\n' in text
    assert parse(text.encode()).company == 'Bank "Plusgiro" \\ konto'


def test_write_replaces_what_cp437_cannot_encode():
    data = write(SieFile(company="Grästorp ✓ kommun"))
    assert b'#FNAMN "Gr\x84storp ? kommun"' in data
    assert write(SieFile(company="Grästorp ✓"), encoding="utf-8").count("✓".encode()) == 1


def test_write_refuses_what_sie_cannot_hold():
    unbalanced = SieFile(
        vouchers=[Voucher("A", "17", dt.date(2024, 1, 1), transactions=[Transaction("1", (), 1)])]
    )
    with pytest.raises(SieError, match="Verifikation A 17 balanserar inte: summan är 1.00."):
        write(unbalanced)
    with pytest.raises(SieError, match="SIE-typ 2"):
        write(dataclasses.replace(unbalanced, sie_type=2))
    res_with_objects = Balance("RES", 0, "3011", Decimal(1), ((1, "100"),))
    with pytest.raises(SieError, match="Saldot RES för konto 3011 kan inte skrivas i SIE."):
        write(SieFile(balances=[res_with_objects]))
    with pytest.raises(ValueError, match="cp437 or utf-8"):
        write(SieFile(), encoding="utf-16")


def test_write_minimal_file():
    assert write(SieFile()) == (
        b'#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#PROGRAM "" ""\r\n#FNAMN ""\r\n#VALUTA SEK\r\n'
    )


# --- Property tests ----------------------------------------------------------

FRAGMENTS = [
    *"#FLAGGA #FORMAT #SIETYP #PROGRAM #GEN #FNAMN #ORGNR #VALUTA #RAR #KONTO #KTYP".split(),
    *"#SRU #ENHET #DIM #UNDERDIM #OBJEKT #IB #UB #OIB #OUB #RES #PSALDO #PBUDGET".split(),
    *"#VER #TRANS #RTRANS #BTRANS #ADRESS #OMFATTN #KSUMMA #flagga #trans #FOO".split(),
    *["0", "1", "4", "-1", "1930", "20240101", "20241231", "202401", "202413", "12.50"],
    *["-12.5", "1,5", "99999999999999999", "A", '""', '"', '\\"', "\\", "{", "}", "{}"],
    *['{1 "100"}', '{1 "100" 6 "P 1"}', '"Gr\u00e4storp"', " ", "\t", "\n", "\r\n", "\r"],
    *["\n{\n", "\n}\n", "\x00", "\ufeff"],
]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_parse_arbitrary_bytes_raises_only_sie_error(data):
    for attempt in (data, b"#FLAGGA 0\n" + data):
        try:
            assert isinstance(parse(attempt), SieFile)
        except SieError as error:
            assert error.message and str(error).endswith(error.message)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=80),
    st.sampled_from(["utf-8", "cp437"]),
)
def test_parse_sie_like_text_raises_only_sie_error(parts, encoding):
    data = ("#FLAGGA 0\n" + " ".join(parts)).encode(encoding, errors="replace")
    try:
        assert isinstance(parse(data), SieFile)
    except SieError as error:
        assert error.message


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), st.binary(max_size=3)), min_size=1, max_size=4))
def test_parse_damaged_real_file_raises_only_sie_error(edits):
    data = bytearray(GRASTORP.encode("cp437"))
    for position, replacement in edits:
        position %= len(data)
        data[position : position + 1] = replacement
    try:
        assert isinstance(parse(bytes(data)), SieFile)
    except SieError as error:
        assert error.message


# Printable ASCII, tab, and the CP437 characters 0x80–0xBF (åäöÅÄÖ among them): none of
# those bytes starts a UTF-8 sequence, so a CP437 file of them is never mistaken for UTF-8.
SAFE = "\t" + "".join(map(chr, range(0x20, 0x7F))) + bytes(range(0x80, 0xC0)).decode("cp437")
# Everything CP437 can encode except control characters: fine when writing UTF-8.
WIDE = "\t" + "".join(
    c for c in bytes(range(256)).decode("cp437") if c.isprintable() or c in "\xa0"
)


@st.composite
def sie_files(draw, alphabet: str) -> SieFile:
    text = st.text(alphabet, max_size=12)
    filled = st.text(alphabet, min_size=1, max_size=12)
    dates = st.dates()
    amounts = st.decimals(-(10**12), 10**12, places=2, allow_nan=False, allow_infinity=False)
    quantities = st.none() | st.decimals(-(10**6), 10**6, places=3)

    numbers = draw(
        st.lists(
            st.from_regex(r"[1-8][0-9]{3}", fullmatch=True), min_size=1, max_size=5, unique=True
        )
    )
    kinds, srus = st.sampled_from(["", "T", "S", "K", "I"]), st.sampled_from(["", "7281", "X 1"])
    accounts = {n: Account(n, draw(text), draw(kinds), draw(srus), draw(text)) for n in numbers}
    dimension_numbers = draw(st.lists(st.integers(1, 30), max_size=3, unique=True))
    dimensions = {
        n: Dimension(n, draw(text), draw(st.none() | st.sampled_from(dimension_numbers)))
        for n in dimension_numbers
    }
    objects = {}
    for dimension, code in draw(st.lists(st.tuples(st.integers(1, 30), text), max_size=4)):
        objects[(dimension, code)] = SieObject(dimension, code, draw(text))
    refs = (
        st.lists(st.sampled_from(list(objects)), max_size=2).map(tuple) if objects else st.just(())
    )
    account = st.sampled_from(numbers)

    years = {}
    for index in draw(st.lists(st.integers(-3, 0), max_size=3, unique=True)):
        start, end = sorted([draw(dates), draw(dates)])
        years[index] = FiscalYear(index, start, end)

    balances = []
    for kind in draw(st.lists(st.sampled_from(["IB", "UB", "RES"]), max_size=5)):
        objs = () if kind == "RES" else draw(refs)
        balances.append(
            Balance(
                kind, draw(st.integers(-3, 1)), draw(account), draw(amounts), objs, draw(quantities)
            )
        )
    periods = st.builds(
        PeriodAmount,
        st.integers(-3, 0),
        st.integers(1, 9999),
        st.integers(1, 12),
        account,
        refs,
        amounts,
        quantities,
    )

    sie_type = draw(st.integers(1, 4))
    vouchers = []
    for _ in range(draw(st.integers(0, 3)) if sie_type == 4 else 0):
        transactions = draw(
            st.lists(
                st.builds(Transaction, account, refs, amounts, st.none() | dates, text, quantities),
                max_size=4,
            )
        )
        total = sum((t.amount for t in transactions), Decimal(0))
        transactions.append(Transaction(draw(account), (), -total))
        vouchers.append(
            Voucher(
                draw(text),
                draw(text),
                draw(dates),
                draw(text),
                transactions,
                registered=draw(st.none() | dates),
            )
        )

    generated = draw(st.none() | dates)
    info_keys = ["program_version", "orgnr_forvnr", "orgnr_verknr", "prosa", "ftyp", "fnr"]
    info_keys += ["bkod", "adress_kontakt", "adress_postadr", "adress_tel", "taxar", "kptyp"]
    info_keys += ["gen_sign"] if generated else []
    info = {key: draw(filled) for key in draw(st.lists(st.sampled_from(info_keys), unique=True))}
    if draw(st.booleans()):
        day = draw(dates)
        info["omfattn"] = f"{day.year:04d}{day.month:02d}{day.day:02d}"

    return SieFile(
        flag=draw(st.integers(0, 1)),
        sie_type=sie_type,
        program=draw(text),
        generated=generated,
        company=draw(text),
        org_number=draw(text),
        currency=draw(st.sampled_from(["SEK", "EUR", ""]) | text),
        fiscal_years=years,
        accounts=accounts,
        dimensions=dimensions,
        objects=objects,
        balances=balances,
        period_balances=draw(st.lists(periods, max_size=3)),
        period_budgets=draw(st.lists(periods, max_size=3)),
        vouchers=vouchers,
        info=info,
    )


@settings(max_examples=200, deadline=None)
@given(sie_files(SAFE), st.sampled_from(["cp437", "utf-8"]))
def test_round_trip(original, encoding):
    again = parse(write(original, encoding=encoding))
    assert comparable(again) == comparable(original)


@settings(max_examples=100, deadline=None)
@given(sie_files(WIDE))
def test_round_trip_utf8_with_all_cp437_characters(original):
    again = parse(write(original, encoding="utf-8"))
    assert again.encoding == "utf-8"
    assert comparable(again) == comparable(original)
