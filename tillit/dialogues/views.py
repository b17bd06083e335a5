from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.activities.choices import ActivityStatus
from tillit.core.choices import Fulfilment
from tillit.core.concurrency import EditConflict, conflict_rows, resubmittable
from tillit.core.history import history_for
from tillit.core.models import Body, Organisation, User
from tillit.core.views import organisation_or_404
from tillit.measures.choices import MeasureStatus
from tillit.planning.models import PlanNode, SteeringDocument

from . import clock, services
from .choices import APPROVING_ROLES, DIALOGUE_BODY_KINDS
from .forms import DeleteForm, MeetingForm, RecordForm, RemitForm
from .models import DialogueRecord, DialogueRemit, Meeting
from .rules import committee_roles
from .selectors import (
    committees_for,
    coverage,
    dialogue_bodies,
    document_for_year,
    frozen_participants,
    goal_context,
    history_with_names,
    material_goal_ids,
    meetings_of_year,
    participant_choices,
    participants_of,
    plan_weeks,
    record_of,
    remit_nodes,
    remits_of,
    status_counts,
    year_goals,
)

YEAR_PARAMETER = "ar"


def _can(request: HttpRequest, perm: str, obj) -> bool:
    return rules.has_perm(perm, request.user, obj)


def _sees_private(request: HttpRequest, organisation: Organisation) -> bool:
    """Staff of the organisation (and superusers) see non-public meetings and drafts."""
    return _can(request, "dialogues.view_private", organisation)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1  # compares unequal to every version: the person is shown a conflict


def _body_or_404(organisation: Organisation, abbreviation: str) -> Body:
    return get_object_or_404(
        Body,
        organisation=organisation,
        kind__in=DIALOGUE_BODY_KINDS,
        abbreviation__iexact=abbreviation,
    )


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def _meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    organisation = organisation_or_404(request)
    meeting = get_object_or_404(
        Meeting.objects.select_related("body", "organisation"), pk=pk, organisation=organisation
    )
    if not _can(request, "dialogues.view_meeting", meeting):
        raise Http404
    return meeting


def _years(organisation: Organisation, year: int) -> list[int]:
    """The years to choose among: those of the steering documents, and this one."""
    years = {year, clock.today().year}
    for first, last in SteeringDocument.objects.filter(organisation=organisation).values_list(
        "start_year", "end_year"
    ):
        years.update(range(first, last + 1))
    return sorted(years)


# ------------------------------------------------------------------------------ coverage


def coverage_view(request: HttpRequest) -> HttpResponse:
    """The year's dialogues: every goal, its committees, its meetings and its status."""
    organisation = organisation_or_404(request)
    try:
        year = _year_or_404(int(request.GET.get(YEAR_PARAMETER) or clock.today().year))
    except ValueError:
        raise Http404 from None
    private = _sees_private(request, organisation)
    lines = coverage(organisation, year, include_private=private)
    bodies = dialogue_bodies(organisation)
    plannable = [b for b in bodies if _can(request, "dialogues.plan_meeting", b)]
    plannable_ids = {b.pk for b in plannable}
    for line in lines:
        # Where a missing dialogue can be planned by this person: the goal's committees,
        # or, for a goal no committee holds, any committee the person plans for.
        line.plan_in = [b for b in line.committees if b.pk in plannable_ids] or (
            plannable if not line.committees else []
        )
    return render(
        request,
        "dialogues/coverage.html",
        {
            "year": year,
            "years": _years(organisation, year),
            "lines": lines,
            "counts": status_counts(lines),
            "bodies": bodies,
            "private": private,
            "today": clock.today(),
            "weeks": plan_weeks(),
        },
    )


# --------------------------------------------------------------------------- annual plan


