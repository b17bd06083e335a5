"""The open datasets: what each holds, its columns, its rows and when it last changed.

Every row comes through `tillit.portal.public` (the public allow-list) and every column
from a field that `PUBLIC_FIELDS` names, or from one of `DERIVED_FIELDS` (a target's
plan year, public through the public target that points to it). `Column.sources` says
which; a test holds each column to it, and another plants a secret in every other field
of the models the datasets read.

Rows are produced in chunks of `CHUNK_SIZE` straight from a database cursor
(`QuerySet.iterator`), with a constant number of queries per chunk (prefetches and one
lookup of the chunk's assessments or targets), so that a file of millions of values is
streamed in constant memory.

A dataset's `Stamp` (its rows' number, when it last changed, and a fingerprint, behind
the files' `ETag` and `Last-Modified`) is read in one query, whatever the data: the row
count, the latest history entry of every table the dataset reads (a measure renamed
changes the values' file, which shows measure titles) and which steering documents,
plans and assessments are public. `stamps` dates a change that left no time behind (a
deleted value) when it is first seen, through `DatasetVersion`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db.models import F, Func, Max, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tillit.activities.models import Activity
from tillit.core.models import Organisation, OrgUnit
from tillit.followup.choices import PeriodStatus
from tillit.followup.models import Assessment, FollowUpPeriod
from tillit.measures.models import Measure, MeasureTarget, MeasureValue
from tillit.planning.choices import DocumentStatus, Owner
from tillit.planning.models import (
    Level,
    OperationalPlan,
    PlanNode,
    Principle,
    SteeringDocument,
    SustainableDevelopmentGoal,
)
from tillit.portal.public import (
    PUBLIC_DOCUMENT_STATUSES,
    PUBLIC_FIELDS,
    latest_public_assessments,
    public_activities,
    public_assessments,
    public_documents,
    public_measures,
    public_nodes,
    public_principles,
    public_targets,
    public_values,
)

from .models import DatasetVersion

# Rows fetched from the cursor at a time, and written to the response at a time.
CHUNK_SIZE = 2000

GOAL_LEVEL_KEY = "goal"

# Fields that `PUBLIC_FIELDS` does not name but a file shows, because the public row
# that points to them is public: the year of the adopted operational plan that set a
# target. Nothing else of these models is published.
DERIVED_FIELDS: dict[type, tuple[str, ...]] = {
    OperationalPlan: ("year",),
}

Row = dict[str, Any]


class Stamp(NamedTuple):
    """How many rows a dataset has, when it last changed (None: never), and a fingerprint
    that changes whenever anything the dataset reads may have changed."""

    count: int
    modified: datetime | None
    fingerprint: str


class Observation(NamedTuple):
    """What one query tells of a dataset: its rows' number, the latest recorded change of
    each table it reads, and which rows of the tables it filters on are public."""

    count: int
    moments: dict[str, datetime | None]
    signature: dict[str, Any]

    @property
    def modified(self) -> datetime | None:
        return latest(*self.moments.values())

    @property
    def fingerprint(self) -> str:
        parts = [str(self.count)]
        for name, moment in sorted(self.moments.items()):
            parts.append(f"{name}={moment.isoformat() if moment else ''}")
        for name, value in sorted(self.signature.items()):
            parts.append(f"{name}={value}")
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Column:
    name: str
    description: Promise
    # The fields the column is read from, as (model, field) pairs: each must be named in
    # PUBLIC_FIELDS or DERIVED_FIELDS.
    sources: tuple[tuple[type, str], ...]


@dataclass(frozen=True)
class Dataset:
    key: str  # stable identifier in code and JSON ("values")
    slug: str  # the Swedish name in URLs and file names ("matvarden")
    title: Promise
    description: Promise
    keywords: tuple[Promise, ...]
    themes: tuple[str, ...]  # codes of the EU data-theme vocabulary
    frequency: str  # code of the EU frequency vocabulary
    columns: tuple[Column, ...]
    chunks: Callable[[Organisation], Iterator[list[Row]]]
    observe: Callable[[Organisation], Observation]

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def file_name(self, organisation: Organisation, fmt: str) -> str:
        """ "grastorp-matvarden.csv"."""
        return f"{organisation.slug}-{self.slug}.{fmt}"

    def stamp(self, organisation: Organisation) -> Stamp:
        return stamps(organisation, [self])[self.slug]


def chunked(queryset: QuerySet, size: int) -> Iterator[list]:
    """The queryset's rows in lists of `size`, read from one cursor."""
    chunk: list = []
    for obj in queryset.iterator(chunk_size=size):
        chunk.append(obj)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def latest(*moments: datetime | None) -> datetime | None:
    """The latest of the moments that are known."""
    present = [moment for moment in moments if moment is not None]
    return max(present) if present else None


