"""The balanskravsutredning: the deficit schedule (KL 11 kap. 12 §), the review over the
years, and its pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from tillit.economy.goals import (
    ResultSource,
    ScheduleInput,
    balance_years,
    deficit_schedule,
    deficit_status,
)
from tillit.economy.models import BalanceRequirement

from .conftest import YEAR

D = Decimal
MN = D(1_000_000)


def schedule(*results, waived=(), forecast=()):
    """deficit_schedule over consecutive years from 2031, results in millions (None: none)."""
    return deficit_schedule(
        ScheduleInput(
            year=2031 + i,
            balance_result=None if r is None else D(r) * MN,
            waived=(2031 + i) in waived,
            forecast=(2031 + i) in forecast,
        )
        for i, r in enumerate(results)
    )


# ------------------------------------------------------------------------ deficit schedule


def test_a_deficit_opens_with_its_amount_and_a_deadline_three_years_on():
    rows = schedule(-5)
    deficit = rows[0].opened
    assert deficit.amount == 5 * MN
    assert deficit.deadline == 2034
    assert rows[0].outstanding == 5 * MN
    assert not deficit.late
    assert deficit_status(deficit)[1] == "yellow"


def test_a_surplus_restores_part_and_then_the_rest():
    rows = schedule(-5, 2, 4)
    deficit = rows[0].opened
    assert rows[1].restored == 2 * MN
    assert rows[1].outstanding == 3 * MN
    assert rows[2].restored == 3 * MN  # only what is left; the rest of the surplus is free
    assert rows[2].outstanding == 0
    assert deficit.remaining == 0
    assert deficit.restored_year == 2033
    assert deficit.restorations == [(2032, 2 * MN), (2033, 3 * MN)]
    assert not deficit.late
    assert deficit_status(deficit)[1] == "green"


def test_the_oldest_deficit_is_restored_first():
    rows = schedule(-3, -2, 4)
    first, second = rows[0].opened, rows[1].opened
    assert rows[1].restored == 0  # a deficit year restores nothing
    assert rows[2].restored == 4 * MN
    assert [(d.year, share) for d, share in rows[2].restorations] == [
        (2031, 3 * MN),
        (2032, 1 * MN),
    ]
    assert first.remaining == 0 and first.restored_year == 2033
    assert second.remaining == 1 * MN
    assert rows[2].outstanding == 1 * MN


def test_a_deficit_left_after_its_deadline_is_not_restored_in_time_but_still_owed():
    rows = schedule(-5, 1, 0, 1, 4)
    deficit = rows[0].opened
    assert deficit.deadline == 2034
    assert not rows[2].overdue
    assert rows[3].overdue == [deficit]  # end of 2034: 3 left
    assert deficit.late
    assert rows[4].restored == 3 * MN  # restored late, in 2035
    assert deficit.remaining == 0
    assert rows[4].overdue == []
    text, colour = deficit_status(deficit)
    assert colour == "yellow" and "2035" in text


def test_a_deficit_open_past_its_deadline_is_flagged_red():
    rows = schedule(-5, 0, 0, 0)
    deficit = rows[0].opened
    assert deficit.late and deficit.is_open
    assert deficit_status(deficit)[1] == "red"
    assert rows[3].outstanding == 5 * MN


def test_a_missing_year_neither_opens_nor_restores_and_deadlines_are_judged_later():
    rows = schedule(-5, None, None, None, 1)
    deficit = rows[0].opened
    assert rows[1].restored == 0 and rows[1].opened is None
    assert not rows[3].overdue  # 2034 has no result: nothing judged
    assert rows[4].overdue == [deficit]  # the first closed year after the deadline
    assert deficit.remaining == 4 * MN


def test_a_waived_deficit_is_not_to_be_restored_and_takes_no_surplus():
    rows = schedule(-5, -2, 3, waived={2031})
    waived, second = rows[0].opened, rows[1].opened
    assert waived.waived and waived.remaining == 0 and not waived.is_open
    assert rows[0].outstanding == 0
    assert rows[2].restorations == [(second, 2 * MN)]
    assert second.remaining == 0
    assert deficit_status(waived)[1] == "grey"
    rows = schedule(-5, 0, 0, 0, 0, waived={2031})
    assert not rows[0].opened.late and rows[4].overdue == []


def test_a_forecast_year_restores_but_judges_no_deadline():
    rows = schedule(-5, 0, 0, 1, forecast={2034})
    deficit = rows[0].opened
    assert rows[3].forecast
    assert rows[3].restored == 1 * MN
    assert not deficit.late  # the deadline year is not over


def test_a_deficit_restored_only_by_the_forecast_is_not_yet_restored():
    rows = schedule(-5, 2, 3, forecast={2033})
    deficit = rows[0].opened
    assert deficit.remaining == 0 and deficit.restored_in_forecast
    text, colour = deficit_status(deficit)
    assert (text, colour) == (
        gettext("Forecast to be restored in %(year)s") % {"year": 2033},
        "yellow",
    )
    closed = schedule(-5, 2, 3)[0].opened
    assert deficit_status(closed)[1] == "green"


def test_the_years_are_taken_in_order_whatever_order_they_come_in():
    rows = deficit_schedule(
        [
            ScheduleInput(year=2033, balance_result=D(2)),
            ScheduleInput(year=2031, balance_result=D(-3)),
        ]
    )
    assert [r.year for r in rows] == [2031, 2033]
    assert rows[1].restored == D(2)


# ---------------------------------------------------------------------- the review by year


@pytest.fixture
def own_years(grastorp):
    """Leave out the demo's years, which would take part in the deficit schedule."""
    from tillit.economy.models import Outcome

    Outcome.objects.filter(organisation=grastorp, year__lt=YEAR).delete()
    BalanceRequirement.objects.filter(organisation=grastorp, year__lt=YEAR).delete()


