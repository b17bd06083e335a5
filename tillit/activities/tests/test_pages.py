"""The activities' pages: the list and its filters, an activity, planning, changing (with
conflicts), reporting progress and removing; and the goal's and principle's pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.activities import services
from tillit.activities.choices import ActivityStatus
from tillit.activities.models import Activity
from tillit.core.models import OrgUnit
from tillit.measures.models import Measure
from tillit.planning.models import PlanNode, Principle

pytestmark = pytest.mark.django_db

LIST = reverse("activities:activities")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def listed(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


def text(response) -> str:
    return response.content.decode()


# --- the list and its filters ----------------------------------------------------------


def test_the_list_shows_every_activity_with_the_number_per_status(client_as, grastorp):
    response = client_as("fortroendevald").get(LIST)
    assert response.status_code == 200
    assert len(listed(response)) == Activity.objects.filter(organisation=grastorp).count() == 12
    counts = {link["status"]: link["count"] for link in response.context["status_links"]}
    assert counts == {
        ActivityStatus.PLANNED: 1,
        ActivityStatus.ONGOING: 5,
        ActivityStatus.DONE: 4,
        ActivityStatus.PAUSED: 1,
        ActivityStatus.CANCELLED: 1,
    }
    assert "12 aktiviteter" in text(response)
    assert "Pågår" in text(response)


def test_what_is_done_for_digitalisering_is_one_filter(client_as):
    response = client_as("medledare").get(LIST, {"princip": "digitalisering"})
    assert sorted(listed(response)) == [
        "Digital planering av hemtjänstens insatser",
        "Digitala tillsynsbesök nattetid",
        "Fortbildning i digitala lärresurser",
    ]


def test_a_unit_filter_includes_the_units_beneath_it(client_as, unit_named):
    response = client_as("medledare").get(LIST, {"enhet": unit_named("Utbildning").pk})
    assert sorted(listed(response)) == [
        "Bokcirklar i åk 4–6",
        "Fortbildning i digitala lärresurser",  # Utbildning itself
        "Läsombud i varje klass",  # Tengbergsskolan F–6
        "Studiehandledning på modersmål i åk 7–9",  # Tengbergsskolan 7–9
        "Utomhuspass med föreningslivet",
    ]
    school = client_as("medledare").get(LIST, {"enhet": unit_named("Tengbergsskolan 7–9").pk})
    assert listed(school) == ["Studiehandledning på modersmål i åk 7–9"]


def test_a_goal_filter_includes_the_activities_of_its_areas_once_each(client_as, goal):
    response = client_as("medledare").get(LIST, {"mal": goal.pk})
    assert sorted(listed(response)) == [
        "Bokcirklar i åk 4–6",  # the goal and an area: once
        "Fortbildning i digitala lärresurser",
        "Läsombud i varje klass",
        "Studiehandledning på modersmål i åk 7–9",
    ]


def test_the_year_filter_keeps_what_was_under_way_that_year(client_as):
    response = client_as("medledare").get(LIST, {"ar": "2025", "status": "ongoing"})
    assert sorted(listed(response)) == [
        "Fossilfria arbetsfordon i Gata och park",
        "Företagsfrukostar",  # no set end: still under way
        "Studiehandledning på modersmål i åk 7–9",
    ]
    assert "Näringslivsdialog med besöksnäringen" not in listed(
        client_as("medledare").get(LIST, {"ar": "2025"})
    )


def test_the_title_filter_searches_within_titles(client_as):
    assert listed(client_as("medledare").get(LIST, {"sok": "frukost"})) == ["Företagsfrukostar"]


def test_filters_combine_and_the_status_counts_follow_the_other_filters(client_as):
    response = client_as("medledare").get(LIST, {"princip": "digitalisering", "status": "done"})
    assert listed(response) == ["Digitala tillsynsbesök nattetid"]
    counts = {link["status"].value: link["count"] for link in response.context["status_links"]}
    assert counts == {"planned": 0, "ongoing": 1, "done": 1, "paused": 1, "cancelled": 0}
    links = {link["status"].value: link["query"] for link in response.context["status_links"]}
    assert links["paused"] == "princip=digitalisering&status=paused"
    assert response.context["all_statuses_query"] == "princip=digitalisering"


def test_a_filter_that_is_not_valid_is_said_and_the_rest_still_filters(client_as):
    response = client_as("medledare").get(LIST, {"enhet": "999999", "princip": "innovation"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["enhet"]
    assert len(listed(response)) == 3


def test_the_filters_are_a_plain_get_form_that_needs_no_javascript(client_as):
    """What a browser without JavaScript sends: the form's fields as query parameters."""
    page = text(client_as("medledare").get(LIST))
    start = page.index('<form method="get"')
    form = page[start : page.index("</form>", start)]
    assert f'action="{LIST}"' in form and 'type="submit"' in form and "<script" not in form
    for name in ("sok", "enhet", "mal", "princip", "status", "ar"):
        assert f'name="{name}"' in form
    sent = {"sok": "", "enhet": "", "mal": "", "princip": "digitalisering", "status": "", "ar": ""}
    assert len(listed(client_as("medledare").get(LIST, sent))) == 3


