"""The folder where uploaded import files wait: for the import after a preview, or for a job.

`TILLIT_IMPORT_DIR` (default: `<temp dir>/tillit-imports`) holds two kinds of file:
- `<token>`: a file previewed in the browser, waiting (at most an hour) for the person to
  confirm the import; the token is random and only the uploader's session knows it;
- `job-<token>`: a file an import job (`ImportJob.file_token`) waits for, until a worker has
  run the job. It is never swept while its job is queued or running, however long that is.

With several app servers, and with task workers on other machines, the folder must be
shared between all of them.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

KEEP_SECONDS = 3600
TOKEN = re.compile(r"[0-9a-f]{32}")
JOB_FILE = re.compile(r"job-([0-9a-f]{32})")


def upload_dir() -> Path:
    folder = Path(
        getattr(settings, "TILLIT_IMPORT_DIR", "") or Path(tempfile.gettempdir()) / "tillit-imports"
    )
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class Pending:
    """A previewed file: its token, its name as uploaded, and how many rows it has."""

    token: str
    name: str
    rows: int = 0

    @property
    def path(self) -> Path:
        return upload_dir() / self.token


def job_file(token: str) -> Path:
    """Where the file of the import job with this `file_token` waits."""
    return upload_dir() / f"job-{token}"


def sweep() -> None:
    """Delete previews more than an hour old, and job files whose job no longer waits.

    A job file outlives its job only when a worker died while running it (the task deletes
    the file when it ends); it goes once its job is no longer queued or running."""
    limit = time.time() - KEEP_SECONDS
    stale_jobs: dict[str, Path] = {}
    for path in upload_dir().iterdir():
        try:
            if path.stat().st_mtime >= limit:
                continue
            if TOKEN.fullmatch(path.name):
                path.unlink()
            elif match := JOB_FILE.fullmatch(path.name):
                stale_jobs[match[1]] = path
        except OSError:
            pass  # another request got there first
    if stale_jobs:
        from .models import ImportJob, ImportJobStatus

        waiting = set(
            ImportJob.objects.filter(
                file_token__in=stale_jobs,
                status__in=[ImportJobStatus.QUEUED, ImportJobStatus.RUNNING],
            ).values_list("file_token", flat=True)
        )
        for token, path in stale_jobs.items():
            if token not in waiting:
                path.unlink(missing_ok=True)
