from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.concurrency import EditConflict, conflict_rows, resubmittable
from tillit.core.history import history_for
from tillit.core.rules import is_member_of_organisation
from tillit.core.views import organisation_or_404
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import OperationalPlan
from tillit.planning.selectors import node_path

from . import services
from .charts import Chart, Point, Series, data_table, project_trend, render_svg, will_reach
from .choices import Gender, MeasureKind
from .forms import AdoptForm, TargetForm
from .models import Measure, MeasureTarget
from .selectors import measure_rows, plan_measures, series_points, values_of


def operational_plan_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
    plans = OperationalPlan.objects.filter(organisation=organisation).select_related(
        "decision__body"
    )
    if not is_member_of_organisation(request.user, organisation):
        plans = plans.filter(status=DocumentStatus.ADOPTED)
    return render(request, "measures/operational_plan_list.html", {"plans": plans})


def operational_plan(request: HttpRequest, year: int) -> HttpResponse:
    """The year's plan: prioritised goals, their measures and each measure's status."""
    organisation = organisation_or_404(request)
    plan = get_object_or_404(
        OperationalPlan.objects.select_related("decision__body", "document"),
        organisation=organisation,
        year=year,
    )
    staff = is_member_of_organisation(request.user, organisation)
    if not plan.is_adopted and not staff:
        raise Http404
    goals = list(
        plan.goals.select_related("level", "parent__level", "parent__parent__level").order_by(
            "parent__parent__order", "parent__order", "order", "number"
        )
    )
    measures = list(plan_measures(plan))
    rows = measure_rows(plan, measures)
    # A measure follows up a goal or one of its areas: show it under the goal.
    by_goal: dict[int, list] = {goal.pk: [] for goal in goals}
    goal_ids = set(by_goal)
    for measure in measures:
        goal_id = measure.node_id if measure.node_id in goal_ids else measure.node.parent_id
        by_goal.setdefault(goal_id, []).append(rows[measure.pk])
    # The follow-up builds on the measures; read its assessments without importing it at load.
    from tillit.followup.selectors import latest_goal_assessments

    assessments = latest_goal_assessments(goals, year=plan.year, public=not staff)
    return render(
        request,
        "measures/operational_plan.html",
        {
            "plan": plan,
            "goals": [(goal, by_goal.get(goal.pk, []), assessments.get(goal.pk)) for goal in goals],
            "unplaced": [
                row
                for goal_id, goal_rows in by_goal.items()
                if goal_id not in goal_ids
                for row in goal_rows
            ],
            "history": history_for(plan) if staff else None,
            "can_edit": request.user.has_perm("measures.edit_measure", organisation),
            "next_exists": OperationalPlan.objects.filter(
                organisation=organisation, year=plan.year + 1
            ).exists(),
        },
    )