def requirement(grastorp, year, result, **adjustments):
    return BalanceRequirement.objects.create(
        organisation=grastorp,
        year=year,
        result=None if result is None else D(result),
        **{k: D(v) for k, v in adjustments.items()},
    )


def test_the_review_adjusts_the_result_and_the_schedule_follows(grastorp, own_years):
    requirement(
        grastorp,
        YEAR,
        -1_000_000,
        realisation_gains=500_000,
        reserve_use=300_000,
    )
    requirement(grastorp, YEAR + 1, 2_000_000, reserve_provision=100_000)
    rows = {row.year: row for row in balance_years(grastorp)}
    first, second = rows[YEAR], rows[YEAR + 1]
    assert first.source == ResultSource.ENTERED
    assert first.adjusted_result == D(-1_500_000)
    assert first.balance_result == D(-1_200_000)
    assert first.schedule.opened.amount == D(1_200_000)
    assert second.balance_result == D(1_900_000)
    assert second.schedule.restored == D(1_200_000)
    assert second.schedule.outstanding == 0
    labels = [amount for _label, amount, _sum in first.lines]
    assert labels == [
        D(-1_000_000),
        D(-500_000),
        0,
        0,
        0,
        0,
        D(-1_500_000),
        0,
        D(300_000),
        D(-1_200_000),
    ]


def test_a_closed_year_takes_its_result_from_the_accounts(grastorp, outcome):
    for month in range(1, 13):
        outcome(month, "8011", -1_000_000, year=YEAR + 5)
        outcome(month, "4011", 900_000, year=YEAR + 5)
    rows = {row.year: row for row in balance_years(grastorp)}
    row = rows[YEAR + 5]
    assert row.source == ResultSource.ACCOUNTS
    assert row.result == D(1_200_000)
    requirement(grastorp, YEAR + 5, 1_000_000)
    row = {row.year: row for row in balance_years(grastorp)}[YEAR + 5]
    assert row.source == ResultSource.ENTERED
    assert row.result == D(1_000_000)
    assert row.computed == D(1_200_000)


def test_the_year_in_progress_shows_its_forecast(grastorp, outcome, budget_decision):
    from tillit.economy.models import BudgetDocument, BudgetLine

    budget = BudgetDocument.objects.create(
        organisation=grastorp,
        kind="budget",
        year=YEAR + 6,
        title="Budget",
        decision=budget_decision,
    )
    BudgetLine.objects.create(document=budget, year=YEAR + 6, line="tax_revenue", amount=12 * MN)
    outcome(1, "8011", -1_000_000, year=YEAR + 6)
    row = {row.year: row for row in balance_years(grastorp)}[YEAR + 6]
    assert row.source == ResultSource.FORECAST
    assert row.is_forecast and row.month == 1
    assert row.result == 12 * MN  # no operations' frames: the budgeted tax revenue
    assert row.schedule.forecast


# ------------------------------------------------------------------------------ the pages


