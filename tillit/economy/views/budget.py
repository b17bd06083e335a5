"""The budget and economic plan by decision: the year's frames, the documents, registering
a budget or a tilläggsbudget, and correcting how one was registered."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tillit.core.concurrency import EditConflict, conflict_rows, resubmittable
from tillit.core.models import Organisation

from .. import budget as services
from ..forms_budget import BudgetForm, YearChoiceForm
from ..models import BudgetDocument, BudgetKind
from ..templatetags.economy import tkr
from . import (
    economy_context,
    organisation_for,
    posted_version,
    require_manage,
    year_from_query,
)

YEAR_PARAMETER = "ar"
KIND_PARAMETER = "typ"
SUPPLEMENTARY = "tillagg"


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# ---------------------------------------------------------------------------------- the list


@login_required
def budget_list(request: HttpRequest) -> HttpResponse:
    """A year's frames (adopted, each tilläggsbudget, current), the municipal lines, the
    budgeted result and the economic plan's next two years; then every budget document."""
    organisation = organisation_for(request)
    year = year_from_query(request.GET.get(YEAR_PARAMETER), services.default_year(organisation))
    overview = services.year_overview(organisation, year)
    years = sorted(set(services.budget_years(organisation)) | {year})
    return render(
        request,
        "economy/budget_list.html",
        {
            "year": year,
            "years": years,
            "overview": overview,
            "documents": services.documents(organisation).order_by(
                "-year", "-decision__date", "-pk"
            ),
            "can_manage": request.user.has_perm("economy.manage", organisation),
            **economy_context("budget", year),
        },
    )


# ----------------------------------------------------------------------------- registering


def _grid_rows(organisation: Organisation, document: BudgetDocument | None = None):
    if document is None:
        return services.grid_rows(organisation)
    _amounts, _comments, units = services.document_amounts(document)
    return services.grid_rows(organisation, units)


