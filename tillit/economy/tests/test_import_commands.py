"""``manage.py import_sie`` and ``manage.py import_outcome_csv``."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tillit.economy.models import Outcome, OutcomeImport

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def sie_file(tmp_path, *lines: str, name: str = "utfall.se"):
    path = tmp_path / name
    head = ["#FLAGGA 0", "#SIETYP 4", f"#RAR 0 {YEAR}0101 {YEAR}1231"]
    path.write_bytes(("\r\n".join([*head, *lines]) + "\r\n").encode("cp437"))
    return path


def run(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *map(str, args), stdout=out)
    return out.getvalue()


def amounts(grastorp) -> dict[tuple[int, str], Decimal]:
    return {
        (o.month, o.account.number): o.amount
        for o in Outcome.objects.filter(organisation=grastorp, year=YEAR).select_related("account")
    }


def test_import_sie_reads_the_file_and_prints_a_summary(grastorp, tmp_path):
    path = sie_file(
        tmp_path,
        '#OBJEKT 1 T610 "Gata och park"',
        f'#PSALDO 0 {YEAR}01 45101 {{1 "T610"}} 100.00',
        f"#PSALDO 0 {YEAR}02 45101 {{}} 50.00",
        "#OKAND 1",
    )
    output = run("import_sie", path)
    assert amounts(grastorp) == {(1, "45101"): Decimal(100), (2, "45101"): Decimal(50)}
    assert f"utfall.se: januari–februari {YEAR}." in output
    assert "Rader i huvudboken: 2." in output
    assert "Nya konton: 45101." in output
    assert "1 / T610 Gata och park" in output
    assert "rad 7 (#OKAND)" in output
    assert "Provläsning" not in output
    record = OutcomeImport.objects.get(organisation=grastorp, file_name="utfall.se")
    assert record.imported_by is None and record.year == YEAR


def test_a_dry_run_saves_nothing(grastorp, tmp_path):
    path = sie_file(tmp_path, f"#PSALDO 0 {YEAR}03 45101 {{}} 1.00")
    output = run("import_sie", path, "--dry-run")
    assert "Provläsning: inget sparades." in output
    assert amounts(grastorp) == {}
    assert not OutcomeImport.objects.filter(file_name="utfall.se").exists()


def test_an_error_exits_with_the_swedish_messages_and_changes_nothing(grastorp, tmp_path):
    path = sie_file(tmp_path, f"#PSALDO 0 {YEAR}03 45101 {{}} 1,00")
    with pytest.raises(CommandError) as error:
        run("import_sie", path)
    assert "inget har ändrats" in str(error.value) and "Rad 4" in str(error.value)
    assert amounts(grastorp) == {}


def test_an_unknown_organisation_or_a_missing_file_is_an_error(grastorp, tmp_path):
    with pytest.raises(CommandError, match="kortnamnet"):
        run("import_sie", sie_file(tmp_path, "#IB 0 19301 1.00"), "--organisation", "nowhere")
    with pytest.raises(CommandError, match="går inte att läsa"):
        run("import_outcome_csv", tmp_path / "saknas.csv")


def test_import_outcome_csv(grastorp, tmp_path):
    path = tmp_path / "utfall.csv"
    path.write_bytes(f"år;månad;konto;enhet;belopp\n{YEAR};4;45101;Utbildning;12,50\n".encode())
    output = run("import_outcome_csv", path, "--organisation", grastorp.slug)
    assert amounts(grastorp) == {(4, "45101"): Decimal("12.50")}
    assert f"utfall.csv: april {YEAR}." in output
    assert Outcome.objects.get(organisation=grastorp, year=YEAR).unit.name == "Utbildning"

    path.write_bytes(f"år;månad;konto;enhet;belopp\n{YEAR};4;45101;;x\n".encode())
    with pytest.raises(CommandError) as error:
        run("import_outcome_csv", path)
    assert "Rad 2, kolumn ”belopp”: ”x” är inget belopp." in str(error.value)
    assert amounts(grastorp) == {(4, "45101"): Decimal("12.50")}
