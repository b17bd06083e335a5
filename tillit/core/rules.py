"""Permissions, as `rules` predicates: "vad" belongs to politics, "hur" to operations.

- Everyone, anonymous visitors included, may read what is public: the adopted
  plan, the organisation's bodies and units, and the decisions.
- Staff of the organisation may read everything in it (people, history, drafts).
- Plan administrators (strateg) record decisions and change politically decided
  content and the organisation, always together with a decision.
- A person with a role at a unit acts on the operations ("hur") of that unit and
  of every unit under it. Nobody else does.
"""

from __future__ import annotations

import rules

from .models import OrgUnit


def unit_paths(user) -> tuple[str, ...]:
    """Materialised paths of the units where the user has a role (cached per user object)."""
    if not user.is_authenticated:
        return ()
    cached = getattr(user, "_tillit_unit_paths", None)
    if cached is None:
        cached = tuple(OrgUnit.objects.filter(roles__person=user).values_list("path", flat=True))
        user._tillit_unit_paths = cached
    return cached


def has_unit(user, unit: OrgUnit | None) -> bool:
    """True when the user has a role at the unit or at a unit above it."""
    if unit is None or not unit.path:
        return False
    return any(unit.path.startswith(path) for path in unit_paths(user))


def _organisation_id(obj) -> int | None:
    if obj is None:
        return None
    if hasattr(obj, "organisation_id"):
        return obj.organisation_id
    return getattr(obj, "pk", None)  # the Organisation itself


@rules.predicate
def is_member_of_organisation(user, obj=None) -> bool:
    """The user works in the organisation the object belongs to. Without an object: no,
    so a permission is never granted across organisations by leaving the object out."""
    if obj is None or not user.is_authenticated or not user.organisation_id:
        return False
    return _organisation_id(obj) == user.organisation_id


@rules.predicate
def is_plan_administrator(user, obj=None) -> bool:
    return bool(user.is_authenticated and user.is_plan_administrator) and (
        is_member_of_organisation(user, obj)
    )


@rules.predicate
def is_economist(user, obj=None) -> bool:
    return bool(user.is_authenticated and user.is_economist) and is_member_of_organisation(
        user, obj
    )


@rules.predicate
def has_some_unit(user, obj=None) -> bool:
    return bool(unit_paths(user)) and is_member_of_organisation(user, obj)


@rules.predicate
def is_system_administrator(user, obj=None) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


# Organisation, bodies, units, decisions are public to read; people and history are not.
# The names are deliberately not Django's model permissions (add_/change_/delete_…), so
# that the admin, which asks without an object, never grants anything through them.
rules.add_perm("core.view_people", is_member_of_organisation | is_system_administrator)
rules.add_perm("core.view_history", is_member_of_organisation | is_system_administrator)
# The economist records the budget decisions she keeps the budget by.
rules.add_perm("core.record_decision", is_plan_administrator | is_economist)
rules.add_perm("core.edit_decision", is_plan_administrator | is_economist)
