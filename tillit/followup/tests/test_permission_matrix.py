"""The follow-up's permission matrix: every persona against every view of tillit/followup.

The same table and the same words as the measures' matrix
(tillit/measures/tests/test_permission_matrix.py), with the machinery of
tillit/testing/matrix.py:

    ✓      allowed: the page answers 200 and shows what it is about, or the POST redirects
           and its effect is in the database
    –      answered, but without it (the page leaves it out, the POST does nothing here)
    403    refused
    404    not found: the person may not even see it, or it is not in their municipality
    login  an anonymous visitor is sent to the login page

The period is the open *Delår jan–aug 2025* (the `period` fixture); the goal *Mål 1: Vi
utbildar barn och elever till världsmedborgare …*, whose responsible units in 2025 are
Tengbergsskolan F–6 ("the school"), Grästorps förskolor and Tengbergsskolan 7–9, all
under Utbildning. Hemtjänsten has nothing under this goal. The follow-up asks
`rules.has_perm` (not `user.has_perm`), so the superuser `admin` reads but writes nothing.
"""

from __future__ import annotations

from functools import cached_property

import pytest
import rules
from django.urls import reverse

from tillit.core.models import OrgUnit, User
from tillit.followup.choices import AssessmentState, PeriodStatus
from tillit.followup.models import Assessment, FollowUpPeriod
from tillit.followup.services import period_close
from tillit.testing.matrix import (
    NO,
    PERSONAS,
    YES,
    cells,
    check_cell,
    make_browser,
    make_user,
    registry,
    rendered,
    row,
    text,
    view_names,
)

pytestmark = pytest.mark.django_db

