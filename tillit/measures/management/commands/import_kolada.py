"""``manage.py import_kolada``: a Kolada key figure into a measure, all or nothing.

    import_kolada --kpi N01951 [--municipality 1444] [--years 2015-2024 | --years 2019,2021]
                  [--measure ID | --goal KEY_OR_ID] [--organisation grastorp] [--dry-run]
    import_kolada --all [--organisation grastorp] [--years …] [--dry-run]

See docs/imports.md ("Kolada").
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.core.models import Organisation
from tillit.measures.importers.kolada import (
    KoladaImportResult,
    import_kolada,
    refresh_kolada_measures,
)
from tillit.measures.models import Measure
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import PlanNode

FIRST_YEAR, LAST_YEAR = 1900, 2100


def parse_years(text: str) -> list[int]:
    """ "2015-2024", "2019,2021", "2015–2018,2021" → the years; a Swedish ValueError if not."""
    years: set[int] = set()
    for part in text.replace(" ", "").split(","):
        match = re.fullmatch(r"(\d{4})(?:[-–](\d{4}))?", part)
        if match is None:
            raise ValueError(f"”{text}” är inga år: skriv t.ex. 2024, 2015-2024 eller 2019,2021.")
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not FIRST_YEAR <= first <= LAST_YEAR or not FIRST_YEAR <= last <= LAST_YEAR:
            raise ValueError(f"”{part}” ligger utanför åren {FIRST_YEAR}–{LAST_YEAR}.")
        if last < first:
            raise ValueError(f"”{part}”: det sista året kommer före det första.")
        years.update(range(first, last + 1))
    return sorted(years)


def find_node(organisation: Organisation, goal: str) -> PlanNode:
    """A goal or area by id or by key; a key is looked for in the adopted steering
    document of the latest mandate period first, then in the others, newest first."""
    nodes = PlanNode.objects.filter(organisation=organisation).select_related("level", "document")
    if goal.isdigit():
        node = nodes.filter(pk=int(goal)).first()
    else:
        found = list(nodes.filter(key=goal).order_by("-document__start_year", "pk"))
        adopted = [n for n in found if n.document.status == DocumentStatus.ADOPTED]
        node = (adopted or found or [None])[0]
    if node is None:
        raise CommandError(
            f"Det finns inget mål eller område ”{goal}” i {organisation.name} (ange id eller "
            "nyckel, t.ex. fler-kommuninvanare)."
        )
    return node


class Command(BaseCommand):
    help = (
        "Hämtar ett nyckeltal från Kolada (API v3, KOLADA_BASE_URL) till ett verksamhetsmått: "
        "till det angivna måttet, till måttet som redan följer nyckeltalet, eller till ett nytt "
        "mått under --goal. Allt eller inget: vid minsta fel skrivs inget och kommandot "
        "avslutas med felkod. Med --all uppdateras alla mått som hämtas från Kolada."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kpi", help="Kolada-nyckeltalets id, t.ex. N01951.")
        parser.add_argument(
            "--municipality",
            help="Kommunkoden (fyra siffror, t.ex. 1444); standard: organisationens.",
        )
        parser.add_argument(
            "--years",
            help="Åren: 2015-2024, 2019,2021 eller 2024; standard: alla år Kolada har.",
        )
        parser.add_argument(
            "--measure", type=int, help="Id för måttet att fylla (det måste följa --kpi)."
        )
        parser.add_argument(
            "--goal",
            help=(
                "Målet eller området som ett nytt mått ska följa upp: id eller nyckel "
                "(t.ex. fler-kommuninvanare). Behövs bara när inget mått följer nyckeltalet."
            ),
        )
        parser.add_argument(
            "--organisation",
            help=(
                f"Organisationens kortnamn (slug); standard: {settings.TILLIT_ORGANISATION} "
                "(med --all: alla organisationer)."
            ),
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="Uppdatera alla mått som hämtas från Kolada (för schemalagd körning).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Visa vad som skulle ändras, utan att spara."
        )

    def handle(self, *args, **options) -> None:
        years = None
        if options["years"]:
            try:
                years = parse_years(options["years"])
            except ValueError as error:
                raise CommandError(str(error)) from None
        if options["all"]:
            self.refresh_all(options, years)
        else:
            self.import_one(options, years)

    def organisation(self, slug: str) -> Organisation:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"Det finns ingen organisation med kortnamnet ”{slug}”.")
        return organisation

    def import_one(self, options: dict, years: list[int] | None) -> None:
        organisation = self.organisation(options["organisation"] or settings.TILLIT_ORGANISATION)
        measure = None
        if options["measure"] is not None:
            measure = Measure.objects.filter(
                organisation=organisation, pk=options["measure"]
            ).first()
            if measure is None:
                raise CommandError(
                    f"Det finns inget mått med id {options['measure']} i {organisation.name}."
                )
        kpi = options["kpi"] or (measure.kolada_kpi if measure is not None else "")
        if not kpi:
            raise CommandError("Ange nyckeltalet med --kpi (eller --all för att uppdatera alla).")
        if measure is not None and options["goal"]:
            raise CommandError("Ange --measure eller --goal, inte båda.")
        node = find_node(organisation, options["goal"]) if options["goal"] else None
        municipality = options["municipality"]
        if municipality is None:
            municipality = organisation.municipality_code

        result = import_kolada(
            organisation=organisation,
            kpi=kpi,
            municipality=municipality,
            years=years,
            measure=measure,
            node=node,
            dry_run=options["dry_run"],
        )
        if not result.ok:
            self.write_errors(result)
            raise CommandError(result.summary())
        if options["dry_run"]:
            for change in result.changes:
                self.stdout.write(describe(change))
        self.stdout.write(self.style.SUCCESS(result.summary()))
        if result.batch is not None:
            self.stdout.write(f"Importen har nummer {result.batch.pk}.")
        if result.measure is not None and result.measure.pk is not None:
            self.stdout.write(f"Måttet har id {result.measure.pk}.")

    def refresh_all(self, options: dict, years: list[int] | None) -> None:
        given = [name for name in ("kpi", "municipality", "measure", "goal") if options[name]]
        if given:
            listed = ", ".join(f"--{name}" for name in given)
            raise CommandError(f"--all uppdaterar alla Kolada-mått: ange inte {listed}.")
        organisation = (
            self.organisation(options["organisation"]) if options["organisation"] else None
        )
        results = refresh_kolada_measures(
            organisation=organisation, years=years, dry_run=options["dry_run"]
        )
        if not results:
            self.stdout.write("Inga mått hämtas från Kolada: inget att uppdatera.")
            return
        failed = 0
        for result in results:
            name = f"{result.measure.title} (id {result.measure.pk}, {result.kpi})"
            if result.ok:
                self.stdout.write(f"{name}: {result.summary()}")
            else:
                failed += 1
                self.stderr.write(f"{name}: {result.summary()}")
                self.write_errors(result)
        done = len(results) - failed
        if failed:
            raise CommandError(
                f"{failed} av {len(results)} mått kunde inte uppdateras och är oförändrade; "
                f"{done} uppdaterades."
            )
        verb = "skulle uppdateras" if options["dry_run"] else "uppdaterade"
        self.stdout.write(self.style.SUCCESS(f"Kolada: {done} av {len(results)} mått {verb}."))

    def write_errors(self, result: KoladaImportResult) -> None:
        """Each error on its own line, unless the summary already says it (just one)."""
        if result.error_count == 1:
            return
        for error in result.errors:
            self.stderr.write(str(error))
        if result.more_errors:
            self.stderr.write(f"… och {result.more_errors} fel till.")


def describe(change) -> str:
    """ "2024, kvinnor: 2 801,5 → 2 810" """
    old = "ny" if change.created else change.old_display
    return f"{change.period_label}, {change.gender_label.lower()}: {old} → {change.new_display}"