def _max(queryset: QuerySet, field: str) -> datetime | None:
    return queryset.aggregate(latest=Max(field))["latest"]


# --- Stamps: when a dataset last changed, read in one query ---


def _last_entry(history: QuerySet) -> Subquery:
    """The time of the latest entry of a history table (NULL: none), as a subquery that
    reads the end of the table's `history_date` index."""
    return Subquery(history.order_by("-history_date").values("history_date")[:1])


def _aggregate(queryset: QuerySet, function: str, field: str = "pk") -> Subquery:
    """COUNT, SUM or MAX of the queryset's rows as a subquery: one row, whatever the
    number of rows (a plain function, so the ORM adds no GROUP BY)."""
    return Subquery(queryset.order_by().values(aggregate_value=Func(F(field), function=function)))


def _observe(
    organisation: Organisation,
    rows: QuerySet,
    *,
    moments: dict[str, Subquery],
    signature: dict[str, Subquery],
) -> Observation:
    """Counts the rows and reads every moment and signature, in one query."""
    expressions = {"row_count": _aggregate(rows, "COUNT")}
    expressions.update({f"moment_{name}": value for name, value in moments.items()})
    expressions.update({f"signature_{name}": value for name, value in signature.items()})
    found = Organisation.objects.filter(pk=organisation.pk).values(**expressions).get()
    return Observation(
        count=found["row_count"] or 0,
        moments={name: found[f"moment_{name}"] for name in moments},
        signature={name: found[f"signature_{name}"] for name in signature},
    )


def _plan_parts(organisation: Organisation) -> tuple[dict, dict]:
    """What every dataset reads of the plan: which steering documents are public, their
    elements (titles, order, links) and the levels (names, which are political)."""
    moments = {
        "documents": _last_entry(
            SteeringDocument.history.filter(
                organisation=organisation, status__in=PUBLIC_DOCUMENT_STATUSES
            )
        ),
        "nodes": _last_entry(
            PlanNode.history.filter(
                organisation=organisation, document__status__in=PUBLIC_DOCUMENT_STATUSES
            )
        ),
        "levels": _last_entry(Level.history.filter(organisation=organisation)),
    }
    documents = public_documents(organisation)
    signature = {
        # Which documents are public: changes when one is adopted, or withdrawn.
        "documents": _aggregate(documents, "COUNT"),
        "document_ids": _aggregate(documents, "SUM"),
    }
    return moments, signature


def _measure_history(organisation: Organisation) -> Subquery:
    return _last_entry(
        Measure.history.filter(
            organisation=organisation, node__document__status__in=PUBLIC_DOCUMENT_STATUSES
        )
    )


