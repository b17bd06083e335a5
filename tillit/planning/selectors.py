"""Reads of the plan shared by the start page, the document page and (later) reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from tillit.core.models import Organisation

from .choices import DocumentStatus, Owner
from .models import Commitment, Level, PlanNode, Principle, SteeringDocument


@dataclass
class TreeItem:
    node: PlanNode
    is_group: bool = False  # its level holds further levels of the tree (a focus area)
    children: list[TreeItem] = field(default_factory=list)

    @property
    def groups(self) -> list[TreeItem]:
        return [c for c in self.children if c.is_group]

    @property
    def leaves(self) -> list[TreeItem]:
        return [c for c in self.children if not c.is_group]


@dataclass
class PlanTree:
    document: SteeringDocument
    statements: list[PlanNode]  # vision, mission: root elements with no levels beneath
    roots: list[TreeItem]  # perspectives → focus areas → goals


def current_document(
    organisation: Organisation, *, include_drafts: bool
) -> SteeringDocument | None:
    """The adopted steering document of the latest mandate period.

    A draft is never "current" while an adopted document exists; staff
    (`include_drafts`) see the latest draft only before anything is adopted.
    """
    documents = SteeringDocument.objects.filter(organisation=organisation).select_related(
        "decision__body"
    )
    adopted = documents.filter(status=DocumentStatus.ADOPTED).order_by("-start_year").first()
    if adopted is not None or not include_drafts:
        return adopted
    return documents.order_by("-start_year").first()


def draft_documents(organisation: Organisation) -> QuerySet[SteeringDocument]:
    return SteeringDocument.objects.filter(
        organisation=organisation, status=DocumentStatus.DRAFT
    ).order_by("-start_year")


def plan_tree(document: SteeringDocument) -> PlanTree:
    """The politically decided tree of a document in a constant number of queries."""
    nodes = list(
        document.nodes.filter(level__in_tree=True, level__owner=Owner.POLITICAL)
        .select_related("level")
        .defer("strategy")
        .order_by("level__order", "order", "number", "pk")
    )
    # Levels that hold further political levels of the tree, e.g. perspective, focus area.
    group_levels = set(
        Level.objects.filter(
            organisation_id=document.organisation_id,
            children__in_tree=True,
            children__owner=Owner.POLITICAL,
        ).values_list("pk", flat=True)
    )
    items = {n.pk: TreeItem(n, is_group=n.level_id in group_levels) for n in nodes}
    statements, roots = [], []
    for node in nodes:
        item = items[node.pk]
        if node.parent_id is None:
            if node.number is None and node.level_id not in group_levels:
                statements.append(node)
            else:
                roots.append(item)
        elif node.parent_id in items:
            items[node.parent_id].children.append(item)
    # The tree shows Agenda 2030 markers on its roots only: fetch them for those alone.
    prefetch_related_objects([item.node for item in roots], "sdgs")
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
