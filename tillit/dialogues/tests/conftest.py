"""Fixtures of the dialogues' tests, on the Grästorp demo (tillit/dialogues/demo.py).

The session's demo has the committees' remits (SU: samhällsutveckling, VU:
välfärdsutveckling, PU: attraktiv arbetsplats) and meetings in 2025 and 2026. Tests that
need a year of their own use 2027: the steering document 2024–2027 covers it, there is no
operational plan for it (so its goals are the document's ten) and no demo meeting.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

YEAR = 2027


def local(*args) -> datetime:
    """An aware datetime in Swedish time: local(2027, 3, 10, 13)."""
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def at(monkeypatch):
    """Set the dialogues' clock: `at(local(2027, 6, 1, 12))`."""
    from tillit.dialogues import clock

    def set_now(moment: datetime) -> datetime:
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    return set_now


@pytest.fixture
def body(grastorp):
    """The committee by its abbreviation: body("VU")."""
    from tillit.core.models import Body

    return lambda abbreviation: Body.objects.get(organisation=grastorp, abbreviation=abbreviation)


@pytest.fixture
def vu(body):
    """Utskottet för välfärdsutveckling: chaired by the förtroendevald."""
    return body("VU")


@pytest.fixture
def goal_by_key(grastorp):
    from tillit.planning.models import PlanNode

    return lambda key: PlanNode.objects.get(
        organisation=grastorp, key=key, document__start_year=2024
    )


@pytest.fixture
def make_meeting(personas, goal):
    """A meeting planned by the strateg; VU's on the goal fixture in March 2027 by default."""
    from tillit.core.models import Body
    from tillit.dialogues import services

    def make(committee: Body | None = None, *, goals=None, starts_at=None, **values):
        committee = committee or Body.objects.get(organisation=goal.organisation, abbreviation="VU")
        return services.meeting_create(
            body=committee,
            created_by=values.pop("created_by", personas["strateg"]),
            title=values.pop("title", "Dialog om utbildningen"),
            starts_at=starts_at or local(YEAR, 3, 10, 9),
            goals=[goal] if goals is None else goals,
            **values,
        )

    return make


@pytest.fixture
def make_record(personas):
    """A record of a meeting, started and written by the strateg with the given people."""
    from tillit.dialogues import services

    def make(meeting, *, participants=(), writer=None, **texts):
        writer = writer or personas["strateg"]
        record = services.record_start(meeting=meeting, started_by=writer)
        return services.record_save(
            record=record,
            written_by=writer,
            expected_version=record.version,
            participants=list(participants),
            discussion=texts.get("discussion", "Vi talade om läsningen."),
            shared_understanding=texts.get("shared_understanding", "Läsningen ska fortsätta."),
            next_steps=texts.get("next_steps", "Återkommer i oktober."),
            external_participants=texts.get("external_participants", ""),
        )

    return make
