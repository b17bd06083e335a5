"""``manage.py import_sie FILE [--dry-run] [--organisation SLUG]``: a SIE 4 file into the
ledger, all or nothing (see tillit/economy/imports.py and docs/economy.md)."""

from __future__ import annotations

from tillit.economy.imports import import_sie

from ._outcome import OutcomeImportCommand


class Command(OutcomeImportCommand):
    help = (
        "Läser in en SIE-fil (4E med periodsaldon eller verifikationer, eller 4I med "
        "verifikationer att lägga till) i huvudboken. Allt eller inget: vid minsta fel sparas "
        "inget och kommandot avslutas med felkod."
    )
    importer = staticmethod(import_sie)