def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(
        Measure.objects.select_related("node__level", "node__document", "responsible_unit"),
        pk=pk,
    )
    if not request.user.has_perm("measures.read_measure", measure):
        raise Http404
    values = values_of(measure)
    targets = MeasureTarget.objects.filter(measure=measure)
    if not is_member_of_organisation(request.user, measure.node):
        # A draft plan's targets are not public until the plan is adopted.
        targets = targets.filter(plan__status=DocumentStatus.ADOPTED)
    targets = list(targets.select_related("plan", "decision__body").order_by("plan__year"))
    document = measure.node.document
    actual = series_points(values)
    series = [Series(name=_("Outcome"), points=actual, style="actual")]
    target_points = [
        _point(str(t.plan.year), t.plan.year, t.target) for t in targets if t.target is not None
    ]
    if target_points:
        series.append(Series(name=_("Target"), points=target_points, style="target"))
    projection = None
    if measure.kind == MeasureKind.QUANTITATIVE:
        projection = project_trend(
            actual,
            float(document.end_year),
            name=_("Trend to %(year)s") % {"year": document.end_year},
        )
        if projection is not None:
            series.append(projection)
    final_target = next((t for t in reversed(targets) if t.target is not None), None)
    chart = Chart(title=measure.title, unit=measure.unit, series=series, decimals=measure.decimals)
    svg = render_svg(chart, id_prefix=f"measure-{measure.pk}")
    by_gender = [v for v in values if v.gender != Gender.TOTAL]
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "path": [*node_path(measure.node), measure.node],
            "chart_svg": mark_safe(svg),  # built by render_svg, which escapes every text
            "table": data_table(chart),
            "targets": targets,
            "values": [v for v in values if v.gender == Gender.TOTAL],
            "gender_values": by_gender,
            "projection_reaches": will_reach(
                projection, final_target.target if final_target else None, measure.direction
            )
            if projection
            else None,
            "final_target": final_target,
            "document": document,
            "can_enter": request.user.has_perm("measures.enter_values", measure),
            "can_edit": request.user.has_perm("measures.edit_measure", measure.organisation),
            "history": history_for(
                measure,
                related=[
                    (
                        MeasureTarget.history.filter(measure_id=measure.pk).select_related("plan"),
                        lambda r: _("Target %(year)s") % {"year": r.plan.year},
                    )
                ],
            )
            if request.user.has_perm("core.view_history", measure.node)
            else None,
            "today": timezone.localdate(),
        },
    )


def _point(label: str, x: int, value: Decimal) -> Point:
    return Point(label=label, x=float(x), value=value)


def _plain(number: Decimal | None) -> Decimal | None:
    """6.5000 → 6.5 and 100.0000 → 100, for a form field."""
    if number is None:
        return None
    return (
        number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    )


def _plan_for(request: HttpRequest, year: int) -> OperationalPlan:
    organisation = organisation_or_404(request)
    plan = get_object_or_404(OperationalPlan, organisation=organisation, year=year)
    if not request.user.has_perm("measures.edit_measure", organisation):
        raise PermissionDenied
    return plan


@login_required
@require_POST
def operational_plan_copy_forward(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan_for(request, year)
    try:
        following = services.operational_plan_copy_forward(plan=plan, created_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(plan)
    messages.success(
        request,
        _("%(plan)s has been started from %(previous)s.")
        % {"plan": following.title, "previous": plan.title},
    )
    return redirect(following)


@login_required
def operational_plan_adopt(request: HttpRequest, year: int) -> HttpResponse:
    plan = _plan_for(request, year)
    form = AdoptForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.operational_plan_adopt(
                plan=plan, decision=form.cleaned_data["decision"], adopted_by=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(plan)s is adopted.") % {"plan": plan.title})
            return redirect(plan)
    return render(request, "measures/operational_plan_adopt.html", {"plan": plan, "form": form})


@login_required
def measure_target(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    measure = get_object_or_404(Measure.objects.select_related("node__level"), pk=pk)
    plan = _plan_for(request, year)
    if measure.organisation_id != plan.organisation_id:
        raise Http404
    current = MeasureTarget.objects.filter(measure=measure, plan=plan).first()
    initial = {"version": current.version} if current else {}
    if current:
        initial.update(
            target=_plain(current.target),
            target_grade=current.target_grade,
            near_threshold=_plain(current.near_threshold),
        )
    form = TargetForm(request.POST or None, measure=measure, plan=plan, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.target_set(
                measure=measure,
                plan=plan,
                changed_by=request.user,
                expected_version=data.pop("version"),
                target=data.get("target"),
                target_grade=data.get("target_grade") or "",
                near_threshold=data.get("near_threshold"),
                decision=data.get("decision"),
            )
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The target has been saved."))
            return redirect(measure)
    return render(
        request,
        "measures/measure_target_form.html",
        {
            "measure": measure,
            "plan": plan,
            "form": form,
            "conflict": conflict,
            "path": [*node_path(measure.node), measure.node],
        },
    )
