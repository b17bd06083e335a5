from __future__ import annotations

import datetime

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.core.concurrency import EditConflict, resubmittable
from tillit.core.rules import unit_paths
from tillit.core.views import organisation_or_404

from . import services
from .choices import ActivityStatus
from .filters import ActivityFilter
from .forms import ActivityForm, NewActivityForm, ProgressForm
from .models import LINK_FIELDS, Activity
from .selectors import (
    activity_history,
    linkable_nodes,
    status_counts,
    with_list_relations,
)
from .services import DETAIL_FIELDS, REPORT_FIELDS

ACTIVITIES_PER_PAGE = 25
PAGE_PARAMETER = "sida"


def _can(request: HttpRequest, perm: str, obj) -> bool:
    return rules.has_perm(perm, request.user, obj)


def _query(params: QueryDict, **changes: str | None) -> str:
    """The query string without the page number, with `changes` (None removes)."""
    params = params.copy()
    params.pop(PAGE_PARAMETER, None)
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    return params.urlencode()


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    """Every activity of the organisation, filtered by unit, goal, principle, status, year
    and title; with the number per status within the other filters."""
    organisation = organisation_or_404(request)
    if not _can(request, "activities.read_activities", organisation):
        raise PermissionDenied
    every = Activity.objects.filter(organisation=organisation)
    data = request.GET.copy()
    data.pop(PAGE_PARAMETER, None)
    filterset = ActivityFilter(data or None, queryset=every, organisation=organisation)
    others = data.copy()
    others.pop("status", None)
    counts = status_counts(
        ActivityFilter(
            others or None,
            queryset=every,
            organisation=organisation,
            years=filterset.year_choices,
        ).qs
    )
    activities = with_list_relations(filterset.qs)
    page = Paginator(activities, ACTIVITIES_PER_PAGE).get_page(request.GET.get(PAGE_PARAMETER))
    chosen_status = filterset.form.cleaned_data.get("status") if filterset.is_bound else ""
    return render(
        request,
        "activities/activity_list.html",
        {
            "filter": filterset,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "page_query": _query(request.GET),
            "status_links": [
                {
                    "status": status,
                    "count": count,
                    "query": _query(request.GET, status=status.value),
                    "current": chosen_status == status.value,
                }
                for status, count in counts
            ],
            "all_statuses_query": _query(request.GET, status=None),
            "chosen_status": chosen_status,
            "filtered": bool(data),
            "can_plan": _can(request, "activities.plan_activity", organisation),
        },
    )


