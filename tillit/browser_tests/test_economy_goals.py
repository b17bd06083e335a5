"""God ekonomisk hushållning in a real browser, every page checked with axe-core: the
economist records a finance policy outcome that breaches its limit and sees it flagged,
reads the balance requirement review and assesses a financial goal, all by keyboard."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

YEAR = 2031


@pytest.fixture
def decision(grastorp):
    from tillit.core.models import Body, Decision

    return Decision.objects.create(
        organisation=grastorp,
        body=Body.objects.get(organisation=grastorp, abbreviation="KF"),
        date=date(YEAR - 1, 6, 12),
        paragraph="52",
        title="Finanspolicy",
    )


def test_the_economist_records_a_breach_and_reads_the_balance_requirement(
    page, live_server, grastorp, decision, login, visit, follow, submit
):
    from tillit.economy.models import BalanceRequirement, Outcome, PolicyLimit, PolicyOutcome

    # The demo's years would take part in the deficit schedule (the database is flushed
    # after a browser test).
    Outcome.objects.filter(organisation=grastorp, year__lt=YEAR).delete()
    BalanceRequirement.objects.filter(organisation=grastorp, year__lt=YEAR).delete()
    limit = PolicyLimit.objects.create(
        organisation=grastorp,
        area="borrowing",
        title="Låneskulden får uppgå till högst 150 000 tkr",
        comparator="lte",
        limit=Decimal(150_000_000),
        unit="kr",
        decision=decision,
    )
    BalanceRequirement.objects.create(organisation=grastorp, year=YEAR, result=Decimal(-4_000_000))
    BalanceRequirement.objects.create(
        organisation=grastorp, year=YEAR + 1, result=Decimal(1_500_000)
    )

    login(page, live_server, "ekonom")
    visit(page, "/ekonomi/finanspolicy/")
    row = page.locator(f"#limit-{limit.pk}")
    expect(row).to_contain_text(limit.title)
    follow(page.locator(f'a[href$="/finanspolicy/{limit.pk}/utfall/"]'))
    expect(page.locator("#limit-value")).to_contain_text("150\u00a0000 tkr")
    page.locator("#id_date").fill(f"{YEAR}-03-31")
    page.locator("#id_comment").fill("Nyupplåning inför investeringar i skolan.")
    value = page.locator("#id_value")
    value.fill("162 500")
    response = submit(value)
    assert response is not None and response.ok
    assert page.url.endswith(f"/ekonomi/finanspolicy/#limit-{limit.pk}")
    row = page.locator(f"#limit-{limit.pk}")
    expect(row).to_contain_text("162\u00a0500 tkr")
    expect(row.locator(".status--red")).to_have_count(1)
    expect(page.locator("#policy-breaches")).to_contain_text(limit.title)
    outcome = PolicyOutcome.objects.get(limit=limit)
    assert outcome.value == Decimal(162_500_000) and outcome.breached

    follow(page.locator("nav.subnav").locator('a[href="/ekonomi/balanskrav/"]'))
    review = page.locator("#balance-review")
    expect(review).to_contain_text("\u22124\u00a0000")
    schedule = page.locator("#deficit-schedule")
    expect(schedule).to_contain_text(str(YEAR + 3))  # the deadline of the deficit
    expect(schedule).to_contain_text("2\u00a0500")  # left of it after 1 500 restored

    follow(page.locator(f'a[href="/ekonomi/balanskrav/{YEAR + 1}/"]'))
    comment = page.locator("#id_comment")
    comment.fill("Återställer en del av underskottet.")
    result = page.locator("#id_result")
    expect(result).to_have_value("1\u00a0500")
    result.fill("2 000")
    submit(result)
    expect(page.locator("#deficit-schedule")).to_contain_text("2\u00a0000")
    assert BalanceRequirement.objects.get(organisation=grastorp, year=YEAR + 1).result == 2_000_000


def test_the_economist_assesses_a_goal_by_keyboard(
    page, live_server, grastorp, decision, login, visit, follow, axe_check
):
    from tillit.economy.choices import default_line
    from tillit.economy.models import Account, FinancialGoal, FinancialGoalAssessment, Outcome

    for number, amount in (("8011", -100_000_000), ("4011", 97_000_000)):
        account, _ = Account.objects.get_or_create(
            organisation=grastorp, number=number, defaults={"line": default_line(number)}
        )
        Outcome.objects.create(
            organisation=grastorp, year=YEAR, month=4, account=account, amount=Decimal(amount)
        )
    goal = FinancialGoal.objects.create(
        organisation=grastorp,
        title="Årets resultat ska uppgå till minst 2 procent av skatteintäkterna",
        indicator="result_share",
        target=Decimal(2),
        first_year=YEAR,
        decision=decision,
    )
    login(page, live_server, "ekonom")
    visit(page, f"/ekonomi/{YEAR}/finansiella-mal/")
    expect(page.locator(f"#goal-{goal.pk}")).to_contain_text("3,0\u00a0%")
    follow(page.locator(f'a[href="/ekonomi/finansiella-mal/{goal.pk}/{YEAR}/4/"]').first)
    expect(page.locator("#assessment-value")).to_contain_text("3,0\u00a0%")
    expect(page.locator('input[name="fulfilment"][value="met"]')).to_be_checked()
    analysis = page.locator("#id_comment")
    analysis.fill("Resultatet ligger över målet efter första tertialen.")
    analysis.press("Tab")
    page.keyboard.press("Enter")  # the save button has the focus
    page.wait_for_url(re.compile(rf"/ekonomi/{YEAR}/finansiella-mal/#goal-{goal.pk}$"))
    expect(page.locator("main")).to_contain_text("Resultatet ligger över målet")
    saved = FinancialGoalAssessment.objects.get(goal=goal, year=YEAR, month=4)
    assert saved.value == Decimal("3.0") and saved.fulfilment == "met"
    axe_check(page)  # the list after saving, with the assessment in it
