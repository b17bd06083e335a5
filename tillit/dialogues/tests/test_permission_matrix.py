"""The dialogues' permission matrix: every persona against every view of tillit/dialogues.

The same words as the measures' matrix (tillit/measures/tests/test_permission_matrix.py),
and the machinery of tillit/testing/matrix.py:

    ✓      allowed: the page answers 200 and shows what it is about, or the POST redirects
           and its effect is in the database
    –      answered, but without it (the page leaves it out, the POST does nothing here)
    403    refused
    404    not found: the person may not even see it, or it is not in their municipality
    login  an anonymous visitor is sent to the login page

Beside the demo personas, the committee members: `vice` is Fatima Rahman (S), vice chair
of the welfare committee (VU) whose chair is the förtroendevald, and `su_chair` is Bengt
Olsson (M), chair of the community development committee (SU), not of VU. Everything is
VU's, in 2027, with the clock at midsummer 2027: a held public meeting on the goal *Mål 1:
Vi utbildar barn och elever till världsmedborgare …* with a draft record written by the
strateg and taken part in by the förtroendevald and the verksamhetschef (so he writes it
too); an approved record of an earlier meeting; a non-public meeting; and a planned
meeting in the autumn. The dialogues ask `rules.has_perm` directly, so the superuser
`admin` (a member of Grästorp) reads as staff and writes nothing.
"""

# ruff: noqa: E501  (the matrix is a table: one row per action, one column per persona)
from __future__ import annotations

from functools import cached_property

import pytest
import rules
from django.urls import reverse

from tillit.core.models import User
from tillit.dialogues import services
from tillit.dialogues.choices import RecordState
from tillit.dialogues.models import DialogueRecord, DialogueRemit, Meeting
from tillit.testing.matrix import (
    NO,
    OUTCOMES,
    YES,
    check_cell,
    make_browser,
    make_user,
    registry,
    rendered,
    text,
    view_names,
)

from .conftest import YEAR, local

pytestmark = pytest.mark.django_db

PERSONAS: tuple[str, ...] = (
    "anonymous",
    "fortroendevald",
    "vice",
    "su_chair",
    "strateg",
    "verksamhetschef",
    "enhetschef",
    "medledare",
    "outsider",
    "admin",
    "annan_kommun",
)
COMMITTEE_MEMBERS = {"vice": "fatima.rahman", "su_chair": "bengt.olsson"}


def row(*cells: str) -> dict[str, str]:
    assert len(cells) == len(PERSONAS), cells
    return dict(zip(PERSONAS, cells, strict=True))


def cells(matrix: dict, actions: dict) -> list:
    assert set(matrix) == set(actions), set(matrix) ^ set(actions)
    unknown = {c for expected in matrix.values() for c in expected.values()} - set(OUTCOMES)
    assert not unknown, unknown
    return [pytest.param(n, p, id=f"{n}-{p}") for n in matrix for p in PERSONAS]


