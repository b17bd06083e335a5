"""Import a Kolada key figure (KPI) into a measure: one value per year and gender.

`import_kolada` fetches the KPI's values for one municipality from Kolada (the
client in `sources/kolada.py`, base URL from `settings.KOLADA_BASE_URL`) and
writes them with `import_values`, so the import is all or nothing, records an
`ImportBatch` (source "kolada") and counts new, changed and unchanged values
like a file import. The measure it writes to is
- the one given (it must follow that KPI: `measure.kolada_kpi`), else
- the organisation's measure that follows the KPI, else
- a new one under the given goal or area, titled and described as Kolada
  describes the KPI (and citing "Källa: Kolada").
In a dry run nothing is written, not even the new measure.

Kolada's values: `T` (total) always, `K` and `M` (women, men) only into a
measure reported by gender. A `null` value clears a stored value and is
otherwise nothing to store (as an empty cell in a file).

`refresh_kolada_measures` re-imports every measure whose source is Kolada, each
in its own transaction, for its organisation's municipality: for a scheduled
job (`manage.py import_kolada --all`, see docs/imports.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tillit.core.models import Organisation, User
from tillit.planning.models import PlanNode

from ..charts import format_number
from ..choices import Gender, MeasureKind, PeriodKind, Source
from ..models import Measure
from ..sources.errors import SourceError
from ..sources.kolada import ATTRIBUTION, KoladaClient, KoladaKpi, KoladaValue
from .service import Change, ImportResult, import_values
from .values import MAX_DECIMALS, MAX_DIGITS, Problem, ValueRow

KPI_ID = re.compile(r"[A-Z0-9_-]{1,20}")  # Kolada's ids look like N01951, U09400
MUNICIPALITY_CODE = re.compile(r"\d{4}")
NODE_LEVELS = ("goal", "area")  # what a measure may follow up
GENDER_ORDER = {Gender.TOTAL: 0, Gender.WOMEN: 1, Gender.MEN: 2}
STEP = Decimal(1).scaleb(-MAX_DECIMALS)

Entries = dict[tuple[int, str], Decimal | None]  # (year, gender) → value


@dataclass
class SourceImportResult(ImportResult):
    """An ImportResult from a public source (Kolada, SCB): which municipality, years and
    measure. Each source says its own sentences (`_nothing`, `_created`, …)."""

    municipality: str = ""
    years: list[int] | None = None
    measure: Measure | None = None  # the measure written to (in a dry run: would be)
    measure_created: bool = False  # the measure is new (in a dry run: would be created)

    @property
    def years_label(self) -> str:
        return years_label(self.years) if self.years is not None else _("all years")

    def summary(self) -> str:
        if not self.ok:
            if self.error_count == 1 and self.errors:
                return self._nothing() % {"error": self.errors[0]}
            return self._nothing_count(self.error_count) % {
                "count": format_number(self.error_count)
            }
        return f"{self.measure_sentence()} {self.outcome()}"

    def measure_sentence(self) -> str:
        measure = self.measure
        if measure is None:
            return ""
        names = {
            "title": measure.title,
            "id": measure.pk,
            "municipality": self.municipality,
            "node": measure.node.label if measure.node_id else "",
            **self._source_names(),
        }
        if self.measure_created:
            return (self._would_create() if self.dry_run else self._created()) % names
        return self._follows() % names

    @classmethod
    def failed(cls, base: dict, *messages: str, measure: Measure | None = None):
        problems = [Problem(message) for message in messages]
        return cls(errors=problems, error_count=len(problems), measure=measure, **base)

    @classmethod
    def wrapping(cls, result: ImportResult, base: dict, measure: Measure | None, *, created: bool):
        """The source's result for what `import_values` returned."""
        copied = {f.name: getattr(result, f.name) for f in fields(ImportResult)}
        copied.update(base)
        return cls(**copied, measure=measure, measure_created=created)

    def _source_names(self) -> dict:
        raise NotImplementedError

    def _nothing(self) -> str:
        raise NotImplementedError

    def _nothing_count(self, count: int) -> str:
        raise NotImplementedError

    def _would_create(self) -> str:
        raise NotImplementedError

    def _created(self) -> str:
        raise NotImplementedError

    def _follows(self) -> str:
        raise NotImplementedError


