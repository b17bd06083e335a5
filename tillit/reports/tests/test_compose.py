"""compose(report): the report's content from the data of the Grästorp demo.

The session's demo has the plan, the measures, the activities, the dialogues and the
economy (2025 whole, 2026 January–October) but no follow-up periods: the tests open those
they need with tillit.followup.demo (Tertial 1, Delår jan–aug and Helår 2025).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.activities.models import Activity
from tillit.core.choices import Fulfilment, UnitKind
from tillit.core.models import Body, Organisation, OrgUnit
from tillit.dialogues.choices import RecordState
from tillit.dialogues.models import DialogueRecord, Meeting
from tillit.economy.choices import FinancialIndicator, StatementLine
from tillit.economy.ledger import YearLedger
from tillit.economy.models import Forecast
from tillit.followup import services as followup
from tillit.followup.choices import AssessmentState
from tillit.followup.demo import load_followup_demo
from tillit.followup.models import Assessment, checksum_of
from tillit.followup.selectors import period_goals
from tillit.measures.models import Measure, MeasureTarget, MeasureValue
from tillit.planning.choices import Lifetime, Owner
from tillit.planning.models import (
    Level,
    OperationalPlan,
    PlanNode,
    Principle,
    SteeringDocument,
)
from tillit.reports.compose import compose, missing
from tillit.reports.models import Report, ReportSection
from tillit.reports.services import section_write

NOW = timezone.make_aware(datetime(2026, 3, 2, 9, 30))
ÅK9 = "Andel elever i åk 9 som är behöriga till gymnasiets yrkesprogram"
SCHOOL = "Tengbergsskolan F–6"


# ------------------------------------------------------------------------------ helpers


@pytest.fixture
def periods(grastorp):
    """Tertial 1 (closed, its goal assessed), Delår jan–aug and Helår 2025 (open)."""
    tertial, interim, annual = load_followup_demo(grastorp)
    return {"tertial": tertial, "interim": interim, "annual": annual}


def approve(period, goal, *, unit=None, writer, approver, status=Fulfilment.PARTLY, text="Bra."):
    written = followup.assessment_save(
        assessment=Assessment(period=period, goal=goal, unit=unit),
        written_by=writer,
        expected_version=0,
        status=status,
        analysis=text,
        next_steps="Fortsätt.",
    )
    submitted = followup.assessment_submit(
        assessment=written, submitted_by=writer, expected_version=written.version
    )
    return followup.assessment_approve(
        assessment=submitted, approved_by=approver, expected_version=submitted.version
    )


def goals_of(content) -> list[dict]:
    return [
        goal
        for perspective in content["plan"]["perspectives"]
        for focus_area in perspective["focus_areas"]
        for goal in focus_area["goals"]
    ]


def goal_titled(content, title: str) -> dict:
    return next(goal for goal in goals_of(content) if goal["title"] == title)


def section(content, key: str) -> dict:
    return next(s for s in content["sections"] if s["key"] == key)


def kronor(amount: Decimal) -> str:
    return str(amount.quantize(Decimal("0.01")))


def leaves(value):
    if isinstance(value, dict):
        assert all(isinstance(key, str) for key in value)
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


# ------------------------------------------------------------------------------ the plan


def test_goals_come_in_the_order_of_the_plan_under_their_perspectives(make_report, periods):
    report = make_report("annual", 2025)
    content = compose(report, now=NOW)

    expected = period_goals(periods["annual"])
    assert [goal["id"] for goal in goals_of(content)] == [goal.pk for goal in expected]
    assert [p["title"] for p in content["plan"]["perspectives"]] == [
        "Samhällsutveckling",
        "Välfärdsutveckling",
        "Attraktiv arbetsplats",
    ]
    first = content["plan"]["perspectives"][0]["focus_areas"][0]
    assert first["title"] == "Bo och leva"
    assert first["goals"][0]["title"] == (
        "Vi skapar förutsättningar för kontinuerlig ökning av kommuninnevånare"
    )
    assert content["plan"]["document"] == "Inriktningsdokument 2024–2027"
    assert content["plan"]["decision"] == "KF 2023-11-27 § 93"
    assert content["plan"]["vision"]["title"].startswith("Vi välkomnar framtiden")
    assert "Vi välkomnar dig" in content["plan"]["vision"]["text"]
    assert content["plan"]["mission"]["text"].startswith("Vi skapar en stark känsla")
    assert [p["name"] for p in content["plan"]["principles"]] == list(
        Principle.objects.filter(organisation=report.organisation)
        .order_by("order", "pk")
        .values_list("name", flat=True)
    )
    assert content["followup_period"] == {
        "name": "Helår 2025",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "closed": False,
    }


def test_without_a_period_every_goal_of_the_steering_document_is_shown(grastorp, goal):
    report = Report(organisation=grastorp, kind="annual", year=2026, through_month=12)
    content = compose(report, now=NOW)

    document = SteeringDocument.objects.get(organisation=grastorp, start_year=2024)
    assert {g["id"] for g in goals_of(content)} == set(
        PlanNode.objects.filter(document=document, level__key="goal").values_list("pk", flat=True)
    )
    assert content["followup_period"] is None
    assert all(g["assessment"] is None for g in goals_of(content))
    # the measures with a target in the year's operational plan, all the same
    (measure,) = goal_titled(content, goal.title)["measures"]
    assert (measure["title"], measure["target"], measure["status"]) == (ÅK9, "90", "no_data")
    assert content["goal_summary"]["not_assessed"] == content["goal_summary"]["total"] == 10
    assert _("Goal fulfilment") in {m["section"] for m in content["missing"]}


def test_a_plan_without_focus_areas_puts_its_goals_right_under_the_perspective(db):
    organisation = Organisation.objects.create(slug="utan-fokus", name="Utan fokus kommun")
    perspective_level = Level.objects.create(
        organisation=organisation,
        key="perspective",
        name="Perspektiv",
        name_plural="Perspektiv",
        owner=Owner.POLITICAL,
        lifetime=Lifetime.MANDATE,
        numbered=True,
    )
    goal_level = Level.objects.create(
        organisation=organisation,
        key="goal",
        name="Mål",
        name_plural="Mål",
        parent=perspective_level,
        owner=Owner.POLITICAL,
        lifetime=Lifetime.MANDATE,
        numbered=True,
        order=1,
    )
    document = SteeringDocument.objects.create(
        organisation=organisation, title="Mål 2025–2026", start_year=2025, end_year=2026
    )
    perspective = PlanNode.objects.create(
        organisation=organisation,
        document=document,
        level=perspective_level,
        number=1,
        title="Välfärd",
    )
    PlanNode.objects.create(
        organisation=organisation,
        document=document,
        level=goal_level,
        parent=perspective,
        number=1,
        title="Alla barn läser",
    )

    content = compose(Report(organisation=organisation, kind="interim", year=2025), now=NOW)

    (only,) = content["plan"]["perspectives"]
    assert only["label"] == "Perspektiv 1: Välfärd"
    (areas,) = only["focus_areas"]
    assert (areas["label"], areas["title"]) == ("", "")
    assert [g["label"] for g in areas["goals"]] == ["Mål 1: Alla barn läser"]
    assert content["plan"]["vision"] is None
    assert content["through_month"] == 8


# ------------------------------------------------------------------------------ per goal


def test_an_approved_assessment_shows_with_its_units_and_a_draft_does_not(
    make_report, periods, goal, personas
):
    annual = periods["annual"]
    school = OrgUnit.objects.get(organisation=goal.organisation, name=SCHOOL)
    approve(
        annual,
        goal,
        unit=school,
        writer=personas["enhetschef"],
        approver=personas["strateg"],
        text="Läsningen ökar.",
    )
    approved = approve(
        annual,
        goal,
        writer=personas["strateg"],
        approver=personas["strateg"],
        status=Fulfilment.MET,
        text="Målet nås.",
    )
    other = period_goals(annual)[0]
    followup.assessment_save(
        assessment=Assessment(period=annual, goal=other, unit=None),
        written_by=personas["strateg"],
        expected_version=0,
        status=Fulfilment.NOT_MET,
        analysis="Utkast.",
        next_steps="",
    )

    content = compose(make_report("annual", 2025), now=NOW)

    shown = goal_titled(content, goal.title)
    assert shown["assessment"]["status"] == "met"
    assert shown["assessment"]["analysis"] == "Målet nås."
    assert shown["assessment"]["approved_by"] == str(personas["strateg"])
    assert shown["assessment"]["approved_at"] == (
        timezone.localtime(approved.approved_at).date().isoformat()
    )
    assert [(u["unit"], u["operation"], u["status"]) for u in shown["units"]] == [
        (SCHOOL, "Utbildning", "partly")
    ]
    assert goal_titled(content, other.title)["assessment"] is None
    assert content["goal_summary"] == {
        "met": 1,
        "partly": 0,
        "not_met": 0,
        "not_assessed": 9,
        "total": 10,
    }
    sdg4 = next(s for s in content["sdg_summary"] if s["number"] == 4)
    assert goal.label in sdg4["goals"]
    assert sdg4["counts"]["met"] == 1
    linked = set(
        PlanNode.objects.filter(pk__in=[g["id"] for g in goals_of(content)]).values_list(
            "sdgs__number", flat=True
        )
    )
    assert [s["number"] for s in content["sdg_summary"]] == sorted(linked)


def test_measures_carry_target_latest_value_and_a_yearly_series(make_report, periods, goal):
    content = compose(make_report("annual", 2025), now=NOW)

    (measure,) = [m for m in goal_titled(content, goal.title)["measures"] if m["title"] == ÅK9]
    assert measure["target"] == "88"
    assert measure["latest_value"] == "85.4"
    assert measure["latest_label"] == "2025"
    assert measure["baseline_value"] == "85"
    assert measure["status"] == "not_met"
    assert measure["responsible_unit"] == "Tengbergsskolan 7–9"
    assert measure["series"] == [
        {"year": 2020, "value": "83.5"},
        {"year": 2021, "value": "80.9"},
        {"year": 2022, "value": "84.1"},
        {"year": 2023, "value": "85"},
        {"year": 2024, "value": "86.2"},
        {"year": 2025, "value": "85.4"},
    ]
    assert goal_titled(content, goal.title)["suggestion"] == "not_met"


def test_activities_and_dialogues_are_those_of_the_reports_months(make_report, periods, goal):
    annual = goal_titled(compose(make_report("annual", 2025), now=NOW), goal.title)
    early = goal_titled(compose(make_report("interim", 2025, 4), now=NOW), goal.title)

    assert [a["title"] for a in annual["activities"]] == [
        "Läsombud i varje klass",  # on an area of the goal
        "Bokcirklar i åk 4–6",
        "Studiehandledning på modersmål i åk 7–9",
    ]
    assert annual["activities"][0]["status"] == "done"
    assert annual["activities"][0]["unit"] == SCHOOL
    assert [a["title"] for a in early["activities"]] == ["Läsombud i varje klass"]
    (dialogue,) = annual["dialogues"]
    assert dialogue["date"] == "2025-05-14"
    assert dialogue["title"] == "Dialog om utbildning och ett gott liv i alla åldrar"
    assert dialogue["shared_understanding"].startswith("Läsfrämjandet i de yngre åldrarna")
    assert early["dialogues"] == []  # the meeting was in May


def test_records_of_meetings_not_public_stay_out_of_the_report(make_report, periods, goal):
    Meeting.objects.filter(goals=goal, starts_at__year=2025).update(is_public=False)

    content = compose(make_report("annual", 2025), now=NOW)

    assert goal_titled(content, goal.title)["dialogues"] == []


def test_principles_count_the_periods_activities(make_report, grastorp):
    content = compose(make_report("annual", 2025), now=NOW)

    vardskap = next(p for p in content["principle_summary"] if p["name"] == "Värdskap")
    activities = (
        Activity.objects.filter(principles__key="vardskap", start__lte=date(2025, 12, 31))
        .filter(Q(end__isnull=True) | Q(end__gte=date(2025, 1, 1)))
        .exclude(status="cancelled")
    )
    assert vardskap["activities"] == activities.count()
    assert vardskap["finished"] == activities.filter(status="done").count()
    assert vardskap["examples"][0] == "Läsombud i varje klass"
    assert (
        len(content["principle_summary"]) == Principle.objects.filter(organisation=grastorp).count()
    )


# ------------------------------------------------------------------------------ economy


def test_the_annual_economy_is_the_ledgers_through_december(make_report, grastorp):
    economy = compose(make_report("annual", 2025), now=NOW)["economy"]
    ledger = YearLedger.load(grastorp, 2025)

    assert economy["has_outcome"] is True
    assert economy["latest_month"] == 12
    assert economy["result"] == kronor(ledger.result(12))
    assert economy["budgeted_result"] == kronor(ledger.budgeted_result())
    assert economy["forecast_result"] is None
    statement = ledger.income_statement(12)
    by_label = {row["label"]: row["amount"] for row in economy["income_statement"]}
    assert by_label[str(StatementLine.TAX_REVENUE.label)] == kronor(
        statement[StatementLine.TAX_REVENUE]
    )
    assert economy["income_statement"][-1]["kind"] == "total"
    assert economy["income_statement"][-1]["amount"] == kronor(ledger.result(12))
    totals = [row["amount"] for row in economy["balance_sheet"] if row["kind"] == "total"]
    assert len(totals) == 2 and totals[0] == totals[1]  # the balance sheet balances
    indicators = ledger.indicators(12)
    equity = next(
        i for i in economy["indicators"] if i["label"] == str(FinancialIndicator.EQUITY_RATIO.label)
    )
    assert equity["value"] == str(indicators[FinancialIndicator.EQUITY_RATIO])

    assert [row["name"] for row in economy["operations"]] == [op.name for op in ledger.operations]
    for row, operation in zip(economy["operations"], ledger.operations, strict=True):
        assert row["frame"] == kronor(ledger.frame(operation.pk))
        assert row["outcome"] == kronor(ledger.net_cost_through(operation.pk, 12))
        assert row["forecast"] is None
    total = economy["operations_total"]
    assert total["outcome"] == kronor(
        sum(ledger.net_cost_through(op.pk, 12) for op in ledger.operations)
        + ledger.net_cost_through(None, 12)
    )

    assert [g["assessed_month"] for g in economy["financial_goals"]] == [12, 12, 12, 12]
    assert [b["year"] for b in economy["balance_requirement"]] == [2022, 2023, 2024, 2025]
    assert economy["balance_requirement"][-1]["is_forecast"] is False
    assert economy["balance_requirement"][-1]["balance_result"] == kronor(ledger.result(12))
    assert [(d["year"], d["remaining"]) for d in economy["deficits"]] == [(2022, "0.00")]


def test_the_five_year_overview_reads_each_years_accounts_or_its_review(make_report, grastorp):
    five = compose(make_report("annual", 2025), now=NOW)["economy"]["five_year"]
    ledger = YearLedger.load(grastorp, 2025)

    assert five["years"] == [2021, 2022, 2023, 2024, 2025]
    rows = {row["label"]: row for row in five["rows"]}
    result = rows[_("Result for the year")]
    assert result["unit"] == "mnkr"
    # 2022–2024 from their balance requirement reviews, 2025 from the accounts
    expected = (ledger.result(12) / 1_000_000).quantize(Decimal("0.1"))
    assert result["values"] == [None, "-6.2", "3.1", "9.4", str(expected)]
    share = rows[str(FinancialIndicator.RESULT_SHARE.label)]
    assert share["values"] == [
        None,
        None,
        None,
        None,
        str(ledger.indicators(12)[FinancialIndicator.RESULT_SHARE]),
    ]
    assert rows[_("Balance requirement result")]["values"][:4] == [None, "-7.0", "3.1", "7.0"]


def test_the_interim_economy_has_the_forecasts_at_its_month(make_report, grastorp):
    economy = compose(make_report("interim", 2026, 8), now=NOW)["economy"]
    ledger = YearLedger.load(grastorp, 2026)

    assert economy["latest_month"] == 10
    assert economy["result"] == kronor(ledger.result(8))
    assert economy["forecast_result"] == kronor(ledger.forecast_result(8))
    care = next(row for row in economy["operations"] if row["name"] == "Vård och omsorg")
    forecast = Forecast.objects.get(unit__name="Vård och omsorg", year=2026, month=8)
    assert care["forecast"] == kronor(forecast.amount)
    assert care["comment"] == forecast.comment
    assert care["forecast_deviation"] == kronor(Decimal(care["frame"]) - forecast.amount)
    this_year = economy["balance_requirement"][-1]
    assert (this_year["year"], this_year["is_forecast"]) == (2026, True)
    assert this_year["balance_result"] == kronor(ledger.forecast_result(8))
    assert [g["assessed_month"] for g in economy["financial_goals"]] == [8, 8, 8, 8]
    five = economy["five_year"]
    assert five["years"][-1] == 2026
    balance_row = next(r for r in five["rows"] if r["label"] == _("Balance requirement result"))
    assert balance_row["values"][-1] is None  # a forecast is no balance requirement result


def test_a_month_without_outcome_is_clipped_to_the_latest(make_report, grastorp):
    content = compose(make_report("interim", 2026, 11), now=NOW)
    ledger = YearLedger.load(grastorp, 2026)

    assert content["through_month"] == 11
    assert content["economy"]["latest_month"] == 10
    assert content["economy"]["result"] == kronor(ledger.result(10))
    position = section(content, "financial_position")["title"]
    assert position in {m["section"] for m in content["missing"]}


def test_an_organisation_without_accounts_has_no_economy(db):
    organisation = Organisation.objects.create(slug="utan-konton", name="Utan konton kommun")
    content = compose(Report(organisation=organisation, kind="annual", year=2025), now=NOW)

    assert content["economy"] is None
    assert content["plan"]["perspectives"] == []
    assert content["principle_summary"] == []
    assert content["goal_summary"]["total"] == 0
    no_accounts = _("The municipality keeps no accounts in Tillit.")
    assert {m["section"] for m in content["missing"] if m["message"] == no_accounts} == {
        section(content, key)["title"]
        for key in ("overview", "economic_management", "financial_position", "balance_requirement")
    }
    json.dumps(content, sort_keys=True)


# ------------------------------------------------------------------ sections and the check


def test_an_unsaved_report_has_its_kinds_sections_without_text(grastorp):
    content = compose(Report(organisation=grastorp, kind="interim", year=2026, through_month=8))

    assert [s["key"] for s in content["sections"]] == [
        "foreword",
        "events",
        "economic_management",
        "financial_position",
        "balance_requirement",
        "expected_development",
    ]
    assert all(s["text"] == "" and s["owner"] == "" for s in content["sections"])
    assert content["state"] == "draft"
    assert content["approval"] == ""
    assert content["period_label"] == "januari–augusti 2026"


def test_missing_lists_unwritten_sections_and_unassessed_goals_until_they_are_done(
    make_report, periods, personas, report_keeper
):
    report = make_report("annual", 2025)
    content = compose(report, now=NOW)

    required = [s for s in content["sections"] if s["text_required"]]
    assert [s["key"] for s in required] == [
        "events",
        "economic_management",
        "staff",
        "expected_development",
    ]
    unwritten = {m["section"] for m in content["missing"] if m["message"] == _("No text written.")}
    assert unwritten == {s["title"] for s in required}
    goals = goals_of(content)
    goal_lines = [m for m in content["missing"] if m["section"] == _("Goal fulfilment")]
    assert len(goal_lines) == len(goals) == 10
    assert all(
        goal["label"] in line["message"] for goal, line in zip(goals, goal_lines, strict=True)
    )

    for row in ReportSection.objects.filter(report=report, key__in=[s["key"] for s in required]):
        section_write(section=row, text="Skrivet.", user=report_keeper, expected_version=1)
    for goal in period_goals(periods["annual"]):
        approve(periods["annual"], goal, writer=report_keeper, approver=report_keeper)

    done = compose(Report.objects.get(pk=report.pk), now=NOW)
    assert done["missing"] == []
    assert section(done, "events")["text"] == "Skrivet."
    assert section(done, "events")["owner"] == ""
    assert section(done, "events")["updated_at"] != ""
    assert done["goal_summary"]["partly"] == 10
    assert missing(done) == []


def test_the_same_data_and_moment_give_the_same_plain_json(make_report, periods, personas, goal):
    approve(periods["interim"], goal, writer=personas["strateg"], approver=personas["strateg"])
    report = make_report("interim", 2025)

    first = compose(report, now=NOW)
    second = compose(Report.objects.get(pk=report.pk), now=NOW)

    assert first == second
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert all(isinstance(leaf, str | int | bool | type(None)) for leaf in leaves(first))
    assert first["composed_at"] == NOW.isoformat()
    assert first["format"] == 1


# ------------------------------------------------------------------------------ queries


def _grow(organisation, plan_year: int, period, personas, n: int) -> None:
    """n more goals under the first focus area, each prioritised in the year's plan, with
    two measures (targets, values), two activities, approved assessments and a dialogue;
    and n more verksamheter, each with an enhet that assessed one of the goals."""
    document = SteeringDocument.objects.get(organisation=organisation, start_year=2024)
    focus_area = PlanNode.objects.filter(document=document, level__key="focus_area").first()
    goal_level = Level.objects.get(organisation=organisation, key="goal")
    plan = OperationalPlan.objects.get(organisation=organisation, year=plan_year)
    principles = list(Principle.objects.filter(organisation=organisation))
    committee = Body.objects.get(organisation=organisation, abbreviation="VU")
    administration = OrgUnit.objects.get(
        organisation=organisation, kind=UnitKind.ADMINISTRATION, parent=None
    )
    moment = timezone.make_aware(datetime(plan_year, 6, 1, 9, 0))
    for i in range(n):
        goal = PlanNode.objects.create(
            organisation=organisation,
            document=document,
            level=goal_level,
            parent=focus_area,
            number=90 + i,
            title=f"Tillväxtmål {i}",
        )
        goal.sdgs.add(11)
        plan.goals.add(goal)
        operation = OrgUnit.objects.create(
            organisation=organisation,
            parent=administration,
            kind=UnitKind.OPERATION,
            name=f"Ny verksamhet {i}",
        )
        unit = OrgUnit.objects.create(
            organisation=organisation, parent=operation, kind=UnitKind.UNIT, name=f"Ny enhet {i}"
        )
        for j in range(2):
            measure = Measure.objects.create(
                organisation=organisation, node=goal, title=f"Mått {i}.{j}", unit="%"
            )
            MeasureTarget.objects.create(measure=measure, plan=plan, target=Decimal(50))
            for year in range(plan_year - 2, plan_year + 1):
                MeasureValue.objects.create(measure=measure, year=year, value=Decimal(40 + j))
            activity = Activity.objects.create(
                organisation=organisation,
                title=f"Aktivitet {i}.{j}",
                owner_unit=unit,
                start=date(plan_year, 2, 1),
                status="ongoing",
            )
            activity.nodes.add(goal)
            activity.principles.add(*principles[:2])
        for assessed in (None, unit, operation):
            Assessment.objects.create(
                period=period,
                goal=goal,
                unit=assessed,
                status=Fulfilment.MET,
                analysis="Ja.",
                state=AssessmentState.APPROVED,
                submitted_at=moment,
                approved_at=moment,
                approved_by=personas["strateg"],
            )
        meeting = Meeting.objects.create(
            organisation=organisation, body=committee, title=f"Dialog {i}", starts_at=moment
        )
        meeting.goals.add(goal)
        DialogueRecord.objects.create(
            meeting=meeting,
            shared_understanding="Samsyn.",
            state=RecordState.APPROVED,
            approved_at=moment,
            material_checksum=checksum_of({}),
        )


@pytest.mark.parametrize(("kind", "year", "month"), [("annual", 2025, 12), ("interim", 2025, 8)])
def test_the_number_of_queries_does_not_grow_with_the_data(
    make_report, periods, personas, kind, year, month
):
    report = make_report(kind, year, month)
    period = periods[kind]
    compose(Report.objects.get(pk=report.pk))  # warm the caches (content types and such)

    def count() -> tuple[int, dict]:
        fresh = Report.objects.get(pk=report.pk)
        with CaptureQueriesContext(connection) as queries:
            content = compose(fresh, now=NOW)
        return len(queries.captured_queries), content

    before, small = count()
    _grow(report.organisation, year, period, personas, 4)
    after, large = count()

    assert len(goals_of(large)) == len(goals_of(small)) + 4
    grown = goal_titled(large, "Tillväxtmål 3")
    assert len(grown["measures"]) == 2 and len(grown["activities"]) == 2
    assert grown["assessment"]["status"] == "met" and len(grown["units"]) == 2
    assert len(grown["dialogues"]) == 1
    assert len(large["economy"]["operations"]) == len(small["economy"]["operations"]) + 4
    assert after == before