def test_everyone_reads_the_review_and_sees_the_deficits(client_as, grastorp, own_years):
    requirement(grastorp, YEAR, -2_000_000)
    requirement(grastorp, YEAR + 1, 500_000)
    requirement(grastorp, YEAR + 4, 0)
    response = client_as("fortroendevald").get(reverse("economy:balance_requirements"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="balance-review"' in html and 'id="deficit-schedule"' in html
    assert "\u22122\u00a0000" in html  # the deficit of YEAR, in tkr
    assert 'id="late-deficits"' in html  # 1 500 tkr left after YEAR + 3
    assert "1\u00a0500" in html
    assert reverse("economy:balance_requirement_edit", args=[YEAR]) not in html


def test_the_economist_enters_a_year_and_changes_it(client_as, grastorp, personas):
    client = client_as("ekonom")
    url = reverse("economy:balance_requirement_edit", args=[YEAR + 2])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "version": "0",
            "result": "",
            "realisation_gains": "1 234,5",
            "reserve_use": "500",
            "comment": "Försäljning av tomtmark.",
        },
    )
    assert response.status_code == 302
    saved = BalanceRequirement.objects.get(organisation=grastorp, year=YEAR + 2)
    assert saved.result is None
    assert saved.realisation_gains == D("1234500.00")
    assert saved.reserve_use == D(500_000)
    assert saved.unrealised_losses == 0
    page = client.get(reverse("economy:balance_requirements")).content.decode()
    assert reverse("economy:balance_requirement_edit", args=[YEAR + 2]) in page

    response = client.post(
        url,
        {"version": str(saved.version), "result": "\u22123 000", "reserve_use": "0"},
    )
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.result == D(-3_000_000)
    assert saved.realisation_gains == 0
    assert saved.history.count() == 2


def test_a_year_is_opened_from_the_review_page(client_as):
    response = client_as("ekonom").get(reverse("economy:balance_requirements"), {"ar": YEAR})
    assert response.status_code == 302
    assert response.url == reverse("economy:balance_requirement_edit", args=[YEAR])


def test_an_edit_conflict_loses_nothing(client_as, grastorp):
    saved = requirement(grastorp, YEAR, 1_000_000)
    client = client_as("ekonom")
    url = reverse("economy:balance_requirement_edit", args=[YEAR])
    other = {"version": str(saved.version), "result": "2 000", "comment": "Den andras"}
    assert client.post(url, other).status_code == 302
    mine = {"version": str(saved.version), "result": "3 000", "comment": "Min kommentar"}
    response = client.post(url, mine)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Min kommentar" in html and "Den andras" in html
    saved.refresh_from_db()
    assert saved.result == D(2_000_000) and saved.comment == "Den andras"
    assert f'name="version" value="{saved.version}"' in html
    # Saving the resubmitted form now is a choice, and it goes through.
    mine["version"] = str(saved.version)
    assert client.post(url, mine).status_code == 302
    saved.refresh_from_db()
    assert saved.comment == "Min kommentar"


def test_two_economists_creating_the_same_year_conflict(client_as, grastorp):
    client = client_as("ekonom")
    url = reverse("economy:balance_requirement_edit", args=[YEAR])
    assert client.post(url, {"version": "0", "result": "1"}).status_code == 302
    response = client.post(url, {"version": "0", "result": "2"})
    assert response.status_code == 409
    assert BalanceRequirement.objects.get(organisation=grastorp, year=YEAR).result == 1000


def test_a_review_removed_while_its_form_was_open_is_not_found(client_as, grastorp):
    saved = requirement(grastorp, YEAR, 1_000_000)
    version = saved.version
    saved.delete()  # in the admin, while the economist had the form open
    url = reverse("economy:balance_requirement_edit", args=[YEAR])
    response = client_as("ekonom").post(url, {"version": str(version), "result": "2 000"})
    assert response.status_code == 404
    assert not BalanceRequirement.objects.filter(organisation=grastorp, year=YEAR).exists()


@pytest.mark.parametrize("persona", ["fortroendevald", "verksamhetschef", "enhetschef"])
def test_only_the_economist_edits_the_review(client_as, persona):
    url = reverse("economy:balance_requirement_edit", args=[YEAR])
    client = client_as(persona)
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": "0", "result": "1"}).status_code == 403
    assert not BalanceRequirement.objects.filter(year=YEAR).exists()


def test_anonymous_is_sent_to_log_in(client_as):
    for url in (
        reverse("economy:balance_requirements"),
        reverse("economy:balance_requirement_edit", args=[YEAR]),
    ):
        response = client_as("anonymous").get(url)
        assert response.status_code == 302
        assert "/logga-in/" in response.url


def test_the_review_page_makes_a_constant_number_of_queries(client_as, grastorp, outcome):
    client = client_as("fortroendevald")
    url = reverse("economy:balance_requirements")
    requirement(grastorp, YEAR, -1_000_000)
    outcome(3, "8011", -100, year=YEAR + 9)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for offset in range(1, 8):
        requirement(grastorp, YEAR + offset, 200_000 * offset - 500_000)
        for month in range(1, 13):
            outcome(month, "4011", 10, year=YEAR + offset)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_waiver_decision_is_shown(client_as, grastorp, budget_decision):
    saved = requirement(grastorp, YEAR, -1_000_000)
    saved.waiver_decision = budget_decision
    saved.save()
    html = client_as("ekonom").get(reverse("economy:balance_requirements")).content.decode()
    assert budget_decision.reference in html
    assert date(YEAR - 1, 11, 24).isoformat() in html
