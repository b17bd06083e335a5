"""The shape of a composed report: plain JSON, the one thing every output is rendered from.

`compose.compose(report)` builds a `ReportContent` from the data; the renderers
(render/) read nothing but it. A frozen report's content is its snapshot's `data`, so
whatever happens to the data afterwards, its outputs come out byte for byte the same.

Rules of the format:
- Only JSON types. Amounts and measure values are decimal *strings* ("-1234567.89",
  kronor for money) or None when there is nothing; renderers format them (formatting.py).
- Labels are already translated (Swedish) when composed: a frozen report keeps the words
  it was approved with.
- Dates are ISO strings ("2026-03-25"), moments ISO date-times.
- Lists are in the order they are shown.
- `FORMAT` grows when the shape changes; renderers must keep reading older snapshots.
"""

from __future__ import annotations

from typing import TypedDict

FORMAT = 1


class OrganisationContent(TypedDict):
    name: str
    municipality_code: str


class SectionContent(TypedDict):
    """A part of the förvaltningsberättelse (sections.SECTIONS), in the report's order."""

    key: str
    title: str
    guidance: str
    lkbr: bool  # required of a förvaltningsberättelse by LKBR
    text_required: bool
    data: str  # which part of the content fills it: "five_year", "governance", "goals",
    # "economy", "balance_requirement" or ""
    text: str  # the owner's text, paragraphs separated by blank lines; "" if none
    owner: str  # the owner's name, "" if none
    updated_at: str  # when the text was last changed, "" if never


class AssessmentContent(TypedDict):
    status: str  # Fulfilment value: met, partly, not_met, not_assessed
    status_label: str  # "Uppfyllt", …
    analysis: str
    next_steps: str
    approved_by: str
    approved_at: str  # ISO date, "" if not approved


class UnitAssessmentContent(AssessmentContent):
    unit: str
    operation: str  # the verksamhet it belongs to, "" if it is one


class PointContent(TypedDict):
    year: int
    value: str | None


class MeasureContent(TypedDict):
    id: int
    title: str
    area: str  # the area (område) it follows up, "" if it follows up the goal itself
    unit: str  # "%", "antal", …
    decimals: int
    direction: str  # measures.choices.Direction value
    responsible_unit: str
    baseline_value: str | None
    baseline_year: int | None
    target: str | None  # the year's target value
    target_grade: str  # for qualitative measures: Fulfilment value, else ""
    latest_value: str | None
    latest_grade: str
    latest_label: str  # "2025", "T2 2025", …
    status: str  # measures.choices.MeasureStatus value
    status_label: str
    series: list[PointContent]  # yearly values (total, not by gender), oldest first


class ActivityContent(TypedDict):
    title: str
    unit: str  # owner unit
    status: str
    status_label: str
    progress: int | None  # percent
    start: str
    end: str
    result: str


class DialogueContent(TypedDict):
    date: str
    body: str  # "Välfärdsutskottet"
    title: str
    shared_understanding: str
    next_steps: str


class GoalContent(TypedDict):
    id: int
    label: str  # "Mål 2: Vi utvecklar …"
    number: int | None
    title: str
    description: str
    sdgs: list[int]
    assessment: AssessmentContent | None  # the approved goal-level assessment
    suggestion: str  # what the measures suggest (Fulfilment value)
    suggestion_label: str
    units: list[UnitAssessmentContent]  # approved unit assessments
    measures: list[MeasureContent]
    activities: list[ActivityContent]
    dialogues: list[DialogueContent]  # approved dialogue records that took up the goal


class FocusAreaContent(TypedDict):
    label: str
    title: str
    description: str
    goals: list[GoalContent]


class PerspectiveContent(TypedDict):
    label: str
    title: str
    description: str
    focus_areas: list[FocusAreaContent]  # a plan without focus areas: one with label ""


class TextContent(TypedDict):
    title: str
    text: str


class PrincipleContent(TypedDict):
    name: str
    title: str
    description: str


class PlanContent(TypedDict):
    document: str  # "Inriktningsdokument 2023–2026"
    decision: str  # "KF 2023-11-27 § 93", "" if none
    vision: TextContent | None
    mission: TextContent | None
    principles: list[PrincipleContent]
    perspectives: list[PerspectiveContent]


