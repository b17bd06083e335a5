"""Who reads and writes the follow-up. See tillit/core/rules.py for the principles.

- Staff of the organisation read every period and assessment, drafts included; the
  public reads closed periods and, in them, approved assessments only (and on the
  pages, only what the snapshot froze).
- A unit assessment is written and submitted by the people of its unit (a role at the
  unit or above it), for a unit responsible for the goal in the period (an area or a
  measure) or the verksamhet above such a unit.
- The goal-level assessment is written and submitted by the plan administrators and by
  the managers of a verksamhet that has unit assessments of the goal in the period.
- Only a plan administrator approves, returns, creates and closes periods.
- Nobody changes an approved assessment, nor anything in a closed period; a closed
  period is never reopened.

The names are not Django's model permissions (add_/change_/delete_…). The follow-up's
views and services ask `rules.has_perm` directly, so a superuser gets no write here that
the rules do not give (Django's `User.has_perm` grants a superuser everything).
"""

from __future__ import annotations

import rules

from tillit.core.rules import (
    has_unit,
    is_member_of_organisation,
    is_plan_administrator,
    is_system_administrator,
)

from .choices import AssessmentState
from .models import Assessment, FollowUpPeriod
from .selectors import assessable_unit_ids, manages_an_assessed_operation


def _period(obj) -> FollowUpPeriod | None:
    if isinstance(obj, Assessment):
        return obj.period
    return obj if isinstance(obj, FollowUpPeriod) else None


@rules.predicate
def period_is_open(user, obj) -> bool:
    period = _period(obj)
    return period is not None and period.is_open


@rules.predicate
def period_is_closed(user, obj) -> bool:
    period = _period(obj)
    return period is not None and not period.is_open


@rules.predicate
def is_staff_of_period(user, obj) -> bool:
    """A member of the organisation the period (or assessment) belongs to."""
    return is_member_of_organisation(user, _period(obj))


@rules.predicate
def is_plan_administrator_of_period(user, obj) -> bool:
    return is_plan_administrator(user, _period(obj))


@rules.predicate
def is_editable(user, assessment: Assessment | None) -> bool:
    return assessment is not None and assessment.is_editable


@rules.predicate
def is_saved(user, assessment: Assessment | None) -> bool:
    return assessment is not None and assessment.pk is not None


@rules.predicate
def is_submitted(user, assessment: Assessment | None) -> bool:
    return assessment is not None and assessment.state == AssessmentState.SUBMITTED


@rules.predicate
def is_approved(user, assessment: Assessment | None) -> bool:
    return assessment is not None and assessment.state == AssessmentState.APPROVED


@rules.predicate
def acts_for_the_unit(user, assessment: Assessment | None) -> bool:
    """A unit assessment, of a unit the person acts for and that assesses this goal."""
    if assessment is None or assessment.unit_id is None:
        return False
    return has_unit(user, assessment.unit) and assessment.unit_id in assessable_unit_ids(
        assessment.goal, assessment.period
    )


@rules.predicate
def writes_for_the_goal(user, assessment: Assessment | None) -> bool:
    """The goal-level assessment, by a plan administrator or the manager of a verksamhet
    with unit assessments of the goal in the period."""
    if assessment is None or assessment.unit_id is not None:
        return False
    return is_plan_administrator(user, assessment.period) or manages_an_assessed_operation(
        user, assessment.goal, assessment.period
    )


can_read_period = is_staff_of_period | is_system_administrator | period_is_closed
can_write = (
    is_staff_of_period & period_is_open & is_editable & (acts_for_the_unit | writes_for_the_goal)
)

rules.add_perm("followup.read_period", can_read_period)
rules.add_perm(
    "followup.read_assessment",
    is_staff_of_period | is_system_administrator | (period_is_closed & is_approved),
)
rules.add_perm("followup.write_assessment", can_write)
rules.add_perm("followup.submit_assessment", can_write & is_saved)
rules.add_perm(
    "followup.approve_assessment",
    is_plan_administrator_of_period & period_is_open & is_submitted,
)
rules.add_perm(
    "followup.return_assessment",
    is_plan_administrator_of_period & period_is_open & (is_submitted | is_approved),
)
rules.add_perm("followup.add_period", is_plan_administrator)
rules.add_perm("followup.close_period", is_plan_administrator_of_period & period_is_open)
rules.add_perm("followup.view_history", is_staff_of_period | is_system_administrator)
