"""``manage.py import_measure_values FILE [--dry-run]``: values from a file, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.core.models import Organisation, User
from tillit.measures.importers import import_file


class Command(BaseCommand):
    help = (
        "Läser in värden för verksamhetsmått från en .xlsx- eller .csv-fil (kolumnerna beskrivs "
        "i docs/imports.md). Allt eller inget: vid minsta fel skrivs inget och kommandot "
        "avslutas med felkod."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Filen att läsa in (.xlsx eller .csv).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Visa vad som skulle ändras, utan att spara något.",
        )
        parser.add_argument(
            "--organisation",
            default=settings.TILLIT_ORGANISATION,
            help="Organisationens kortnamn (slug); standard: %(default)s.",
        )
        parser.add_argument(
            "--user",
            help=(
                "Användarnamnet på den som läser in: värdena skrivs i dennes namn och bara för "
                "mått som hen får lägga in värden för. Utan --user görs ingen behörighetskontroll."
            ),
        )

    def handle(
        self,
        *args,
        file: str,
        dry_run: bool,
        organisation: str,
        user: str | None,
        **options,
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Filen ”{file}” finns inte.")
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"Det finns ingen organisation med kortnamnet ”{organisation}”.")
        person = None
        if user:
            person = User.objects.filter(username=user).first()
            if person is None:
                raise CommandError(f"Det finns ingen användare med användarnamnet ”{user}”.")

        result = import_file(
            source=path, name=path.name, organisation=org, user=person, dry_run=dry_run
        )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.more_errors:
                self.stderr.write(f"… och {result.more_errors} fel till.")
            raise CommandError(result.summary())

        if dry_run:
            for change in result.changes:
                self.stdout.write(change.describe())
        self.stdout.write(self.style.SUCCESS(result.summary()))
        if result.batch is not None:
            self.stdout.write(f"Importen har nummer {result.batch.pk}.")
