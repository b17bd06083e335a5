"""Import SCB's population (folkmängd, table TAB638) into a measure: one value per year.

`import_scb_population` fetches the folkmängd on 31 December of one municipality
from SCB's Statistikdatabasen (the PxWeb API v2 client in `sources/scb.py`, base
URL from `settings.SCB_BASE_URL`) and writes it with `import_values`, so the
import is all or nothing, records an `ImportBatch` (source "scb") and counts
new, changed and unchanged values like a file import. The measure it writes to is
- the one given (it must follow TAB638: `measure.scb_table`), else
- the organisation's measure that follows TAB638, else
- a new one under the given goal or area, "Folkmängd 31 december" in
  "invånare", citing "Källa: SCB", reported by gender if asked.
In a dry run nothing is written, not even the new measure.

The total (`T`) always; women and men (`K`, `M`) only into a measure reported by
gender (SCB is then asked twice: once for the total, once split by gender). A
missing value (null) clears a stored value and is otherwise nothing to store; an answer
with no value at all is an error (nothing to create, no reason to clear everything).

Shaped as `import_kolada` (importers/kolada.py), whose generic helpers it uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tillit.core.models import Organisation, User
from tillit.planning.models import PlanNode

from ..choices import Gender, MeasureKind, Source
from ..models import Measure
from ..sources.errors import SourceError
from ..sources.scb import ATTRIBUTION, POPULATION_TABLE, ScbClient, ScbValue
from .kolada import (
    NODE_LEVELS,
    STEP,
    Entries,
    SourceImportResult,
    _municipality_problem,
    _named,
    _permission_problem,
    write_values,
    years_label,
)
from .service import ImportResult
from .values import MAX_DIGITS

TABLE = POPULATION_TABLE  # "TAB638"
TITLE = "Folkmängd 31 december"
UNIT = "invånare"
DESCRIPTION = (
    "Folkmängden i kommunen den 31 december varje år, enligt SCB:s Statistikdatabasen "
    f"(tabell {TABLE}, Folkmängden efter region, civilstånd, ålder och kön)."
)


@dataclass
class ScbImportResult(SourceImportResult):
    """What an SCB import did: which table, municipality and measure."""

    table: str = TABLE

    def _source_names(self) -> dict:
        return {"table": self.table}

    def _nothing(self) -> str:
        return _("Nothing was imported from SCB: %(error)s")

    def _nothing_count(self, count: int) -> str:
        return ngettext(
            "Nothing was imported from SCB: there is %(count)s error.",
            "Nothing was imported from SCB: there are %(count)s errors.",
            count,
        )

    def _would_create(self) -> str:
        return _(
            "Would create the measure “%(title)s” under “%(node)s”, following SCB's "
            "table %(table)s for municipality %(municipality)s."
        )

    def _created(self) -> str:
        return _(
            "Created the measure “%(title)s” under “%(node)s”, following SCB's "
            "table %(table)s for municipality %(municipality)s."
        )

    def _follows(self) -> str:
        return _(
            "The measure “%(title)s” (id %(id)s) follows SCB's table %(table)s for "
            "municipality %(municipality)s."
        )


def _failed(base: dict, *messages: str, measure: Measure | None = None) -> ScbImportResult:
    return ScbImportResult.failed(base, *messages, measure=measure)


# --- the import --------------------------------------------------------------------------


def import_scb_population(
    *,
    organisation: Organisation,
    municipality: str | None = None,
    years: list[int] | None,
    measure: Measure | None = None,
    node: PlanNode | None = None,
    by_gender: bool = False,
    user: User | None = None,
    dry_run: bool = False,
    client: ScbClient | None = None,
) -> ScbImportResult:
    """Fetch the municipality's folkmängd (the organisation's own when None; every year
    when `years` is None) into the given, the linked or a new measure under `node`;
    everything or nothing. `by_gender` is for a new measure; an existing one decides
    by its own "reported by gender"."""
    if municipality is None:
        municipality = organisation.municipality_code
    municipality = (municipality or "").strip()
    base = {
        "municipality": municipality,
        "years": sorted(set(years)) if years is not None else None,
        "dry_run": dry_run,
    }
    if problem := _municipality_problem(organisation, municipality):
        return _failed(base, problem, measure=measure)
    target, problem = _target(organisation, measure, node, by_gender=by_gender)
    if problem:
        return _failed(base, problem, measure=measure)
    if problem := _permission_problem(organisation, target, user):
        return _failed(base, problem, measure=target)
    if problem := _foreign_municipality_problem(organisation, municipality, target):
        return _failed(base, problem, measure=target)

    split = target.by_gender if target is not None else by_gender
    client = client or ScbClient.from_settings()
    try:
        found = client.population([municipality], base["years"])
        if split:
            found += client.population([municipality], base["years"], by_gender=True)
    except SourceError as error:
        return _failed(base, str(error), measure=target)

    if target is None:
        assert node is not None
        target = _new_measure(organisation, node, by_gender=by_gender)
        return _import(base, organisation, target, found, user=user, create=True)
    return _import(base, organisation, target, found, user=user, create=False)


# --- checks ------------------------------------------------------------------------------


def _qualitative(measure: Measure) -> str:
    return _("“%(title)s” is a qualitative measure: SCB gives numbers, not assessments.") % {
        "title": measure.title
    }


def _target(
    organisation: Organisation,
    measure: Measure | None,
    node: PlanNode | None,
    *,
    by_gender: bool,
) -> tuple[Measure | None, str]:
    """The measure to write to (None: a new one under `node`), or what is wrong."""
    if measure is not None:
        if measure.organisation_id != organisation.pk:
            return None, _("There is no measure with id %(id)s in %(organisation)s.") % {
                "id": measure.pk,
                "organisation": organisation.name,
            }
        linked = measure.scb_table.strip().upper()
        if not linked:
            return None, _("The measure %(measure)s does not follow any SCB table.") % {
                "measure": _named(measure)
            }
        if linked != TABLE:
            return None, _(
                "The measure %(measure)s follows SCB's table %(linked)s, not %(table)s."
            ) % {"measure": _named(measure), "linked": linked, "table": TABLE}
    else:
        linked_measures = list(
            Measure.objects.filter(organisation_id=organisation.pk, scb_table__iexact=TABLE)
            .select_related("node__level")
            .order_by("pk")
        )
        if len(linked_measures) > 1:
            return None, _(
                "Several measures in %(organisation)s follow SCB's table %(table)s: "
                "%(measures)s. Say which of them to update (--measure ID)."
            ) % {
                "organisation": organisation.name,
                "table": TABLE,
                "measures": ", ".join(_named(m) for m in linked_measures),
            }
        measure = linked_measures[0] if linked_measures else None
    if measure is not None:
        if measure.kind != MeasureKind.QUANTITATIVE:
            return None, _qualitative(measure)
        if by_gender and not measure.by_gender:
            return None, _(
                "The measure %(measure)s is not reported by gender: make it so first, or "
                "import the totals only (without --by-gender)."
            ) % {"measure": _named(measure)}
        return measure, ""
    if node is None:
        return None, _(
            "No measure in %(organisation)s follows SCB's table %(table)s yet: choose the "
            "goal or area that the new measure follows up (--goal)."
        ) % {"organisation": organisation.name, "table": TABLE}
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
    """A measure from SCB is refreshed with its organisation's own figures (the measure
    does not record a municipality): another municipality's would silently be replaced."""
    own = organisation.municipality_code.strip()
    if not own or municipality == own:
        return ""
    if measure is not None and measure.source != Source.SCB:
        return ""
    return _(
        "Measures from SCB follow %(organisation)s's own municipality code (%(own)s) and "
        "are refreshed with its figures. Import the figures of %(municipality)s into a "
        "measure whose data source is not SCB (--measure)."
    ) % {"organisation": organisation.name, "own": own, "municipality": municipality}