def stamps(organisation: Organisation, datasets: Iterable[Dataset]) -> dict[str, Stamp]:
    """Each dataset's stamp, by slug: a query each, one to read the versions seen before,
    and one to record those that changed (only when something did).

    A dataset's `modified` is its latest recorded change; but when its fingerprint has
    changed since it was last seen and no recorded change is later than the time given
    then (a value deleted, a document withdrawn), it changed in between, and is dated
    when it is first seen."""
    observed = {dataset.slug: dataset.observe(organisation) for dataset in datasets}
    seen = {
        version.dataset: version
        for version in DatasetVersion.objects.filter(
            organisation=organisation, dataset__in=list(observed)
        )
    }
    now = timezone.now()
    result: dict[str, Stamp] = {}
    changed: list[DatasetVersion] = []
    for slug, observation in observed.items():
        fingerprint = observation.fingerprint
        version = seen.get(slug)
        if version is None:
            modified = observation.modified
        elif version.fingerprint == fingerprint:
            modified = latest(version.modified, observation.modified)
        else:
            modified = _changed_since(version.modified, observation.modified, now)
        if version is None or (version.fingerprint, version.modified) != (fingerprint, modified):
            changed.append(
                DatasetVersion(
                    organisation=organisation,
                    dataset=slug,
                    fingerprint=fingerprint,
                    modified=modified,
                )
            )
        result[slug] = Stamp(observation.count, modified, fingerprint)
    if changed:
        DatasetVersion.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["organisation", "dataset"],
            update_fields=["fingerprint", "modified"],
        )
    return result


def _changed_since(before: datetime | None, recorded: datetime | None, now: datetime) -> datetime:
    """When a dataset changed, now that it differs from when it was last seen (then dated
    `before`): at its latest recorded change if that is later than `before`, else now
    (the change left no time behind); in any case a whole second after `before`, since
    HTTP dates (`If-Modified-Since`) count whole seconds."""
    modified = recorded if recorded is not None and (before is None or recorded > before) else now
    if before is not None:
        modified = max(modified, before.replace(microsecond=0) + timedelta(seconds=1))
    return modified


# --- The plan: public political plan elements, with each goal's latest assessment ---


def _plan_chunks(organisation: Organisation) -> Iterator[list[Row]]:
    nodes = (
        public_nodes(organisation)
        .select_related("document", "level")
        .prefetch_related(Prefetch("sdgs", to_attr="sdg_list"))
        .order_by("document__start_year", "level__order", "order", "number", "pk")
    )
    for chunk in chunked(nodes, CHUNK_SIZE):
        latest = latest_public_assessments(
            [node for node in chunk if node.level.key == GOAL_LEVEL_KEY]
        )
        rows = []
        for node in chunk:
            assessment = latest.get(node.pk)
            rows.append(
                {
                    "id": node.pk,
                    "document_id": node.document_id,
                    "document_title": node.document.title,
                    "document_start_year": node.document.start_year,
                    "document_end_year": node.document.end_year,
                    "level": node.level.key,
                    "level_name": node.level.name,
                    "parent_id": node.parent_id,
                    "key": node.key,
                    "number": node.number,
                    "title": node.title,
                    "description": node.description,
                    "strategy": node.strategy,
                    "sdgs": sorted(sdg.number for sdg in node.sdg_list),
                    "assessment_status": assessment.status if assessment else None,
                    "assessment_period": assessment.period.name if assessment else None,
                    "assessment_period_end": assessment.period.end if assessment else None,
                }
            )
        yield rows


def _plan_observe(organisation: Organisation) -> Observation:
    moments, signature = _plan_parts(organisation)
    return _observe(
        organisation,
        public_nodes(organisation),
        moments={
            **moments,
            # A goal's assessment is public once approved in a period that is closed.
            "assessments": _last_entry(
                Assessment.history.filter(
                    period__organisation=organisation,
                    unit__isnull=True,
                    period__status=PeriodStatus.CLOSED,
                )
            ),
            "periods": _last_entry(
                FollowUpPeriod.history.filter(organisation=organisation, status=PeriodStatus.CLOSED)
            ),
        },
        signature={
            **signature,
            "assessments": _aggregate(public_assessments(organisation), "SUM"),
        },
    )


