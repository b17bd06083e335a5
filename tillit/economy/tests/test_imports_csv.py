"""Reading outcome from CSV files into the ledger (tillit/economy/imports.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tillit.economy.choices import ImportSource, StatementLine
from tillit.economy.imports import OutcomeImportError, import_outcome_csv
from tillit.economy.models import Account, CostObject, Outcome, OutcomeImport

from .conftest import YEAR

pytestmark = pytest.mark.django_db

D = Decimal


def ledger(grastorp) -> dict[tuple[int, str, str | None], Decimal]:
    return {
        (o.month, o.account.number, o.unit.name if o.unit else None): o.amount
        for o in Outcome.objects.filter(organisation=grastorp, year=YEAR).select_related(
            "account", "unit"
        )
    }


def csv_bytes(*rows: str, header: str = "år;månad;konto;enhet;belopp", encoding="utf-8-sig"):
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


@pytest.fixture
def centre(grastorp, operation):
    return CostObject.objects.create(
        organisation=grastorp, dimension=1, code="T610", name="Skolor", unit=operation("Utbildning")
    )


def test_a_file_with_bom_and_decimal_commas(grastorp, centre, outcome):
    outcome(1, "45101", 999)
    outcome(3, "45101", 333)
    data = csv_bytes(
        f"{YEAR};1;45101;T610;1 234,50",
        f"{YEAR};1;45101;Tengbergsskolan F–6;\u2212100",
        f"{YEAR};1;45101;;12.25",
        f"{YEAR};2;30101;T610;-5\u00a0000,00",
        f"{YEAR};2;30101;T610;-1000",
    )
    report = import_outcome_csv(grastorp, data, file_name="utfall.csv")
    assert ledger(grastorp) == {
        (1, "45101", "Utbildning"): D("1234.50"),
        (1, "45101", "Tengbergsskolan F–6"): D("-100"),
        (1, "45101", None): D("12.25"),
        (2, "30101", "Utbildning"): D("-6000"),
        (3, "45101", None): D(333),
    }
    assert report.source == ImportSource.CSV
    assert (report.year, report.first_month, report.last_month) == (YEAR, 1, 2)
    assert (report.rows, report.replaced) == (4, 1)
    assert report.accounts_created == ["30101"]  # 45101 came with outcome()
    assert Account.objects.get(organisation=grastorp, number="30101").line == (
        StatementLine.OPERATING_INCOME
    )
    assert report.record.source == ImportSource.CSV and report.record.rows == 4


def test_a_windows_1252_file_with_commas_and_names_of_new_accounts(grastorp):
    # With "," as separator a decimal comma cannot be told from a separator: quote it.
    data = csv_bytes(
        f'{YEAR},4,45105,Förbrukningsmaterial,,"10,5"',
        header="År,Månad,Konto,Kontonamn,Enhet,Belopp",
        encoding="cp1252",
    )
    report = import_outcome_csv(grastorp, data, file_name="ansi.csv")
    assert ledger(grastorp) == {(4, "45105", None): D("10.5")}
    assert Account.objects.get(organisation=grastorp, number="45105").name == (
        "Förbrukningsmaterial"
    )
    assert report.warnings == []


def test_a_tab_separated_file(grastorp):
    data = csv_bytes(f"{YEAR}\t5\t45101\t\t7", header="år\tmånad\tkonto\tenhet\tbelopp")
    import_outcome_csv(grastorp, data, file_name="tab.txt")
    assert ledger(grastorp) == {(5, "45101", None): D(7)}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (f"{YEAR};1;45101;;12,3,4", "Rad 3, kolumn ”belopp”: ”12,3,4” är inget belopp."),
        (f"{YEAR};13;45101;;1", "Rad 3, kolumn ”månad”: ”13” är ingen månad (1–12)."),
        (
            f"{YEAR};1;45101;Skolan;1",
            "Rad 3, kolumn ”enhet”: ”Skolan” är varken ett kostnadsställe eller en enhet i "
            "Grästorps kommun.",
        ),
        (f"{YEAR};1;4x01;;1", "Rad 3, kolumn ”konto”: ”4x01” är inget kontonummer (3–6 siffror)."),
        ("20x1;1;45101;;1", "Rad 3, kolumn ”år”: ”20x1” är inget årtal."),
        (f"{YEAR};1;45101;;1,234", "Rad 3, kolumn ”belopp”: ”1,234” har fler än två decimaler."),
    ],
)
def test_each_error_names_its_row_and_column(grastorp, row, message):
    data = csv_bytes(f"{YEAR};1;45101;;1", row)
    with pytest.raises(OutcomeImportError) as error:
        import_outcome_csv(grastorp, data, file_name="fel.csv")
    assert error.value.messages == [message]


def test_all_errors_are_reported_together_and_nothing_changes(grastorp, outcome):
    outcome(1, "45101", 999)
    accounts = Account.objects.count()
    rows = [f"{YEAR};1;45101;;1", f"{YEAR};1;45777;;1"]
    rows += [f"{YEAR};1;45101;;x{n}" for n in range(60)]
    with pytest.raises(OutcomeImportError) as error:
        import_outcome_csv(grastorp, csv_bytes(*rows), file_name="manga.csv")
    assert len(error.value.messages) == 51
    assert error.value.messages[0].startswith("Rad 4, kolumn ”belopp”")
    assert error.value.messages[-1] == "… och 10 fel till."
    assert ledger(grastorp) == {(1, "45101", None): D(999)}
    assert Account.objects.count() == accounts
    assert not OutcomeImport.objects.filter(file_name="manga.csv").exists()


def test_missing_columns_are_named_in_one_message(grastorp):
    with pytest.raises(OutcomeImportError) as error:
        import_outcome_csv(
            grastorp, csv_bytes(f"{YEAR};1", header="år;konto"), file_name="kolumner.csv"
        )
    assert len(error.value.messages) == 1
    for column in ("”månad”", "”enhet”", "”belopp”"):
        assert column in error.value.messages[0]


def test_rows_of_several_years_are_refused(grastorp):
    data = csv_bytes(f"{YEAR};1;45101;;1", f"{YEAR + 1};1;45101;;1")
    with pytest.raises(OutcomeImportError, match="flera år"):
        import_outcome_csv(grastorp, data, file_name="ar.csv")


def test_a_file_without_rows_is_refused(grastorp):
    with pytest.raises(OutcomeImportError):
        import_outcome_csv(grastorp, csv_bytes(), file_name="tom.csv")


def test_a_dry_run_changes_nothing(grastorp, outcome):
    outcome(2, "45101", 999)
    imports = OutcomeImport.objects.count()
    report = import_outcome_csv(
        grastorp, csv_bytes(f"{YEAR};2;45888;;5"), file_name="prov.csv", dry_run=True
    )
    assert report.dry_run and report.record is None
    assert (report.rows, report.replaced, report.accounts_created) == (1, 1, ["45888"])
    assert ledger(grastorp) == {(2, "45101", None): D(999)}
    assert not Account.objects.filter(organisation=grastorp, number="45888").exists()
    assert OutcomeImport.objects.count() == imports


def test_a_cost_centre_without_a_unit_is_reported(grastorp):
    CostObject.objects.create(organisation=grastorp, dimension=1, code="T880", name="Okänt")
    report = import_outcome_csv(grastorp, csv_bytes(f"{YEAR};6;45101;T880;5"), file_name="o.csv")
    assert report.objects_without_unit == ["1 / T880 Okänt"]
    assert ledger(grastorp) == {(6, "45101", None): D(5)}


def test_a_unit_name_that_two_units_share_asks_for_the_cost_centre(grastorp):
    from tillit.core.choices import UnitKind
    from tillit.core.models import OrgUnit

    for name in ("Utbildning", "Samhällsbyggnad"):
        parent = OrgUnit.objects.get(organisation=grastorp, name=name)
        OrgUnit.objects.create(
            organisation=grastorp, parent=parent, kind=UnitKind.UNIT, name="Administration"
        )
    data = "år;månad;konto;enhet;belopp\r\n2031;1;5110;Administration;100\r\n".encode()
    with pytest.raises(OutcomeImportError) as error:
        import_outcome_csv(grastorp, data, file_name="utfall.csv")
    assert "Rad 2, kolumn ”enhet”: flera enheter" in str(error.value)
