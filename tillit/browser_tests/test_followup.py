"""The follow-up's pages in a real browser, each checked with axe-core (no violations).

The texts are looked up through gettext, as the pages render them.
"""

from __future__ import annotations

import pytest
from django.utils.translation import gettext
from playwright.sync_api import expect

from tillit.core.choices import Fulfilment

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(grastorp):
    from tillit.followup.demo import load_followup_demo

    return load_followup_demo(grastorp)


def test_anonymous_visitor_reads_what_a_closed_period_reported(
    page, live_server, demo, visit, follow, goal
):
    tertial, interim, _annual = demo
    visit(page, "/uppfoljning/")
    expect(page.locator("main")).to_contain_text(tertial.name)
    expect(page.locator("main")).not_to_contain_text(interim.name)
    follow(page.get_by_role("link", name=tertial.name))
    expect(page.get_by_role("heading", level=1)).to_have_text(tertial.name)
    expect(page.locator("main .notice")).to_be_visible()
    follow(page.locator("main table").get_by_role("link", name=goal.label))
    expect(page.locator("main")).to_contain_text("Läsningen ökar i de yngre åldrarna")
    expect(page.locator("main")).to_contain_text("Tengbergsskolan F–6")
    assert page.locator("main form").count() == 0


def test_the_school_writes_and_submits_the_plan_administrator_approves_and_closes(
    page, new_page, live_server, demo, visit, follow, login, goal
):
    _tertial, interim, _annual = demo
    login(page, live_server, "medledare")
    visit(page, "/uppfoljning/att-gora/")
    follow(page.locator("main table").get_by_role("link", name=goal.label).first)
    expect(page.locator("main")).to_contain_text(gettext("Suggestion from the measures:"))
    page.get_by_label(str(Fulfilment.MET.label), exact=True).check()
    page.get_by_label(gettext("Analysis")).fill("Eleverna läser mer och fler lånar böcker.")
    follow(page.get_by_role("button", name=gettext("Save as draft")))
    follow(page.get_by_role("button", name=gettext("Submit for approval")).first)
    expect(page.locator(".messages")).to_contain_text(
        gettext("The assessment has been submitted for approval.")
    )

    admin = new_page()
    login(admin, live_server, "strateg")
    visit(admin, f"/uppfoljning/{interim.pk}/mal/{goal.pk}/")
    follow(admin.get_by_role("button", name=gettext("Approve")).first)
    expect(admin.locator(".messages")).to_contain_text(gettext("The assessment has been approved."))
    visit(admin, f"/uppfoljning/{interim.pk}/stang/")
    follow(admin.get_by_role("button", name=gettext("Close the period for good")))
    expect(admin.locator(".messages")).to_contain_text(interim.name)
    expect(admin.locator("main .notice")).to_be_visible()
    visit(admin, f"/uppfoljning/{interim.pk}/mal/{goal.pk}/")
    expect(admin.locator("main")).to_contain_text("Eleverna läser mer och fler lånar böcker.")