def test_pages_of_the_list_keep_the_filters(client_as, grastorp, make_activity, monkeypatch):
    from tillit.activities import views

    monkeypatch.setattr(views, "ACTIVITIES_PER_PAGE", 2)
    response = client_as("medledare").get(LIST, {"princip": "digitalisering", "sida": "2"})
    assert response.context["page"].number == 2
    assert len(listed(response)) == 1
    assert 'href="?princip=digitalisering&amp;sida=1"' in text(response)


def test_the_list_costs_the_same_queries_as_activities_grow(
    client_as, grastorp, make_activity, goal, personas
):
    client = client_as("enhetschef")
    url = f"{LIST}?princip=helhet"
    before, before_unfiltered = _count(client, url), _count(client, LIST)
    helhet = Principle.objects.get(organisation=grastorp, key="helhet")
    for n in range(30):
        make_activity(
            f"Aktivitet {n}",
            nodes=[goal],
            principles=[helhet],
            participants=[personas["medledare"]],
        )
    assert _count(client, url) == before
    assert _count(client, LIST) == before_unfiltered


# --- an activity -----------------------------------------------------------------------


def test_an_activity_shows_its_facts_links_people_and_history(client_as, reading, area):
    response = client_as("fortroendevald").get(reading.get_absolute_url())
    page = text(response)
    assert response.status_code == 200
    for shown in ("Tengbergsskolan F–6", "Ali Hassan", "Maria Holm", area.title, "Medledarskap"):
        assert shown in page
    assert "2025-01-13" in page and "2025-06-13" in page
    assert "Genomförd" in page and "100" in page
    entries = response.context["history"]
    assert [(e.kind, e.user) for e in entries] == [
        ("Ändrades", "Ali Hassan"),  # the medledare reports it done
        ("Skapades", "Maria Holm"),  # the enhetschef planned it
    ]


def test_the_history_names_the_linked_people_and_goals(client_as, reading, personas, area):
    services.activity_update(
        activity=reading,
        changed_by=personas["enhetschef"],
        expected_version=reading.version,
        participants=[personas["enhetschef"], personas["verksamhetschef"]],
    )
    entry = client_as("medledare").get(reading.get_absolute_url()).context["history"][0]
    [change] = entry.changes
    assert change.old == "Maria Holm"
    assert change.new == "Johan Ekström; Maria Holm"


def test_an_activity_of_another_organisation_is_not_found(client_as, reading):
    from tillit.core.models import Organisation, User

    other = Organisation.objects.create(slug="annan", name="Annan kommun")
    client = client_as("anonymous")
    client.force_login(User.objects.create_user("annan", organisation=other))
    assert client.get(reading.get_absolute_url()).status_code == 404


