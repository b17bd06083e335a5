from __future__ import annotations

from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tillit.core.history import history_for
from tillit.core.rules import is_member_of_organisation
from tillit.core.views import organisation_or_404
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import OperationalPlan
from tillit.planning.selectors import node_path

from .charts import Chart, Series, data_table, project_trend, render_svg, will_reach
from .choices import Gender, MeasureKind
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
    for measure in measures:
        goal_id = measure.node_id if measure.node_id in by_goal else measure.node.parent_id
        by_goal.setdefault(goal_id, []).append(rows[measure.pk])
    return render(
        request,
        "measures/operational_plan.html",
        {
            "plan": plan,
            "goals": [(goal, by_goal.get(goal.pk, [])) for goal in goals],
            "unplaced": [
                row
                for goal_id, goal_rows in by_goal.items()
                if goal_id not in {g.pk for g in goals}
                for row in goal_rows
            ],
            "history": history_for(plan) if staff else None,
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
    targets = list(
        MeasureTarget.objects.filter(measure=measure)
        .select_related("plan", "decision__body")
        .order_by("plan__year")
    )
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


def _point(label: str, x: int, value: Decimal):
    from .charts import Point

    return Point(label=label, x=float(x), value=value)
