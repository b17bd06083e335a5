"""Who may read and change the plan. See tillit/core/rules.py for the principles."""

from __future__ import annotations

import rules

from tillit.core.rules import (
    has_some_unit,
    has_unit,
    is_member_of_organisation,
    is_plan_administrator,
    is_system_administrator,
)

from .models import PlanNode, SteeringDocument


@rules.predicate
def document_is_public(user, obj) -> bool:
    if obj is None:
        return False
    document = obj if isinstance(obj, SteeringDocument) else obj.document
    return document.is_public


@rules.predicate
def node_is_political(user, node: PlanNode | None) -> bool:
    return node is not None and node.level.is_political


@rules.predicate
def node_is_operations(user, node: PlanNode | None) -> bool:
    return node is not None and not node.level.is_political


@rules.predicate
def has_node_unit(user, node: PlanNode | None) -> bool:
    return node is not None and has_unit(user, node.owner_unit)


@rules.predicate
def node_takes_operations_children(user, node: PlanNode | None) -> bool:
    """The node's level has an operations-owned child level (e.g. goal → area)."""
    if node is None:
        return False
    return any(not level.is_political for level in node.level.children.all())


@rules.predicate
def node_takes_political_children(user, node: PlanNode | None) -> bool:
    if node is None:
        return False
    return any(level.is_political and level.in_tree for level in node.level.children.all())


can_read = document_is_public | is_member_of_organisation | is_system_administrator

rules.add_perm("planning.read_document", can_read)
rules.add_perm("planning.read_node", can_read)
# "Vad": the politically decided content, by plan administrators with a decision.
# "Hur": operations' content, by the people of the responsible unit.
can_change_node = (node_is_political & is_plan_administrator) | (
    node_is_operations & is_member_of_organisation & has_node_unit
)
rules.add_perm("planning.edit_node", can_change_node)
# Political elements go by decision, not deletion: only operations' own are removed here.
rules.add_perm("planning.remove_node", node_is_operations & can_change_node)
rules.add_perm(
    "planning.add_political_child", node_takes_political_children & is_plan_administrator
)
rules.add_perm("planning.add_operations_child", node_takes_operations_children & has_some_unit)
