"""Reads of the organisation shared by several pages."""

from __future__ import annotations

from .models import Organisation, OrgUnit

# Swedish alphabetical order puts å, ä, ö after z, in that order.
# "{", "|" and "}" are the three code points right after "z".
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}"})


def swedish_sort_key(text: str) -> str:
    return text.casefold().translate(_SWEDISH)


def unit_tree(organisation: Organisation) -> list[OrgUnit]:
    """Every unit, depth first, siblings by their order and then by name: one query."""
    units = list(OrgUnit.objects.filter(organisation=organisation))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: (u.order, swedish_sort_key(u.name)))
    ordered: list[OrgUnit] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(reversed(children.get(unit.pk, [])))
    return ordered
