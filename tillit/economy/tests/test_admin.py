"""The economy in the admin: every model's pages load for a superuser; the ledger is read-only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from tillit.economy import models as economy
from tillit.economy.choices import StatementLine

from .conftest import YEAR

pytestmark = pytest.mark.django_db

LEDGER = (economy.OutcomeImport, economy.Outcome, economy.OpeningBalance, economy.PeriodBudget)


@pytest.fixture
def rows(grastorp, account, operation, budget_decision, personas):
    """One row of every economy model, in YEAR."""
    education = operation("Utbildning")
    salaries = account("4011", "Löner")
    source = economy.OutcomeImport.objects.create(
        organisation=grastorp,
        source="sie",
        file_name="bokslut.se",
        checksum="0" * 64,
        year=YEAR,
        first_month=1,
        last_month=1,
    )
    document = economy.BudgetDocument.objects.create(
        organisation=grastorp,
        kind="budget",
        year=YEAR,
        title=f"Budget {YEAR}",
        decision=budget_decision,
    )
    goal = economy.FinancialGoal.objects.create(
        organisation=grastorp,
        title="Resultatet minst 2 procent",
        indicator="result_share",
        target=Decimal(2),
        first_year=YEAR,
        decision=budget_decision,
    )
    limit = economy.PolicyLimit.objects.create(
        organisation=grastorp,
        area="borrowing",
        title="Upplåning högst 150 000 tkr",
        limit=Decimal(150_000_000),
        unit="kr",
        decision=budget_decision,
    )
    return {
        economy.Account: salaries,
        economy.CostObject: economy.CostObject.objects.create(
            organisation=grastorp, dimension=9, code="T-410", unit=education
        ),
        economy.OutcomeImport: source,
        economy.Outcome: economy.Outcome.objects.create(
            organisation=grastorp, year=YEAR, month=1, account=salaries, amount=1, source=source
        ),
        economy.OpeningBalance: economy.OpeningBalance.objects.create(
            organisation=grastorp, year=YEAR, account=account("1930"), amount=5
        ),
        economy.PeriodBudget: economy.PeriodBudget.objects.create(
            organisation=grastorp, year=YEAR, month=1, account=salaries, amount=2
        ),
        economy.BudgetDocument: document,
        economy.BudgetLine: economy.BudgetLine.objects.create(
            document=document, year=YEAR, line=StatementLine.TAX_REVENUE, amount=3
        ),
        economy.Forecast: economy.Forecast.objects.create(
            organisation=grastorp, unit=education, year=YEAR, month=1, amount=4
        ),
        economy.FinancialGoal: goal,
        economy.FinancialGoalAssessment: economy.FinancialGoalAssessment.objects.create(
            goal=goal, year=YEAR, month=4
        ),
        economy.BalanceRequirement: economy.BalanceRequirement.objects.create(
            organisation=grastorp, year=YEAR
        ),
        economy.PolicyLimit: limit,
        economy.PolicyOutcome: economy.PolicyOutcome.objects.create(
            limit=limit, date=date(YEAR, 3, 31), value=Decimal(90_000_000)
        ),
    }


def url(model, action: str, *args) -> str:
    return reverse(f"admin:economy_{model._meta.model_name}_{action}", args=args)


def test_every_economy_model_is_in_the_admin():
    from django.apps import apps

    for model in apps.get_app_config("economy").get_models():
        if model.__name__.startswith("Historical"):
            continue
        assert admin.site.is_registered(model), model.__name__


def test_every_page_loads_for_the_superuser(admin_client, rows):
    for model, obj in rows.items():
        assert admin_client.get(url(model, "changelist")).status_code == 200, model.__name__
        assert admin_client.get(url(model, "change", obj.pk)).status_code == 200, model.__name__
        if model not in LEDGER:
            assert admin_client.get(url(model, "add")).status_code == 200, model.__name__
        if hasattr(model, "history"):
            assert admin_client.get(url(model, "history", obj.pk)).status_code == 200


def test_the_ledger_is_read_only(admin_client, rows):
    for model in LEDGER:
        obj = rows[model]
        assert admin_client.get(url(model, "add")).status_code == 403
        page = admin_client.get(url(model, "change", obj.pk))
        assert b'name="_save"' not in page.content
        assert admin_client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        assert model.objects.filter(pk=obj.pk).exists()


def test_a_change_in_the_admin_bumps_the_version(admin_client, rows):
    account = rows[economy.Account]
    response = admin_client.post(
        url(economy.Account, "change", account.pk),
        {
            "organisation": account.organisation_id,
            "number": account.number,
            "name": "Löner, rättat",
            "kind": "",
            "line": StatementLine.OPERATING_COST,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    assert account.name == "Löner, rättat"
    assert account.version == 2


def test_the_admin_is_closed_to_the_economist(client_as):
    response = client_as("ekonom").get(url(economy.BudgetDocument, "changelist"))
    assert response.status_code == 302  # to the admin's login: not staff
