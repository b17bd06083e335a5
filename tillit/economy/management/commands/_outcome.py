"""What `import_sie` and `import_outcome_csv` share: the arguments, the run, the summary."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.core.models import Organisation
from tillit.economy.imports import ImportReport, OutcomeImportError, months_label


class OutcomeImportCommand(BaseCommand):
    """Reads FILE with `importer` (a function of tillit/economy/imports.py)."""

    importer = None

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Filen som ska läsas in.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Provläs: kontrollera filen och visa vad som skulle ändras, utan att spara.",
        )
        parser.add_argument(
            "--organisation",
            help=f"Organisationens kortnamn (slug); standard: {settings.TILLIT_ORGANISATION}.",
        )

    def handle(self, *args, **options) -> None:
        slug = options["organisation"] or settings.TILLIT_ORGANISATION
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"Det finns ingen organisation med kortnamnet ”{slug}”.")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Filen {path} går inte att läsa: {error.strerror}.") from None
        try:
            report = type(self).importer(
                organisation, data, file_name=path.name, dry_run=options["dry_run"]
            )
        except OutcomeImportError as error:
            raise CommandError(
                f"{path.name} lästes inte in; inget har ändrats.\n" + "\n".join(error.messages)
            ) from None
        self.stdout.write(describe(report))


def describe(report: ImportReport) -> str:
    """The report in Swedish, a line per fact."""
    lines = [
        f"{report.file_name}: {months_label(report.first_month, report.last_month)} {report.year}.",
        f"Rader i huvudboken: {report.rows}"
        + (" (tillagda)." if report.record and report.record.summary.get("mode") == "add" else "."),
        f"Ersatta rader: {report.replaced}.",
    ]
    if report.accounts_created:
        lines.append("Nya konton: " + ", ".join(report.accounts_created) + ".")
    if report.objects_created:
        lines.append("Nya objekt: " + "; ".join(report.objects_created) + ".")
    if report.objects_without_unit:
        lines.append(
            "Objekt utan enhet (utfallet hör till kommunen som helhet tills de kopplas): "
            + "; ".join(report.objects_without_unit)
            + "."
        )
    if report.skipped:
        lines.append(
            "Okända poster som hoppades över: "
            + ", ".join(f"rad {line} ({label})" for line, label in report.skipped)
            + "."
        )
    if report.warnings:
        lines.append("Varningar:")
        lines.extend(f"- {warning}" for warning in report.warnings)
    if report.dry_run:
        lines.append("Provläsning: inget sparades.")
    return "\n".join(lines)
