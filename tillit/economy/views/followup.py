"""The monthly follow-up: the year per verksamhet, a verksamhet month by month, its
forecasts, and the monthly report to kommunstyrelsen (page and PDF)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tillit.core.choices import UnitKind
from tillit.core.concurrency import EditConflict, resubmittable, save_versioned
from tillit.core.history import history_for
from tillit.core.models import Organisation, OrgUnit
from tillit.core.pdf import render_pdf

from ..charts import accumulated_chart
from ..fields import MONTH_NAMES
from ..forms_followup import ForecastForm
from ..goals import report_context
from ..ledger import YearLedger
from ..models import Forecast, Outcome
from ..selectors import (
    default_month,
    deficit_count,
    forecast_allowed,
    forecasts_of,
    month_rows,
    operation_rows,
    result_goal,
    result_summary,
    statement_rows,
    unit_breakdown,
)
from . import economy_context, month_or_404, organisation_for, year_or_404

MONTH_PARAMETER = "manad"


def today() -> date:
    """The day the follow-up is looked at (tests set it)."""
    return timezone.localdate()


# --------------------------------------------------------------------------- helpers


def _chosen_month(request: HttpRequest, ledger: YearLedger) -> int:
    raw = request.GET.get(MONTH_PARAMETER)
    if not raw:
        return default_month(ledger, today())
    try:
        return month_or_404(int(raw))
    except ValueError:
        raise Http404 from None


def _operation_or_404(organisation: Organisation, pk: int) -> OrgUnit:
    return get_object_or_404(OrgUnit, pk=pk, organisation=organisation, kind=UnitKind.OPERATION)


def _neighbours(year: int, month: int) -> tuple[tuple[int, int], tuple[int, int]]:
    previous = (year, month - 1) if month > 1 else (year - 1, 12)
    following = (year, month + 1) if month < 12 else (year + 1, 1)
    return previous, following


def _month_link(name: str, year: int, month: int, **kwargs) -> str:
    return f"{reverse(name, args=[year, *kwargs.values()])}?{MONTH_PARAMETER}={month}"


def _follow_up(
    request: HttpRequest, organisation: Organisation, ledger: YearLedger, month: int
) -> dict:
    """What the year page and the report share: the ledger's rows for the month."""
    year = ledger.year
    allowed = forecast_allowed(year, month, today())
    user = request.user

    def can_forecast(unit: OrgUnit) -> bool:
        return allowed and user.has_perm("economy.forecast", unit)

    rows = operation_rows(ledger, month, can_forecast=can_forecast)
    return {
        "organisation": organisation,
        "ledger": ledger,
        "year": year,
        "month": month,
        "month_label": MONTH_NAMES[month - 1],
        "rows": rows,
        "operation_count": len(ledger.operations),
        "deficits": deficit_count(rows),
        "statement": statement_rows(ledger, month),
        "summary": result_summary(ledger, month, result_goal(organisation, year)),
        "has_budget": bool(ledger.frames or ledger.municipal_budget),
        "has_outcome": bool(ledger.months_with_outcome),
        "forecasting_allowed": allowed,
        "can_manage": user.has_perm("economy.manage", organisation),
        "comments": [row for row in rows if row.forecast is not None and row.forecast.comment],
        **economy_context("followup", year),
    }


