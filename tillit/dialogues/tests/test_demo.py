"""The demo dialogues: what `load_demo` leaves for Grästorp (without the follow-up demo, as
the tests' session loads it)."""

from __future__ import annotations

import pytest

from tillit.dialogues.choices import RecordState
from tillit.dialogues.demo import load_dialogue_demo
from tillit.dialogues.models import DialogueRecord, DialogueRemit, Meeting

pytestmark = pytest.mark.django_db


def test_each_committee_holds_dialogue_on_its_perspective(grastorp):
    remits = {
        r.body.abbreviation: r.node.key
        for r in DialogueRemit.objects.filter(body__organisation=grastorp).select_related(
            "body", "node"
        )
    }
    assert remits == {
        "SU": "samhallsutveckling",
        "VU": "valfardsutveckling",
        "PU": "attraktiv-arbetsplats",
    }


def test_the_committees_have_annual_plans_for_2025_and_2026(grastorp):
    meetings = Meeting.objects.filter(organisation=grastorp)
    for year in (2025, 2026):
        bodies = set(
            meetings.filter(starts_at__year=year).values_list("body__abbreviation", flat=True)
        )
        assert bodies == {"SU", "VU", "PU"}


def test_the_chairs_approved_what_the_strategist_wrote(grastorp, personas):
    records = DialogueRecord.objects.filter(meeting__organisation=grastorp).select_related(
        "meeting__body", "approved_by", "written_by"
    )
    approved = [r for r in records if r.state == RecordState.APPROVED]
    drafts = [r for r in records if r.state == RecordState.DRAFT]
    assert len(approved) == 9 and len(drafts) == 1
    chairs = {r.meeting.body.abbreviation: r.approved_by.username for r in approved}
    assert chairs == {"SU": "bengt.olsson", "VU": "fortroendevald", "PU": "gunnar.persson"}
    for record in records:
        assert record.written_by == personas["strateg"]
        assert record.is_intact
        assert record.participants.exists()
    vu_2025 = next(r for r in approved if r.meeting.title.startswith("Dialog om utbildning"))
    history = list(vu_2025.history.order_by("history_date"))
    assert history[0].history_user == personas["strateg"]
    assert history[-1].history_user == personas["fortroendevald"]


def test_loading_the_demo_again_changes_nothing(grastorp):
    before = Meeting.objects.filter(organisation=grastorp).count()
    load_dialogue_demo(grastorp)
    assert Meeting.objects.filter(organisation=grastorp).count() == before
