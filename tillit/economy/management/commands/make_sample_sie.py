"""``manage.py make_sample_sie OUTPUT [--year 2026] [--through 10] [--encoding cp437]``:
write the demo's accounting (tillit/economy/demo.py) as a SIE 4E file.

It is the file `make run` reads into the demo, for trying the import page or another
system's SIE import: `manage.py import_sie OUTPUT --dry-run` reads it back.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.economy import sie
from tillit.economy.demo import closing_balances, sample_sie
from tillit.economy.fields import MONTH_NAMES


class Command(BaseCommand):
    help = "Skriver demokommunens bokföring för ett år som en SIE 4E-fil."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", help="Filen att skriva (”-” för standard ut).")
        parser.add_argument("--year", type=int, default=2026, help="Året (2025 eller 2026).")
        parser.add_argument(
            "--through", type=int, default=None, help="Sista månaden (standard: 12, 2026: 10)."
        )
        parser.add_argument(
            "--encoding",
            choices=("cp437", "utf-8"),
            default="cp437",
            help="Teckenkodning: cp437 (PC8, som SIE föreskriver) eller utf-8.",
        )

    def handle(
        self, *args, output: str, year: int, through: int | None, encoding: str, **options
    ) -> None:
        if year not in (2025, 2026):
            raise CommandError("Demons bokföring finns för 2025 och 2026.")
        through = through or (10 if year == 2026 else 12)
        if not 1 <= through <= 12:
            raise CommandError(f"”{through}” är ingen månad (1–12).")
        opening = None
        if year == 2026:
            opening = closing_balances(sample_sie(2025, 12))
        data = sie.write(sample_sie(year, through, opening=opening), encoding=encoding)
        if output == "-":
            sys.stdout.buffer.write(data)
            return
        Path(output).write_bytes(data)
        self.stdout.write(
            f"Skrev {output}: {len(data)} byte, januari–{MONTH_NAMES[through - 1]} {year}."
        )
