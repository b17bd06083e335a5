"""Reading SIE files into the ledger (tillit/economy/imports.py).

The files are written by hand, line by line, so that each test shows what it reads. Account
numbers have five digits and object codes a letter, so that they never meet the demo's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillit.economy.choices import ImportSource, StatementLine
from tillit.economy.imports import OutcomeImportError, import_sie
from tillit.economy.models import (
    Account,
    CostObject,
    OpeningBalance,
    Outcome,
    OutcomeImport,
    PeriodBudget,
)

from .conftest import YEAR

pytestmark = pytest.mark.django_db

D = Decimal


def sie_bytes(*lines: str, year: int | None = YEAR, encoding: str = "utf-8") -> bytes:
    head = ["#FLAGGA 0", '#PROGRAM "Test" 1.0', "#SIETYP 4", '#FNAMN "Grästorps kommun"']
    if year is not None:
        head.append(f"#RAR 0 {year}0101 {year}1231")
    return ("\r\n".join([*head, *lines]) + "\r\n").encode(encoding)


def voucher(number: int, day: str, *transactions: str) -> list[str]:
    return [f'#VER A {number} {day} "Verifikation {number}"', "{", *transactions, "}"]


def ledger(grastorp, year: int = YEAR) -> dict[tuple[int, str, str | None], Decimal]:
    return {
        (o.month, o.account.number, o.unit.name if o.unit else None): o.amount
        for o in Outcome.objects.filter(organisation=grastorp, year=year).select_related(
            "account", "unit"
        )
    }


@pytest.fixture
def mapped(grastorp, operation):
    """Cost centre T610 belongs to Utbildning; T620 to nobody."""
    CostObject.objects.create(
        organisation=grastorp,
        dimension=1,
        code="T610",
        name="Gammalt namn",
        unit=operation("Utbildning"),
    )
    CostObject.objects.create(organisation=grastorp, dimension=1, code="T620", name="")


def test_psaldo_with_objects_books_the_remainder_on_the_municipality(grastorp, mapped, operation):
    data = sie_bytes(
        '#DIM 1 "Kostnadsställe"',
        '#OBJEKT 1 T610 "Skolor"',
        '#OBJEKT 1 T620 "Gata och park"',
        '#KONTO 45101 "Löner lärare"',
        "#KTYP 45101 K",
        f'#PSALDO 0 {YEAR}01 45101 {{1 "T610"}} 100.00',
        f'#PSALDO 0 {YEAR}01 45101 {{1 "T620"}} 50.00',
        f"#PSALDO 0 {YEAR}01 45101 {{}} 200.00",
        f"#PSALDO 0 {YEAR}02 45101 {{}} 80.00",
    )
    report = import_sie(grastorp, data, file_name="jan-feb.se")

    assert ledger(grastorp) == {
        (1, "45101", "Utbildning"): D("100.00"),
        (1, "45101", None): D("100.00"),  # T620's 50 and the remainder 50
        (2, "45101", None): D("80.00"),
    }
    assert (report.year, report.first_month, report.last_month) == (YEAR, 1, 2)
    assert report.rows == 3 and report.source == ImportSource.SIE and not report.dry_run
    assert report.accounts_created == ["45101"]
    assert report.objects_without_unit == ["1 / T620 Gata och park"]
    objects = {o.code: o for o in CostObject.objects.filter(organisation=grastorp)}
    assert objects["T610"].name == "Skolor" and objects["T610"].unit == operation("Utbildning")
    assert objects["T620"].name == "Gata och park" and objects["T620"].unit is None
    account = Account.objects.get(organisation=grastorp, number="45101")
    assert (account.name, account.kind, account.line) == (
        "Löner lärare",
        "K",
        StatementLine.OPERATING_COST,
    )
    record = report.record
    assert record.checksum and len(record.checksum) == 64
    assert (record.rows, record.year, record.first_month, record.last_month) == (3, YEAR, 1, 2)
    assert Outcome.objects.filter(source=record).count() == 3
    assert record.summary["objects_without_unit"] == ["1 / T620 Gata och park"]


def test_rows_by_another_dimension_are_not_counted_twice(grastorp, mapped):
    data = sie_bytes(
        f'#PSALDO 0 {YEAR}03 45101 {{1 "T610"}} 70.00',
        f'#PSALDO 0 {YEAR}03 45101 {{6 "P1"}} 70.00',
        f"#PSALDO 0 {YEAR}03 45101 {{}} 100.00",
    )
    report = import_sie(grastorp, data, file_name="dim.se")
    assert ledger(grastorp) == {
        (3, "45101", "Utbildning"): D("70.00"),
        (3, "45101", None): D("30.00"),
    }
    assert report.objects_created == ["6 / P1"]


def test_an_existing_accounts_line_and_an_objects_unit_are_kept(grastorp, mapped, operation):
    Account.objects.create(
        organisation=grastorp, number="45102", name="Eget namn", line=StatementLine.OUTSIDE
    )
    data = sie_bytes('#KONTO 45102 "Filens namn"', f"#PSALDO 0 {YEAR}01 45102 {{}} 5.00")
    report = import_sie(grastorp, data, file_name="a.se")
    account = Account.objects.get(organisation=grastorp, number="45102")
    assert (account.name, account.line) == ("Filens namn", StatementLine.OUTSIDE)
    assert report.accounts_created == []
    assert account.history.count() == 2  # created, renamed by the import


def test_balance_accounts_psaldo_is_read_as_balances_and_stored_as_movements(grastorp):
    data = sie_bytes(
        "#KTYP 19301 T",
        "#IB 0 19301 1000.00",
        f"#PSALDO 0 {YEAR}01 19301 {{}} 1500.00",
        f"#PSALDO 0 {YEAR}02 19301 {{}} 1200.00",
        f"#PSALDO 0 {YEAR}03 19301 {{}} 1200.00",
    )
    report = import_sie(grastorp, data, file_name="bank.se")
    assert ledger(grastorp) == {(1, "19301", None): D("500.00"), (2, "19301", None): D("-300.00")}
    assert OpeningBalance.objects.get(organisation=grastorp, year=YEAR).amount == D("1000.00")
    assert (report.first_month, report.last_month) == (1, 3)
    assert report.warnings == []


def test_a_whole_year_warns_when_ub_or_res_disagree(grastorp):
    lines = ["#IB 0 19301 1000.00", "#UB 0 19301 999.00", "#RES 0 45101 1300.00"]
    lines += [f"#PSALDO 0 {YEAR}{m:02d} 45101 {{}} 100.00" for m in range(1, 13)]
    lines += [f"#PSALDO 0 {YEAR}{m:02d} 19301 {{}} 1000.00" for m in range(1, 13)]
    report = import_sie(grastorp, sie_bytes(*lines), file_name="helar.se")
    assert len(report.warnings) == 2
    assert "19301" in report.warnings[0] and "999,00" in report.warnings[0]
    assert "45101" in report.warnings[1] and "1\u00a0200,00" in report.warnings[1]
    assert sum(v for (m, n, u), v in ledger(grastorp).items() if n == "45101") == D(1200)
    assert report.record.summary["warnings"] == report.warnings


def test_a_whole_year_that_agrees_has_no_warnings(grastorp):
    lines = ["#IB 0 19301 1000.00", "#UB 0 19301 1100.00", "#RES 0 45101 1200.00"]
    lines += [f"#PSALDO 0 {YEAR}{m:02d} 45101 {{}} 100.00" for m in range(1, 13)]
    lines.append(f"#PSALDO 0 {YEAR}12 19301 {{}} 1100.00")
    report = import_sie(grastorp, sie_bytes(*lines), file_name="helar.se")
    assert report.warnings == []
    assert ledger(grastorp)[(12, "19301", None)] == D(100)


def test_balances_written_as_changes_are_recognised_by_the_closing_balance(grastorp):
    lines = ["#IB 0 19301 1000.00", "#UB 0 19301 1300.00"]
    lines += [f"#PSALDO 0 {YEAR}{m:02d} 19301 {{}} 25.00" for m in range(1, 13)]
    report = import_sie(grastorp, sie_bytes(*lines), file_name="forandr.se")
    assert len(report.warnings) == 1 and "förändringar" in report.warnings[0]
    assert set(ledger(grastorp).values()) == {D(25)}


def test_the_months_covered_are_replaced_and_later_months_kept(grastorp, outcome, operation):
    outcome(1, "45101", 999, unit=operation("Utbildning"))
    outcome(2, "45199", 5)
    outcome(5, "45101", 7)
    data = sie_bytes(f"#PSALDO 0 {YEAR}02 45101 {{}} 10.00")
    report = import_sie(grastorp, data, file_name="feb.se")
    assert report.replaced == 2
    assert ledger(grastorp) == {(2, "45101", None): D(10), (5, "45101", None): D(7)}
    assert Outcome.objects.filter(organisation=grastorp, year=YEAR + 1).count() == 0


def test_reimporting_a_4e_file_is_a_correction(grastorp):
    data = sie_bytes(f"#PSALDO 0 {YEAR}01 45101 {{}} 10.00")
    import_sie(grastorp, data, file_name="jan.se")
    again = import_sie(grastorp, data, file_name="jan.se")
    assert again.replaced == 1 and ledger(grastorp) == {(1, "45101", None): D(10)}
    assert OutcomeImport.objects.filter(organisation=grastorp, year=YEAR).count() == 2


def test_opening_balances_and_period_budgets_replace_the_years(grastorp, mapped):
    import_sie(
        grastorp,
        sie_bytes("#IB 0 19301 1.00", "#IB 0 24401 -1.00", f"#PBUDGET 0 {YEAR}01 45101 {{}} 9.00"),
        file_name="forsta.se",
    )
    report = import_sie(
        grastorp,
        sie_bytes(
            "#IB 0 19301 500.00",
            "#IB 0 29991 -500.00",
            f'#PBUDGET 0 {YEAR}01 45101 {{1 "T610"}} 300.00',
            f"#PBUDGET 0 {YEAR}01 45101 {{}} 400.00",
            f"#PBUDGET 0 {YEAR}02 45101 {{}} 400.00",
        ),
        file_name="andra.se",
    )
    opening = {
        o.account.number: o.amount
        for o in OpeningBalance.objects.filter(organisation=grastorp, year=YEAR)
    }
    assert opening == {"19301": D(500), "29991": D(-500)}
    budget = {
        (b.month, b.unit.name if b.unit else None): b.amount
        for b in PeriodBudget.objects.filter(organisation=grastorp, year=YEAR)
    }
    assert budget == {(1, "Utbildning"): D(300), (1, None): D(100), (2, None): D(400)}
    assert PeriodBudget.objects.filter(source=report.record).count() == 3
    assert report.rows == 0 and (report.first_month, report.last_month) == (1, 2)
    assert not Outcome.objects.filter(organisation=grastorp, year=YEAR).exists()


def test_a_4e_file_with_only_vouchers_replaces_the_months_from_january(grastorp, outcome, mapped):
    outcome(1, "45101", 1000)
    outcome(4, "45101", 4)
    data = sie_bytes(
        "#IB 0 19301 100.00",
        *voucher(
            1,
            f"{YEAR}0210",
            '#TRANS 45101 {1 "T610"} 250.00',
            "#TRANS 19301 {} -250.00",
        ),
        *voucher(
            2,
            f"{YEAR}0215",
            '#TRANS 45101 {1 "T610"} 50.00',
            f'#TRANS 19301 {{}} -50.00 {YEAR}0301 "Betald i mars"',
        ),
    )
    report = import_sie(grastorp, data, file_name="ver.se")
    assert ledger(grastorp) == {
        (2, "45101", "Utbildning"): D(300),
        (2, "19301", None): D(-250),
        (3, "19301", None): D(-50),
        (4, "45101", None): D(4),
    }
    assert report.replaced == 1 and (report.first_month, report.last_month) == (1, 3)


def test_vouchers_disagreeing_with_psaldo_warn(grastorp):
    data = sie_bytes(
        f"#PSALDO 0 {YEAR}01 45101 {{}} 100.00",
        *voucher(1, f"{YEAR}0110", "#TRANS 45101 {} 90.00", "#TRANS 19301 {} -90.00"),
    )
    report = import_sie(grastorp, data, file_name="b.se")
    assert any("45101" in w and "90,00" in w for w in report.warnings)
    assert ledger(grastorp)[(1, "45101", None)] == D(100)


def test_a_4i_file_adds_to_the_ledger_and_is_not_read_twice(grastorp, outcome, mapped, personas):
    outcome(3, "45101", 1000, unit=None)
    first = sie_bytes(
        *voucher(1, f"{YEAR}0305", "#TRANS 45101 {} 200.00", "#TRANS 19301 {} -200.00"),
        year=None,
    )
    second = sie_bytes(
        *voucher(2, f"{YEAR}0306", "#TRANS 45101 {} 25.00", "#TRANS 19301 {} -25.00"),
        year=None,
    )
    ekonom = personas["ekonom"]
    report = import_sie(grastorp, first, file_name="lon.si", user=ekonom)
    import_sie(grastorp, second, file_name="lon2.si", user=ekonom)
    assert report.replaced == 0 and (report.first_month, report.last_month) == (3, 3)
    assert report.record.summary["mode"] == "add"
    assert ledger(grastorp) == {(3, "45101", None): D(1225), (3, "19301", None): D(-225)}
    with pytest.raises(OutcomeImportError) as error:
        import_sie(grastorp, first, file_name="igen.si", user=ekonom)
    assert error.value.messages[0].startswith("Filen är redan inläst")
    assert str(ekonom) in error.value.messages[0]
    assert ledger(grastorp)[(3, "45101", None)] == D(1225)


def test_a_4i_file_must_be_of_one_year(grastorp):
    data = sie_bytes(
        *voucher(1, f"{YEAR}0105", "#TRANS 45101 {} 1.00", "#TRANS 19301 {} -1.00"),
        *voucher(2, f"{YEAR + 1}0105", "#TRANS 45101 {} 1.00", "#TRANS 19301 {} -1.00"),
        year=None,
    )
    with pytest.raises(OutcomeImportError) as error:
        import_sie(grastorp, data, file_name="tva.si")
    assert str(YEAR) in str(error.value) and str(YEAR + 1) in str(error.value)


def test_a_voucher_outside_the_fiscal_year_is_an_error(grastorp):
    data = sie_bytes(
        *voucher(7, f"{YEAR - 1}1231", "#TRANS 45101 {} 1.00", "#TRANS 19301 {} -1.00")
    )
    with pytest.raises(OutcomeImportError) as error:
        import_sie(grastorp, data, file_name="fel.se")
    assert error.value.messages[0].startswith("Rad ")
    assert f"{YEAR - 1}-12-31" in error.value.messages[0]


def test_a_fiscal_year_that_is_not_a_calendar_year_is_refused(grastorp):
    data = sie_bytes(f"#RAR 0 {YEAR}0701 {YEAR + 1}0630", "#IB 0 19301 1.00", year=None)
    with pytest.raises(OutcomeImportError, match="kalenderår"):
        import_sie(grastorp, data, file_name="brutet.se")


def test_a_file_with_balances_needs_its_fiscal_year(grastorp):
    with pytest.raises(OutcomeImportError, match="#RAR 0"):
        import_sie(grastorp, sie_bytes("#IB 0 19301 1.00", year=None), file_name="x.se")


def test_a_dry_run_changes_nothing(grastorp, outcome, mapped):
    outcome(1, "45101", 999)
    before = (OutcomeImport.objects.count(), Account.objects.count(), CostObject.objects.count())
    data = sie_bytes(
        '#OBJEKT 1 T999 "Nytt"',
        f'#PSALDO 0 {YEAR}01 45999 {{1 "T999"}} 10.00',
        "#IB 0 19301 5.00",
    )
    report = import_sie(grastorp, data, file_name="prov.se", dry_run=True)
    assert report.dry_run and report.record is None
    assert (report.rows, report.replaced) == (1, 1)
    assert report.accounts_created == ["19301", "45999"]
    assert report.objects_created == ["1 / T999 Nytt"]
    assert report.objects_without_unit == ["1 / T999 Nytt"]
    after = (OutcomeImport.objects.count(), Account.objects.count(), CostObject.objects.count())
    assert after == before
    assert ledger(grastorp) == {(1, "45101", None): D(999)}
    assert not OpeningBalance.objects.filter(organisation=grastorp, year=YEAR).exists()


@pytest.mark.parametrize(
    "lines",
    [
        voucher(1, f"{YEAR}0105", "#TRANS 45998 {} 10.00", "#TRANS 19301 {} -9.00"),
        [f"#PSALDO 0 {YEAR}01 45998 {{}} 12,50"],
    ],
    ids=["unbalanced voucher", "bad amount"],
)
def test_an_error_in_the_file_changes_nothing(grastorp, outcome, lines):
    outcome(1, "45101", 999)
    accounts = Account.objects.count()
    data = sie_bytes('#KONTO 45998 "Nytt konto"', *lines)
    with pytest.raises(OutcomeImportError) as error:
        import_sie(grastorp, data, file_name="fel.se")
    assert len(error.value.messages) == 1 and error.value.messages[0].startswith("Rad ")
    assert Account.objects.count() == accounts
    assert ledger(grastorp) == {(1, "45101", None): D(999)}
    assert not OutcomeImport.objects.filter(file_name="fel.se").exists()


def test_a_cp437_file_with_swedish_names(grastorp):
    data = sie_bytes(
        '#KONTO 45103 "Löner för månadsavlönade"',
        '#OBJEKT 1 T700 "Äldreomsorg Åsen"',
        f'#PSALDO 0 {YEAR}01 45103 {{1 "T700"}} 1.00',
        encoding="cp437",
    )
    import_sie(grastorp, data, file_name="pc8.se")
    assert Account.objects.get(organisation=grastorp, number="45103").name == (
        "Löner för månadsavlönade"
    )
    assert CostObject.objects.get(organisation=grastorp, code="T700").name == "Äldreomsorg Åsen"


def test_unknown_records_are_reported_with_their_lines(grastorp):
    data = sie_bytes("#EGENPOST 1 2", f"#PSALDO 0 {YEAR}01 45101 {{}} 1.00")
    report = import_sie(grastorp, data, file_name="u.se")
    assert report.skipped == [(6, "#EGENPOST")]
    assert report.record.summary["skipped"] == [[6, "#EGENPOST"]]


def test_a_file_with_nothing_to_read_is_refused(grastorp):
    with pytest.raises(OutcomeImportError):
        import_sie(grastorp, sie_bytes('#KONTO 45101 "Bara kontoplan"'), file_name="t.se")


def _vouchers(count: int, base: int, prefix: str) -> bytes:
    lines: list[str] = []
    for n in range(count):
        lines += voucher(
            n + 1,
            f"{YEAR}{n % 12 + 1:02d}15",
            f'#TRANS {base + n % 40} {{1 "{prefix}{n % 25}"}} {n + 1}.50',
            f"#TRANS 19301 {{}} -{n + 1}.50",
        )
    return sie_bytes(*lines, year=None)


def test_the_number_of_queries_does_not_grow_with_the_file(grastorp):
    with CaptureQueriesContext(connection) as small:
        import_sie(grastorp, _vouchers(50, 45200, "K"), file_name="liten.si")
    Outcome.objects.filter(organisation=grastorp, year=YEAR).delete()
    with CaptureQueriesContext(connection) as large:
        report = import_sie(grastorp, _vouchers(500, 45300, "L"), file_name="stor.si")
    # Both files create 40 accounts and 25 objects; the larger has ten times the vouchers.
    assert len(large.captured_queries) == len(small.captured_queries)
    assert sum(
        o.amount
        for o in Outcome.objects.filter(organisation=grastorp, year=YEAR, account__number="19301")
    ) == -sum(D(n + 1) + D("0.5") for n in range(500))
    assert report.rows == 120 + 12  # (month, account) pairs repeat every 120 vouchers


def test_a_file_written_by_the_parser_reads_back_into_the_same_ledger(grastorp, mapped):
    from tillit.economy import sie

    source = sie.SieFile(
        sie_type=4,
        program="Tillit",
        company="Grästorps kommun",
        fiscal_years={0: sie.FiscalYear(0, date(YEAR, 1, 1), date(YEAR, 12, 31))},
    )
    source.accounts["45104"] = sie.Account("45104", "Läromedel", "K")
    source.objects[(1, "T610")] = sie.SieObject(1, "T610", "Skolor")
    source.balances.append(sie.Balance("IB", 0, "19301", D("10.00")))
    source.period_balances += [
        sie.PeriodAmount(0, YEAR, 4, "45104", ((1, "T610"),), D("12.25")),
        sie.PeriodAmount(0, YEAR, 4, "45104", (), D("20.00")),
    ]
    report = import_sie(grastorp, sie.write(source), file_name="rundtur.se")
    assert ledger(grastorp) == {
        (4, "45104", "Utbildning"): D("12.25"),
        (4, "45104", None): D("7.75"),
    }
    assert report.last_month == 4


def test_a_large_file_is_summed_per_month_account_and_unit(grastorp):
    """10 000 voucher lines over 300 accounts, 80 objects and 12 months. How fast a year
    of a large municipality's vouchers is read is measured in benchmarks/economy.py."""
    lines: list[str] = []
    for n in range(5_000):
        lines += voucher(
            n,
            f"{YEAR}{n % 12 + 1:02d}15",
            f'#TRANS {45000 + n % 300} {{1 "S{n % 80}"}} {n}.25',
            f"#TRANS 19301 {{}} -{n}.25",
        )
    report = import_sie(grastorp, sie_bytes(*lines, year=None), file_name="stor.si")
    pairs = {(n % 12, n % 300) for n in range(5_000)}
    assert report.rows == len(pairs) + 12  # and 19301 in each month
