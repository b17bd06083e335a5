"""Importing measure values from a file in the browser: upload, preview (a dry run), import.

The uploaded file waits on the server between the preview and the import (see
`uploads.py`): in `TILLIT_IMPORT_DIR`, named by a random token that only the uploader's
session knows. It is deleted after the import, when another file is uploaded, or after an
hour. A file of at least `TILLIT_BACKGROUND_IMPORT_ROWS` rows is imported by a task
(`tasks.import_file_job`): the confirmation then leads to the job's page, which follows
the job until it is done. Smaller files are imported inside the request, as before.
"""

from __future__ import annotations

import csv
import io
import time
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tillit.core.choices import Fulfilment
from tillit.core.models import Organisation
from tillit.core.views import organisation_or_404

from .choices import MeasureKind
from .importers import COLUMNS, ImportResult, import_file
from .importers.values import GRADE_WORDS
from .models import ImportBatch, ImportJob, ImportJobStatus, Measure
from .tasks import enqueue_file_import, notice_lost_task
from .uploads import KEEP_SECONDS, TOKEN, Pending, sweep, upload_dir

SESSION_KEY = "tillit_measure_import"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
PREVIEW_ROWS = 500
BATCH_MEASURES = 500
JOB_POLL_SECONDS = 2
SUFFIXES = (".xlsx", ".csv", ".txt")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx or .csv)"),
        help_text=gettext_lazy("Nothing is saved yet: you first see what the import would change."),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv,text/csv," + XLSX}),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(_("Choose an Excel file (.xlsx) or a CSV file (.csv)."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(megabytes)s MB.")
                % {"megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


# --- the uploaded file, kept between preview and import ----------------------------------


def background(rows: int) -> bool:
    """Whether a file of this many rows is imported by a task rather than in the request."""
    return rows >= settings.TILLIT_BACKGROUND_IMPORT_ROWS


def _keep(request: HttpRequest, upload: UploadedFile, organisation: Organisation) -> Pending:
    _discard(request)
    sweep()
    pending = Pending(token=uuid.uuid4().hex, name=Path(upload.name).name)
    with pending.path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    request.session[SESSION_KEY] = {
        "token": pending.token,
        "name": pending.name,
        "user": request.user.pk,
        "organisation": organisation.pk,
        "saved": time.time(),
    }
    return pending


def _count_rows(request: HttpRequest, pending: Pending, result: ImportResult) -> Pending:
    """Remember how many rows the preview read, to choose at the import how to run it."""
    rows = result.created + result.updated + result.unchanged
    request.session[SESSION_KEY] = {**request.session[SESSION_KEY], "rows": rows}
    return Pending(token=pending.token, name=pending.name, rows=rows)


def _pending(request: HttpRequest, token: str, organisation: Organisation) -> Pending | None:
    """The file this session uploaded under `token`, if it is still there and not too old."""
    kept = request.session.get(SESSION_KEY)
    if (
        not kept
        or not TOKEN.fullmatch(token)
        or kept.get("token") != token
        or kept.get("user") != request.user.pk
        or kept.get("organisation") != organisation.pk
        or time.time() - kept.get("saved", 0) > KEEP_SECONDS
    ):
        return None
    pending = Pending(token=token, name=kept["name"], rows=kept.get("rows", 0))
    return pending if pending.path.is_file() else None


def _discard(request: HttpRequest) -> None:
    kept = request.session.pop(SESSION_KEY, None)
    if kept and TOKEN.fullmatch(kept.get("token", "")):
        (upload_dir() / kept["token"]).unlink(missing_ok=True)


# --- pages -------------------------------------------------------------------------------


def _organisation(request: HttpRequest) -> Organisation:
    organisation = organisation_or_404(request)
    if not request.user.has_perm("measures.import_values", organisation):
        raise PermissionDenied
    return organisation


def _page(request: HttpRequest, organisation: Organisation, **context) -> HttpResponse:
    result: ImportResult | None = context.get("result")
    context.setdefault("form", ImportForm())
    if result is not None:
        context["changes"] = result.changes[:PREVIEW_ROWS]
    context["recent"] = ImportBatch.objects.filter(organisation=organisation).select_related(
        "created_by"
    )[:5]
    context["jobs"] = ImportJob.objects.filter(
        organisation=organisation,
        created_by=request.user,
        status__in=[ImportJobStatus.QUEUED, ImportJobStatus.RUNNING],
    )[:5]
    return render(request, "measures/import.html", context)


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if request.method != "POST":
        return _page(request, organisation)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, organisation, form=form)
    pending = _keep(request, form.cleaned_data["file"], organisation)
    pending_name = pending.name
    result = import_file(
        source=pending.path,
        name=pending.name,
        organisation=organisation,
        user=request.user,
        dry_run=True,
    )
    if not result.ok or not result.changes:
        _discard(request)
        pending = None
    else:
        pending = _count_rows(request, pending, result)
    return _page(
        request,
        organisation,
        result=result,
        pending=pending,
        file_name=pending_name,
        background=pending is not None and background(pending.rows),
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    pending = _pending(request, request.POST.get("token", ""), organisation)
    if pending is not None and background(pending.rows):
        job = enqueue_file_import(
            source=pending.path,
            name=pending.name,
            rows=pending.rows,
            organisation=organisation,
            user=request.user,
        )
        _discard(request)  # the file is the job's now, under another name
        if job is not None:
            return redirect(job)
        pending = None
    if pending is None:
        messages.error(
            request,
            _("The uploaded file is no longer here (files are kept for an hour): upload it again."),
        )
        return redirect("measures:import")
    try:
        result = import_file(
            source=pending.path,
            name=pending.name,
            organisation=organisation,
            user=request.user,
            dry_run=False,
        )
    finally:
        _discard(request)
    if not result.ok:  # something changed since the preview, e.g. a measure or a role
        return _page(request, organisation, result=result, file_name=pending.name)
    messages.success(request, result.summary())
    if result.batch is None:
        return redirect("measures:import")
    return redirect("measures:import_batch", pk=result.batch.pk)


@login_required
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request)
    batch = get_object_or_404(
        ImportBatch.objects.select_related("created_by"), pk=pk, organisation=organisation
    )
    measures = (
        Measure.objects.filter(values__batch=batch)
        .annotate(changed=Count("values"))
        .order_by("title", "pk")
    )
    count = measures.count()
    return render(
        request,
        "measures/import_batch.html",
        {
            "batch": batch,
            "measures": measures[:BATCH_MEASURES],
            "measure_count": count,
            "more_measures": max(count - BATCH_MEASURES, 0),
        },
    )


