"""The finance policy (finanspolicy): its limits by area, decided by the council, and the
outcomes the treasury reports against them, with breaches flagged.

The policy holds kommunstyrelsen's föreskrifter for the management of funds under
kommunallagen: the kommunkonto, likviditet, upplåning, utlåning, medelsplacering and
borgensåtaganden (seed: styrning-och-uppfoljning, "Finanspolicy"). Everyone in the
municipality reads the page; the economist keeps the limits (with the decision that set
or changed them) and records the outcomes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tillit.core.concurrency import EditConflict, resubmittable, save_versioned
from tillit.core.history import history_for

from .. import goals as computations
from ..forms_goals import NewPolicyLimitForm, PolicyLimitForm, PolicyOutcomeForm, limit_initial
from ..models import PolicyLimit, PolicyOutcome
from . import can_manage, economy_context, organisation_for, require_manage
from .goals import conflict_rows

LIMIT_FIELDS = ["area", "title", "comparator", "limit", "unit", "description", "decision"]
# Outcomes shown per limit on the policy page; the rest are in the limit's history.
HISTORY_ROWS = 12


def _limit_or_404(organisation, pk: int) -> PolicyLimit:
    return get_object_or_404(
        PolicyLimit.objects.select_related("decision__body"), pk=pk, organisation=organisation
    )


def _policy_url(limit: PolicyLimit) -> str:
    return reverse("economy:policy") + f"#limit-{limit.pk}"


@login_required
def limit_list(request: HttpRequest) -> HttpResponse:
    """The limits by area: each with its latest outcome and whether it is within the limit,
    and the latest outcomes beneath it."""
    organisation = organisation_for(request)
    rows = computations.policy_rows(organisation)
    for row in rows:
        row.shown = row.outcomes[:HISTORY_ROWS]
    return render(
        request,
        "economy/policy.html",
        {
            "areas": computations.policy_areas(rows),
            "breaches": [row for row in rows if row.breached],
            "history_rows": HISTORY_ROWS,
            "can_manage": can_manage(request, organisation),
            **economy_context("policy"),
        },
    )


@login_required
def limit_create(request: HttpRequest) -> HttpResponse:
    organisation = organisation_for(request)
    require_manage(request, organisation)
    form = NewPolicyLimitForm(
        request.POST or None,
        organisation_id=organisation.pk,
        initial={"area": request.GET.get("omrade", ""), "comparator": "lte"},
    )
    if request.method == "POST" and form.is_valid():
        limit = PolicyLimit(
            organisation=organisation, **{name: form.cleaned_data[name] for name in LIMIT_FIELDS}
        )
        last = PolicyLimit.objects.filter(organisation=organisation).order_by("-order").first()
        limit.order = (last.order + 1) if last else 1
        limit._history_user = request.user
        limit._change_reason = limit.decision.reference
        limit.save()
        messages.success(request, _("The limit has been added to the finance policy."))
        return redirect(_policy_url(limit))
    return render(
        request,
        "economy/policy_form.html",
        {
            "form": form,
            "limit": None,
            "conflict": None,
            "history": None,
            **economy_context("policy"),
        },
    )


@login_required
def limit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a limit: only together with the decision that changed it."""
    organisation = organisation_for(request)
    limit = _limit_or_404(organisation, pk)
    require_manage(request, organisation)
    form = PolicyLimitForm(
        request.POST or None, organisation_id=organisation.pk, initial=limit_initial(limit)
    )
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        for name in LIMIT_FIELDS:
            setattr(limit, name, form.cleaned_data[name])
        limit._history_user = request.user
        limit._change_reason = limit.decision.reference
        try:
            with transaction.atomic():
                save_versioned(
                    limit, expected_version=form.cleaned_data["version"], update_fields=LIMIT_FIELDS
                )
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
            limit = _limit_or_404(organisation, pk)
            status = 409
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect(_policy_url(limit))
    return render(
        request,
        "economy/policy_form.html",
        {
            "form": form,
            "limit": limit,
            "conflict": conflict,
            "history": history_for(
                limit,
                related=[
                    (
                        PolicyOutcome.history.filter(limit_id=limit.pk),
                        lambda record: _("Outcome %(date)s") % {"date": record.date.isoformat()},
                    )
                ],
            ),
            **economy_context("policy"),
        },
        status=status,
    )


def _record_outcome(form: PolicyOutcomeForm, limit: PolicyLimit, user) -> PolicyOutcome | None:
    """Save the form's outcome; None (and an error on the date) when someone recorded the
    same date since the form was checked."""
    outcome = PolicyOutcome(limit=limit, recorded_by=user, **form.cleaned_data)
    outcome._history_user = user
    try:
        with transaction.atomic():
            outcome.save()
    except IntegrityError:
        form.add_error("date", _("The limit already has an outcome for this date."))
        return None
    return outcome


@login_required
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a limit's outcome at a date; a breach is flagged at once."""
    organisation = organisation_for(request)
    limit = _limit_or_404(organisation, pk)
    require_manage(request, organisation)
    form = PolicyOutcomeForm(request.POST or None, limit=limit)
    outcome = None
    if request.method == "POST" and form.is_valid():
        outcome = _record_outcome(form, limit, request.user)
    if outcome is not None:
        text = computations.limit_value_text(outcome.value, limit.unit)
        if limit.is_breached(outcome.value):
            messages.warning(
                request,
                _("The outcome %(value)s on %(date)s breaches the limit “%(limit)s”.")
                % {"value": text, "date": outcome.date.isoformat(), "limit": limit.title},
            )
        else:
            messages.success(
                request,
                _("The outcome %(value)s on %(date)s has been recorded; it is within the limit.")
                % {"value": text, "date": outcome.date.isoformat()},
            )
        return redirect(_policy_url(limit))
    rows = [row for row in computations.policy_rows(organisation) if row.limit.pk == limit.pk]
    return render(
        request,
        "economy/policy_outcome_form.html",
        {
            "form": form,
            "limit": limit,
            "limit_text": computations.limit_text(limit),
            "recent": rows[0].outcomes[:5] if rows else [],
            **economy_context("policy"),
        },
    )
