"""The economy's permission matrix: every persona against every view of tillit/economy.

The same words as the measures' matrix (tillit/measures/tests/test_permission_matrix.py),
and the machinery of tillit/testing/matrix.py:

    ✓      allowed: the page answers and shows Grästorp's economy, or the POST redirects
           and its effect is in the database
    –      answered, but without it (another municipality's person sees her own, empty,
           economy)
    403    refused
    404    not found: it is not in the person's municipality
    login  an anonymous visitor is sent to the login page

Beside the demo personas, `ekonom` is Karin Lund, the economist (`User.is_economist`). The
scene is the demo's economy: the budget 2026 with a tilläggsbudget, the outcome of 2025
and January–October 2026, the forecasts, financial goals, the finance policy's limits and
the balanskravsutredning (tillit/economy/demo.py). Forecasts are for Utbildning, whose
verksamhetschef may make them; the outsider manages Hemtjänsten, a unit of Vård och
omsorg, which is not a role at a verksamhet. `admin` is a superuser, to whom Django grants
every permission.
"""

# ruff: noqa: E501  (the matrix is a table: one row per action, one column per persona)
from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from functools import cached_property

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tillit.core.models import Decision, Organisation, OrgUnit
from tillit.economy import rules as economy_rules  # noqa: F401  (the rules are registered)
from tillit.economy.models import (
    Account,
    BalanceRequirement,
    BudgetDocument,
    CostObject,
    FinancialGoal,
    FinancialGoalAssessment,
    Forecast,
    Outcome,
    OutcomeImport,
    PolicyLimit,
    PolicyOutcome,
)
from tillit.economy.urls import urlpatterns
from tillit.testing.matrix import (
    NO,
    WITH_ECONOMIST,
    YES,
    cells,
    check_cell,
    make_browser,
    make_user,
    registry,
    rendered,
    row_of,
    text,
    view_names,
)

pytestmark = pytest.mark.django_db

PERSONAS = WITH_ECONOMIST
row = row_of(PERSONAS)


# fmt: off
MATRIX: dict[str, dict[str, str]] = {
    #                          anon     förtr  strateg ekonom vchef  echef  medl   outs   admin  annan
    # reading: the follow-up, the report, the budget, the accounts, the imports, the goals
    "index":               row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓"),
    "year":                row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "operation":           row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "report":              row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "report_pdf":          row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "budgets":             row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "budget":              row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "accounts":            row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "objects":             row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "imports":             row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "import_detail":       row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "import_template":     row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓"),
    "goals":               row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "balance_requirements": row("login", "✓",  "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "policy":              row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    # a verksamhet's forecast (Utbildning's)
    "forecast_form":       row("login", "403", "403", "✓",   "✓",   "403", "403", "403", "✓",   "404"),
    "forecast":            row("login", "403", "403", "✓",   "✓",   "403", "403", "403", "✓",   "404"),
    # the economist's work: budget, accounts, imports, goals, balanskrav, finance policy
    "budget_add_form":     row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "403"),
    "supplementary_budget": row("login", "403", "403", "✓",  "403", "403", "403", "403", "✓",   "403"),
    "budget_edit_form":    row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
    "add_account":         row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "403"),
    "account_edit":        row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
    "object_edit":         row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
    "import_outcome":      row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "403"),
    "goal_add":            row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "403"),
    "goal_edit_form":      row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
    "goal_assess":         row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
    "balance_requirement": row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "403"),
    "policy_add_form":     row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "403"),
    "policy_edit_form":    row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
    "policy_outcome":      row("login", "403", "403", "✓",   "403", "403", "403", "403", "✓",   "404"),
}
# fmt: on

ACTIONS, action = registry()


