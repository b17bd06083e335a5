"""Writes to the follow-up: assessments through their workflow, periods, and closing.

Every write checks the rules itself (views check them too, to answer 403 early), locks
the period row so that nothing is written into a period while it is being closed, and
refuses anything in a closed period and any change to an approved assessment, whoever
asks.
"""

from __future__ import annotations

from datetime import date

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.core.concurrency import EditConflict, save_versioned
from tillit.core.models import Organisation, User

from .choices import AssessmentState, FollowUpKind, PeriodStatus
from .models import Assessment, FollowUpPeriod, PeriodSnapshot, checksum_of
from .selectors import snapshot_data

ASSESSMENT_TEXT_FIELDS = ["status", "analysis", "next_steps"]


def _open_period(period: FollowUpPeriod) -> FollowUpPeriod:
    """The period, locked until the transaction ends; refused when it is closed."""
    locked = FollowUpPeriod.objects.select_for_update().get(pk=period.pk)
    if not locked.is_open:
        raise ValidationError(_("The period is closed: nothing in it can be changed."))
    return locked


def _require(user: User, perm: str, obj) -> None:
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


@transaction.atomic
def period_create(
    *,
    organisation: Organisation,
    created_by: User,
    name: str,
    year: int,
    kind: FollowUpKind | str,
    start: date,
    end: date,
    deadline: date,
) -> FollowUpPeriod:
    """A new, open follow-up period. Plan administrators only."""
    _require(created_by, "followup.add_period", organisation)
    period = FollowUpPeriod(
        organisation=organisation,
        name=name,
        year=year,
        kind=kind,
        start=start,
        end=end,
        deadline=deadline,
    )
    period._history_user = created_by
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def assessment_save(
    *,
    assessment: Assessment,
    written_by: User,
    expected_version: int,
    status: str,
    analysis: str,
    next_steps: str,
) -> Assessment:
    """Write a draft (new, draft or returned) assessment: no lost update.

    `expected_version` is the version the form was rendered with (0 for a new one).
    Someone else's save in between, or a new assessment someone else created first,
    raises `EditConflict` with the row as it now is; nothing is overwritten.
    """
    period = _open_period(assessment.period)
    assessment.period = period
    if assessment.pk is None:
        existing = Assessment.objects.filter(
            goal=assessment.goal, period=period, unit=assessment.unit
        ).first()
        if existing is not None:
            raise EditConflict(existing)
    elif assessment.state not in (AssessmentState.DRAFT, AssessmentState.RETURNED):
        raise ValidationError(_("A submitted or approved assessment is not changed."))
    _require(written_by, "followup.write_assessment", assessment)
    assessment.status = status
    assessment.analysis = analysis
    assessment.next_steps = next_steps
    assessment.written_by = written_by
    assessment.written_at = timezone.now()
    assessment._history_user = written_by
    assessment.full_clean()
    if assessment.pk is None:
        try:
            with transaction.atomic():
                assessment.save()
        except IntegrityError:
            # Created by someone else at the same moment: theirs stands, this one is shown.
            raise EditConflict(
                Assessment.objects.get(goal=assessment.goal, period=period, unit=assessment.unit)
            ) from None
        return assessment
    save_versioned(
        assessment,
        expected_version=expected_version,
        update_fields=[*ASSESSMENT_TEXT_FIELDS, "written_by", "written_at"],
    )
    return assessment


def _transition(
    assessment: Assessment,
    *,
    user: User,
    perm: str,
    expected_version: int,
    changes: dict,
    reason: str,
    needs_analysis: bool = False,
) -> Assessment:
    period = _open_period(assessment.period)
    current = Assessment.objects.select_related("goal__level", "unit", "period").get(
        pk=assessment.pk
    )
    current.period = period
    if current.version != expected_version:
        raise EditConflict(current)
    _require(user, perm, current)
    if needs_analysis and not current.analysis.strip():
        raise ValidationError(_("Write the analysis before submitting the assessment."))
    for name, value in changes.items():
        setattr(current, name, value)
    current._history_user = user
    current._change_reason = reason
    current.full_clean()
    save_versioned(current, expected_version=expected_version, update_fields=list(changes))
    return current


@transaction.atomic
def assessment_submit(
    *, assessment: Assessment, submitted_by: User, expected_version: int
) -> Assessment:
    """The writers hand the assessment in for approval; it needs its analysis."""
    return _transition(
        assessment,
        user=submitted_by,
        perm="followup.submit_assessment",
        expected_version=expected_version,
        changes={
            "state": AssessmentState.SUBMITTED,
            "submitted_by": submitted_by,
            "submitted_at": timezone.now(),
        },
        reason=_("Submitted"),
        needs_analysis=True,
    )


@transaction.atomic
def assessment_approve(
    *, assessment: Assessment, approved_by: User, expected_version: int
) -> Assessment:
    """A plan administrator approves a submitted assessment: from now on it is not changed."""
    return _transition(
        assessment,
        user=approved_by,
        perm="followup.approve_assessment",
        expected_version=expected_version,
        changes={
            "state": AssessmentState.APPROVED,
            "approved_by": approved_by,
            "approved_at": timezone.now(),
        },
        reason=_("Approved"),
    )


@transaction.atomic
def assessment_return(
    *, assessment: Assessment, returned_by: User, expected_version: int, comment: str = ""
) -> Assessment:
    """A plan administrator gives a submitted (or, while the period is open, an approved)
    assessment back to its writers, who may then change it again."""
    reason = _("Returned")
    if comment.strip():
        reason = _("Returned: %(comment)s") % {"comment": comment.strip()}
    return _transition(
        assessment,
        user=returned_by,
        perm="followup.return_assessment",
        expected_version=expected_version,
        changes={"state": AssessmentState.RETURNED, "approved_by": None, "approved_at": None},
        reason=reason,
    )


@transaction.atomic
def period_close(*, period: FollowUpPeriod, closed_by: User) -> FollowUpPeriod:
    """Close the period and freeze what it reports, in one transaction.

    The snapshot holds every goal's approved assessments and measure rows as they are at
    this moment, with the SHA-256 of its canonical JSON. A closed period is never reopened.
    """
    period = _open_period(period)
    if not rules.has_perm("followup.close_period", closed_by, period):
        raise PermissionDenied
    now = timezone.now()
    data = snapshot_data(period, closed_at=now, closed_by=closed_by)
    PeriodSnapshot.objects.create(
        period=period, created_at=now, data=data, checksum=checksum_of(data)
    )
    period.status = PeriodStatus.CLOSED
    period.closed_at = now
    period.closed_by = closed_by
    period._history_user = closed_by
    period._change_reason = _("Closed")
    period.full_clean()
    period.save(update_fields=["status", "closed_at", "closed_by"])
    return period
