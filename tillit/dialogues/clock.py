"""The time the dialogues go by: held or planned, "plan now", whether a record may be approved.

One function, so that tests can set the date (`monkeypatch.setattr(clock, "now", …)`)
without touching `django.utils.timezone.now`, which every `auto_now` field also reads.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate(now())
