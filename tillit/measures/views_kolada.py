"""Kolada in the browser: search a key figure by title and link it to a goal (a new
measure with every year's values), and fetch a linked measure's values again now.

Searching and linking: plan administrators (`measures.edit_measure` on the
organisation). Fetching a measure's values again: whoever may enter its values
(`measures.enter_values`). The values are for the organisation's municipality code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tillit.core.models import Organisation
from tillit.core.views import organisation_or_404
from tillit.planning.models import PlanNode
from tillit.planning.selectors import current_document, node_path

from .importers.kolada import import_kolada
from .models import Measure
from .sources import KoladaClient, KoladaKpi, SourceError

MAX_RESULTS = 50  # shown of a search; more: search more narrowly


class KoladaSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("The title contains"),
        min_length=2,
        max_length=200,
        help_text=gettext_lazy("E.g. invånare, behöriga, sjukfrånvaro."),
    )


class KoladaLinkForm(forms.Form):
    kpi = forms.RegexField(regex=r"^[A-Za-z0-9_-]{1,20}\Z", max_length=20)
    goal = forms.TypedChoiceField(coerce=int)
    q = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, goals: list[PlanNode], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [(goal.pk, goal.label) for goal in goals]

    def clean_kpi(self) -> str:
        return self.cleaned_data["kpi"].strip().upper()


@dataclass
class Hit:
    kpi: KoladaKpi
    measures: list[Measure] = field(default_factory=list)  # already following the KPI


def _organisation(request: HttpRequest) -> Organisation:
    organisation = organisation_or_404(request)
    if not request.user.has_perm("measures.edit_measure", organisation):
        raise PermissionDenied
    return organisation


def _goals(organisation: Organisation) -> list[PlanNode]:
    """The goals of the adopted steering document of the latest mandate period."""
    document = current_document(organisation, include_drafts=False)
    if document is None:
        return []
    return list(
        PlanNode.objects.filter(document=document, level__key="goal")
        .select_related("level")
        .order_by("parent__parent__order", "parent__order", "order", "number", "pk")
    )


def _hits(organisation: Organisation, kpis: list[KoladaKpi]) -> list[Hit]:
    hits = [Hit(kpi) for kpi in kpis]
    by_id = {hit.kpi.id.upper(): hit for hit in hits}
    for measure in Measure.objects.filter(
        organisation=organisation, kolada_kpi__in=list(by_id)
    ).order_by("title", "pk"):
        hit = by_id.get(measure.kolada_kpi.upper())
        if hit is not None:
            hit.measures.append(measure)
    return hits


def _page(request: HttpRequest, organisation: Organisation, **context) -> HttpResponse:
    context.setdefault("form", KoladaSearchForm())
    context["goals"] = _goals(organisation)
    context["municipality"] = organisation.municipality_code
    return render(request, "measures/kolada.html", context)


@login_required
def kolada_search(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = KoladaSearchForm(request.GET if "q" in request.GET else None)
    context: dict = {"form": form}
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        context["query"] = query
        try:
            kpis = KoladaClient.from_settings().search_kpis(query)
        except SourceError as error:
            context["search_error"] = str(error)
        else:
            context["hits"] = _hits(organisation, kpis[:MAX_RESULTS])
            context["total"] = len(kpis)
    return _page(request, organisation, **context)


@login_required
@require_POST
def kolada_link(request: HttpRequest) -> HttpResponse:
    """Link a KPI to a goal: a new measure (or the one already following the KPI), filled
    with every year's values for the organisation's municipality."""
    organisation = _organisation(request)
    goals = _goals(organisation)
    form = KoladaLinkForm(request.POST, goals=goals)
    query = request.POST.get("q", "")[:200]
    search = KoladaSearchForm({"q": query}) if query else KoladaSearchForm()
    if not form.is_valid():
        errors = [_("Choose a key figure from the search and a goal from the list.")]
        return _page(request, organisation, form=search, link_errors=errors, query=query)
    goal = next(goal for goal in goals if goal.pk == form.cleaned_data["goal"])
    result = import_kolada(
        organisation=organisation,
        kpi=form.cleaned_data["kpi"],
        municipality=organisation.municipality_code,
        years=None,
        node=goal,
        user=request.user,
    )
    if not result.ok:
        return _page(
            request,
            organisation,
            form=search,
            link_errors=[str(error) for error in result.errors],
            link_kpi=form.cleaned_data["kpi"],
            query=query,
        )
    messages.success(request, result.summary())
    return redirect(result.measure)


@login_required
@require_POST
def kolada_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """Fetch a linked measure's values from Kolada now (every year)."""
    organisation = organisation_or_404(request)
    measure = get_object_or_404(
        Measure.objects.select_related("node__level", "responsible_unit"),
        pk=pk,
        organisation=organisation,
    )
    if not measure.kolada_kpi:
        raise Http404
    if not request.user.has_perm("measures.enter_values", measure):
        raise PermissionDenied
    result = import_kolada(
        organisation=organisation,
        kpi=measure.kolada_kpi,
        municipality=organisation.municipality_code,
        years=None,
        measure=measure,
        user=request.user,
    )
    if result.ok:
        messages.success(request, result.summary())
        return redirect(measure)
    return render(
        request,
        "measures/kolada_refresh.html",
        {"measure": measure, "result": result, "path": [*node_path(measure.node), measure.node]},
    )
