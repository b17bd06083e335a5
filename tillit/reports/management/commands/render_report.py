"""``manage.py render_report --kind delarsrapport|arsredovisning --year 2025
--format pdf|docx|xlsx|html --output FILE``: a report to a file, as the web does it.

A report that kommunstyrelsen has approved is rendered from its frozen snapshot, so the
file is byte for byte the one the web gives. A report not created yet is composed from the
data as a draft (an interim report through August unless `--through-month` says else).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.timezone import localtime

from tillit.core.models import Organisation
from tillit.reports.choices import OutputFormat, ReportKind
from tillit.reports.models import Report
from tillit.reports.render import render
from tillit.reports.services import content_of, default_period
from tillit.reports.tasks import kept_bytes

KINDS = [kind.slug for kind in ReportKind]


class Command(BaseCommand):
    help = (
        "Skriver en delårsrapport eller årsredovisning till en fil (PDF, DOCX, XLSX eller "
        "HTML). En godkänd rapport skrivs ut från sin låsta version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=KINDS, help="Vilken rapport.")
        parser.add_argument("--year", required=True, type=int, help="Rapportens år.")
        parser.add_argument(
            "--format", required=True, choices=[f.value for f in OutputFormat], help="Filformat."
        )
        parser.add_argument("--output", required=True, help="Filen som skrivs; - för standard ut.")
        parser.add_argument(
            "--through-month",
            type=int,
            choices=range(1, 12),
            metavar="1–11",
            help="Delårsrapportens sista månad, om rapporten inte är skapad (standard 8).",
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
        kind = ReportKind.from_slug(options["kind"])
        year = options["year"]
        report = Report.objects.filter(organisation=organisation, kind=kind, year=year).first()
        if report is None:
            through = 12 if kind == ReportKind.ANNUAL else (options["through_month"] or 8)
            report = Report(
                organisation=organisation,
                kind=kind,
                year=year,
                through_month=through,
                followup_period=default_period(organisation, kind, year),
            )
            self.stderr.write(f"{report.title} är inte skapad: den sammanställs som ett utkast.")
        elif options["through_month"] and options["through_month"] != report.through_month:
            raise CommandError(
                f"{report.title} är skapad och gäller till och med månad {report.through_month}."
            )

        kept = kept_bytes(report, options["format"]) if report.pk else None
        if kept is not None:
            job, data = kept
            made = localtime(job.created_at)
            self.stderr.write(
                f"{report.title} är låst: filen som gjordes {made:%Y-%m-%d %H:%M} "
                "skrivs ut som den är."
            )
        else:
            data = self._render(report, options["format"])
        self._write(report, data, options["output"])

    def _render(self, report: Report, fmt: str) -> bytes:
        def progress(percent: int, step: str) -> None:
            self.stderr.write(f"{percent:3d} % {step}")

        with translation.override("sv"):
            progress(0, "Rapporten sammanställs …")
            # a report not yet created is composed as a draft
            return render(content_of(report), fmt, progress=progress)

    def _write(self, report: Report, data: bytes, output: str) -> None:
        if output == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            try:
                Path(output).write_bytes(data)
            except OSError as error:
                raise CommandError(
                    f"Filen {output} går inte att skriva: {error.strerror}."
                ) from None
        state = "låst version" if report.pk and report.is_frozen else "utkast"
        self.stderr.write(
            f"{report.title} ({state}) skriven till {output}: {len(data):,} byte, "
            f"SHA-256 {hashlib.sha256(data).hexdigest()}".replace(",", " ")
        )
