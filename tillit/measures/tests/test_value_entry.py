"""Entering and correcting one value by hand on the measure page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tillit.core.choices import Fulfilment
from tillit.measures import services
from tillit.measures.choices import Gender, PeriodKind, Source
from tillit.measures.models import Measure, MeasureValue

pytestmark = pytest.mark.django_db

SCHOOL = "Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram"


@pytest.fixture
def school(grastorp) -> Measure:
    return Measure.objects.get(organisation=grastorp, title=SCHOOL)


@pytest.fixture
def dialogue(grastorp) -> Measure:
    return Measure.objects.get(organisation=grastorp, title="Dialog med näringslivet")


def _url(measure: Measure) -> str:
    return reverse("measures:value", args=[measure.pk])


def _post(client, measure, **fields):
    data = {"year": "2026", "period": "tertial:1", "value": "87,5", "comment": "", "changed_at": ""}
    data.update(fields)
    return client.post(_url(measure), data)


def _stored(measure, year=2026, kind=PeriodKind.TERTIAL, period=1, gender=Gender.TOTAL):
    return MeasureValue.objects.filter(
        measure=measure, year=year, period_kind=kind, period=period, gender=gender
    ).first()


def test_the_responsible_operation_enters_a_value_with_a_decimal_comma(client_as, personas, school):
    response = _post(client_as("verksamhetschef"), school, comment="Prel. siffra från rektor")
    assert response.status_code == 302 and response.url == school.get_absolute_url()
    value = _stored(school)
    assert value.value == Decimal("87.5")
    assert value.comment == "Prel. siffra från rektor"
    assert value.source == Source.MANUAL and value.batch is None
    assert value.updated_by == personas["verksamhetschef"]


def test_the_measure_page_lists_the_value_with_who_entered_it(client_as, school):
    client = client_as("verksamhetschef")
    _post(client, school)
    page = client.get(school.get_absolute_url()).content.decode()
    assert "2026 T1" in page and "87,5" in page
    assert "Inmatat för hand" in page and "Johan Ekström" in page
    assert f'href="/matt/{school.pk}/varde/?year=2026&amp;period=tertial:1"' in page


@pytest.mark.parametrize(
    "persona, status",
    [
        ("strateg", 302),  # plan administrator: every measure
        ("verksamhetschef", 302),  # the operation above the responsible unit
        ("enhetschef", 403),  # another school
        ("medledare", 403),
        ("fortroendevald", 403),  # politicians decide what, not the figures
        ("outsider", 403),  # manages another unit (Hemtjänsten)
    ],
)
def test_who_may_enter_values(client_as, school, persona, status):
    client = client_as(persona)
    assert client.get(_url(school)).status_code == (200 if status == 302 else status)
    assert _post(client, school).status_code == status
    assert (_stored(school) is not None) == (status == 302)


def test_anonymous_visitors_are_sent_to_log_in(client, school):
    response = _post(client, school)
    assert response.status_code == 302 and "/logga-in/" in response.url
    assert _stored(school) is None


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"value": "åttio"}, "value", "Fyll i ett tal."),
        ({"value": ""}, "value", "Detta fält måste fyllas i."),
        ({"year": "18"}, "year", "1900"),
        ({"period": "tertial:4"}, "period", "Välj ett giltigt alternativ"),
    ],
)
def test_bad_input_is_named_and_nothing_is_saved(client_as, school, fields, field, message):
    response = _post(client_as("verksamhetschef"), school, **fields)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not MeasureValue.objects.filter(measure=school, year__gte=2026).exists()


def test_a_qualitative_measure_takes_a_grade_and_text(client_as, dialogue):
    client = client_as("strateg")
    response = client.post(
        _url(dialogue),
        {"year": "2025", "period": "tertial:3", "grade": Fulfilment.MET, "comment": "Klart."},
    )
    assert response.status_code == 302
    value = _stored(dialogue, year=2025, period=3)
    assert value.grade == Fulfilment.MET and value.value is None and value.comment == "Klart."
    assert "value" not in client.get(_url(dialogue)).context["form"].fields


def test_a_measure_by_gender_asks_for_the_gender(client_as, grastorp, school):
    school.by_gender = True
    school.save(update_fields=["by_gender"])
    client = client_as("strateg")
    assert _post(client, school, gender=Gender.WOMEN).status_code == 302
    assert _stored(school, gender=Gender.WOMEN).value == Decimal("87.5")
    assert _stored(school) is None


def test_correcting_starts_from_the_stored_value(client_as, school):
    client = client_as("verksamhetschef")
    _post(client, school, value="80")
    form = client.get(_url(school) + "?year=2026&period=tertial:1").context["form"]
    stored = _stored(school)
    assert form.initial["value"] == Decimal(80)
    assert form.initial["changed_at"] == services.value_token(stored)
    token = services.value_token(stored)
    assert _post(client, school, value="81", changed_at=token).status_code == 302
    assert _stored(school).value == Decimal(81)
    assert MeasureValue.objects.filter(measure=school, year=2026).count() == 1


def test_two_people_entering_the_same_value_the_second_is_told(client_as, school):
    first, second = client_as("verksamhetschef"), client_as("strateg")
    token = first.get(_url(school)).context["form"].initial.get("changed_at", "")
    assert token == ""
    assert _post(first, school, value="86", changed_at=token).status_code == 302
    response = _post(second, school, value="88", changed_at=token)
    assert response.status_code == 200
    assert _stored(school).value == Decimal(86)  # nothing overwritten
    conflict = response.context["conflict"]
    assert [(str(r["label"]), r["theirs"], r["mine"]) for r in conflict] == [
        ("Värde", Decimal("86.0000"), Decimal(88))
    ]
    page = response.content.decode()
    assert "Någon annan sparade ändringar medan du redigerade" in page
    # The form now carries the stored value's token: saving again is a deliberate choice.
    again = dict(response.context["form"].data.items())
    assert again["changed_at"] == services.value_token(_stored(school))
    assert second.post(_url(school), again).status_code == 302
    assert _stored(school).value == Decimal(88)


def test_an_import_in_between_is_a_conflict_too(client_as, personas, school, tmp_path):
    from tillit.measures.importers import import_file

    client = client_as("verksamhetschef")
    _post(client, school, value="80")
    token = services.value_token(_stored(school))
    csv = f"Mått-id;År;Period;Kön;Värde;Bedömning;Kommentar\n{school.pk};2026;T1;T;82;;\n"
    result = import_file(
        source=csv.encode(),
        name="rattelse.csv",
        organisation=school.organisation,
        user=personas["strateg"],
        dry_run=False,
    )
    assert result.ok and result.updated == 1
    response = _post(client, school, value="81", changed_at=token)
    assert response.status_code == 200 and response.context["conflict"]
    assert _stored(school).value == Decimal(82)


def test_a_value_entered_by_hand_can_be_removed_unless_it_changed(client_as, school):
    client = client_as("verksamhetschef")
    _post(client, school, value="80")
    stored = _stored(school)
    url = reverse("measures:value_delete", args=[school.pk, stored.pk])
    assert client.post(url, {"changed_at": "2020-01-01T00:00:00+00:00"}).status_code == 302
    assert _stored(school) is not None  # stale page: kept
    assert client.post(url, {"changed_at": services.value_token(stored)}).status_code == 302
    assert _stored(school) is None


def test_imported_values_are_not_removed_by_hand(client_as, school):
    value = MeasureValue.objects.filter(measure=school, year=2025).first()
    value.source = Source.FILE
    value.save()
    client = client_as("strateg")
    url = reverse("measures:value_delete", args=[school.pk, value.pk])
    response = client.post(url, {"changed_at": services.value_token(value)}, follow=True)
    assert "Bara värden som matats in för hand" in response.content.decode()
    assert MeasureValue.objects.filter(pk=value.pk).exists()


def test_others_may_not_remove_values(client_as, school):
    _post(client_as("verksamhetschef"), school)
    stored = _stored(school)
    url = reverse("measures:value_delete", args=[school.pk, stored.pk])
    token = services.value_token(stored)
    assert client_as("enhetschef").post(url, {"changed_at": token}).status_code == 403
    assert client_as("outsider").post(url, {"changed_at": token}).status_code == 403
    assert _stored(school) is not None