PLAN = Dataset(
    key="plan",
    slug="plan",
    title=_("The plan: vision, perspectives, focus areas and goals"),
    description=_(
        "The elements of the steering documents adopted by the municipal council: the "
        "vision, the mission, the perspectives, the focus areas and the goals, with their "
        "texts, the Agenda 2030 goals they contribute to, and for each goal the latest "
        "assessment of how far it has been fulfilled."
    ),
    keywords=(_("goals"), _("vision"), _("steering document"), _("Agenda 2030"), _("follow-up")),
    themes=("GOVE", "REGI"),
    frequency="IRREG",
    columns=(
        Column("id", _("The plan element's identifier."), ((PlanNode, "id"),)),
        Column(
            "document_id",
            _("The identifier of the steering document it belongs to."),
            ((PlanNode, "document"),),
        ),
        Column(
            "document_title",
            _("The steering document's title."),
            ((PlanNode, "document"), (SteeringDocument, "title")),
        ),
        Column(
            "document_start_year",
            _("The first year of the steering document's period."),
            ((PlanNode, "document"), (SteeringDocument, "start_year")),
        ),
        Column(
            "document_end_year",
            _("The last year of the steering document's period."),
            ((PlanNode, "document"), (SteeringDocument, "end_year")),
        ),
        Column(
            "level",
            _("The level's stable key: vision, mission, perspective, focus_area, goal, …"),
            ((PlanNode, "level"), (Level, "key")),
        ),
        Column(
            "level_name",
            _("The level's name, as the municipality calls it."),
            ((PlanNode, "level"), (Level, "name")),
        ),
        Column(
            "parent_id",
            _("The identifier of the element it is part of (empty at the top)."),
            ((PlanNode, "parent"),),
        ),
        Column(
            "key",
            _("A stable key within the document, where the municipality has set one."),
            ((PlanNode, "key"),),
        ),
        Column(
            "number",
            _("The element's number within its parent, if numbered."),
            ((PlanNode, "number"),),
        ),
        Column("title", _("The title."), ((PlanNode, "title"),)),
        Column("description", _("The description."), ((PlanNode, "description"),)),
        Column("strategy", _("The strategy text (perspectives)."), ((PlanNode, "strategy"),)),
        Column(
            "sdgs",
            _("The numbers of the Agenda 2030 goals it contributes to (CSV: separated by ;)."),
            ((PlanNode, "sdgs"), (SustainableDevelopmentGoal, "number")),
        ),
        Column(
            "assessment_status",
            _(
                "Goals: the latest approved assessment: met, partly, not_met or not_assessed "
                "(empty: not yet assessed)."
            ),
            ((Assessment, "goal"), (Assessment, "status")),
        ),
        Column(
            "assessment_period",
            _("The follow-up period of that assessment."),
            ((Assessment, "period"), (FollowUpPeriod, "name")),
        ),
        Column(
            "assessment_period_end",
            _("The last day of that period."),
            ((Assessment, "period"), (FollowUpPeriod, "end")),
        ),
    ),
    chunks=_plan_chunks,
    observe=_plan_observe,
)


# --- Measures (verksamhetsmått) of public goals, with their adopted targets ---


def _measure_chunks(organisation: Organisation) -> Iterator[list[Row]]:
    targets = public_targets(organisation).select_related("plan").order_by("plan__year")
    measures = (
        public_measures(organisation)
        .select_related("node")
        .prefetch_related(Prefetch("targets", queryset=targets, to_attr="public_target_list"))
        .order_by("node__order", "node__number", "node_id", "order", "title", "pk")
    )
    for chunk in chunked(measures, CHUNK_SIZE):
        yield [
            {
                "id": measure.pk,
                "goal_id": measure.node_id,
                "goal_title": measure.node.title,
                "title": measure.title,
                "description": measure.description,
                "kind": measure.kind,
                "unit": measure.unit,
                "direction": measure.direction,
                "decimals": measure.decimals,
                "baseline_value": measure.baseline_value,
                "baseline_year": measure.baseline_year,
                "source": measure.source,
                "kolada_kpi": measure.kolada_kpi,
                "scb_table": measure.scb_table,
                "by_gender": measure.by_gender,
                "targets": [
                    {
                        "year": target.plan.year,
                        "target": target.target,
                        "target_grade": target.target_grade,
                    }
                    for target in measure.public_target_list
                ],
            }
            for measure in chunk
        ]