@dataclass
class KoladaImportResult(SourceImportResult):
    """What a Kolada import did: which KPI, municipality and measure."""

    kpi: str = ""

    def _source_names(self) -> dict:
        return {"kpi": self.kpi}

    def _nothing(self) -> str:
        return _("Nothing was imported from Kolada: %(error)s")

    def _nothing_count(self, count: int) -> str:
        return ngettext(
            "Nothing was imported from Kolada: there is %(count)s error.",
            "Nothing was imported from Kolada: there are %(count)s errors.",
            count,
        )

    def _would_create(self) -> str:
        return _(
            "Would create the measure “%(title)s” under “%(node)s”, following Kolada "
            "%(kpi)s for municipality %(municipality)s."
        )

    def _created(self) -> str:
        return _(
            "Created the measure “%(title)s” under “%(node)s”, following Kolada "
            "%(kpi)s for municipality %(municipality)s."
        )

    def _follows(self) -> str:
        return _(
            "The measure “%(title)s” (id %(id)s) follows Kolada %(kpi)s for municipality "
            "%(municipality)s."
        )


def years_label(years: Sequence[int]) -> str:
    """[2015, 2016, 2017] → "2015–2017"; [2019, 2021] → "2019, 2021"."""
    ordered = sorted(set(years))
    if not ordered:
        return ""
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}–{ordered[-1]}"
    return ", ".join(str(year) for year in ordered)


def _named(measure: Measure) -> str:
    return _("“%(title)s” (id %(id)s)") % {"title": measure.title, "id": measure.pk}


def _failed(base: dict, *messages: str, measure: Measure | None = None) -> KoladaImportResult:
    return KoladaImportResult.failed(base, *messages, measure=measure)


# --- the import --------------------------------------------------------------------------


def import_kolada(
    *,
    organisation: Organisation,
    kpi: str,
    municipality: str,
    years: list[int] | None,
    measure: Measure | None = None,
    node: PlanNode | None = None,
    user: User | None = None,
    dry_run: bool = False,
    client: KoladaClient | None = None,
) -> KoladaImportResult:
    """Fetch the KPI's values for the municipality (all years when `years` is None) into
    the given, the linked or a new measure under `node`; everything or nothing."""
    kpi = (kpi or "").strip().upper()
    municipality = (municipality or "").strip()
    base = {
        "kpi": kpi,
        "municipality": municipality,
        "years": sorted(set(years)) if years is not None else None,
        "dry_run": dry_run,
    }
    if problem := _argument_problem(organisation, kpi, municipality):
        return _failed(base, problem, measure=measure)
    target, problem = _target(organisation, kpi, measure, node)
    if problem:
        return _failed(base, problem, measure=measure)
    if problem := _permission_problem(organisation, target, user):
        return _failed(base, problem, measure=target)
    if problem := _foreign_municipality_problem(organisation, municipality, target):
        return _failed(base, problem, measure=target)

    client = client or KoladaClient.from_settings()
    described: KoladaKpi | None = None
    try:
        if target is None:
            described = next((k for k in client.kpis([kpi]) if k.id.upper() == kpi), None)
            if described is None:
                return _failed(base, _("Kolada has no KPI %(kpi)s.") % {"kpi": kpi})
        found = client.values([kpi], [municipality], base["years"])
    except SourceError as error:
        return _failed(base, str(error), measure=target)

    if target is None:
        assert node is not None and described is not None
        target = _new_measure(organisation, node, described, found)
        return _import(base, organisation, target, found, user=user, create=True)
    return _import(base, organisation, target, found, user=user, create=False)


