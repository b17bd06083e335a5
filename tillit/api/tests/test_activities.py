"""Activities through the API: the staff read all of theirs, others the public ones; the
unit's people plan and change them and the person responsible reports, through the
activities' services (rules, links inside the organisation, history, no lost update)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tillit.activities import services
from tillit.activities.models import Activity
from tillit.core.models import OrgUnit

from .conftest import results

pytestmark = pytest.mark.django_db

LIST = reverse("api:activity-list")


def detail(activity: Activity) -> str:
    return reverse("api:activity-detail", args=[activity.pk])


def patch(client, activity: Activity, **fields):
    return client.patch(detail(activity), fields, content_type="application/json")


def new_activity(area, **fields) -> dict:
    return {
        "title": "Sommarläsning med biblioteket",
        "owner_unit": area.owner_unit_id,
        "nodes": [area.pk],
        "principles": ["helhet"],
        "start": "2026-06-15",
        "end": "2026-08-15",
        **fields,
    }


@pytest.fixture
def cross(grastorp, personas, other_area):
    """Hemtjänsten's activity, planned by its manager (the outsider), with the medledare
    responsible: she reports on it, but what it is stays Hemtjänsten's."""
    return services.activity_create(
        organisation=grastorp,
        created_by=personas["outsider"],
        title="Högläsning för äldre i hemtjänsten",
        owner_unit=OrgUnit.objects.get(organisation=grastorp, name="Hemtjänsten"),
        responsible=personas["medledare"],
        nodes=[other_area],
        start=date(2026, 2, 1),
        end=date(2026, 5, 31),
    )


# --- reading --------------------------------------------------------------------------------


def test_staff_read_every_activity_of_theirs_with_people_and_version(
    api, internal_activity, personas
):
    client = api("fortroendevald")
    ids = [row["id"] for row in results(client.get(LIST, {"per_sida": 500}))]
    assert internal_activity.pk in ids
    data = client.get(detail(internal_activity)).json()
    assert data["responsible"] == personas["medledare"].pk
    assert data["version"] == internal_activity.version
    assert data["nodes"] == list(internal_activity.nodes.values_list("pk", flat=True))


def test_others_read_only_the_public_activities(api, internal_activity):
    for persona in ("anonymous", "annan_kommun"):
        client = api(persona)
        ids = [row["id"] for row in results(client.get(LIST, {"per_sida": 500}))]
        assert internal_activity.pk not in ids
        assert client.get(detail(internal_activity)).status_code == 404


def test_staff_filter_with_the_list_pages_filters(api, internal_activity, school):
    client = api("medledare")
    rows = results(client.get(LIST, {"enhet": school.pk, "ar": 2026, "per_sida": 500}))
    assert internal_activity.pk in {row["id"] for row in rows}
    assert all(row["owner_unit"] == school.pk for row in rows)


# --- planning -------------------------------------------------------------------------------


def test_a_medledare_plans_an_activity_for_the_school(api, area, personas):
    response = api("medledare").post(LIST, new_activity(area), content_type="application/json")
    assert response.status_code == 201, response.content
    activity = Activity.objects.get(pk=response.json()["id"])
    assert activity.title == "Sommarläsning med biblioteket"
    assert list(activity.nodes.all()) == [area]
    assert list(activity.principles.values_list("key", flat=True)) == ["helhet"]
    record = activity.history.get()
    assert (record.history_type, record.history_user) == ("+", personas["medledare"])
    assert response.json()["version"] == 1