@login_required
def budget_create(request: HttpRequest) -> HttpResponse:
    """Register a budget and economic plan, or (`?typ=tillagg`) a tilläggsbudget, with its
    decision. The year is chosen first (`?ar=`), so the grid's columns are its years."""
    organisation = organisation_for(request)
    require_manage(request, organisation)
    supplementary = request.GET.get(KIND_PARAMETER) == SUPPLEMENTARY
    kind = BudgetKind.SUPPLEMENTARY if supplementary else BudgetKind.BUDGET
    this_year = date.today().year
    adopted_years = services.adopted_years(organisation) if supplementary else []
    if supplementary:
        default = this_year if this_year in adopted_years else services.default_year(organisation)
    else:
        default = services.next_budget_year(organisation)
    year = year_from_query(request.GET.get(YEAR_PARAMETER), default)
    choices = sorted(set(range(this_year - 1, this_year + 4)) | set(adopted_years) | {year})
    years = (year,) if supplementary else (year, year + 1, year + 2)
    rows = _grid_rows(organisation)
    title = (
        _("Supplementary budget %(year)s") % {"year": year}
        if supplementary
        else _("Budget %(year)s and economic plan %(first)s–%(last)s")
        % {"year": year, "first": year + 1, "last": year + 2}
    )
    form = BudgetForm(
        request.POST or None,
        organisation=organisation,
        kind=kind,
        years=years,
        rows=rows,
        initial={"title": title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.create_document(
                organisation=organisation,
                kind=kind,
                year=year,
                title=form.cleaned_data["title"],
                decision=form.cleaned_data["decision"],
                description=form.cleaned_data["description"],
                amounts=form.amounts(),
                comments=form.comments(),
                rows=rows,
                created_by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("“%(title)s” has been registered.") % {"title": document.title}
            )
            return redirect("economy:budget", pk=document.pk)
    existing = services.adopted_budget(organisation, year)
    return render(
        request,
        "economy/budget_form.html",
        {
            "form": form,
            "document": None,
            "kind": kind,
            "supplementary": supplementary,
            "year": year,
            "year_form": YearChoiceForm(initial={YEAR_PARAMETER: year}, years=choices),
            "kind_parameter": SUPPLEMENTARY if supplementary else "",
            "existing_budget": existing,
            "decision_add_url": reverse("core:decision_add"),
            **economy_context("budget", year),
        },
    )


# ------------------------------------------------------------------------------- a document


def _document_or_404(organisation: Organisation, pk: int) -> BudgetDocument:
    return get_object_or_404(
        BudgetDocument.objects.select_related("decision__body", "created_by", "organisation"),
        pk=pk,
        organisation=organisation,
    )


@login_required
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_for(request)
    document = _document_or_404(organisation, pk)
    return render(
        request,
        "economy/budget_detail.html",
        {
            "document": document,
            "table": services.document_table(document),
            "history": services.document_history(document),
            "can_manage": request.user.has_perm("economy.manage", organisation),
            **economy_context("budget", document.year),
        },
    )


def _amount_conflicts(form: BudgetForm, current: BudgetDocument) -> list[dict]:
    """The amounts someone else saved beside those this person typed, cell by cell."""
    theirs, their_comments, _units = services.document_amounts(current)
    rows = []
    for row in form.rows:
        for year in form.years:
            saved = theirs.get((row.key, year))
            mine = form.cleaned_data.get(form.amount_name(row, year))
            if form.kind == BudgetKind.SUPPLEMENTARY and not mine:
                mine = None
            if saved != mine:
                rows.append(
                    {
                        "label": f"{row.label}, {year} (tkr)",
                        "theirs": tkr(saved) if saved is not None else "—",
                        "mine": tkr(mine) if mine is not None else "—",
                    }
                )
        if form.kind == BudgetKind.SUPPLEMENTARY:
            saved = their_comments.get(row.key, "")
            mine = form.cleaned_data.get(form.comment_name(row), "")
            if saved != mine:
                rows.append(
                    {
                        "label": form.fields[form.comment_name(row)].label,
                        "theirs": saved or "—",
                        "mine": mine or "—",
                    }
                )
    return rows


@login_required
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct how a decision was registered (title, decision, description, amounts), with
    a reason kept in the history. Someone else's save in between is shown; nothing is lost."""
    organisation = organisation_for(request)
    document = _document_or_404(organisation, pk)
    require_manage(request, organisation)
    amounts, comments, units = services.document_amounts(document)
    rows = services.grid_rows(organisation, units)
    initial = {
        "title": document.title,
        "decision": document.decision,
        "description": document.description,
        "version": document.version,
        **BudgetForm.initial_amounts(amounts, comments),
    }
    form = BudgetForm(
        request.POST or None,
        organisation=organisation,
        kind=document.kind,
        years=document.plan_years,
        rows=rows,
        correction=True,
        initial=initial,
    )
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_document(
                document=document,
                expected_version=posted_version(request),
                title=form.cleaned_data["title"],
                decision=form.cleaned_data["decision"],
                description=form.cleaned_data["description"],
                amounts=form.amounts(),
                comments=form.comments(),
                rows=rows,
                reason=form.cleaned_data["reason"],
            )
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current) + _amount_conflicts(form, exc.current)
            resubmittable(form, exc.current)
            document = _document_or_404(organisation, pk)
            status = 409
        except ValidationError as exc:
            _add_errors(form, exc)
            document = _document_or_404(organisation, pk)
        else:
            messages.success(
                request,
                _("The registration of “%(title)s” has been corrected.")
                % {"title": document.title},
            )
            return redirect("economy:budget", pk=document.pk)
    return render(
        request,
        "economy/budget_form.html",
        {
            "form": form,
            "document": document,
            "kind": document.kind,
            "supplementary": document.kind == BudgetKind.SUPPLEMENTARY,
            "year": document.year,
            "conflict": conflict,
            "decision_add_url": reverse("core:decision_add"),
            **economy_context("budget", document.year),
        },
        status=status,
    )