class FulfilmentCount(TypedDict):
    met: int
    partly: int
    not_met: int
    not_assessed: int
    total: int


class SdgSummaryContent(TypedDict):
    number: int
    name: str
    colour: str  # "#RRGGBB"
    goals: list[str]  # goal labels
    counts: FulfilmentCount


class PrincipleSummaryContent(TypedDict):
    name: str
    activities: int
    finished: int  # activities completed
    examples: list[str]  # up to five activity titles


class AmountRow(TypedDict):
    label: str
    amount: str | None  # kronor
    kind: str  # "line", "subtotal" or "total"


class IndicatorContent(TypedDict):
    label: str
    value: str | None
    unit: str  # "%", "kr", …


class OperationRow(TypedDict):
    name: str
    frame: str | None  # the year's net cost frame (budget), kronor, a cost as positive
    budget: str | None  # the frame through the month
    outcome: str | None  # net cost through the month
    deviation: str | None  # budget − outcome: negative is over budget
    forecast: str | None  # the year's forecast net cost (interim report), None in the annual
    forecast_deviation: str | None  # frame − forecast
    comment: str  # the verksamhet's forecast comment


class FinancialGoalContent(TypedDict):
    title: str  # "Årets resultat ska uppgå till minst 2 procent av skatteintäkter och …"
    target: str  # "≥ 2,0 %", formatted already
    value: str | None  # the indicator through the month, in `unit`
    unit: str
    fulfilment: str  # the economist's assessment at or before the month, else proposed
    fulfilment_label: str
    assessed_month: int | None  # the month of that assessment; None: proposed from the value
    comment: str


class BalanceLine(TypedDict):
    label: str
    amount: str | None
    total: bool


class BalanceYearContent(TypedDict):
    year: int
    is_forecast: bool
    lines: list[BalanceLine]
    balance_result: str | None


class DeficitContent(TypedDict):
    year: int
    amount: str
    remaining: str
    deadline: int
    status: str  # what the balance requirement review says about it


class FiveYearRow(TypedDict):
    label: str
    unit: str  # "mnkr", "%", "kr"
    values: list[str | None]  # one per year of FiveYearContent.years, in `unit` ("412.3" mnkr)


class FiveYearContent(TypedDict):
    years: list[int]  # oldest first, the report's year last
    rows: list[FiveYearRow]


class EconomyContent(TypedDict):
    has_outcome: bool  # the accounts have outcome for the year
    latest_month: int | None  # the last month with outcome
    result: str | None  # the result through the month
    budgeted_result: str | None
    forecast_result: str | None  # the year's forecast (interim report), else None
    income_statement: list[AmountRow]
    balance_sheet: list[AmountRow]
    indicators: list[IndicatorContent]
    operations: list[OperationRow]
    operations_total: OperationRow
    financial_goals: list[FinancialGoalContent]
    balance_requirement: list[BalanceYearContent]  # the report's year and the years before
    deficits: list[DeficitContent]
    five_year: FiveYearContent


class MissingContent(TypedDict):
    key: str  # the section's key (sections.py), or "goals" for the goal fulfilment
    section: str  # the section's (or part's) title
    message: str


class PeriodContent(TypedDict):
    name: str
    start: str
    end: str
    closed: bool


class ReportContent(TypedDict):
    format: int
    kind: str  # "interim" | "annual"
    kind_label: str  # "Delårsrapport" | "Årsredovisning"
    title: str  # "Årsredovisning 2025"
    year: int
    through_month: int
    period_label: str  # "januari–augusti 2026"
    organisation: OrganisationContent
    state: str  # ReportState value when composed
    state_label: str
    approval: str  # "KS 2026-03-25 § 45" once approved, else ""
    composed_at: str  # ISO date-time; a snapshot's is the moment it was frozen
    followup_period: PeriodContent | None
    plan: PlanContent
    sections: list[SectionContent]
    goal_summary: FulfilmentCount
    sdg_summary: list[SdgSummaryContent]  # only Agenda 2030 goals some goal is linked to
    principle_summary: list[PrincipleSummaryContent]
    economy: EconomyContent | None  # None when the organisation keeps no accounts here
    missing: list[MissingContent]
