"""Writes to activities. Every write asks the rules itself (the views ask too, to answer
403 early), checks that the links stay inside the organisation, and records one history
entry per change, its links included."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.core.concurrency import save_versioned
from tillit.core.models import Organisation, OrgUnit, User
from tillit.measures.models import Measure
from tillit.planning.models import PlanNode, Principle

from .choices import ActivityStatus
from .models import ACTIVITY_HISTORY, LINK_FIELDS, Activity
from .selectors import linkable_levels

# What the unit's people decide: what the activity is.
DETAIL_FIELDS = ("title", "description", "owner_unit", "responsible", "start", "end")
# What the person responsible reports as it goes.
REPORT_FIELDS = ("status", "progress", "result")


def _require(user: User, perm: str, obj) -> None:
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


def _check_links(organisation_id: int, links: dict[str, list]) -> None:
    """Links stay inside the organisation; the goals and areas are goals and areas."""
    errors = {}
    if "nodes" in links:
        nodes: list[PlanNode] = links["nodes"]
        levels = {level.pk for level in linkable_levels(organisation_id)}
        if not nodes:
            errors["nodes"] = _("Link the activity to at least one goal or area.")
        elif any(n.organisation_id != organisation_id or n.level_id not in levels for n in nodes):
            errors["nodes"] = _(
                "An activity works toward the goals and areas of its own organisation only."
            )
    for name, message in (
        ("measures", _("The measure belongs to another organisation.")),
        ("principles", _("The principle belongs to another organisation.")),
        ("participants", _("Everyone taking part must belong to the organisation.")),
    ):
        if any(row.organisation_id != organisation_id for row in links.get(name, ())):
            errors[name] = message
    if errors:
        raise ValidationError(errors)


def _set_links_quietly(activity: Activity, links: dict[str, list]) -> None:
    """Set the links without a history record each: the save that follows records them."""
    activity.skip_history_when_saving = True
    try:
        for name, rows in links.items():
            getattr(activity, name).set(rows)
    finally:
        del activity.skip_history_when_saving


@transaction.atomic
def activity_create(
    *,
    organisation: Organisation,
    created_by: User,
    title: str,
    owner_unit: OrgUnit,
    start: datetime.date,
    nodes: Iterable[PlanNode],
    description: str = "",
    responsible: User | None = None,
    participants: Iterable[User] = (),
    measures: Iterable[Measure] = (),
    principles: Iterable[Principle] = (),
    end: datetime.date | None = None,
    status: str = ActivityStatus.PLANNED,
    progress: int = 0,
    result: str = "",
) -> Activity:
    """A new activity of `owner_unit`, which must be a unit the person acts for."""
    _require(created_by, "activities.plan_activity", organisation)
    activity = Activity(
        organisation=organisation,
        title=title,
        description=description,
        owner_unit=owner_unit,
        responsible=responsible,
        start=start,
        end=end,
        status=status,
        progress=progress,
        result=result,
    )
    _require(created_by, "activities.edit_activity", activity)
    links = {
        "nodes": list(nodes),
        "measures": list(measures),
        "principles": list(principles),
        "participants": list(participants),
    }
    _check_links(organisation.pk, links)
    activity.full_clean()
    activity.save_without_historical_record()
    _set_links_quietly(activity, links)
    activity._history_user = created_by
    ACTIVITY_HISTORY.create_historical_record(activity, "+")
    return activity


@transaction.atomic
def activity_update(
    *, activity: Activity, changed_by: User, expected_version: int, **values
) -> Activity:
    """Change an activity: no lost update.

    The unit's people (and plan administrators) change everything; the person responsible
    without a role at the unit only its status, progress and result. Someone else's save
    since the form was shown (`expected_version`) raises `EditConflict` with the activity
    as it now is, and nothing is written.
    """
    unknown = set(values) - {*DETAIL_FIELDS, *REPORT_FIELDS, *LINK_FIELDS}
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if rules.has_perm("activities.edit_activity", changed_by, activity):
        pass
    elif rules.has_perm("activities.report_progress", changed_by, activity):
        if set(values) - set(REPORT_FIELDS):
            raise PermissionDenied
    else:
        raise PermissionDenied
    links = {name: list(values.pop(name)) for name in LINK_FIELDS if name in values}
    for name, value in values.items():
        setattr(activity, name, value)
    if "owner_unit" in values:
        # Ask again as changed: an activity is not handed to a unit the person does not have.
        _require(changed_by, "activities.edit_activity", activity)
    _check_links(activity.organisation_id, links)
    activity._history_user = changed_by
    activity.full_clean()
    # Set quietly: the save below records the fields and the links as one change.
    # (A conflict in save_versioned rolls the links back with the rest.)
    _set_links_quietly(activity, links)
    save_versioned(activity, expected_version=expected_version, update_fields=list(values))
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, deleted_by: User) -> None:
    _require(deleted_by, "activities.remove_activity", activity)
    activity._history_user = deleted_by
    activity.delete()