def annual_plan(request: HttpRequest, year: int, abbreviation: str) -> HttpResponse:
    """A committee's annual plan (årsplan): its meetings of the year and its goals."""
    organisation = organisation_or_404(request)
    year = _year_or_404(year)
    body = _body_or_404(organisation, abbreviation)
    private = _sees_private(request, organisation)
    meetings = meetings_of_year(organisation, year, body=body, include_private=private)
    for meeting in meetings:
        meeting.dialogue_record = record_of(meeting)
        meeting.can_plan = _can(request, "dialogues.plan_meeting", meeting)
    lines = [
        line
        for line in coverage(organisation, year, include_private=private)
        if any(b.pk == body.pk for b in line.committees)
    ]
    return render(
        request,
        "dialogues/annual_plan.html",
        {
            "body": body,
            "year": year,
            "meetings": meetings,
            "lines": lines,
            "private": private,
            "now": clock.now(),
            "can_plan": _can(request, "dialogues.plan_meeting", body),
            "can_edit_remit": _can(request, "dialogues.edit_remit", body),
        },
    )


def _meeting_form(
    request: HttpRequest, organisation: Organisation, body: Body, year: int, **kwargs
) -> MeetingForm:
    goals = year_goals(organisation, year)
    own = {g.pk for g, bodies in _committees_by_goal(goals).items() if body.pk in bodies}
    return MeetingForm(request.POST or None, year=year, goals=goals, own=own, **kwargs)


def _committees_by_goal(goals: list[PlanNode]) -> dict[PlanNode, set[int]]:
    found = committees_for(goals)
    return {goal: {b.pk for b in found[goal.pk]} for goal in goals}


