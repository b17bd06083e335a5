"""Reads of the plan shared by the start page, the document page and (later) reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from tillit.core.models import Organisation

from .choices import DocumentStatus
from .models import Commitment, PlanNode, Principle, SteeringDocument


@dataclass
class TreeItem:
    node: PlanNode
    children: list[TreeItem] = field(default_factory=list)


@dataclass
class PlanTree:
    document: SteeringDocument
    statements: list[PlanNode]  # vision, mission: root elements with no levels beneath
    roots: list[TreeItem]  # perspectives → focus areas → goals


def current_document(
    organisation: Organisation, *, include_drafts: bool
) -> SteeringDocument | None:
    """The adopted steering document of the latest mandate period (drafts for staff)."""
    documents = SteeringDocument.objects.filter(organisation=organisation)
    if not include_drafts:
        documents = documents.filter(status=DocumentStatus.ADOPTED)
    return documents.select_related("decision__body").order_by("-start_year").first()


def plan_tree(document: SteeringDocument) -> PlanTree:
    """The politically decided tree of a document in a constant number of queries."""
    nodes = list(
        document.nodes.filter(level__in_tree=True, level__owner="political")
        .select_related("level")
        .prefetch_related("sdgs")
        .order_by("level__order", "order", "number", "pk")
    )
    parent_levels = {n.level.parent_id for n in nodes if n.level.parent_id}
    items = {n.pk: TreeItem(n) for n in nodes}
    statements, roots = [], []
    for node in nodes:
        item = items[node.pk]
        if node.parent_id is None:
            if node.number is None and node.level_id not in parent_levels:
                statements.append(node)
            else:
                roots.append(item)
        elif node.parent_id in items:
            items[node.parent_id].children.append(item)
    return PlanTree(document=document, statements=statements, roots=roots)


def principles_of(organisation: Organisation) -> QuerySet[Principle]:
    return Principle.objects.filter(organisation=organisation).prefetch_related(
        Prefetch("commitments", queryset=Commitment.objects.order_by("order", "pk"))
    )


def node_path(node: PlanNode) -> list[PlanNode]:
    """Ancestors from the root down to the node's parent (the breadcrumb)."""
    path: list[PlanNode] = []
    current = node.parent
    while current is not None:
        path.append(current)
        current = current.parent
    return list(reversed(path))
