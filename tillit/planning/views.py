from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.concurrency import EditConflict, conflict_rows, resubmittable
from tillit.core.history import history_for
from tillit.core.rules import is_member_of_organisation
from tillit.core.views import organisation_or_404

from . import services
from .forms import (
    NewOperationsNodeForm,
    NewPoliticalNodeForm,
    OperationsNodeForm,
    PoliticalNodeForm,
)
from .models import (
    Commitment,
    Level,
    NodeSection,
    PlanNode,
    SteeringDocument,
    SustainableDevelopmentGoal,
)
from .selectors import current_document, draft_documents, node_path, plan_tree, principles_of


def home(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
    staff = is_member_of_organisation(request.user, organisation)
    document = current_document(organisation, include_drafts=staff)
    return render(
        request,
        "planning/home.html",
        {
            "document": document,
            "drafts": draft_documents(organisation).exclude(pk=getattr(document, "pk", None))
            if staff
            else [],
            "tree": plan_tree(document) if document else None,
            "principles": principles_of(organisation),
        },
    )


def document_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
    documents = [
        d
        for d in SteeringDocument.objects.filter(organisation=organisation).select_related(
            "decision__body"
        )
        if request.user.has_perm("planning.read_document", d)
    ]
    return render(request, "planning/document_list.html", {"documents": documents})


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        SteeringDocument.objects.select_related("decision__body", "organisation"), pk=pk
    )
    if not request.user.has_perm("planning.read_document", document):
        raise Http404
    return render(
        request,
        "planning/document_detail.html",
        {
            "document": document,
            "tree": plan_tree(document),
            "history": history_for(document)
            if request.user.has_perm("core.view_history", document)
            else None,
        },
    )


def _get_node(request: HttpRequest, pk: int) -> PlanNode:
    node = get_object_or_404(
        PlanNode.objects.select_related(
            "level__parent", "document", "decision__body", "owner_unit", "parent__level"
        ),
        pk=pk,
    )
    if not request.user.has_perm("planning.read_node", node):
        raise Http404
    return node


def node_detail(request: HttpRequest, pk: int) -> HttpResponse:
    node = _get_node(request, pk)
    user = request.user
    children = list(
        node.children.select_related("level", "owner_unit").order_by(
            "level__order", "-year", "order", "number", "pk"
        )
    )
    child_levels = list(node.level.children.filter(in_tree=True))
    from tillit.measures.models import Measure  # measures build on the plan, not vice versa

    measures = list(Measure.objects.filter(node__in=[node, *children]).select_related("node"))
    from tillit.activities.results import node_results  # activities build on the plan too

    return render(
        request,
        "planning/node_detail.html",
        {
            "node": node,
            "path": node_path(node),
            "sections": node.sections.all(),
            "sdgs": node.sdgs.all(),
            "children": children,
            "measures": measures,
            "results": node_results(node, children=children, measures=measures, user=user),
            "can_change": user.has_perm("planning.edit_node", node),
            "can_delete": not node.is_political and user.has_perm("planning.remove_node", node),
            "new_child_levels": [
                level
                for level in child_levels
                if user.has_perm(
                    "planning.add_political_child"
                    if level.is_political
                    else "planning.add_operations_child",
                    node,
                )
            ],
            "history": history_for(
                node,
                related=[(NodeSection.history.filter(node_id=node.pk), lambda r: r.heading)],
            )
            if user.has_perm("core.view_history", node)
            else None,
        },
    )