@login_required
def meeting_create(request: HttpRequest, year: int, abbreviation: str) -> HttpResponse:
    organisation = organisation_or_404(request)
    year = _year_or_404(year)
    body = _body_or_404(organisation, abbreviation)
    if not _can(request, "dialogues.plan_meeting", body):
        raise PermissionDenied
    initial = {"version": 0, "is_public": True, "goals": request.GET.getlist("mal")}
    form = _meeting_form(request, organisation, body, year, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                body=body,
                created_by=request.user,
                goals=list(form.cleaned_data["goals"]),
                **form.meeting_values(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("The meeting has been added to %(body)s's annual plan for %(year)s.")
                % {"body": body.abbreviation, "year": year},
            )
            return redirect(meeting)
    return render(
        request,
        "dialogues/meeting_form.html",
        {"form": form, "body": body, "year": year, "meeting": None},
    )


# ------------------------------------------------------------------------------ a meeting


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    record = DialogueRecord.objects.filter(meeting=meeting).select_related("approved_by").first()
    meeting.record = record  # what the rules ask, without another query
    goals = list(
        meeting.goals.select_related("level", "parent__level", "parent__parent__level").order_by(
            "parent__parent__order", "parent__order", "order", "number", "pk"
        )
    )
    can_read_record = record is not None and _can(request, "dialogues.read_record", record)
    return render(
        request,
        "dialogues/meeting_detail.html",
        {
            "meeting": meeting,
            "goals": [SimpleNamespace(node=g, context=goal_context(g)) for g in goals],
            "record": record if can_read_record else None,
            "can_plan": _can(request, "dialogues.plan_meeting", meeting),
            "can_start": record is None
            and _can(request, "dialogues.write_record", DialogueRecord(meeting=meeting)),
            "held": meeting.has_started(clock.now()),
            "history": history_with_names(meeting, {"goals": PlanNode})
            if _can(request, "dialogues.view_history", meeting)
            else None,
        },
    )


def _readable_meeting_conflict(form: MeetingForm, current: Meeting) -> list[dict]:
    """The fields someone else changed beside this person's: the time and the goals in
    words, not codes."""
    rows = [row for row in conflict_rows(form, current) if row["label"] != form["goals"].label]
    theirs_start, mine_start = current.local_start, form.cleaned_data.get("starts_at")
    if mine_start is not None and theirs_start != mine_start:
        rows.insert(
            0,
            {
                "label": _("Starts"),
                "theirs": f"{theirs_start:%Y-%m-%d %H:%M}",
                "mine": f"{mine_start:%Y-%m-%d %H:%M}",
            },
        )
    theirs_goals = sorted(current.goals.select_related("level"), key=lambda g: g.pk)
    mine_goals = sorted(form.cleaned_data.get("goals") or [], key=lambda g: g.pk)
    if [g.pk for g in theirs_goals] != [g.pk for g in mine_goals]:
        rows.append(
            {
                "label": form["goals"].label,
                "theirs": "\n".join(g.label for g in theirs_goals) or "—",
                "mine": "\n".join(g.label for g in mine_goals) or "—",
            }
        )
    return rows


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    if not _can(request, "dialogues.plan_meeting", meeting):
        raise PermissionDenied
    start, end = meeting.local_start, meeting.local_end
    initial = {
        "title": meeting.title,
        "date": start.date(),
        "start_time": start.time(),
        "end_time": end.time() if end else None,
        "place": meeting.place,
        "goals": list(meeting.goals.values_list("pk", flat=True)),
        "is_public": meeting.is_public,
        "notes": meeting.notes,
        "version": meeting.version,
    }
    form = _meeting_form(request, meeting.organisation, meeting.body, meeting.year, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting,
                changed_by=request.user,
                expected_version=form.cleaned_data["version"],
                goals=list(form.cleaned_data["goals"]),
                **form.meeting_values(),
            )
        except EditConflict as exc:
            conflict = _readable_meeting_conflict(form, exc.current)
            resubmittable(form, exc.current)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect(meeting)
    return render(
        request,
        "dialogues/meeting_form.html",
        {
            "form": form,
            "body": meeting.body,
            "year": meeting.year,
            "meeting": meeting,
            "conflict": conflict,
        },
    )


@login_required
def meeting_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page (GET) and the removal (POST)."""
    meeting = _meeting_or_404(request, pk)
    if not _can(request, "dialogues.plan_meeting", meeting):
        raise PermissionDenied
    record = record_of(meeting)
    form = DeleteForm(request.POST or None, initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        plan_url = meeting.annual_plan_url()
        try:
            services.meeting_delete(
                meeting=meeting,
                deleted_by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict:
            messages.error(
                request,
                _(
                    "Someone else changed the meeting in the meantime. Nothing was removed: "
                    "look at it as it is now and try again."
                ),
            )
            return redirect(meeting)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(meeting)
        messages.success(request, _("The meeting has been removed from the annual plan."))
        return redirect(plan_url)
    return render(
        request,
        "dialogues/meeting_delete.html",
        {"meeting": meeting, "record": record, "form": form},
    )


# ------------------------------------------------------------------------------- remits


@login_required
def remits(request: HttpRequest, year: int, abbreviation: str) -> HttpResponse:
    """Which goals the committee holds dialogue on, in the steering document of the year."""
    organisation = organisation_or_404(request)
    year = _year_or_404(year)
    body = _body_or_404(organisation, abbreviation)
    if not _can(request, "dialogues.edit_remit", body):
        raise PermissionDenied
    document = document_for_year(organisation, year)
    if document is None:
        raise Http404
    current = remits_of(body, document)
    form = RemitForm(
        request.POST or None,
        nodes=remit_nodes(document),
        initial={"nodes": [r.node_id for r in current]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.remits_set(
                body=body,
                document=document,
                nodes=list(form.cleaned_data["nodes"]),
                changed_by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(body)s's remit has been saved.") % {"body": body.abbreviation},
            )
            return redirect("dialogues:annual_plan", year, body.abbreviation)
    return render(
        request,
        "dialogues/remits.html",
        {
            "body": body,
            "year": year,
            "document": document,
            "form": form,
            "history": history_for(
                body,
                related=[
                    (
                        DialogueRemit.history.filter(body_id=body.pk, node__document=document)
                        .select_related("node__level")
                        .order_by("-history_date"),
                        lambda r: r.node.label if r.node else "",
                    )
                ],
                own=False,
            ),
        },
    )


# ------------------------------------------------------------------------------ the record


def _status(code: str, choices, label: str) -> SimpleNamespace:
    """A frozen status: its colour from the code, its words as they were frozen."""
    try:
        colour = choices(code).colour
    except ValueError:
        colour = "grey"
    return SimpleNamespace(colour=colour, label=label)


def _number(text: str | None) -> Decimal | None:
    return Decimal(text) if text not in (None, "") else None


def _material_for_page(material: dict) -> dict:
    """The frozen material, with its texts as the template shows them (numbers as numbers,
    dates as dates, statuses with their colour)."""
    goals = []
    for goal in material.get("goals", []):
        assessment = goal.get("assessment")
        if assessment:
            assessment = {
                **assessment,
                "fulfilment": _status(assessment["status"], Fulfilment, assessment["status_label"]),
                "period_end": parse_date(assessment["period_end"]),
                "approved_at": parse_datetime(assessment["approved_at"])
                if assessment.get("approved_at")
                else None,
            }
        goals.append(
            {
                **goal,
                "assessment": assessment,
                "measures": [
                    {
                        **m,
                        "target": _number(m["target"]),
                        "latest_value": _number(m["latest_value"]),
                        "status": _status(m["status"], MeasureStatus, m["status_label"]),
                    }
                    for m in goal.get("measures", [])
                ],
                "activities": [
                    {
                        **a,
                        "start": parse_date(a["start"]),
                        "end": parse_date(a["end"]) if a.get("end") else None,
                        "known_status": a["status"] in ActivityStatus.values,
                    }
                    for a in goal.get("activities", [])
                ],
            }
        )
    return {
        **material,
        "gathered_at": parse_datetime(material["gathered_at"])
        if material.get("gathered_at")
        else None,
        "as_of": parse_date(material["as_of"]) if material.get("as_of") else None,
        "goals": goals,
    }


def _approval_hint(request: HttpRequest, record: DialogueRecord, meeting: Meeting) -> str:
    """For the committee's chair: why the record cannot be approved yet, in words."""
    roles = committee_roles(request.user).get(meeting.body_id, set())
    if record.is_approved or not any(role in roles for role in APPROVING_ROLES):
        return ""
    if not meeting.has_started(clock.now()):
        return _("The record can be approved once the meeting has been held.")
    if not _can(request, "dialogues.approve_record", record):
        return _(
            "You are the only one who has written the record: someone else, such as the "
            "secretary or an official who took part, needs to have saved it before you approve."
        )
    return ""


def _record_context(request: HttpRequest, meeting: Meeting, record: DialogueRecord) -> dict:
    if record.is_approved:
        participants = frozen_participants(record.participants_at_approval)
    else:
        participants = participants_of(record.participants.all(), body=meeting.body)
    goals_changed = not record.is_approved and set(material_goal_ids(record.material)) != set(
        meeting.goals.values_list("pk", flat=True)
    )
    return {
        "meeting": meeting,
        "record": record,
        "participants": participants,
        "external": [line for line in record.external_participants.splitlines() if line.strip()],
        "material": _material_for_page(record.material),
        "goals_changed": goals_changed,
        "can_write": _can(request, "dialogues.write_record", record),
        "can_approve": _can(request, "dialogues.approve_record", record),
        "approval_hint": _approval_hint(request, record, meeting),
        "history": history_with_names(record, {"participants": User})
        if _can(request, "dialogues.view_history", meeting)
        else None,
    }


def _record_form(request: HttpRequest, meeting: Meeting, record: DialogueRecord) -> RecordForm:
    chosen = list(record.participants.all())
    people = participants_of(
        participant_choices(meeting.organisation, keep=[p.pk for p in chosen]), body=meeting.body
    )
    ids = {p.pk for p in chosen}
    initial = {
        "elected": [p.person.pk for p in people if p.person.pk in ids and p.kind == "elected"],
        "officials": [p.person.pk for p in people if p.person.pk in ids and p.kind == "official"],
        "external_participants": record.external_participants,
        "discussion": record.discussion,
        "shared_understanding": record.shared_understanding,
        "next_steps": record.next_steps,
        "version": record.version,
    }
    data = request.POST if request.method == "POST" else None
    return RecordForm(data, people=people, initial=initial)


def record_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The record: read it; while it is a draft, its writers write it here (POST)."""
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    meeting = _meeting_or_404(request, pk)
    record = (
        DialogueRecord.objects.filter(meeting=meeting)
        .select_related("approved_by", "written_by")
        .first()
    )
    if record is None:
        return _record_not_started(request, meeting)
    record.meeting = meeting
    if not _can(request, "dialogues.read_record", record):
        raise Http404
    can_write = _can(request, "dialogues.write_record", record)
    if request.method == "POST" and not can_write:
        raise PermissionDenied
    form = _record_form(request, meeting, record) if can_write else None
    conflict = None
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            services.record_save(
                record=record,
                written_by=request.user,
                expected_version=values["version"],
                participants=form.participants(),
                external_participants=values["external_participants"],
                discussion=values["discussion"],
                shared_understanding=values["shared_understanding"],
                next_steps=values["next_steps"],
            )
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
            record = exc.current
            record.meeting = meeting
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The record has been saved as a draft."))
            return redirect("dialogues:record", meeting.pk)
    context = _record_context(request, meeting, record)
    context.update(form=form, conflict=conflict)
    return render(request, "dialogues/record.html", context)


def _record_not_started(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    meeting.record = None
    if not _can(request, "dialogues.write_record", DialogueRecord(meeting=meeting)):
        raise Http404
    return render(
        request,
        "dialogues/record_not_started.html",
        {"meeting": meeting, "held": meeting.has_started(clock.now())},
    )


@login_required
@require_POST
def record_start(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    if not _can(request, "dialogues.write_record", DialogueRecord(meeting=meeting)):
        raise PermissionDenied
    try:
        services.record_start(meeting=meeting, started_by=request.user)
    except EditConflict:
        messages.error(request, _("Someone else has already started the record: here it is."))
    else:
        messages.success(
            request,
            _("The record has been started, with the follow-up material of the meeting's goals."),
        )
    return redirect("dialogues:record", meeting.pk)


def _existing_record(request: HttpRequest, meeting: Meeting) -> DialogueRecord:
    record = DialogueRecord.objects.filter(meeting=meeting).first()
    if record is None:
        raise Http404
    record.meeting = meeting
    if not _can(request, "dialogues.read_record", record):
        raise Http404
    return record


def _run(request: HttpRequest, meeting: Meeting, action, done: str, **kwargs) -> HttpResponse:
    try:
        action(expected_version=_version(request), **kwargs)
    except EditConflict:
        messages.error(
            request,
            _(
                "Someone else changed the record in the meantime. Nothing was done: look at it "
                "as it is now and try again."
            ),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("dialogues:record", meeting.pk)


@login_required
@require_POST
def record_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    record = _existing_record(request, meeting)
    if not _can(request, "dialogues.write_record", record):
        raise PermissionDenied
    return _run(
        request,
        meeting,
        services.record_refresh_material,
        _("The material has been gathered again."),
        record=record,
        refreshed_by=request.user,
    )


@login_required
@require_POST
def record_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    record = _existing_record(request, meeting)
    if not _can(request, "dialogues.approve_record", record):
        raise PermissionDenied
    return _run(
        request,
        meeting,
        services.record_approve,
        _("The record has been approved. It is now locked and available to the reports."),
        record=record,
        approved_by=request.user,
    )
