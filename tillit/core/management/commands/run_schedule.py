"""``manage.py run_schedule [--list]``: enqueue the periodic jobs that are due.

Meant for a systemd timer every few minutes, on one machine or several: each job's slot is
enqueued exactly once (see tillit/core/scheduling.py). The workers run the tasks.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tillit.core import scheduling


class Command(BaseCommand):
    help = (
        "Lägger de schemalagda jobb som står på tur i kön för bakgrundsarbetarna "
        "(manage.py db_worker), varje jobb en gång per tillfälle även när kommandot körs på "
        "flera maskiner. Kör det med några minuters mellanrum, t.ex. från en systemd-timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list",
            action="store_true",
            dest="show_list",
            help="Visa jobben, hur ofta de körs och när de senast lades i kön; lägg inget i kön.",
        )

    def handle(self, *args, show_list: bool, **options) -> None:
        if show_list:
            self.list_jobs()
            return
        runs = scheduling.run_due()
        for run in runs:
            slot = self.local(run.slot)
            self.stdout.write(f"{run.job}: i kön för {slot} (uppgift {run.task_id}).")
        if not runs and options["verbosity"] > 1:
            self.stdout.write("Inget jobb står på tur.")
        if runs and settings.TILLIT_TASKS_BACKEND == "immediate":
            self.stdout.write("(TILLIT_TASKS_BACKEND=immediate: uppgifterna har redan körts.)")

    def list_jobs(self) -> None:
        latest = scheduling.last_runs([job.name for job in scheduling.JOBS])
        now = timezone.now()
        for job in scheduling.JOBS:
            run = latest.get(job.name)
            if run is None:
                last = "aldrig i kön"
            else:
                last = f"senast {self.local(run.slot)} (i kön {self.local(run.enqueued_at)})"
            due = "" if run is not None and run.slot == job.slot(now) else ", står på tur"
            self.stdout.write(f"{job.name}: {job.every}; {last}{due}.")
            if job.description:
                self.stdout.write(f"    {job.description}")

    def local(self, moment) -> str:
        return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
