"""Activities beside results: the part of a goal's page that supports the analysis of how
activities relate to results and effects (Aktiviteter → Uppföljning → Analys → Dialog),
and the part of a principle's page that answers "what do we do for it?".

The planning pages import this lazily (activities build on the plan, not vice versa).
Each function runs a fixed number of queries, whatever the number of activities.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import rules
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from tillit.measures.charts import (
    Chart,
    ChartTable,
    Point,
    Series,
    Span,
    data_table,
    render_svg,
    year_fraction,
)
from tillit.measures.choices import MeasureKind
from tillit.measures.models import Measure, MeasureTarget, MeasureValue
from tillit.measures.selectors import series_points
from tillit.planning.models import PlanNode, Principle

from .choices import ActivityStatus
from .models import Activity
from .selectors import GOAL_LEVEL_KEY, activities_of_nodes, status_counts

# How many of a principle's current activities its page lists before linking to them all.
PRINCIPLE_PAGE_LIMIT = 5


@dataclass
class TimelineItem:
    number: int  # the activity's number on this page, also its label in the charts
    activity: Activity
    via: list[PlanNode]  # the areas it is linked through, when not linked to the page's node


@dataclass
class MeasureChart:
    measure: Measure
    svg: SafeString
    table: ChartTable
    marked: list[TimelineItem]


@dataclass
class NodeResults:
    items: list[TimelineItem]
    charts: list[MeasureChart] = field(default_factory=list)
    can_plan: bool = False


def shows_activities(node: PlanNode) -> bool:
    """Goals and the operations levels beneath them (areas) have activities."""
    level = node.level
    return level.key == GOAL_LEVEL_KEY or (
        level.parent is not None and level.parent.key == GOAL_LEVEL_KEY and not level.is_political
    )


def node_results(
    node: PlanNode, *, children: list[PlanNode], measures: list[Measure], user
) -> NodeResults | None:
    """The node's activities (a goal's include its areas') in time order, numbered, and a
    chart of each quantitative measure with the activities that name it marked as spans.
    None for a reader who may not see activities or a node that has none."""
    if not shows_activities(node) or not rules.has_perm("activities.read_activities", user, node):
        return None
    node_ids = [node.pk, *(child.pk for child in children if not child.level.is_political)]
    activities = (
        activities_of_nodes(node_ids)
        .select_related("owner_unit")
        .prefetch_related(
            Prefetch("nodes", queryset=PlanNode.objects.select_related("level")),
            Prefetch("measures", queryset=Measure.objects.only("pk")),
        )
    )
    items = []
    for number, activity in enumerate(activities, start=1):
        linked = activity.nodes.all()
        direct = any(n.pk == node.pk for n in linked)
        via = [] if direct else [n for n in linked if n.pk in node_ids]
        items.append(TimelineItem(number, activity, via))
    return NodeResults(
        items=items,
        charts=_charts(node, items, measures),
        can_plan=rules.has_perm("activities.plan_activity", user, node),
    )


def _charts(node: PlanNode, items: list[TimelineItem], measures: list[Measure]):
    """Outcome and targets of each quantitative measure, with its activities marked: values
    and targets of all the measures in two queries."""
    quantitative = [m for m in measures if m.kind == MeasureKind.QUANTITATIVE]
    ids = [m.pk for m in quantitative]
    values: dict[int, list[MeasureValue]] = {pk: [] for pk in ids}
    for value in MeasureValue.objects.filter(measure_id__in=ids).order_by(
        "year", "period_kind", "period", "gender"
    ):
        values[value.measure_id].append(value)
    targets: dict[int, list[Point]] = {pk: [] for pk in ids}
    for target in (
        MeasureTarget.objects.filter(measure_id__in=ids, target__isnull=False)
        .select_related("plan")
        .order_by("plan__year")
    ):
        year = target.plan.year
        targets[target.measure_id].append(Point(str(year), float(year), target.target))
    today = timezone.localdate()
    charts = []
    for measure in quantitative:
        marked = [
            item
            for item in items
            if item.activity.status != ActivityStatus.CANCELLED
            and any(m.pk == measure.pk for m in item.activity.measures.all())
        ]
        series = [Series(name=_("Outcome"), points=series_points(values[measure.pk]))]
        if targets[measure.pk]:
            series.append(Series(name=_("Target"), points=targets[measure.pk], style="target"))
        chart = Chart(
            title=measure.title,
            unit=measure.unit,
            series=series,
            spans=[_span(item, today) for item in marked],
            decimals=measure.decimals,
        )
        svg = render_svg(chart, id_prefix=f"node-{node.pk}-measure-{measure.pk}")
        # render_svg escapes every text it draws.
        charts.append(MeasureChart(measure, mark_safe(svg), data_table(chart), marked))
    return charts


def _span(item: TimelineItem, today: datetime.date) -> Span:
    """The activity's period on the chart; one with no set end reaches today."""
    activity = item.activity
    end = activity.end or max(today, activity.start)
    return Span(
        label=str(item.number),
        start_x=year_fraction(activity.start),
        end_x=year_fraction(end, end_of_day=True),
        description=span_description(item),
    )


def span_description(item: TimelineItem) -> str:
    """ "3: Studiehandledning på modersmål, from 1 September 2025, no set end", in Swedish."""
    activity = item.activity
    values = {
        "number": item.number,
        "title": activity.title,
        "start": date_format(activity.start, "j E Y"),
    }
    if activity.end is None:
        return _("%(number)s: %(title)s, from %(start)s, no set end") % values
    values["end"] = date_format(activity.end, "j E Y")
    return _("%(number)s: %(title)s, %(start)s–%(end)s") % values


@dataclass
class PrincipleActivities:
    counts: list[tuple[ActivityStatus, int]]
    total: int
    current: list[Activity]  # under way or planned, the first few
    list_url: str


def principle_activities(principle: Principle, user) -> PrincipleActivities | None:
    """The activities that express the principle: the number per status and the first of
    those under way or planned, with the link to all of them. Two queries; None for a
    reader who may not see activities."""
    if not rules.has_perm("activities.read_activities", user, principle):
        return None
    linked = Activity.objects.filter(principles=principle)
    counts = [(status, n) for status, n in status_counts(linked) if n]
    current = list(
        linked.filter(status__in=[ActivityStatus.ONGOING, ActivityStatus.PLANNED])
        .select_related("owner_unit")
        .order_by("start", "title", "pk")[:PRINCIPLE_PAGE_LIMIT]
    )
    return PrincipleActivities(
        counts=counts,
        total=sum(n for _status, n in counts),
        current=current,
        list_url=f"{reverse('activities:activities')}?princip={principle.key}",
    )
