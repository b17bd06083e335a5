"""God ekonomisk hushållning: the financial goals and their assessments, and the
balanskravsutredning (see tillit/economy/goals.py for the law and the arithmetic).

Everyone in the municipality reads these pages; the economist keeps them. Everything is
looked up within the signed-in person's organisation (another's: 404); the forms are the
economist's (others: 403). Edits carry the version they were made on: nothing is lost when
two people save at once (tillit/core/concurrency.py).
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tillit.core.choices import Fulfilment
from tillit.core.concurrency import EditConflict, resubmittable, save_versioned
from tillit.core.history import history_for
from tillit.core.models import Organisation

from .. import goals as computations
from ..fields import TkrField, to_tkr
from ..forms_goals import (
    BalanceRequirementForm,
    FinancialGoalForm,
    GoalAssessmentForm,
    NewFinancialGoalForm,
)
from ..ledger import YearLedger
from ..models import BalanceRequirement, FinancialGoal, FinancialGoalAssessment
from . import (
    FIRST_YEAR,
    LAST_YEAR,
    can_manage,
    economy_context,
    organisation_for,
    require_manage,
    year_or_404,
)

GOAL_FIELDS = ["title", "indicator", "comparator", "target", "first_year", "last_year"]
GOAL_FIELDS += ["description", "decision"]
BALANCE_FIELDS = ["result", *BalanceRequirementForm.ADJUSTMENTS, "waiver_decision", "comment"]


# ------------------------------------------------------------------------------- helpers


def _shown(field: forms.Field, value) -> str:
    """A value as the form shows it: choices by label, kronor in tkr, decisions by name."""
    if value is None or value == "":
        return "—"
    if isinstance(field, TkrField):
        from tillit.measures.charts import format_number

        return f"{format_number(to_tkr(Decimal(value)), 0)} tkr"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(field, forms.ModelChoiceField):
        return field.label_from_instance(value)
    if isinstance(value, Decimal):
        from tillit.measures.charts import format_number

        return format_number(value)
    return str(value)


def conflict_rows(form: forms.Form, current, translate: dict | None = None) -> list[dict]:
    """What someone else saved beside what this person typed, per differing field, as the
    form shows values. `translate` maps a form field to a different attribute of the row."""
    translate = translate or {}
    rows = []
    for name, field in form.fields.items():
        attribute = translate.get(name, name)
        if name == "version" or not hasattr(current, attribute):
            continue
        theirs, mine = getattr(current, attribute), form.cleaned_data.get(name)
        if _shown(field, theirs) != _shown(field, mine):
            rows.append(
                {"label": field.label, "theirs": _shown(field, theirs), "mine": _shown(field, mine)}
            )
    return rows


def _goal_or_404(organisation: Organisation, pk: int) -> FinancialGoal:
    return get_object_or_404(
        FinancialGoal.objects.select_related("decision__body"), pk=pk, organisation=organisation
    )


# ------------------------------------------------------------------------- financial goals


@login_required
def goal_list(request: HttpRequest, year: int) -> HttpResponse:
    """The financial goals that apply to the year, their values from the accounts through
    the latest month with outcome, the forecast, and the assessments made during the year."""
    organisation = organisation_for(request)
    year = year_or_404(year)
    ledger = YearLedger.load(organisation, year)
    rows = computations.goal_rows(organisation, ledger)
    months = computations.assessment_months(ledger.latest_month)
    for row in rows:
        done = {a.month: a for a in row.assessments}
        row.assess_links = [(m, m in done) for m in months]
    return render(
        request,
        "economy/goal_list.html",
        {
            "year": year,
            "rows": rows,
            "latest_month": ledger.latest_month,
            "can_manage": can_manage(request, organisation),
            **economy_context("goals", year),
        },
    )


def _goal_values(form: forms.Form) -> dict:
    return {name: form.cleaned_data[name] for name in GOAL_FIELDS}


@login_required
def goal_create(request: HttpRequest) -> HttpResponse:
    """A new financial goal, with the decision (usually KF's on the budget) that set it."""
    organisation = organisation_for(request)
    require_manage(request, organisation)
    year = request.GET.get("ar", "")
    initial = {"first_year": int(year) if year.isdigit() else None, "comparator": "gte"}
    form = NewFinancialGoalForm(
        request.POST or None, organisation_id=organisation.pk, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        goal = FinancialGoal(organisation=organisation, **_goal_values(form))
        last = FinancialGoal.objects.filter(organisation=organisation).order_by("-order").first()
        goal.order = (last.order + 1) if last else 1
        goal._history_user = request.user
        goal._change_reason = goal.decision.reference
        goal.save()
        messages.success(request, _("The financial goal has been added."))
        return redirect("economy:goals", goal.first_year)
    return render(
        request,
        "economy/goal_form.html",
        {"form": form, "goal": None, "conflict": None, "history": None, **economy_context("goals")},
    )


@login_required
def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a financial goal: only together with the decision that changed it."""
    organisation = organisation_for(request)
    goal = _goal_or_404(organisation, pk)
    require_manage(request, organisation)
    initial = {name: getattr(goal, name) for name in GOAL_FIELDS if name != "decision"}
    initial["version"] = goal.version
    form = FinancialGoalForm(request.POST or None, organisation_id=organisation.pk, initial=initial)
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        for name, value in _goal_values(form).items():
            setattr(goal, name, value)
        goal._history_user = request.user
        goal._change_reason = goal.decision.reference
        try:
            with transaction.atomic():
                save_versioned(
                    goal, expected_version=form.cleaned_data["version"], update_fields=GOAL_FIELDS
                )
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
            goal = _goal_or_404(organisation, pk)
            status = 409
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("economy:goals", goal.first_year)
    return render(
        request,
        "economy/goal_form.html",
        {
            "form": form,
            "goal": goal,
            "conflict": conflict,
            "history": history_for(goal),
            **economy_context("goals", goal.first_year),
        },
        status=status,
    )


@login_required
def goal_assess(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    """Assess a goal at a month: the value computed from the accounts now, kept as it is,
    the forecast for the year, and the economist's judgement and analysis."""
    organisation = organisation_for(request)
    year = year_or_404(year)
    goal = _goal_or_404(organisation, pk)
    if not 1 <= month <= 12 or not goal.applies_to(year):
        raise Http404
    require_manage(request, organisation)
    ledger = YearLedger.load(organisation, year)
    value = computations.goal_value(goal, ledger, month)
    forecast = computations.goal_forecast(goal, ledger, month)
    proposal = computations.proposed_fulfilment(goal, value)
    assessment = (
        FinancialGoalAssessment.objects.filter(goal=goal, year=year, month=month)
        .select_related("assessed_by")
        .first()
    )
    initial = {
        "fulfilment": assessment.fulfilment if assessment else proposal,
        "comment": assessment.comment if assessment else "",
        "version": assessment.version if assessment else 0,
    }
    form = GoalAssessmentForm(request.POST or None, initial=initial)
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        expected = form.cleaned_data["version"]
        values = {
            "value": value,
            "forecast_value": forecast,
            "fulfilment": form.cleaned_data["fulfilment"],
            "comment": form.cleaned_data["comment"],
            "assessed_by": request.user,
        }
        try:
            with transaction.atomic():
                _save_assessment(goal, year, month, expected, values, request.user)
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
            assessment = exc.current
            status = 409
        else:
            messages.success(
                request,
                _("The assessment of “%(goal)s” has been saved.") % {"goal": goal.title},
            )
            return redirect(reverse("economy:goals", args=[year]) + f"#goal-{goal.pk}")
    return render(
        request,
        "economy/goal_assess.html",
        {
            "form": form,
            "goal": goal,
            "target": computations.target_text(goal),
            "year": year,
            "month": month,
            "value": value,
            "met": goal.is_met(value),
            "forecast": forecast,
            "forecast_met": goal.is_met(forecast),
            "proposal": Fulfilment(proposal),
            "latest_month": ledger.latest_month,
            "assessment": assessment,
            "conflict": conflict,
            "history": history_for(assessment) if assessment else None,
            **economy_context("goals", year),
        },
        status=status,
    )


def _save_assessment(goal, year, month, expected, values, user) -> FinancialGoalAssessment:
    """Create the month's assessment (expected version 0) or change it; EditConflict when
    someone else created or changed it first."""
    if expected == 0:
        assessment = FinancialGoalAssessment(goal=goal, year=year, month=month, **values)
        assessment._history_user = user
        try:
            with transaction.atomic():
                assessment.save()
        except IntegrityError:
            raise EditConflict(
                FinancialGoalAssessment.objects.get(goal=goal, year=year, month=month)
            ) from None
        return assessment
    assessment = FinancialGoalAssessment.objects.filter(goal=goal, year=year, month=month).first()
    if assessment is None:  # removed meanwhile (the goal's year changed): start again
        raise Http404
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment._history_user = user
    save_versioned(assessment, expected_version=expected, update_fields=[*values, "assessed_at"])
    return assessment


# ------------------------------------------------------------------------------ balanskrav


@login_required
def balance_requirements(request: HttpRequest) -> HttpResponse:
    """The balanskravsutredning over the years, as in the årsredovisning, and the deficits
    to restore with their deadlines."""
    organisation = organisation_for(request)
    manage = can_manage(request, organisation)
    wanted = request.GET.get("ar", "")
    if manage and wanted:
        if wanted.isdigit() and FIRST_YEAR <= int(wanted) <= LAST_YEAR:
            return redirect("economy:balance_requirement_edit", int(wanted))
        messages.error(request, _("Enter a year, e.g. 2026."))
    years = computations.balance_years(organisation)
    deficits = []
    for row in years:
        deficit = row.schedule.opened if row.schedule else None
        if deficit is not None:
            row.status_text, row.status_colour = computations.deficit_status(deficit)
            deficits.append({"deficit": deficit, "status": row.status_text})
    line_rows = []
    if years:
        for index, (label, _amount, is_sum) in enumerate(years[0].lines):
            line_rows.append(
                {
                    "label": label,
                    "is_sum": is_sum,
                    "amounts": [row.lines[index][1] for row in years],
                }
            )
    outstanding = years[-1].schedule.outstanding if years and years[-1].schedule else 0
    return render(
        request,
        "economy/balance_requirements.html",
        {
            "years": years,
            "line_rows": line_rows,
            "deficits": deficits,
            "outstanding": outstanding,
            "late": [d for d in deficits if d["deficit"].late and d["deficit"].is_open],
            "can_manage": manage,
            **economy_context("balance"),
        },
    )


@login_required
def balance_requirement_edit(request: HttpRequest, year: int) -> HttpResponse:
    """A year's balanskravsutredning: the result (empty: from the accounts), the adjustments
    in tkr, KF's decision on synnerliga skäl and a comment. Creates the year if missing."""
    organisation = organisation_for(request)
    year = year_or_404(year)
    require_manage(request, organisation)
    requirement = BalanceRequirement.objects.filter(organisation=organisation, year=year).first()
    by_year = {row.year: row for row in computations.balance_years(organisation)}
    computed = by_year.get(year)
    initial = {"version": 0}
    if requirement is not None:
        initial = {name: getattr(requirement, name) for name in BALANCE_FIELDS}
        initial["version"] = requirement.version
    form = BalanceRequirementForm(
        request.POST or None, organisation_id=organisation.pk, initial=initial
    )
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in BALANCE_FIELDS}
        expected = form.cleaned_data["version"]
        try:
            with transaction.atomic():
                requirement = _save_requirement(organisation, year, expected, values, request.user)
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
            requirement = exc.current
            status = 409
        else:
            messages.success(
                request,
                _("The balance requirement review of %(year)s has been saved.") % {"year": year},
            )
            return redirect(reverse("economy:balance_requirements") + f"#year-{year}")
    return render(
        request,
        "economy/balance_requirement_form.html",
        {
            "form": form,
            "year": year,
            "requirement": requirement,
            "computed": computed,
            "conflict": conflict,
            "history": history_for(requirement) if requirement else None,
            **economy_context("balance"),
        },
        status=status,
    )


def _save_requirement(organisation, year, expected, values, user) -> BalanceRequirement:
    if expected == 0:
        requirement = BalanceRequirement(organisation=organisation, year=year, **values)
        requirement._history_user = user
        try:
            with transaction.atomic():
                requirement.save()
        except IntegrityError:
            raise EditConflict(
                BalanceRequirement.objects.get(organisation=organisation, year=year)
            ) from None
        return requirement
    requirement = BalanceRequirement.objects.filter(organisation=organisation, year=year).first()
    if requirement is None:  # removed (in the admin) since the form was rendered
        raise Http404
    for name, value in values.items():
        setattr(requirement, name, value)
    requirement._history_user = user
    save_versioned(requirement, expected_version=expected, update_fields=list(values))
    return requirement
