"""Background tasks of the yearly calendar (see tillit/core/scheduling.py for when)."""

from __future__ import annotations

import logging

from django_tasks import task

from tillit.core.models import Organisation

from .reminders import send_reminders

logger = logging.getLogger(__name__)


@task()
def send_reminders_everywhere() -> int:
    """Today's reminders for every organisation; one organisation's failure does not stop
    the others (it is logged, and the next day's run tries again)."""
    total = 0
    for organisation in Organisation.objects.all():
        try:
            total += send_reminders(organisation)
        except Exception:
            logger.exception("Reminders for %s failed.", organisation.slug)
    return total