# --- planning a new activity -----------------------------------------------------------


def _new(title: str, unit: OrgUnit, nodes: list[PlanNode], **extra) -> dict:
    data = {
        "title": title,
        "description": "",
        "owner_unit": unit.pk,
        "responsible": "",
        "nodes": [n.pk for n in nodes],
        "start": "2026-01-12",
        "end": "2026-06-12",
        "status": "planned",
        "progress": "0",
        "result": "",
    }
    data.update(extra)
    return data


def test_a_new_activity_from_a_goals_page_has_the_goal_ticked(client_as, goal, school):
    response = client_as("enhetschef").get(reverse("activities:activity_add"), {"mal": goal.pk})
    form = response.context["form"]
    assert [n.pk for n in form.initial["nodes"]] == [goal.pk]
    assert form.initial["owner_unit"] == school  # the one unit she acts for
    assert [u.name for u in form.fields["owner_unit"].queryset] == [
        "Tengbergsskolan F–6",
        "Arbetslag F–3",
        "Arbetslag 4–6",
    ]


def test_the_unit_staff_plan_an_activity_and_the_history_says_who(
    client_as, goal, area, school, personas
):
    response = client_as("medledare").post(
        reverse("activities:activity_add"),
        _new(
            "Högläsning i förskoleklass",
            school,
            [goal, area],
            participants=[personas["enhetschef"].pk],
            principles=[Principle.objects.get(key="vardskap").pk],
        ),
    )
    activity = Activity.objects.get(title="Högläsning i förskoleklass")
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert set(activity.nodes.all()) == {goal, area}
    [record] = activity.history.all()
    assert record.history_type == "+" and record.history_user == personas["medledare"]
    assert [n.plannode_id for n in record.nodes.all()] == sorted([goal.pk, area.pk])


