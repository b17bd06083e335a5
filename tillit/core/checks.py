"""System checks (`manage.py check`) for settings that only bite in production."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def import_folder_is_shared(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """With a task worker, an upload waits in TILLIT_IMPORT_DIR for the worker to read it:
    left unset, it lies in each process's own temporary folder (systemd's PrivateTmp
    gives every unit its own), and the worker cannot find the file."""
    backend = getattr(settings, "TILLIT_TASKS_BACKEND", "immediate")
    if backend == "database" and not getattr(settings, "TILLIT_IMPORT_DIR", None):
        return [
            checks.Warning(
                "TILLIT_TASKS_BACKEND=database but TILLIT_IMPORT_DIR is not set.",
                hint="Set TILLIT_IMPORT_DIR to a folder that the app servers and the "
                "workers share, or large imports fail in the worker.",
                id="tillit.W001",
            )
        ]
    return []
