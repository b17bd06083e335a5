"""The committees' dialogues in a real browser, every page checked with axe-core.

The clock of the dialogues is set to 22 November 2026 (the live server runs in this
process), so "held", "planned" and "plan now" do not depend on the day the tests run.
The interface's texts are looked up through gettext, as the pages render them; the demo's
texts are Swedish data.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TRADE_GOAL = "Vi skapar förutsättningar för ett grönskande näringsliv och besöksnäring"


@pytest.fixture
def november_2026(monkeypatch):
    from tillit.dialogues import clock

    moment = timezone.make_aware(datetime(2026, 11, 22, 12))
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


@pytest.fixture
def demo_meetings(grastorp):
    from tillit.dialogues.models import Meeting

    return {
        (m.body.abbreviation, m.starts_at.year, m.title): m
        for m in Meeting.objects.filter(organisation=grastorp).select_related("body")
    }


def test_a_visitor_reads_the_overview_an_annual_plan_and_an_approved_record(
    page, live_server, grastorp, november_2026, visit, follow
):
    visit(page, "/dialoger/?ar=2026")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2026")
    main = page.locator("main")
    expect(main).to_contain_text(TRADE_GOAL)
    expect(main).to_contain_text(gettext("Missing – plan now"))
    assert main.get_by_role("link", name=gettext("Plan a dialogue")).count() == 0

    follow(main.locator(".dialogue-bodies").get_by_role("link", name="(VU)"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utskottet för välfärdsutveckling")
    follow(
        page.locator("main table")
        .first.get_by_role("link", name="Dialog om utbildning och ett gott liv i alla åldrar")
        .first
    )
    expect(page.locator("main")).to_contain_text("Ingrid Bergström")
    follow(page.get_by_role("link", name=gettext("Read the record")))
    expect(page.locator("main")).to_contain_text("Arbetet med läsning och studiehandledning")
    expect(page.locator("main")).to_contain_text("Ordförande, VU; Ledamot, KF (C)")
    expect(page.locator("main code.checksum")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    assert page.locator("main form").count() == 0


def test_a_visitor_does_not_find_a_draft_record(
    page, live_server, grastorp, november_2026, demo_meetings, visit
):
    meeting = demo_meetings[("VU", 2026, "Dialog om folkhälsa och ekonomisk hållbarhet")]
    visit(page, f"/dialoger/mote/{meeting.pk}/")
    expect(page.locator("main")).to_contain_text(gettext("No approved record yet."))
    response = visit(page, f"/dialoger/mote/{meeting.pk}/protokoll/")
    assert response.status == 404


def test_the_strategist_plans_a_missing_dialogue_and_the_chair_approves_its_record(
    page, new_page, live_server, grastorp, november_2026, visit, follow, login
):
    login(page, live_server, "strateg")
    visit(page, "/dialoger/?ar=2026")
    row = page.locator("main table tr", has_text=TRADE_GOAL)
    follow(row.get_by_role("link", name=gettext("Plan a dialogue")))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        gettext("New meeting in the annual plan")
    )
    expect(page.get_by_label(TRADE_GOAL, exact=False)).to_be_checked()
    page.get_by_label(gettext("Title")).fill("Dialog om näringslivet")
    page.get_by_label(gettext("Date")).fill("2026-11-18")
    page.get_by_label(gettext("Starts at")).fill("13:00")
    page.get_by_label(gettext("Ends at")).fill("15:00")
    page.get_by_role("textbox", name=gettext("Place")).fill("Sessionssalen, kommunhuset")
    follow(page.get_by_role("button", name=gettext("Save")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dialog om näringslivet")
    expect(page.locator("main")).to_contain_text(TRADE_GOAL)

    # Edit, and look at the removal page without removing.
    follow(page.get_by_role("link", name=gettext("Edit"), exact=True))
    page.get_by_role("textbox", name=gettext("Place")).fill("Lilla sessionssalen, kommunhuset")
    follow(page.get_by_role("button", name=gettext("Save")))
    expect(page.locator("main")).to_contain_text("Lilla sessionssalen")
    follow(page.get_by_role("link", name=gettext("Remove"), exact=True))
    follow(page.get_by_role("link", name=gettext("Cancel")))

    follow(page.get_by_role("button", name=gettext("Start the record")))
    expect(page.locator("main")).to_contain_text(gettext("The follow-up material"))
    page.get_by_label("Bengt Olsson", exact=False).check()
    page.get_by_label("Mikael Strand", exact=False).check()
    page.get_by_label(gettext("What was discussed")).fill(
        "Kommunledningskontoret redovisade företagsfrukostarna och besöksnäringens önskemål."
    )
    page.get_by_label(gettext("Shared understanding")).fill(
        "Besöksnäringen ska vara med i dialogen med näringslivet."
    )
    page.get_by_label(gettext("Next steps")).fill("Ett gemensamt forum startar i januari.")
    follow(page.get_by_role("button", name=gettext("Save as draft")))
    expect(page.locator(".messages")).to_contain_text(
        gettext("The record has been saved as a draft.")
    )
    follow(page.get_by_role("button", name=gettext("Refresh the material")))
    expect(page.locator(".messages")).to_contain_text(
        gettext("The material has been gathered again.")
    )
    assert page.get_by_role("button", name=gettext("Approve")).count() == 0
    record_url = page.url

    chair = new_page()
    login(chair, live_server, "bengt.olsson")
    visit(chair, record_url)
    follow(chair.get_by_role("button", name=gettext("Approve")))
    expect(chair.locator(".messages")).to_contain_text(
        gettext("The record has been approved. It is now locked and available to the reports.")
    )
    expect(chair.locator("main")).to_contain_text("Besöksnäringen ska vara med i dialogen")
    expect(chair.locator("main")).to_contain_text("Mikael Strand")
    assert chair.locator("main form.form").count() == 0

    visit(chair, "/dialoger/?ar=2026")
    row = chair.locator("main table tr", has_text=TRADE_GOAL)
    expect(row).to_contain_text(gettext("Held"))


def test_a_committee_chair_sets_the_goals_of_her_committee(
    page, live_server, grastorp, november_2026, visit, follow, login
):
    login(page, live_server, "fortroendevald")
    visit(page, "/dialoger/2026/VU/")
    follow(page.get_by_role("link", name=gettext("The committee's goals")))
    expect(page.get_by_label("Perspektiv 2: Välfärdsutveckling")).to_be_checked()
    follow(page.get_by_role("button", name=gettext("Save")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utskottet för välfärdsutveckling")


def test_a_planned_meetings_record_page_offers_to_start_it(
    page, live_server, grastorp, november_2026, demo_meetings, visit, login
):
    meeting = demo_meetings[("PU", 2026, "Dialog om värdskap och medledarskap")]
    login(page, live_server, "strateg")
    visit(page, f"/dialoger/mote/{meeting.pk}/protokoll/")
    expect(page.get_by_role("button", name=gettext("Start the record"))).to_be_visible()