def refresh_kolada_measures(
    *,
    organisation: Organisation | None = None,
    years: list[int] | None = None,
    dry_run: bool = False,
    client: KoladaClient | None = None,
) -> list[KoladaImportResult]:
    """Re-import every measure whose source is Kolada (of one organisation, or of all),
    for its organisation's municipality. One request per organisation and up to 25 KPIs;
    each measure is written in its own transaction, so one failure stops only that one."""
    linked = Measure.objects.filter(source=Source.KOLADA).exclude(kolada_kpi="")
    if organisation is not None:
        linked = linked.filter(organisation_id=organisation.pk)
    measures = list(
        linked.select_related("organisation", "node__level").order_by(
            "organisation__name", "title", "pk"
        )
    )
    if not measures:
        return []
    client = client or KoladaClient.from_settings()
    by_municipality: dict[tuple[int, str], list[Measure]] = defaultdict(list)
    for measure in measures:
        code = measure.organisation.municipality_code.strip()
        by_municipality[(measure.organisation_id, code)].append(measure)

    results: dict[int, KoladaImportResult] = {}
    for (_organisation_id, municipality), group in by_municipality.items():
        kpis = sorted({m.kolada_kpi.strip().upper() for m in group} - {""})
        kpis = [kpi for kpi in kpis if not _kpi_problem(kpi)]
        fetched: dict[str, list[KoladaValue]] = defaultdict(list)
        fetch_problem = _municipality_problem(group[0].organisation, municipality)
        if not fetch_problem and kpis:
            try:
                for value in client.values(kpis, [municipality], years):
                    fetched[value.kpi.strip().upper()].append(value)
            except SourceError as error:
                fetch_problem = str(error)
        for measure in group:
            kpi = measure.kolada_kpi.strip().upper()
            base = {
                "kpi": kpi,
                "municipality": municipality,
                "years": sorted(set(years)) if years is not None else None,
                "dry_run": dry_run,
            }
            problem = fetch_problem or _argument_problem(measure.organisation, kpi, municipality)
            if not problem and measure.kind != MeasureKind.QUANTITATIVE:
                problem = _qualitative(measure)
            if problem:
                results[measure.pk] = _failed(base, problem, measure=measure)
                continue
            results[measure.pk] = _import(
                base, measure.organisation, measure, fetched[kpi], user=None, create=False
            )
    return [results[measure.pk] for measure in measures]


# --- checks ------------------------------------------------------------------------------


def _argument_problem(organisation: Organisation, kpi: str, municipality: str) -> str:
    return _kpi_problem(kpi) or _municipality_problem(organisation, municipality)


def _kpi_problem(kpi: str) -> str:
    if not KPI_ID.fullmatch(kpi):
        return _("“%(kpi)s” is not a Kolada KPI id (e.g. N01951).") % {"kpi": kpi}
    return ""


def _municipality_problem(organisation: Organisation, municipality: str) -> str:
    if not municipality:
        return _("There is no municipality code: %(organisation)s has none set, so give one.") % {
            "organisation": organisation.name
        }
    if not MUNICIPALITY_CODE.fullmatch(municipality):
        return _("“%(code)s” is not a municipality code (four digits, e.g. 1444).") % {
            "code": municipality
        }
    return ""


def _qualitative(measure: Measure) -> str:
    return _("“%(title)s” is a qualitative measure: Kolada gives numbers, not assessments.") % {
        "title": measure.title
    }


def _target(
    organisation: Organisation, kpi: str, measure: Measure | None, node: PlanNode | None
) -> tuple[Measure | None, str]:
    """The measure to write to (None: a new one under `node`), or what is wrong."""
    if measure is not None:
        if measure.organisation_id != organisation.pk:
            return None, _("There is no measure with id %(id)s in %(organisation)s.") % {
                "id": measure.pk,
                "organisation": organisation.name,
            }
        linked = measure.kolada_kpi.strip().upper()
        if not linked:
            return None, _("The measure %(measure)s does not follow any Kolada KPI.") % {
                "measure": _named(measure)
            }
        if linked != kpi:
            return None, _("The measure %(measure)s follows Kolada %(linked)s, not %(kpi)s.") % {
                "measure": _named(measure),
                "linked": linked,
                "kpi": kpi,
            }
    else:
        linked_measures = list(
            Measure.objects.filter(organisation_id=organisation.pk, kolada_kpi__iexact=kpi)
            .select_related("node__level")
            .order_by("pk")
        )
        if len(linked_measures) > 1:
            return None, _(
                "Several measures in %(organisation)s follow Kolada %(kpi)s: %(measures)s. "
                "Say which of them to update (--measure ID)."
            ) % {
                "organisation": organisation.name,
                "kpi": kpi,
                "measures": ", ".join(_named(m) for m in linked_measures),
            }
        measure = linked_measures[0] if linked_measures else None
    if measure is not None:
        if measure.kind != MeasureKind.QUANTITATIVE:
            return None, _qualitative(measure)
        return measure, ""
    if node is None:
        return None, _(
            "No measure in %(organisation)s follows Kolada %(kpi)s yet: choose the goal or "
            "area that the new measure follows up (--goal)."
        ) % {"organisation": organisation.name, "kpi": kpi}
    if node.organisation_id != organisation.pk:
        return None, _("The plan element belongs to another organisation.")
    if node.level.key not in NODE_LEVELS:
        return None, _("A measure follows up a goal or an area, not a %(level)s.") % {
            "level": node.level.name.lower()
        }
    return None, ""


