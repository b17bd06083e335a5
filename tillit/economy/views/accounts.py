"""The chart of accounts (Kommun-Bas) and the line each account is reported on; the cost
objects of the accounting and the unit each is mapped to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tillit.core.concurrency import EditConflict, resubmittable, save_versioned
from tillit.core.history import history_for

from ..choices import ACCOUNT_CLASSES, StatementLine, default_line
from ..forms_accounts import (
    AccountFilter,
    AccountForm,
    CostObjectFilter,
    CostObjectForm,
    NewAccountForm,
    unit_label,
    with_default_line,
)
from ..models import Account, CostObject
from . import economy_context, organisation_for, require_manage

PER_PAGE = 200
PAGE_PARAMETER = "sida"


def _query(params: QueryDict) -> str:
    params = params.copy()
    params.pop(PAGE_PARAMETER, None)
    return params.urlencode()


def _filter_data(request: HttpRequest) -> QueryDict | None:
    data = request.GET.copy()
    data.pop(PAGE_PARAMETER, None)
    return data or None


# ----------------------------------------------------------------------- chart of accounts


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    """The chart grouped by Kommun-Bas class, filtered; the economist adds an account by
    posting the form at its end."""
    organisation = organisation_for(request)
    can_manage = request.user.has_perm("economy.manage", organisation)
    new_form = NewAccountForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    if request.method == "POST":
        require_manage(request, organisation)
        if new_form.is_valid():
            account = new_form.save()
            messages.success(
                request, _("The account %(account)s has been added.") % {"account": account}
            )
            return redirect(f"{reverse('economy:accounts')}?sok={account.number}")
    every = with_default_line(Account.objects.filter(organisation=organisation))
    data = _filter_data(request)
    filterset = AccountFilter(data, queryset=every)
    accounts = filterset.qs.order_by("number")
    page = Paginator(accounts, PER_PAGE).get_page(request.GET.get(PAGE_PARAMETER))
    return render(
        request,
        "economy/account_list.html",
        {
            "filter": filterset,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "page_query": _query(request.GET),
            "filtered": data is not None,
            "outside": StatementLine.OUTSIDE.value,
            "account_classes": list(ACCOUNT_CLASSES.items()),
            "new_form": new_form if can_manage else None,
            "can_manage": can_manage,
            **economy_context("accounts"),
        },
    )


@login_required
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_for(request)
    account = get_object_or_404(Account, pk=pk, organisation=organisation)
    require_manage(request, organisation)
    form = AccountForm(
        request.POST or None,
        initial={"name": account.name, "line": account.line, "version": account.version},
    )
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        account.name = form.cleaned_data["name"]
        account.line = form.cleaned_data["line"]
        try:
            with transaction.atomic():  # the version's claim and the save together
                save_versioned(
                    account,
                    expected_version=form.cleaned_data["version"],
                    update_fields=["name", "line"],
                )
        except EditConflict as exc:
            current = exc.current
            conflict = [
                row
                for row in (
                    {
                        "label": form.fields["name"].label,
                        "theirs": current.name or "—",
                        "mine": form.cleaned_data["name"],
                    },
                    {
                        "label": form.fields["line"].label,
                        "theirs": current.get_line_display(),
                        "mine": str(StatementLine(form.cleaned_data["line"]).label),
                    },
                )
                if row["theirs"] != row["mine"]
            ]
            resubmittable(form, current)
            account = current
            status = 409
        else:
            messages.success(
                request, _("The account %(account)s has been saved.") % {"account": account}
            )
            return redirect(f"{reverse('economy:accounts')}?sok={account.number}")
    return render(
        request,
        "economy/account_form.html",
        {
            "form": form,
            "account": account,
            "default_line": default_line(account.number),
            "conflict": conflict,
            "history": history_for(account),
            **economy_context("accounts"),
        },
        status=status,
    )


# ---------------------------------------------------------------------------- cost objects


@login_required
def object_list(request: HttpRequest) -> HttpResponse:
    """Every cost object, those without a unit first and counted."""
    organisation = organisation_for(request)
    every = CostObject.objects.filter(organisation=organisation)
    dimensions = sorted(set(every.values_list("dimension", flat=True)))
    data = _filter_data(request)
    filterset = CostObjectFilter(data, queryset=every, dimensions=dimensions)
    objects = _unmapped_first(filterset.qs.select_related("unit"))
    page = Paginator(objects, PER_PAGE).get_page(request.GET.get(PAGE_PARAMETER))
    return render(
        request,
        "economy/object_list.html",
        {
            "filter": filterset,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "page_query": _query(request.GET),
            "filtered": data is not None,
            "unmapped": every.filter(unit__isnull=True).count(),
            "total": every.count(),
            "can_manage": request.user.has_perm("economy.manage", organisation),
            **economy_context("accounts"),
        },
    )


def _unmapped_first(queryset):
    """Those without a unit first, then by dimension and code."""
    return queryset.annotate(
        mapped=ExpressionWrapper(Q(unit__isnull=False), output_field=BooleanField())
    ).order_by("mapped", "dimension", "code")


@login_required
def object_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = organisation_for(request)
    cost_object = get_object_or_404(
        CostObject.objects.select_related("unit"), pk=pk, organisation=organisation
    )
    require_manage(request, organisation)
    form = CostObjectForm(
        request.POST or None,
        organisation=organisation,
        initial={"unit": cost_object.unit_id, "version": cost_object.version},
    )
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        cost_object.unit = form.cleaned_data["unit"]
        try:
            with transaction.atomic():  # the version's claim and the save together
                save_versioned(
                    cost_object,
                    expected_version=form.cleaned_data["version"],
                    update_fields=["unit"],
                )
        except EditConflict as exc:
            current = CostObject.objects.select_related("unit").get(pk=exc.current.pk)
            mine = form.cleaned_data["unit"]
            conflict = []
            if current.unit_id != (mine.pk if mine else None):
                conflict.append(
                    {
                        "label": form.fields["unit"].label,
                        "theirs": unit_label(current.unit).lstrip("— ") if current.unit else "—",
                        "mine": mine.name if mine else "—",
                    }
                )
            resubmittable(form, current)
            cost_object = current
            status = 409
        else:
            messages.success(
                request, _("The object %(object)s has been saved.") % {"object": cost_object}
            )
            return redirect("economy:objects")
    return render(
        request,
        "economy/object_form.html",
        {
            "form": form,
            "object": cost_object,
            "conflict": conflict,
            "history": history_for(cost_object),
            **economy_context("accounts"),
        },
        status=status,
    )
