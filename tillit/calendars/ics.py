"""iCalendar (RFC 5545) feeds of the yearly calendar, for Outlook, Google and Apple.

Times are written in UTC, dates as all-day values; UIDs are stable, so a subscribed
calendar updates an entry instead of duplicating it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event

from .selectors import Entry

PRODID = "-//Tillit//Årshjul//SV"


def render(entries: list[Entry], *, name: str, domain: str, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    # Outlook re-reads a subscription at most as often as it is asked to.
    calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT6H")
    stamp = timezone.now()
    for entry in entries:
        calendar.add_component(_event(entry, domain=domain, base_url=base_url, stamp=stamp))
    return calendar.to_ical()


def _event(entry: Entry, *, domain: str, base_url: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"{entry.uid}@{domain}")
    event.add("dtstamp", stamp)
    event.add("summary", f"{entry.body}: {entry.title}" if entry.body else entry.title)
    if entry.all_day:
        event.add("dtstart", entry.start)
        # DTEND of an all-day event is the day after the last (exclusive).
        event.add("dtend", (entry.end or entry.start) + dt.timedelta(days=1))
    else:
        event.add("dtstart", entry.start.astimezone(dt.UTC))
        end = entry.end or entry.start + dt.timedelta(hours=1)
        event.add("dtend", end.astimezone(dt.UTC))
    if entry.place:
        event.add("location", entry.place)
    if entry.description:
        event.add("description", entry.description)
    if entry.url:
        event.add("url", base_url + entry.url)
    event.add("categories", [str(entry.kind.label)])
    event.add("class", "PUBLIC" if entry.public else "PRIVATE")
    event.add("transp", "TRANSPARENT" if entry.all_day else "OPAQUE")
    return event
