"""Activities in a real browser, every page checked with axe-core (no violations): the list
and its filters, an activity, planning, changing, reporting progress, a conflict, removing,
and the activities on a goal's and a principle's page.

The texts are looked up through gettext, as the pages render them.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from tillit.activities.choices import ActivityStatus

pytestmark = pytest.mark.browser


def test_a_politician_finds_what_is_done_for_digitalisering_in_one_click(
    page, live_server, grastorp, login, visit, follow
):
    login(page, live_server, "fortroendevald")
    visit(page, "/principer/digitalisering/")
    section = page.get_by_role("region", name=gettext("Activities that express the principle"))
    expect(section).to_contain_text("Digital planering av hemtjänstens insatser")
    follow(
        section.get_by_role(
            "link", name=gettext("All activities for %(name)s") % {"name": "digitalisering"}
        )
    )
    expect(page.locator("main")).to_contain_text(
        ngettext("%(counter)s activity", "%(counter)s activities", 3) % {"counter": 3}
    )
    expect(page.get_by_label(gettext("Principle"))).to_have_value("digitalisering")
    follow(page.get_by_role("link", name="Digitala tillsynsbesök nattetid"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Digitala tillsynsbesök nattetid")
    expect(page.locator("main")).to_contain_text("42 brukare har valt digital tillsyn nattetid.")
    # She reads; she changes nothing.
    expect(page.get_by_role("link", name=gettext("Edit"), exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name=gettext("Remove"), exact=True)).to_have_count(0)


def test_the_list_filters_by_status_and_year_and_clears_the_filters(
    page, live_server, grastorp, login, visit, follow
):
    login(page, live_server, "medledare")
    visit(page, "/aktiviteter/")
    page.get_by_role("combobox", name=gettext("Status")).select_option(ActivityStatus.ONGOING.value)
    page.get_by_label(gettext("Under way in the year")).select_option("2025")
    follow(page.get_by_role("button", name=gettext("Filter"), exact=True))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("main table")).to_contain_text("Företagsfrukostar")
    follow(page.get_by_role("link", name=gettext("Clear the filters")))
    expect(page.locator("main table tbody tr")).to_have_count(12)


def test_the_school_plans_an_activity_from_the_goal_page_and_reports_it_done(
    page, live_server, goal, login, visit, follow
):
    login(page, live_server, "medledare")
    visit(page, goal.get_absolute_url())
    results = page.get_by_role("region", name=gettext("Activities and results"))
    expect(results.locator(".activity-timeline li")).to_have_count(4)
    expect(results.locator("svg .tillit-chart__span")).to_have_count(1)
    follow(results.get_by_role("link", name=gettext("New activity")))
    expect(page.get_by_label(goal.label)).to_be_checked()
    page.get_by_label(gettext("Title"), exact=False).first.fill("Högläsning i förskoleklass")
    page.get_by_label("Område 2025: Läsfrämjande i F–6").check()
    page.get_by_label("Värdskap", exact=True).check()
    page.get_by_label(gettext("Start date")).fill("2025-09-01")
    page.get_by_label(gettext("End date")).fill("2025-12-19")
    follow(page.get_by_role("button", name=gettext("Save")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Högläsning i förskoleklass")
    expect(page.locator("main")).to_contain_text("Tengbergsskolan F–6")

    follow(page.get_by_role("link", name=gettext("Edit"), exact=True))
    page.get_by_role("combobox", name=gettext("Status")).select_option(ActivityStatus.DONE.value)
    page.get_by_label(gettext("Progress (%)")).fill("100")
    page.get_by_label(gettext("Result")).fill("Alla barn i förskoleklass har fått högläsning.")
    follow(page.get_by_role("button", name=gettext("Save")))
    expect(page.locator(".messages")).to_contain_text(gettext("The changes have been saved."))
    expect(page.locator("main .facts")).to_contain_text(str(ActivityStatus.DONE.label))

    visit(page, goal.get_absolute_url())
    expect(page.locator(".activity-timeline")).to_contain_text("Högläsning i förskoleklass")


def test_the_person_responsible_reports_progress_on_another_units_activity(
    page, live_server, grastorp, personas, other_area, login, visit, follow
):
    from tillit.activities import services
    from tillit.core.models import OrgUnit

    activity = services.activity_create(
        organisation=grastorp,
        created_by=personas["outsider"],
        title="Högläsning för äldre i hemtjänsten",
        owner_unit=OrgUnit.objects.get(organisation=grastorp, name="Hemtjänsten"),
        responsible=personas["medledare"],
        nodes=[other_area],
        start=date(2026, 2, 1),
    )
    login(page, live_server, "medledare")
    visit(page, activity.get_absolute_url())
    follow(page.get_by_role("link", name=gettext("Report progress")))
    expect(page.get_by_label(gettext("Title"), exact=True)).to_have_count(0)
    page.get_by_role("combobox", name=gettext("Status")).select_option(ActivityStatus.ONGOING.value)
    page.get_by_label(gettext("Progress (%)")).fill("30")
    page.get_by_label(gettext("Result")).fill("Två besök med läsande elever.")
    follow(page.get_by_role("button", name=gettext("Save")))
    expect(page.locator("main")).to_contain_text("Två besök med läsande elever.")
    expect(page.locator("main .facts")).to_contain_text("30")


def test_two_people_changing_the_same_activity_are_told_of_the_conflict(
    page, new_page, live_server, grastorp, login, visit, follow
):
    from tillit.activities.models import Activity

    activity = Activity.objects.get(organisation=grastorp, title="Läsombud i varje klass")
    url = f"/aktiviteter/{activity.pk}/redigera/"
    login(page, live_server, "enhetschef")
    visit(page, url)
    other = new_page()
    login(other, live_server, "medledare")
    visit(other, url)

    page.get_by_label(gettext("Title"), exact=False).first.fill("Läsombud i alla klasser")
    follow(page.get_by_role("button", name=gettext("Save")))
    other.get_by_label(gettext("Title"), exact=False).first.fill("Läsombud och läsvänner")
    follow(other.get_by_role("button", name=gettext("Save")))

    conflict = other.locator(".conflict")
    expect(conflict).to_contain_text(gettext("Someone else saved changes while you were editing"))
    expect(conflict).to_contain_text("Läsombud i alla klasser")
    expect(conflict).to_contain_text("Läsombud och läsvänner")
    activity.refresh_from_db()
    assert activity.title == "Läsombud i alla klasser"


def test_removing_an_activity_asks_first(page, live_server, grastorp, login, visit, follow):
    from tillit.activities.models import Activity

    activity = Activity.objects.get(organisation=grastorp, title="Utomhuspass med föreningslivet")
    login(page, live_server, "enhetschef")
    visit(page, activity.get_absolute_url())
    follow(page.get_by_role("link", name=gettext("Remove"), exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(gettext("Remove the activity?"))
    follow(page.locator("main form").get_by_role("button", name=gettext("Remove")))
    expect(page.locator(".messages")).to_contain_text("Utomhuspass med föreningslivet")
    assert not Activity.objects.filter(pk=activity.pk).exists()
