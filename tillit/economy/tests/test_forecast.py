"""Lämna prognos: a verksamhet's forecast of its year-end net cost, with no lost update."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from tillit.economy.models import Forecast

from . import test_followup as data
from .conftest import YEAR

# The follow-up's figures (see test_followup's docstring), shared as fixtures.
budget = data.budget
clock = data.clock
ledger_data = data.ledger_data
make_forecast = data.make_forecast
M = data.M

pytestmark = pytest.mark.django_db


def forecast_url(unit, month: int = 3, year: int = YEAR) -> str:
    return reverse("economy:forecast", args=[year, unit.pk, month])


def test_the_form_shows_what_the_forecast_is_made_against(client_as, ledger_data, clock, operation):
    response = client_as("verksamhetschef").get(forecast_url(operation("Utbildning")))
    assert response.status_code == 200
    html = response.content.decode()
    basis = html[html.index('id="forecast-basis"') :]
    for figure in ("120\u00a0000", "30\u00a0000", "31\u00a0500", "126\u00a0000"):
        assert figure in basis
    assert 'name="amount"' in html and 'name="comment"' in html
    assert 'name="version" value="0"' in html


def test_saving_a_forecast(client_as, ledger_data, clock, operation, personas):
    education = operation("Utbildning")
    response = client_as("verksamhetschef").post(
        forecast_url(education),
        {"amount": "130 000", "comment": "Högre kostnader för skolskjutsar.", "version": "0"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('economy:year', args=[YEAR])}?manad=3"
    forecast = Forecast.objects.get(unit=education, year=YEAR, month=3)
    assert forecast.amount == 130 * M
    assert forecast.comment == "Högre kostnader för skolskjutsar."
    assert forecast.author == personas["verksamhetschef"]
    assert forecast.organisation_id == education.organisation_id
    # The year page shows it, and counts it.
    page = client_as("verksamhetschef").get(response["Location"])
    assert "130\u00a0000" in page.content.decode()
    row = next(r for r in page.context["rows"] if r.unit == education)
    assert row.forecast == forecast and row.frame_deviation == -10 * M


def test_changing_a_forecast_keeps_its_history(client_as, ledger_data, clock, operation):
    education = operation("Utbildning")
    client = client_as("ekonom")
    client.post(forecast_url(education), {"amount": "130000", "comment": "Första.", "version": "0"})
    form = client.get(forecast_url(education))
    assert 'name="version" value="1"' in form.content.decode()
    assert "130\u00a0000" in form.content.decode()  # the saved amount, in tkr
    response = client.post(
        forecast_url(education), {"amount": "128 500,5", "comment": "Andra.", "version": "1"}
    )
    assert response.status_code == 302
    forecast = Forecast.objects.get(unit=education, year=YEAR, month=3)
    assert forecast.amount == Decimal("128500500.00") and forecast.version == 2
    assert Forecast.objects.filter(unit=education, year=YEAR).count() == 1
    page = client.get(reverse("economy:operation", args=[YEAR, education.pk]))
    history = page.context["history"]
    assert len(history) == 2
    changed = {c.label: (c.old, c.new) for c in history[0].changes}
    assert ("130\u00a0000", "128\u00a0501") in changed.values()


def test_a_stale_form_shows_both_versions_and_saves_nothing(
    client_as, ledger_data, clock, operation, make_forecast
):
    education = operation("Utbildning")
    theirs = make_forecast("Utbildning", 3, "128000", "Ekonomens bedömning.", author="ekonom")
    response = client_as("verksamhetschef").post(
        forecast_url(education),
        {"amount": "130000", "comment": "Min bedömning.", "version": "0"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'class="conflict"' in html
    assert "128\u00a0000" in html and "130\u00a0000" in html
    assert "Ekonomens bedömning." in html and "Min bedömning." in html
    assert f'name="version" value="{theirs.version}"' in html  # resubmitting is a choice
    theirs.refresh_from_db()
    assert theirs.amount == 128 * M and theirs.comment == "Ekonomens bedömning."
    # Sending it again, now knowingly, saves it.
    again = client_as("verksamhetschef").post(
        forecast_url(education),
        {"amount": "130000", "comment": "Min bedömning.", "version": str(theirs.version)},
    )
    assert again.status_code == 302
    theirs.refresh_from_db()
    assert theirs.amount == 130 * M


def test_the_comment_is_required(client_as, ledger_data, clock, operation):
    education = operation("Utbildning")
    response = client_as("verksamhetschef").post(
        forecast_url(education), {"amount": "130000", "comment": "   ", "version": "0"}
    )
    assert response.status_code == 200
    assert "comment" in response.context["form"].errors
    assert not Forecast.objects.filter(unit=education, year=YEAR).exists()


@pytest.mark.parametrize("amount", ["", "mycket", "1,2,3"])
def test_the_amount_must_be_an_amount(client_as, ledger_data, clock, operation, amount):
    response = client_as("verksamhetschef").post(
        forecast_url(operation("Utbildning")),
        {"amount": amount, "comment": "Kommentar.", "version": "0"},
    )
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert not Forecast.objects.filter(year=YEAR).exists()


@pytest.mark.parametrize(
    ("persona", "name", "status"),
    [
        ("ekonom", "Utbildning", 200),
        ("ekonom", "Vård och omsorg", 200),
        ("verksamhetschef", "Utbildning", 200),
        ("verksamhetschef", "Vård och omsorg", 403),
        ("enhetschef", "Utbildning", 403),
        ("medledare", "Utbildning", 403),
        ("fortroendevald", "Utbildning", 403),
        ("strateg", "Utbildning", 403),
        ("outsider", "Vård och omsorg", 403),  # a role under the verksamhet, not at it
    ],
)
def test_who_may_forecast(client_as, ledger_data, clock, operation, persona, name, status):
    unit = operation(name)
    client = client_as(persona)
    assert client.get(forecast_url(unit)).status_code == status
    response = client.post(
        forecast_url(unit), {"amount": "1000", "comment": "Prövning.", "version": "0"}
    )
    assert response.status_code == (302 if status == 200 else 403)
    assert Forecast.objects.filter(unit=unit, year=YEAR).exists() is (status == 200)


def test_anonymous_people_are_sent_to_log_in(client, ledger_data, operation):
    url = forecast_url(operation("Utbildning"))
    for response in (client.get(url), client.post(url, {"amount": "1", "comment": "x"})):
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Forecast.objects.filter(year=YEAR).exists()


def test_not_found(client_as, ledger_data, clock, operation, unit, django_user_model):
    from tillit.core.models import Organisation

    client = client_as("ekonom")
    education = operation("Utbildning")
    assert client.get(forecast_url(education, month=13)).status_code == 404
    assert client.get(forecast_url(education, month=0)).status_code == 404
    assert client.get(forecast_url(unit("Tengbergsskolan F–6"))).status_code == 404
    other = Organisation.objects.create(slug="annanstad", name="Annanstads kommun")
    stranger = django_user_model.objects.create_user(
        "annan-ekonom", password="x", organisation=other, is_economist=True
    )
    client.force_login(stranger)
    assert client.get(forecast_url(education)).status_code == 404
    response = client.post(forecast_url(education), {"amount": "1", "comment": "x", "version": "0"})
    assert response.status_code == 404
    assert not Forecast.objects.filter(year=YEAR).exists()


def test_no_forecast_for_a_month_to_come(client_as, ledger_data, clock, operation):
    clock(date(YEAR, 3, 15))
    client = client_as("ekonom")
    education = operation("Utbildning")
    assert client.get(forecast_url(education, month=3)).status_code == 200
    assert client.get(forecast_url(education, month=4)).status_code == 404
    response = client.post(
        forecast_url(education, month=4), {"amount": "1", "comment": "x", "version": "0"}
    )
    assert response.status_code == 404
    assert not Forecast.objects.filter(year=YEAR).exists()