@login_required
def node_edit(request: HttpRequest, pk: int) -> HttpResponse:
    node = _get_node(request, pk)
    if not request.user.has_perm("planning.edit_node", node):
        raise PermissionDenied
    conflict = None
    if node.is_political:
        initial = {
            "number": node.number,
            "title": node.title,
            "description": node.description,
            "strategy": node.strategy,
            "sdgs": list(node.sdgs.all()),
            "version": node.version,
        }
        form = PoliticalNodeForm(
            request.POST or None,
            organisation_id=node.organisation_id,
            level=node.level,
            initial=initial,
        )
    else:
        initial = {
            "title": node.title,
            "description": node.description,
            "owner_unit": node.owner_unit,
            "year": node.year,
            "version": node.version,
        }
        form = OperationsNodeForm(
            request.POST or None,
            user=request.user,
            organisation_id=node.organisation_id,
            initial=initial,
        )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        expected = values.pop("version")
        extra = {}
        if node.is_political:
            extra = {"decision": values.pop("decision"), "sdgs": list(values.pop("sdgs"))}
        try:
            services.node_update(
                node=node, changed_by=request.user, expected_version=expected, **extra, **values
            )
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
            node = exc.current  # the page shows the element as it now is
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(node)
    return render(
        request,
        "planning/node_form.html",
        {"node": node, "form": form, "conflict": conflict, "path": node_path(node)},
    )


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def node_create(request: HttpRequest, pk: int, level_key: str) -> HttpResponse:
    parent = _get_node(request, pk)
    # Only levels shown in the tree live as plan elements; measures and activities
    # have their own models and pages.
    level = get_object_or_404(
        Level,
        organisation_id=parent.organisation_id,
        key=level_key,
        parent=parent.level,
        in_tree=True,
    )
    if level.is_political:
        if not request.user.has_perm("planning.add_political_child", parent):
            raise PermissionDenied
        siblings = parent.children.filter(level=level).exclude(number=None)
        next_number = max(siblings.values_list("number", flat=True), default=0) + 1
        form = NewPoliticalNodeForm(
            request.POST or None,
            organisation_id=parent.organisation_id,
            level=level,
            initial={"number": next_number, "sdgs": list(parent.sdgs.all())},
        )
    else:
        if not request.user.has_perm("planning.add_operations_child", parent):
            raise PermissionDenied
        form = NewOperationsNodeForm(
            request.POST or None,
            user=request.user,
            organisation_id=parent.organisation_id,
            initial={"year": parent.document.start_year},
        )
    if request.method == "POST" and form.is_valid():
        try:
            values = dict(form.cleaned_data)
            if level.is_political:
                values["sdgs"] = list(values.pop("sdgs"))
            node = services.node_create(
                parent=parent, level=level, created_by=request.user, **values
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("“%(title)s” has been added.") % {"title": node.title})
            return redirect(node)
    return render(
        request,
        "planning/node_create.html",
        {"parent": parent, "level": level, "form": form, "path": [*node_path(parent), parent]},
    )


@login_required
@require_POST
def node_delete(request: HttpRequest, pk: int) -> HttpResponse:
    node = _get_node(request, pk)
    parent = node.parent
    services.node_delete(node=node, deleted_by=request.user)
    messages.success(request, _("“%(title)s” was removed.") % {"title": node.title})
    return redirect(parent or "home")


def structure(request: HttpRequest) -> HttpResponse:
    """The plan's levels as this municipality has named and nested them."""
    organisation = organisation_or_404(request)
    levels = list(
        Level.objects.filter(organisation=organisation)
        .select_related("parent")
        .order_by("order", "pk")
    )
    children: dict[int | None, list[Level]] = {}
    for level in levels:
        children.setdefault(level.parent_id, []).append(level)
    rows: list[tuple[int, Level]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for level in children.get(parent_id, []):
            rows.append((depth, level))
            walk(level.pk, depth + 1)

    walk(None, 0)
    show_history = request.user.has_perm("core.view_history", organisation)
    return render(
        request,
        "planning/structure.html",
        {
            "rows": rows,
            "history": history_for(
                organisation,
                related=[
                    (
                        Level.history.filter(organisation_id=organisation.pk),
                        lambda r: r.name,
                    )
                ],
                own=False,  # the levels' history; the organisation's own record is not news here
            )
            if show_history
            else None,
        },
    )


def principle_list(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
    return render(
        request, "planning/principle_list.html", {"principles": principles_of(organisation)}
    )


def principle_detail(request: HttpRequest, key: str) -> HttpResponse:
    organisation = organisation_or_404(request)
    principle = get_object_or_404(principles_of(organisation), key=key)
    from tillit.activities.results import principle_activities

    return render(
        request,
        "planning/principle_detail.html",
        {
            "principle": principle,
            "activities": principle_activities(principle, request.user),
            "history": history_for(
                principle,
                related=[(Commitment.history.filter(principle_id=principle.pk), lambda r: r.text)],
            )
            if request.user.has_perm("core.view_history", principle)
            else None,
        },
    )


def sdg_detail(request: HttpRequest, number: int) -> HttpResponse:
    organisation = organisation_or_404(request)
    sdg = get_object_or_404(SustainableDevelopmentGoal, number=number)
    document = current_document(
        organisation, include_drafts=is_member_of_organisation(request.user, organisation)
    )
    nodes = (
        sdg.nodes.filter(document=document).select_related("level").order_by("level__order", "pk")
        if document
        else []
    )
    return render(
        request, "planning/sdg_detail.html", {"sdg": sdg, "nodes": nodes, "document": document}
    )
