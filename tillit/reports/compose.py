"""Composing a report from the data: `compose(report)` gives its content.ReportContent.

Everything a report shows is read here, once, into plain JSON (content.py): the plan with
the year's goals, each with its approved assessments, measures, activities and dialogues;
the summaries by fulfilment, Agenda 2030 goal and principle; the economy from the
accounts; the sections' texts; and what is still missing (`missing`). The reads go
through the apps' selectors, so the report shows what their pages show, and the number of
queries does not grow with the number of goals, measures, activities or verksamheter.

The same data and `now` give the same content: every list has a stated order. Labels are
translated in the active language when composed (the caller activates Swedish), so a
frozen report keeps the words it was approved with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.activities.choices import ActivityStatus
from tillit.activities.models import Activity
from tillit.activities.selectors import (
    activities_for_goals,
    organisation_principles,
    overlapping,
)
from tillit.core.choices import Fulfilment, UnitKind
from tillit.core.models import Organisation, OrgUnit
from tillit.core.selectors import unit_order
from tillit.dialogues.models import DialogueRecord
from tillit.dialogues.selectors import approved_records_by_goal, document_for_year
from tillit.economy.choices import INCOME_STATEMENT_LINES, FinancialIndicator, StatementLine
from tillit.economy.fields import MONTH_NAMES
from tillit.economy.goals import (
    BalanceYear,
    ResultSource,
    balance_years,
    deficit_status,
    goal_rows,
    month_end,
    proposed_fulfilment,
)
from tillit.economy.ledger import ZERO, YearLedger
from tillit.economy.models import Account, BudgetDocument
from tillit.economy.selectors import operation_rows
from tillit.followup.choices import AssessmentState
from tillit.followup.models import GOAL_LEVEL_KEY, Assessment, FollowUpPeriod
from tillit.followup.selectors import fulfilment_from, goal_measure_rows, period_goals
from tillit.measures.choices import Gender, MeasureStatus, PeriodKind
from tillit.measures.models import MeasureValue
from tillit.measures.selectors import MeasureRow, series_points
from tillit.planning.models import PlanNode, Principle, SteeringDocument

from . import content as c
from .choices import ReportKind, ReportState
from .models import Report, ReportSection
from .sections import sections_for

VISION_LEVEL_KEY = "vision"
MISSION_LEVEL_KEY = "mission"
SERIES_YEARS = 6  # a measure's series: at most the last six years up to the report's year
FIVE_YEARS = 5
BALANCE_YEARS_BEFORE = 3  # the balance requirement: the report's year and three before
EXAMPLES = 5  # activity titles per principle
MILLION = Decimal(1_000_000)

_OPERATING = (
    StatementLine.OPERATING_INCOME,
    StatementLine.OPERATING_COST,
    StatementLine.DEPRECIATION,
)
_REVENUE = (StatementLine.TAX_REVENUE, StatementLine.GENERAL_GRANTS)
_FINANCIAL = (StatementLine.FINANCIAL_INCOME, StatementLine.FINANCIAL_COST)
_ASSETS = (
    StatementLine.FIXED_ASSETS,
    StatementLine.INVENTORIES,
    StatementLine.RECEIVABLES,
    StatementLine.SHORT_TERM_INVESTMENTS,
    StatementLine.CASH,
)
_LIABILITIES = (
    StatementLine.PROVISIONS,
    StatementLine.LONG_TERM_LIABILITIES,
    StatementLine.CURRENT_LIABILITIES,
)


# ------------------------------------------------------------------------------ the report


def compose(report: Report, *, now: datetime | None = None) -> c.ReportContent:
    """The report's content as the data says now (an unsaved report has no section texts).

    `now` is the moment written as `composed_at`: pass the approval's moment to freeze."""
    organisation = report.organisation
    kind = ReportKind(report.kind)
    state = ReportState(report.state)
    through = report.through_month or (12 if kind == ReportKind.ANNUAL else 8)
    first, last = date(report.year, 1, 1), month_end(report.year, through)
    period = report.followup_period if report.followup_period_id else None
    document = document_for_year(organisation, report.year)
    goals = _goals(document, period)
    goal_contents = _goal_contents(organisation, report.year, goals, period, last)
    content = c.ReportContent(
        format=c.FORMAT,
        kind=kind.value,
        kind_label=str(kind.label),
        title=f"{kind.label} {report.year}",
        year=report.year,
        through_month=through,
        period_label=period_label(report.year, through),
        organisation=c.OrganisationContent(
            name=organisation.name, municipality_code=organisation.municipality_code
        ),
        state=state.value,
        state_label=str(state.label),
        approval=report.approval.reference if report.approval_id else "",
        composed_at=(now or timezone.now()).isoformat(),
        followup_period=_period(period),
        plan=_plan(organisation, document, goals, goal_contents),
        sections=_sections(report),
        goal_summary=_count(_status(goal) for goal in goal_contents.values()),
        sdg_summary=_sdg_summary(goals, goal_contents),
        principle_summary=_principle_summary(organisation, first, last),
        economy=_economy(report, through),
        missing=[],
    )
    content["missing"] = missing(content)
    return content


