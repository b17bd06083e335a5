"""The activities' permission matrix: every persona against every view of tillit/activities,
and the parts of the goal's and the principle's pages that show activities.

The same table and words as the measures' matrix (tillit/measures/tests/
test_permission_matrix.py, whose machinery this file uses):

    ✓      allowed: the page answers 200 and shows what it is about, or the POST redirects
           and its effect is in the database
    –      answered, but without it (the page leaves it out, the form refuses the unit,
           the POST changes nothing of it)
    403    refused
    404    not found: the person may not even see it, or it is not in their municipality
    login  an anonymous visitor is sent to the login page

The activities: *Läsombud i varje klass* ("the school's", Tengbergsskolan F–6, the
medledare responsible) and *Högläsning för äldre i hemtjänsten* ("the cross one",
Hemtjänsten's, planned by the outsider, with the medledare responsible: a teacher who
brings pupils to read for the elderly). The views ask `rules.has_perm`, so the superuser
`admin` reads but writes nothing here (the Django admin is hers).
"""

from __future__ import annotations

from datetime import date
from functools import cached_property

import pytest
import rules
from django.urls import reverse

from tillit.activities import services
from tillit.activities.models import Activity
from tillit.core.models import OrgUnit
from tillit.planning.models import Principle
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
    "list_page":               row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "list_filtered":           row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "detail":                  row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "detail_history":          row("login", "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    "goal_page_activities":    row("–",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "–"),
    "principle_activities":    row("–",     "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "✓",   "404"),
    # planning a new one, for the school
    "new_form":                row("login", "403", "✓",   "✓",   "✓",   "✓",   "✓",   "403", "✓"),
    "plan_for_school":         row("login", "403", "✓",   "✓",   "✓",   "✓",   "–",   "403", "–"),
    # the school's activity
    "edit_form":               row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "403", "404"),
    "edit":                    row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "403", "404"),
    "remove_form":             row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "403", "404"),
    "remove":                  row("login", "403", "✓",   "✓",   "✓",   "✓",   "403", "403", "404"),
    # the cross one: Hemtjänsten's, the medledare responsible
    "report_form_cross":       row("login", "403", "✓",   "403", "403", "✓",   "✓",   "403", "404"),
    "report_cross":            row("login", "403", "✓",   "403", "403", "✓",   "✓",   "403", "404"),
    "rename_cross":            row("login", "403", "✓",   "403", "403", "–",   "✓",   "403", "404"),
    "remove_cross":            row("login", "403", "✓",   "403", "403", "403", "✓",   "403", "404"),
}
# fmt: on

ACTIONS, action = registry()

RENAMED = "Läsombud i alla klasser"


class Scene:
    """What the cells need, made when first asked for, inside the test's transaction."""

    def __init__(self, organisation, personas, goal, area, other_area):
        self.organisation = organisation
        self.personas = personas
        self.goal = goal
        self.area = area  # "Läsfrämjande i F–6", Tengbergsskolan F–6's
        self.other_area = other_area  # "Trygg hemtjänst med välfärdsteknik", Hemtjänsten's

    def unit(self, name: str) -> OrgUnit:
        return OrgUnit.objects.get(organisation=self.organisation, name=name)

    @cached_property
    def school_activity(self) -> Activity:
        return Activity.objects.get(organisation=self.organisation, title="Läsombud i varje klass")

    @cached_property
    def cross(self) -> Activity:
        return services.activity_create(
            organisation=self.organisation,
            created_by=self.personas["outsider"],
            title="Högläsning för äldre i hemtjänsten",
            owner_unit=self.unit("Hemtjänsten"),
            responsible=self.personas["medledare"],
            nodes=[self.other_area],
            start=date(2026, 2, 1),
            end=date(2026, 5, 31),
        )

    def exists(self, activity: Activity) -> bool:
        return Activity.objects.filter(pk=activity.pk).exists()


def form_data(activity: Activity, **changes) -> dict:
    """Everything the whole form posts, as the activity is now, with `changes`."""
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


