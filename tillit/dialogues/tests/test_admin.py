"""The dialogues in the Django admin: remits and open meetings corrected, records only read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tillit.core.models import User
from tillit.dialogues.models import DialogueRecord, Meeting
from tillit.dialogues.selectors import has_approved_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(grastorp) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client


def test_the_lists_open(admin_client):
    for model in ("dialogueremit", "meeting", "dialoguerecord"):
        assert admin_client.get(reverse(f"admin:dialogues_{model}_changelist")).status_code == 200


def test_a_record_is_read_only_in_the_admin(admin_client, grastorp):
    record = DialogueRecord.objects.filter(meeting__organisation=grastorp).first()
    url = reverse("admin:dialogues_dialoguerecord_change", args=[record.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert admin_client.post(url, {"discussion": "Ändrad"}).status_code == 403


def test_a_meeting_with_an_approved_record_is_read_only_and_is_not_removed(admin_client, grastorp):
    meeting = next(
        m for m in Meeting.objects.filter(organisation=grastorp) if has_approved_record(m)
    )
    change = reverse("admin:dialogues_meeting_change", args=[meeting.pk])
    assert not admin_client.get(change).context["has_change_permission"]
    delete = reverse("admin:dialogues_meeting_delete", args=[meeting.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()
