from __future__ import annotations

from decimal import Decimal

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.choices import Fulfilment
from tillit.core.concurrency import EditConflict, conflict_rows, resubmittable
from tillit.core.history import history_for
from tillit.core.models import OrgUnit
from tillit.core.rules import is_member_of_organisation
from tillit.core.selectors import units_for
from tillit.core.views import organisation_or_404
from tillit.measures.choices import MeasureStatus
from tillit.planning.models import PlanNode

from . import services
from .choices import AssessmentState, FollowUpKind, PeriodStatus
from .forms import AssessmentForm, PeriodForm, ReturnForm
from .models import ASSESSED_UNIT_KINDS, Assessment, FollowUpPeriod
from .selectors import (
    assessable_unit_ids,
    assessments_to_write,
    measures_without_values,
    operational_plan_of,
    period_goals,
    period_overview,
    responsible_units_of,
    rollup,
    suggestion,
)


def _can(request: HttpRequest, perm: str, obj) -> bool:
    return rules.has_perm(perm, request.user, obj)


def _get_period(request: HttpRequest, pk: int) -> FollowUpPeriod:
    organisation = organisation_or_404(request)
    period = get_object_or_404(
        FollowUpPeriod.objects.select_related("closed_by", "organisation"),
        pk=pk,
        organisation=organisation,
    )
    if not _can(request, "followup.read_period", period):
        raise Http404
    return period


def _get_goal(period: FollowUpPeriod, goal_pk: int) -> PlanNode:
    goal = next((g for g in period_goals(period) if g.pk == goal_pk), None)
    if goal is None:
        raise Http404
    return goal


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# ------------------------------------------------------------------------------ periods


def period_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
    periods = FollowUpPeriod.objects.filter(organisation=organisation).select_related("closed_by")
    staff = is_member_of_organisation(request.user, organisation)
    if not staff:
        periods = periods.filter(status=PeriodStatus.CLOSED)
    return render(
        request,
        "followup/period_list.html",
        {
            "periods": periods,
            "staff": staff,
            "can_add": _can(request, "followup.add_period", organisation),
        },
    )


