"""Who changes the yearly calendar's own dates: the plan administrators, who keep the
steering cycle's dates (plan and budget, reports to KS and KF). Everyone reads the
public dates; the organisation's staff also the deadlines and non-public ones. Every
logged-in person of an organisation has a private feed of their own."""

from __future__ import annotations

import rules

from tillit.core.rules import is_member_of_organisation, is_plan_administrator

rules.add_perm("calendars.edit_event", is_plan_administrator)
rules.add_perm("calendars.own_feed", is_member_of_organisation)
