"""Changing the plan in a browser: politics with a decision, operations in their own units."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

DECISION = "KF 2023-11-27 § 93"
REQUIRED = "Detta fält måste fyllas i."
# The link text follows the translations; the link target does not.
EDIT_LINK = ".node__header a[href$='/andra/']"
EDIT_NAME = re.compile(r"^\s*Redigera\b")
NOT_ALLOWED = re.compile(r"behörighet")


def save_button(page: Page):
    return page.locator("main form.form button[type=submit]")


def test_strateg_changes_a_goal_together_with_a_decision(
    page, live_server, goal, login, visit, follow
):
    old_description = goal.description
    new_description = "Varje elev får lära sig mer om världen, i dialog med vårdnadshavarna."
    decision = goal.decision
    login(page, live_server, "strateg")

    visit(page, "/")
    follow(page.locator(".tree .goal a", has_text=goal.title))
    expect(page.get_by_role("heading", level=1)).to_contain_text(goal.title)
    edit = page.locator(EDIT_LINK)
    expect(edit).to_have_text(EDIT_NAME)

    follow(edit)
    description = page.locator("textarea[name=description]")
    description.fill(new_description)
    follow(save_button(page))
    decision_field = page.locator(".field--error", has=page.locator("select[name=decision]"))
    expect(decision_field.locator(".errorlist")).to_have_text(REQUIRED)
    expect(decision_field.locator(".errorlist")).to_be_visible()
    expect(page.locator(".form-errors[role=alert]")).to_be_visible()
    expect(description).to_have_value(new_description)
    goal.refresh_from_db()
    assert goal.description == old_description

    decision_select = page.locator("select[name=decision]")
    option = decision_select.locator("option", has_text=DECISION)
    decision_select.select_option(option.get_attribute("value"))
    follow(save_button(page))
    assert page.url.endswith(goal.get_absolute_url())
    expect(page.locator(".node__description")).to_contain_text(new_description)
    history = page.locator("section.history")
    expect(history.get_by_role("heading", level=2)).to_have_text("Historik")
    latest = history.locator(".history__entry").first
    expect(latest).to_contain_text(DECISION)
    expect(latest).to_contain_text("Sara Lindqvist")
    expect(latest.locator("ins")).to_contain_text(new_description)
    goal.refresh_from_db()
    assert goal.description == new_description
    assert goal.decision == decision


def test_enhetschef_edits_own_area_but_not_a_goal_or_another_units_area(
    page, live_server, goal, area, other_area, login, visit, follow, submit
):
    login(page, live_server, "enhetschef")

    visit(page, goal.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(goal.title)
    expect(page.locator("a[href$='/andra/']")).to_have_count(0)
    expect(page.get_by_role("link", name=EDIT_NAME)).to_have_count(0)

    response = visit(page, f"/plan/element/{goal.pk}/andra/")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text(NOT_ALLOWED)
    expect(page.locator("form.form")).to_have_count(0)

    visit(page, goal.get_absolute_url())
    follow(page.locator("main .children").get_by_role("link", name=area.title, exact=True))
    follow(page.locator(EDIT_LINK))
    title = page.locator("input[name=title]")
    title.fill("Läsfrämjande i hela Tengbergsskolan F–6")
    submit(title)
    assert page.url.endswith(area.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Läsfrämjande i hela Tengbergsskolan F–6"
    )
    area.refresh_from_db()
    assert area.title == "Läsfrämjande i hela Tengbergsskolan F–6"

    response = visit(page, f"/plan/element/{other_area.pk}/andra/")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text(NOT_ALLOWED)
    other_title = other_area.title
    other_area.refresh_from_db()
    assert other_area.title == other_title


def test_medledare_creates_an_area_for_their_unit(page, live_server, goal, login, visit, follow):
    from tillit.planning.models import PlanNode

    login(page, live_server, "medledare")
    visit(page, goal.get_absolute_url())
    follow(page.locator(".node__header a[href$='/ny/area/']"))

    page.locator("input[name=title]").fill("Högläsning i årskurs 4–6")
    page.locator("textarea[name=description]").fill("Läraren läser högt en stund varje dag.")
    unit_select = page.locator("select[name=owner_unit]")
    unit_value = unit_select.locator("option", has_text=re.compile(r"Tengbergsskolan F–6$"))
    unit_select.select_option(unit_value.get_attribute("value"))
    page.locator("input[name=year]").fill("2025")
    follow(save_button(page))

    created = PlanNode.objects.get(parent=goal, title="Högläsning i årskurs 4–6")
    assert created.owner_unit.name == "Tengbergsskolan F–6"
    assert created.year == 2025
    assert page.url.endswith(created.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Högläsning i årskurs 4–6")
    expect(page.locator(".facts")).to_contain_text("Tengbergsskolan F–6")


def test_two_people_editing_the_same_area_are_told_of_the_conflict(
    page, new_page, live_server, area, login, visit, follow
):
    old_title, old_description = area.title, area.description
    first, second = page, new_page()
    login(first, live_server, "enhetschef")
    login(second, live_server, "medledare")
    edit_url = f"/plan/element/{area.pk}/andra/"
    visit(first, edit_url)
    visit(second, edit_url)

    first.locator("input[name=title]").fill("Läsfrämjande med skolbiblioteket")
    follow(save_button(first))
    expect(first.get_by_role("heading", level=1)).to_have_text("Läsfrämjande med skolbiblioteket")

    second_description = "Varje klass besöker skolbiblioteket varje vecka."
    second.locator("textarea[name=description]").fill(second_description)
    follow(save_button(second))
    conflict = second.locator(".conflict[role=alert]")
    expect(conflict).to_be_visible()
    rows = conflict.locator("tbody tr")
    expect(rows).to_have_count(2)
    title_row, description_row = rows.nth(0), rows.nth(1)
    expect(title_row.locator("td").nth(0)).to_have_text("Läsfrämjande med skolbiblioteket")
    expect(title_row.locator("td").nth(1)).to_have_text(old_title)
    expect(description_row.locator("td").nth(0)).to_have_text(old_description)
    expect(description_row.locator("td").nth(1)).to_have_text(second_description)
    expect(second.locator("textarea[name=description]")).to_have_value(second_description)
    area.refresh_from_db()
    assert (area.title, area.description) == ("Läsfrämjande med skolbiblioteket", old_description)

    follow(save_button(second))
    assert second.url.endswith(area.get_absolute_url())
    expect(second.locator(".node__description")).to_contain_text(second_description)
    area.refresh_from_db()
    assert (area.title, area.description) == (old_title, second_description)
