"""The finance policy: limits by decision, outcomes, breaches flagged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import ngettext

from tillit.economy.goals import limit_text, limit_value_text, policy_areas, policy_rows
from tillit.economy.models import PolicyLimit, PolicyOutcome

from .conftest import YEAR

D = Decimal


def make_limit(grastorp, decision, **kwargs):
    values = {
        "area": "borrowing",
        "title": "Låneskulden får uppgå till högst 150 000 tkr",
        "comparator": "lte",
        "limit": D(150_000_000),
        "unit": "kr",
    }
    values.update(kwargs)
    return PolicyLimit.objects.create(organisation=grastorp, decision=decision, **values)


def own(rows, *limits):
    pks = {limit.pk for limit in limits}
    return [row for row in rows if row.limit.pk in pks]


# ---------------------------------------------------------------------------- computations


def test_a_breach_is_an_outcome_on_the_wrong_side_of_the_limit(grastorp, budget_decision):
    at_most = make_limit(grastorp, budget_decision)
    at_least = make_limit(
        grastorp, budget_decision, comparator="gte", limit=D(30), unit="days", area="liquidity"
    )
    assert at_most.is_breached(D(150_000_000)) is False  # on the limit is within it
    assert at_most.is_breached(D("150000000.01")) is True
    assert at_least.is_breached(D(30)) is False
    assert at_least.is_breached(D(29)) is True
    assert at_least.is_breached(None) is False  # nothing reported is no breach


def test_values_read_in_their_unit():
    assert limit_value_text(D(150_000_000), "kr") == "150\u00a0000 tkr"
    assert limit_value_text(D("2.5"), "percent") == "2,5\u00a0%"
    days = "%(number)s day", "%(number)s days"
    assert limit_value_text(D(30), "days") == ngettext(*days, 30) % {"number": "30"}
    assert limit_value_text(D(1), "days") == ngettext(*days, 1) % {"number": "1"}
    years = "%(number)s year", "%(number)s years"
    assert limit_value_text(D("3.5"), "years") == ngettext(*years, 2) % {"number": "3,5"}
    assert limit_value_text(None, "kr") == "–"


def test_rows_have_the_latest_outcome_and_whether_it_breaches(grastorp, budget_decision):
    borrowing = make_limit(grastorp, budget_decision)
    liquidity = make_limit(
        grastorp,
        budget_decision,
        area="liquidity",
        title="Likviditet minst 30 dagar",
        comparator="gte",
        limit=D(30),
        unit="days",
    )
    empty = make_limit(grastorp, budget_decision, area="guarantees", title="Borgen")
    PolicyOutcome.objects.create(limit=borrowing, date=date(YEAR, 1, 31), value=D(160_000_000))
    PolicyOutcome.objects.create(limit=borrowing, date=date(YEAR, 2, 28), value=D(140_000_000))
    PolicyOutcome.objects.create(limit=liquidity, date=date(YEAR, 2, 28), value=D(25))
    rows = {row.limit.pk: row for row in own(policy_rows(grastorp), borrowing, liquidity, empty)}
    assert rows[borrowing.pk].latest.date == date(YEAR, 2, 28)
    assert rows[borrowing.pk].breached is False
    assert [o.is_breached for o in rows[borrowing.pk].outcomes] == [False, True]
    assert rows[liquidity.pk].breached is True
    assert rows[empty.pk].breached is None
    assert limit_text(borrowing) == "≤\u00a0150\u00a0000 tkr"
    at_january = {r.limit.pk: r for r in own(policy_rows(grastorp, date(YEAR, 1, 31)), borrowing)}
    assert at_january[borrowing.pk].breached is True
    areas = [area for area, _label, _rows in policy_areas(list(rows.values()))]
    assert areas == ["liquidity", "borrowing", "guarantees"]  # the policy's order


# ---------------------------------------------------------------------------------- pages


def test_the_economist_adds_a_limit_records_outcomes_and_sees_the_breach(
    client_as, grastorp, budget_decision, personas
):
    client = client_as("ekonom")
    assert client.get(reverse("economy:policy_add")).status_code == 200
    response = client.post(
        reverse("economy:policy_add"),
        {
            "area": "borrowing",
            "title": "Upplåningen får uppgå till högst 150 000 tkr",
            "comparator": "lte",
            "limit": "150 000",
            "unit": "kr",
            "decision": str(budget_decision.pk),
        },
    )
    assert response.status_code == 302
    limit = PolicyLimit.objects.get(title="Upplåningen får uppgå till högst 150 000 tkr")
    assert limit.limit == D(150_000_000)  # typed in tkr
    assert response.url.endswith(f"#limit-{limit.pk}")

    url = reverse("economy:policy_outcome", args=[limit.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"date": f"{YEAR}-03-31", "value": "162 500", "comment": "Lån"})
    assert response.status_code == 302
    outcome = PolicyOutcome.objects.get(limit=limit)
    assert outcome.value == D(162_500_000) and outcome.recorded_by == personas["ekonom"]
    assert outcome.breached

    page = client.get(reverse("economy:policy")).content.decode()
    row = page[page.index(f'id="limit-{limit.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "162\u00a0500 tkr" in row and "status--red" in row
    assert 'id="policy-breaches"' in page

    # The same date twice is refused; a later outcome within the limit clears the flag.
    response = client.post(url, {"date": f"{YEAR}-03-31", "value": "100 000"})
    assert response.status_code == 200 and "date" in response.context["form"].errors
    client.post(url, {"date": f"{YEAR}-04-30", "value": "140 000"})
    page = client.get(reverse("economy:policy")).content.decode()
    row = page[page.index(f'id="limit-{limit.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "140\u00a0000 tkr" in row and "status--green" in row


def test_changing_a_limit_takes_a_decision_and_keeps_history(client_as, grastorp, budget_decision):
    limit = make_limit(grastorp, budget_decision)
    PolicyOutcome.objects.create(limit=limit, date=date(YEAR, 1, 31), value=D(1))
    client = client_as("ekonom")
    url = reverse("economy:policy_edit", args=[limit.pk])
    form = client.get(url)
    assert form.context["form"].initial["limit"] == D(150_000)  # kronor shown in tkr
    data = {
        "version": str(limit.version),
        "area": "borrowing",
        "title": limit.title,
        "comparator": "lte",
        "limit": "200 000",
        "unit": "kr",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "decision" in response.context["form"].errors
    response = client.post(url, {**data, "decision": str(budget_decision.pk)})
    assert response.status_code == 302
    limit.refresh_from_db()
    assert limit.limit == D(200_000_000) and limit.version == 2
    page = client.get(url).content.decode()
    assert budget_decision.reference in page  # the change's reason in the history


def test_an_edit_conflict_on_a_limit_is_shown_and_loses_nothing(
    client_as, grastorp, budget_decision
):
    limit = make_limit(grastorp, budget_decision)
    client = client_as("ekonom")
    url = reverse("economy:policy_edit", args=[limit.pk])
    data = {
        "version": str(limit.version),
        "area": "borrowing",
        "comparator": "lte",
        "limit": "150 000",
        "unit": "kr",
        "decision": str(budget_decision.pk),
    }
    assert client.post(url, {**data, "title": "Deras gräns"}).status_code == 302
    response = client.post(url, {**data, "title": "Min gräns"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Deras gräns" in html and "Min gräns" in html
    limit.refresh_from_db()
    assert limit.title == "Deras gräns"


@pytest.mark.parametrize("persona", ["fortroendevald", "verksamhetschef"])
def test_others_read_the_policy_but_may_not_change_it(
    client_as, grastorp, budget_decision, persona
):
    limit = make_limit(grastorp, budget_decision)
    client = client_as(persona)
    page = client.get(reverse("economy:policy"))
    assert page.status_code == 200 and limit.title in page.content.decode()
    assert reverse("economy:policy_outcome", args=[limit.pk]) not in page.content.decode()
    for url in (
        reverse("economy:policy_add"),
        reverse("economy:policy_edit", args=[limit.pk]),
        reverse("economy:policy_outcome", args=[limit.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"date": f"{YEAR}-01-31", "value": "1"}).status_code == 403
    assert not limit.outcomes.exists()


def test_anonymous_and_other_organisations(client, client_as, grastorp, budget_decision):
    from tillit.core.models import Organisation, User

    limit = make_limit(grastorp, budget_decision)
    response = client_as("anonymous").get(reverse("economy:policy"))
    assert response.status_code == 302 and "/logga-in/" in response.url
    other = Organisation.objects.create(slug="vara", name="Vara kommun")
    client.force_login(
        User.objects.create_user("vara-ekonom", organisation=other, is_economist=True)
    )
    assert client.get(reverse("economy:policy_edit", args=[limit.pk])).status_code == 404
    assert client.get(reverse("economy:policy_outcome", args=[limit.pk])).status_code == 404
    page = client.get(reverse("economy:policy"))
    assert page.status_code == 200 and limit.title not in page.content.decode()


def test_the_policy_page_makes_a_constant_number_of_queries(client_as, grastorp, budget_decision):
    client = client_as("fortroendevald")
    url = reverse("economy:policy")
    first = make_limit(grastorp, budget_decision)
    PolicyOutcome.objects.create(limit=first, date=date(YEAR, 1, 31), value=D(1))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n, area in enumerate(("liquidity", "lending", "placement", "guarantees", "borrowing")):
        limit = make_limit(grastorp, budget_decision, area=area, title=f"Gräns {n}")
        for month in range(1, 13):
            PolicyOutcome.objects.create(
                limit=limit, date=date(YEAR, month, 1), value=D(month * 20_000_000)
            )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_an_outcome_recorded_by_someone_else_meanwhile_is_refused_not_a_crash(
    client_as, grastorp, budget_decision, monkeypatch
):
    """Two people record the same date at once: both forms pass their check, the database's
    uniqueness refuses the second, and she is told so on the form."""
    from tillit.economy.forms_goals import PolicyOutcomeForm

    limit = make_limit(grastorp, budget_decision)
    PolicyOutcome.objects.create(limit=limit, date=date(YEAR, 3, 31), value=D(1))
    monkeypatch.setattr(PolicyOutcomeForm, "clean_date", lambda form: form.cleaned_data["date"])
    url = reverse("economy:policy_outcome", args=[limit.pk])
    response = client_as("ekonom").post(url, {"date": f"{YEAR}-03-31", "value": "2"})
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert PolicyOutcome.objects.get(limit=limit).value == D(1)
