"""The staff page where a person makes, sees once and revokes their own API key."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .models import TokenEvent, TokenEventKind

logger = logging.getLogger(__name__)

# The new key waits here, in the person's own session, for the one page that shows it.
NEW_KEY = "api_new_key"
EVENTS_SHOWN = 20


@transaction.atomic
def token_create(*, user) -> Token:
    """A new key for the person; one they had stops working."""
    replaced = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    kind = TokenEventKind.REPLACED if replaced else TokenEventKind.CREATED
    TokenEvent.objects.create(user=user, kind=kind, by=user)
    logger.info("%s %s their API key", user, "replaced" if replaced else "created")
    return token


@transaction.atomic
def token_revoke(*, user) -> bool:
    revoked = Token.objects.filter(user=user).delete()[0] > 0
    if revoked:
        TokenEvent.objects.create(user=user, kind=TokenEventKind.REVOKED, by=user)
        logger.info("%s revoked their API key", user)
    return revoked


@login_required
def token(request: HttpRequest) -> HttpResponse:
    """GET shows whether the person has a key (and a new one, once); POST `create` makes
    a new key, POST `revoke` removes it."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            request.session[NEW_KEY] = token_create(user=request.user).key
        elif action == "revoke":
            if token_revoke(user=request.user):
                messages.success(request, _("Your API key has been revoked."))
            else:
                messages.info(request, _("You had no API key."))
        return redirect("api:token")
    response = render(
        request,
        "api/token.html",
        {
            "token": Token.objects.filter(user=request.user).first(),
            "new_key": request.session.pop(NEW_KEY, None),
            "events": TokenEvent.objects.filter(user=request.user)[:EVENTS_SHOWN],
            "docs_url": reverse("api:docs"),
        },
    )
    add_never_cache_headers(response)
    return response
