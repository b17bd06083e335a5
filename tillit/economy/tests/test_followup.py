"""The monthly follow-up: /ekonomi/, the year per verksamhet and a verksamhet's page.

The figures are built in YEAR (2031), January–March:

- frames: Kommunledningskontoret 60 000, Utbildning 120 000, Vård och omsorg 240 000,
  Samhällsbyggnad 30 000 tkr; tax revenue 380 000, general grants 90 000, financial
  income 2 000 and costs 4 000 tkr; the budgeted result is 18 000 tkr;
- each month Utbildning costs 11 000 tkr (at Tengbergsskolan) less 500 tkr of income,
  Vård och omsorg 20 000 (at Hemtjänsten), Kommunledningskontoret 5 000 and
  Samhällsbyggnad 2 500; tax revenue is 31 000 and general grants 7 500; in March the
  municipality as a whole books 200 tkr of costs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.economy.templatetags.economy import tkr

from .conftest import YEAR

pytestmark = pytest.mark.django_db

M = Decimal(1_000_000)
FRAMES = {
    "Kommunledningskontoret": 60,
    "Utbildning": 120,
    "Vård och omsorg": 240,
    "Samhällsbyggnad": 30,
}


def year_url(year: int = YEAR, month: int | None = None) -> str:
    url = reverse("economy:year", args=[year])
    return f"{url}?manad={month}" if month else url


@pytest.fixture
def clock(monkeypatch):
    """The follow-up's today: the last day of YEAR, so every month of it has passed."""
    from tillit.economy.views import followup

    def set_today(day: date) -> None:
        monkeypatch.setattr(followup, "today", lambda: day)

    set_today(date(YEAR, 12, 31))
    return set_today


@pytest.fixture
def budget(grastorp, budget_decision, operation):
    """KF's budget for YEAR (see the module's docstring)."""
    from tillit.economy.choices import BudgetKind, StatementLine
    from tillit.economy.models import BudgetDocument, BudgetLine

    document = BudgetDocument.objects.create(
        organisation=grastorp,
        kind=BudgetKind.BUDGET,
        year=YEAR,
        title=f"Budget {YEAR}",
        decision=budget_decision,
    )
    for name, frame in FRAMES.items():
        BudgetLine.objects.create(
            document=document, year=YEAR, unit=operation(name), amount=frame * 1000 * 1000
        )
    for line, amount in (
        (StatementLine.TAX_REVENUE, 380),
        (StatementLine.GENERAL_GRANTS, 90),
        (StatementLine.FINANCIAL_INCOME, 2),
        (StatementLine.FINANCIAL_COST, 4),
    ):
        BudgetLine.objects.create(document=document, year=YEAR, line=line, amount=amount * M)
    return document


@pytest.fixture
def ledger_data(budget, outcome, operation, unit):
    """January–March of YEAR (see the module's docstring)."""
    for month in (1, 2, 3):
        outcome(month, "4011", 11 * M, unit=unit("Tengbergsskolan F–6"))
        outcome(month, "3011", Decimal("-0.5") * M, unit=operation("Utbildning"))
        outcome(month, "4011", 20 * M, unit=unit("Hemtjänsten"))
        outcome(month, "4011", 5 * M, unit=operation("Kommunledningskontoret"))
        outcome(month, "4011", Decimal("2.5") * M, unit=operation("Samhällsbyggnad"))
        outcome(month, "8011", -31 * M)
        outcome(month, "8211", Decimal("-7.5") * M)
    outcome(3, "5311", Decimal("0.2") * M)
    return budget


@pytest.fixture
def make_forecast(grastorp, operation, personas):
    from tillit.economy.models import Forecast

    def make(name: str, month: int, tkr_amount, comment: str = "", author="verksamhetschef"):
        return Forecast.objects.create(
            organisation=grastorp,
            unit=operation(name),
            year=YEAR,
            month=month,
            amount=Decimal(tkr_amount) * 1000,
            comment=comment,
            author=personas[author],
        )

    return make