class Scene:
    """The demo's economy, looked up when first asked for, inside the test's transaction."""

    def __init__(self, organisation: Organisation):
        self.organisation = organisation

    @cached_property
    def school(self) -> OrgUnit:
        return OrgUnit.objects.get(organisation=self.organisation, name="Utbildning")

    @cached_property
    def budget(self) -> BudgetDocument:
        return BudgetDocument.objects.get(organisation=self.organisation, year=2026, kind="budget")

    @cached_property
    def outcome_import(self) -> OutcomeImport:
        return OutcomeImport.objects.filter(organisation=self.organisation).first()

    @cached_property
    def account(self) -> Account:
        return Account.objects.get(organisation=self.organisation, number="7010")

    @cached_property
    def cost_object(self) -> CostObject:
        return CostObject.objects.get(organisation=self.organisation, dimension=1, code="900")

    @cached_property
    def goal(self) -> FinancialGoal:
        return FinancialGoal.objects.filter(organisation=self.organisation).first()

    @cached_property
    def limit(self) -> PolicyLimit:
        return PolicyLimit.objects.filter(organisation=self.organisation).first()

    @cached_property
    def decision(self) -> Decision:
        return self.budget.decision


def shows_grastorp(response, template: str, needle: str = "Utbildning") -> bool:
    return rendered(response, template) and needle in text(response)


# --- reading -----------------------------------------------------------------------------------


@action("economy:index", success=302)
def index(client, s):
    # To the latest year with outcome (Grästorp: 2026), else the current year (another
    # municipality's own, empty one): the page of a year, as such for everyone.
    response = client.get(reverse("economy:index"))
    return response, response.status_code == 302 and bool(
        re.fullmatch(r"/ekonomi/\d{4}/", response["Location"])
    )


@action("economy:year")
def year(client, s):
    response = client.get(reverse("economy:year", args=[2026]))
    return response, shows_grastorp(response, "economy/year.html")


@action("economy:operation")
def operation(client, s):
    response = client.get(reverse("economy:operation", args=[2026, s.school.pk]))
    return response, shows_grastorp(response, "economy/operation.html", "Tengbergsskolan")


@action("economy:report")
def report(client, s):
    response = client.get(reverse("economy:report", args=[2026, 10]))
    return response, shows_grastorp(response, "economy/report.html", "Vård och omsorg")


@action("economy:report_pdf")
def report_pdf(client, s):
    response = client.get(reverse("economy:report_pdf", args=[2026, 10]))
    if response.status_code != 200 or not response.content.startswith(b"%PDF"):
        return response, False
    # The PDF is of the person's own municipality: Grästorp's names its verksamheter.
    pdf = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    )
    return response, "Vård och omsorg" in pdf.stdout.decode()


@action("economy:budgets")
def budgets(client, s):
    response = client.get(reverse("economy:budgets") + "?ar=2026")
    return response, shows_grastorp(response, "economy/budget_list.html", "Tilläggsbudget 2026")


@action("economy:budget")
def budget(client, s):
    response = client.get(reverse("economy:budget", args=[s.budget.pk]))
    return response, shows_grastorp(response, "economy/budget_detail.html")


@action("economy:accounts")
def accounts(client, s):
    response = client.get(reverse("economy:accounts"))
    return response, shows_grastorp(response, "economy/account_list.html", "Kommunalskatt")


@action("economy:objects")
def objects(client, s):
    response = client.get(reverse("economy:objects"))
    return response, shows_grastorp(response, "economy/object_list.html", "Finansförvaltning")


@action("economy:imports")
def imports(client, s):
    response = client.get(reverse("economy:imports"))
    return response, shows_grastorp(response, "economy/import_list.html", "grastorp-2026.se")


@action("economy:import")
def import_detail(client, s):
    response = client.get(reverse("economy:import", args=[s.outcome_import.pk]))
    return response, shows_grastorp(response, "economy/import_detail.html", "grastorp-")


@action("economy:import_template")
def import_template(client, s):
    response = client.get(reverse("economy:import_template"))
    return response, response.status_code == 200 and "belopp" in response.content.decode(
        "utf-8-sig"
    )


@action("economy:goals")
def goals(client, s):
    response = client.get(reverse("economy:goals", args=[2026]))
    return response, shows_grastorp(response, "economy/goal_list.html", "Soliditeten ska vara")


@action("economy:balance_requirements")
def balance_requirements(client, s):
    response = client.get(reverse("economy:balance_requirements"))
    return response, shows_grastorp(response, "economy/balance_requirements.html", "2022")


@action("economy:policy")
def policy(client, s):
    response = client.get(reverse("economy:policy"))
    return response, shows_grastorp(response, "economy/policy.html", "Borgensåtaganden får")


# --- forecasts ---------------------------------------------------------------------------------