def _measure_observe(organisation: Organisation) -> Observation:
    moments, signature = _plan_parts(organisation)
    adopted_plans = OperationalPlan.objects.filter(
        organisation=organisation, status=DocumentStatus.ADOPTED
    )
    return _observe(
        organisation,
        public_measures(organisation),
        moments={
            **moments,
            "measures": _measure_history(organisation),
            "targets": _last_entry(
                MeasureTarget.history.filter(
                    plan__organisation=organisation, plan__status=DocumentStatus.ADOPTED
                )
            ),
            # A plan's targets become public when the plan is adopted.
            "plans": _last_entry(
                OperationalPlan.history.filter(
                    organisation=organisation, status=DocumentStatus.ADOPTED
                )
            ),
        },
        signature={
            **signature,
            "targets": _aggregate(public_targets(organisation), "COUNT"),
            "plans": _aggregate(adopted_plans, "SUM"),
        },
    )


MEASURES = Dataset(
    key="measures",
    slug="verksamhetsmatt",
    title=_("Performance measures and targets"),
    description=_(
        "The performance measures by which the municipality follows up its goals: what is "
        "measured, in what unit, whether higher or lower is better, where the figures come "
        "from (for example Kolada), the baseline and the target of each year's adopted "
        "operational plan."
    ),
    keywords=(_("performance measures"), _("targets"), _("goals"), _("Kolada"), _("follow-up")),
    themes=("GOVE", "REGI", "SOCI"),
    frequency="ANNUAL",
    columns=(
        Column("id", _("The measure's identifier."), ((Measure, "id"),)),
        Column(
            "goal_id",
            _("The identifier of the goal (plan element) the measure follows up."),
            ((Measure, "node"),),
        ),
        Column("goal_title", _("That goal's title."), ((Measure, "node"), (PlanNode, "title"))),
        Column("title", _("What is measured."), ((Measure, "title"),)),
        Column("description", _("The description."), ((Measure, "description"),)),
        Column(
            "kind", _("quantitative (a number) or qualitative (a grade)."), ((Measure, "kind"),)
        ),
        Column("unit", _("The unit, e.g. %, antal, kr."), ((Measure, "unit"),)),
        Column(
            "direction",
            _("higher or lower: which direction is better."),
            ((Measure, "direction"),),
        ),
        Column(
            "decimals",
            _("The number of decimals the municipality shows."),
            ((Measure, "decimals"),),
        ),
        Column(
            "baseline_value", _("The baseline (starting value)."), ((Measure, "baseline_value"),)
        ),
        Column("baseline_year", _("The year of the baseline."), ((Measure, "baseline_year"),)),
        Column(
            "source",
            _("Where the values come from: manual, file, kolada or scb."),
            ((Measure, "source"),),
        ),
        Column(
            "kolada_kpi",
            _("The key figure's id in Kolada, e.g. N01951."),
            ((Measure, "kolada_kpi"),),
        ),
        Column(
            "scb_table", _("The table in SCB's statistical database."), ((Measure, "scb_table"),)
        ),
        Column(
            "by_gender",
            _("true if the values are also given for women and men."),
            ((Measure, "by_gender"),),
        ),
        Column(
            "targets",
            _(
                "The targets of the adopted operational plans, per year. CSV: year:target "
                "pairs separated by ; (e.g. 2025:85;2026:90); JSON: a list of objects with "
                "year, target and target_grade (qualitative measures)."
            ),
            (
                (MeasureTarget, "measure"),
                (MeasureTarget, "plan"),
                (OperationalPlan, "year"),
                (MeasureTarget, "target"),
                (MeasureTarget, "target_grade"),
            ),
        ),
    ),
    chunks=_measure_chunks,
    observe=_measure_observe,
)