@login_required
def period_create(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
    if not _can(request, "followup.add_period", organisation):
        raise PermissionDenied
    year = timezone.localdate().year
    form = PeriodForm(
        request.POST or None,
        initial={"year": year, "kind": FollowUpKind.TERTIAL},
    )
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(
                organisation=organisation, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The period %(name)s is open.") % {"name": period.name})
            return redirect(period)
    return render(request, "followup/period_form.html", {"form": form})


def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = _get_period(request, pk)
    context: dict = {
        "period": period,
        "can_close": _can(request, "followup.close_period", period),
        "see_history": _can(request, "followup.view_history", period),
    }
    if period.is_open:
        context["lines"] = period_overview(period)
        context["plan"] = operational_plan_of(period)
    else:
        snapshot = period.snapshot
        context["snapshot"] = snapshot
        context["frozen_goals"] = [_frozen_goal(g) for g in snapshot.data["goals"]]
    context["history"] = history_for(period) if context["see_history"] else None
    return render(request, "followup/period_detail.html", context)


def _datetime(text: str):
    return parse_datetime(text) if text else None


def _frozen_assessment(data: dict | None) -> dict | None:
    if data is None:
        return None
    return {
        **data,
        "fulfilment": Fulfilment(data["status"]),
        "written_at": _datetime(data.get("written_at", "")),
        "submitted_at": _datetime(data.get("submitted_at", "")),
        "approved_at": _datetime(data.get("approved_at", "")),
    }


def _frozen_measure(data: dict) -> dict:
    return {
        **data,
        "target": Decimal(data["target"]) if data["target"] is not None else None,
        "target_grade": Fulfilment(data["target_grade"]) if data["target_grade"] else None,
        "latest_value": Decimal(data["latest_value"]) if data["latest_value"] else None,
        "latest_grade": Fulfilment(data["latest_grade"]) if data["latest_grade"] else None,
        "status": MeasureStatus(data["status"]),
    }


def _frozen_goal(data: dict) -> dict:
    """A goal as the snapshot froze it, with its codes as the choices they name."""
    return {
        **data,
        "assessment": _frozen_assessment(data["assessment"]),
        "status": Fulfilment(data["assessment"]["status"])
        if data["assessment"]
        else Fulfilment.NOT_ASSESSED,
        "suggestion": Fulfilment(data["suggestion"]),
        "units": [_frozen_assessment(u) for u in data["units"]],
        "measures": [_frozen_measure(m) for m in data["measures"]],
    }


@login_required
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (GET) and the closing itself (POST): plan administrators only."""
    period = _get_period(request, pk)
    if not _can(request, "followup.close_period", period):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.period_close(period=period, closed_by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(name)s is closed. What it reports has been frozen.") % {"name": period.name},
            )
        return redirect(period)
    lines = period_overview(period)
    return render(
        request,
        "followup/period_close.html",
        {
            "period": period,
            "lines": lines,
            "approved": [
                line
                for line in lines
                if line.assessment and line.assessment.state == AssessmentState.APPROVED
            ],
            "unapproved": [
                line
                for line in lines
                if not line.assessment or line.assessment.state != AssessmentState.APPROVED
            ],
        },
    )


# ------------------------------------------------------------------------ a goal in a period


def goal_detail(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    period = _get_period(request, pk)
    if not period.is_open:
        return _frozen_goal_detail(request, period, goal_pk)
    goal = _get_goal(period, goal_pk)
    user = request.user
    result = rollup(goal, period)
    goal_level = result.goal_level or Assessment(period=period, goal=goal, unit=None)
    for assessment in [goal_level, *result.unit_assessments]:
        assessment.actions = _actions(request, assessment)
    # The person's own units that may assess this goal and have not yet.
    written = {a.unit_id for a in result.unit_assessments}
    assessable = assessable_unit_ids(goal, period)
    new_units = [
        unit
        for unit in units_for(user, organisation_id=period.organisation_id)
        if unit.kind in ASSESSED_UNIT_KINDS
        and unit.pk in assessable
        and unit.pk not in written
        and _can(
            request, "followup.write_assessment", Assessment(period=period, goal=goal, unit=unit)
        )
    ]
    return render(
        request,
        "followup/goal_detail.html",
        {
            "period": period,
            "goal": goal,
            "suggestion": suggestion(goal, period),
            "plan": operational_plan_of(period),
            "rollup": result,
            "goal_level": goal_level,
            "new_units": new_units,
            "history": history_for(
                period,
                related=[
                    (
                        Assessment.history.filter(goal_id=goal.pk, period_id=period.pk)
                        .select_related("unit")
                        .order_by("-history_date"),
                        lambda r: r.unit.name if r.unit_id else _("The goal as a whole"),
                    )
                ],
                own=False,
            )
            if _can(request, "followup.view_history", period)
            else None,
        },
    )


def _actions(request: HttpRequest, assessment: Assessment) -> dict:
    saved = assessment.pk is not None
    return {
        "write": _can(request, "followup.write_assessment", assessment),
        "submit": saved and _can(request, "followup.submit_assessment", assessment),
        "approve": saved and _can(request, "followup.approve_assessment", assessment),
        "return": saved and _can(request, "followup.return_assessment", assessment),
    }


def _frozen_goal_detail(request: HttpRequest, period: FollowUpPeriod, goal_pk: int):
    goal = next((g for g in period.snapshot.data["goals"] if g["id"] == goal_pk), None)
    if goal is None:
        raise Http404
    return render(
        request,
        "followup/goal_detail.html",
        {"period": period, "frozen": _frozen_goal(goal), "snapshot": period.snapshot},
    )


# ------------------------------------------------------------------------- writing


@login_required
def assessment_edit(
    request: HttpRequest, pk: int, goal_pk: int, unit_pk: int | None = None
) -> HttpResponse:
    """Write or change a draft assessment: of the goal as a whole, or of one unit."""
    period = _get_period(request, pk)
    goal = _get_goal(period, goal_pk)
    unit = None
    if unit_pk is not None:
        unit = get_object_or_404(
            OrgUnit,
            pk=unit_pk,
            organisation_id=period.organisation_id,
            kind__in=ASSESSED_UNIT_KINDS,
        )
    assessment = (
        Assessment.objects.select_related("written_by", "submitted_by", "approved_by")
        .filter(period=period, goal=goal, unit=unit)
        .first()
    ) or Assessment(period=period, goal=goal, unit=unit)
    assessment.period, assessment.goal, assessment.unit = period, goal, unit
    if not _can(request, "followup.write_assessment", assessment):
        raise PermissionDenied
    initial = {
        "status": assessment.status,
        "analysis": assessment.analysis,
        "next_steps": assessment.next_steps,
        "version": assessment.version if assessment.pk else 0,
    }
    form = AssessmentForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        expected = values.pop("version")
        try:
            services.assessment_save(
                assessment=assessment, written_by=request.user, expected_version=expected, **values
            )
        except EditConflict as exc:
            conflict = _readable(conflict_rows(form, exc.current), form)
            resubmittable(form, exc.current)
            assessment = exc.current  # the page shows the assessment as it now is
            assessment.period, assessment.goal, assessment.unit = period, goal, unit
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The assessment has been saved as a draft."))
            return redirect(assessment)
    return render(
        request,
        "followup/assessment_form.html",
        {
            "period": period,
            "goal": goal,
            "unit": unit,
            "assessment": assessment,
            "form": form,
            "conflict": conflict,
            # After a conflict the assessment may have moved on (submitted, say).
            "can_save": _can(request, "followup.write_assessment", assessment),
            "suggestion": suggestion(goal, period, unit),
            "plan": operational_plan_of(period),
            "return_reason": _return_reason(assessment),
            "responsible": unit is not None
            and unit.pk in {u.pk for u in responsible_units_of(goal, period)},
        },
    )


def _return_reason(assessment: Assessment) -> str:
    """Why a returned assessment came back, as the plan administrator wrote it."""
    if assessment.pk is None or assessment.state != AssessmentState.RETURNED:
        return ""
    return (
        assessment.history.filter(state=AssessmentState.RETURNED)
        .order_by("-history_date", "-history_id")
        .values_list("history_change_reason", flat=True)
        .first()
        or ""
    )


def _readable(rows: list[dict], form) -> list[dict]:
    """The conflict table names the assessment, not its code ("Delvis uppfyllt", not
    "partly")."""
    label = form.fields["status"].label
    for row in rows:
        if row["label"] == label:
            for side in ("theirs", "mine"):
                if row[side] in Fulfilment.values:
                    row[side] = Fulfilment(row[side]).label
    return rows


def _get_assessment(request: HttpRequest, assessment_pk: int) -> Assessment:
    organisation = organisation_or_404(request)
    assessment = get_object_or_404(
        Assessment.objects.select_related("period", "goal__level", "unit"),
        pk=assessment_pk,
        period__organisation=organisation,
    )
    if not _can(request, "followup.read_assessment", assessment):
        raise Http404
    return assessment


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # compares unequal to every version: the person is shown a conflict


def _run_transition(request: HttpRequest, assessment: Assessment, action, done: str, **kwargs):
    try:
        action(assessment=assessment, expected_version=_version(request), **kwargs)
    except EditConflict:
        messages.error(
            request,
            _(
                "Someone else changed the assessment in the meantime. Nothing was done: "
                "look at it as it is now and try again."
            ),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(assessment)


@login_required
@require_POST
def assessment_submit(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    assessment = _get_assessment(request, assessment_pk)
    if not _can(request, "followup.submit_assessment", assessment):
        raise PermissionDenied
    return _run_transition(
        request,
        assessment,
        services.assessment_submit,
        _("The assessment has been submitted for approval."),
        submitted_by=request.user,
    )


@login_required
@require_POST
def assessment_approve(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    assessment = _get_assessment(request, assessment_pk)
    if not _can(request, "followup.approve_assessment", assessment):
        raise PermissionDenied
    return _run_transition(
        request,
        assessment,
        services.assessment_approve,
        _("The assessment has been approved."),
        approved_by=request.user,
    )


@login_required
def assessment_return(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    """A page asking why (GET), and the return itself (POST)."""
    assessment = _get_assessment(request, assessment_pk)
    if not _can(request, "followup.return_assessment", assessment):
        raise PermissionDenied
    form = ReturnForm(request.POST or None, initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        return _run_transition(
            request,
            assessment,
            services.assessment_return,
            _("The assessment has been returned to its writers."),
            returned_by=request.user,
            comment=form.cleaned_data["comment"],
        )
    return render(
        request,
        "followup/assessment_return.html",
        {"assessment": assessment, "period": assessment.period, "form": form},
    )


# ----------------------------------------------------------------- needs my attention


@login_required
def attention(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
    today = timezone.localdate()
    items = assessments_to_write(request.user, organisation)
    return render(
        request,
        "followup/attention.html",
        {
            "items": items,
            "today": today,
            "measures": measures_without_values(request.user, organisation, year=today.year),
            "year": today.year,
        },
    )
