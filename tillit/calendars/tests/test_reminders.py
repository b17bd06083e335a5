"""E-mail reminders: deadlines, missing assessments and dialogues not yet planned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from tillit.calendars.models import ReminderSettings, SentReminder
from tillit.calendars.reminders import send_reminders
from tillit.calendars.tasks import send_reminders_everywhere
from tillit.core.scheduling import jobs
from tillit.followup import services as followup
from tillit.followup.choices import FollowUpKind

pytestmark = pytest.mark.django_db

DEADLINE = dt.date(2025, 12, 10)


@pytest.fixture
def period(grastorp, personas):
    return followup.period_create(
        organisation=grastorp,
        created_by=personas["strateg"],
        name="Tertial 3 2025",
        year=2025,
        kind=FollowUpKind.TERTIAL,
        start=dt.date(2025, 9, 1),
        end=dt.date(2025, 12, 31),
        deadline=DEADLINE,
    )


def _to(persona_user) -> list:
    return [m for m in mail.outbox if m.to == [persona_user.email]]


def test_a_writer_is_reminded_two_weeks_and_three_days_before_the_deadline(
    grastorp, personas, period
):
    enhetschef = personas["enhetschef"]
    send_reminders(grastorp, today=DEADLINE - dt.timedelta(days=20))
    assert not _to(enhetschef)  # too early

    send_reminders(grastorp, today=DEADLINE - dt.timedelta(days=10))
    [first] = _to(enhetschef)
    assert first.subject.startswith("Tillit: ")
    assert "Hej Maria," in first.body
    assert "Att skriva senast 2025-12-10:" in first.body
    assert "Tertial 3 2025" in first.body
    assert f"http://127.0.0.1:8000/uppfoljning/{period.pk}/mal/" in first.body
    assert "http://127.0.0.1:8000/kalender/" in first.body  # how to turn them off

    send_reminders(grastorp, today=DEADLINE - dt.timedelta(days=9))
    assert len(_to(enhetschef)) == 1  # the same occasion is not repeated

    send_reminders(grastorp, today=DEADLINE - dt.timedelta(days=2))
    assert len(_to(enhetschef)) == 2


def test_after_the_deadline_writers_and_plan_administrators_are_told(grastorp, personas, period):
    send_reminders(grastorp, today=DEADLINE + dt.timedelta(days=1))
    [late] = _to(personas["enhetschef"])
    assert "Inte inlämnad, sista dagen 2025-12-10 har passerat" in late.body
    summary = _to(personas["strateg"])[0].body
    assert "Tertial 3 2025:" in summary and "inte inlämnade" in summary
    assert not _to(personas["fortroendevald"])  # writes no assessments
    send_reminders(grastorp, today=DEADLINE + dt.timedelta(days=40))
    assert len(_to(personas["enhetschef"])) == 1  # a month on, no more


def test_a_person_can_turn_reminders_off(client_as, grastorp, personas, period):
    client = client_as("enhetschef")
    response = client.post(reverse("calendars:reminders"), {})  # the box unticked
    assert response.status_code == 302
    assert ReminderSettings.objects.get(user=personas["enhetschef"]).by_email is False
    send_reminders(grastorp, today=DEADLINE - dt.timedelta(days=10))
    assert not _to(personas["enhetschef"])
    assert _to(personas["medledare"])  # the others still get theirs
    client.post(reverse("calendars:reminders"), {"by_email": "on"})
    send_reminders(grastorp, today=DEADLINE - dt.timedelta(days=10))
    assert _to(personas["enhetschef"])


def test_a_failing_mail_server_sends_it_again_next_time(grastorp, personas, period, monkeypatch):
    from tillit.calendars import reminders

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(reminders, "send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        send_reminders(grastorp, today=DEADLINE - dt.timedelta(days=10))
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    send_reminders(grastorp, today=DEADLINE - dt.timedelta(days=10))
    assert _to(personas["enhetschef"])


def test_missing_dialogues_reach_the_committees_officers(grastorp, personas):
    # The demo plans no dialogue in 2027; five weeks before the year ends it is time.
    send_reminders(grastorp, today=dt.date(2027, 11, 25))
    chair = _to(personas["fortroendevald"])  # chair of VU
    assert chair and "Ingen dialog är planerad 2027 om" in chair[0].body
    assert _to(personas["strateg"])  # plan administrator
    assert not _to(personas["medledare"])


def test_the_daily_job_sends_them(grastorp, personas, period, monkeypatch):
    from tillit.calendars import reminders

    monkeypatch.setattr(
        reminders.timezone, "localdate", lambda *a: DEADLINE - dt.timedelta(days=10)
    )
    assert "reminders" in jobs()
    assert jobs()["reminders"].task == "tillit.calendars.tasks.send_reminders_everywhere"
    send_reminders_everywhere.enqueue()  # the immediate backend runs it now
    assert _to(personas["enhetschef"])
