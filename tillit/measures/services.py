"""Writes to operational plans and targets. Adopted content changes only by decision."""

from __future__ import annotations

import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.core.concurrency import EditConflict, save_versioned
from tillit.core.models import Decision, User
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import OperationalPlan

from .choices import Source
from .models import Measure, MeasureTarget, MeasureValue

logger = logging.getLogger(__name__)


def _require_plan_administrator(user: User, organisation) -> None:
    if not user.has_perm("measures.edit_measure", organisation):
        raise PermissionDenied


@transaction.atomic
def operational_plan_copy_forward(*, plan: OperationalPlan, created_by: User) -> OperationalPlan:
    """Start next year's plan from this one: the same goals and measures, this year's
    targets as the starting point. A draft, to be changed and then adopted by decision."""
    _require_plan_administrator(created_by, plan.organisation)
    year = plan.year + 1
    if OperationalPlan.objects.filter(organisation_id=plan.organisation_id, year=year).exists():
        raise ValidationError(
            _("There is already an operational plan for %(year)s.") % {"year": year}
        )
    following = OperationalPlan(
        organisation_id=plan.organisation_id,
        document=plan.document,
        year=year,
        title=_("Operational plan %(year)s") % {"year": year},
        status=DocumentStatus.DRAFT,
    )
    following._history_user = created_by
    following._change_reason = _("Started from %(plan)s") % {"plan": plan.title}
    following.full_clean()  # the year must lie within the steering document's period
    following.save()
    following.goals.set(plan.goals.all())
    MeasureTarget.objects.bulk_create(
        MeasureTarget(
            measure_id=target.measure_id,
            plan=following,
            target=target.target,
            target_grade=target.target_grade,
            near_threshold=target.near_threshold,
        )
        for target in plan.targets.all()
    )
    return following


@transaction.atomic
def operational_plan_adopt(
    *, plan: OperationalPlan, decision: Decision, adopted_by: User
) -> OperationalPlan:
    _require_plan_administrator(adopted_by, plan.organisation)
    if plan.is_adopted:
        raise ValidationError(_("The plan is already adopted."))
    if decision.organisation_id != plan.organisation_id:
        raise ValidationError({"decision": _("The decision belongs to another organisation.")})
    plan.status = DocumentStatus.ADOPTED
    plan.decision = decision
    plan._history_user = adopted_by
    plan._change_reason = decision.reference
    plan.full_clean()
    save_versioned(plan, expected_version=plan.version, update_fields=["status", "decision"])
    return plan


@transaction.atomic
def target_set(
    *,
    measure: Measure,
    plan: OperationalPlan,
    changed_by: User,
    expected_version: int | None,
    target: Decimal | None = None,
    target_grade: str = "",
    near_threshold: Decimal | None = None,
    decision: Decision | None = None,
) -> MeasureTarget:
    """Set a measure's target in a plan. In an adopted plan only together with a decision
    (the history keeps both the old and the new target, and the decision)."""
    _require_plan_administrator(changed_by, plan.organisation)
    if measure.organisation_id != plan.organisation_id:
        raise ValidationError(_("The measure belongs to another organisation."))
    if plan.is_adopted and decision is None:
        raise ValidationError(
            {"decision": _("The plan is adopted: a target changes only by a new decision.")}
        )
    if decision is not None and decision.organisation_id != plan.organisation_id:
        raise ValidationError({"decision": _("The decision belongs to another organisation.")})
    row = MeasureTarget.objects.filter(measure=measure, plan=plan).first()
    created = row is None
    if created:
        row = MeasureTarget(measure=measure, plan=plan)
    row.target, row.target_grade, row.near_threshold = target, target_grade, near_threshold
    if decision is not None:
        row.decision = decision
        row._change_reason = decision.reference
    row._history_user = changed_by
    row.full_clean()
    if created:
        row.save()
    else:
        save_versioned(
            row,
            expected_version=expected_version if expected_version is not None else row.version,
            update_fields=["target", "target_grade", "near_threshold", "decision"],
        )
    return row


def value_token(value: MeasureValue | None) -> str:
    """What a form carries to tell whether a stored value changed since it was shown:
    the time of its last change (every write, by hand or by import, sets it)."""
    return value.updated_at.isoformat() if value is not None and value.updated_at else ""


@transaction.atomic
def value_set(
    *,
    measure: Measure,
    year: int,
    period_kind: str,
    period: int,
    gender: str,
    value: Decimal | None,
    grade: str,
    comment: str,
    changed_by: User,
    expected: str,
) -> MeasureValue:
    """Enter or correct one value by hand.

    `expected` is `value_token` of the value as the person saw it ("" for none): if the
    stored value has been entered or changed since, by hand or by an import, nothing is
    saved and `EditConflict` carries the value as it now is.
    """
    if not changed_by.has_perm("measures.enter_values", measure):
        raise PermissionDenied
    key = {
        "measure": measure,
        "year": year,
        "period_kind": period_kind,
        "period": period,
        "gender": gender,
    }
    row = MeasureValue.objects.select_for_update().filter(**key).first()
    if value_token(row) != expected:
        raise EditConflict(row if row is not None else MeasureValue(**key))
    if row is None:
        row = MeasureValue(**key)
    row.value, row.grade, row.comment = value, grade, comment
    row.source, row.batch, row.updated_by = Source.MANUAL, None, changed_by
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def value_delete(*, measure: Measure, value: MeasureValue, deleted_by: User, expected: str) -> None:
    """Remove a value entered by hand by mistake, unless it changed since the person saw
    it. Imported values are corrected at their source and imported again."""
    if not deleted_by.has_perm("measures.enter_values", measure):
        raise PermissionDenied
    if value.source != Source.MANUAL:
        raise ValidationError(_("Only values entered by hand can be removed here."))
    row = MeasureValue.objects.select_for_update().filter(pk=value.pk, measure=measure).first()
    if row is None:
        return  # someone else removed it first: the outcome the person asked for
    if value_token(row) != expected:
        raise EditConflict(row)
    row.delete()
    logger.info(
        "%s removed the value %s (%s) of measure %s",
        deleted_by,
        row.period_label,
        row.gender,
        measure.pk,
    )