def test_an_activity_cannot_end_before_it_starts(client_as, area, school):
    response = client_as("medledare").post(
        reverse("activities:activity_add"),
        _new("Baklänges", school, [area], start="2026-06-01", end="2026-05-01"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["end"]
    assert errors == ["Slutdatumet kan inte komma före startdatumet."]
    assert not Activity.objects.filter(title="Baklänges").exists()


def test_an_activity_works_toward_goals_and_areas_only(client_as, goal, school):
    perspective = goal.parent.parent
    response = client_as("medledare").post(
        reverse("activities:activity_add"), _new("Fel nivå", school, [perspective])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["nodes"]
    assert not Activity.objects.filter(title="Fel nivå").exists()


# --- changing, reporting, conflicts ---------------------------------------------------------


def _edit(activity: Activity, **changes) -> dict:
    data = {
        "version": activity.version,
        "title": activity.title,
        "description": activity.description,
        "owner_unit": activity.owner_unit_id,
        "responsible": activity.responsible_id or "",
        "participants": [p.pk for p in activity.participants.all()],
        "nodes": [n.pk for n in activity.nodes.all()],
        "measures": [m.pk for m in activity.measures.all()],
        "principles": [p.pk for p in activity.principles.all()],
        "start": activity.start.isoformat(),
        "end": activity.end.isoformat() if activity.end else "",
        "status": activity.status,
        "progress": activity.progress,
        "result": activity.result,
    }
    data.update(changes)
    return data


def test_the_second_of_two_savers_sees_both_versions_and_nothing_is_overwritten(client_as, reading):
    first, second = client_as("enhetschef"), client_as("medledare")
    form_for_second = _edit(reading, title="Läsombud i alla klasser", progress=90)
    assert (
        first.post(
            reverse("activities:activity_edit", args=[reading.pk]),
            _edit(reading, title="Läsombud i varje klass och på fritids", status="ongoing"),
        ).status_code
        == 302
    )

    response = second.post(reverse("activities:activity_edit", args=[reading.pk]), form_for_second)
    reading.refresh_from_db()
    assert response.status_code == 200
    assert reading.title == "Läsombud i varje klass och på fritids"  # the first stands
    rows = {row["label"]: (row["theirs"], row["mine"]) for row in response.context["conflict"]}
    assert rows["Titel"] == ("Läsombud i varje klass och på fritids", "Läsombud i alla klasser")
    assert rows["Status"] == ("Pågår", "Genomförd")
    assert rows["Framdrift (%)"] == ("100", "90")
    assert "Någon annan sparade ändringar medan du redigerade" in text(response)

    # Saving again, now knowingly, keeps the second person's version.
    again = second.post(
        reverse("activities:activity_edit", args=[reading.pk]),
        {**form_for_second, "version": response.context["form"].data["version"]},
    )
    reading.refresh_from_db()
    assert again.status_code == 302
    assert reading.title == "Läsombud i alla klasser" and reading.progress == 90


@pytest.fixture
def cross(grastorp, personas, unit_named, other_area):
    """Hemtjänsten's activity, planned by the outsider, with the medledare responsible:
    a teacher who brings pupils to read aloud for the elderly."""
    return services.activity_create(
        organisation=grastorp,
        created_by=personas["outsider"],
        title="Högläsning för äldre i hemtjänsten",
        owner_unit=unit_named("Hemtjänsten"),
        responsible=personas["medledare"],
        nodes=[other_area],
        start=date(2026, 2, 1),
        end=date(2026, 5, 31),
    )


def test_the_person_responsible_reports_progress_without_a_role_at_the_unit(client_as, cross):
    client = client_as("medledare")
    url = reverse("activities:activity_edit", args=[cross.pk])
    form = client.get(url).context["form"]
    assert set(form.fields) == {"status", "progress", "result", "version"}
    response = client.post(
        url,
        _edit(cross, title="Omdöpt", status="ongoing", progress="30", result="Två besök."),
    )
    cross.refresh_from_db()
    assert response.status_code == 302
    assert (cross.status, cross.progress, cross.result) == ("ongoing", 30, "Två besök.")
    assert cross.title == "Högläsning för äldre i hemtjänsten"  # not theirs to change


def test_the_service_refuses_the_person_responsible_anything_but_progress(cross, personas):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.activity_update(
            activity=cross,
            changed_by=personas["medledare"],
            expected_version=cross.version,
            title="Omdöpt",
        )


def test_an_activity_is_not_handed_to_a_unit_one_does_not_have(cross, personas, school):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.activity_update(
            activity=cross,
            changed_by=personas["outsider"],
            expected_version=cross.version,
            owner_unit=school,
        )
    cross.refresh_from_db()
    assert cross.owner_unit.name == "Hemtjänsten"


def test_links_outside_the_organisation_are_refused(cross, personas):
    from django.core.exceptions import ValidationError

    from tillit.core.models import Organisation, User

    stranger = User.objects.create_user(
        "stranger", organisation=Organisation.objects.create(slug="x", name="X")
    )
    with pytest.raises(ValidationError) as error:
        services.activity_update(
            activity=cross,
            changed_by=personas["outsider"],
            expected_version=cross.version,
            participants=[stranger],
            nodes=[],
        )
    assert set(error.value.error_dict) == {"participants", "nodes"}


# --- removing --------------------------------------------------------------------------


def test_removing_asks_first_and_keeps_the_history(client_as, reading, personas):
    client = client_as("enhetschef")
    url = reverse("activities:activity_delete", args=[reading.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Ta bort aktiviteten?" in text(confirm)
    assert Activity.objects.filter(pk=reading.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Activity.objects.filter(pk=reading.pk).exists()
    gone = Activity.history.filter(id=reading.pk).order_by("-history_date").first()
    assert gone.history_type == "-" and gone.history_user == personas["enhetschef"]


# --- the goal's page -------------------------------------------------------------------


def test_the_goal_page_shows_its_activities_in_time_order_beside_its_measures(client_as, goal):
    response = client_as("fortroendevald").get(goal.get_absolute_url())
    results = response.context["results"]
    assert [(i.number, i.activity.title) for i in results.items] == [
        (1, "Läsombud i varje klass"),
        (2, "Bokcirklar i åk 4–6"),
        (3, "Studiehandledning på modersmål i åk 7–9"),
        (4, "Fortbildning i digitala lärresurser"),
    ]
    assert [a.title for a in results.items[0].via] == ["Läsfrämjande i F–6"]
    assert results.items[1].via == []  # linked to the goal itself as well
    [chart] = results.charts
    assert chart.measure.title.startswith("Andel elever i åk 9")
    assert [i.number for i in chart.marked] == [3]
    assert 'class="tillit-chart__span"' in chart.svg
    page = text(response)
    assert "Aktiviteter och resultat" in page
    assert "3: Studiehandledning på modersmål i åk 7–9, från 1 september 2025" in chart.svg


def test_a_cancelled_activity_is_listed_but_not_marked(client_as, grastorp, personas):
    health = PlanNode.objects.get(organisation=grastorp, key="social-hallbarhet-och-folkhalsa")
    measure = Measure.objects.create(
        organisation=grastorp, node=health, title="Elever som rör sig varje dag", unit="%"
    )
    cancelled = Activity.objects.get(title="Utomhuspass med föreningslivet")
    cancelled.measures.add(measure)
    results = client_as("medledare").get(health.get_absolute_url()).context["results"]
    assert [i.activity.status for i in results.items] == ["cancelled"]
    assert results.charts[0].marked == []


def test_visitors_see_the_goal_without_its_activities(client_as, goal):
    response = client_as("anonymous").get(goal.get_absolute_url())
    assert response.status_code == 200
    assert response.context["results"] is None
    assert "Läsombud" not in text(response)


def test_the_goal_page_costs_the_same_queries_as_activities_grow(
    client_as, grastorp, goal, area, make_activity, personas
):
    client = client_as("enhetschef")
    before = _count(client, goal.get_absolute_url())
    measure = Measure.objects.get(title__startswith="Andel elever i åk 9")
    for n in range(25):
        make_activity(
            f"Aktivitet {n}",
            nodes=[goal if n % 2 else area],
            measures=[measure],
            start=date(2024 + n % 3, 1 + n % 12, 1),
        )
    assert _count(client, goal.get_absolute_url()) == before


# --- the principle's page --------------------------------------------------------------


def test_the_principle_page_links_to_what_is_done_for_it(client_as, grastorp):
    digitalisering = Principle.objects.get(organisation=grastorp, key="digitalisering")
    response = client_as("outsider").get(digitalisering.get_absolute_url())
    activities = response.context["activities"]
    assert activities.total == 3
    assert [a.title for a in activities.current] == ["Digital planering av hemtjänstens insatser"]
    assert activities.list_url == f"{LIST}?princip=digitalisering"
    page = text(response)
    assert "Aktiviteter som uttrycker principen" in page
    assert f'href="{LIST}?princip=digitalisering"' in page


def test_visitors_see_the_principle_without_its_activities(client_as, grastorp):
    digitalisering = Principle.objects.get(organisation=grastorp, key="digitalisering")
    response = client_as("anonymous").get(digitalisering.get_absolute_url())
    assert response.status_code == 200 and response.context["activities"] is None


def test_the_principle_page_costs_the_same_queries_as_activities_grow(
    client_as, grastorp, make_activity
):
    digitalisering = Principle.objects.get(organisation=grastorp, key="digitalisering")
    client = client_as("medledare")
    before = _count(client, digitalisering.get_absolute_url())
    for n in range(10):
        make_activity(f"Digital aktivitet {n}", principles=[digitalisering], status="ongoing")
    assert _count(client, digitalisering.get_absolute_url()) == before