# --- Measure values: one row per measure, period and gender ---

VALUE_FIELDS = PUBLIC_FIELDS[MeasureValue]


def _value_chunks(organisation: Organisation) -> Iterator[list[Row]]:
    values = (
        public_values(organisation)
        .select_related("measure")
        .only(*VALUE_FIELDS, "measure__title")
        .order_by("measure_id", "year", "period_kind", "period", "gender")
    )
    for chunk in chunked(values, CHUNK_SIZE):
        yield [
            {
                "measure_id": value.measure_id,
                "measure_title": value.measure.title,
                "year": value.year,
                "period_kind": value.period_kind,
                "period": value.period,
                "gender": value.gender,
                "value": value.value,
                "grade": value.grade,
            }
            for value in chunk
        ]


def _value_observe(organisation: Organisation) -> Observation:
    # The values carry their own time of change (they have no history table); a deleted
    # one leaves nothing but a smaller count, which `stamps` dates when first seen.
    values = public_values(organisation)
    moments, signature = _plan_parts(organisation)
    return _observe(
        organisation,
        values,
        moments={
            **moments,
            "values": _aggregate(values, "MAX", "updated_at"),
            "measures": _measure_history(organisation),  # their titles
        },
        signature=signature,
    )


VALUES = Dataset(
    key="values",
    slug="matvarden",
    title=_("Measure values"),
    description=_(
        "The values of the performance measures: one row per measure, year, period "
        "(month, tertial or year) and gender (total, women, men), as the municipality has "
        "entered or imported them."
    ),
    keywords=(_("measure values"), _("statistics"), _("key figures"), _("Kolada"), _("follow-up")),
    themes=("GOVE", "REGI", "SOCI"),
    frequency="UPDATE_CONT",
    columns=(
        Column(
            "measure_id",
            _("The measure's identifier (see the measures dataset)."),
            ((MeasureValue, "measure"),),
        ),
        Column(
            "measure_title",
            _("The measure's title."),
            ((MeasureValue, "measure"), (Measure, "title")),
        ),
        Column("year", _("The year."), ((MeasureValue, "year"),)),
        Column("period_kind", _("month, tertial or year."), ((MeasureValue, "period_kind"),)),
        Column(
            "period",
            _("The period's number within the year: month 1–12, tertial 1–3, year 1."),
            ((MeasureValue, "period"),),
        ),
        Column(
            "gender",
            _("T (total), K (women) or M (men), as in Kolada."),
            ((MeasureValue, "gender"),),
        ),
        Column(
            "value",
            _("The value, with a decimal point (empty for qualitative measures)."),
            ((MeasureValue, "value"),),
        ),
        Column(
            "grade",
            _("Qualitative measures: met, partly, not_met or not_assessed."),
            ((MeasureValue, "grade"),),
        ),
    ),
    chunks=_value_chunks,
    observe=_value_observe,
)


# --- Activities linked to public goals ---


