"""The yearly calendar (årshjul): every dated thing of the steering cycle in one list.

Dates come from where they are kept: the calendar's own events (budget, reports to KS
and KF), the follow-up periods' deadlines, the committees' meetings (dialogues) and
the decisions that adopted the operational plans. Each source is one query, whatever
the number of dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.core.models import Body, Organisation, User
from tillit.followup.models import FollowUpPeriod
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import OperationalPlan, PlanNode

from .choices import EventKind
from .models import CalendarEvent


@dataclass(frozen=True)
class Entry:
    """One date in the calendar, whatever it comes from."""

    uid: str  # stable across reads: the feed's UID, the page's anchor
    title: str
    kind: EventKind
    start: dt.date | dt.datetime  # a date for all-day entries, else an aware datetime
    end: dt.date | dt.datetime | None = None  # inclusive last day, or the end time
    place: str = ""
    description: str = ""
    url: str = ""
    body: str = ""  # the body's abbreviation
    body_id: int | None = None
    public: bool = True
    event_id: int | None = None  # a CalendarEvent's id: editable on the page
    goals: tuple[str, ...] = field(default=())

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def day(self) -> dt.date:
        if isinstance(self.start, dt.datetime):
            return timezone.localtime(self.start).date()
        return self.start

    @property
    def sort_key(self) -> tuple:
        time = timezone.localtime(self.start).time() if not self.all_day else dt.time.min
        return (self.day, time, self.title)


@dataclass
class Month:
    number: int
    first: dt.date
    entries: list[Entry]


def _events(organisation: Organisation, start: dt.date, end: dt.date, *, public_only: bool):
    events = CalendarEvent.objects.filter(organisation=organisation).filter(
        Q(date__range=(start, end)) | Q(date__lt=start, end_date__gte=start)
    )
    if public_only:
        events = events.filter(is_public=True)
    for event in events.select_related("body"):
        if event.start_time is not None:
            begin = timezone.make_aware(dt.datetime.combine(event.date, event.start_time))
            finish = None
        else:
            begin, finish = event.date, event.end_date
        yield Entry(
            uid=f"event-{event.pk}",
            title=event.title,
            kind=EventKind(event.kind),
            start=begin,
            end=finish,
            place=event.place,
            description=event.description,
            url=event.get_absolute_url(),
            body=event.body.abbreviation if event.body else "",
            body_id=event.body_id,
            public=event.is_public,
            event_id=event.pk,
        )


def _deadlines(organisation: Organisation, start: dt.date, end: dt.date):
    for period in FollowUpPeriod.objects.filter(
        organisation=organisation, deadline__range=(start, end)
    ):
        yield Entry(
            uid=f"deadline-{period.pk}",
            title=_("Deadline for assessments: %(period)s") % {"period": period.name},
            kind=EventKind.FOLLOW_UP,
            start=period.deadline,
            description=_("The assessments of %(period)s are to be written and submitted.")
            % {"period": period.name},
            url=reverse("followup:period", args=[period.pk]),
            public=False,
        )


def _adoptions(organisation: Organisation, start: dt.date, end: dt.date):
    plans = OperationalPlan.objects.filter(
        organisation=organisation, decision__date__range=(start, end)
    ).select_related("decision__body")
    for plan in plans:
        decision = plan.decision
        yield Entry(
            uid=f"plan-{plan.pk}",
            title=_("%(body)s adopts %(plan)s")
            % {"body": decision.body.abbreviation, "plan": plan.title},
            kind=EventKind.PLAN_BUDGET,
            start=decision.date,
            description=decision.reference,
            url=plan.get_absolute_url(),
            body=decision.body.abbreviation,
            body_id=decision.body_id,
        )


def _meetings(organisation: Organisation, start: dt.date, end: dt.date, *, public_only: bool):
    from tillit.dialogues.models import Meeting  # the dialogues build on the plan, as we do

    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(end, dt.time.max))
    meetings = Meeting.objects.filter(organisation=organisation, starts_at__range=(first, last))
    if public_only:
        meetings = meetings.filter(is_public=True)
    # The goals' labels name their level: read the levels with them, not one by one.
    goals_of = PlanNode.objects.select_related("level")
    if public_only:
        # The public sees the goals of adopted plans only, and not the meeting's notes.
        goals_of = goals_of.filter(document__status__in=[s for s in DocumentStatus if s.is_public])
    with_levels = Prefetch("goals", queryset=goals_of)
    for meeting in meetings.select_related("body").prefetch_related(with_levels):
        goals = tuple(goal.label for goal in meeting.goals.all())
        description = "" if public_only else meeting.notes
        if goals:
            description = "\n".join(
                [_("Dialogue on:"), *(f"– {goal}" for goal in goals), "", description]
            ).strip()
        yield Entry(
            uid=f"meeting-{meeting.pk}",
            title=meeting.title,
            kind=EventKind.DIALOGUE if goals else EventKind.MEETING,
            start=meeting.starts_at,
            end=meeting.ends_at,
            place=meeting.place,
            description=description,
            url=meeting.get_absolute_url(),
            body=meeting.body.abbreviation,
            body_id=meeting.body_id,
            public=meeting.is_public,
            goals=goals,
        )


def entries_between(
    organisation: Organisation, start: dt.date, end: dt.date, *, staff: bool
) -> list[Entry]:
    """Every date of the organisation from `start` to `end`; the public ones only unless
    `staff` (deadlines and non-public meetings are the staff's)."""
    entries = [
        *_events(organisation, start, end, public_only=not staff),
        *_meetings(organisation, start, end, public_only=not staff),
        *_adoptions(organisation, start, end),
    ]
    if staff:
        entries += _deadlines(organisation, start, end)
    return sorted(entries, key=lambda e: e.sort_key)


def year_months(organisation: Organisation, year: int, *, staff: bool) -> list[Month]:
    """The year's dates, month by month (every month, empty ones too: it is a wheel)."""
    entries = entries_between(organisation, dt.date(year, 1, 1), dt.date(year, 12, 31), staff=staff)
    months = [Month(number=n, first=dt.date(year, n, 1), entries=[]) for n in range(1, 13)]
    for entry in entries:
        day = entry.day if entry.day.year == year else dt.date(year, 1, 1)
        months[day.month - 1].entries.append(entry)
    return months


def feed_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """What a feed holds: a year back and a year and a half ahead."""
    return today - dt.timedelta(days=366), today + dt.timedelta(days=550)


def person_entries(user: User, today: dt.date) -> list[Entry]:
    """A person's feed: everything of the organisation that staff see, except the
    meetings of bodies the person is not a member of, which are left to their feeds."""
    if user.organisation_id is None:
        return []
    start, end = feed_window(today)
    own = set(Body.objects.filter(memberships__person=user).values_list("pk", flat=True))
    entries = entries_between(user.organisation, start, end, staff=True)
    return [e for e in entries if not (e.uid.startswith("meeting-") and e.body_id not in own)]


def body_entries(body: Body, today: dt.date) -> list[Entry]:
    """A body's public feed: its public meetings and the public dates that concern it."""
    start, end = feed_window(today)
    entries = entries_between(body.organisation, start, end, staff=False)
    return [e for e in entries if e.body_id == body.pk]


def organisation_entries(organisation: Organisation, today: dt.date) -> list[Entry]:
    start, end = feed_window(today)
    return entries_between(organisation, start, end, staff=False)
