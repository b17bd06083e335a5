"""What the models refuse, whoever writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tillit.core.models import Body
from tillit.dialogues.models import DialogueRemit, Meeting

from .conftest import YEAR, local

pytestmark = pytest.mark.django_db


def test_a_remit_belongs_to_a_committee(grastorp, goal):
    council = Body.objects.get(organisation=grastorp, abbreviation="KLG")
    with pytest.raises(ValidationError):
        DialogueRemit(body=council, node=goal).full_clean()


def test_a_remit_names_a_goal_or_an_element_above_goals(grastorp, vu, goal, area):
    DialogueRemit(body=vu, node=goal.parent).full_clean()  # a focus area
    with pytest.raises(ValidationError):
        DialogueRemit(body=vu, node=area).full_clean()


def test_a_meeting_is_held_by_a_committee_of_its_own_organisation(grastorp, vu):
    group = Body.objects.get(organisation=grastorp, abbreviation="KLG")  # a management group
    with pytest.raises(ValidationError):
        Meeting(
            organisation=grastorp, body=group, title="M", starts_at=local(YEAR, 1, 1, 9)
        ).full_clean()


def test_the_database_refuses_a_meeting_that_ends_before_it_starts(grastorp, vu):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            organisation=grastorp,
            body=vu,
            title="M",
            starts_at=local(YEAR, 1, 1, 9),
            ends_at=local(YEAR, 1, 1, 8),
        )


def test_a_meetings_year_is_its_swedish_date(grastorp, vu):
    meeting = Meeting(organisation=grastorp, body=vu, title="M", starts_at=local(YEAR, 1, 1, 0, 30))
    assert meeting.year == YEAR  # 23:30 UTC on New Year's Eve
