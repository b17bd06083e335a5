"""E-mail reminders: deadlines, missing assessments, dialogues not yet planned.

`send_reminders` runs once a day (the scheduler's job "reminders", see
tillit/core/scheduling.py). It works out what is due for each person today, leaves out
what was sent before (`SentReminder`, one row per person and reminder) and what the
person has turned off (`ReminderSettings`), and sends one e-mail per person with the
rest. A reminder's key names its occasion, so it goes out once per occasion:

- **Deadline ahead.** An open follow-up period's deadline is 14 days away or less (and
  again 3 days or less): each person with assessments to write in it (as *Att göra*
  lists them) is told which ones.
- **Deadline passed.** The deadline has passed and assessments are still not submitted:
  the writers are told, once, and the plan administrators get the list.
- **Dialogue missing.** A goal of the year has no dialogue planned in any committee and
  the coverage says it is time to plan one: the plan administrators and the chairs, vice
  chairs and secretaries of the committees responsible for the goal are told, at most
  once a month.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tillit.core.choices import MembershipRole
from tillit.core.models import Organisation, User
from tillit.followup.choices import PeriodStatus
from tillit.followup.models import FollowUpPeriod
from tillit.followup.selectors import assessments_to_write

from .models import ReminderSettings, SentReminder

logger = logging.getLogger(__name__)

FIRST_NOTICE_DAYS = 14
LAST_NOTICE_DAYS = 3
LATE_DAYS = 30  # after this, a passed deadline is no longer reminded of
COMMITTEE_ROLES = (MembershipRole.CHAIR, MembershipRole.VICE_CHAIR, MembershipRole.SECRETARY)


@dataclass(frozen=True)
class Reminder:
    key: str  # the occasion: sent once per person
    text: str  # one line of the e-mail
    url: str  # a path on the site


def _deadline_stage(deadline: dt.date, today: dt.date) -> str | None:
    days = (deadline - today).days
    if days < -LATE_DAYS:
        return None
    if days < 0:
        return "late"
    if days <= LAST_NOTICE_DAYS:
        return "soon"
    if days <= FIRST_NOTICE_DAYS:
        return "ahead"
    return None


def _writers(organisation: Organisation) -> list[User]:
    """Who may have assessments to write: people with a unit role, plan administrators."""
    return list(
        User.objects.filter(organisation=organisation, is_active=True)
        .filter(Q(unit_roles__isnull=False) | Q(is_plan_administrator=True))
        .distinct()
    )


def assessment_reminders(organisation: Organisation, today: dt.date) -> dict[User, list[Reminder]]:
    due: dict[User, list[Reminder]] = defaultdict(list)
    periods = {
        p.pk: p
        for p in FollowUpPeriod.objects.filter(
            organisation=organisation,
            status=PeriodStatus.OPEN,
            deadline__gte=today - dt.timedelta(days=LATE_DAYS),
            deadline__lte=today + dt.timedelta(days=FIRST_NOTICE_DAYS),
        )
    }
    if not periods:
        return due
    late: dict[int, list] = defaultdict(list)
    for user in _writers(organisation):
        for item in assessments_to_write(user, organisation):
            period = periods.get(item.period.pk)
            stage = period and _deadline_stage(period.deadline, today)
            if not stage:
                continue
            where = item.unit.name if item.unit else _("the goal as a whole")
            context = {
                "goal": item.goal.label,
                "where": where,
                "period": period.name,
                "deadline": period.deadline.isoformat(),
            }
            if stage == "late":
                text = (
                    _(
                        "Not submitted, the deadline %(deadline)s has passed: "
                        "%(goal)s (%(where)s), %(period)s."
                    )
                    % context
                )
                late[period.pk].append(item)
            else:
                text = _("To write by %(deadline)s: %(goal)s (%(where)s), %(period)s.") % context
            unit = item.unit.pk if item.unit else "mal"
            key = f"assessment:{period.pk}:{item.goal.pk}:{unit}:{stage}"
            due[user].append(Reminder(key=key, text=text, url=item.edit_url))
    administrators = User.objects.filter(
        organisation=organisation, is_active=True, is_plan_administrator=True
    )
    for period_pk, items in late.items():
        period = periods[period_pk]
        distinct = {(i.goal.pk, i.unit.pk if i.unit else None) for i in items}
        text = ngettext(
            "%(period)s: %(count)s assessment is not submitted; the deadline was %(deadline)s.",
            "%(period)s: %(count)s assessments are not submitted; the deadline was %(deadline)s.",
            len(distinct),
        ) % {"period": period.name, "count": len(distinct), "deadline": period.deadline}
        for admin in administrators:
            due[admin].append(
                Reminder(
                    key=f"missing-assessments:{period.pk}",
                    text=text,
                    url=reverse("followup:period", args=[period.pk]),
                )
            )
    return due


def dialogue_reminders(organisation: Organisation, today: dt.date) -> dict[User, list[Reminder]]:
    from tillit.dialogues.choices import CoverageStatus  # the dialogues build on the plan
    from tillit.dialogues.selectors import coverage

    due: dict[User, list[Reminder]] = defaultdict(list)
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    lines = [
        line
        for line in coverage(organisation, today.year, now=noon)
        if line.status == CoverageStatus.PLAN_NOW
    ]
    if not lines:
        return due
    administrators = list(
        User.objects.filter(organisation=organisation, is_active=True, is_plan_administrator=True)
    )
    officers: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        organisation=organisation,
        is_active=True,
        memberships__role__in=COMMITTEE_ROLES,
    ).prefetch_related("memberships"):
        for membership in user.memberships.all():
            if membership.role in COMMITTEE_ROLES:
                officers[membership.body_id].append(user)
    for line in lines:
        recipients = {u.pk: u for u in administrators}
        for body in line.committees:
            recipients.update({u.pk: u for u in officers.get(body.pk, [])})
        text = _("No dialogue is planned in %(year)s on %(goal)s.") % {
            "year": today.year,
            "goal": line.goal.label,
        }
        key = f"dialogue:{today.year}:{line.goal.pk}:{today.month}"
        url = reverse("dialogues:index") + f"?ar={today.year}"
        for user in recipients.values():
            due[user].append(Reminder(key=key, text=text, url=url))
    return due


def due_reminders(organisation: Organisation, today: dt.date) -> dict[User, list[Reminder]]:
    due: dict[User, list[Reminder]] = defaultdict(list)
    for source in (assessment_reminders, dialogue_reminders):
        for user, reminders in source(organisation, today).items():
            due[user].extend(reminders)
    return due


def _turned_off(users: list[User]) -> set[int]:
    return set(
        ReminderSettings.objects.filter(user__in=users, by_email=False).values_list(
            "user_id", flat=True
        )
    )


def _already_sent(users: list[User]) -> set[tuple[int, str]]:
    return set(SentReminder.objects.filter(user__in=users).values_list("user_id", "key"))


def send_reminders(organisation: Organisation, *, today: dt.date | None = None) -> int:
    """Send today's new reminders of one organisation; return the number of e-mails."""
    today = today or timezone.localdate()
    due = due_reminders(organisation, today)
    users = [u for u in due if u.email]
    off, sent = _turned_off(users), _already_sent(users)
    count = 0
    for user in users:
        if user.pk in off:
            continue
        fresh = {r.key: r for r in due[user] if (user.pk, r.key) not in sent}
        if not fresh:
            continue
        try:
            with transaction.atomic():  # recorded only if the e-mail went out
                SentReminder.objects.bulk_create(
                    [SentReminder(user=user, key=key) for key in fresh]
                )
                _mail(user, list(fresh.values()))
        except IntegrityError:  # another run got there first
            continue
        count += 1
    logger.info("Reminders for %s: %s e-mails.", organisation.slug, count)
    return count


def _mail(user: User, reminders: list[Reminder]) -> None:
    base = settings.TILLIT_BASE_URL.rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Hello %(name)s,") % {"name": user.first_name or user.username},
            "",
            _("Tillit reminds you of:"),
            "",
        ]
        for reminder in reminders:
            lines += [f"– {reminder.text}", f"  {base}{reminder.url}", ""]
        lines += [
            _("You can turn off reminders by e-mail here: %(url)s")
            % {"url": base + reverse("calendars:feeds")},
        ]
        subject = ngettext(
            "Tillit: %(count)s reminder", "Tillit: %(count)s reminders", len(reminders)
        ) % {"count": len(reminders)}
    send_mail(subject, "\n".join(lines), None, [user.email])
