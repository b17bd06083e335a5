from __future__ import annotations

from django.core.checks import run_checks


def _ids() -> set[str]:
    return {message.id for message in run_checks()}


def test_a_worker_without_a_shared_import_folder_is_warned_of(settings):
    settings.TILLIT_TASKS_BACKEND = "database"
    settings.TILLIT_IMPORT_DIR = None
    assert "tillit.W001" in _ids()
    settings.TILLIT_IMPORT_DIR = "/srv/tillit/imports"
    assert "tillit.W001" not in _ids()


def test_the_embedded_default_needs_no_import_folder(settings):
    settings.TILLIT_TASKS_BACKEND = "immediate"
    settings.TILLIT_IMPORT_DIR = None
    assert "tillit.W001" not in _ids()