def _foreign_municipality_problem(
    organisation: Organisation, municipality: str, measure: Measure | None
) -> str:
    """A measure from Kolada is refreshed with its organisation's own figures (the measure
    does not record a municipality): another municipality's would silently be replaced."""
    own = organisation.municipality_code.strip()
    if not own or municipality == own:
        return ""
    if measure is not None and measure.source != Source.KOLADA:
        return ""
    return _(
        "Measures from Kolada follow %(organisation)s's own municipality code (%(own)s) and "
        "are refreshed with its figures. Import the figures of %(municipality)s into a "
        "measure whose data source is not Kolada (--measure)."
    ) % {"organisation": organisation.name, "own": own, "municipality": municipality}


def _permission_problem(
    organisation: Organisation, measure: Measure | None, user: User | None
) -> str:
    if user is None:
        return ""
    if measure is None:
        if not user.has_perm("measures.edit_measure", organisation):
            return _("You may not create measures in %(organisation)s.") % {
                "organisation": organisation.name
            }
        return ""
    if not user.has_perm("measures.enter_values", measure):
        return _("You may not enter values for “%(measure)s”.") % {"measure": measure.title}
    return ""


# --- from Kolada's values to rows --------------------------------------------------------


def _entries(
    values: Iterable[KoladaValue], *, kpi: str, municipality: str, by_gender: bool
) -> tuple[Entries, list[str]]:
    """One value per (year, gender), rounded as stored; T only unless by gender."""
    entries: Entries = {}
    problems: list[str] = []
    for item in values:
        if item.kpi.strip().upper() != kpi or item.municipality.strip() != municipality:
            continue
        if item.gender != Gender.TOTAL and not by_gender:
            continue
        value = item.value
        if value is not None:
            if not value.is_finite() or abs(value) >= Decimal(10) ** MAX_DIGITS:
                problems.append(
                    _("Kolada's value %(value)s for %(year)s is too large to store.")
                    % {"value": item.value, "year": item.period}
                )
                continue
            value = value.quantize(STEP, rounding=ROUND_HALF_UP)
        key = (item.period, item.gender)
        if key in entries and entries[key] != value:
            problems.append(
                _("Kolada gave two different values for %(year)s (%(gender)s).")
                % {"year": item.period, "gender": str(Gender(item.gender).label).lower()}
            )
            continue
        entries[key] = value
    return entries, problems


def _rows(entries: Entries, measure_id: int) -> list[ValueRow]:
    """Rows for import_values. Row 0: errors then name no row (there is no file)."""
    return [
        ValueRow(
            row=0,
            measure_id=measure_id,
            year=year,
            period_kind=PeriodKind.YEAR,
            period=1,
            gender=gender,
            value=value,
        )
        for (year, gender), value in sorted(
            entries.items(), key=lambda item: (item[0][0], GENDER_ORDER[item[0][1]])
        )
    ]


def _decimals(values: Iterable[KoladaValue]) -> int:
    """As many decimals as Kolada's values have (at most the four stored)."""
    most = 0
    for item in values:
        if item.value is not None:
            exponent = item.value.normalize().as_tuple().exponent
            if isinstance(exponent, int):
                most = max(most, -exponent)
    return min(most, MAX_DECIMALS)