# --------------------------------------------------------------------------- pages


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The follow-up opens at the latest year with outcome (else this year)."""
    organisation = organisation_for(request)
    latest = Outcome.objects.filter(organisation=organisation).aggregate(year=Max("year"))["year"]
    return redirect("economy:year", latest or today().year)


@login_required
def year_view(request: HttpRequest, year: int) -> HttpResponse:
    """Ekonomisk uppföljning: every verksamhet against its frame, and the municipality's
    income statement and result, through a month."""
    organisation = organisation_for(request)
    ledger = YearLedger.load(organisation, year_or_404(year))
    month = _chosen_month(request, ledger)
    previous, following = _neighbours(year, month)
    return render(
        request,
        "economy/year.html",
        {
            **_follow_up(request, organisation, ledger, month),
            "months": [(m, MONTH_NAMES[m - 1]) for m in range(1, 13)],
            "previous": previous,
            "following": following,
            "previous_url": _month_link("economy:year", *previous),
            "following_url": _month_link("economy:year", *following),
        },
    )


def _forecast_history(operation: OrgUnit, year: int) -> list:
    """The history of the verksamhet's forecasts of the year, amounts in tkr."""
    from ..templatetags.economy import tkr

    amount_label = str(Forecast._meta.get_field("amount").verbose_name)
    entries = history_for(
        operation,
        own=False,
        related=[
            (
                Forecast.history.filter(unit=operation, year=year),
                lambda record: (
                    _("Forecast for %(month)s") % {"month": MONTH_NAMES[record.month - 1]}
                ),
            )
        ],
    )
    for entry in entries:
        for change in entry.changes:
            if change.label == amount_label:
                change.label = _("Forecast net cost for the year (tkr)")
                change.old, change.new = _as_tkr(change.old, tkr), _as_tkr(change.new, tkr)
    return entries


def _as_tkr(text: str, tkr) -> str:
    try:
        return tkr(Decimal(text))
    except (InvalidOperation, ValueError):
        return text


@login_required
def operation_view(request: HttpRequest, year: int, unit: int) -> HttpResponse:
    """A verksamhet's year: month by month against its budget, its forecasts, its units."""
    organisation = organisation_for(request)
    year = year_or_404(year)
    operation = _operation_or_404(organisation, unit)
    ledger = YearLedger.load(organisation, year)
    month = _chosen_month(request, ledger)
    rows = month_rows(ledger, operation.pk)
    chart = accumulated_chart(
        rows,
        title=_("%(operation)s %(year)s: accumulated outcome against accumulated budget")
        % {"operation": operation.name, "year": year},
        id_prefix=f"operation-{operation.pk}-chart",
    )
    row = next(r for r in operation_rows(ledger, month) if r.unit == operation)
    allowed = forecast_allowed(year, month, today())
    return render(
        request,
        "economy/operation.html",
        {
            "operation": operation,
            "year": year,
            "month": month,
            "month_label": MONTH_NAMES[month - 1],
            "row": row,
            "rows": rows,
            "chart_svg": mark_safe(chart),  # built by accumulated_chart, which escapes text
            "forecasts": forecasts_of(ledger, operation.pk),
            "breakdown": unit_breakdown(operation, year, month),
            "can_forecast": allowed and request.user.has_perm("economy.forecast", operation),
            "history": _forecast_history(operation, year),
            "months": [(m, MONTH_NAMES[m - 1]) for m in range(1, 13)],
            **economy_context("followup", year),
        },
    )


def _conflict_rows(form: ForecastForm, current: Forecast) -> list[dict]:
    """What the other person saved beside what this person typed, amounts in tkr."""
    from ..templatetags.economy import tkr

    rows = []
    mine_amount = form.cleaned_data.get("amount")
    if mine_amount != current.amount:
        rows.append(
            {
                "label": form.fields["amount"].label,
                "theirs": tkr(current.amount),
                "mine": tkr(mine_amount) if mine_amount is not None else "—",
            }
        )
    if (form.cleaned_data.get("comment") or "") != current.comment:
        rows.append(
            {
                "label": form.fields["comment"].label,
                "theirs": current.comment or "—",
                "mine": form.cleaned_data.get("comment") or "—",
            }
        )
    if rows:
        rows.append(
            {
                "label": _("Saved by"),
                "theirs": f"{current.author or _('the system')}, "
                f"{timezone.localtime(current.updated_at):%Y-%m-%d %H:%M}",
                "mine": str(form.author),
            }
        )
    return rows