def _activity_chunks(organisation: Organisation) -> Iterator[list[Row]]:
    plan = public_nodes(organisation)
    activities = (
        public_activities(organisation)
        .select_related("owner_unit")
        .prefetch_related(
            # The public elements an activity is linked to directly …
            Prefetch("nodes", queryset=plan.only("id"), to_attr="public_node_list"),
            # … and the areas beneath them, which stand for their public parent.
            Prefetch(
                "nodes",
                queryset=PlanNode.objects.filter(
                    parent__in=plan, level__owner=Owner.OPERATIONS
                ).only("id", "parent_id"),
                to_attr="area_list",
            ),
            Prefetch(
                "principles", queryset=public_principles(organisation), to_attr="principle_list"
            ),
        )
        .order_by("start", "pk")
    )
    for chunk in chunked(activities, CHUNK_SIZE):
        rows = []
        for activity in chunk:
            goal_ids = {node.pk for node in activity.public_node_list}
            goal_ids.update(area.parent_id for area in activity.area_list)
            rows.append(
                {
                    "id": activity.pk,
                    "title": activity.title,
                    "description": activity.description,
                    "owner_unit": activity.owner_unit.name,
                    "goal_ids": sorted(goal_ids),
                    "principles": [principle.name for principle in activity.principle_list],
                    "start": activity.start,
                    "end": activity.end,
                    "status": activity.status,
                    "progress": activity.progress,
                    "result": activity.result,
                }
            )
        yield rows


def _activity_observe(organisation: Organisation) -> Observation:
    activities = public_activities(organisation)
    moments, signature = _plan_parts(organisation)
    return _observe(
        organisation,
        activities,
        moments={
            **moments,
            "activities": _last_entry(Activity.history.filter(id__in=activities.values("id"))),
            "units": _last_entry(OrgUnit.history.filter(id__in=activities.values("owner_unit"))),
            "principles": _last_entry(Principle.history.filter(organisation=organisation)),
        },
        signature=signature,
    )


ACTIVITIES = Dataset(
    key="activities",
    slug="aktiviteter",
    title=_("Activities for the goals"),
    description=_(
        "What the municipality's operations do to reach the goals: each activity's title, "
        "description, responsible unit, the goals it works toward, the guiding principles "
        "it expresses, its dates, status, progress and result. No person is named."
    ),
    keywords=(_("activities"), _("goals"), _("operations"), _("principles")),
    themes=("GOVE", "REGI"),
    frequency="UPDATE_CONT",
    columns=(
        Column("id", _("The activity's identifier."), ((Activity, "id"),)),
        Column("title", _("The title."), ((Activity, "title"),)),
        Column("description", _("The description."), ((Activity, "description"),)),
        Column(
            "owner_unit",
            _("The name of the responsible unit."),
            ((Activity, "owner_unit"), (OrgUnit, "name")),
        ),
        Column(
            "goal_ids",
            _("The identifiers of the goals it works toward (see the plan; CSV: separated by ;)."),
            ((Activity, "nodes"), (PlanNode, "id"), (PlanNode, "parent")),
        ),
        Column(
            "principles",
            _("The guiding principles it expresses (CSV: separated by ;)."),
            ((Activity, "principles"), (Principle, "name")),
        ),
        Column("start", _("The start date (YYYY-MM-DD)."), ((Activity, "start"),)),
        Column("end", _("The end date, if set."), ((Activity, "end"),)),
        Column(
            "status",
            _("planned, ongoing, done, paused or cancelled."),
            ((Activity, "status"),),
        ),
        Column("progress", _("How far it has come, in per cent."), ((Activity, "progress"),)),
        Column("result", _("A short note on what it has led to."), ((Activity, "result"),)),
    ),
    chunks=_activity_chunks,
    observe=_activity_observe,
)


DATASETS: dict[str, Dataset] = {
    dataset.slug: dataset for dataset in (PLAN, MEASURES, VALUES, ACTIVITIES)
}


def organisation_modified(organisation: Organisation) -> datetime | None:
    """When the organisation (its name, contact or licence) last changed: part of every
    file's header and of the catalogue."""
    return _max(Organisation.history.filter(id=organisation.pk), "history_date")


def all_rows(dataset: Dataset, organisation: Organisation) -> Iterable[Row]:
    """Every row of the dataset (for tests and small uses; the views stream chunks)."""
    for chunk in dataset.chunks(organisation):
        yield from chunk
