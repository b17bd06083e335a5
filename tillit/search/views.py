from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tillit.core.views import organisation_or_404
from tillit.portal.selectors import portal_organisation

from .choices import ResultKind
from .forms import SearchForm
from .scopes import PUBLIC, Scope, public_scope, staff_scope
from .selectors import KIND_PARAMETER, PAGE_PARAMETER, search


def _search_page(
    request: HttpRequest, scope: Scope, template: str, extra: dict | None = None
) -> HttpResponse:
    form = SearchForm(request.GET or None)
    chosen = request.GET.get(KIND_PARAMETER, "")
    kind = ResultKind(chosen) if chosen in ResultKind.values else None
    query = form.cleaned_data["q"] if form.is_valid() else ""
    described_by = "search-q-help" + (" search-q-error" if form.errors.get("q") else "")
    form.fields["q"].widget.attrs["aria-describedby"] = described_by
    results = kind_links = None
    page_query = ""
    if query:
        results = search(
            scope=scope, query=query, kind=kind, page_number=request.GET.get(PAGE_PARAMETER)
        )
        kind_links = [
            {
                "kind": k,
                "count": results.counts[k],
                "query": urlencode({"q": query, KIND_PARAMETER: k.value}),
                "current": k == kind,
            }
            for k in ResultKind
        ]
        page_query = urlencode({"q": query, **({KIND_PARAMETER: kind.value} if kind else {})})
    return render(
        request,
        template,
        {
            "form": form,
            "query": query,
            "kind": kind,
            "results": results,
            "kind_links": kind_links,
            "all_query": urlencode({"q": query}),
            "page": results.page if results else None,
            "page_range": results.page.paginator.get_elided_page_range(results.page.number)
            if results
            else None,
            "page_query": page_query,
            "help": _help(scope),
            **(extra or {}),
        },
    )


def _help(scope: Scope) -> str:
    if scope.audience == PUBLIC:
        what = _("Searches the adopted plan, its measures and activities, and approved reports.")
    else:
        what = _(
            "Searches the plan, measures, activities and reports you may read, drafts included."
        )
    if connection.vendor == "postgresql":
        how = _(
            'Words are found in all their forms. Use "quotation marks" for a phrase, or '
            "between words for either, and a minus sign before a word to leave it out."
        )
    else:
        how = _("Every word must occur in a hit.")
    return f"{what} {how}"


def public(request: HttpRequest) -> HttpResponse:
    """Search of what the public may see, on the public portal: of the portal's
    municipality, never the visitor's own (as every portal page)."""
    organisation = portal_organisation()
    if organisation is None:
        raise Http404(_("No municipality has been set up yet."))
    return _search_page(
        request,
        public_scope(organisation),
        "search/public.html",
        {"organisation": organisation},
    )


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    """Search of everything in the organisation that the person may read."""
    organisation = organisation_or_404(request)
    return _search_page(request, staff_scope(request.user, organisation), "search/staff.html")
