"""Loading fixed data (a preset, the demo) so that it can run any number of times.

``upsert`` finds a row by its natural key and creates it if it is missing. A row
that is there is saved only when one of the given values differs, so a run that
finds everything as stated saves nothing and leaves no history records. With
``overwrite=False`` a differing row is left as it is (someone changed it in
Tillit on purpose) and reported as ``KEPT``.

Every save carries a change reason for the history. A row with a ``version``
column (optimistic locking, see ``concurrency.py``) gets it bumped when an
existing row is changed, so that an edit form open elsewhere sees the conflict
instead of silently undoing the load.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
KEPT = "kept"


def same(obj: models.Model, name: str, value: Any) -> bool:
    """Whether ``obj.<name>`` already is ``value`` (a foreign key compares by pk)."""
    model_field = obj._meta.get_field(name)
    if model_field.many_to_one or model_field.one_to_one:
        wanted = value.pk if isinstance(value, models.Model) else value
        return getattr(obj, model_field.attname) == wanted
    return getattr(obj, name) == value


def upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    reason: str,
    overwrite: bool = True,
    m2m: dict[str, list[models.Model]] | None = None,
) -> tuple[Any, str]:
    """Find the row by ``lookup``; create it, or save it only if a value differs.

    Returns the row and what happened to it: ``CREATED``, ``UPDATED``,
    ``UNCHANGED`` or (without ``overwrite``) ``KEPT``.
    """
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    if obj is None:
        obj = model(**lookup, **values)
        _save(obj, reason)
        outcome = CREATED
    else:
        differing = [name for name, value in values.items() if not same(obj, name, value)]
        if differing and not overwrite:
            outcome = KEPT
        elif differing:
            for name in differing:
                setattr(obj, name, values[name])
            _save(obj, reason)
            outcome = UPDATED
        else:
            outcome = UNCHANGED
    for attribute, targets in (m2m or {}).items():
        manager = getattr(obj, attribute)
        wanted = {target.pk for target in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            if outcome != CREATED and not overwrite:
                outcome = KEPT
                continue
            obj._change_reason = reason
            manager.set(targets)
            if outcome == UNCHANGED:
                outcome = UPDATED
    if outcome == UPDATED:
        bump_version(obj)
    return obj, outcome


def bump_version(obj: models.Model) -> None:
    """Count a change in the row's ``version`` column, if it has one."""
    if not any(f.name == "version" for f in obj._meta.concrete_fields):
        return
    type(obj)._default_manager.filter(pk=obj.pk).update(version=F("version") + 1)
    obj.refresh_from_db(fields=["version"])


def _save(obj: models.Model, reason: str) -> None:
    obj.full_clean()
    obj._change_reason = reason
    obj.save()
