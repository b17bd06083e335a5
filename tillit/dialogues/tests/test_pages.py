"""The dialogue pages: what they show, to whom, and query budgets that do not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.core.models import User
from tillit.dialogues import services
from tillit.dialogues.models import DialogueRecord, Meeting
from tillit.planning.models import Level, PlanNode

from .conftest import YEAR, local

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(queries)


def _text(response) -> str:
    return response.content.decode()


def _extra_goals(goal, n: int) -> list[PlanNode]:
    level = Level.objects.get(organisation=goal.organisation, key="goal")
    return [
        PlanNode.objects.create(
            organisation=goal.organisation,
            document=goal.document,
            level=level,
            parent=goal.parent,
            number=30 + i,
            title=f"Extra mål {i}",
        )
        for i in range(n)
    ]


def _approve(record, personas):
    return services.record_approve(
        record=record, approved_by=personas["fortroendevald"], expected_version=record.version
    )


@pytest.fixture
def summer(at):
    """The clock at midsummer 2027: meetings in spring are held, those in autumn coming up."""
    return at(local(YEAR, 6, 20, 12))


# --- the overview --------------------------------------------------------------------------


def test_the_overview_says_each_goals_status_in_words(client_as, goal, summer):
    text = _text(client_as("fortroendevald").get(reverse("dialogues:index") + f"?ar={YEAR}"))
    assert goal.label in text
    assert 'class="status status--' in text
    assert "Saknas – planera nu" in text  # VU has no meeting left in 2027


def test_the_overview_offers_planning_a_dialogue_to_those_who_plan(client_as, goal, vu, summer):
    link = reverse("dialogues:meeting_add", args=[YEAR, "VU"]) + f"?mal={goal.pk}"
    assert link in _text(client_as("strateg").get(reverse("dialogues:index") + f"?ar={YEAR}"))
    assert link in _text(
        client_as("fortroendevald").get(reverse("dialogues:index") + f"?ar={YEAR}")
    )
    assert link not in _text(client_as("medledare").get(reverse("dialogues:index") + f"?ar={YEAR}"))
    assert link not in _text(client_as("anonymous").get(reverse("dialogues:index") + f"?ar={YEAR}"))


def test_the_planning_link_fills_in_the_goal(client_as, goal, summer):
    response = client_as("strateg").get(
        reverse("dialogues:meeting_add", args=[YEAR, "VU"]) + f"?mal={goal.pk}"
    )
    assert response.context["form"]["goals"].value() == [str(goal.pk)]
    assert f'value="{goal.pk}"' in _text(response)


def test_the_overview_runs_the_same_queries_however_many_goals_meetings_and_records(
    client_as, goal, personas, make_meeting, make_record, at
):
    client = client_as("strateg")
    url = reverse("dialogues:index") + f"?ar={YEAR}"
    at(local(YEAR, 12, 1, 12))
    make_meeting(starts_at=local(YEAR, 1, 20, 9))
    baseline = _count(client, url)
    for i, extra in enumerate(_extra_goals(goal, 6)):
        meeting = make_meeting(goals=[extra, goal], starts_at=local(YEAR, 2, 1 + i, 9))
        _approve(make_record(meeting), personas)
        make_meeting(goals=[extra], starts_at=local(YEAR, 12, 10 + i, 9))
    assert _count(client, url) == baseline
    assert baseline <= 20


# --- a committee's annual plan -------------------------------------------------------------


def test_the_annual_plan_lists_the_committees_meetings_and_goals(client_as, goal, make_meeting):
    meeting = make_meeting(title="Dialog om läsningen")
    text = _text(client_as("anonymous").get(reverse("dialogues:annual_plan", args=[YEAR, "vu"])))
    assert "Dialog om läsningen" in text
    assert meeting.get_absolute_url() in text
    assert goal.label in text


def test_the_public_does_not_see_a_non_public_meeting(client_as, make_meeting):
    meeting = make_meeting(title="Personalärende", is_public=False)
    url = reverse("dialogues:annual_plan", args=[YEAR, "VU"])
    assert "Personalärende" not in _text(client_as("anonymous").get(url))
    assert "Personalärende" in _text(client_as("outsider").get(url))
    assert client_as("anonymous").get(meeting.get_absolute_url()).status_code == 404


def test_the_annual_plan_runs_the_same_queries_however_many_meetings(
    client_as, goal, personas, make_meeting, make_record, summer
):
    client = client_as("fortroendevald")
    url = reverse("dialogues:annual_plan", args=[YEAR, "VU"])
    make_meeting(starts_at=local(YEAR, 1, 20, 9))
    baseline = _count(client, url)
    for i, extra in enumerate(_extra_goals(goal, 5)):
        meeting = make_meeting(goals=[extra, goal], starts_at=local(YEAR, 2, 1 + i, 9))
        _approve(make_record(meeting), personas)
        make_record(make_meeting(goals=[extra], starts_at=local(YEAR, 3, 1 + i, 9)))
        make_meeting(goals=[extra], starts_at=local(YEAR, 10, 1 + i, 9))
    assert _count(client, url) == baseline


# --- a meeting -----------------------------------------------------------------------------


def test_the_meeting_page_runs_the_same_queries_however_many_goals(
    client_as, goal, make_meeting, make_record
):
    client = client_as("strateg")
    small = make_meeting(goals=[goal])
    make_record(small)
    large = make_meeting(goals=[goal, *_extra_goals(goal, 6)])
    make_record(large)
    assert _count(client, large.get_absolute_url()) == _count(client, small.get_absolute_url())


def test_editing_a_meeting_someone_else_changed_shows_both_versions(
    client_as, personas, make_meeting
):
    meeting = make_meeting(place="Sessionssalen")
    services.meeting_update(
        meeting=meeting,
        changed_by=personas["fortroendevald"],
        expected_version=1,
        place="Biblioteket",
    )
    response = client_as("strateg").post(
        reverse("dialogues:meeting_edit", args=[meeting.pk]),
        {
            "title": meeting.title,
            "date": "2027-03-10",
            "start_time": "09:00",
            "place": "Kommunhuset",
            "goals": [g.pk for g in meeting.goals.all()],
            "is_public": "on",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert response.context["conflict"]
    assert "Biblioteket" in _text(response) and "Kommunhuset" in _text(response)
    assert Meeting.objects.get(pk=meeting.pk).place == "Biblioteket"


def test_a_meeting_is_planned_in_its_own_years_annual_plan(client_as, goal, vu):
    response = client_as("strateg").post(
        reverse("dialogues:meeting_add", args=[YEAR, "VU"]),
        {
            "title": "Dialog om läsningen",
            "date": "2028-03-10",
            "start_time": "09:00",
            "goals": [goal.pk],
            "is_public": "on",
            "version": 0,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"]
    assert not Meeting.objects.filter(title="Dialog om läsningen").exists()


def test_planning_a_meeting_stores_swedish_time(client_as, goal, vu):
    response = client_as("fortroendevald").post(
        reverse("dialogues:meeting_add", args=[YEAR, "VU"]),
        {
            "title": "Dialog om läsningen",
            "date": "2027-07-01",
            "start_time": "13:00",
            "end_time": "15:30",
            "place": "Sessionssalen",
            "goals": [goal.pk],
            "is_public": "on",
            "version": 0,
        },
    )
    meeting = Meeting.objects.get(title="Dialog om läsningen")
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert meeting.starts_at == local(YEAR, 7, 1, 13)
    assert meeting.ends_at == local(YEAR, 7, 1, 15, 30)
    assert list(meeting.goals.all()) == [goal]


# --- the record ----------------------------------------------------------------------------


def test_the_record_page_runs_the_same_queries_however_many_goals_and_participants(
    client_as, goal, personas, make_meeting, make_record
):
    client = client_as("strateg")
    small = make_meeting(goals=[goal])
    make_record(small, participants=[personas["fortroendevald"]])
    large = make_meeting(goals=[goal, *_extra_goals(goal, 6)])
    everyone = list(User.objects.filter(organisation=goal.organisation))
    make_record(large, participants=everyone)
    url = reverse("dialogues:record", args=[small.pk])
    assert _count(client, reverse("dialogues:record", args=[large.pk])) == _count(client, url)


def test_an_approved_record_shows_what_was_frozen_and_who_was_who(
    client_as, goal, personas, make_meeting, make_record, at
):
    meeting = make_meeting()
    make_record(
        meeting,
        participants=[personas["fortroendevald"], personas["verksamhetschef"]],
        external_participants="Elevrådets ordförande",
    )
    at(local(YEAR, 3, 11, 12))
    _approve(DialogueRecord.objects.get(meeting=meeting), personas)
    old_title = goal.title
    goal.title = "En ny lydelse"
    goal.save()

    text = _text(client_as("anonymous").get(reverse("dialogues:record", args=[meeting.pk])))
    assert old_title in text
    assert "Ingrid Bergström" in text and "Ordförande, VU; Ledamot, KF (C)" in text
    assert "Johan Ekström" in text and "Verksamhetschef utbildning, Utbildning" in text
    assert "Elevrådets ordförande" in text
    record = DialogueRecord.objects.get(meeting=meeting)
    assert record.material_checksum in text
    assert "<form" not in text.split('id="main"')[1].split("</main>")[0]


def test_a_draft_is_the_staffs_only(client_as, make_meeting, make_record):
    meeting = make_meeting()
    make_record(meeting)
    url = reverse("dialogues:record", args=[meeting.pk])
    assert client_as("anonymous").get(url).status_code == 404
    assert client_as("outsider").get(url).status_code == 200


def test_saving_a_record_someone_else_saved_shows_both_versions(
    client_as, personas, make_meeting, make_record
):
    meeting = make_meeting()
    record = make_record(meeting, discussion="Den första versionen.")
    services.record_save(
        record=record,
        written_by=personas["fortroendevald"],
        expected_version=record.version,
        participants=[],
        discussion="Ordförandens version.",
    )
    response = client_as("strateg").post(
        reverse("dialogues:record", args=[meeting.pk]),
        {"discussion": "Strategens version.", "version": record.version},
    )
    assert response.status_code == 200
    assert response.context["conflict"]
    assert "Ordförandens version." in _text(response)
    assert DialogueRecord.objects.get(pk=record.pk).discussion == "Ordförandens version."


# --- the forms -----------------------------------------------------------------------------


def test_the_meeting_form_runs_the_same_queries_however_many_goals(client_as, goal, make_meeting):
    client = client_as("strateg")
    url = reverse("dialogues:meeting_add", args=[YEAR, "VU"])
    baseline = _count(client, url)
    _extra_goals(goal, 8)
    assert _count(client, url) == baseline
    meeting = make_meeting()
    edit = reverse("dialogues:meeting_edit", args=[meeting.pk])
    before = _count(client, edit)
    services.meeting_update(
        meeting=meeting,
        changed_by=meeting.history.first().history_user,
        expected_version=meeting.version,
        goals=list(PlanNode.objects.filter(title__startswith="Extra mål")),
    )
    assert _count(client, edit) == before


def test_the_remit_page_runs_the_same_queries_however_many_goals_and_changes(
    client_as, goal, personas, vu
):
    client = client_as("fortroendevald")
    url = reverse("dialogues:remits", args=[YEAR, "VU"])
    baseline = _count(client, url)
    extra = _extra_goals(goal, 6)
    for each in extra:
        services.remits_set(
            body=vu,
            document=goal.document,
            nodes=[goal.parent.parent, each],
            changed_by=personas["strateg"],
        )
    assert _count(client, url) == baseline


def test_the_chair_is_told_why_she_cannot_approve_a_record_she_alone_wrote(
    client_as, personas, make_meeting, at
):
    meeting = make_meeting()
    services.record_start(meeting=meeting, started_by=personas["fortroendevald"])
    at(local(YEAR, 3, 11, 12))
    response = client_as("fortroendevald").get(reverse("dialogues:record", args=[meeting.pk]))
    assert not response.context["can_approve"]
    assert response.context["approval_hint"]
    assert reverse("dialogues:record_approve", args=[meeting.pk]) not in _text(response)