def _get_activity(request: HttpRequest, pk: int) -> Activity:
    organisation = organisation_or_404(request)
    activity = get_object_or_404(
        Activity.objects.select_related("owner_unit", "responsible", "organisation"),
        pk=pk,
        organisation=organisation,
    )
    if not _can(request, "activities.read_activity", activity):
        raise Http404
    return activity


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity(request, pk)
    nodes = list(activity.nodes.select_related("level", "parent__level").order_by("pk"))
    return render(
        request,
        "activities/activity_detail.html",
        {
            "activity": activity,
            "nodes": nodes,
            "measures": activity.measures.select_related("node__level").order_by("title"),
            "principles": activity.principles.order_by("order"),
            "participants": activity.participants.order_by("first_name", "last_name"),
            "can_edit": _can(request, "activities.edit_activity", activity),
            "can_report": _can(request, "activities.report_progress", activity),
            "can_remove": _can(request, "activities.remove_activity", activity),
            "history": activity_history(activity)
            if _can(request, "activities.view_history", activity)
            else None,
        },
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _default_unit(request: HttpRequest, form: ActivityForm):
    """The person's own unit when they act for exactly one (the form offers its subtree)."""
    paths = unit_paths(request.user)
    if len(paths) != 1:
        return None
    return next((u for u in form.fields["owner_unit"].queryset if u.path == paths[0]), None)


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    """A new activity. `?mal=<id>` (from a goal's or an area's page) ticks that goal or area."""
    organisation = organisation_or_404(request)
    if not _can(request, "activities.plan_activity", organisation):
        raise PermissionDenied
    initial: dict = {
        "start": timezone.localdate(),
        "status": ActivityStatus.PLANNED,
        "progress": 0,
        "responsible": request.user,
    }
    node_id = request.GET.get("mal", "")
    if node_id.isdigit():
        initial["nodes"] = list(linkable_nodes(organisation.pk).filter(pk=int(node_id)))
    form = NewActivityForm(
        request.POST or None,
        user=request.user,
        organisation_id=organisation.pk,
        initial=initial,
    )
    if request.method != "POST":
        form.initial["owner_unit"] = _default_unit(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                organisation=organisation, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            form.add_error("owner_unit", _("You do not act for that unit."))
        else:
            messages.success(request, _("“%(title)s” has been added.") % {"title": activity.title})
            return redirect(activity)
    return render(request, "activities/activity_create.html", {"form": form})


def _initial(activity: Activity, names) -> dict:
    values = {name: getattr(activity, name) for name in names}
    for name in set(names) & set(LINK_FIELDS):
        values[name] = list(getattr(activity, name).all())
    values["version"] = activity.version
    return values


def _shown(field: forms.Field, value) -> str:
    """A value of the form or of the row as the person reads it."""
    if value in (None, "", []):
        return "—"
    if isinstance(field, forms.ModelMultipleChoiceField):
        labels = [field.label_from_instance(o) for o in value]
        return "; ".join(sorted(labels))
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def conflict_rows(form, current: Activity) -> list[dict]:
    """What someone else saved beside what this person typed, for each differing field,
    in words (people, units and goals by name, the status as it reads)."""
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        theirs = getattr(current, name)
        if name in LINK_FIELDS:
            theirs = list(theirs.all())
        mine = form.cleaned_data.get(name)
        if isinstance(field, forms.ModelMultipleChoiceField):
            same = {o.pk for o in theirs} == {o.pk for o in mine or []}
        else:
            same = (theirs or None) == (mine or None)
        if not same:
            rows.append(
                {
                    "label": field.label,
                    "theirs": _shown(field, theirs),
                    "mine": _shown(field, mine),
                }
            )
    return rows


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole activity for its unit's people; status, progress and result for the person
    responsible. Someone else's save in between is shown, and nothing is overwritten."""
    activity = _get_activity(request, pk)
    if _can(request, "activities.edit_activity", activity):
        form = ActivityForm(
            request.POST or None,
            user=request.user,
            organisation_id=activity.organisation_id,
            initial=_initial(activity, [*DETAIL_FIELDS, *LINK_FIELDS, *REPORT_FIELDS]),
        )
        whole = True
    elif _can(request, "activities.report_progress", activity):
        form = ProgressForm(request.POST or None, initial=_initial(activity, REPORT_FIELDS))
        whole = False
    else:
        raise PermissionDenied
    conflict = None
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        expected = values.pop("version")
        try:
            services.activity_update(
                activity=activity, changed_by=request.user, expected_version=expected, **values
            )
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
            activity = exc.current  # the page shows the activity as it now is
        except ValidationError as exc:
            _add_errors(form, exc)
        except PermissionDenied:
            form.add_error("owner_unit", _("You do not act for that unit."))
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(activity)
    return render(
        request,
        "activities/activity_form.html",
        {"activity": activity, "form": form, "conflict": conflict, "whole": whole},
    )


@login_required
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (GET) and the removal itself (POST)."""
    activity = _get_activity(request, pk)
    if not _can(request, "activities.remove_activity", activity):
        raise PermissionDenied
    if request.method == "POST":
        services.activity_delete(activity=activity, deleted_by=request.user)
        messages.success(request, _("“%(title)s” was removed.") % {"title": activity.title})
        return redirect("activities:activities")
    return render(request, "activities/activity_delete.html", {"activity": activity})
