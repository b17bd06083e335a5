"""Loading fixed data (a preset, the demo) so that it can run any number of times.

``upsert`` finds a row by its natural key and creates it if it is missing. A row
that is there is saved only when one of the given values differs, so a run that
finds everything as stated saves nothing and leaves no history records. With
``overwrite=False`` a differing row is left as it is (someone changed it in
Tillit on purpose) and reported as ``KEPT``.

Every save carries a change reason for the history, and one change of a row is
one history record: many-to-many relations (a plan element's Agenda 2030 goals)
are set quietly and recorded by the save of the row that follows. (A new row
with relations gets two: its creation, then the relations, which need the row.)
A row with a ``version``
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
        related = {attribute: targets for attribute, targets in (m2m or {}).items() if targets}
        if related:
            # The relations need the row; a second save records them, all in one.
            _set_quietly(obj, related)
            _save(obj, reason, clean=False)
        return obj, CREATED
    differing = [name for name, value in values.items() if not same(obj, name, value)]
    differing_m2m = {
        attribute: targets
        for attribute, targets in (m2m or {}).items()
        if set(getattr(obj, attribute).values_list("pk", flat=True))
        != {target.pk for target in targets}
    }
    if not differing and not differing_m2m:
        return obj, UNCHANGED
    if not overwrite:
        return obj, KEPT
    for name in differing:
        setattr(obj, name, values[name])
    obj.full_clean()
    # Set the relations quietly first, so that the one save below records the
    # whole change, fields and relations, as one history record.
    _set_quietly(obj, differing_m2m)
    _save(obj, reason, clean=False)
    bump_version(obj)
    return obj, UPDATED


def bump_version(obj: models.Model) -> None:
    """Count a change in the row's ``version`` column, if it has one."""
    if not any(f.name == "version" for f in obj._meta.concrete_fields):
        return
    type(obj)._default_manager.filter(pk=obj.pk).update(version=F("version") + 1)
    obj.refresh_from_db(fields=["version"])


def _save(obj: models.Model, reason: str, *, clean: bool = True) -> None:
    if clean:
        obj.full_clean()
    obj._change_reason = reason
    obj.save()


def _set_quietly(obj: models.Model, m2m: dict[str, list[models.Model]]) -> None:
    """Set many-to-many relations without a history record of their own."""
    obj.skip_history_when_saving = True
    try:
        for attribute, targets in m2m.items():
            getattr(obj, attribute).set(targets)
    finally:
        del obj.skip_history_when_saving
