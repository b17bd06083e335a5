"""Who reads and changes activities. See tillit/core/rules.py for the principles.

Activities are "hur": they belong to the operations responsible for them.

- Staff of the organisation (members: officials and elected representatives alike) read
  every activity, with its history. The public portal (a later release) will show them
  through its own allow-list; until then visitors who are not logged in see none.
- A person with a role (manager or co-leader) at a unit plans, changes and removes the
  activities of that unit and of every unit beneath it (`has_unit`), and nobody else's.
- Plan administrators do so for every unit: they keep the municipality-wide overview and
  correct what has gone astray, as they do with the measures' values.
- The person responsible for an activity reports on it (status, progress and result)
  even without a role at its unit: the unit gave them the activity, and carrying it out
  includes saying how it goes. What the activity is (title, unit, people, links, dates)
  stays with the unit's people.
- Elected representatives read and change nothing: they hold no unit role.

The names are not Django's model permissions (add_/change_/delete_/view_…). The views and
services ask `rules.has_perm` directly, so a superuser gets no write here that the rules
do not give (Django's `User.has_perm` grants a superuser everything); the Django admin is
the superuser's way to correct an activity.
"""

from __future__ import annotations

import rules

from tillit.core.rules import (
    has_some_unit,
    has_unit,
    is_member_of_organisation,
    is_plan_administrator,
    is_system_administrator,
)

from .models import Activity


@rules.predicate
def acts_for_its_unit(user, activity: Activity | None) -> bool:
    """A role at the activity's unit or at a unit above it."""
    return activity is not None and has_unit(user, activity.owner_unit)


@rules.predicate
def is_responsible(user, activity: Activity | None) -> bool:
    return (
        activity is not None
        and user.is_authenticated
        and activity.responsible_id is not None
        and activity.responsible_id == user.pk
    )


can_read = is_member_of_organisation | is_system_administrator
can_change = is_member_of_organisation & (acts_for_its_unit | is_plan_administrator)

# Reading: `obj` is the organisation (the list) or an activity.
rules.add_perm("activities.read_activities", can_read)
rules.add_perm("activities.read_activity", can_read)
rules.add_perm("activities.view_history", can_read)
# Planning a new one: `obj` is the organisation, and the unit chosen must then pass
# `activities.edit_activity` (the service asks again with the unit set).
rules.add_perm("activities.plan_activity", has_some_unit | is_plan_administrator)
rules.add_perm("activities.edit_activity", can_change)
rules.add_perm("activities.remove_activity", can_change)
rules.add_perm(
    "activities.report_progress", can_change | (is_member_of_organisation & is_responsible)
)
