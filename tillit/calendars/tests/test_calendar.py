"""The yearly calendar (årshjul): its page, its own dates, and the iCalendar feeds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tillit.calendars.choices import EventKind
from tillit.calendars.models import CalendarEvent, FeedToken
from tillit.core.models import Body
from tillit.followup import services as followup
from tillit.followup.choices import FollowUpKind

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.fixture
def period(grastorp, personas):
    return followup.period_create(
        organisation=grastorp,
        created_by=personas["strateg"],
        name="Tertial 3 2026",
        year=YEAR,
        kind=FollowUpKind.TERTIAL,
        start=dt.date(YEAR, 9, 1),
        end=dt.date(YEAR, 12, 31),
        deadline=dt.date(YEAR, 12, 10),
    )


def _meeting(grastorp, abbreviation: str, when: dt.datetime, *, public=True, goals=()):
    from tillit.dialogues.models import Meeting

    meeting = Meeting.objects.create(
        organisation=grastorp,
        body=Body.objects.get(organisation=grastorp, abbreviation=abbreviation),
        title=f"Sammanträde {abbreviation}",
        starts_at=timezone.make_aware(when),
        ends_at=timezone.make_aware(when + dt.timedelta(hours=2)),
        place="Kommunhuset, Sessionssalen",
        is_public=public,
    )
    meeting.goals.set(goals)
    return meeting


def _page(client, year=YEAR, **params):
    return client.get(reverse("calendars:year", args=[year]), params)


def _titles(response) -> list[str]:
    return [e.title for m in response.context["months"] for e in m.entries]


def test_the_year_is_shown_month_by_month_with_the_steering_cycles_dates(client):
    response = _page(client)
    assert response.status_code == 200
    months = response.context["months"]
    assert [m.number for m in months] == list(range(1, 13))
    november = [e.title for e in months[10].entries]
    assert "Verksamhetsplan och budget 2027, ekonomisk plan 2028–2029" in november
    page = response.content.decode()
    assert "Årshjul 2026" in page and "November 2026" in page
    assert "Rapport till kommunfullmäktige" in page  # the kind, in words


def test_the_public_sees_public_dates_and_staff_also_the_deadlines(
    client, client_as, grastorp, period
):
    _meeting(grastorp, "VU", dt.datetime(YEAR, 5, 4, 13), public=False)
    assert "Sista dag för bedömningar: Tertial 3 2026" not in _titles(_page(client))
    assert "Sammanträde VU" not in _titles(_page(client))
    staff = _titles(_page(client_as("medledare")))
    assert "Sista dag för bedömningar: Tertial 3 2026" in staff
    assert "Sammanträde VU" in staff


def test_meetings_with_goals_are_dialogues(client, grastorp, goal):
    _meeting(grastorp, "VU", dt.datetime(YEAR, 3, 9, 9), goals=[goal])
    entry = next(
        e for m in _page(client).context["months"] for e in m.entries if e.title == "Sammanträde VU"
    )
    assert entry.kind == EventKind.DIALOGUE and entry.goals == (goal.label,)
    assert entry.place == "Kommunhuset, Sessionssalen"


def test_filters_by_kind_and_body(client, grastorp):
    _meeting(grastorp, "VU", dt.datetime(YEAR, 3, 9, 9))
    only_kf = _titles(_page(client, organ="KF"))
    assert only_kf and "Sammanträde VU" not in only_kf
    reports = _page(client, typ=EventKind.REPORT_KF).context["months"]
    assert {e.kind for m in reports for e in m.entries} == {EventKind.REPORT_KF}


def test_the_page_costs_the_same_queries_as_the_dates_grow(client_as, grastorp, period):
    client = client_as("strateg")
    with CaptureQueriesContext(connection) as before:
        _page(client)
    for n in range(1, 13):
        _meeting(grastorp, ["SU", "VU", "PU"][n % 3], dt.datetime(YEAR, n, 10, 9))
        CalendarEvent.objects.create(
            organisation=grastorp,
            title=f"Extra {n}",
            kind=EventKind.OTHER,
            date=dt.date(YEAR, n, 2),
        )
    with CaptureQueriesContext(connection) as after:
        _page(client)
    assert len(after) == len(before)


def test_an_event_spanning_new_year_shows_in_january(client, grastorp):
    CalendarEvent.objects.create(
        organisation=grastorp,
        title="Bokslutsarbete",
        kind=EventKind.OTHER,
        date=dt.date(YEAR - 1, 12, 28),
        end_date=dt.date(YEAR, 1, 15),
    )
    assert "Bokslutsarbete" in [e.title for e in _page(client).context["months"][0].entries]


# --- the calendar's own dates ------------------------------------------------------------


EVENT = {
    "title": "Budgetdialog med verksamheterna",
    "kind": EventKind.PLAN_BUDGET,
    "date": "2026-09-14",
    "start_time": "13:00",
    "end_date": "",
    "body": "",
    "place": "Kommunhuset",
    "description": "",
    "is_public": "on",
}


@pytest.mark.parametrize(
    "persona, status",
    [
        ("anonymous", 302),
        ("fortroendevald", 403),
        ("strateg", 302),
        ("verksamhetschef", 403),
        ("enhetschef", 403),
        ("medledare", 403),
        ("outsider", 403),
    ],
)
def test_who_adds_a_date(client_as, persona, status):
    client = client_as(persona)
    response = client.post(reverse("calendars:event_add"), EVENT)
    assert response.status_code == status
    created = CalendarEvent.objects.filter(title=EVENT["title"]).exists()
    assert created == (persona == "strateg")
    if persona == "anonymous":
        assert "/logga-in/" in response.url


def test_a_date_is_changed_and_removed_with_history(client_as, grastorp):
    client = client_as("strateg")
    client.post(reverse("calendars:event_add"), EVENT)
    event = CalendarEvent.objects.get(title=EVENT["title"])
    edit = reverse("calendars:event_edit", args=[event.pk])
    response = client.post(edit, {**EVENT, "date": "2026-09-21", "version": event.version})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.date == dt.date(2026, 9, 21) and event.version == 2
    assert event.history.count() == 2
    assert (
        client_as("fortroendevald")
        .post(reverse("calendars:event_delete", args=[event.pk]))
        .status_code
        == 403
    )
    assert client.post(reverse("calendars:event_delete", args=[event.pk])).status_code == 302
    assert not CalendarEvent.objects.filter(pk=event.pk).exists()


def test_two_people_changing_a_date_the_second_is_told(client_as, grastorp):
    client = client_as("strateg")
    client.post(reverse("calendars:event_add"), EVENT)
    event = CalendarEvent.objects.get(title=EVENT["title"])
    edit = reverse("calendars:event_edit", args=[event.pk])
    client.post(edit, {**EVENT, "place": "Stadshuset", "version": 1})
    response = client.post(edit, {**EVENT, "place": "Biblioteket", "version": 1})
    assert response.status_code == 200
    assert [(str(r["label"]), r["theirs"], r["mine"]) for r in response.context["conflict"]] == [
        ("Plats", "Stadshuset", "Biblioteket")
    ]
    event.refresh_from_db()
    assert event.place == "Stadshuset"


def test_a_bad_date_is_named(client_as):
    response = client_as("strateg").post(
        reverse("calendars:event_add"), {**EVENT, "end_date": "2026-09-01"}
    )
    assert response.status_code == 200
    assert "Sista dagen kan inte komma före den första." in response.content.decode()


# --- feeds -------------------------------------------------------------------------------


def _ics(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _summaries(calendar: Calendar) -> list[str]:
    return [str(e.get("summary")) for e in calendar.walk("VEVENT")]


def test_a_person_creates_replaces_and_turns_off_their_feed(client, client_as, personas):
    staff = client_as("medledare")
    assert staff.get(reverse("calendars:feeds")).status_code == 200
    staff.post(reverse("calendars:feed_renew"))
    first = FeedToken.objects.get(user=personas["medledare"], revoked_at__isnull=True)
    url = reverse("calendars:feed", args=[first.token])
    assert _ics(client.get(url))  # no login: Outlook cannot log in
    staff.post(reverse("calendars:feed_renew"))
    second = FeedToken.objects.get(user=personas["medledare"], revoked_at__isnull=True)
    assert second.token != first.token
    assert client.get(url).status_code == 404
    assert client.get(reverse("calendars:feed", args=[second.token])).status_code == 200
    staff.post(reverse("calendars:feed_revoke"))
    assert client.get(reverse("calendars:feed", args=[second.token])).status_code == 404
    assert client.get(reverse("calendars:feed", args=["gissat"])).status_code == 404


def test_anonymous_visitors_have_no_feed_of_their_own(client):
    assert client.post(reverse("calendars:feed_renew")).status_code == 302
    assert not FeedToken.objects.exists()


def test_a_personal_feed_holds_deadlines_and_the_persons_own_meetings(
    client, grastorp, personas, period
):
    _meeting(grastorp, "VU", dt.datetime(YEAR, 12, 2, 13), public=False)
    _meeting(grastorp, "SU", dt.datetime(YEAR, 12, 3, 13), public=False)
    token = FeedToken.objects.create(user=personas["fortroendevald"])  # chair of VU
    calendar = _ics(client.get(reverse("calendars:feed", args=[token.token])))
    summaries = _summaries(calendar)
    assert "VU: Sammanträde VU" in summaries
    assert "SU: Sammanträde SU" not in summaries
    assert "Sista dag för bedömningar: Tertial 3 2026" in summaries
    meeting = next(e for e in calendar.walk("VEVENT") if e.get("summary") == "VU: Sammanträde VU")
    assert meeting.decoded("dtstart") == dt.datetime(YEAR, 12, 2, 12, tzinfo=dt.UTC)  # 13 CET
    assert meeting.get("class") == "PRIVATE"
    deadline = next(e for e in calendar.walk("VEVENT") if "Tertial 3" in e.get("summary"))
    assert deadline.decoded("dtstart") == dt.date(YEAR, 12, 10)
    assert deadline.decoded("dtend") == dt.date(YEAR, 12, 11)  # all day: the end is exclusive
    assert str(deadline.get("uid")) == f"deadline-{period.pk}@testserver"
    assert str(deadline.get("url")).startswith("http://testserver/uppfoljning/")


def test_a_committees_feed_is_public_and_holds_its_public_meetings_only(client, grastorp):
    _meeting(grastorp, "VU", dt.datetime(YEAR, 12, 2, 13))
    _meeting(grastorp, "VU", dt.datetime(YEAR, 12, 9, 13), public=False)
    _meeting(grastorp, "SU", dt.datetime(YEAR, 12, 3, 13))
    calendar = _ics(client.get(reverse("calendars:feed_body", args=["VU"])))
    summaries = _summaries(calendar)
    assert summaries.count("VU: Sammanträde VU") == 1  # the public one, not the other
    assert all(s.startswith("VU: ") for s in summaries)
    assert str(calendar.get("x-wr-calname")) == "Grästorps kommun: Utskottet för välfärdsutveckling"
    assert client.get(reverse("calendars:feed_body", args=["XX"])).status_code == 404


def test_the_municipalitys_feed_has_no_internal_dates(client, period):
    summaries = _summaries(_ics(client.get(reverse("calendars:feed_public"))))
    assert "KF: Verksamhetsplan och budget 2027, ekonomisk plan 2028–2029" in summaries
    assert not any("Sista dag" in s for s in summaries)
