"""The demo's economy: the sample SIE files the project makes, read in by the real import."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tillit.economy import sie
from tillit.economy.choices import BudgetKind, StatementLine
from tillit.economy.demo import DEMO_YEARS, closing_balances, demo_files, sample_sie
from tillit.economy.ledger import YearLedger
from tillit.economy.models import (
    BudgetDocument,
    FinancialGoalAssessment,
    Forecast,
    OutcomeImport,
    PolicyOutcome,
)


def test_the_sample_files_are_sie_4e_that_balance_and_carry_over():
    files = demo_files()
    for year, file in files.items():
        parsed = sie.parse(sie.write(file))
        assert parsed.kind == "4E"
        assert parsed.encoding == "cp437"  # å, ä, ö in PC8, as the spec has it
        assert parsed.company == "Grästorps kommun"
        assert parsed.fiscal_years[0].start.year == year
        opening = [b.amount for b in parsed.balances if b.kind == "IB"]
        assert sum(opening) == 0, "the opening balance sheet balances"
        months = {v.date.month for v in parsed.vouchers}
        assert months == set(range(1, DEMO_YEARS[year] + 1))
    # 2025 is complete: its closing balances plus the result are 2026's opening balances.
    complete = files[2025]
    closing = [b.amount for b in complete.balances if b.kind == "UB"]
    result = [b.amount for b in complete.balances if b.kind == "RES"]
    assert sum(closing) == -sum(result) != 0
    assert sum(closing_balances(complete).values()) == 0
    assert {b.account: b.amount for b in files[2026].balances if b.kind == "IB"} == (
        closing_balances(complete)
    )


def test_the_same_file_comes_out_every_time():
    assert sie.write(sample_sie(2026, 4)) == sie.write(sample_sie(2026, 4))


@pytest.mark.django_db
def test_the_demo_has_grastorps_economy(grastorp):
    assert set(
        OutcomeImport.objects.filter(organisation=grastorp).values_list("file_name", flat=True)
    ) >= {"grastorp-2025.se", "grastorp-2026.se"}
    assert BudgetDocument.objects.filter(organisation=grastorp, kind=BudgetKind.BUDGET).count() == 2
    ledger = YearLedger.load(grastorp, 2026)
    assert ledger.latest_month == 10
    care = next(op for op in ledger.operations if op.name == "Vård och omsorg")
    school = next(op for op in ledger.operations if op.name == "Utbildning")
    # The frame of Vård och omsorg includes the tilläggsbudget of April 2026.
    assert ledger.frame(care.pk) == Decimal(160_500_000)
    # Vård och omsorg spends more than its budget so far; Utbildning less.
    assert ledger.net_cost_through(care.pk, 10) > ledger.budget_through(care.pk, 10)
    assert ledger.net_cost_through(school.pk, 10) < ledger.budget_through(school.pk, 10)
    assert ledger.forecast(care.pk, 10).amount > ledger.frame(care.pk)
    statement = ledger.income_statement(10)
    assert statement[StatementLine.TAX_REVENUE] > 0 > statement[StatementLine.OPERATING_COST]
    assert 0 < ledger.forecast_result(10) < ledger.budgeted_result() + Decimal(5_000_000)
    assert FinancialGoalAssessment.objects.filter(goal__organisation=grastorp).count() == 8
    assert Forecast.objects.filter(organisation=grastorp, year=2026, month=10).count() == 4
    breached = [o for o in PolicyOutcome.objects.filter(limit__organisation=grastorp) if o.breached]
    assert len(breached) == 1 and "semesterlöner" in breached[0].comment


def test_make_sample_sie_writes_a_file_that_import_sie_reads(tmp_path, grastorp, capsys):
    path = tmp_path / "grastorp-2026.se"
    call_command("make_sample_sie", str(path), "--year", "2026", "--through", "4")
    data = path.read_bytes()
    assert data.startswith(b"#FLAGGA 0")
    assert "Grästorps kommun".encode("cp437") in data
    before = OutcomeImport.objects.count()
    call_command("import_sie", str(path), "--dry-run")
    assert OutcomeImport.objects.count() == before
    assert "Provläsning" in capsys.readouterr().out


def test_make_sample_sie_writes_utf8_to_standard_out():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "make_sample_sie",
            "-",
            "--year",
            "2025",
            "--encoding",
            "utf-8",
        ],
        capture_output=True,
        check=True,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin"},
    )
    assert sie.parse(result.stdout).encoding == "utf-8"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [(["--year", "2024"], "2025 och 2026"), (["--through", "13"], "ingen månad")],
)
def test_make_sample_sie_refuses_what_the_demo_does_not_have(tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("make_sample_sie", str(tmp_path / "x.se"), *arguments)
