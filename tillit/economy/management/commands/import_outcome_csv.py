"""``manage.py import_outcome_csv FILE [--dry-run] [--organisation SLUG]``: outcome per
month, account and unit from a CSV file into the ledger, all or nothing (see
tillit/economy/imports.py and docs/economy.md)."""

from __future__ import annotations

from tillit.economy.imports import import_outcome_csv

from ._outcome import OutcomeImportCommand


class Command(OutcomeImportCommand):
    help = (
        "Läser in utfall per månad, konto och enhet från en CSV-fil (kolumnerna "
        "år;månad;konto;enhet;belopp) och ersätter huvudbokens utfall för filens månader. "
        "Allt eller inget: vid minsta fel sparas inget och kommandot avslutas med felkod."
    )
    importer = staticmethod(import_outcome_csv)