@action("economy:forecast")
def forecast_form(client, s):
    response = client.get(reverse("economy:forecast", args=[2026, s.school.pk, 9]))
    return response, rendered(response, "economy/forecast_form.html")


@action("economy:forecast", success=302)
def forecast(client, s):
    url = reverse("economy:forecast", args=[2026, s.school.pk, 9])
    response = client.post(url, {"amount": "175 500", "comment": "Enligt plan.", "version": 0})
    made = Forecast.objects.filter(unit=s.school, year=2026, month=9).first()
    return response, made is not None and made.amount == Decimal(175_500_000)


# --- the economist's work ----------------------------------------------------------------------


@action("economy:budget_add")
def budget_add_form(client, s):
    response = client.get(reverse("economy:budget_add") + "?ar=2029")
    return response, rendered(response, "economy/budget_form.html")


@action("economy:budget_add", success=302)
def supplementary_budget(client, s):
    url = reverse("economy:budget_add") + "?typ=tillagg&ar=2026"
    response = client.post(
        url,
        {
            "title": "Tilläggsbudget 2026 för skolskjuts",
            "decision": s.decision.pk,
            f"a_u{s.school.pk}_2026": "1 200",
            f"c_u{s.school.pk}": "Fler elever med skolskjuts.",
        },
    )
    made = BudgetDocument.objects.filter(title="Tilläggsbudget 2026 för skolskjuts").first()
    return response, made is not None and made.lines.get().amount == Decimal(1_200_000)


@action("economy:budget_edit")
def budget_edit_form(client, s):
    response = client.get(reverse("economy:budget_edit", args=[s.budget.pk]))
    return response, rendered(response, "economy/budget_form.html")


@action("economy:accounts", success=302)
def add_account(client, s):
    response = client.post(
        reverse("economy:accounts"),
        {"nytt-number": "7690", "nytt-name": "Övriga kostnader", "nytt-kind": "", "nytt-line": ""},
    )
    return response, Account.objects.filter(organisation=s.organisation, number="7690").exists()


@action("economy:account_edit", success=302)
def account_edit(client, s):
    url = reverse("economy:account_edit", args=[s.account.pk])
    response = client.post(
        url, {"version": s.account.version, "name": "Köpta tjänster", "line": "operating_cost"}
    )
    s.account.refresh_from_db()
    return response, s.account.name == "Köpta tjänster"


@action("economy:object_edit", success=302)
def object_edit(client, s):
    unit = OrgUnit.objects.get(organisation=s.organisation, name="Ekonomienheten")
    url = reverse("economy:object_edit", args=[s.cost_object.pk])
    response = client.post(url, {"version": s.cost_object.version, "unit": unit.pk})
    s.cost_object.refresh_from_db()
    return response, s.cost_object.unit_id == unit.pk


@action("economy:imports", success=302)
def import_outcome(client, s):
    data = "år;månad;konto;enhet;belopp\r\n2031;1;5110;220;1 000,00\r\n".encode("utf-8-sig")
    upload = SimpleUploadedFile("utfall-2031.csv", data, content_type="text/csv")
    response = client.post(reverse("economy:imports"), {"file": upload})
    return response, Outcome.objects.filter(organisation=s.organisation, year=2031).exists()


@action("economy:goal_add", success=302)
def goal_add(client, s):
    response = client.post(
        reverse("economy:goal_add"),
        {
            "title": "Kassalikviditeten ska vara minst 80 procent.",
            "indicator": "quick_ratio",
            "comparator": "gte",
            "target": "80",
            "first_year": "2026",
            "last_year": "",
            "description": "",
            "decision": s.decision.pk,
        },
    )
    return response, FinancialGoal.objects.filter(
        organisation=s.organisation, indicator="quick_ratio"
    ).exists()


@action("economy:goal_edit")
def goal_edit_form(client, s):
    response = client.get(reverse("economy:goal_edit", args=[s.goal.pk]))
    return response, rendered(response, "economy/goal_form.html")


@action("economy:goal_assess", success=302)
def goal_assess(client, s):
    url = reverse("economy:goal_assess", args=[s.goal.pk, 2026, 10])
    response = client.post(url, {"fulfilment": "met", "comment": "Nås.", "version": 0})
    return response, FinancialGoalAssessment.objects.filter(
        goal=s.goal, year=2026, month=10
    ).exists()


