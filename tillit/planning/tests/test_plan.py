from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.core.concurrency import EditConflict
from tillit.core.models import Body, Decision, Organisation, OrgUnit
from tillit.planning import services
from tillit.planning.models import Level, PlanNode, SteeringDocument
from tillit.planning.selectors import plan_tree

pytestmark = pytest.mark.django_db


def kf_93() -> Decision:
    return Decision.objects.get(body__abbreviation="KF", paragraph="93")


# --- the structure is data -------------------------------------------------------------


def test_levels_nest_as_the_municipality_configured_them(grastorp, goal):
    keys = {level.key: level for level in Level.objects.filter(organisation=grastorp)}
    assert keys["goal"].parent == keys["focus_area"]
    assert keys["focus_area"].parent == keys["perspective"]
    assert keys["area"].parent == keys["goal"]
    assert goal.level == keys["goal"]
    assert str(goal) == f"Mål 1: {goal.title}"


def test_a_goal_cannot_hang_directly_under_a_perspective(grastorp, goal):
    perspective = goal.parent.parent
    misplaced = PlanNode(
        organisation=grastorp,
        document=goal.document,
        level=goal.level,
        parent=perspective,
        number=9,
        title="Felplacerat mål",
    )
    with pytest.raises(ValidationError) as error:
        misplaced.full_clean()
    assert "parent" in error.value.message_dict


def test_an_area_needs_a_unit_and_a_year_within_the_mandate_period(grastorp, goal):
    area_level = Level.objects.get(organisation=grastorp, key="area")
    area = PlanNode(
        organisation=grastorp,
        document=goal.document,
        level=area_level,
        parent=goal,
        title="Område utan ägare",
        year=2031,
    )
    with pytest.raises(ValidationError) as error:
        area.full_clean()
    assert set(error.value.message_dict) >= {"owner_unit", "year"}


def test_another_municipality_can_nest_levels_its_own_way():
    """A municipality without focus areas: nämndmål under kommunfullmäktiges mål."""
    org = Organisation.objects.create(slug="exempel", name="Exempels kommun")
    kf_goal = Level.objects.create(
        organisation=org,
        key="council_goal",
        name="Kommunfullmäktiges mål",
        name_plural="Kommunfullmäktiges mål",
        owner="political",
        lifetime="mandate",
        numbered=True,
    )
    committee_goal = Level.objects.create(
        organisation=org,
        key="committee_goal",
        name="Nämndmål",
        name_plural="Nämndmål",
        parent=kf_goal,
        owner="political",
        lifetime="year",
        numbered=True,
        order=1,
    )
    doc = SteeringDocument.objects.create(
        organisation=org, title="Mål och budget", start_year=2027, end_year=2030
    )
    top = PlanNode.objects.create(
        organisation=org, document=doc, level=kf_goal, number=1, title="Trygg kommun"
    )
    sub = PlanNode(
        organisation=org,
        document=doc,
        level=committee_goal,
        parent=top,
        number=1,
        year=2027,
        title="Fler trygghetsvandringar",
    )
    sub.full_clean()
    sub.save()
    tree = plan_tree(doc)
    assert [item.node for item in tree.roots] == [top]
    assert [item.node for item in tree.roots[0].children] == [sub]
    html = render_to_string("planning/_tree.html", {"tree": tree})
    assert "Kommunfullmäktiges mål 1: Trygg kommun" in html
    assert "Fler trygghetsvandringar" in html


def test_an_adopted_steering_document_must_name_its_decision(grastorp):
    doc = SteeringDocument(
        organisation=grastorp,
        title="Inriktningsdokument 2028–2031",
        start_year=2028,
        end_year=2031,
        status="adopted",
    )
    with pytest.raises(ValidationError):
        doc.full_clean()


# --- organisation ----------------------------------------------------------------------


def test_decisions_are_cited_as_in_the_minutes(grastorp):
    assert kf_93().reference == "KF 2023-11-27 § 93"