# fmt: off
MATRIX: dict[str, dict[str, str]] = {
    #                              anon     förtr  strateg vchef  echef  medl   outs   admin  annan
    # reading
    "period_list":             row("–",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "period_page":             row("404",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "period_page_closed":      row("✓",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "goal_page":               row("404",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "goal_page_closed":        row("✓",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "goal_page_closed_names":  row("–",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "attention":               row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓"),
    "attention_lists_school":  row("login", "–",   "–",   "✓",   "✓",   "✓",   "–",   "–",   "–"),
    # periods
    "open_period":             row("login", "403", "✓",   "403", "403", "403", "403", "403", "–"),
    "close_form":              row("login", "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "close_period":            row("login", "403", "✓",   "403", "403", "403", "403", "403", "404"),
    # writing assessments
    "assessment_form":         row("login", "403", "403", "✓",   "✓",   "✓",   "403", "403", "404"),
    "write_assessment":        row("login", "403", "403", "✓",   "✓",   "✓",   "403", "403", "404"),
    "change_draft":            row("login", "403", "403", "✓",   "✓",   "✓",   "403", "403", "404"),
    "write_for_utbildning":    row("login", "403", "403", "✓",   "403", "403", "403", "403", "404"),
    "write_for_hemtjansten":   row("login", "403", "403", "403", "403", "403", "403", "403", "404"),
    "write_goal_level_first":  row("login", "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "write_goal_level":        row("login", "403", "✓",   "✓",   "403", "403", "403", "403", "404"),
    # the workflow
    "submit":                  row("login", "403", "403", "✓",   "✓",   "✓",   "403", "403", "404"),
    "approve":                 row("login", "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "return_form":             row("login", "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "return_submitted":        row("login", "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "return_approved":         row("login", "403", "✓",   "403", "403", "403", "403", "403", "404"),
    "change_approved":         row("login", "403", "403", "403", "403", "403", "403", "403", "404"),
    "write_in_closed_period":  row("login", "403", "403", "403", "403", "403", "403", "403", "404"),
}
# fmt: on

ACTIONS, action = registry()

DRAFT_TEXT = "Ett utkast som bara personalen ser."
APPROVED_TEXT = "Godkänd analys av målet."
SUBMITTED_TEXT = "Inlämnad men aldrig godkänd."
WRITER, WRITER_NAME = "anders.wik", "Anders Wik"  # the kommundirektör: no persona's own name


class Scene:
    """What the cells need, made when first asked for, inside the test's transaction."""

    def __init__(self, organisation, personas, goal, period, school, make_assessment):
        self.organisation = organisation
        self.personas = personas
        self.goal = goal
        self.period = period  # open
        self.school = school  # Tengbergsskolan F–6
        self.make_assessment = make_assessment

    def unit(self, name: str) -> OrgUnit:
        return OrgUnit.objects.get(organisation=self.organisation, name=name)

    def school_assessment(self, state: str = AssessmentState.DRAFT) -> Assessment:
        return self.make_assessment(
            self.period, self.goal, self.school, state=state, analysis=DRAFT_TEXT
        )

    @cached_property
    def closed(self) -> FollowUpPeriod:
        """The period, closed by the strateg, with an approved goal-level assessment and the
        school's assessment submitted but never approved (so not frozen)."""
        self.make_assessment(
            self.period,
            self.goal,
            None,
            state=AssessmentState.APPROVED,
            analysis=APPROVED_TEXT,
            written_by=User.objects.get(username=WRITER),
        )
        self.make_assessment(
            self.period,
            self.goal,
            self.school,
            state=AssessmentState.SUBMITTED,
            analysis=SUBMITTED_TEXT,
        )
        return period_close(period=self.period, closed_by=self.personas["strateg"])

    def assessment_url(self, unit: OrgUnit | None) -> str:
        if unit is None:
            return reverse("followup:assessment_goal", args=[self.period.pk, self.goal.pk])
        return reverse("followup:assessment_unit", args=[self.period.pk, self.goal.pk, unit.pk])

    def written(self, unit: OrgUnit | None, analysis: str) -> bool:
        return Assessment.objects.filter(
            period=self.period, goal=self.goal, unit=unit, analysis=analysis
        ).exists()


def assessment_post(analysis: str, version: int = 0) -> dict:
    return {"status": "partly", "analysis": analysis, "next_steps": "", "version": version}


# --- reading ---------------------------------------------------------------------------------


@action("followup:periods")
def period_list(client, s):
    response = client.get(reverse("followup:periods"))
    return response, rendered(response, "followup/period_list.html") and (
        s.period.get_absolute_url() in text(response)
    )


@action("followup:period")
def period_page(client, s):
    response = client.get(s.period.get_absolute_url())
    return response, rendered(response, "followup/period_detail.html")


@action("followup:period")
def period_page_closed(client, s):
    response = client.get(s.closed.get_absolute_url())
    return response, rendered(response, "followup/period_detail.html")


@action("followup:goal")
def goal_page(client, s):
    """The open period's goal page, with the school's draft on it."""
    s.school_assessment()
    response = client.get(reverse("followup:goal", args=[s.period.pk, s.goal.pk]))
    return response, rendered(response, "followup/goal_detail.html") and (
        DRAFT_TEXT in text(response)
    )


@action("followup:goal")
def goal_page_closed(client, s):
    """What the closed period froze, and only that: the approved assessment."""
    response = client.get(reverse("followup:goal", args=[s.closed.pk, s.goal.pk]))
    assert SUBMITTED_TEXT not in text(response)
    return response, rendered(response, "followup/goal_detail.html") and (
        APPROVED_TEXT in text(response)
    )


@action("followup:goal")
def goal_page_closed_names(client, s):
    """Who wrote what, in a closed period, is for staff: the public reads the assessment."""
    response = client.get(reverse("followup:goal", args=[s.closed.pk, s.goal.pk]))
    return response, rendered(response, "followup/goal_detail.html") and (
        WRITER_NAME in text(response)
    )


@action("followup:attention")
def attention(client, s):
    response = client.get(reverse("followup:attention"))
    return response, rendered(response, "followup/attention.html")


@action("followup:attention")
def attention_lists_school(client, s):
    """*Att göra* lists the school's assessment to write for those who write it."""
    response = client.get(reverse("followup:attention"))
    return response, s.assessment_url(s.school) in text(response)


# --- periods ---------------------------------------------------------------------------------


@action("followup:period_add", success=302)
def open_period(client, s):
    response = client.post(
        reverse("followup:period_add"),
        {
            "name": "Tertial 1 2026",
            "year": 2026,
            "kind": "tertial",
            "start": "2026-01-01",
            "end": "2026-04-30",
            "deadline": "2026-05-15",
        },
    )
    opened = FollowUpPeriod.objects.filter(organisation=s.organisation, name="Tertial 1 2026")
    return response, opened.exists()


@action("followup:period_close")
def close_form(client, s):
    response = client.get(reverse("followup:period_close", args=[s.period.pk]))
    return response, rendered(response, "followup/period_close.html")


@action("followup:period_close", success=302)
def close_period(client, s):
    response = client.post(reverse("followup:period_close", args=[s.period.pk]))
    s.period.refresh_from_db()
    return response, s.period.status == PeriodStatus.CLOSED


# --- writing assessments ---------------------------------------------------------------------


@action("followup:assessment_unit")
def assessment_form(client, s):
    response = client.get(s.assessment_url(s.school))
    return response, rendered(response, "followup/assessment_form.html") and (
        'name="analysis"' in text(response)
    )


@action("followup:assessment_unit", success=302)
def write_assessment(client, s):
    """A new draft for the school."""
    response = client.post(s.assessment_url(s.school), assessment_post("Skolans analys."))
    return response, s.written(s.school, "Skolans analys.")


@action("followup:assessment_unit", success=302)
def change_draft(client, s):
    draft = s.school_assessment()
    response = client.post(
        s.assessment_url(s.school), assessment_post("Ändrad analys.", draft.version)
    )
    return response, s.written(s.school, "Ändrad analys.")


@action("followup:assessment_unit", success=302)
def write_for_utbildning(client, s):
    """Utbildning's overall assessment: the verksamhet above the responsible units."""
    education = s.unit("Utbildning")
    response = client.post(s.assessment_url(education), assessment_post("Utbildningens analys."))
    return response, s.written(education, "Utbildningens analys.")


@action("followup:assessment_unit", success=302)
def write_for_hemtjansten(client, s):
    """Hemtjänsten is not responsible for the goal: nobody writes its assessment of it."""
    home_care = s.unit("Hemtjänsten")
    response = client.post(s.assessment_url(home_care), assessment_post("Hemtjänstens analys."))
    return response, s.written(home_care, "Hemtjänstens analys.")


@action("followup:assessment_goal", success=302)
def write_goal_level_first(client, s):
    """The goal-level assessment before any unit of the goal has assessed it."""
    response = client.post(s.assessment_url(None), assessment_post("Målets analys."))
    return response, s.written(None, "Målets analys.")


@action("followup:assessment_goal", success=302)
def write_goal_level(client, s):
    """The goal-level assessment once the school (under Utbildning) has a draft."""
    s.school_assessment()
    response = client.post(s.assessment_url(None), assessment_post("Målets analys."))
    return response, s.written(None, "Målets analys.")


# --- the workflow ----------------------------------------------------------------------------


def _state_after(client, s, view: str, state: str, data: dict | None = None):
    assessment = s.school_assessment(state)
    response = client.post(
        reverse(view, args=[assessment.pk]), {"version": assessment.version, **(data or {})}
    )
    assessment.refresh_from_db()
    return response, assessment.state


@action("followup:assessment_submit", success=302)
def submit(client, s):
    response, state = _state_after(client, s, "followup:assessment_submit", AssessmentState.DRAFT)
    return response, state == AssessmentState.SUBMITTED


@action("followup:assessment_approve", success=302)
def approve(client, s):
    response, state = _state_after(
        client, s, "followup:assessment_approve", AssessmentState.SUBMITTED
    )
    return response, state == AssessmentState.APPROVED


@action("followup:assessment_return")
def return_form(client, s):
    submitted = s.school_assessment(AssessmentState.SUBMITTED)
    response = client.get(reverse("followup:assessment_return", args=[submitted.pk]))
    return response, rendered(response, "followup/assessment_return.html") and (
        'name="comment"' in text(response)
    )


@action("followup:assessment_return", success=302)
def return_submitted(client, s):
    response, state = _state_after(
        client,
        s,
        "followup:assessment_return",
        AssessmentState.SUBMITTED,
        {"comment": "Analysen saknar resultat."},
    )
    return response, state == AssessmentState.RETURNED


@action("followup:assessment_return", success=302)
def return_approved(client, s):
    response, state = _state_after(
        client, s, "followup:assessment_return", AssessmentState.APPROVED, {"comment": ""}
    )
    return response, state == AssessmentState.RETURNED


@action("followup:assessment_unit", success=302)
def change_approved(client, s):
    approved = s.school_assessment(AssessmentState.APPROVED)
    response = client.post(
        s.assessment_url(s.school), assessment_post("Efter godkännandet.", approved.version)
    )
    return response, s.written(s.school, "Efter godkännandet.")


@action("followup:assessment_unit", success=302)
def write_in_closed_period(client, s):
    s.closed  # noqa: B018 (closes the period)
    response = client.post(s.assessment_url(s.school), assessment_post("Efter stängningen.", 1))
    return response, s.written(s.school, "Efter stängningen.")


# --- the tests ---------------------------------------------------------------------------------


@pytest.fixture
def scene(grastorp, personas, goal, period, school, make_assessment) -> Scene:
    return Scene(grastorp, personas, goal, period, school, make_assessment)


@pytest.mark.parametrize("name, persona", cells(MATRIX, ACTIONS))
def test_matrix(scene, personas, name, persona):
    client = make_browser(personas)(persona)
    check_cell(ACTIONS[name], client, scene, MATRIX[name][persona])


def test_every_view_of_the_follow_up_is_in_the_matrix():
    from tillit.followup.urls import urlpatterns

    missing = view_names("followup", urlpatterns) - {a.view for a in ACTIONS.values()}
    assert not missing, f"Give these views a row in MATRIX: {sorted(missing)}"


# --- the rules themselves, as the follow-up asks them: rules.has_perm(rule, user, obj) -------

# What each rule is asked about (the school's assessments are Tengbergsskolan F–6's).
RULE_ASKED: dict[str, tuple[str, str]] = {
    "read_period_open": ("followup.read_period", "period"),
    "read_period_closed": ("followup.read_period", "closed_period"),
    "read_assessment_draft": ("followup.read_assessment", "draft"),
    "read_assessment_closed": ("followup.read_assessment", "closed_approved"),
    "view_history": ("followup.view_history", "period"),
    "write_assessment_school": ("followup.write_assessment", "new_school"),
    "write_assessment_goal": ("followup.write_assessment", "new_goal_level"),
    "submit_assessment": ("followup.submit_assessment", "draft"),
    "approve_assessment": ("followup.approve_assessment", "submitted"),
    "return_assessment": ("followup.return_assessment", "approved"),
    "add_period": ("followup.add_period", "grastorp"),
    "close_period": ("followup.close_period", "period"),
}
# fmt: off
RULES: dict[str, dict[str, str]] = {
    #                             anon förtr strat vchef echef medl outs admin annan
    "read_period_open":        row("✗", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✗"),
    "read_period_closed":      row("✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓"),
    "read_assessment_draft":   row("✗", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✗"),
    "read_assessment_closed":  row("✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✓"),
    "view_history":            row("✗", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✗"),
    "write_assessment_school": row("✗", "✗", "✗", "✓", "✓", "✓", "✗", "✗", "✗"),
    "write_assessment_goal":   row("✗", "✗", "✓", "✓", "✗", "✗", "✗", "✗", "✗"),
    "submit_assessment":       row("✗", "✗", "✗", "✓", "✓", "✓", "✗", "✗", "✗"),
    "approve_assessment":      row("✗", "✗", "✓", "✗", "✗", "✗", "✗", "✗", "✗"),
    "return_assessment":       row("✗", "✗", "✓", "✗", "✗", "✗", "✗", "✗", "✗"),
    "add_period":              row("✗", "✗", "✓", "✗", "✗", "✗", "✗", "✗", "✗"),
    "close_period":            row("✗", "✗", "✓", "✗", "✗", "✗", "✗", "✗", "✗"),
}
# fmt: on


def rule_object(key: str, s: Scene):
    if key == "grastorp":
        return s.organisation
    if key == "period":
        return s.period
    if key == "closed_period":
        return s.closed
    if key == "closed_approved":
        s.closed  # noqa: B018 (closes the period)
        return Assessment.objects.get(period=s.period, goal=s.goal, unit=None)
    if key == "new_school":
        return Assessment(period=s.period, goal=s.goal, unit=s.school)
    if key == "new_goal_level":
        s.school_assessment()  # the school, under Utbildning, has assessed the goal
        return Assessment(period=s.period, goal=s.goal, unit=None)
    state = {
        "draft": AssessmentState.DRAFT,
        "submitted": AssessmentState.SUBMITTED,
        "approved": AssessmentState.APPROVED,
    }[key]
    return s.school_assessment(state)


@pytest.mark.parametrize(
    "name, persona", [pytest.param(n, p, id=f"{n}-{p}") for n in RULES for p in PERSONAS]
)
def test_rule(scene, personas, name, persona):
    rule, key = RULE_ASKED[name]
    user = make_user(personas, persona)
    granted = rules.has_perm(rule, user, rule_object(key, scene))
    assert (YES if granted else NO) == RULES[name][persona]


def test_a_superuser_is_granted_everything_by_user_has_perm_but_not_by_the_rules(scene):
    """Why the follow-up asks `rules.has_perm`: Django grants a superuser every permission."""
    admin = make_user({}, "admin")
    assert admin.has_perm("followup.close_period", scene.period)
    assert not rules.has_perm("followup.close_period", admin, scene.period)