def test_planning_for_a_unit_one_does_not_act_for_is_refused_by_field(api, area):
    response = api("outsider").post(LIST, new_activity(area), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["owner_unit"] == ["Du har ingen roll vid den enheten."]
    assert not Activity.objects.filter(title="Sommarläsning med biblioteket").exists()


def test_an_elected_representative_plans_nothing(api, area):
    response = api("fortroendevald").post(LIST, new_activity(area), content_type="application/json")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"nodes": []}, "nodes", "Koppla aktiviteten till minst ett mål eller område."),
        ({"end": "2026-01-01"}, "end", "Slutdatumet kan inte komma före startdatumet."),
        ({"title": ""}, "title", "Det här fältet får inte vara blankt."),
        ({"progress": 101}, "progress", None),
        ({"status": "glömd"}, "status", None),
        ({"principles": ["finns-inte"]}, "principles", None),
        ({"start": "igår"}, "start", None),
    ],
)
def test_an_invalid_activity_is_refused_by_field_in_swedish(api, area, fields, field, message):
    response = api("medledare").post(
        LIST, new_activity(area, **fields), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    messages = response.json()[field]
    assert messages
    if message:
        assert messages == [message]
    assert not Activity.objects.filter(title="Sommarläsning med biblioteket").exists()


def test_rows_of_another_municipality_are_not_linked(api, area):
    from tillit.testing.matrix import person_of_another_municipality

    other = person_of_another_municipality()
    unit = OrgUnit.objects.get(organisation=other.organisation)
    response = api("medledare").post(
        LIST,
        new_activity(area, owner_unit=unit.pk, responsible=other.pk),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"owner_unit", "responsible"} <= set(response.json())


# --- changing -------------------------------------------------------------------------------


def test_the_unit_changes_its_activity_with_the_version_read(api, school_activity, personas):
    client = api("enhetschef")
    version = client.get(detail(school_activity)).json()["version"]
    response = patch(client, school_activity, title="Läsombud i alla klasser", version=version)
    assert response.status_code == 200, response.content
    assert response.json()["version"] == version + 1
    school_activity.refresh_from_db()
    assert school_activity.title == "Läsombud i alla klasser"
    latest = school_activity.history.first()
    assert latest.history_user == personas["enhetschef"]


def test_a_change_on_a_stale_version_is_a_conflict(api, school_activity):
    version = school_activity.version
    assert patch(api("enhetschef"), school_activity, progress=80, version=version).status_code == (
        200
    )
    response = patch(api("medledare"), school_activity, title="Något annat", version=version)
    assert response.status_code == 409
    body = response.json()
    assert body["detail"]
    assert body["current"]["version"] == version + 1
    assert body["current"]["progress"] == 80
    school_activity.refresh_from_db()
    assert school_activity.title == "Läsombud i varje klass"


def test_a_change_without_a_version_is_refused(api, school_activity):
    response = patch(api("enhetschef"), school_activity, title="Utan version")
    assert response.status_code == 400
    assert "version" in response.json()


def test_put_replaces_the_whole_activity(api, school_activity, area):
    client = api("enhetschef")
    read = client.get(detail(school_activity)).json()
    read.update(title="Läsombud", participants=[], measures=[], nodes=[area.pk])
    response = client.put(detail(school_activity), read, content_type="application/json")
    assert response.status_code == 200, response.content
    school_activity.refresh_from_db()
    assert school_activity.title == "Läsombud"
    assert not school_activity.participants.exists()


def test_the_person_responsible_reports_progress_but_does_not_rename(api, cross):
    client = api("medledare")
    read = client.get(detail(cross)).json()
    assert patch(client, cross, title="Annat", version=read["version"]).status_code == 403
    reported = patch(client, cross, status="ongoing", progress=30, version=read["version"])
    assert reported.status_code == 200, reported.content
    cross.refresh_from_db()
    assert (cross.status, cross.progress, cross.title) == (
        "ongoing",
        30,
        "Högläsning för äldre i hemtjänsten",
    )
    # A whole PUT that repeats what the activity is, unchanged, is a report too.
    read = client.get(detail(cross)).json()
    read.update(progress=50)
    assert client.put(detail(cross), read, content_type="application/json").status_code == 200
    cross.refresh_from_db()
    assert cross.progress == 50


def test_moving_an_activity_to_a_unit_one_does_not_act_for_is_refused(api, school_activity):
    hemtjansten = OrgUnit.objects.get(organisation=school_activity.organisation, name="Hemtjänsten")
    response = patch(
        api("enhetschef"),
        school_activity,
        owner_unit=hemtjansten.pk,
        version=school_activity.version,
    )
    assert response.status_code == 400
    assert response.json()["owner_unit"] == ["Du har ingen roll vid den enheten."]


def test_another_municipalitys_caller_does_not_find_our_activity(api, school_activity):
    response = patch(api("annan_kommun"), school_activity, title="X", version=1)
    assert response.status_code == 404


def test_activities_are_not_removed_through_the_api(api, school_activity):
    response = api("enhetschef").delete(detail(school_activity))
    assert response.status_code == 405
    assert Activity.objects.filter(pk=school_activity.pk).exists()