def test_the_same_paragraph_cannot_be_recorded_twice(client_as, grastorp):
    kf = Body.objects.get(organisation=grastorp, abbreviation="KF")
    response = client_as("strateg").post(
        reverse("core:decision_add"),
        {"body": kf.pk, "date": "2023-11-27", "paragraph": "93", "title": "Dubblett"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Decision.objects.filter(body=kf, paragraph="93").count() == 1


def test_a_role_at_an_operation_covers_the_units_beneath_it(personas):
    from tillit.core.rules import has_unit

    school = OrgUnit.objects.get(name="Tengbergsskolan F–6")
    home_care = OrgUnit.objects.get(name="Hemtjänsten")
    assert has_unit(personas["verksamhetschef"], school)
    assert has_unit(personas["enhetschef"], school)
    assert not has_unit(personas["enhetschef"], school.parent)
    assert not has_unit(personas["outsider"], school)
    assert has_unit(personas["outsider"], home_care)


def test_moving_a_unit_moves_everything_beneath_it(grastorp):
    school = OrgUnit.objects.get(name="Tengbergsskolan F–6")
    care = OrgUnit.objects.get(name="Vård och omsorg")
    teams = list(school.children.all())
    school.parent = care
    school.full_clean()
    school.save()
    for team in teams:
        team.refresh_from_db()
        assert team.path.startswith(care.path)
    assert school in care.subtree()


# --- changing the plan -----------------------------------------------------------------


def test_a_political_change_records_its_decision_in_the_history(personas, goal):
    services.node_update(
        node=goal,
        changed_by=personas["strateg"],
        expected_version=goal.version,
        decision=kf_93(),
        description="Ny inriktning för skolan.",
    )
    latest = goal.history.latest()
    assert latest.history_change_reason == "KF 2023-11-27 § 93"
    assert latest.history_user == personas["strateg"]
    assert latest.description == "Ny inriktning för skolan."


def test_a_political_change_without_a_decision_is_refused(personas, goal):
    with pytest.raises(ValidationError):
        services.node_update(
            node=goal, changed_by=personas["strateg"], expected_version=goal.version, title="X"
        )
    goal.refresh_from_db()
    assert goal.title != "X"


def test_operations_cannot_change_a_goal_even_through_the_service(personas, goal):
    with pytest.raises(PermissionDenied):
        services.node_update(
            node=goal,
            changed_by=personas["verksamhetschef"],
            expected_version=goal.version,
            decision=kf_93(),
            title="Eget mål",
        )


def test_a_stale_edit_is_detected_not_saved(personas, area):
    stale_version = area.version
    services.node_update(
        node=area, changed_by=personas["enhetschef"], expected_version=stale_version, title="A"
    )
    other_copy = PlanNode.objects.get(pk=area.pk)
    with pytest.raises(EditConflict) as conflict:
        services.node_update(
            node=other_copy,
            changed_by=personas["medledare"],
            expected_version=stale_version,
            title="B",
        )
    assert conflict.value.current.title == "A"
    area.refresh_from_db()
    assert area.title == "A"


def test_the_second_editor_sees_both_versions(client_as, area):
    url = reverse("planning:node_edit", args=[area.pk])
    data = {
        "version": area.version,
        "description": "",
        "owner_unit": area.owner_unit_id,
        "year": area.year,
    }
    assert client_as("enhetschef").post(url, {**data, "title": "Rektorns titel"}).status_code == 302
    response = client_as("medledare").post(url, {**data, "title": "Medledarens titel"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rektorns titel" in page and "Medledarens titel" in page
    area.refresh_from_db()
    assert area.title == "Rektorns titel"
    # Saving again, now knowing the other version, keeps theirs.
    resubmit = {**data, "version": area.version, "title": "Medledarens titel"}
    assert client_as("medledare").post(url, resubmit).status_code == 302
    area.refresh_from_db()
    assert area.title == "Medledarens titel"


def test_the_history_is_shown_on_the_goal_page(client_as, personas, goal):
    services.node_update(
        node=goal,
        changed_by=personas["strateg"],
        expected_version=goal.version,
        decision=kf_93(),
        description="Historisk beskrivning.",
    )
    page = client_as("fortroendevald").get(goal.get_absolute_url()).content.decode()
    assert "Historisk beskrivning." in page
    assert "KF 2023-11-27 § 93" in page
    assert personas["strateg"].get_full_name() in page


def test_changing_the_agenda_2030_goals_is_kept_in_history(personas, goal):
    before = sorted(s.number for s in goal.sdgs.all())
    records = goal.history.count()
    services.node_update(
        node=goal,
        changed_by=personas["strateg"],
        expected_version=goal.version,
        decision=kf_93(),
        sdgs=list(goal.sdgs.filter(number__in=[4])),
    )
    assert [s.number for s in goal.sdgs.all()] == [4]
    assert before != [4]
    # One change, one history record, holding the new set.
    assert goal.history.count() == records + 1
    assert [s.sdgs.count() for s in goal.history.all()[:1]] == [1]


def test_a_conflicting_edit_leaves_the_agenda_2030_goals_alone(personas, goal):
    before = sorted(s.number for s in goal.sdgs.all())
    with pytest.raises(EditConflict):
        services.node_update(
            node=goal,
            changed_by=personas["strateg"],
            expected_version=goal.version - 1,
            decision=kf_93(),
            sdgs=list(goal.sdgs.filter(number__in=[4])),
        )
    assert sorted(s.number for s in goal.sdgs.all()) == before


# --- pages -----------------------------------------------------------------------------


def test_the_start_page_shows_the_vision_and_all_ten_goals(client, grastorp):
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert "Vi välkomnar framtiden, vi välkomnar förändring och vi välkomnar dig." in page
    goals = PlanNode.objects.filter(organisation=grastorp, level__key="goal")
    assert goals.count() == 10
    for goal in goals:
        assert goal.get_absolute_url() in page
    assert 'class="sdg sdg--17"' in page


def test_a_draft_document_is_not_public(client, client_as, grastorp):
    doc = SteeringDocument.objects.create(
        organisation=grastorp,
        title="Inriktningsdokument 2028–2031",
        start_year=2028,
        end_year=2031,
    )
    assert client.get(doc.get_absolute_url()).status_code == 404
    assert client_as("fortroendevald").get(doc.get_absolute_url()).status_code == 200
    # The public start page still shows the adopted one.
    assert "Inriktningsdokument 2024–2027" in client.get(reverse("home")).content.decode()


def _big_plan(goals_per_focus: int) -> SteeringDocument:
    """A synthetic municipality: 2 perspectives × 5 focus areas × N goals."""
    org = Organisation.objects.create(slug=f"stor-{goals_per_focus}", name="Storstad")
    levels = {}
    parent = None
    for order, key in enumerate(["perspective", "focus_area", "goal"]):
        levels[key] = parent = Level.objects.create(
            organisation=org,
            key=key,
            name=key.title(),
            name_plural=key.title(),
            parent=parent,
            owner="political",
            lifetime="mandate",
            numbered=True,
            order=order,
        )
    council = Body.objects.create(organisation=org, kind="council", name="KF", abbreviation="KF")
    decision = Decision.objects.create(
        organisation=org, body=council, date="2023-11-27", paragraph="1", title="Plan"
    )
    doc = SteeringDocument.objects.create(
        organisation=org,
        title="Plan",
        start_year=2024,
        end_year=2027,
        status="adopted",
        decision=decision,
    )
    common = {"organisation": org, "document": doc}
    goals = []
    for p in range(1, 3):
        perspective = PlanNode.objects.create(
            level=levels["perspective"], number=p, title=f"P{p}", **common
        )
        for f in range(1, 6):
            focus = PlanNode.objects.create(
                level=levels["focus_area"], parent=perspective, number=f, title=f"F{f}", **common
            )
            goals += [
                PlanNode(level=levels["goal"], parent=focus, number=g, title=f"G{g}", **common)
                for g in range(1, goals_per_focus + 1)
            ]
    created = PlanNode.objects.bulk_create(goals)
    through = PlanNode.sdgs.through
    through.objects.bulk_create(
        [through(plannode_id=g.pk, sustainabledevelopmentgoal_id=1 + g.pk % 17) for g in created]
    )
    return doc


def _queries_for(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_tree_costs_the_same_queries_for_10_goals_and_for_1000(client):
    small, large = _big_plan(1), _big_plan(100)
    small_count, small_page = _queries_for(client, small.get_absolute_url())
    large_count, large_page = _queries_for(client, large.get_absolute_url())
    assert small_page.count('class="goal"') == 10
    assert large_page.count('class="goal"') == 1000
    assert small_count == large_count


def test_the_start_page_costs_the_same_queries_as_the_plan_grows(client_as, grastorp, goal):
    client = client_as("strateg")
    before, _ = _queries_for(client, reverse("home"))
    focus = goal.parent
    PlanNode.objects.bulk_create(
        PlanNode(
            organisation=grastorp,
            document=goal.document,
            level=goal.level,
            parent=focus,
            number=n,
            title=f"Extra mål {n}",
        )
        for n in range(10, 1000)
    )
    after, page = _queries_for(client, reverse("home"))
    assert page.count('class="goal"') == 1000
    assert after == before


def test_a_goal_number_already_used_is_refused_with_a_message(client_as, goal):
    response = client_as("strateg").post(
        reverse("planning:node_create", args=[goal.parent.pk, "goal"]),
        {"number": 1, "title": "Dubblett", "decision": kf_93().pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not PlanNode.objects.filter(title="Dubblett").exists()


def test_the_structure_page_shows_the_levels_and_who_decides(client, client_as, grastorp):
    page = client.get(reverse("planning:structure")).content.decode()
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    for name in ["Vision", "Perspektiv", "Fokusområde", "Mål", "Område", "Verksamhetsmått"]:
        assert f"{name}<" in rows or f"{name} <" in rows or f"> {name}" in rows
    # Who decides, in words: the goal row says politics, the area row operations.
    goal_row = rows[rows.index("└ </span>Mål") :].split("</tr>")[0]
    area_row = rows[rows.index("└ </span>Område") :].split("</tr>")[0]
    assert "Beslutas politiskt" in goal_row
    assert "Beslutas av verksamheten" in area_row
    assert 'id="history-heading"' not in page
    staff_page = client_as("strateg").get(reverse("planning:structure")).content.decode()
    assert 'id="history-heading"' in staff_page