# --- from SCB's values to rows -----------------------------------------------------------


def _entries(
    values: Iterable[ScbValue], *, municipality: str, by_gender: bool
) -> tuple[Entries, list[str]]:
    """One value per (year, gender), rounded as stored; T only unless by gender."""
    entries: Entries = {}
    problems: list[str] = []
    for item in values:
        if item.municipality.strip() != municipality:
            continue
        if item.gender != Gender.TOTAL and not by_gender:
            continue
        value = item.value
        if value is not None:
            if not value.is_finite() or abs(value) >= Decimal(10) ** MAX_DIGITS:
                problems.append(
                    _("SCB's value %(value)s for %(year)s is too large to store.")
                    % {"value": item.value, "year": item.year}
                )
                continue
            value = value.quantize(STEP, rounding=ROUND_HALF_UP)
        key = (item.year, item.gender)
        if key in entries and entries[key] != value:
            problems.append(
                _("SCB gave two different values for %(year)s (%(gender)s).")
                % {"year": item.year, "gender": str(Gender(item.gender).label).lower()}
            )
            continue
        entries[key] = value
    return entries, problems


def _new_measure(organisation: Organisation, node: PlanNode, *, by_gender: bool) -> Measure:
    """The measure to create (not saved): SCB's folkmängd, citing SCB."""
    return Measure(
        organisation=organisation,
        node=node,
        title=TITLE,
        description=f"{DESCRIPTION}\n\n{ATTRIBUTION}",
        kind=MeasureKind.QUANTITATIVE,
        unit=UNIT,
        decimals=0,
        source=Source.SCB,
        scb_table=TABLE,
        by_gender=by_gender,
    )


def _import(
    base: dict,
    organisation: Organisation,
    measure: Measure,
    values: list[ScbValue],
    *,
    user: User | None,
    create: bool,
) -> ScbImportResult:
    municipality, years = base["municipality"], base["years"]
    entries, problems = _entries(values, municipality=municipality, by_gender=measure.by_gender)
    if problems:
        return _failed(base, *problems, measure=None if create else measure)
    if all(value is None for value in entries.values()):
        # Nothing but missing values: nothing to create, and no reason to clear them all.
        return _failed(
            base,
            _("SCB has no population figures for municipality %(municipality)s (%(years)s).")
            % {
                "municipality": municipality,
                "years": years_label(years) if years is not None else _("all years"),
            },
            measure=None if create else measure,
        )
    description = f"SCB {TABLE} folkmängd, kommun {municipality}, " + (
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
        source=Source.SCB,
        fail=lambda *messages: _failed(base, *messages),
        wrap=lambda result, into, created: _as_scb(result, base, into, created=created),
    )


def _as_scb(
    result: ImportResult, base: dict, measure: Measure | None, *, created: bool
) -> ScbImportResult:
    return ScbImportResult.wrapping(result, base, measure, created=created)
