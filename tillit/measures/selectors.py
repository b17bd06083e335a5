"""Reads of measures shared by the plan overview, the measure page and (later) reports."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from tillit.core.models import Organisation
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import OperationalPlan

from .choices import Gender, MeasureStatus, PeriodKind
from .models import Measure, MeasureTarget, MeasureValue

# A year's value says more than a tertial's, a tertial's more than a month's.
_KIND_RANK = {PeriodKind.YEAR: 3, PeriodKind.TERTIAL: 2, PeriodKind.MONTH: 1}
# Within a year the latest period counts; a tertial ends in month 4·n.
_END_MONTH = {
    PeriodKind.YEAR: lambda p: 12,
    PeriodKind.TERTIAL: lambda p: 4 * p,
    PeriodKind.MONTH: lambda p: p,
}


@dataclass
class MeasureRow:
    measure: Measure
    target: MeasureTarget | None
    latest: MeasureValue | None  # the latest total value up to the plan's year
    status: MeasureStatus

    @property
    def latest_is_this_year(self) -> bool:
        return (
            self.latest is not None
            and self.target is not None
            and (self.latest.year == self.target.plan.year)
        )


def _recency(value: MeasureValue) -> tuple[int, int, int]:
    kind = PeriodKind(value.period_kind)
    return (value.year, _END_MONTH[kind](value.period), _KIND_RANK[kind])


def measure_rows(plan: OperationalPlan, measures: list[Measure]) -> dict[int, MeasureRow]:
    """For each measure: its target in the plan, its latest value and the traffic light.

    Two queries whatever the number of measures: targets, and the totals of the
    plan's year and the year before (a year's figures often arrive the year after).
    """
    ids = [m.pk for m in measures]
    targets = {
        t.measure_id: t
        for t in MeasureTarget.objects.filter(plan=plan, measure_id__in=ids).select_related(
            "plan", "decision__body"
        )
    }
    # Plain tuples, not model instances: a large plan reads a million values here, and
    # only the latest of each measure becomes a MeasureValue.
    best: dict[int, tuple] = {}
    for row in MeasureValue.objects.filter(
        measure_id__in=ids, gender=Gender.TOTAL, year__in=[plan.year - 1, plan.year]
    ).values_list("measure_id", "year", "period_kind", "period", "value", "grade"):
        measure_id, year, kind, period = row[:4]
        rank = (year, _END_MONTH[kind](period), _KIND_RANK[kind])
        if measure_id not in best or rank > best[measure_id][0]:
            best[measure_id] = (rank, row)
    latest = {
        measure_id: MeasureValue(
            measure_id=measure_id,
            year=year,
            period_kind=kind,
            period=period,
            value=value,
            grade=grade,
        )
        for measure_id, (_rank, (_, year, kind, period, value, grade)) in best.items()
    }
    rows = {}
    for measure in measures:
        target, value = targets.get(measure.pk), latest.get(measure.pk)
        if target is None:
            status = MeasureStatus.NO_TARGET
        elif value is None or value.year != plan.year:
            status = MeasureStatus.NO_DATA
        else:
            target.measure = measure
            status = target.status_of(value.value, value.grade)
        rows[measure.pk] = MeasureRow(measure, target, value, status)
    return rows


def current_operational_plan(
    organisation: Organisation, *, year: int, include_drafts: bool
) -> OperationalPlan | None:
    plans = OperationalPlan.objects.filter(organisation=organisation, year__lte=year)
    if not include_drafts:
        plans = plans.filter(status=DocumentStatus.ADOPTED)
    return plans.select_related("decision__body", "document").order_by("-year").first()


def plan_measures(plan: OperationalPlan) -> QuerySet[Measure]:
    """The measures that have a target in the plan."""
    return (
        Measure.objects.filter(targets__plan=plan)
        .select_related("node__level", "responsible_unit")
        .order_by("node_id", "order", "title")
    )


def values_of(measure: Measure) -> list[MeasureValue]:
    return list(
        measure.values.select_related("updated_by").order_by(
            "year", "period_kind", "period", "gender"
        )
    )


GENDER_ORDER = {Gender.TOTAL: 0, Gender.WOMEN: 1, Gender.MEN: 2}


def newest_first(values: list[MeasureValue]) -> list[MeasureValue]:
    """Latest period first; within a period total, women, men."""
    return sorted(values, key=lambda v: (tuple(-n for n in _recency(v)), GENDER_ORDER[v.gender]))


def series_points(values: list[MeasureValue], *, gender: str = Gender.TOTAL) -> list:
    """The chart's points: per year the year value, or else the latest period of the year."""
    from .charts import Point

    best: dict[int, MeasureValue] = {}
    for value in values:
        if value.gender != gender or value.value is None:
            continue
        if value.year not in best or _recency(value) > _recency(best[value.year]):
            best[value.year] = value
    return [
        Point(label=best[year].period_label, x=float(year), value=Decimal(best[year].value))
        for year in sorted(best)
    ]
