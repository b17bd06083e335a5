"""Reads of the organisation shared by several pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .models import Organisation, OrgUnit
from .rules import unit_paths

# Swedish alphabetical order puts å, ä, ö after z, in that order.
# "{", "|" and "}" are the three code points right after "z".
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def swedish_sort_key(text: str) -> str:
    return text.casefold().translate(_SWEDISH)


def unit_order(unit: OrgUnit) -> tuple[int, str]:
    return (unit.order, swedish_sort_key(unit.name))


@dataclass
class UnitItem:
    unit: OrgUnit
    children: list[UnitItem] = field(default_factory=list)


def unit_tree(organisation: Organisation) -> list[UnitItem]:
    """The administration as nested items, siblings by order and then name: one query."""
    items = {u.pk: UnitItem(u) for u in OrgUnit.objects.filter(organisation=organisation)}
    roots: list[UnitItem] = []
    for item in items.values():
        parent = items.get(item.unit.parent_id)
        (parent.children if parent else roots).append(item)
    for item in [*items.values(), UnitItem(unit=None, children=roots)]:
        item.children.sort(key=lambda i: unit_order(i.unit))
    return roots


def units_for(user, *, organisation_id: int) -> QuerySet[OrgUnit]:
    """The units a person acts for: those they have a role at, and everything beneath."""
    paths = unit_paths(user)
    if not paths:
        return OrgUnit.objects.none()
    beneath = Q()
    for path in paths:
        beneath |= Q(path__startswith=path)
    return OrgUnit.objects.filter(beneath, organisation_id=organisation_id).order_by("path")
