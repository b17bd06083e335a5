from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.choices import Fulfilment
from tillit.core.concurrency import EditConflict, conflict_rows, resubmittable
from tillit.core.history import history_for
from tillit.core.rules import is_member_of_organisation
from tillit.core.views import organisation_or_404
from tillit.planning.choices import DocumentStatus
from tillit.planning.models import OperationalPlan
from tillit.planning.selectors import node_path

from . import services
from .charts import Chart, Point, Series, data_table, project_trend, render_svg, will_reach
from .choices import Gender, MeasureKind, MeasureStatus
from .forms import AdoptForm, TargetForm, ValueForm
from .models import Measure, MeasureTarget, MeasureValue
from .selectors import measure_rows, newest_first, plan_measures, series_points, values_of

GOALS_PER_PAGE = 25


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
    goals = plan.goals.select_related("level", "parent__level", "parent__parent__level").order_by(
        "parent__parent__order", "parent__order", "order", "number", "pk"
    )
    # A page of goals at a time: a large municipality's plan has thousands of goals and
    # tens of thousands of measures; each page reads only its own goals' measures.
    page = Paginator(goals, GOALS_PER_PAGE).get_page(request.GET.get("sida"))
    page_goals = list(page.object_list)
    goal_ids = {goal.pk for goal in page_goals}
    measures = list(plan_measures(plan).filter(Q(node__in=goal_ids) | Q(node__parent__in=goal_ids)))
    rows = measure_rows(plan, measures)
    # A measure follows up a goal or one of its areas: show it under the goal.
    by_goal: dict[int, list] = {goal.pk: [] for goal in page_goals}
    for measure in measures:
        goal_id = measure.node_id if measure.node_id in goal_ids else measure.node.parent_id
        by_goal[goal_id].append(rows[measure.pk])
    unplaced = []
    if not page.has_next():  # measures of goals outside the plan's priorities, at the end
        prioritised = plan.goals.values("pk")
        others = list(
            plan_measures(plan).exclude(node__in=prioritised).exclude(node__parent__in=prioritised)
        )
        unplaced = list(measure_rows(plan, others).values())
    # The follow-up builds on the measures; read its assessments without importing it at load.
    from tillit.followup.selectors import latest_goal_assessments

    assessments = latest_goal_assessments(page_goals, year=plan.year, public=not staff)
    return render(
        request,
        "measures/operational_plan.html",
        {
            "plan": plan,
            "goals": [
                (goal, by_goal[goal.pk], status_counts(by_goal[goal.pk]), assessments.get(goal.pk))
                for goal in page_goals
            ],
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "unplaced": unplaced,
            "history": history_for(plan) if staff else None,
            "can_edit": request.user.has_perm("measures.edit_measure", organisation),
            "next_exists": OperationalPlan.objects.filter(
                organisation=organisation, year=plan.year + 1
            ).exists(),
        },
    )


def status_counts(rows: list) -> list[tuple[MeasureStatus, int]]:
    """How many of a goal's measures have each status, in the order of the statuses."""
    counts = Counter(row.status for row in rows)
    return [(status, counts[status]) for status in MeasureStatus if counts[status]]


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
    can_enter = request.user.has_perm("measures.enter_values", measure)
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
            "can_enter": can_enter,
            "all_values": newest_first(values) if can_enter else [],
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


def _enterable_measure(request: HttpRequest, pk: int) -> Measure:
    measure = get_object_or_404(
        Measure.objects.select_related("node__level", "responsible_unit"), pk=pk
    )
    if not request.user.has_perm("measures.read_measure", measure):
        raise Http404
    if not request.user.has_perm("measures.enter_values", measure):
        raise PermissionDenied
    return measure


def _stored_value(measure: Measure, key: dict) -> MeasureValue | None:
    return MeasureValue.objects.filter(measure=measure, **key).select_related("updated_by").first()


def _value_initial(request: HttpRequest, measure: Measure) -> tuple[dict, MeasureValue | None]:
    """The form's starting point: the value asked for in the address (to correct it), or
    an empty form for the current year."""
    form = ValueForm(request.GET, measure=measure)
    form.full_clean()  # only the period's fields are in the address
    if not request.GET or any(name in form.errors for name in ("year", "period", "gender")):
        return {"year": timezone.localdate().year}, None
    stored = _stored_value(measure, form.key())
    initial = {
        "year": form.cleaned_data["year"],
        "period": request.GET["period"],
        "gender": form.cleaned_data.get("gender"),
    }
    if stored is not None:
        initial.update(
            value=_plain(stored.value),
            grade=stored.grade,
            comment=stored.comment,
            changed_at=services.value_token(stored),
        )
    return initial, stored


@login_required
def measure_value(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter or correct one value by hand, told if someone (or an import) got there first."""
    measure = _enterable_measure(request, pk)
    conflict = None
    if request.method == "POST":
        form = ValueForm(request.POST, measure=measure)
        stored = None
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.value_set(
                    measure=measure,
                    **form.key(),
                    value=data.get("value"),
                    grade=data.get("grade") or "",
                    comment=data["comment"],
                    changed_by=request.user,
                    expected=data["changed_at"],
                )
            except EditConflict as exc:
                stored = exc.current if exc.current.pk else None
                conflict = _value_conflict(form, exc.current)
                posted = form.data.copy()
                posted["changed_at"] = services.value_token(stored)
                form.data = posted
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The value has been saved."))
                return redirect(measure)
    else:
        initial, stored = _value_initial(request, measure)
        form = ValueForm(initial=initial, measure=measure)
    return render(
        request,
        "measures/measure_value_form.html",
        {
            "measure": measure,
            "form": form,
            "stored": stored,
            "conflict": conflict,
            "path": [*node_path(measure.node), measure.node],
        },
    )


@login_required
@require_POST
def measure_value_delete(request: HttpRequest, pk: int, value_pk: int) -> HttpResponse:
    measure = _enterable_measure(request, pk)
    value = get_object_or_404(MeasureValue, pk=value_pk, measure=measure)
    try:
        services.value_delete(
            measure=measure,
            value=value,
            deleted_by=request.user,
            expected=request.POST.get("changed_at", ""),
        )
    except EditConflict:
        messages.error(
            request,
            _("Someone else changed the value after you opened the page: nothing was removed."),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The value for %(period)s was removed.") % {"period": value.period_label}
        )
    return redirect(measure)


def _value_conflict(form: ValueForm, current: MeasureValue) -> list[dict]:
    """The stored value beside the one typed, for the fields that differ."""
    rows = []
    for name in ("value", "grade", "comment"):
        if name not in form.fields:
            continue
        theirs = getattr(current, name) if current.pk else None
        mine = form.cleaned_data.get(name)
        if name == "grade":
            theirs = current.get_grade_display() if current.pk and theirs else theirs
            mine = Fulfilment(mine).label if mine else mine
        if (theirs or "") != (mine or ""):
            rows.append(
                {"label": form.fields[name].label, "theirs": theirs or "—", "mine": mine or "—"}
            )
    return rows


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = "period" if name == "period_kind" else name
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, exc)
