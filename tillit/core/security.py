"""Limiting login attempts (django-axes): the client's address, and the page a locked-out
login gets. Settings in config/settings.py (AXES_*, TRUSTED_PROXY_COUNT)."""

from __future__ import annotations

import ipaddress
import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str | None:
    """The address a request comes from, as the outermost trusted proxy saw it.

    With TRUSTED_PROXY_COUNT = n > 0, each of the n proxies in front of gunicorn appends
    the address it was reached from to X-Forwarded-For, so the n-th entry from the right is
    the client's; entries further left were sent by the client and prove nothing. A request
    that did not pass through all n (too short a header, or no address there) is taken
    from the connection, as with n = 0.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The answer to a login attempt while its user name and address are locked out."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    context = {
        "minutes": minutes,
        "failure_limit": get_failure_limit(request, credentials),
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