def _new_measure(
    organisation: Organisation, node: PlanNode, kpi: KoladaKpi, values: list[KoladaValue]
) -> Measure:
    """The measure to create (not saved): as Kolada describes the KPI, citing Kolada."""
    description = "\n\n".join(part for part in (kpi.description.strip(), ATTRIBUTION) if part)
    mine = [v for v in values if v.kpi.strip().upper() == kpi.id.upper()]
    return Measure(
        organisation=organisation,
        node=node,
        title=(kpi.title.strip() or kpi.id)[:300],
        description=description,
        kind=MeasureKind.QUANTITATIVE,
        unit="",
        decimals=_decimals(mine),
        source=Source.KOLADA,
        kolada_kpi=kpi.id.upper(),
        by_gender=kpi.is_divided_by_gender,
    )


class _Rollback(Exception):
    def __init__(self, result: ImportResult) -> None:
        super().__init__()
        self.result = result


def _import(
    base: dict,
    organisation: Organisation,
    measure: Measure,
    values: list[KoladaValue],
    *,
    user: User | None,
    create: bool,
) -> KoladaImportResult:
    kpi, municipality, years = base["kpi"], base["municipality"], base["years"]
    entries, problems = _entries(
        values, kpi=kpi, municipality=municipality, by_gender=measure.by_gender
    )
    if problems:
        return _failed(base, *problems, measure=None if create else measure)
    if not entries:
        return _failed(
            base,
            _("Kolada has no values of %(kpi)s for municipality %(municipality)s (%(years)s).")
            % {
                "kpi": kpi,
                "municipality": municipality,
                "years": years_label(years) if years is not None else _("all years"),
            },
            measure=None if create else measure,
        )
    description = f"Kolada {kpi}, kommun {municipality}, " + (
        years_label(years) if years is not None else "alla år"
    )

    return write_values(
        organisation=organisation,
        measure=measure,
        create=create,
        entries=entries,
        user=user,
        description=description,
        dry_run=base["dry_run"],
        source=Source.KOLADA,
        fail=lambda *messages: _failed(base, *messages),
        wrap=lambda result, into, created: _as_kolada(result, base, into, created=created),
    )


def write_values(
    *,
    organisation: Organisation,
    measure: Measure,
    create: bool,
    entries: Entries,
    user: User | None,
    description: str,
    dry_run: bool,
    source: str,
    fail: Callable[..., ImportResult],
    wrap: Callable[[ImportResult, Measure | None, bool], ImportResult],
) -> ImportResult:
    """Write a public source's values into a measure, creating the measure if it is new,
    all in one transaction: if anything fails, neither the measure nor a value is kept.

    `fail(*messages)` makes the source's failed result; `wrap(result, measure, created)`
    turns an ImportResult into the source's result. Shared by the Kolada and SCB imports.
    """
    if create and dry_run:
        # Nothing is written, not even the measure: every value would be new.
        try:
            measure.full_clean()
        except ValidationError as error:
            return fail(*error.messages)
        return wrap(_new_values(entries, measure), measure, True)

    try:
        with transaction.atomic():
            if create:
                try:
                    measure.full_clean()
                except ValidationError as error:
                    raise _Rollback(fail(*error.messages)) from None
                measure.save()
            result = import_values(
                rows=_rows(entries, measure.pk),
                organisation=organisation,
                user=user,
                description=description,
                dry_run=dry_run,
                source=source,
            )
            if not result.ok:
                raise _Rollback(result)
    except _Rollback as rollback:
        if create:
            measure.pk = None
        failed = rollback.result
        if type(failed) is not ImportResult:  # already the source's own result
            return failed
        return wrap(failed, None if create else measure, False)
    return wrap(result, measure, create)


def _new_values(entries: Entries, measure: Measure) -> ImportResult:
    """What importing into a measure not yet created would do: every value is new."""
    result = ImportResult(dry_run=True)
    for (year, gender), value in sorted(
        entries.items(), key=lambda item: (item[0][0], GENDER_ORDER[item[0][1]])
    ):
        if value is None:
            result.unchanged += 1
            continue
        result.created += 1
        result.changes.append(
            Change(
                row=0,
                measure=measure,
                year=year,
                period_kind=PeriodKind.YEAR,
                period=1,
                gender=gender,
                created=True,
                old_value=None,
                new_value=value,
                old_grade="",
                new_grade="",
                old_comment="",
                new_comment="",
            )
        )
    return result


def _as_kolada(
    result: ImportResult, base: dict, measure: Measure | None, *, created: bool
) -> KoladaImportResult:
    return KoladaImportResult.wrapping(result, base, measure, created=created)