# fmt: off
MATRIX: dict[str, dict[str, str]] = {
    #                            anon     förtr  vice   suchr  strat  vchef  echef  medl   outs   admin  annan
    # reading
    "overview":              row("✓",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "overview_plan_link":    row("–",     "✓",   "✓",   "–",   "✓",   "–",   "–",   "–",   "–",   "–",   "–"),
    "annual_plan":           row("✓",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "annual_plan_private":   row("–",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "meeting_page":          row("✓",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "meeting_page_private":  row("404",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "record_approved":       row("✓",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "record_private":        row("404",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "record_draft":          row("404",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    # the annual plan and the remit
    "meeting_add_form":      row("login", "✓",   "✓",   "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "add_meeting":           row("login", "✓",   "✓",   "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "meeting_edit_form":     row("login", "✓",   "✓",   "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "edit_meeting":          row("login", "✓",   "✓",   "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "edit_locked_meeting":   row("login", "403", "403", "403", "403", "403", "403", "403", "403", "403", "404"),
    "meeting_delete_form":   row("login", "✓",   "✓",   "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "delete_meeting":        row("login", "✓",   "✓",   "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "remit_form":            row("login", "✓",   "✓",   "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "set_remit":             row("login", "✓",   "✓",   "403", "✓",   "403", "403", "403", "403", "403", "404"),
    # the record
    "record_not_started":    row("404",   "✓",   "✓",   "404", "✓",   "404", "404", "404", "404", "404", "404"),
    "start_record":          row("login", "✓",   "✓",   "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "record_form":           row("404",   "✓",   "✓",   "–",   "✓",   "✓",   "–",   "–",   "–",   "–",   "404"),
    "write_record":          row("login", "✓",   "✓",   "403", "✓",   "✓",   "403", "403", "403", "403", "404"),
    "refresh_material":      row("login", "✓",   "✓",   "403", "✓",   "✓",   "403", "403", "403", "403", "404"),
    "approve":               row("login", "✓",   "✓",   "403", "403", "403", "403", "403", "403", "403", "404"),
    "approve_written_alone": row("login", "403", "✓",   "403", "403", "403", "403", "403", "403", "403", "404"),
    "write_approved":        row("login", "403", "403", "403", "403", "403", "403", "403", "403", "403", "404"),
}
# fmt: on

ACTIONS, action = registry()

DRAFT_TEXT = "Ett utkast som bara personalen ser."
APPROVED_TEXT = "Samsyn som alla får läsa."
PRIVATE_TEXT = "Ett protokoll från ett slutet möte."


class Scene:
    """What the cells need, made when first asked for, inside the test's transaction."""

    def __init__(self, organisation, personas, goal, make_meeting, make_record, vu):
        self.organisation = organisation
        self.personas = personas
        self.goal = goal
        self.vu = vu
        self.make_meeting = make_meeting
        self.make_record = make_record

    @cached_property
    def held(self) -> Meeting:
        """VU's public meeting in March, with the strateg's draft record."""
        meeting = self.make_meeting(title="Dialog om läsningen", starts_at=local(YEAR, 3, 10, 9))
        self.make_record(
            meeting,
            participants=[self.personas["fortroendevald"], self.personas["verksamhetschef"]],
            discussion=DRAFT_TEXT,
        )
        return meeting

    @property
    def draft(self) -> DialogueRecord:
        return DialogueRecord.objects.get(meeting=self.held)

    def approved_meeting(self, *, is_public: bool = True, texts: str = APPROVED_TEXT) -> Meeting:
        meeting = self.make_meeting(
            title="Dialog i februari" if is_public else "Slutet möte",
            starts_at=local(YEAR, 2, 10 if is_public else 12, 9),
            is_public=is_public,
        )
        record = self.make_record(meeting, shared_understanding=texts)
        services.record_approve(
            record=record,
            approved_by=self.personas["fortroendevald"],
            expected_version=record.version,
        )
        return meeting

    @cached_property
    def approved(self) -> Meeting:
        return self.approved_meeting()

    @cached_property
    def private(self) -> Meeting:
        return self.approved_meeting(is_public=False, texts=PRIVATE_TEXT)

    @cached_property
    def planned(self) -> Meeting:
        """VU's meeting in October, no record yet."""
        return self.make_meeting(title="Dialog i oktober", starts_at=local(YEAR, 10, 14, 9))


def meeting_post(title: str, version: int = 0, **extra) -> dict:
    return {
        "title": title,
        "date": extra.pop("date", "2027-11-10"),
        "start_time": "09:00",
        "end_time": "11:00",
        "place": "Sessionssalen",
        "is_public": "on",
        "version": version,
        **extra,
    }


# --- reading ---------------------------------------------------------------------------------


@action("dialogues:index")
def overview(client, s):
    s.held  # noqa: B018
    response = client.get(reverse("dialogues:index") + f"?ar={YEAR}")
    return response, rendered(response, "dialogues/coverage.html") and (
        s.held.get_absolute_url() in text(response)
    )


@action("dialogues:index")
def overview_plan_link(client, s):
    """*Planera en dialog* for a VU goal without a meeting (VU has none left this year)."""
    s.held  # noqa: B018
    link = reverse("dialogues:meeting_add", args=[YEAR, "VU"]) + "?mal="
    response = client.get(reverse("dialogues:index") + f"?ar={YEAR}")
    return response, link in text(response)


@action("dialogues:annual_plan")
def annual_plan(client, s):
    s.held  # noqa: B018
    response = client.get(reverse("dialogues:annual_plan", args=[YEAR, "VU"]))
    return response, rendered(response, "dialogues/annual_plan.html") and (
        s.held.title in text(response)
    )


@action("dialogues:annual_plan")
def annual_plan_private(client, s):
    s.private  # noqa: B018
    response = client.get(reverse("dialogues:annual_plan", args=[YEAR, "VU"]))
    return response, s.private.get_absolute_url() in text(response)


@action("dialogues:meeting")
def meeting_page(client, s):
    response = client.get(s.held.get_absolute_url())
    return response, rendered(response, "dialogues/meeting_detail.html")


@action("dialogues:meeting")
def meeting_page_private(client, s):
    response = client.get(s.private.get_absolute_url())
    return response, rendered(response, "dialogues/meeting_detail.html")


@action("dialogues:record")
def record_approved(client, s):
    response = client.get(reverse("dialogues:record", args=[s.approved.pk]))
    return response, rendered(response, "dialogues/record.html") and (
        APPROVED_TEXT in text(response)
    )


@action("dialogues:record")
def record_private(client, s):
    response = client.get(reverse("dialogues:record", args=[s.private.pk]))
    return response, PRIVATE_TEXT in text(response)


@action("dialogues:record")
def record_draft(client, s):
    response = client.get(reverse("dialogues:record", args=[s.held.pk]))
    return response, DRAFT_TEXT in text(response)


# --- the annual plan and the remit -----------------------------------------------------------


@action("dialogues:meeting_add")
def meeting_add_form(client, s):
    response = client.get(reverse("dialogues:meeting_add", args=[YEAR, "VU"]))
    return response, rendered(response, "dialogues/meeting_form.html")


@action("dialogues:meeting_add", success=302)
def add_meeting(client, s):
    response = client.post(
        reverse("dialogues:meeting_add", args=[YEAR, "VU"]),
        meeting_post("Nytt dialogmöte", goals=[s.goal.pk]),
    )
    return response, Meeting.objects.filter(title="Nytt dialogmöte", body=s.vu).exists()


@action("dialogues:meeting_edit")
def meeting_edit_form(client, s):
    response = client.get(reverse("dialogues:meeting_edit", args=[s.planned.pk]))
    return response, rendered(response, "dialogues/meeting_form.html")


@action("dialogues:meeting_edit", success=302)
def edit_meeting(client, s):
    response = client.post(
        reverse("dialogues:meeting_edit", args=[s.planned.pk]),
        meeting_post("Omdöpt möte", s.planned.version, goals=[s.goal.pk]),
    )
    return response, Meeting.objects.filter(pk=s.planned.pk, title="Omdöpt möte").exists()


@action("dialogues:meeting_edit", success=302)
def edit_locked_meeting(client, s):
    meeting = s.approved
    response = client.post(
        reverse("dialogues:meeting_edit", args=[meeting.pk]),
        meeting_post("Omdöpt möte", meeting.version, date="2027-02-10"),
    )
    return response, Meeting.objects.filter(pk=meeting.pk, title="Omdöpt möte").exists()


@action("dialogues:meeting_delete")
def meeting_delete_form(client, s):
    response = client.get(reverse("dialogues:meeting_delete", args=[s.planned.pk]))
    return response, rendered(response, "dialogues/meeting_delete.html")


@action("dialogues:meeting_delete", success=302)
def delete_meeting(client, s):
    meeting = s.planned
    response = client.post(
        reverse("dialogues:meeting_delete", args=[meeting.pk]), {"version": meeting.version}
    )
    return response, not Meeting.objects.filter(pk=meeting.pk).exists()


@action("dialogues:remits")
def remit_form(client, s):
    response = client.get(reverse("dialogues:remits", args=[YEAR, "VU"]))
    return response, rendered(response, "dialogues/remits.html")


@action("dialogues:remits", success=302)
def set_remit(client, s):
    response = client.post(reverse("dialogues:remits", args=[YEAR, "VU"]), {"nodes": [s.goal.pk]})
    return response, list(
        DialogueRemit.objects.filter(body=s.vu).values_list("node", flat=True)
    ) == [s.goal.pk]


# --- the record ------------------------------------------------------------------------------


@action("dialogues:record")
def record_not_started(client, s):
    response = client.get(reverse("dialogues:record", args=[s.planned.pk]))
    return response, rendered(response, "dialogues/record_not_started.html")


@action("dialogues:record_start", success=302)
def start_record(client, s):
    response = client.post(reverse("dialogues:record_start", args=[s.planned.pk]))
    return response, DialogueRecord.objects.filter(meeting=s.planned).exists()


@action("dialogues:record")
def record_form(client, s):
    response = client.get(reverse("dialogues:record", args=[s.held.pk]))
    return response, 'name="discussion"' in text(response)


@action("dialogues:record", success=302)
def write_record(client, s):
    draft = s.draft
    response = client.post(
        reverse("dialogues:record", args=[s.held.pk]),
        {"discussion": "Ny text.", "version": draft.version},
    )
    return response, DialogueRecord.objects.filter(pk=draft.pk, discussion="Ny text.").exists()


@action("dialogues:record_refresh", success=302)
def refresh_material(client, s):
    draft = s.draft
    response = client.post(
        reverse("dialogues:record_refresh", args=[s.held.pk]), {"version": draft.version}
    )
    return response, DialogueRecord.objects.get(pk=draft.pk).version == draft.version + 1


@action("dialogues:record_approve", success=302)
def approve(client, s):
    draft = s.draft
    response = client.post(
        reverse("dialogues:record_approve", args=[s.held.pk]), {"version": draft.version}
    )
    return response, DialogueRecord.objects.get(pk=draft.pk).state == RecordState.APPROVED


@action("dialogues:record_approve", success=302)
def approve_written_alone(client, s):
    """The chair wrote the record alone: someone else (the vice chair) approves it."""
    meeting = s.planned
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=local(YEAR, 5, 5, 9))
    record = services.record_start(meeting=meeting, started_by=s.personas["fortroendevald"])
    response = client.post(
        reverse("dialogues:record_approve", args=[meeting.pk]), {"version": record.version}
    )
    return response, DialogueRecord.objects.get(pk=record.pk).state == RecordState.APPROVED


@action("dialogues:record", success=302)
def write_approved(client, s):
    meeting = s.approved
    record = DialogueRecord.objects.get(meeting=meeting)
    response = client.post(
        reverse("dialogues:record", args=[meeting.pk]),
        {"discussion": "Efteråt.", "version": record.version},
    )
    return response, DialogueRecord.objects.filter(pk=record.pk, discussion="Efteråt.").exists()


# --- the tests ---------------------------------------------------------------------------------


def browser(personas):
    make = make_browser(personas)

    def client_for(persona: str):
        if persona in COMMITTEE_MEMBERS:
            from django.test import Client

            client = Client()
            client.force_login(User.objects.get(username=COMMITTEE_MEMBERS[persona]))
            return client
        return make(persona)

    return client_for


def user_for(personas, persona: str):
    if persona in COMMITTEE_MEMBERS:
        return User.objects.get(username=COMMITTEE_MEMBERS[persona])
    return make_user(personas, persona)


@pytest.fixture
def scene(grastorp, personas, goal, make_meeting, make_record, vu, at) -> Scene:
    at(local(YEAR, 6, 20, 12))
    return Scene(grastorp, personas, goal, make_meeting, make_record, vu)


@pytest.mark.parametrize("name, persona", cells(MATRIX, ACTIONS))
def test_matrix(scene, personas, name, persona):
    client = browser(personas)(persona)
    check_cell(ACTIONS[name], client, scene, MATRIX[name][persona])


def test_every_view_of_the_dialogues_is_in_the_matrix():
    from tillit.dialogues.urls import urlpatterns

    assert view_names("dialogues", urlpatterns) == {a.view for a in ACTIONS.values()}


# --- the rules themselves, as the dialogues ask them: rules.has_perm(rule, user, obj) --------

RULE_ASKED: dict[str, tuple[str, str]] = {
    "view_meeting_public": ("dialogues.view_meeting", "held"),
    "view_meeting_private": ("dialogues.view_meeting", "private"),
    "plan_meeting": ("dialogues.plan_meeting", "vu"),
    "plan_locked_meeting": ("dialogues.plan_meeting", "approved"),
    "edit_remit": ("dialogues.edit_remit", "vu"),
    "read_record_draft": ("dialogues.read_record", "draft"),
    "read_record_approved": ("dialogues.read_record", "approved_record"),
    "write_record_new": ("dialogues.write_record", "new_record"),
    "write_record_draft": ("dialogues.write_record", "draft"),
    "approve_record": ("dialogues.approve_record", "draft"),
    "view_history": ("dialogues.view_history", "held"),
}
# fmt: off
RULES: dict[str, dict[str, str]] = {
    #                           anon förtr vice suchr strat vchef echef medl outs admin annan
    "view_meeting_public":  row("✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓"),
    "view_meeting_private": row("✗", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✗"),
    "plan_meeting":         row("✗", "✓", "✓", "✗", "✓", "✗", "✗", "✗", "✗", "✗", "✗"),
    "plan_locked_meeting":  row("✗", "✗", "✗", "✗", "✗", "✗", "✗", "✗", "✗", "✗", "✗"),
    "edit_remit":           row("✗", "✓", "✓", "✗", "✓", "✗", "✗", "✗", "✗", "✗", "✗"),
    "read_record_draft":    row("✗", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✗"),
    "read_record_approved": row("✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓"),
    "write_record_new":     row("✗", "✓", "✓", "✗", "✓", "✗", "✗", "✗", "✗", "✗", "✗"),
    "write_record_draft":   row("✗", "✓", "✓", "✗", "✓", "✓", "✗", "✗", "✗", "✗", "✗"),
    "approve_record":       row("✗", "✓", "✓", "✗", "✗", "✗", "✗", "✗", "✗", "✗", "✗"),
    "view_history":         row("✗", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✗"),
}
# fmt: on


def rule_object(key: str, s: Scene):
    return {
        "held": lambda: s.held,
        "private": lambda: s.private,
        "vu": lambda: s.vu,
        "approved": lambda: Meeting.objects.select_related("body").get(pk=s.approved.pk),
        "draft": lambda: s.draft,
        "approved_record": lambda: DialogueRecord.objects.get(meeting=s.approved),
        "new_record": lambda: DialogueRecord(meeting=s.planned),
    }[key]()


@pytest.mark.parametrize(
    "name, persona", [pytest.param(n, p, id=f"{n}-{p}") for n in RULES for p in PERSONAS]
)
def test_rule(scene, personas, name, persona):
    rule, key = RULE_ASKED[name]
    user = user_for(personas, persona)
    granted = rules.has_perm(rule, user, rule_object(key, scene))
    assert (YES if granted else NO) == RULES[name][persona]


def test_a_superuser_is_granted_everything_by_user_has_perm_but_not_by_the_rules(scene):
    """Why the dialogues ask `rules.has_perm`: Django grants a superuser every permission."""
    admin = User.objects.get(username="admin")
    assert admin.has_perm("dialogues.approve_record", scene.draft)
    assert not rules.has_perm("dialogues.approve_record", admin, scene.draft)