def row_of(response, name: str):
    return next(r for r in response.context["rows"] if r.label == name)


# ------------------------------------------------------------------------------ index


def test_the_index_opens_the_latest_year_with_outcome(client_as, ledger_data, outcome):
    outcome(5, "4011", 100, year=YEAR + 1)
    response = client_as("ekonom").get(reverse("economy:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("economy:year", args=[YEAR + 1])


def test_anonymous_people_are_sent_to_log_in(client, grastorp):
    for url in (reverse("economy:index"), year_url(), reverse("economy:operation", args=[YEAR, 1])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_a_person_without_an_organisation_finds_nothing(client, grastorp, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", password="x")
    client.force_login(stranger)
    assert client.get(reverse("economy:index")).status_code == 404
    assert client.get(year_url()).status_code == 404


# ------------------------------------------------------------------------------ the year


def test_the_year_page_shows_each_operation_against_its_frame(client_as, ledger_data, clock):
    response = client_as("fortroendevald").get(year_url())
    assert response.status_code == 200
    assert response.context["month"] == 3  # the latest month with outcome
    html = response.content.decode()

    education = row_of(response, "Utbildning")
    assert education.frame == 120 * M
    assert education.budget_through == 30 * M
    assert education.outcome_through == Decimal("31.5") * M
    assert education.deviation == Decimal("-1.5") * M
    assert education.projection == 126 * M
    assert education.forecast is None
    assert education.frame_deviation == -6 * M
    assert education.expected_source == "projection"
    for figure in ("120 000", "30 000", "31 500", "126 000"):
        assert tkr(Decimal(figure.replace(" ", "")) * 1000) in html
    # A deficit reads as one without colour: a real minus sign and a marked icon.
    assert "\u22121\u00a0500" in html
    assert 'class="deviation deviation--negative"' in html
    assert "▼" in html

    care = row_of(response, "Vård och omsorg")
    assert care.deviation == 0 and care.frame_deviation == 0

    total = response.context["rows"][-1]
    assert total.is_total
    assert total.frame == 450 * M
    assert total.outcome_through == Decimal("114.2") * M  # with the common 200 tkr
    assert tkr(Decimal("114.2") * M) in html
    for name in FRAMES:
        url = reverse("economy:operation", args=[YEAR, row_of(response, name).unit.pk])
        assert f'href="{url}?manad=3"' in html


def test_outcome_outside_the_operations_gets_a_row_of_its_own(client_as, ledger_data, clock):
    response = client_as("ekonom").get(year_url(month=3))
    common = [r for r in response.context["rows"] if r.is_common]
    assert len(common) == 1 and common[0].outcome_through == Decimal("0.2") * M
    # In February the municipality as a whole has booked nothing: no such row.
    response = client_as("ekonom").get(year_url(month=2))
    assert not [r for r in response.context["rows"] if r.is_common]


def test_the_latest_forecast_at_or_before_the_month_counts(
    client_as, ledger_data, clock, make_forecast
):
    make_forecast("Utbildning", 1, "121000", "Fler elever än väntat.")
    make_forecast("Utbildning", 3, "130000", "Högre kostnader för skolskjutsar.")
    february = row_of(client_as("ekonom").get(year_url(month=2)), "Utbildning")
    assert february.forecast.month == 1 and february.forecast.amount == 121 * M
    march = client_as("ekonom").get(year_url(month=3))
    education = row_of(march, "Utbildning")
    assert education.forecast.amount == 130 * M
    assert education.frame_deviation == -10 * M
    html = march.content.decode()
    assert "Högre kostnader för skolskjutsar." in html  # the comment, in a disclosure
    assert personas_name(march, "verksamhetschef") in html


def personas_name(response, key):
    from tillit.core.demo import PERSONAS
    from tillit.core.models import User

    return str(User.objects.get(username=PERSONAS[key].username))


def test_the_municipality_section_shows_the_income_statement_and_the_result(
    client_as, ledger_data, clock, make_forecast, grastorp, budget_decision
):
    from tillit.economy.choices import FinancialIndicator, StatementLine
    from tillit.economy.models import FinancialGoal

    without_result_goals(grastorp)
    FinancialGoal.objects.create(
        organisation=grastorp,
        title="Årets resultat ska vara minst 2 procent av skatteintäkter och generella statsbidrag",
        indicator=FinancialIndicator.RESULT_SHARE,
        target=Decimal(2),
        first_year=YEAR - 1,
        decision=budget_decision,
    )
    response = client_as("verksamhetschef").get(year_url())
    html = response.content.decode()
    lines = {row.line: row for row in response.context["statement"]}
    assert lines[StatementLine.OPERATING_INCOME].outcome == Decimal("1.5") * M
    assert lines[StatementLine.OPERATING_COST].outcome == Decimal("-115.7") * M
    assert lines[StatementLine.TAX_REVENUE].outcome == 93 * M
    assert lines[StatementLine.TAX_REVENUE].budget == 380 * M
    assert lines[StatementLine.FINANCIAL_COST].budget == -4 * M
    assert lines[StatementLine.OPERATING_INCOME].budget is None
    subtotal = next(row for row in response.context["statement"] if row.is_subtotal)
    assert subtotal.budget == -450 * M and subtotal.outcome == Decimal("-114.2") * M

    summary = response.context["summary"]
    assert summary.budget == 18 * M
    assert summary.outcome == Decimal("1.3") * M
    # Each operation's forecast from outcome: 126 + 240 + 60 + 30 = 456 of 450 in frames.
    assert summary.forecast == Decimal("11.2") * M  # with the common items' 800
    assert summary.target_amount == Decimal("9.4") * M  # 2 % of 470 000 tkr
    assert summary.reaches_target is True
    for figure in ("−115\u00a0700", "93\u00a0000", "380\u00a0000", "18\u00a0000", "11\u00a0200"):
        assert figure in html
    assert 'id="result-target"' in html

    make_forecast("Utbildning", 3, "130000", "Skolskjutsar.")
    summary = client_as("verksamhetschef").get(year_url()).context["summary"]
    assert summary.forecast == Decimal("7.2") * M
    assert summary.reaches_target is False


def without_result_goals(organisation) -> None:
    """The demo's own goals on the result apply to every year from theirs on: not to these."""
    from tillit.economy.models import FinancialGoal

    FinancialGoal.objects.filter(organisation=organisation, indicator="result_share").delete()


def test_without_a_goal_on_the_result_nothing_is_claimed(client_as, ledger_data, clock, grastorp):
    without_result_goals(grastorp)
    summary = client_as("ekonom").get(year_url()).context["summary"]
    assert summary.goal is None and summary.reaches_target is None


def test_an_empty_year_says_so_and_shows_the_economist_where_to_begin(client_as, grastorp):
    empty = YEAR + 7
    response = client_as("ekonom").get(year_url(empty))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("economy:budgets")}"' in notice(html, "no-budget")
    assert f'href="{reverse("economy:imports")}"' in notice(html, "no-outcome")
    assert response.context["month"] == 1  # a year ahead opens in January
    other = client_as("verksamhetschef").get(year_url(empty)).content.decode()
    assert "href" not in notice(other, "no-budget")
    assert "href" not in notice(other, "no-outcome")


def notice(html: str, element_id: str) -> str:
    start = html.index(f'id="{element_id}"')
    return html[start : html.index("</div>", start)]


def test_a_year_with_a_budget_but_no_outcome_opens_in_december(client_as, budget):
    response = client_as("ekonom").get(year_url())
    assert response.context["month"] == 12
    assert 'id="no-outcome"' in response.content.decode()


@pytest.mark.parametrize("month", ["0", "13", "mars", "-1"])
def test_a_month_out_of_range_is_not_found(client_as, grastorp, month):
    assert client_as("ekonom").get(f"{year_url()}?manad={month}").status_code == 404


def test_a_year_out_of_range_is_not_found(client_as, grastorp):
    assert client_as("ekonom").get(year_url(1999)).status_code == 404


def test_the_month_picker_works_without_javascript(client_as, ledger_data, clock):
    html = client_as("ekonom").get(year_url(month=1)).content.decode()
    assert 'name="manad"' in html and 'method="get"' in html
    assert f'href="{year_url(YEAR - 1, 12)}"' in html
    assert f'href="{year_url(YEAR, 2)}"' in html
    december = client_as("ekonom").get(year_url(month=12)).content.decode()
    assert f'href="{year_url(YEAR + 1, 1)}"' in december
    assert f'href="{reverse("economy:report", args=[YEAR, 12])}"' in december


def test_forecast_links_go_to_those_who_may_forecast(client_as, ledger_data, clock, operation):
    def forecast_links(persona: str) -> set[str]:
        html = client_as(persona).get(year_url()).content.decode()
        return {
            name
            for name in FRAMES
            if reverse("economy:forecast", args=[YEAR, operation(name).pk, 3]) in html
        }

    assert forecast_links("ekonom") == set(FRAMES)
    assert forecast_links("verksamhetschef") == {"Utbildning"}
    for persona in ("enhetschef", "medledare", "fortroendevald", "outsider"):
        assert forecast_links(persona) == set()


def test_no_forecast_links_for_a_month_to_come(client_as, ledger_data, clock, operation):
    clock(date(YEAR, 2, 10))
    html = client_as("ekonom").get(year_url(month=3)).content.decode()
    assert reverse("economy:forecast", args=[YEAR, operation("Utbildning").pk, 3]) not in html
    html = client_as("ekonom").get(year_url(month=2)).content.decode()
    assert reverse("economy:forecast", args=[YEAR, operation("Utbildning").pk, 2]) in html


def _add_operation(grastorp, name: str, budget, outcome, make_forecast=None):
    from tillit.core.choices import UnitKind
    from tillit.core.models import OrgUnit
    from tillit.economy.models import BudgetLine

    parent = OrgUnit.objects.filter(organisation=grastorp, parent=None).first()
    new = OrgUnit.objects.create(
        organisation=grastorp, parent=parent, kind=UnitKind.OPERATION, name=name
    )
    child = OrgUnit.objects.create(
        organisation=grastorp, parent=new, kind=UnitKind.UNIT, name=f"{name} enhet"
    )
    BudgetLine.objects.create(document=budget, year=YEAR, unit=new, amount=12 * M)
    for month in (1, 2, 3):
        outcome(month, "4011", M, unit=child)
        outcome(month, "4012", M, unit=new)
    return new


def test_the_year_page_makes_a_constant_number_of_queries(
    client_as, ledger_data, clock, grastorp, outcome, make_forecast
):
    client = client_as("verksamhetschef")
    client.get(year_url())  # warm up caches (sessions, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(year_url()).status_code == 200
    make_forecast("Utbildning", 2, "125000", "Något dyrare.")
    for number in range(4):
        _add_operation(grastorp, f"Ny verksamhet {number}", ledger_data, outcome)
    with CaptureQueriesContext(connection) as large:
        response = client.get(year_url())
    assert len(response.context["rows"]) == len(FRAMES) + 4 + 2
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


# ------------------------------------------------------------------------------ a verksamhet


def operation_url(unit, month=None, year=YEAR):
    url = reverse("economy:operation", args=[year, unit.pk])
    return f"{url}?manad={month}" if month else url


def test_an_operation_month_by_month(client_as, ledger_data, clock, operation, make_forecast):
    education = operation("Utbildning")
    make_forecast("Utbildning", 2, "125000", "Fler elever i förskoleklass.")
    make_forecast("Utbildning", 3, "130000", "Högre kostnader för skolskjutsar.")
    response = client_as("medledare").get(operation_url(education))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 12
    assert [r.outcome for r in rows[:3]] == [Decimal("10.5") * M] * 3
    assert rows[3].outcome is None and rows[3].outcome_accumulated is None
    assert (
        rows[2].budget_accumulated == 30 * M and rows[2].outcome_accumulated == Decimal("31.5") * M
    )
    assert rows[2].deviation == Decimal("-1.5") * M
    assert rows[11].budget_accumulated == 120 * M
    html = response.content.decode()
    # The chart: an image named in Swedish (by its title), with the table as its data.
    assert 'role="img"' in html and f"operation-{education.pk}-chart-title" in html
    assert 'id="months-table"' in html
    assert "31\u00a0500" in html
    # The forecasts, newest first, with the forecast from outcome at their month.
    forecasts = response.context["forecasts"]
    assert [f.month for f, _ in forecasts] == [3, 2]
    assert forecasts[0][1] == 126 * M
    assert "Högre kostnader för skolskjutsar." in html
    # The outcome per unit under the verksamhet.
    breakdown = {r.name: r.amount for r in response.context["breakdown"].rows}
    assert breakdown == {"Utbildning": Decimal("-1.5") * M, "Tengbergsskolan F–6": 33 * M}
    assert response.context["breakdown"].total == Decimal("31.5") * M
    # Nobody in medledare's place may forecast: no link.
    assert reverse("economy:forecast", args=[YEAR, education.pk, 3]) not in html


def test_an_operation_through_an_earlier_month(client_as, ledger_data, clock, operation):
    response = client_as("ekonom").get(operation_url(operation("Utbildning"), 1))
    breakdown = {r.name: r.amount for r in response.context["breakdown"].rows}
    assert breakdown["Tengbergsskolan F–6"] == 11 * M
    assert response.context["row"].outcome_through == Decimal("10.5") * M


def test_only_operations_of_ones_own_organisation(client_as, ledger_data, unit, django_user_model):
    from tillit.core.models import Organisation

    client = client_as("ekonom")
    assert client.get(operation_url(unit("Tengbergsskolan F–6"))).status_code == 404
    assert client.get(reverse("economy:operation", args=[YEAR, 999999])).status_code == 404
    other = Organisation.objects.create(slug="annanstad", name="Annanstads kommun")
    economist = django_user_model.objects.create_user(
        "annan-ekonom", password="x", organisation=other, is_economist=True
    )
    client.force_login(economist)
    education = unit("Utbildning")
    assert client.get(operation_url(education)).status_code == 404
    # Their own follow-up is theirs: Grästorp's figures are not in it.
    html = client.get(year_url()).content.decode()
    assert "Utbildning" not in html


def test_the_operation_page_makes_a_constant_number_of_queries(
    client_as, ledger_data, clock, grastorp, outcome, operation, unit, make_forecast
):
    from tillit.core.choices import UnitKind
    from tillit.core.models import OrgUnit

    client = client_as("ekonom")
    education = operation("Utbildning")
    client.get(operation_url(education))
    with CaptureQueriesContext(connection) as small:
        client.get(operation_url(education))
    school = unit("Tengbergsskolan F–6")
    for number in range(5):
        extra = OrgUnit.objects.create(
            organisation=grastorp, parent=school, kind=UnitKind.UNIT, name=f"Klass {number}"
        )
        for month in (1, 2, 3):
            outcome(month, "4011", 1000, unit=extra)
    for number in range(3):
        _add_operation(grastorp, f"Ny verksamhet {number}", ledger_data, outcome)
    for month in (1, 2):
        make_forecast("Utbildning", month, "120000", "Enligt ram.")
    with CaptureQueriesContext(connection) as large:
        response = client.get(operation_url(education))
    assert len(response.context["breakdown"].rows) == 2 + 5
    # The history reads each forecast's earlier version once: bounded, not by the data's size.
    assert len(large) <= len(small) + 4, [q["sql"] for q in large.captured_queries]
