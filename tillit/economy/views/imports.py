"""Outcome imports: upload a SIE or CSV file, preview it, read it into the ledger; the
list of earlier imports and each import's report; the CSV template.

Reading needs `economy.view` (the organisation's staff), importing `economy.manage` (the
economist). Everything is looked up within the signed-in person's organisation.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tillit.core.models import Organisation

from ..choices import ImportSource
from ..forms_imports import OutcomeImportForm
from ..imports import OutcomeImportError, detect_kind, import_file
from ..models import Account, CostObject, OutcomeImport
from . import economy_context, organisation_for

PER_PAGE = 25
TEMPLATE_NAME = "utfall-mall.csv"


def _page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    form: OutcomeImportForm | None = None,
    status: int = 200,
    **context,
) -> HttpResponse:
    imports = OutcomeImport.objects.filter(organisation=organisation).select_related("imported_by")
    page = Paginator(imports, PER_PAGE).get_page(request.GET.get("sida"))
    return render(
        request,
        "economy/import_list.html",
        {
            **economy_context("imports"),
            "form": form or OutcomeImportForm(),
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "can_import": request.user.has_perm("economy.manage", organisation),
            **context,
        },
        status=status,
    )


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and the earlier imports. POST: read a file (or preview it)."""
    organisation = organisation_for(request)
    if request.method != "POST":
        return _page(request, organisation)
    if not request.user.has_perm("economy.manage", organisation):
        raise PermissionDenied
    form = OutcomeImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, organisation, form=form, status=400)
    upload = form.cleaned_data["file"]
    file_name = Path(upload.name).name
    data = upload.read()
    try:
        report = import_file(
            organisation,
            data,
            file_name=file_name,
            user=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    except OutcomeImportError as error:
        return _page(
            request,
            organisation,
            form=form,
            status=400,
            errors=error.messages,
            file_name=file_name,
            kind=ImportSource(detect_kind(data)).label,
        )
    if report.dry_run:
        return _page(
            request, organisation, form=OutcomeImportForm(), preview=report, report=report.details
        )
    messages.success(
        request,
        _("%(file)s has been read into the ledger.") % {"file": file_name},
    )
    return redirect("economy:import", pk=report.record.pk)


@login_required
def csv_template(request: HttpRequest) -> HttpResponse:
    """A CSV file to fill in: the columns and two rows of Grästorp's accounts."""
    organisation = organisation_for(request)
    year = date.today().year
    accounts = {
        a.number: a.name
        for a in Account.objects.filter(organisation=organisation, number__in=["5110", "3110"])
    }
    centre = (
        CostObject.objects.filter(organisation=organisation, dimension=1, unit__isnull=False)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    rows = [
        "år;månad;konto;enhet;belopp;kontonamn",
        f"{year};1;5110;{centre or 'Utbildning'};1 234 567,50;"
        f"{accounts.get('5110', 'Löner månadsavlönade')}",
        f"{year};1;3110;Utbildning;-45 000,00;{accounts.get('3110', 'Taxor och avgifter')}",
    ]
    response = HttpResponse(
        ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAME}"'
    return response


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One import's report: what it covered, replaced, created, and what to look at."""
    organisation = organisation_for(request)
    record = get_object_or_404(
        OutcomeImport.objects.select_related("imported_by"), pk=pk, organisation=organisation
    )
    summary = record.summary or {}
    return render(
        request,
        "economy/import_detail.html",
        {
            **economy_context("imports", record.year),
            "record": record,
            "report": summary,
        },
    )
