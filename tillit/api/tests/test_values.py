"""Entering, correcting and removing measure values through the API: the value form's
rules and service (tillit/measures/services.py), no lost update, Swedish messages by field.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tillit.api.selectors import value_version
from tillit.measures.choices import MeasureKind, Source
from tillit.measures.models import MeasureValue

pytestmark = pytest.mark.django_db

LIST = reverse("api:value-list")


def detail(value: MeasureValue) -> str:
    return reverse("api:value-detail", args=[value.pk])


def enter(client, measure, **fields):
    data = {"measure": measure.pk, "year": 2026, "value": "42.5", **fields}
    return client.post(LIST, data, content_type="application/json")


@pytest.fixture
def stored(school_measure, personas):
    """A value the school entered by hand for 2025."""
    return MeasureValue.objects.create(
        measure=school_measure,
        year=2025,
        value=Decimal("61"),
        comment="Enkät i maj",
        updated_by=personas["enhetschef"],
    )


# --- entering -------------------------------------------------------------------------------


def test_a_medledare_enters_a_value_of_the_schools_measure(api, school_measure, personas):
    response = enter(api("medledare"), school_measure, comment="Läslogg vecka 12")
    assert response.status_code == 201, response.content
    data = response.json()
    value = MeasureValue.objects.get(pk=data["id"])
    assert value.value == Decimal("42.5")
    assert (value.source, value.updated_by, value.comment) == (
        Source.MANUAL,
        personas["medledare"],
        "Läslogg vecka 12",
    )
    assert data["version"] == value_version(value)
    assert data["comment"] == "Läslogg vecka 12"
    assert (data["period_kind"], data["period"], data["gender"]) == ("year", 1, "T")


def test_a_tertial_value_is_entered_with_its_period(api, school_measure):
    response = enter(api("enhetschef"), school_measure, period_kind="tertial", period=2)
    assert response.status_code == 201, response.content
    value = MeasureValue.objects.get(pk=response.json()["id"])
    assert value.period_label == "2026 T2"


def test_a_second_value_for_the_same_period_is_a_conflict(api, stored):
    response = enter(api("medledare"), stored.measure, year=2025, value="70")
    assert response.status_code == 409
    body = response.json()
    assert body["detail"]
    assert body["current"]["id"] == stored.pk
    assert body["current"]["version"] == value_version(stored)
    stored.refresh_from_db()
    assert stored.value == Decimal("61")


def test_someone_without_the_unit_may_not_enter_a_value(api, school_measure):
    response = enter(api("outsider"), school_measure)
    assert response.status_code == 403
    assert not MeasureValue.objects.filter(measure=school_measure).exists()


def test_another_municipalitys_caller_cannot_name_our_measure(api, school_measure):
    response = enter(api("annan_kommun"), school_measure)
    assert response.status_code == 400
    assert "measure" in response.json()
    assert not MeasureValue.objects.filter(measure=school_measure).exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"value": None}, "value"),
        ({"grade": "met"}, "grade"),
        ({"gender": "K"}, "gender"),
        ({"period_kind": "month", "period": 13}, "period"),
        ({"period_kind": "tertial", "period": 4}, "period"),
        ({"year": 1800}, "year"),
        ({"value": "tio"}, "value"),
        ({"period_kind": "vecka"}, "period_kind"),
    ],
)
def test_an_invalid_value_is_refused_by_field(api, school_measure, fields, field):
    response = enter(api("medledare"), school_measure, **fields)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert all(isinstance(m, str) and m for m in response.json()[field])
    assert not MeasureValue.objects.filter(measure=school_measure).exists()


def test_the_messages_are_swedish(api, school_measure):
    response = enter(api("medledare"), school_measure, year=None)
    assert response.json()["year"] == ["Det här fältet får inte vara null."]
    response = enter(api("medledare"), school_measure, period_kind="tertial", period=4)
    assert response.json()["period"] == ["Perioden ”tertial” numreras 1–3."]


def test_a_qualitative_measure_takes_a_grade(api, school_measure):
    school_measure.kind = MeasureKind.QUALITATIVE
    school_measure.save(update_fields=["kind"])
    refused = enter(api("medledare"), school_measure)
    assert refused.status_code == 400
    assert set(refused.json()) == {"grade", "value"}
    response = enter(api("medledare"), school_measure, value=None, grade="partly")
    assert response.status_code == 201, response.content
    assert MeasureValue.objects.get(pk=response.json()["id"]).grade == "partly"


# --- correcting -----------------------------------------------------------------------------


def test_a_value_is_corrected_with_the_version_read(api, stored, personas):
    client = api("enhetschef")
    read = client.get(detail(stored)).json()
    response = client.patch(
        detail(stored), {"value": "63", "version": read["version"]}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    stored.refresh_from_db()
    assert stored.value == Decimal("63")
    assert stored.comment == "Enkät i maj"  # left as it was
    assert response.json()["version"] == value_version(stored) != read["version"]


def test_a_value_is_replaced_whole_with_put(api, stored):
    client = api("verksamhetschef")
    version = client.get(detail(stored)).json()["version"]
    response = client.put(
        detail(stored),
        {"value": "64", "grade": "", "comment": "", "version": version},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    stored.refresh_from_db()
    assert (stored.value, stored.comment) == (Decimal("64"), "")


def test_a_correction_on_a_stale_version_is_a_conflict(api, stored):
    client = api("enhetschef")
    version = client.get(detail(stored)).json()["version"]
    first = client.patch(
        detail(stored), {"value": "65", "version": version}, content_type="application/json"
    )
    assert first.status_code == 200
    second = api("medledare").patch(
        detail(stored), {"value": "66", "version": version}, content_type="application/json"
    )
    assert second.status_code == 409
    assert second.json()["current"]["value"] == "65.0000"
    stored.refresh_from_db()
    assert stored.value == Decimal("65")


def test_an_import_in_between_is_a_conflict_too(api, stored):
    version = api("enhetschef").get(detail(stored)).json()["version"]
    MeasureValue.objects.filter(pk=stored.pk).update(value=Decimal("60"), source=Source.FILE)
    stored.refresh_from_db()
    stored.save()  # as an import writes: its time of change moves on
    response = api("enhetschef").patch(
        detail(stored), {"value": "65", "version": version}, content_type="application/json"
    )
    assert response.status_code == 409


def test_a_correction_without_a_version_is_refused(api, stored):
    response = api("enhetschef").patch(
        detail(stored), {"value": "65"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_the_period_of_a_stored_value_does_not_change(api, stored):
    client = api("enhetschef")
    version = client.get(detail(stored)).json()["version"]
    response = client.patch(
        detail(stored), {"year": 2020, "version": version}, content_type="application/json"
    )
    assert response.status_code == 200
    stored.refresh_from_db()
    assert stored.year == 2025


def test_a_correction_by_someone_without_the_unit_is_refused(api, stored):
    client = api("outsider")
    version = client.get(detail(stored)).json()["version"]
    response = client.patch(
        detail(stored), {"value": "1", "version": version}, content_type="application/json"
    )
    assert response.status_code == 403


# --- removing -------------------------------------------------------------------------------


def test_a_value_entered_by_hand_is_removed_with_its_version(api, stored):
    client = api("medledare")
    version = client.get(detail(stored)).json()["version"]
    response = client.delete(f"{detail(stored)}?version={version}")
    assert response.status_code == 204
    assert not MeasureValue.objects.filter(pk=stored.pk).exists()


def test_removing_a_value_changed_since_is_a_conflict(api, stored):
    response = api("medledare").delete(f"{detail(stored)}?version={value_version(stored) - 1}")
    assert response.status_code == 409
    assert MeasureValue.objects.filter(pk=stored.pk).exists()


def test_removing_needs_the_version(api, stored):
    response = api("medledare").delete(detail(stored))
    assert response.status_code == 400
    assert "version" in response.json()


@pytest.mark.parametrize("version", ["²", "١٢", "-1", "1.0", " 1"])
def test_a_version_that_is_not_plain_digits_is_refused(api, stored, version):
    response = api("medledare").delete(f"{detail(stored)}?{urlencode({'version': version})}")
    assert response.status_code == 400
    assert "version" in response.json()
    assert MeasureValue.objects.filter(pk=stored.pk).exists()


def test_an_imported_value_is_not_removed_here(api, stored):
    MeasureValue.objects.filter(pk=stored.pk).update(source=Source.KOLADA)
    stored.refresh_from_db()
    response = api("medledare").delete(f"{detail(stored)}?version={value_version(stored)}")
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert MeasureValue.objects.filter(pk=stored.pk).exists()


def test_another_municipalitys_caller_does_not_find_our_value(api, stored):
    client = api("annan_kommun")
    assert client.get(detail(stored)).status_code == 404
    assert client.delete(f"{detail(stored)}?version={value_version(stored)}").status_code == 404


# --- reading as staff -----------------------------------------------------------------------


def test_staff_read_every_value_of_theirs_with_comment_and_version(api, stored):
    data = api("fortroendevald").get(detail(stored)).json()
    assert data["comment"] == "Enkät i maj"
    assert data["version"] == value_version(stored)
    assert api("anonymous").get(detail(stored)).status_code == 404  # an area's measure
