"""No lost updates: a compare-and-set on a `version` column.

A form carries the version it was rendered with. Saving bumps the version only
if nobody else did first; otherwise `EditConflict` carries the row as it now is,
so the view can show the person both and let them decide.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models import F


class EditConflict(Exception):
    def __init__(self, current: models.Model):
        super().__init__(f"{type(current).__name__} {current.pk} was changed by someone else")
        self.current = current


def conflict_rows(form, current: models.Model) -> list[dict]:
    """What someone else saved in the meantime beside what this person typed, per field.

    Empty when the two happen to agree; the person is told of the conflict all the same.
    A field the row does not have (say, the decision a change is made under) is left out.
    """
    rows = []
    for name, field in form.fields.items():
        if name == "version" or not hasattr(current, name):
            continue
        theirs, mine = getattr(current, name), form.cleaned_data.get(name)
        if isinstance(field, forms.ModelMultipleChoiceField):
            theirs = ", ".join(str(o.pk) for o in sorted(theirs.all(), key=lambda o: o.pk))
            mine = ", ".join(str(o.pk) for o in sorted(mine or [], key=lambda o: o.pk))
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
