"""Writes to the plan. Political changes always carry their decision."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.core.concurrency import save_versioned
from tillit.core.models import Decision, OrgUnit, User

from .models import Level, PlanNode, SustainableDevelopmentGoal

POLITICAL_FIELDS = ["number", "title", "description", "strategy"]
OPERATIONS_FIELDS = ["title", "description", "owner_unit", "year"]


def _require_decision(node_or_level_org: int, decision: Decision | None) -> Decision:
    if decision is None:
        raise ValidationError({"decision": _("A politically decided change needs its decision.")})
    if decision.organisation_id != node_or_level_org:
        raise ValidationError({"decision": _("The decision belongs to another organisation.")})
    return decision


@transaction.atomic
def node_update(
    *,
    node: PlanNode,
    changed_by: User,
    expected_version: int,
    decision: Decision | None = None,
    sdgs: list[SustainableDevelopmentGoal] | None = None,
    **values,
) -> PlanNode:
    """Change a plan element's texts. Political ones only with a decision."""
    if not changed_by.has_perm("planning.edit_node", node):
        raise PermissionDenied
    allowed = POLITICAL_FIELDS if node.is_political else OPERATIONS_FIELDS
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for name, value in values.items():
        setattr(node, name, value)
    # Check again as changed: an area may not be handed to a unit the person does not have.
    if not changed_by.has_perm("planning.edit_node", node):
        raise PermissionDenied
    fields = list(values)
    if node.is_political:
        node.decision = _require_decision(node.organisation_id, decision)
        node._change_reason = decision.reference
        fields.append("decision")
    node._history_user = changed_by
    node.full_clean()
    if sdgs is not None and set(sdgs) != set(node.sdgs.all()):
        # Set quietly: the save below records texts and Agenda 2030 goals as one change.
        # (A conflict in save_versioned rolls this back with the rest.)
        node.skip_history_when_saving = True
        try:
            node.sdgs.set(sdgs)
        finally:
            del node.skip_history_when_saving
    save_versioned(node, expected_version=expected_version, update_fields=fields)
    return node


@transaction.atomic
def node_create(
    *,
    parent: PlanNode,
    level: Level,
    created_by: User,
    title: str,
    description: str = "",
    owner_unit: OrgUnit | None = None,
    year: int | None = None,
    number: int | None = None,
    strategy: str = "",
    decision: Decision | None = None,
    sdgs: list[SustainableDevelopmentGoal] | None = None,
) -> PlanNode:
    """Add an element under `parent`: an area by operations, a goal by a decision."""
    if level.parent_id != parent.level_id:
        raise ValidationError({"level": _("That level does not belong under this element.")})
    perm = "planning.add_political_child" if level.is_political else "planning.add_operations_child"
    if not created_by.has_perm(perm, parent):
        raise PermissionDenied
    node = PlanNode(
        organisation=parent.organisation,
        document=parent.document,
        level=level,
        parent=parent,
        title=title,
        description=description,
        strategy=strategy,
        number=number,
        year=year,
        owner_unit=owner_unit,
        order=(parent.children.order_by("-order").values_list("order", flat=True).first() or 0) + 1,
    )
    if level.is_political:
        node.decision = _require_decision(parent.organisation_id, decision)
        node._change_reason = decision.reference
    elif not created_by.has_perm("planning.edit_node", node):
        # The unit chosen must be one the person acts for.
        raise PermissionDenied
    node._history_user = created_by
    node.full_clean()
    node.save()
    if sdgs:
        node.sdgs.set(sdgs)
    return node


@transaction.atomic
def node_delete(*, node: PlanNode, deleted_by: User) -> None:
    # Political elements go by decision, never by deletion, whoever asks (superusers too:
    # Django grants them every permission before the rules are consulted).
    if node.is_political or not deleted_by.has_perm("planning.remove_node", node):
        raise PermissionDenied
    node._history_user = deleted_by
    node.delete()