@action("economy:balance_requirement_edit", success=302)
def balance_requirement(client, s):
    url = reverse("economy:balance_requirement_edit", args=[2031])
    fields = (
        "realisation_gains",
        "exempt_realisation_gains",
        "exempt_realisation_losses",
        "unrealised_losses",
        "unrealised_losses_reversed",
        "reserve_provision",
        "reserve_use",
    )
    data = {"version": 0, "result": "-2 500", "comment": "", "waiver_decision": ""}
    data.update({name: "0" for name in fields})
    response = client.post(url, data)
    made = BalanceRequirement.objects.filter(organisation=s.organisation, year=2031).first()
    return response, made is not None and made.result == Decimal(-2_500_000)


@action("economy:policy_add")
def policy_add_form(client, s):
    response = client.get(reverse("economy:policy_add"))
    return response, rendered(response, "economy/policy_form.html")


@action("economy:policy_edit")
def policy_edit_form(client, s):
    response = client.get(reverse("economy:policy_edit", args=[s.limit.pk]))
    return response, rendered(response, "economy/policy_form.html")


@action("economy:policy_outcome", success=302)
def policy_outcome(client, s):
    url = reverse("economy:policy_outcome", args=[s.limit.pk])
    response = client.post(url, {"date": "2026-10-31", "value": "25", "comment": ""})
    return response, PolicyOutcome.objects.filter(limit=s.limit, date="2026-10-31").exists()


# --- the tests ---------------------------------------------------------------------------------


@pytest.fixture
def scene(grastorp):
    return Scene(grastorp)


@pytest.mark.parametrize(("name", "persona"), cells(MATRIX, ACTIONS, PERSONAS))
def test_matrix(scene, personas, name, persona):
    browser = make_browser(personas)
    check_cell(ACTIONS[name], browser(persona), scene, MATRIX[name][persona])


def test_every_view_of_the_economy_is_in_the_matrix():
    covered = {a.view for a in ACTIONS.values()}
    assert view_names("economy", urlpatterns) - covered == set()


# --- the rules themselves ------------------------------------------------------------------------

# fmt: off
RULES: dict[str, dict[str, str]] = {
    #                          anon  förtr strat ekonom vchef echef medl  outs  admin annan
    "view":                row("✗",  "✓",  "✓",  "✓",  "✓",  "✓",  "✓",  "✓",  "✓",  "✗"),
    "manage":              row("✗",  "✗",  "✗",  "✓",  "✗",  "✗",  "✗",  "✗",  "✓",  "✗"),
    "forecast_school":     row("✗",  "✗",  "✗",  "✓",  "✓",  "✗",  "✗",  "✗",  "✓",  "✗"),
    "forecast_care":       row("✗",  "✗",  "✗",  "✓",  "✗",  "✗",  "✗",  "✗",  "✓",  "✗"),
    "forecast_a_unit":     row("✗",  "✗",  "✗",  "✗",  "✗",  "✗",  "✗",  "✗",  "✓",  "✗"),
    "record_decision":     row("✗",  "✗",  "✓",  "✓",  "✗",  "✗",  "✗",  "✗",  "✓",  "✗"),
}
# fmt: on


def rule_question(name: str, scene: Scene):
    units = {u.name: u for u in OrgUnit.objects.filter(organisation=scene.organisation)}
    return {
        "view": ("economy.view", scene.organisation),
        "manage": ("economy.manage", scene.organisation),
        "forecast_school": ("economy.forecast", units["Utbildning"]),
        "forecast_care": ("economy.forecast", units["Vård och omsorg"]),
        # Forecasts are a verksamhet's: never a unit's, whoever manages it.
        "forecast_a_unit": ("economy.forecast", units["Tengbergsskolan F–6"]),
        "record_decision": ("core.record_decision", scene.organisation),
    }[name]


@pytest.mark.parametrize(
    ("name", "persona"), [pytest.param(n, p, id=f"{n}-{p}") for n in RULES for p in PERSONAS]
)
def test_rule(scene, personas, name, persona):
    permission, obj = rule_question(name, scene)
    granted = make_user(personas, persona).has_perm(permission, obj)
    assert (YES if granted else NO) == RULES[name][persona]
