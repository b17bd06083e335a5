"""The portal's pages as a visitor gets them: what each shows, and that every answer is
the same for everyone, cacheable and conditional."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tillit.core.choices import Fulfilment
from tillit.measures.choices import MeasureStatus

pytestmark = pytest.mark.django_db


def _public_measure(grastorp, title: str):
    from tillit.portal import public

    return public.public_measures(grastorp).get(title=title)


@pytest.fixture
def pages(grastorp, goal, closed_period, approved_report):
    """One address of every kind of portal page."""
    from tillit.portal import public

    measure = public.public_measures(grastorp).filter(node=goal).first()
    activity = public.public_activities(grastorp).filter(nodes=goal).first()
    return [
        reverse("portal:home"),
        reverse("portal:goal", args=[goal.pk]),
        reverse("portal:measure", args=[measure.pk]),
        reverse("portal:activity", args=[activity.pk]),
        reverse("portal:principles"),
        reverse("portal:reports"),
        reverse("portal:report", args=[approved_report.pk]),
        reverse("portal:calendar"),
        reverse("portal:calendar_year", args=[2025]),
    ]


def test_the_portal_lives_under_insyn():
    assert reverse("portal:home") == "/insyn/"
    assert reverse("portal:report_file", args=[3, "pdf"]) == "/insyn/rapporter/3/fil.pdf"
    assert reverse("portal:calendar_year", args=[2026]) == "/insyn/arshjul/2026/"


def test_every_page_answers_anonymously_cacheable_and_without_a_cookie(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html"), url
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert control == {"public", "max-age=300"}, url
        assert response["ETag"].startswith('"'), url
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url
        assert b'lang="sv"' in response.content, url


def test_a_repeated_request_gets_not_modified(client, pages):
    for url in pages:
        first = client.get(url)
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304, url
        assert again["ETag"] == first["ETag"]
        assert not again.content
        changed = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')
        assert changed.status_code == 200, url


def test_a_logged_in_person_gets_the_same_bytes_as_everyone(client, client_as, pages):
    for persona in ("strateg", "outsider"):
        staff = client_as(persona)
        for url in pages:
            anonymous = client.get(url)
            logged_in = staff.get(url)
            assert logged_in.content == anonymous.content, (persona, url)
            assert logged_in["ETag"] == anonymous["ETag"]


def test_pages_answer_head_but_refuse_post(client, pages):
    for url in pages:
        assert client.head(url).status_code == 200, url
        assert Client(enforce_csrf_checks=False).post(url).status_code == 405, url


def test_home_shows_vision_mission_the_goals_and_their_latest_assessment(
    client, grastorp, goal, closed_period
):
    from tillit.planning.selectors import current_document, plan_tree

    response = client.get(reverse("portal:home"))
    tree = plan_tree(current_document(grastorp, include_drafts=False))
    vision, mission = tree.statements
    page = response.content.decode()
    assert vision.title in page
    assert mission.description.split("\n")[0][:40] in page
    goals = response.context["tree"]
    shown = {}
    for root in goals.roots:
        for group in root.groups:
            for item in group.leaves:
                shown[item.node.pk] = item.node
    assert goal.pk in shown
    assert shown[goal.pk].public_assessment.period == closed_period
    assert reverse("portal:goal", args=[goal.pk]) in page
    # The status in words, with the period it is from; the other goals are not assessed.
    assert str(Fulfilment.MET.label) in page
    assert closed_period.name in page
    others = [node for pk, node in shown.items() if pk != goal.pk]
    assert others and all(node.public_assessment is None for node in others)
    assert [p.name for p in response.context["principles"]] == [
        "Värdskap",
        "Helhet",
        "Digitalisering",
        "Medledarskap",
        "Innovation",
    ]


def test_home_without_assessments_says_not_yet_assessed(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    tree = response.context["tree"]
    assert all(
        item.node.public_assessment is None
        for root in tree.roots
        for group in root.groups
        for item in group.leaves
    )
    assert "status--grey" in response.content.decode()


def test_goal_page_shows_the_latest_assessment_and_the_earlier_ones(
    client, goal, closed_period, earlier_period
):
    response = client.get(reverse("portal:goal", args=[goal.pk]))
    assert response.status_code == 200
    assert response.context["latest"].period == closed_period
    assert [a.period for a in response.context["earlier"]] == [earlier_period]
    page = response.content.decode()
    assert goal.title in page
    assert "Fler elever läser varje dag." in page
    assert "Läsningen har inte ökat än." in page
    assert closed_period.name in page and earlier_period.name in page


def test_goal_page_shows_its_measures_with_chart_table_target_and_status(client, grastorp, goal):
    from tillit.portal import public

    response = client.get(reverse("portal:goal", args=[goal.pk]))
    rows = response.context["rows"]
    expected = set(public.public_measures(grastorp).filter(node=goal).values_list("pk", flat=True))
    assert {row.measure.pk for row in rows} == expected
    row = next(r for r in rows if r.measure.title.startswith("Andel elever i åk 9"))
    # 2025: 85.4 % against the 2025 plan's target of 88 %.
    assert row.latest.year == 2025 and row.latest.period_kind == "year"
    assert row.target.plan.year == 2025 and row.target.target == 88
    assert row.status == MeasureStatus.NOT_MET
    assert row.chart is not None
    page = response.content.decode()
    assert row.chart["id"] in page
    assert "<svg" in page and "<caption" in page
    assert "85,4" in page
    assert str(MeasureStatus.NOT_MET.label) in page


def test_goal_page_lists_its_public_activities_directly_or_through_its_areas(
    client, grastorp, goal, area
):
    from tillit.activities.models import Activity

    response = client.get(reverse("portal:goal", args=[goal.pk]))
    shown = {a.pk for a in response.context["activities"]}
    direct = set(Activity.objects.filter(nodes=goal).values_list("pk", flat=True))
    through_areas = set(Activity.objects.filter(nodes__parent=goal).values_list("pk", flat=True))
    assert direct and through_areas
    assert set(Activity.objects.filter(nodes=area).values_list("pk", flat=True)) <= through_areas
    assert shown == direct | through_areas
    page = response.content.decode()
    for activity in Activity.objects.filter(pk__in=shown):
        assert reverse("portal:activity", args=[activity.pk]) in page


def test_measure_page_has_chart_data_table_all_values_and_targets(client, grastorp):
    measure = _public_measure(grastorp, "Antal invånare")
    response = client.get(reverse("portal:measure", args=[measure.pk]))
    assert response.status_code == 200
    chart = response.context["chart"]
    assert [row.label for row in chart["table"].rows][:7] == [str(y) for y in range(2019, 2026)]
    values = response.context["values"]
    assert values[0]["label"] == "2025"  # the latest first
    assert len(values) == measure.values.values("year", "period_kind", "period").distinct().count()
    targets = response.context["row"].targets
    assert [(t.plan.year, int(t.target)) for t in targets] == [(2025, 5750), (2026, 5800)]
    page = response.content.decode()
    assert "5\u00a0731" in page  # Swedish thousands separator
    assert "Källa" in page or "Source" in page


def test_a_kolada_measure_cites_kolada(client, grastorp):
    from tillit.measures.choices import Source

    measure = _public_measure(grastorp, "Antal invånare")
    measure.source, measure.kolada_kpi = Source.KOLADA, "N01951"
    measure.save(update_fields=["source", "kolada_kpi"])
    response = client.get(reverse("portal:measure", args=[measure.pk]))
    assert "Kolada" in response.context["source"] and "N01951" in response.context["source"]


def test_a_measure_by_gender_shows_women_and_men(client, grastorp):
    from tillit.measures.models import MeasureValue

    measure = _public_measure(grastorp, "Antal invånare")
    measure.by_gender = True
    measure.save(update_fields=["by_gender"])
    MeasureValue.objects.create(measure=measure, year=2025, gender="K", value=2860)
    MeasureValue.objects.create(measure=measure, year=2025, gender="M", value=2871)
    response = client.get(reverse("portal:measure", args=[measure.pk]))
    latest = response.context["values"][0]
    assert latest["label"] == "2025"
    assert [v.value for v in latest["values"]] == [5731, 2860, 2871]
    headers = response.context["chart"]["table"].headers
    assert len(headers) >= 4  # period, outcome, women, men (and target, trend)
    page = response.content.decode()
    assert "2\u00a0860" in page and "2\u00a0871" in page


def test_activity_page_shows_what_when_status_unit_and_goals_but_no_person(
    client, grastorp, goal, area, personas
):
    from tillit.activities.models import Activity

    activity = Activity.objects.filter(nodes=area).exclude(nodes=goal).first()
    activity.responsible = personas["medledare"]
    activity.result = "Fler elever lånar böcker."
    activity.save(update_fields=["responsible", "result"])
    activity.participants.add(personas["enhetschef"])
    response = client.get(reverse("portal:activity", args=[activity.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert activity.title in page
    assert activity.owner_unit.name in page
    assert "Fler elever lånar böcker." in page
    # Linked through its area: the goal above it is shown, the (internal) area is not.
    assert [node.pk for node in response.context["nodes"]] == [goal.pk]
    assert area.title not in page
    for person in (personas["medledare"], personas["enhetschef"]):
        assert person.get_full_name() not in page
        assert person.username not in page


def test_principles_page_lists_the_five_principles_with_their_commitments(client, grastorp):
    from tillit.planning.models import Commitment

    response = client.get(reverse("portal:principles"))
    principles = response.context["principles"]
    assert len(principles) == 5
    page = response.content.decode()
    for commitment in Commitment.objects.filter(principle__organisation=grastorp):
        assert commitment.text.replace("'", "&#x27;") in page or commitment.text in page


def test_reports_page_lists_the_approved_reports_with_their_decisions_and_files(
    client, approved_report, draft_report, review_report
):
    response = client.get(reverse("portal:reports"))
    assert [r.pk for r in response.context["reports"]] == [approved_report.pk]
    page = response.content.decode()
    assert "§ 47" in page and "§ 39" in page
    for fmt in ("pdf", "docx", "xlsx", "html"):
        assert reverse("portal:report_file", args=[approved_report.pk, fmt]) in page
    assert reverse("portal:report", args=[draft_report.pk]) not in page


def test_report_page_reads_the_frozen_report_without_people(client, approved_report, strateg, goal):
    from tillit.reports.models import ReportSnapshot

    snapshot = ReportSnapshot.objects.get(report=approved_report)
    assert str(strateg) in str(snapshot.data)  # the frozen content names who approved
    response = client.get(reverse("portal:report", args=[approved_report.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert snapshot.checksum in page
    assert "Fler elever läser varje dag." in page  # the goal's approved assessment
    assert str(strateg) not in page
    assert strateg.username not in page
    # Every table of the report scrolls sideways in a region of its own.
    assert page.count('class="portal-scroll"') >= page.count("<table") > 0


def test_calendar_shows_the_years_public_dates_month_by_month(client, grastorp):
    from tillit.calendars.models import CalendarEvent

    CalendarEvent.objects.create(
        organisation=grastorp,
        title="Budgetdialog öppen för alla",
        kind="plan_budget",
        date=date(2026, 3, 12),
        description="Kom och tyck till.",
    )
    response = client.get(reverse("portal:calendar_year", args=[2026]))
    months = response.context["months"]
    assert [m["month"].number for m in months] == list(range(1, 13))
    march = [row["entry"].title for row in months[2]["entries"]]
    assert "Budgetdialog öppen för alla" in march
    page = response.content.decode()
    assert reverse("portal:calendar_year", args=[2025]) in page
    assert reverse("portal:calendar_year", args=[2027]) in page
    assert reverse("calendars:feed_public") in page
    assert "Kom och tyck till." in page


def test_calendar_without_a_year_is_this_years(client):
    from django.utils import timezone

    response = client.get(reverse("portal:calendar"))
    assert response.context["year"] == timezone.localdate().year


def test_calendar_years_out_of_range_are_not_found(client):
    assert client.get("/insyn/arshjul/1066/").status_code == 404
    assert client.get("/insyn/arshjul/9999/").status_code == 404


def test_the_staff_layout_links_to_the_public_portal(client_as):
    response = client_as("strateg").get(reverse("home"))
    assert f'href="{reverse("portal:home")}"' in response.content.decode()
