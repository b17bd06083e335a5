"""No lost updates: a compare-and-set on a `version` column.

A form carries the version it was rendered with. Saving bumps the version only
if nobody else did first; otherwise `EditConflict` carries the row as it now is,
so the view can show the person both and let them decide.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F


class EditConflict(Exception):
    def __init__(self, current: models.Model):
        super().__init__(f"{type(current).__name__} {current.pk} was changed by someone else")
        self.current = current


def conflict_rows(form, current: models.Model, *, skip: tuple[str, ...] = ()) -> list[dict]:
    """What someone else saved in the meantime beside what this person typed, per field."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name in skip:
            continue
        theirs = getattr(current, name, None)
        mine = form.cleaned_data.get(name)
        if (theirs or "") != (mine or ""):
            rows.append({"label": field.label, "theirs": theirs or "—", "mine": mine or "—"})
    return rows


def resubmittable(form, current: models.Model):
    """The person's own input again, carrying the current version: saving it now is a choice."""
    data = form.data.copy()
    data["version"] = current.version
    form.data = data
    return form


def save_versioned(
    instance: models.Model, *, expected_version: int, update_fields: list[str]
) -> None:
    """Save `update_fields` of `instance` if its row still has `expected_version`."""
    model = type(instance)
    claimed = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not claimed:
        raise EditConflict(model.objects.get(pk=instance.pk))
    instance.version = expected_version + 1
    instance.save(update_fields=[*update_fields, "version"])