@login_required
@vary_on_headers("HX-Request")
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A background import: its status in words, until it is done; then its outcome.

    Only the person who started it sees it (and only while they may import here). While
    the job waits or runs, HTMX asks again every few seconds, saying which status it shows
    (`shown`): the answer is empty (204, nothing to swap) until the status changes."""
    organisation = _organisation(request)
    job = get_object_or_404(
        ImportJob.objects.select_related("batch"),
        pk=pk,
        organisation=organisation,
        created_by=request.user,
    )
    notice_lost_task(job)
    context = {"job": job, "poll_seconds": JOB_POLL_SECONDS}
    if request.htmx:
        if request.GET.get("shown") == job.status:
            return HttpResponse(status=204)
        return render(request, "measures/import_job_status.html", {**context, "oob": True})
    return render(request, "measures/import_job.html", context)


# --- templates to fill in ----------------------------------------------------------------


def _enterable(request: HttpRequest, organisation: Organisation) -> list[Measure]:
    """The organisation's measures the person may enter values for."""
    return [
        measure
        for measure in Measure.objects.filter(organisation=organisation).select_related(
            "responsible_unit"
        )
        if request.user.has_perm("measures.enter_values", measure)
    ]


def _example(measures: list[Measure]) -> list[object]:
    """One example row: for the first measure the person may fill in, if any."""
    year = timezone.localdate().year
    measure = measures[0] if measures else None
    comment = _("Example: replace this row with your values.")
    if measure is not None and measure.kind == MeasureKind.QUALITATIVE:
        return [measure.pk, year, "T1", "T", None, GRADE_WORDS[Fulfilment.PARTLY], comment]
    return [measure.pk if measure else 1, year, "T1", "T", 12.5, None, comment]


@login_required
def import_template_xlsx(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    organisation = _organisation(request)
    measures = _enterable(request, organisation)
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet, names) -> None:
        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)

    values = workbook.create_sheet(_("Values")[:31])
    for letter, width in zip("ABCDEFG", (10, 8, 9, 6, 12, 18, 50), strict=True):
        values.column_dimensions[letter].width = width
    values.freeze_panes = "A2"
    header(values, COLUMNS)
    values.append(_example(measures))

    listing = workbook.create_sheet(_("Measures")[:31])
    for letter, width in zip("ABCDEF", (10, 60, 14, 14, 18, 30), strict=True):
        listing.column_dimensions[letter].width = width
    listing.freeze_panes = "A2"
    field = Measure._meta.get_field
    header(
        listing,
        [COLUMNS[0]]
        + [
            capfirst(str(field(name).verbose_name))
            for name in ("title", "unit", "kind", "by_gender", "responsible_unit")
        ],
    )
    for measure in measures:
        listing.append(
            [
                measure.pk,
                measure.title,
                measure.unit,
                str(measure.get_kind_display()),
                _("Yes") if measure.by_gender else _("No"),
                measure.responsible_unit.name if measure.responsible_unit else "",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="tillit-import-mall.xlsx"'
    return response


def _csv_cell(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return str(cell).replace(".", ",")  # decimal comma, as Swedish Excel reads it
    return str(cell)


@login_required
def import_template_csv(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    example = _example(_enterable(request, organisation))
    writer.writerow([_csv_cell(cell) for cell in example])
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="tillit-import-mall.csv"'
    return response
