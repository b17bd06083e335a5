"""``manage.py import_scb``: SCB's population (folkmängd, TAB638) into a measure, all or nothing.

    import_scb [--municipality 1444] [--years 2015-2024 | --years 2019,2021]
               [--measure ID | --goal KEY_OR_ID] [--by-gender] [--organisation grastorp]
               [--dry-run]

See docs/imports.md ("SCB").
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.core.models import Organisation
from tillit.measures.importers.scb import ScbImportResult, import_scb_population
from tillit.measures.management.commands.import_kolada import describe, find_node, parse_years
from tillit.measures.models import Measure


class Command(BaseCommand):
    help = (
        "Hämtar folkmängden den 31 december från SCB (tabell TAB638, PxWeb API v2, "
        "SCB_BASE_URL) till ett verksamhetsmått: till det angivna måttet, till måttet som "
        "redan följer tabellen, eller till ett nytt mått under --goal. Allt eller inget: vid "
        "minsta fel skrivs inget och kommandot avslutas med felkod."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--municipality",
            help="Kommunkoden (fyra siffror, t.ex. 1444); standard: organisationens.",
        )
        parser.add_argument(
            "--years",
            help="Åren: 2015-2024, 2019,2021 eller 2024; standard: alla år SCB har.",
        )
        parser.add_argument(
            "--measure", type=int, help="Id för måttet att fylla (det måste följa TAB638)."
        )
        parser.add_argument(
            "--goal",
            help=(
                "Målet eller området som ett nytt mått ska följa upp: id eller nyckel "
                "(t.ex. fler-kommuninvanare). Behövs bara när inget mått följer TAB638."
            ),
        )
        parser.add_argument(
            "--by-gender",
            action="store_true",
            help="Redovisa det nya måttet per kön (kvinnor och män utöver totalt).",
        )
        parser.add_argument(
            "--organisation",
            help=f"Organisationens kortnamn (slug); standard: {settings.TILLIT_ORGANISATION}.",
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
        slug = options["organisation"] or settings.TILLIT_ORGANISATION
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"Det finns ingen organisation med kortnamnet ”{slug}”.")
        measure = None
        if options["measure"] is not None:
            measure = Measure.objects.filter(
                organisation=organisation, pk=options["measure"]
            ).first()
            if measure is None:
                raise CommandError(
                    f"Det finns inget mått med id {options['measure']} i {organisation.name}."
                )
        if measure is not None and options["goal"]:
            raise CommandError("Ange --measure eller --goal, inte båda.")
        node = find_node(organisation, options["goal"]) if options["goal"] else None

        result = import_scb_population(
            organisation=organisation,
            municipality=options["municipality"],
            years=years,
            measure=measure,
            node=node,
            by_gender=options["by_gender"],
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

    def write_errors(self, result: ScbImportResult) -> None:
        """Each error on its own line, unless the summary already says it (just one)."""
        if result.error_count == 1:
            return
        for error in result.errors:
            self.stderr.write(str(error))
        if result.more_errors:
            self.stderr.write(f"… och {result.more_errors} fel till.")
