from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tillit.planning.models import PlanNode, SteeringDocument

from .choices import POLITICAL_BODY_KINDS, BodyKind
from .concurrency import EditConflict, conflict_rows, resubmittable, save_versioned
from .forms import DecisionForm
from .history import history_for
from .models import Body, Decision, Membership, OrgUnit, UnitRole, User
from .selectors import unit_order, unit_tree


def organisation_or_404(request: HttpRequest):
    """The municipality the request is about; 404 before any has been set up."""
    if request.organisation is None:
        raise Http404(_("No municipality has been set up yet."))
    return request.organisation


def organisation(request: HttpRequest) -> HttpResponse:
    org = organisation_or_404(request)
    bodies = list(Body.objects.filter(organisation=org).select_related("parent", "unit"))
    return render(
        request,
        "core/organisation.html",
        {
            "political": [b for b in bodies if b.kind in POLITICAL_BODY_KINDS],
            "management": [b for b in bodies if b.kind == BodyKind.MANAGEMENT_GROUP],
            "units": unit_tree(org),
        },
    )


def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(OrgUnit.objects.select_related("parent"), pk=pk)
    see_people = request.user.has_perm("core.view_people", unit)
    return render(
        request,
        "core/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors(),
            "children": sorted(unit.children.all(), key=unit_order),
            "roles": unit.roles.select_related("person").order_by("role", "person__first_name")
            if see_people
            else None,
            "nodes": PlanNode.objects.filter(owner_unit=unit)
            .select_related("level", "parent__level")
            .order_by("-year", "title")
            if see_people
            else None,
            "groups": unit.management_groups.all(),
            "history": history_for(
                unit,
                related=[
                    (
                        UnitRole.history.filter(unit_id=unit.pk).select_related("person"),
                        lambda r: f"{r.person}: {r.get_role_display()}",
                    )
                ],
            )
            if request.user.has_perm("core.view_history", unit)
            else None,
        },
    )


def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.select_related("parent", "unit"), pk=pk)
    # Elected representatives' names and roles are public; management groups' are not.
    see_people = request.user.has_perm("core.view_people", body)
    see_members = body.is_political or see_people
    return render(
        request,
        "core/body_detail.html",
        {
            "body": body,
            "see_people": see_people,
            "children": body.children.all(),
            "memberships": body.memberships.select_related("person").order_by(
                "role", "person__first_name"
            )
            if see_members
            else None,
            "decisions": body.decisions.all()[:20] if body.is_political else None,
            "history": history_for(
                body,
                related=[
                    (
                        Membership.history.filter(body_id=body.pk).select_related("person"),
                        lambda r: f"{r.person}: {r.get_role_display()}",
                    )
                ],
            )
            if request.user.has_perm("core.view_history", body)
            else None,
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    if not request.user.has_perm("core.view_people", person):
        raise Http404
    return render(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "unit_roles": UnitRole.objects.filter(person=person).select_related("unit"),
            "memberships": Membership.objects.filter(person=person).select_related("body"),
            "history": history_for(person),
        },
    )


def decision_list(request: HttpRequest) -> HttpResponse:
    org = organisation_or_404(request)
    decisions = Decision.objects.filter(organisation=org).select_related("body")
    body = request.GET.get("organ")
    if body:
        decisions = decisions.filter(body__abbreviation=body)
    return render(
        request,
        "core/decision_list.html",
        {
            "decisions": decisions,
            "bodies": Body.objects.filter(organisation=org, kind__in=POLITICAL_BODY_KINDS),
            "selected_body": body,
            "can_add": request.user.has_perm("core.record_decision", org),
        },
    )


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("body"), pk=pk)
    return render(
        request,
        "core/decision_detail.html",
        {
            "decision": decision,
            # Only what the person may see: drafts cite decisions too.
            "documents": [
                d
                for d in SteeringDocument.objects.filter(decision=decision)
                if request.user.has_perm("planning.read_document", d)
            ],
            "nodes": [
                n
                for n in PlanNode.objects.filter(decision=decision)
                .select_related("level", "document")
                .order_by("level__order", "order", "number")
                if request.user.has_perm("planning.read_node", n)
            ],
            "can_change": request.user.has_perm("core.edit_decision", decision),
            "history": history_for(decision)
            if request.user.has_perm("core.view_history", decision)
            else None,
        },
    )


@login_required
def decision_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    org = organisation_or_404(request)
    decision = get_object_or_404(Decision, pk=pk, organisation=org) if pk else None
    perm = "core.edit_decision" if decision else "core.record_decision"
    if not request.user.has_perm(perm, decision or org):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, instance=decision, organisation=org)
    conflict = None
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved._history_user = request.user
        try:
            if decision is None:
                saved.save()
            else:
                # Everything decided by it is cited through it: no lost update here either.
                save_versioned(
                    saved,
                    expected_version=form.cleaned_data["version"],
                    update_fields=list(form.Meta.fields),
                )
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
            decision = exc.current
        else:
            messages.success(
                request, _("The decision %(ref)s is recorded.") % {"ref": saved.reference}
            )
            return redirect(saved)
    return render(
        request,
        "core/decision_form.html",
        {"form": form, "decision": decision, "conflict": conflict},
    )
