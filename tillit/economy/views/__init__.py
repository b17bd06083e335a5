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


FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_or_404(year: int) -> int:
    """A year from the address; 404 outside the years the economy knows."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def month_or_404(month: int) -> int:
    if not 1 <= month <= 12:
        raise Http404
    return month


def year_from_query(value: str | None, default: int) -> int:
    """`?ar=` as a year: the default when it is missing, 404 when it is not one."""
    try:
        year = int(value) if value else default
    except ValueError:
        raise Http404 from None
    return year_or_404(year)


def posted_version(request: HttpRequest) -> int:
    """The version a versioned form was rendered with (see tillit/core/concurrency.py)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # unequal to every version: the person is shown a conflict