# --- reading ---------------------------------------------------------------------------------


@action("activities:activities")
def list_page(client, s):
    response = client.get(reverse("activities:activities"))
    return response, rendered(response, "activities/activity_list.html") and (
        s.school_activity.get_absolute_url() in text(response)
    )


@action("activities:activities")
def list_filtered(client, s):
    """ "What do we do for digitalisering?" """
    response = client.get(reverse("activities:activities"), {"princip": "digitalisering"})
    return response, rendered(response, "activities/activity_list.html") and (
        "Digitala tillsynsbesök nattetid" in text(response)
        and s.school_activity.title not in text(response)
    )


@action("activities:activity")
def detail(client, s):
    response = client.get(s.school_activity.get_absolute_url())
    return response, rendered(response, "activities/activity_detail.html") and (
        s.school_activity.result in text(response)
    )


@action("activities:activity")
def detail_history(client, s):
    response = client.get(s.school_activity.get_absolute_url())
    return response, rendered(response, "activities/activity_detail.html") and (
        'id="history-heading"' in text(response)
    )


@action("planning:node")
def goal_page_activities(client, s):
    response = client.get(s.goal.get_absolute_url())
    return response, rendered(response, "planning/node_detail.html") and (
        s.school_activity.get_absolute_url() in text(response)
    )


@action("planning:principle")
def principle_activities(client, s):
    principle = Principle.objects.get(organisation=s.organisation, key="digitalisering")
    response = client.get(principle.get_absolute_url())
    return response, rendered(response, "planning/principle_detail.html") and (
        "?princip=digitalisering" in text(response)
    )


# --- planning a new one ---------------------------------------------------------------------


@action("activities:activity_add")
def new_form(client, s):
    response = client.get(reverse("activities:activity_add"))
    return response, rendered(response, "activities/activity_create.html") and (
        'name="owner_unit"' in text(response)
    )


@action("activities:activity_add", success=302)
def plan_for_school(client, s):
    title = "Högläsning i förskoleklass"
    response = client.post(
        reverse("activities:activity_add"),
        {
            "title": title,
            "owner_unit": s.unit("Tengbergsskolan F–6").pk,
            "nodes": [s.area.pk],
            "start": "2026-01-12",
            "status": "planned",
            "progress": "0",
        },
    )
    return response, Activity.objects.filter(organisation=s.organisation, title=title).exists()


# --- the school's activity --------------------------------------------------------------------


@action("activities:activity_edit")
def edit_form(client, s):
    response = client.get(reverse("activities:activity_edit", args=[s.school_activity.pk]))
    return response, rendered(response, "activities/activity_form.html") and (
        'name="title"' in text(response)
    )


@action("activities:activity_edit", success=302)
def edit(client, s):
    activity = s.school_activity
    response = client.post(
        reverse("activities:activity_edit", args=[activity.pk]),
        form_data(activity, title=RENAMED),
    )
    activity.refresh_from_db()
    return response, activity.title == RENAMED


@action("activities:activity_delete")
def remove_form(client, s):
    response = client.get(reverse("activities:activity_delete", args=[s.school_activity.pk]))
    return response, rendered(response, "activities/activity_delete.html")


@action("activities:activity_delete", success=302)
def remove(client, s):
    response = client.post(reverse("activities:activity_delete", args=[s.school_activity.pk]))
    return response, not s.exists(s.school_activity)


# --- the cross one ----------------------------------------------------------------------------


@action("activities:activity_edit")
def report_form_cross(client, s):
    response = client.get(reverse("activities:activity_edit", args=[s.cross.pk]))
    return response, rendered(response, "activities/activity_form.html") and (
        'name="progress"' in text(response)
    )


@action("activities:activity_edit", success=302)
def report_cross(client, s):
    response = client.post(
        reverse("activities:activity_edit", args=[s.cross.pk]),
        form_data(s.cross, status="ongoing", progress="30", result="Två besök hittills."),
    )
    s.cross.refresh_from_db()
    return response, (s.cross.status, s.cross.progress) == ("ongoing", 30)