@login_required
def forecast_edit(request: HttpRequest, year: int, unit: int, month: int) -> HttpResponse:
    """Lämna prognos: the verksamhet's year-end net cost as expected at the month."""
    organisation = organisation_for(request)
    year = year_or_404(year)
    month = month_or_404(month)
    operation = _operation_or_404(organisation, unit)
    if not request.user.has_perm("economy.forecast", operation):
        raise PermissionDenied
    if not forecast_allowed(year, month, today()):
        raise Http404(
            _("A forecast can only be made for the current month or one that has passed.")
        )
    ledger = YearLedger.load(organisation, year)
    existing = ledger.forecasts.get((operation.pk, month))
    initial = {"version": existing.version if existing else 0}
    if existing is not None:
        initial.update(amount=existing.amount, comment=existing.comment)
    form = ForecastForm(request.POST or None, initial=initial)
    form.author = request.user
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            forecast = _save_forecast(
                operation,
                year,
                month,
                data["amount"],
                data["comment"],
                request.user,
                expected_version=data["version"],
            )
        except EditConflict as exc:
            conflict = _conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
            existing = exc.current
            status = 409
        else:
            messages.success(
                request,
                _("The forecast of %(operation)s for %(month)s %(year)s has been saved.")
                % {"operation": operation.name, "month": MONTH_NAMES[month - 1], "year": year},
            )
            return redirect(_month_link("economy:year", year, forecast.month))
    row = next(r for r in operation_rows(ledger, month) if r.unit == operation)
    return render(
        request,
        "economy/forecast_form.html",
        {
            "operation": operation,
            "year": year,
            "month": month,
            "month_label": MONTH_NAMES[month - 1],
            "form": form,
            "forecast": existing,
            "row": row,
            "conflict": conflict,
            **economy_context("followup", year),
        },
        status=status,
    )


def _save_forecast(
    operation: OrgUnit,
    year: int,
    month: int,
    amount: Decimal,
    comment: str,
    author,
    *,
    expected_version: int,
) -> Forecast:
    """Create or update the forecast; EditConflict when someone saved it in between."""
    forecast = Forecast.objects.filter(unit=operation, year=year, month=month).first()
    if forecast is None:
        try:
            with transaction.atomic():
                return Forecast.objects.create(
                    organisation_id=operation.organisation_id,
                    unit=operation,
                    year=year,
                    month=month,
                    amount=amount,
                    comment=comment,
                    author=author,
                )
        except IntegrityError:
            # Someone else made the month's forecast at the same moment.
            raise EditConflict(
                Forecast.objects.get(unit=operation, year=year, month=month)
            ) from None
    forecast.amount, forecast.comment, forecast.author = amount, comment, author
    with transaction.atomic():  # the version's claim and the save, together or not at all
        save_versioned(
            forecast,
            expected_version=expected_version,
            update_fields=["amount", "comment", "author", "updated_at"],
        )
    return forecast


def page_counter_css() -> str:
    """The CSS `content` of the page numbers, "Sida 1 av 3", from one translatable text."""
    text = _("Page {page} of {pages}")
    out = []
    for part in re.split(r"(\{page\}|\{pages\})", text):
        if part == "{page}":
            out.append("counter(page)")
        elif part == "{pages}":
            out.append("counter(pages)")
        elif part:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
            out.append(f'"{escaped}"')
    return " ".join(out) or '""'


def _report_context(request: HttpRequest, year: int, month: int) -> dict:
    organisation = organisation_for(request)
    year = year_or_404(year)
    month = month_or_404(month)
    ledger = YearLedger.load(organisation, year)
    return {
        **_follow_up(request, organisation, ledger, month),
        **report_context(ledger, month),  # financial goals, balanskrav, finance policy
        "report": True,
        "made_on": today(),
    }


@login_required
def report(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """Månadsrapport till kommunstyrelsen."""
    return render(request, "economy/report.html", _report_context(request, year, month))


@login_required
def report_pdf(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The monthly report as a tagged PDF, A4, with page numbers and an outline."""
    context = {
        **_report_context(request, year, month),
        "print": True,
        "page_counter": mark_safe(page_counter_css()),  # literals escaped for CSS strings
    }
    html = render_to_string("economy/report_print.html", context, request=request)
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="manadsrapport-{context["year"]}-{context["month"]:02d}.pdf"'
    )
    return response
