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
    if isinstance(value, list):  # many-to-many: the related ids, sorted
        return ", ".join(str(i) for i in value) or "—"
    return str(value)


def history_for(
    obj: models.Model,
    *,
    related: list[tuple[models.QuerySet, Callable[[Any], str]]] = (),
    own: bool = True,
    limit: int = 50,
) -> list[HistoryEntry]:
    """Newest first: who, when, what changed, and why (e.g. the decision).

    `related` adds the history of rows that belong to the object, such as the
    roles at a unit: pairs of (historical records, a function naming a record's
    row, e.g. "Maria Holm: Chef"). `own=False` leaves out the object's own records.
    """
    entries = _entries(obj.history.all(), type(obj), limit=limit) if own else []
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
    # Each record is diffed against the previous record of the same row, fetched for the
    # oldest one in the window too (at most one query per row there, bounded by `limit`).
    previous: dict[Any, Any] = {}
    for record in reversed(records):
        record._previous = previous.get(record.id)
        previous[record.id] = record
    before_window = []
    for record in records:
        if record._previous is None and record.history_type != "+":
            record._previous = (
                history.filter(id=record.id, history_date__lt=record.history_date)
                .order_by("-history_date", "-history_id")
                .first()
            )
            if record._previous is not None:
                before_window.append(record._previous)
    m2m_fields = [f.name for f in getattr(history.model, "_history_m2m_fields", ())]
    m2m_sets = _m2m_sets(model, m2m_fields, records + before_window)
    diffs = []
    for r in records:
        changes = []
        if r._previous is not None and r.history_type == "~":
            changes = r.diff_against(r._previous, excluded_fields=m2m_fields).changes
            for name in m2m_fields:
                old, new = m2m_sets[name][r._previous.pk], m2m_sets[name][r.pk]
                if old != new:
                    changes.append(_M2MChange(name, old, new))
        diffs.append((r, changes))
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


@dataclass
class _M2MChange:
    field: str
    old: list[int]
    new: list[int]


def _m2m_sets(model, names: list[str], records: list) -> dict[str, dict[int, list]]:
    """For each tracked m2m field: history id → sorted related ids, one query per field.

    django-simple-history's own diff runs two queries per record and field.
    """
    result: dict[str, dict[int, list]] = {}
    if not records:
        return result
    for name in names:
        through = getattr(records[0], name).model  # e.g. HistoricalPlanNode_sdgs
        target = model._meta.get_field(name).m2m_reverse_field_name()
        sets: dict[int, list] = {r.pk: [] for r in records}
        rows = through._default_manager.filter(history_id__in=list(sets)).values_list(
            "history_id", f"{target}_id"
        )
        for history_id, related_id in rows:
            sets[history_id].append(related_id)
        result[name] = {k: sorted(v) for k, v in sets.items()}
    return result


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except Exception:
        return None
