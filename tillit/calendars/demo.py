"""Demo dates of Grästorp's yearly calendar (årshjul): the steering cycle's fixed points.

The seeds say when things happen (the plan and budget in November, the interim report
and the annual report to the council, the economy reported to the board continuously);
the exact dates below are made up for the demo, as the meetings of the bodies are.
"""

from __future__ import annotations

import datetime as dt

from tillit.core.models import Body, Organisation, User

from .choices import EventKind
from .models import CalendarEvent

REASON = "Demodata"

# (date, kind, body, title, description)
EVENTS = [
    (
        "2025-04-28",
        EventKind.REPORT_KF,
        "KF",
        "Årsredovisning 2024",
        "Kommunfullmäktige behandlar årsredovisningen för 2024.",
    ),
    ("2025-04-07", EventKind.REPORT_KS, "KS", "Årsredovisning 2024", ""),
    ("2025-06-16", EventKind.PLAN_BUDGET, "KS", "Budgetberedning inför 2026", ""),
    ("2025-10-06", EventKind.REPORT_KS, "KS", "Delårsrapport januari–augusti 2025", ""),
    ("2025-10-27", EventKind.REPORT_KF, "KF", "Delårsrapport januari–augusti 2025", ""),
    (
        "2025-11-24",
        EventKind.PLAN_BUDGET,
        "KF",
        "Verksamhetsplan och budget 2026, ekonomisk plan 2027–2028",
        "Kommunfullmäktige antar verksamhetsplanen med prioriterade mål och "
        "verksamhetsmått, budgeten för nästa år och den ekonomiska planen.",
    ),
    ("2026-04-06", EventKind.REPORT_KS, "KS", "Årsredovisning 2025", ""),
    ("2026-04-27", EventKind.REPORT_KF, "KF", "Årsredovisning 2025", ""),
    ("2026-06-15", EventKind.PLAN_BUDGET, "KS", "Budgetberedning inför 2027", ""),
    ("2026-10-05", EventKind.REPORT_KS, "KS", "Delårsrapport januari–augusti 2026", ""),
    ("2026-10-26", EventKind.REPORT_KF, "KF", "Delårsrapport januari–augusti 2026", ""),
    (
        "2026-11-23",
        EventKind.PLAN_BUDGET,
        "KF",
        "Verksamhetsplan och budget 2027, ekonomisk plan 2028–2029",
        "Kommunfullmäktige antar verksamhetsplanen med prioriterade mål och "
        "verksamhetsmått, budgeten för nästa år och den ekonomiska planen.",
    ),
]
MONTHLY_REPORT_DAY = 20  # the economy's monthly report to KS (from issue 5 on, by data)


def load_calendar_demo(organisation: Organisation, *, by: User | None = None) -> None:
    bodies = {b.abbreviation: b for b in Body.objects.filter(organisation=organisation)}
    for date, kind, body, title, description in EVENTS:
        _ensure(
            organisation,
            dt.date.fromisoformat(date),
            kind,
            bodies.get(body),
            title,
            description,
            by,
        )
    for year in (2025, 2026):
        for month in (2, 3, 5, 6, 9, 10, 11, 12):
            _ensure(
                organisation,
                dt.date(year, month, MONTHLY_REPORT_DAY),
                EventKind.REPORT_KS,
                bodies.get("KS"),
                "Ekonomisk månadsuppföljning",
                "Utfall mot budget och helårsprognos till kommunstyrelsen.",
                by,
            )


def _ensure(organisation, date, kind, body, title, description, by) -> None:
    if CalendarEvent.objects.filter(organisation=organisation, date=date, title=title).exists():
        return
    event = CalendarEvent(
        organisation=organisation,
        date=date,
        kind=kind,
        body=body,
        title=title,
        description=description,
    )
    event._history_user = by
    event._change_reason = REASON
    event.save()
