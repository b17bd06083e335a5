"""Readable history ("Historik") for any model tracked by django-simple-history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    date: datetime
    user: str
    kind: str
    reason: str
    subject: str = ""
    changes: list[FieldChange] = field(default_factory=list)


def _display(model_field: models.Field | None, value, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if model_field is not None and model_field.is_relation and model_field.many_to_one:
        return str(related.get((model_field.related_model, value), value))
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):  # many-to-many: a list of through-row dicts
        key = model_field.related_model._meta.model_name if model_field is not None else None
        ids = sorted((row.get(key) for row in value if row.get(key) is not None), key=str)
        return ", ".join(str(i) for i in ids) or "—"
    return str(value)


def history_for(
    obj: models.Model,
    *,
    related: list[tuple[models.QuerySet, Callable[[Any], str]]] = (),
    limit: int = 50,
) -> list[HistoryEntry]:
    """Newest first: who, when, what changed, and why (e.g. the decision).

    `related` adds the history of rows that belong to the object, such as the
    roles at a unit: pairs of (historical records, a function naming a record's
    row, e.g. "Maria Holm: Chef").
    """
    entries = _entries(obj.history.all(), type(obj), limit=limit)
    for records, subject in related:
        entries += _entries(records, records.model.instance_type, subject=subject, limit=limit)
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries[:limit]


def _entries(
    history: models.QuerySet,
    model: type[models.Model],
    *,
    subject: Callable[[Any], str] | None = None,
    limit: int,
) -> list[HistoryEntry]:
    records = list(
        history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]
    )
    # Each record is diffed against the previous record of the same row.
    previous: dict[Any, Any] = {}
    for record in reversed(records):
        record._previous = previous.get(record.id)
        previous[record.id] = record
    diffs = [
        (r, r.diff_against(r._previous).changes if r._previous is not None else []) for r in records
    ]
    # Resolve foreign keys named in the diffs with one query per related model.
    wanted: dict[type, set] = {}
    for _record, changes in diffs:
        for change in changes:
            f = _field(model, change.field)
            if f is not None and f.is_relation and f.many_to_one:
                wanted.setdefault(f.related_model, set()).update(
                    v for v in (change.old, change.new) if v is not None
                )
    related = {
        (rel_model, o.pk): o
        for rel_model, ids in wanted.items()
        for o in rel_model._default_manager.filter(pk__in=ids)
    }
    entries = []
    for record, changes in diffs:
        user = record.history_user
        entries.append(
            HistoryEntry(
                date=record.history_date,
                user=str(user) if user else str(_("the system")),
                kind=str(CHANGE_TYPES.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                subject=subject(record) if subject else "",
                changes=[
                    FieldChange(
                        label=str(_field(model, c.field).verbose_name)
                        if _field(model, c.field)
                        else c.field,
                        old=_display(_field(model, c.field), c.old, related),
                        new=_display(_field(model, c.field), c.new, related),
                    )
                    for c in changes
                ],
            )
        )
    return entries


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None
