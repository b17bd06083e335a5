"""Financial goals (god ekonomisk hushållning): values from the accounts, assessments,
their pages, and the monthly report's part on goals, balance requirement and policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.core.choices import Fulfilment
from tillit.economy.goals import (
    assessment_months,
    goal_forecast,
    goal_rows,
    goal_value,
    proposed_fulfilment,
    report_context,
    target_text,
)
from tillit.economy.ledger import YearLedger
from tillit.economy.models import (
    BalanceRequirement,
    BudgetDocument,
    BudgetLine,
    FinancialGoal,
    FinancialGoalAssessment,
    OpeningBalance,
    Outcome,
    PolicyLimit,
    PolicyOutcome,
)

from .conftest import YEAR

D = Decimal
MN = D(1_000_000)
TITLE = f"Årets resultat {YEAR} ska uppgå till minst 2 procent av skatteintäkterna"


@pytest.fixture
def accounts_2031(grastorp, account, outcome, operation):
    """YEAR through March: tax revenue 100, costs 90 (Utbildning), depreciation 2,
    investments 5 (all millions); opening balances: fixed assets 50, cash 20, equity −40,
    current liabilities −30."""
    outcome(3, "8011", -100 * MN)
    outcome(3, "4011", 90 * MN, unit=operation("Utbildning"))
    outcome(3, "7811", 2 * MN)
    outcome(3, "1110", 5 * MN)
    for number, amount in (("1110", 50), ("1930", 20), ("2010", -40), ("2410", -30)):
        OpeningBalance.objects.create(
            organisation=grastorp, year=YEAR, account=account(number), amount=amount * MN
        )


def make_goal(grastorp, decision, indicator="result_share", target="2.0", **kwargs):
    values = {
        "title": f"Mål {indicator}",
        "comparator": "gte",
        "first_year": YEAR,
        "last_year": YEAR + 2,
    }
    values.update(kwargs)
    return FinancialGoal.objects.create(
        organisation=grastorp, indicator=indicator, target=D(target), decision=decision, **values
    )


def own_rows(rows, *goals):
    pks = {g.pk for g in goals}
    return [row for row in rows if row.goal.pk in pks]


# ---------------------------------------------------------------------------- computations


def test_each_indicator_is_computed_from_the_accounts(grastorp, budget_decision, accounts_2031):
    ledger = YearLedger.load(grastorp, YEAR)
    expected = {
        "result_share": D("8.0"),  # (100 − 90 − 2) / 100
        "net_cost_share": D("92.0"),  # (90 + 2) / 100
        "self_financing": D("142.9"),  # (8 + 2) / (5 + 2)
        "equity_ratio": D("64.0"),  # (40 + the result 8) / (55 + 20)
        "quick_ratio": D("66.7"),  # 20 / 30
    }
    for indicator, value in expected.items():
        goal = make_goal(grastorp, budget_decision, indicator)
        assert goal_value(goal, ledger, 3) == value, indicator
    assert goal_value(goal, ledger, 4) is None  # no outcome through April yet
    assert assessment_months(ledger.latest_month) == [3]
    assert assessment_months(9) == [4, 8, 9]
    assert assessment_months(None) == []


def test_the_proposal_follows_the_target_and_the_comparison(grastorp, budget_decision):
    at_least = make_goal(grastorp, budget_decision, target="2.0")
    at_most = make_goal(grastorp, budget_decision, "net_cost_share", "98.0", comparator="lte")
    assert proposed_fulfilment(at_least, D("2.0")) == Fulfilment.MET
    assert proposed_fulfilment(at_least, D("1.9")) == Fulfilment.NOT_MET
    assert proposed_fulfilment(at_least, None) == Fulfilment.NOT_ASSESSED
    assert proposed_fulfilment(at_most, D("99.1")) == Fulfilment.NOT_MET
    assert proposed_fulfilment(at_most, D("97")) == Fulfilment.MET
    assert target_text(at_least) == "≥\u00a02,0\u00a0%"
    assert target_text(at_most) == "≤\u00a098,0\u00a0%"


def test_the_result_share_has_a_forecast_from_the_budget(
    grastorp, budget_decision, accounts_2031, operation
):
    budget = BudgetDocument.objects.create(
        organisation=grastorp, kind="budget", year=YEAR, title="Budget", decision=budget_decision
    )
    BudgetLine.objects.create(document=budget, year=YEAR, line="tax_revenue", amount=400 * MN)
    BudgetLine.objects.create(
        document=budget, year=YEAR, unit=operation("Utbildning"), amount=380 * MN
    )
    ledger = YearLedger.load(grastorp, YEAR)
    result_goal = make_goal(grastorp, budget_decision)
    equity_goal = make_goal(grastorp, budget_decision, "equity_ratio", "30")
    forecast = ledger.forecast_result(3)
    assert goal_forecast(result_goal, ledger, 3) == (forecast * 100 / (400 * MN)).quantize(D("0.1"))
    assert goal_forecast(equity_goal, ledger, 3) is None


def test_goal_rows_hold_the_years_goals_and_assessments(
    grastorp, budget_decision, accounts_2031, personas
):
    goal = make_goal(grastorp, budget_decision)
    later = make_goal(grastorp, budget_decision, first_year=YEAR + 1)
    ended = make_goal(grastorp, budget_decision, first_year=YEAR - 3, last_year=YEAR - 1)
    FinancialGoalAssessment.objects.create(
        goal=goal, year=YEAR, month=2, value=D("1"), fulfilment="not_met"
    )
    FinancialGoalAssessment.objects.create(
        goal=goal, year=YEAR, month=3, value=D("8"), fulfilment="met"
    )
    ledger = YearLedger.load(grastorp, YEAR)
    rows = own_rows(goal_rows(grastorp, ledger), goal, later, ended)
    assert [row.goal for row in rows] == [goal]
    (row,) = rows
    assert row.value == D("8.0") and row.met is True and row.month == 3
    assert [a.month for a in row.assessments] == [2, 3]
    assert row.fulfilment == Fulfilment.MET
    (row,) = own_rows(goal_rows(grastorp, ledger, 2), goal)
    assert row.latest.month == 2 and row.fulfilment == Fulfilment.NOT_MET
    assert row.value is None  # nothing booked before March: no share to compute


# ---------------------------------------------------------------------------------- pages


def test_the_economist_creates_a_goal_with_a_decision_and_assesses_it(
    client_as, grastorp, budget_decision, accounts_2031, personas
):
    client = client_as("ekonom")
    assert client.get(reverse("economy:goal_add")).status_code == 200
    response = client.post(
        reverse("economy:goal_add"),
        {
            "title": TITLE,
            "indicator": "result_share",
            "comparator": "gte",
            "target": "2,0",
            "first_year": str(YEAR),
            "last_year": "",
            "decision": str(budget_decision.pk),
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("economy:goals", args=[YEAR])
    goal = FinancialGoal.objects.get(organisation=grastorp, title=TITLE, first_year=YEAR)
    assert goal.target == D("2.00") and goal.last_year is None
    assert goal.decision == budget_decision
    assert goal.history.first().history_change_reason == budget_decision.reference

    page = client.get(reverse("economy:goals", args=[YEAR])).content.decode()
    assert goal.title in page
    assessment_url = reverse("economy:goal_assess", args=[goal.pk, YEAR, 3])
    assert assessment_url in page
    assert "8,0\u00a0%" in page

    form = client.get(assessment_url)
    assert form.status_code == 200
    assert form.context["form"].initial["fulfilment"] == Fulfilment.MET
    assert "8,0\u00a0%" in form.content.decode()
    response = client.post(
        assessment_url,
        {"version": "0", "fulfilment": "partly", "comment": "Resultatet väntas sjunka."},
    )
    assert response.status_code == 302
    saved = FinancialGoalAssessment.objects.get(goal=goal, year=YEAR, month=3)
    assert saved.value == D("8.0")  # frozen from the accounts
    assert saved.fulfilment == "partly"  # the economist decides
    assert saved.assessed_by == personas["ekonom"]
    page = client.get(reverse("economy:goals", args=[YEAR])).content.decode()
    assert "Resultatet väntas sjunka." in page


def test_a_goal_needs_a_decision(client_as, grastorp):
    response = client_as("ekonom").post(
        reverse("economy:goal_add"),
        {
            "title": "Utan beslut",
            "indicator": "equity_ratio",
            "comparator": "gte",
            "target": "30",
            "first_year": str(YEAR),
        },
    )
    assert response.status_code == 200
    assert "decision" in response.context["form"].errors
    assert not FinancialGoal.objects.filter(title="Utan beslut").exists()


def test_a_goal_cannot_end_before_it_begins(client_as, grastorp, budget_decision):
    response = client_as("ekonom").post(
        reverse("economy:goal_add"),
        {
            "title": "Baklänges",
            "indicator": "equity_ratio",
            "comparator": "gte",
            "target": "30",
            "first_year": str(YEAR),
            "last_year": str(YEAR - 1),
            "decision": str(budget_decision.pk),
        },
    )
    assert "last_year" in response.context["form"].errors


def test_changing_a_goal_takes_the_decision_of_the_change(client_as, grastorp, budget_decision):
    from tillit.core.models import Body, Decision

    goal = make_goal(grastorp, budget_decision)
    change = Decision.objects.create(
        organisation=grastorp,
        body=Body.objects.get(organisation=grastorp, abbreviation="KF"),
        date=date(YEAR, 6, 15),
        paragraph="41",
        title="Ändrade finansiella mål",
    )
    client = client_as("ekonom")
    url = reverse("economy:goal_edit", args=[goal.pk])
    data = {
        "version": str(goal.version),
        "title": goal.title,
        "indicator": "result_share",
        "comparator": "gte",
        "target": "1,5",
        "first_year": str(YEAR),
        "last_year": str(YEAR + 2),
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "decision" in response.context["form"].errors
    response = client.post(url, {**data, "decision": str(change.pk)})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.target == D("1.50") and goal.decision == change
    assert goal.history.first().history_change_reason == change.reference
    page = client.get(url).content.decode()
    assert change.reference in page  # in the history


def test_an_edit_conflict_on_a_goal_shows_both_and_loses_nothing(
    client_as, grastorp, budget_decision
):
    goal = make_goal(grastorp, budget_decision)
    client = client_as("ekonom")
    url = reverse("economy:goal_edit", args=[goal.pk])
    base = {
        "version": str(goal.version),
        "indicator": "result_share",
        "comparator": "gte",
        "target": "2",
        "first_year": str(YEAR),
        "decision": str(budget_decision.pk),
    }
    assert client.post(url, {**base, "title": "Den andras titel"}).status_code == 302
    response = client.post(url, {**base, "title": "Min titel"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Den andras titel" in html and "Min titel" in html
    goal.refresh_from_db()
    assert goal.title == "Den andras titel"


def test_an_assessment_conflict_is_shown(client_as, grastorp, budget_decision, accounts_2031):
    goal = make_goal(grastorp, budget_decision)
    client = client_as("ekonom")
    url = reverse("economy:goal_assess", args=[goal.pk, YEAR, 3])
    assert (
        client.post(url, {"version": "0", "fulfilment": "met", "comment": "A"}).status_code == 302
    )
    response = client.post(url, {"version": "0", "fulfilment": "not_met", "comment": "B"})
    assert response.status_code == 409
    saved = FinancialGoalAssessment.objects.get(goal=goal, year=YEAR, month=3)
    assert saved.comment == "A"
    response = client.post(
        url, {"version": str(saved.version), "fulfilment": "not_met", "comment": "B"}
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.comment == "B" and saved.version == 2


@pytest.mark.parametrize("persona", ["fortroendevald", "verksamhetschef"])
def test_others_read_the_goals_but_may_not_change_them(
    client_as, grastorp, budget_decision, persona
):
    goal = make_goal(grastorp, budget_decision)
    client = client_as(persona)
    page = client.get(reverse("economy:goals", args=[YEAR]))
    assert page.status_code == 200
    assert goal.title in page.content.decode()
    assert reverse("economy:goal_edit", args=[goal.pk]) not in page.content.decode()
    for url in (
        reverse("economy:goal_add"),
        reverse("economy:goal_edit", args=[goal.pk]),
        reverse("economy:goal_assess", args=[goal.pk, YEAR, 4]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"version": "0", "fulfilment": "met"}).status_code == 403
    assert not FinancialGoalAssessment.objects.filter(goal=goal).exists()


def test_anonymous_is_sent_to_log_in(client_as, grastorp, budget_decision):
    goal = make_goal(grastorp, budget_decision)
    for url in (
        reverse("economy:goals", args=[YEAR]),
        reverse("economy:goal_add"),
        reverse("economy:goal_assess", args=[goal.pk, YEAR, 4]),
    ):
        response = client_as("anonymous").get(url)
        assert response.status_code == 302 and "/logga-in/" in response.url


def test_another_organisations_goal_is_not_found(client, grastorp, budget_decision):
    from tillit.core.models import Organisation, User

    goal = make_goal(grastorp, budget_decision)
    other = Organisation.objects.create(slug="vara", name="Vara kommun")
    client.force_login(
        User.objects.create_user("vara-ekonom", organisation=other, is_economist=True)
    )
    assert client.get(reverse("economy:goal_edit", args=[goal.pk])).status_code == 404
    assert client.get(reverse("economy:goal_assess", args=[goal.pk, YEAR, 3])).status_code == 404
    page = client.get(reverse("economy:goals", args=[YEAR]))
    assert page.status_code == 200 and goal.title not in page.content.decode()


def test_a_goal_is_assessed_only_in_the_years_it_applies(client_as, grastorp, budget_decision):
    goal = make_goal(grastorp, budget_decision)
    client = client_as("ekonom")
    assert (
        client.get(reverse("economy:goal_assess", args=[goal.pk, YEAR + 3, 4])).status_code == 404
    )
    assert client.get(reverse("economy:goal_assess", args=[goal.pk, YEAR, 13])).status_code == 404


def test_the_goal_list_makes_a_constant_number_of_queries(
    client_as, grastorp, budget_decision, accounts_2031
):
    client = client_as("fortroendevald")
    url = reverse("economy:goals", args=[YEAR])
    make_goal(grastorp, budget_decision)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for indicator in ("net_cost_share", "self_financing", "equity_ratio", "quick_ratio"):
        goal = make_goal(grastorp, budget_decision, indicator)
        for month in (1, 2, 3):
            FinancialGoalAssessment.objects.create(
                goal=goal, year=YEAR, month=month, fulfilment="met"
            )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


# ------------------------------------------------------------------------ the monthly report


@pytest.fixture
def report_data(grastorp, budget_decision, accounts_2031, operation, personas):
    # The demo's years would take part in the deficit schedule: leave them out here.
    Outcome.objects.filter(organisation=grastorp, year__lt=YEAR).delete()
    BalanceRequirement.objects.filter(organisation=grastorp, year__lt=YEAR).delete()
    budget = BudgetDocument.objects.create(
        organisation=grastorp, kind="budget", year=YEAR, title="Budget", decision=budget_decision
    )
    BudgetLine.objects.create(document=budget, year=YEAR, line="tax_revenue", amount=400 * MN)
    BudgetLine.objects.create(
        document=budget, year=YEAR, unit=operation("Utbildning"), amount=380 * MN
    )
    goal = make_goal(grastorp, budget_decision, title="Resultatmålet")
    FinancialGoalAssessment.objects.create(
        goal=goal, year=YEAR, month=2, fulfilment="partly", comment="Osäkert läge."
    )
    FinancialGoalAssessment.objects.create(goal=goal, year=YEAR, month=8, fulfilment="met")
    BalanceRequirement.objects.create(organisation=grastorp, year=YEAR - 2, result=-3 * MN)
    BalanceRequirement.objects.create(organisation=grastorp, year=YEAR - 1, result=1 * MN)
    kept = PolicyLimit.objects.create(
        organisation=grastorp,
        area="borrowing",
        title="Låneskulden högst 150 000 tkr",
        comparator="lte",
        limit=150_000_000,
        unit="kr",
        decision=budget_decision,
        order=1,
    )
    broken = PolicyLimit.objects.create(
        organisation=grastorp,
        area="liquidity",
        title="Likviditet minst 30 dagar",
        comparator="gte",
        limit=30,
        unit="days",
        decision=budget_decision,
        order=2,
    )
    PolicyOutcome.objects.create(limit=kept, date=date(YEAR, 3, 31), value=120_000_000)
    PolicyOutcome.objects.create(limit=kept, date=date(YEAR, 4, 30), value=160_000_000)
    PolicyOutcome.objects.create(limit=broken, date=date(YEAR, 2, 28), value=25)
    return {"goal": goal, "kept": kept, "broken": broken}


def test_report_context_is_at_the_month(grastorp, report_data):
    ledger = YearLedger.load(grastorp, YEAR)
    context = report_context(ledger, 3)
    assert all(key.startswith("report_goals_") for key in context)
    (row,) = own_rows(context["report_goals_rows"], report_data["goal"])
    assert row.value == D("8.0")
    assert row.latest.month == 2 and row.fulfilment == Fulfilment.PARTLY  # not August's
    assert row.forecast is not None
    balance = context["report_goals_balance"]
    assert balance.year == YEAR and balance.is_forecast
    assert balance.result == ledger.forecast_result(3)
    (deficit,) = [d for d in context["report_goals_deficits"] if d["deficit"].year == YEAR - 2]
    # 3 000 tkr, 1 000 restored the year after; the forecast surplus restores the rest.
    assert deficit["restored_now"] == 2 * MN
    assert deficit["deficit"].remaining == 0
    limits = [
        r
        for r in context["report_goals_limits"]
        if r.limit.pk in {report_data["kept"].pk, report_data["broken"].pk}
    ]
    assert [r.limit for r in limits] == [report_data["broken"], report_data["kept"]]
    assert limits[0].breached is True
    assert limits[1].latest.date == date(YEAR, 3, 31) and limits[1].breached is False

    april = report_context(ledger, 4)
    limits = {r.limit.pk: r for r in april["report_goals_limits"]}
    assert limits[report_data["kept"].pk].breached is True


def test_the_report_part_renders_as_plain_html(grastorp, report_data):
    ledger = YearLedger.load(grastorp, YEAR)
    html = render_to_string("economy/_report_goals.html", report_context(ledger, 3))
    assert html.count("<h2") == 3
    assert "<script" not in html
    assert "Resultatmålet" in html and "Osäkert läge." in html
    assert 'id="report-financial-goals"' in html and 'id="report-policy"' in html
    assert "Likviditet minst 30 dagar" in html
    assert "≥\u00a02,0\u00a0%" in html and "8,0\u00a0%" in html
    assert 'id="report-deficits"' in html and str(YEAR - 2) in html
    assert html.index("Likviditet minst 30 dagar") < html.index("Låneskulden högst 150 000 tkr")
    assert "150\u00a0000 tkr" in html and "120\u00a0000 tkr" in html


def test_report_context_makes_a_constant_number_of_queries(grastorp, report_data, budget_decision):
    ledger = YearLedger.load(grastorp, YEAR)
    with CaptureQueriesContext(connection) as few:
        report_context(ledger, 4)
    for n in range(5):
        goal = make_goal(grastorp, budget_decision, "equity_ratio", title=f"Extra {n}")
        FinancialGoalAssessment.objects.create(goal=goal, year=YEAR, month=1, fulfilment="met")
        limit = PolicyLimit.objects.create(
            organisation=grastorp,
            area="lending",
            title=f"Gräns {n}",
            limit=10,
            unit="percent",
            decision=budget_decision,
        )
        PolicyOutcome.objects.create(limit=limit, date=date(YEAR, 1, 31), value=n)
        BalanceRequirement.objects.create(organisation=grastorp, year=YEAR - 10 - n, result=-n)
    with CaptureQueriesContext(connection) as many:
        report_context(ledger, 4)
    assert len(many) == len(few)
