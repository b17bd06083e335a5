"""The reports to kommunfullmäktige in the browser: the list, the web preview with its
workflow, writing the sections, and rendering to files as background jobs.

Everyone working in the municipality reads every report and may render it; the keepers
(the plan administrator and the economist) create reports, give sections their owners and
move a report through draft → review → approved by KS (frozen) → presented to KF; a
section's owner writes it while the report is a draft (rules.py). A report of another
municipality is not found (404). Every change goes through services.py, which checks the
permission again and refuses, in Swedish, what the workflow does not allow.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tillit.core.concurrency import EditConflict, conflict_rows, resubmittable
from tillit.core.history import history_for
from tillit.core.models import Organisation
from tillit.core.views import organisation_or_404
from tillit.economy.fields import MONTH_NAMES

from . import services
from .choices import OutputFormat, RenderStatus, ReportKind, ReportState
from .forms import (
    ReportCreateForm,
    SectionForm,
    SectionOwnerForm,
    TransitionForm,
    decision_choices,
    owner_choices,
)
from .models import RenderJob, Report, ReportSection, ReportSnapshot
from .rules import keeps_reports, owns_section
from .sections import SECTIONS
from .tasks import enqueue_render, expire_stale, kept_bytes

JOBS_SHOWN = 10  # the latest renderings listed on a report's page
JOB_POLL_SECONDS = 2
REQUIRED_KEYS = [spec.key for spec in SECTIONS if spec.text_required]
ORDER = {spec.key: index for index, spec in enumerate(SECTIONS)}


# ------------------------------------------------------------------------------- helpers


def _organisation(request: HttpRequest) -> Organisation:
    """The person's own municipality, if she may read its reports; else 404."""
    organisation = organisation_or_404(request)
    if not request.user.has_perm("reports.view", organisation):
        raise Http404
    return organisation


def _report_or_404(request: HttpRequest, pk: int) -> Report:
    organisation = _organisation(request)
    return get_object_or_404(
        Report.objects.select_related(
            "organisation",
            "followup_period",
            "approval__body",
            "presentation__body",
            "created_by",
        ),
        pk=pk,
        organisation=organisation,
    )


def _section_or_404(report: Report, key: str) -> ReportSection:
    section = get_object_or_404(
        ReportSection.objects.select_related("owner", "updated_by"), report=report, key=key
    )
    if section.spec is None:  # a section the code no longer knows
        raise Http404
    section.report = report
    return section