@action("activities:activity_edit", success=302)
def rename_cross(client, s):
    response = client.post(
        reverse("activities:activity_edit", args=[s.cross.pk]),
        form_data(s.cross, title="Läsvänner"),
    )
    s.cross.refresh_from_db()
    return response, s.cross.title == "Läsvänner"


@action("activities:activity_delete", success=302)
def remove_cross(client, s):
    response = client.post(reverse("activities:activity_delete", args=[s.cross.pk]))
    return response, not s.exists(s.cross)


# --- the matrix -------------------------------------------------------------------------------


@pytest.fixture
def scene(grastorp, personas, goal, area, other_area) -> Scene:
    return Scene(grastorp, personas, goal, area, other_area)


@pytest.mark.parametrize("name, persona", cells(MATRIX, ACTIONS))
def test_matrix(scene, personas, name, persona):
    client = make_browser(personas)(persona)
    check_cell(ACTIONS[name], client, scene, MATRIX[name][persona])


def test_every_view_of_the_activities_is_in_the_matrix():
    from tillit.activities.urls import urlpatterns

    assert view_names("activities", urlpatterns) <= {a.view for a in ACTIONS.values()}


# --- the rules themselves, as the views ask them: rules.has_perm(rule, user, obj) --------------

RULE_ASKED: dict[str, tuple[str, str]] = {
    "read_activities": ("activities.read_activities", "grastorp"),
    "read_activity": ("activities.read_activity", "school"),
    "view_history": ("activities.view_history", "school"),
    "plan_activity": ("activities.plan_activity", "grastorp"),
    "edit_school": ("activities.edit_activity", "school"),
    "remove_school": ("activities.remove_activity", "school"),
    "report_school": ("activities.report_progress", "school"),
    "edit_cross": ("activities.edit_activity", "cross"),
    "report_cross": ("activities.report_progress", "cross"),
}

# fmt: off
RULES: dict[str, dict[str, str]] = {
    #                           anon förtr strat vchef echef medl outs admin annan
    "read_activities":      row("✗", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✗"),
    "read_activity":        row("✗", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✗"),
    "view_history":         row("✗", "✓", "✓", "✓", "✓", "✓", "✓", "✓", "✗"),
    "plan_activity":        row("✗", "✗", "✓", "✓", "✓", "✓", "✓", "✗", "✗"),
    "edit_school":          row("✗", "✗", "✓", "✓", "✓", "✓", "✗", "✗", "✗"),
    "remove_school":        row("✗", "✗", "✓", "✓", "✓", "✓", "✗", "✗", "✗"),
    "report_school":        row("✗", "✗", "✓", "✓", "✓", "✓", "✗", "✗", "✗"),
    "edit_cross":           row("✗", "✗", "✓", "✗", "✗", "✗", "✓", "✗", "✗"),
    "report_cross":         row("✗", "✗", "✓", "✗", "✗", "✓", "✓", "✗", "✗"),
}
# fmt: on


def rule_object(key: str, scene: Scene):
    if key == "grastorp":
        return scene.organisation
    if key == "school":
        return scene.school_activity
    return scene.cross


@pytest.mark.parametrize(
    "name, persona", [pytest.param(n, p, id=f"{n}-{p}") for n in RULES for p in PERSONAS]
)
def test_rule(scene, personas, name, persona):
    rule, key = RULE_ASKED[name]
    user = make_user(personas, persona)
    granted = rules.has_perm(rule, user, rule_object(key, scene))
    assert (YES if granted else NO) == RULES[name][persona]


def test_a_superuser_is_granted_everything_by_user_has_perm_but_not_by_the_rules(scene):
    """Why the activities ask `rules.has_perm`: Django grants a superuser every permission."""
    admin = make_user({}, "admin")
    assert admin.has_perm("activities.edit_activity", scene.school_activity)
    assert not rules.has_perm("activities.edit_activity", admin, scene.school_activity)
