"""Writes to operational plans and targets. Adopted content changes only by decision."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tillit.core.concurrency import save_versioned
from tillit.core.models import Decision, User
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import OperationalPlan

from .models import Measure, MeasureTarget


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