def _require_manage(request: HttpRequest, report: Report) -> None:
    if not request.user.has_perm("reports.manage", report):
        raise PermissionDenied


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _error_text(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def months_label(report: Report) -> str:
    """ "januari–augusti 2026": the months the report covers."""
    return f"{MONTH_NAMES[0]}–{MONTH_NAMES[report.through_month - 1]} {report.year}"


def _suggestion(today) -> dict:
    """What the create form suggests: early in the year the annual report of the year
    before, later the interim report of the year."""
    if today.month <= 4:
        return {"kind": ReportKind.ANNUAL, "year": today.year - 1}
    return {"kind": ReportKind.INTERIM, "year": today.year}


# --------------------------------------------------------------------------------- the list


def _index(request: HttpRequest, organisation: Organisation, form=None) -> HttpResponse:
    reports = list(
        Report.objects.filter(organisation=organisation)
        .select_related("followup_period", "approval__body", "presentation__body")
        .annotate(
            to_write=Count("sections", filter=Q(sections__text="", sections__key__in=REQUIRED_KEYS))
        )
    )
    for report in reports:
        report.months_label = months_label(report)
    can_manage = request.user.has_perm("reports.manage", organisation)
    if can_manage and form is None:
        form = ReportCreateForm(
            organisation=organisation, initial=_suggestion(timezone.localdate())
        )
    return render(
        request,
        "reports/index.html",
        {"reports": reports, "can_manage": can_manage, "form": form if can_manage else None},
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The reports to the council, the latest year first, and a form to start one."""
    return _index(request, _organisation(request))


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if not request.user.has_perm("reports.manage", organisation):
        raise PermissionDenied
    form = ReportCreateForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            report = services.report_create(
                organisation=organisation, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(report)s has been created as a draft. Give its sections their owners.")
                % {"report": report.title},
            )
            return redirect(report)
    return _index(request, organisation, form)


# ------------------------------------------------------------------------------ the report


def _sections(request: HttpRequest, report: Report) -> list[ReportSection]:
    sections = sorted(
        (s for s in report.sections.select_related("owner", "updated_by") if s.spec),
        key=lambda s: ORDER[s.key],
    )
    for section in sections:
        section.can_write = report.is_draft and request.user.has_perm(
            "reports.edit_section", section
        )
    return sections


def _checklist(content: dict, sections: list[ReportSection]) -> list[dict]:
    """The content's list of what is lacking, each with the section it is about, if any."""
    by_key = {section.key: section for section in sections}
    return [{**item, "target": by_key.get(item.get("key", ""))} for item in content["missing"]]


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The web preview: the report as it reads, with its state, workflow, sections and files.

    A frozen report is shown from its snapshot; a draft or one in review is composed from
    the data as it is now."""
    from .render.html import document_context

    report = _report_or_404(request, pk)
    expire_stale(report)
    snapshot = None
    if report.is_frozen:
        # The snapshot is the frozen report's content (services.content_of): read it once.
        snapshot = ReportSnapshot.objects.get(report=report)
        content = snapshot.data
    else:
        content = services.content_of(report)
    sections = _sections(request, report)
    can_manage = request.user.has_perm("reports.manage", report)
    jobs = list(
        RenderJob.objects.filter(report=report)
        .defer("output")
        .select_related("created_by")[:JOBS_SHOWN]
    )
    for job in jobs:
        job.report = report
    decisions = {}
    if can_manage and report.state in (ReportState.REVIEW, ReportState.APPROVED):
        action = "approve" if report.state == ReportState.REVIEW else "present"
        decisions = {"action": action, "choices": list(decision_choices(report, action))}
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "months_label": months_label(report),
            "snapshot": snapshot,
            "content": content,
            "sections": sections,
            "checklist": _checklist(content, sections),
            "can_manage": can_manage,
            "owners": list(owner_choices(report.organisation))
            if can_manage and not report.is_frozen
            else [],
            "decisions": decisions,
            "jobs": jobs,
            "formats": OutputFormat,
            # The document in its own context (its names, e.g. "report" and "sections", are
            # not the page's); its check list is left out, the panel's has the links.
            "document": render_to_string(
                "reports/document/_body.html",
                {**document_context(content), "missing": None},
                request=request,
            ),
        },
    )


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the report on: to review, back to draft, approved by KS, presented to KF."""
    report = _report_or_404(request, pk)
    _require_manage(request, report)
    form = TransitionForm(request.POST, report=report)
    if not form.is_valid():
        messages.error(request, _error_text(form))
        return redirect(report)
    action, decision = form.cleaned_data["action"], form.cleaned_data.get("decision")
    if action == "approve" and report.state == ReportState.REVIEW:
        gaps = len(services.content_of(report)["missing"])
        if gaps and not form.cleaned_data["despite_missing"]:
            messages.error(
                request,
                ngettext(
                    "The report still lacks %(count)d part. Confirm that it is to be "
                    "approved all the same.",
                    "The report still lacks %(count)d parts. Confirm that it is to be "
                    "approved all the same.",
                    gaps,
                )
                % {"count": gaps},
            )
            return redirect(report)
    try:
        if action == "submit":
            services.report_submit(report=report, user=request.user)
        elif action == "return":
            services.report_return(report=report, user=request.user)
        elif action == "approve":
            services.report_approve(report=report, decision=decision, user=request.user)
        else:
            services.report_present(report=report, decision=decision, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(report)
    done = {
        "submit": _("%(report)s has been sent to review."),
        "return": _("%(report)s is a draft again: its owners may change their sections."),
        "approve": _(
            "%(report)s is approved by the municipal executive board (%(decision)s) and frozen."
        ),
        "present": _("%(report)s is presented to the municipal council (%(decision)s)."),
    }[action]
    reference = decision.reference if decision is not None else ""
    messages.success(request, done % {"report": report.title, "decision": reference})
    return redirect(report)


# ----------------------------------------------------------------------------- the sections


@login_required
def section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Write a section's text: its owner or a keeper, while the report is a draft."""
    report = _report_or_404(request, pk)
    section = _section_or_404(report, key)
    may_write = request.user.has_perm("reports.edit_section", section)
    # The owner or a keeper of a report that has moved on is told why, keeping whatever
    # she had typed; anyone else may not write here at all. Not even the system
    # administrator, whom Django grants every permission, writes outside a draft.
    locked = not report.is_draft
    if locked:
        may_write = may_write or (owns_section | keeps_reports).test(request.user, section)
    if not may_write:
        raise PermissionDenied
    form = SectionForm(
        request.POST or None, initial={"text": section.text, "version": section.version}
    )
    conflict = None
    status = 200
    if locked:
        status = 409 if request.method == "POST" else 200
    elif request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.section_write(
                    section=section,
                    text=form.cleaned_data["text"],
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                )
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
            section = _section_or_404(report, key)
            status = 409
        else:
            messages.success(
                request, _("“%(section)s” has been saved.") % {"section": section.spec.title}
            )
            return redirect(reverse("reports:report", args=[report.pk]) + f"#report-section-{key}")
    return render(
        request,
        "reports/section.html",
        {
            "report": report,
            "section": section,
            "spec": section.spec,
            "form": form,
            "locked": locked,
            "conflict": conflict,
            "history": history_for(section),
        },
        status=status,
    )


@login_required
@require_POST
def section_owner(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """Give a section its owner, or take the owner away (the keepers)."""
    report = _report_or_404(request, pk)
    section = _section_or_404(report, key)
    _require_manage(request, report)
    back = reverse("reports:report", args=[report.pk]) + "#sections"
    form = SectionOwnerForm(request.POST, organisation=report.organisation)
    if not form.is_valid():
        messages.error(request, _error_text(form))
        return redirect(back)
    owner = form.cleaned_data["owner"]
    try:
        with transaction.atomic():
            services.section_assign(
                section=section,
                owner=owner,
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
    except EditConflict:
        messages.error(
            request,
            _(
                "Someone else changed “%(section)s” in the meantime, so nothing was saved. "
                "See who owns it now and choose again."
            )
            % {"section": section.spec.title},
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if owner is None:
            text = _("“%(section)s” has no owner now.")
        else:
            text = _("%(owner)s now owns “%(section)s”.")
        messages.success(request, text % {"section": section.spec.title, "owner": owner})
    return redirect(back)


# ------------------------------------------------------------------------------ rendering


@login_required
@require_POST
def render_order(request: HttpRequest, pk: int) -> HttpResponse:
    """Order a file of the report; its page shows how the rendering goes."""
    report = _report_or_404(request, pk)
    fmt = request.POST.get("format", "")
    if fmt not in OutputFormat.values:
        messages.error(request, _("Choose one of the formats."))
        return redirect(report)
    try:
        job = enqueue_render(report=report, fmt=fmt, user=request.user)
    except Exception:  # the task queue could not take it; the job says so
        messages.error(request, _("The rendering could not be started. Try again in a while."))
        return redirect(reverse("reports:report", args=[report.pk]) + "#render")
    return redirect(job)


def _job_or_404(report: Report, job_pk: int) -> RenderJob:
    job = get_object_or_404(
        RenderJob.objects.defer("output").select_related("created_by"), pk=job_pk, report=report
    )
    job.report = report
    return job


@login_required
@vary_on_headers("HX-Request")
def job(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    """A rendering: how far it has come, until it is ready to download or has failed.

    While it waits or runs, HTMX asks again every few seconds, saying what it shows
    (`shown`: status and percent); the answer is empty (204) until that changes."""
    report = _report_or_404(request, pk)
    expire_stale(report)
    job = _job_or_404(report, job_pk)
    context = {"report": report, "job": job, "poll_seconds": JOB_POLL_SECONDS}
    if request.htmx:
        if request.GET.get("shown") == f"{job.status}-{job.progress}":
            return HttpResponse(status=204)
        return render(request, "reports/_job_status.html", {**context, "oob": True})
    return render(request, "reports/job.html", context)


def _file_response(data: bytes, fmt: str, file_name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=OutputFormat(fmt).content_type)
    if fmt == OutputFormat.HTML:
        # Shown in the browser, but as a document of its own: no scripts, its own origin.
        response["Content-Disposition"] = f'inline; filename="{file_name}"'
        response["Content-Security-Policy"] = "sandbox"
    else:
        response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@login_required
def download(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    """The file of a finished rendering, as it was made."""
    report = _report_or_404(request, pk)
    job = get_object_or_404(
        RenderJob.objects.only("pk", "format", "output", "status"),
        pk=job_pk,
        report=report,
        status=RenderStatus.DONE,
    )
    job.report = report
    if job.output is None:
        raise Http404
    return _file_response(bytes(job.output), job.format, job.file_name)


@login_required
def document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report rendered at once, within the request (the frozen one from its snapshot)."""
    from .render import render as render_content

    if fmt not in OutputFormat.values:
        raise Http404
    report = _report_or_404(request, pk)
    kept = kept_bytes(report, fmt)
    if kept is not None:  # a frozen report's file, as it was first made
        data = kept[1]
    else:
        with translation.override("sv"):
            data = render_content(services.content_of(report), fmt)
    return _file_response(data, fmt, f"{report.file_stem}.{fmt}")