def period_label(year: int, through_month: int) -> str:
    """ "januari–augusti 2026"; "januari 2026" for the first month alone."""
    if through_month == 1:
        return f"{MONTH_NAMES[0]} {year}"
    return f"{MONTH_NAMES[0]}–{MONTH_NAMES[through_month - 1]} {year}"


# ------------------------------------------------------------------------------ plain values


def _plain(value: Decimal) -> str:
    """A decimal as text without exponent, and never "-0"."""
    return format(value if value != 0 else abs(value), "f")


def _number(value: Decimal | None) -> str | None:
    """A measure's value: "85.4", "5731" (trailing zeros dropped)."""
    return None if value is None else _plain(Decimal(value).normalize())


def _money(value: Decimal | None) -> str | None:
    """Kronor with öre: "-1234567.89"."""
    if value is None:
        return None
    return _plain(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _percent(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return _plain(Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _mnkr(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return _plain((Decimal(value) / MILLION).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _person(user) -> str:
    return str(user) if user is not None else ""


# ------------------------------------------------------------------------------ plan and goals


def _goals(document: SteeringDocument | None, period: FollowUpPeriod | None) -> list[PlanNode]:
    """The period's goals (those the year's operational plan prioritises, see
    followup.selectors.period_goals); without a period every goal of the document."""
    if period is not None:
        return period_goals(period)
    if document is None:
        return []
    return list(
        PlanNode.objects.filter(document=document, level__key=GOAL_LEVEL_KEY)
        .select_related("level", "parent__level", "parent__parent__level")
        .order_by("parent__parent__order", "parent__order", "order", "number", "pk")
    )


def _node_order(node: PlanNode | None) -> tuple:
    return (0,) if node is None else (1, node.order, node.number or 0, node.pk)


def _places(goal: PlanNode) -> tuple[PlanNode | None, PlanNode | None]:
    """(perspective, focus area) of a goal: its grandparent and parent; a goal right under
    a perspective (a plan without focus areas) has none. Loaded with the goal."""
    parent = goal.parent if goal.parent_id else None
    grandparent = parent.parent if parent is not None and parent.parent_id else None
    if grandparent is None:
        return parent, None
    return grandparent, parent


def _plan(
    organisation: Organisation,
    document: SteeringDocument | None,
    goals: list[PlanNode],
    contents: dict[int, c.GoalContent],
) -> c.PlanContent:
    statements: dict[str, c.TextContent] = {}
    if document is not None:
        nodes = (
            PlanNode.objects.filter(
                document=document, level__key__in=(VISION_LEVEL_KEY, MISSION_LEVEL_KEY)
            )
            .select_related("level")
            .prefetch_related("sections")
            .order_by("order", "number", "pk")
        )
        for node in nodes:
            statements.setdefault(node.level.key, _text(node))
    groups: dict[int | None, tuple[PlanNode | None, dict]] = {}
    for goal in goals:
        perspective, focus_area = _places(goal)
        areas = groups.setdefault(perspective.pk if perspective else None, (perspective, {}))[1]
        areas.setdefault(focus_area.pk if focus_area else None, (focus_area, []))[1].append(goal.pk)
    perspectives = []
    for perspective, areas in sorted(groups.values(), key=lambda g: _node_order(g[0])):
        focus_areas = [
            c.FocusAreaContent(
                label=focus_area.label if focus_area else "",
                title=focus_area.title if focus_area else "",
                description=focus_area.description if focus_area else "",
                goals=[contents[goal_id] for goal_id in goal_ids],
            )
            for focus_area, goal_ids in sorted(areas.values(), key=lambda a: _node_order(a[0]))
        ]
        perspectives.append(
            c.PerspectiveContent(
                label=perspective.label if perspective else "",
                title=perspective.title if perspective else "",
                description=perspective.description if perspective else "",
                focus_areas=focus_areas,
            )
        )
    return c.PlanContent(
        document=document.title if document else "",
        decision=document.decision.reference if document and document.decision_id else "",
        vision=statements.get(VISION_LEVEL_KEY),
        mission=statements.get(MISSION_LEVEL_KEY),
        principles=[
            c.PrincipleContent(name=p.name, title=p.title, description=p.description)
            for p in organisation_principles(organisation.pk)
        ],
        perspectives=perspectives,
    )


def _text(node: PlanNode) -> c.TextContent:
    """The vision's or the mission's text: its description, then each section's heading
    and text, as paragraphs."""
    parts = [node.description.strip()]
    for section in node.sections.all():
        parts += [section.heading.strip(), section.body.strip()]
    return c.TextContent(title=node.title, text="\n\n".join(part for part in parts if part))


def _goal_contents(
    organisation: Organisation,
    year: int,
    goals: list[PlanNode],
    period: FollowUpPeriod | None,
    last: date,
) -> dict[int, c.GoalContent]:
    """goal id → its content, in the goals' order. A fixed number of queries."""
    if not goals:
        return {}
    # The measures with a target in the year's operational plan: the period's, or the
    # report's year's when there is no period (an unsaved period of the year finds it).
    basis = period or FollowUpPeriod(organisation=organisation, year=year)
    rows = goal_measure_rows(goals, basis)
    series = _series([row.measure.pk for found in rows.values() for row in found], year)
    goal_level, units = _approved_assessments(period)
    activities = activities_for_goals(goals, on=date(year, 1, 1))
    # A report to the council is a public document: records of closed meetings stay out.
    records = approved_records_by_goal(organisation, year, public_only=True)
    prefetch_related_objects(goals, "sdgs")
    result = {}
    for goal in goals:
        suggestion = fulfilment_from(rows[goal.pk])
        result[goal.pk] = c.GoalContent(
            id=goal.pk,
            label=goal.label,
            number=goal.number,
            title=goal.title,
            description=goal.description,
            sdgs=sorted(sdg.number for sdg in goal.sdgs.all()),
            assessment=goal_level.get(goal.pk),
            suggestion=suggestion.value,
            suggestion_label=str(suggestion.label),
            units=units.get(goal.pk, []),
            measures=[_measure(row, goal, series.get(row.measure.pk, [])) for row in rows[goal.pk]],
            activities=[_activity(a) for a in activities[goal.pk] if a.start <= last],
            dialogues=[
                _dialogue(record)
                for record in records.get(goal.pk, [])
                if _local_date(record.meeting.starts_at) <= last
            ],
        )
    return result


def _assessment(assessment: Assessment) -> dict:
    status = Fulfilment(assessment.status)
    return {
        "status": status.value,
        "status_label": str(status.label),
        "analysis": assessment.analysis,
        "next_steps": assessment.next_steps,
        "approved_by": _person(assessment.approved_by),
        "approved_at": (
            _local_date(assessment.approved_at).isoformat() if assessment.approved_at else ""
        ),
    }


def _approved_assessments(
    period: FollowUpPeriod | None,
) -> tuple[dict[int, c.AssessmentContent], dict[int, list[c.UnitAssessmentContent]]]:
    """The period's approved assessments: per goal its own, and the units' under their
    verksamhet (the verksamhet's own first, then its enheter), in the organisation's order."""
    if period is None:
        return {}, {}
    operations = list(
        OrgUnit.objects.filter(organisation_id=period.organisation_id, kind=UnitKind.OPERATION)
    )
    approved = Assessment.objects.filter(
        period=period, state=AssessmentState.APPROVED
    ).select_related("unit", "approved_by")
    goal_level: dict[int, c.AssessmentContent] = {}
    by_goal: dict[int, list[tuple[tuple, c.UnitAssessmentContent]]] = defaultdict(list)
    for assessment in approved:
        if assessment.unit is None:
            goal_level[assessment.goal_id] = c.AssessmentContent(**_assessment(assessment))
            continue
        unit = assessment.unit
        operation = next((op for op in operations if unit.path.startswith(op.path)), unit)
        place = (unit_order(operation), operation.pk, unit.pk != operation.pk, unit_order(unit))
        by_goal[assessment.goal_id].append(
            (
                (*place, unit.pk),
                c.UnitAssessmentContent(
                    unit=unit.name,
                    operation=operation.name if operation.pk != unit.pk else "",
                    **_assessment(assessment),
                ),
            )
        )
    units = {
        goal_id: [entry for _key, entry in sorted(found, key=lambda pair: pair[0])]
        for goal_id, found in by_goal.items()
    }
    return goal_level, units


def _series(measure_ids: list[int], year: int) -> dict[int, list[c.PointContent]]:
    """measure id → its yearly total values (the year's value, else the latest period of
    the year), oldest first, over the last SERIES_YEARS years up to `year`. One query."""
    if not measure_ids:
        return {}
    values: dict[int, list[MeasureValue]] = defaultdict(list)
    found = MeasureValue.objects.filter(
        measure_id__in=measure_ids,
        gender=Gender.TOTAL,
        year__gte=year - SERIES_YEARS + 1,
        year__lte=year,
    ).only("measure_id", "year", "period_kind", "period", "gender", "value")
    for value in found.order_by("measure_id", "year", "period_kind", "period"):
        values[value.measure_id].append(value)
    return {
        measure_id: [
            c.PointContent(year=int(point.x), value=_number(point.value))
            for point in series_points(own)
        ]
        for measure_id, own in values.items()
    }


def _value_label(value: MeasureValue) -> str:
    """ "2025", "T2 2025", "augusti 2025"."""
    if value.period_kind == PeriodKind.YEAR:
        return str(value.year)
    if value.period_kind == PeriodKind.TERTIAL:
        return f"T{value.period} {value.year}"
    return f"{MONTH_NAMES[value.period - 1]} {value.year}"


def _measure(row: MeasureRow, goal: PlanNode, series: list[c.PointContent]) -> c.MeasureContent:
    measure, target, latest = row.measure, row.target, row.latest
    status = MeasureStatus(row.status)
    return c.MeasureContent(
        id=measure.pk,
        title=measure.title,
        area="" if measure.node_id == goal.pk else measure.node.title,
        unit=measure.unit,
        decimals=measure.decimals,
        direction=measure.direction,
        responsible_unit=measure.responsible_unit.name if measure.responsible_unit else "",
        baseline_value=_number(measure.baseline_value),
        baseline_year=measure.baseline_year,
        target=_number(target.target) if target else None,
        target_grade=target.target_grade if target else "",
        latest_value=_number(latest.value) if latest else None,
        latest_grade=latest.grade if latest else "",
        latest_label=_value_label(latest) if latest else "",
        status=status.value,
        status_label=str(status.label),
        series=series,
    )


def _activity(activity: Activity) -> c.ActivityContent:
    status = ActivityStatus(activity.status)
    return c.ActivityContent(
        title=activity.title,
        unit=activity.owner_unit.name,
        status=status.value,
        status_label=str(status.label),
        progress=activity.progress,
        start=activity.start.isoformat(),
        end=activity.end.isoformat() if activity.end else "",
        result=activity.result,
    )


def _dialogue(record: DialogueRecord) -> c.DialogueContent:
    meeting = record.meeting
    return c.DialogueContent(
        date=_local_date(meeting.starts_at).isoformat(),
        body=meeting.body.name,
        title=meeting.title,
        shared_understanding=record.shared_understanding,
        next_steps=record.next_steps,
    )


def _period(period: FollowUpPeriod | None) -> c.PeriodContent | None:
    if period is None:
        return None
    return c.PeriodContent(
        name=period.name,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        closed=not period.is_open,
    )


# ------------------------------------------------------------------------------ summaries


def _status(goal: c.GoalContent) -> str:
    assessment = goal["assessment"]
    return assessment["status"] if assessment else Fulfilment.NOT_ASSESSED.value


def _count(statuses: Iterable[str]) -> c.FulfilmentCount:
    counts = {status.value: 0 for status in Fulfilment}
    for status in statuses:
        counts[status] += 1
    return c.FulfilmentCount(
        met=counts[Fulfilment.MET],
        partly=counts[Fulfilment.PARTLY],
        not_met=counts[Fulfilment.NOT_MET],
        not_assessed=counts[Fulfilment.NOT_ASSESSED],
        total=sum(counts.values()),
    )


def _sdg_summary(
    goals: list[PlanNode], contents: dict[int, c.GoalContent]
) -> list[c.SdgSummaryContent]:
    """The Agenda 2030 goals the report's goals are linked to, by number, with how their
    goals are assessed (the sdgs are prefetched with the goals)."""
    linked: dict[int, tuple] = {}
    for goal in goals:
        for sdg in goal.sdgs.all():
            linked.setdefault(sdg.number, (sdg, []))[1].append(goal.pk)
    return [
        c.SdgSummaryContent(
            number=number,
            name=linked[number][0].name,
            colour=linked[number][0].colour,
            goals=[contents[goal_id]["label"] for goal_id in linked[number][1]],
            counts=_count(_status(contents[goal_id]) for goal_id in linked[number][1]),
        )
        for number in sorted(linked)
    ]


def _principle_summary(
    organisation: Organisation, first: date, last: date
) -> list[c.PrincipleSummaryContent]:
    """Every principle with the activities under way in the report's period that express
    it (cancelled ones left out), how many are done, and the first few by start. Three
    queries."""
    activities = (
        Activity.objects.filter(organisation=organisation)
        .filter(overlapping(first, last))
        .exclude(status=ActivityStatus.CANCELLED)
        .only("pk", "title", "status", "start")
        .prefetch_related(Prefetch("principles", queryset=Principle.objects.only("pk")))
        .order_by("start", "title", "pk")
    )
    by_principle: dict[int, list[Activity]] = defaultdict(list)
    for activity in activities:
        for principle in activity.principles.all():
            by_principle[principle.pk].append(activity)
    result = []
    for principle in organisation_principles(organisation.pk):
        found = by_principle.get(principle.pk, [])
        result.append(
            c.PrincipleSummaryContent(
                name=principle.name,
                activities=len(found),
                finished=sum(1 for a in found if a.status == ActivityStatus.DONE),
                examples=[a.title for a in found[:EXAMPLES]],
            )
        )
    return result


# ------------------------------------------------------------------------------ sections


def _sections(report: Report) -> list[c.SectionContent]:
    rows: dict[str, ReportSection] = {}
    if report.pk is not None:
        rows = {
            section.key: section
            for section in ReportSection.objects.filter(report=report).select_related("owner")
        }
    result = []
    for spec in sections_for(report.kind):
        row = rows.get(spec.key)
        result.append(
            c.SectionContent(
                key=spec.key,
                title=str(spec.title),
                guidance=str(spec.guidance),
                lkbr=spec.lkbr,
                text_required=spec.text_required,
                data=spec.data,
                text=row.text if row else "",
                owner=_person(row.owner) if row else "",
                updated_at=(
                    timezone.localtime(row.updated_at).isoformat() if row and row.updated_at else ""
                ),
            )
        )
    return result


# ------------------------------------------------------------------------------ economy


def keeps_accounts(organisation: Organisation) -> bool:
    """Whether the organisation keeps its economy here: a chart of accounts or a budget."""
    return (
        Account.objects.filter(organisation=organisation).exists()
        or BudgetDocument.objects.filter(organisation=organisation).exists()
    )


def _economy(report: Report, through: int) -> c.EconomyContent | None:
    """The economy through the report's month, or through the latest month with outcome
    when that is earlier (`latest_month` says so). A fixed number of queries: the year's
    ledger, the financial goals, the balance requirement and the earlier years' ledgers
    of the five-year overview."""
    organisation = report.organisation
    if not keeps_accounts(organisation):
        return None
    ledger = YearLedger.load(organisation, report.year)
    latest = ledger.latest_month
    has_outcome = latest is not None
    month = min(through, latest) if has_outcome else through
    interim = report.kind == ReportKind.INTERIM
    balance = balance_years(organisation, current=ledger, month=month)
    operations, total = _operations(ledger, month, has_outcome=has_outcome, interim=interim)
    return c.EconomyContent(
        has_outcome=has_outcome,
        latest_month=latest,
        result=_money(ledger.result(month)) if has_outcome else None,
        budgeted_result=_money(ledger.budgeted_result()) if ledger.has_adopted_budget else None,
        forecast_result=_money(ledger.forecast_result(month)) if interim else None,
        income_statement=_income_statement(ledger, month, has_outcome),
        balance_sheet=_balance_sheet(ledger, month, has_outcome),
        indicators=_indicators(ledger, month, has_outcome),
        operations=operations,
        operations_total=total,
        financial_goals=_financial_goals(organisation, ledger, month),
        balance_requirement=_balance_requirement(balance, report.year),
        deficits=_deficits(balance, report.year),
        five_year=_five_year(organisation, ledger, month, has_outcome, balance, report.year),
    )


def _operation_row(
    name: str,
    *,
    frame: Decimal | None,
    budget: Decimal | None,
    outcome: Decimal | None,
    forecast: Decimal | None,
    comment: str = "",
) -> c.OperationRow:
    return c.OperationRow(
        name=name,
        frame=_money(frame),
        budget=_money(budget),
        outcome=_money(outcome),
        deviation=_money(budget - outcome) if budget is not None and outcome is not None else None,
        forecast=_money(forecast),
        forecast_deviation=(
            _money(frame - forecast) if frame is not None and forecast is not None else None
        ),
        comment=comment,
    )


def _operations(
    ledger: YearLedger, month: int, *, has_outcome: bool, interim: bool
) -> tuple[list[c.OperationRow], c.OperationRow]:
    """Each verksamhet against its frame through the month (economy.selectors.operation_rows),
    the common items when they have outcome, and the total. In the interim report the
    year's forecast: the verksamhet's own, else the projection from its outcome, else its
    frame (`expected`, as the economy's follow-up and its forecast result count it)."""
    rows = []
    total = None
    for row in operation_rows(ledger, month):
        if row.is_total:
            total = row
            continue
        forecast = row.expected if interim else None
        rows.append(
            _operation_row(
                _("Common items and finance administration") if row.is_common else row.label,
                frame=row.frame,
                budget=row.budget_through,
                outcome=row.outcome_through if has_outcome else None,
                forecast=forecast,
                comment=row.forecast.comment if interim and row.forecast is not None else "",
            )
        )
    return rows, _operation_row(
        _("Total"),
        frame=total.frame,
        budget=total.budget_through,
        outcome=total.outcome_through if has_outcome else None,
        forecast=total.expected if interim else None,
    )


def _income_statement(ledger: YearLedger, month: int, has_outcome: bool) -> list[c.AmountRow]:
    """Resultaträkningen through the month, income positive and costs negative, with its
    subtotals as the årsredovisning shows them."""
    statement = ledger.income_statement(month) if has_outcome else None

    def row(label: str, lines: Iterable[StatementLine], kind: str) -> c.AmountRow:
        amount = None if statement is None else sum((statement[li] for li in lines), ZERO)
        return c.AmountRow(label=label, amount=_money(amount), kind=kind)

    def line(line: StatementLine) -> c.AmountRow:
        return row(str(line.label), (line,), "line")

    return [
        *(line(li) for li in _OPERATING),
        row(_("Net cost of the operations"), _OPERATING, "subtotal"),
        *(line(li) for li in _REVENUE),
        row(_("Operating result"), (*_OPERATING, *_REVENUE), "subtotal"),
        *(line(li) for li in _FINANCIAL),
        row(_("Result after financial items"), (*_OPERATING, *_REVENUE, *_FINANCIAL), "subtotal"),
        line(StatementLine.EXTRAORDINARY),
        row(_("Result for the year"), INCOME_STATEMENT_LINES, "total"),
    ]


def _balance_sheet(ledger: YearLedger, month: int, has_outcome: bool) -> list[c.AmountRow]:
    """Balansräkningen at the month's end: assets, then equity (with the year's result so
    far, as YearLedger.indicators counts it), provisions and liabilities, all positive."""
    amounts: dict[str, Decimal | None] = {}
    result: Decimal | None = None
    if has_outcome:
        balances = ledger.balance_sheet(month)
        result = ledger.result(month)
        # The year's result is closed into equity only at the year's end, by a booking on
        # an account outside the statements (89): what is booked there is taken off again.
        closed = sum(
            (
                amount
                for (_operation, booked, line), amount in ledger.movements.items()
                if line == StatementLine.OUTSIDE and booked <= month
            ),
            ZERO,
        )
        amounts = {line: balances[line] for line in _ASSETS}
        amounts[StatementLine.EQUITY] = -balances[StatementLine.EQUITY] + result - closed
        amounts.update({line: -balances[line] for line in _LIABILITIES})

    def total(lines: Iterable[StatementLine]) -> Decimal | None:
        return sum((amounts[li] for li in lines), ZERO) if amounts else None

    def line(line: StatementLine) -> c.AmountRow:
        return c.AmountRow(label=str(line.label), amount=_money(amounts.get(line)), kind="line")

    return [
        *(line(li) for li in _ASSETS),
        c.AmountRow(label=_("Total assets"), amount=_money(total(_ASSETS)), kind="total"),
        line(StatementLine.EQUITY),
        c.AmountRow(
            label=_("of which the result for the year"), amount=_money(result), kind="line"
        ),
        *(line(li) for li in _LIABILITIES),
        c.AmountRow(
            label=_("Total equity, provisions and liabilities"),
            amount=_money(total((StatementLine.EQUITY, *_LIABILITIES))),
            kind="total",
        ),
    ]


def _indicators(ledger: YearLedger, month: int, has_outcome: bool) -> list[c.IndicatorContent]:
    values = ledger.indicators(month) if has_outcome else {}
    return [
        c.IndicatorContent(
            label=str(indicator.label), value=_percent(values.get(indicator)), unit="%"
        )
        for indicator in FinancialIndicator
    ]


def _financial_goals(
    organisation: Organisation, ledger: YearLedger, month: int
) -> list[c.FinancialGoalContent]:
    """The year's financial goals, each with its value through the month and the
    economist's latest assessment at or before it, else what the value proposes."""
    result = []
    for row in goal_rows(organisation, ledger, month):
        latest = row.latest
        fulfilment = (
            Fulfilment(latest.fulfilment) if latest else proposed_fulfilment(row.goal, row.value)
        )
        result.append(
            c.FinancialGoalContent(
                title=row.goal.title,
                target=row.target,
                value=_percent(row.value),
                unit="%",
                fulfilment=fulfilment.value,
                fulfilment_label=str(fulfilment.label),
                assessed_month=latest.month if latest else None,
                comment=latest.comment if latest else "",
            )
        )
    return result


def _balance_requirement(balance: list[BalanceYear], year: int) -> list[c.BalanceYearContent]:
    """The balanskravsutredning of the report's year and up to three years before it,
    oldest first. In the interim report the year's is the forecast."""
    return [
        c.BalanceYearContent(
            year=row.year,
            is_forecast=row.is_forecast,
            lines=[
                c.BalanceLine(label=str(label), amount=_money(amount), total=is_sum)
                for label, amount, is_sum in row.lines
            ],
            balance_result=_money(row.balance_result),
        )
        for row in balance
        if year - BALANCE_YEARS_BEFORE <= row.year <= year
    ]


def _deficits(balance: list[BalanceYear], year: int) -> list[c.DeficitContent]:
    """The deficits up to the report's year that are still to be restored, or that arose
    or were restored in the years the balance requirement shows."""
    shown_from = year - BALANCE_YEARS_BEFORE
    result = []
    for row in balance:
        deficit = row.schedule.opened if row.schedule else None
        if deficit is None:
            continue
        recent = deficit.year >= shown_from or any(
            y >= shown_from for y, _s in deficit.restorations
        )
        if not (deficit.is_open or recent):
            continue
        result.append(
            c.DeficitContent(
                year=deficit.year,
                amount=_money(deficit.amount),
                remaining=_money(deficit.remaining),
                deadline=deficit.deadline,
                status=deficit_status(deficit)[0],
            )
        )
    return result


def _five_year(
    organisation: Organisation,
    ledger: YearLedger,
    month: int,
    has_outcome: bool,
    balance: list[BalanceYear],
    year: int,
) -> c.FiveYearContent:
    """Översikt över verksamhetens utveckling: the report's year (through its month) and the
    four before it (whole years). A year's figures come from its accounts, closed through
    December; a year without accounts shows the result its balance requirement review
    states, and nothing else. Each earlier year's ledger is loaded once."""
    years = list(range(year - FIVE_YEARS + 1, year + 1))
    by_year = {row.year: row for row in balance}
    columns = []
    for column_year in years:
        row = by_year.get(column_year)
        source: tuple[YearLedger, int] | None = None
        if column_year == year:
            source = (ledger, month) if has_outcome else None
        elif row is not None and row.computed is not None:
            # balance_years computed it from closed accounts (no forecast before the year)
            source = (YearLedger.load(organisation, column_year), 12)
        figures: dict[str, Decimal | None] = dict.fromkeys(
            ("net_cost", "revenue", "result", "result_share", "equity_ratio")
        )
        if source is not None:
            year_ledger, through = source
            statement = year_ledger.income_statement(through)
            indicators = year_ledger.indicators(through)
            figures.update(
                net_cost=sum((statement[li] for li in _OPERATING), ZERO),
                revenue=sum((statement[li] for li in _REVENUE), ZERO),
                result=sum(statement.values(), ZERO),
                result_share=indicators[FinancialIndicator.RESULT_SHARE],
                equity_ratio=indicators[FinancialIndicator.EQUITY_RATIO],
            )
        elif row is not None and row.source == ResultSource.ENTERED:
            figures["result"] = row.result
        figures["balance_result"] = (
            row.balance_result if row is not None and not row.is_forecast else None
        )
        columns.append(figures)

    def values(key: str, convert) -> list[str | None]:
        return [convert(column[key]) for column in columns]

    return c.FiveYearContent(
        years=years,
        rows=[
            c.FiveYearRow(
                label=_("Net cost of the operations"),
                unit="mnkr",
                values=values("net_cost", _mnkr),
            ),
            c.FiveYearRow(
                label=_("Tax revenue and general grants"),
                unit="mnkr",
                values=values("revenue", _mnkr),
            ),
            c.FiveYearRow(
                label=_("Result for the year"), unit="mnkr", values=values("result", _mnkr)
            ),
            c.FiveYearRow(
                label=str(FinancialIndicator.RESULT_SHARE.label),
                unit="%",
                values=values("result_share", _percent),
            ),
            c.FiveYearRow(
                label=str(FinancialIndicator.EQUITY_RATIO.label),
                unit="%",
                values=values("equity_ratio", _percent),
            ),
            c.FiveYearRow(
                label=_("Balance requirement result"),
                unit="mnkr",
                values=values("balance_result", _mnkr),
            ),
        ],
    )


# ------------------------------------------------------------------------------ the check


def _all_goals(content: c.ReportContent) -> list[c.GoalContent]:
    return [
        goal
        for perspective in content["plan"]["perspectives"]
        for focus_area in perspective["focus_areas"]
        for goal in focus_area["goals"]
    ]


def _no_data(data: str, content: c.ReportContent) -> str:
    """Why the data that fills a section is absent, or ""."""
    year = content["year"]
    if data == "governance":
        return "" if _all_goals(content) else _("The steering document has no goals for the year.")
    if data not in ("five_year", "goals", "economy", "balance_requirement"):
        return ""
    economy = content["economy"]
    if economy is None:
        return _("The municipality keeps no accounts in Tillit.")
    if data == "five_year":
        if all(row["values"][-1] is None for row in economy["five_year"]["rows"]):
            return _("There are no figures for %(year)s for the overview.") % {"year": year}
    elif data == "economy":
        latest = economy["latest_month"]
        if latest is None:
            return _("The accounts have no outcome for %(year)s.") % {"year": year}
        if latest < content["through_month"]:
            return _("The accounts have outcome only through %(month)s.") % {
                "month": MONTH_NAMES[latest - 1]
            }
    elif data == "balance_requirement":
        this_year = next((b for b in economy["balance_requirement"] if b["year"] == year), None)
        if this_year is None or this_year["balance_result"] is None:
            return _("There is no balance requirement result for %(year)s.") % {"year": year}
    elif data == "goals":
        goals = economy["financial_goals"]
        if not goals:
            return _("No financial goals apply to %(year)s.") % {"year": year}
        if all(goal["assessed_month"] is None for goal in goals):
            return _("No financial goal has been assessed.")
    return ""


def missing(content: c.ReportContent) -> list[c.MissingContent]:
    """What the report still lacks, read from its content alone: the sections only people
    can write that have no text yet, the sections whose data is absent, the report's lack
    of a follow-up period, and each goal without an approved assessment of its own."""
    found: list[c.MissingContent] = []
    for section in content["sections"]:
        if section["text_required"] and not section["text"].strip():
            found.append(
                c.MissingContent(
                    key=section["key"], section=section["title"], message=_("No text written.")
                )
            )
        reason = _no_data(section["data"], content)
        if reason:
            found.append(
                c.MissingContent(key=section["key"], section=section["title"], message=reason)
            )
    part = _("Goal fulfilment")
    if content["followup_period"] is None:
        found.append(
            c.MissingContent(
                key="goals",
                section=part,
                message=_(
                    "The report has no follow-up period, so it shows no assessments of the goals."
                ),
            )
        )
    else:
        for goal in _all_goals(content):
            if goal["assessment"] is None:
                found.append(
                    c.MissingContent(
                        key="goals",
                        section=part,
                        message=_("No approved assessment: %(goal)s") % {"goal": goal["label"]},
                    )
                )
    return found
