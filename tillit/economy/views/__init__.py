"""The economy's pages, one module per part (see tillit/economy/urls.py)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from tillit.core.models import Organisation


def organisation_for(request: HttpRequest) -> Organisation:
    """The signed-in person's own municipality, if she may read its economy; else 404.

    Every economy page is about the person's own municipality: a person of another
    one reads hers, and Grästorp's objects are not found."""
    organisation = getattr(request.user, "organisation", None)
    if organisation is None or not request.user.has_perm("economy.view", organisation):
        raise Http404
    return organisation


def can_manage(request: HttpRequest, organisation: Organisation) -> bool:
    return request.user.has_perm("economy.manage", organisation)


def require_manage(request: HttpRequest, organisation: Organisation) -> None:
    """403 unless the person keeps the economy (the economist)."""
    if not can_manage(request, organisation):
        raise PermissionDenied


def economy_context(section: str, year: int | None = None) -> dict:
    """What templates/economy/_nav.html needs: the part of the economy the page is in
    ("followup", "budget", "goals", "balance", "policy", "accounts", "imports") and the
    year the financial goals' link goes to."""
    return {"economy_section": section, "economy_year": year or date.today().year}
