from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.core.concurrency import EditConflict, conflict_rows, resubmittable
from tillit.core.history import history_for
from tillit.core.models import Body
from tillit.core.rules import is_member_of_organisation
from tillit.core.views import organisation_or_404

from . import ics, services
from .choices import EventKind
from .forms import EventForm, ReminderForm
from .models import CalendarEvent, FeedToken, ReminderSettings
from .selectors import body_entries, organisation_entries, person_entries, year_months

FIRST_YEAR, LAST_YEAR = 2000, 2100


def year_now(request: HttpRequest) -> HttpResponse:
    return redirect("calendars:year", timezone.localdate().year)


def year(request: HttpRequest, year: int) -> HttpResponse:
    """The årshjul of a year: month by month, filtered by kind and body."""
    organisation = organisation_or_404(request)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    staff = is_member_of_organisation(request.user, organisation)
    months = year_months(organisation, year, staff=staff)
    bodies = list(Body.objects.filter(organisation=organisation))
    kind = request.GET.get("typ", "")
    body = request.GET.get("organ", "")
    if kind in EventKind.values or body:
        for month in months:
            month.entries = [
                e
                for e in month.entries
                if (kind not in EventKind.values or e.kind == kind) and (not body or e.body == body)
            ]
    return render(
        request,
        "calendars/year.html",
        {
            "year": year,
            "months": months,
            "count": sum(len(m.entries) for m in months),
            "today": timezone.localdate(),
            "kinds": EventKind.choices,
            "bodies": bodies,
            "kind": kind,
            "body": body,
            "staff": staff,
            "can_edit": request.user.has_perm("calendars.edit_event", organisation),
            "wheel": _wheel(months),
        },
    )


def _wheel(months) -> list[dict]:
    """The twelve wedges of the wheel's picture: month, count, and the SVG arc."""
    import math

    wedges = []
    for month in months:
        a0 = math.radians((month.number - 1) * 30 - 90)
        a1 = math.radians(month.number * 30 - 90)
        mid = (a0 + a1) / 2
        r, ri = 100, 45

        def pt(angle: float, radius: float) -> str:
            return f"{120 + radius * math.cos(angle):.1f},{120 + radius * math.sin(angle):.1f}"

        wedges.append(
            {
                "month": month,
                "path": f"M{pt(a0, ri)} L{pt(a0, r)} A{r},{r} 0 0 1 {pt(a1, r)} "
                f"L{pt(a1, ri)} A{ri},{ri} 0 0 0 {pt(a0, ri)} Z",
                "label": pt(mid, 80).split(","),
                "count": pt(mid, 60).split(","),
                "n": len(month.entries),
            }
        )
    return wedges


def _organisation_editor(request: HttpRequest):
    organisation = organisation_or_404(request)
    if not request.user.has_perm("calendars.edit_event", organisation):
        raise PermissionDenied
    return organisation


@login_required
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = _organisation_editor(request)
    event = (
        get_object_or_404(CalendarEvent, pk=pk, organisation=organisation)
        if pk is not None
        else CalendarEvent(organisation=organisation)
    )
    initial = {"version": event.version} if pk else {}
    form = EventForm(
        request.POST or None, instance=event, initial=initial, organisation=organisation
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.event_save(
                event=form.instance,
                changed_by=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except EditConflict as exc:
            conflict = conflict_rows(form, exc.current)
            resubmittable(form, exc.current)
        else:
            messages.success(request, _("The date has been saved."))
            return redirect(form.instance)
    return render(
        request,
        "calendars/event_form.html",
        {
            "form": form,
            "event": event if pk else None,
            "conflict": conflict,
            "history": history_for(event) if pk else None,
        },
    )


@login_required
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_editor(request)
    event = get_object_or_404(CalendarEvent, pk=pk, organisation=organisation)
    if request.method == "POST":
        year = event.date.year
        services.event_delete(event=event, deleted_by=request.user)
        messages.success(request, _("%(title)s was removed.") % {"title": event.title})
        return redirect("calendars:year", year)
    return render(request, "calendars/event_delete.html", {"event": event})


# --- feeds ------------------------------------------------------------------------------


@login_required
def feeds(request: HttpRequest) -> HttpResponse:
    """The person's feed address, the public feeds, and the reminder setting."""
    organisation = organisation_or_404(request)
    own = request.user.has_perm("calendars.own_feed", organisation)
    token = (
        FeedToken.objects.filter(user=request.user, revoked_at__isnull=True).first()
        if own
        else None
    )
    settings = ReminderSettings.objects.filter(user=request.user).first()
    return render(
        request,
        "calendars/feeds.html",
        {
            "own": own,
            "token": token,
            "feed_url": request.build_absolute_uri(reverse("calendars:feed", args=[token.token]))
            if token
            else None,
            "bodies": Body.objects.filter(organisation=organisation),
            "organisation_feed": request.build_absolute_uri(reverse("calendars:feed_public")),
            "reminder_form": ReminderForm(
                initial={"by_email": settings.by_email if settings else True}
            ),
        },
    )


def _own_feed_user(request: HttpRequest):
    organisation = organisation_or_404(request)
    if not request.user.has_perm("calendars.own_feed", organisation):
        raise PermissionDenied
    return request.user


@login_required
@require_POST
def feed_renew(request: HttpRequest) -> HttpResponse:
    services.feed_renew(user=_own_feed_user(request))
    messages.success(
        request,
        _("Your calendar has a new address. An address you used before no longer works."),
    )
    return redirect("calendars:feeds")


@login_required
@require_POST
def feed_revoke(request: HttpRequest) -> HttpResponse:
    services.feed_revoke(user=_own_feed_user(request))
    messages.success(request, _("Your calendar address has been turned off."))
    return redirect("calendars:feeds")


@login_required
@require_POST
def reminders(request: HttpRequest) -> HttpResponse:
    organisation_or_404(request)
    form = ReminderForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    services.reminders_set(user=request.user, by_email=form.cleaned_data.get("by_email", False))
    messages.success(
        request,
        _("You will get reminders by e-mail.")
        if form.cleaned_data.get("by_email")
        else _("You will get no reminders by e-mail."),
    )
    return redirect("calendars:feeds")


def _ics(request: HttpRequest, entries, name: str) -> HttpResponse:
    body = ics.render(
        entries,
        name=name,
        domain=request.get_host().split(":")[0] or "tillit",
        base_url=f"{request.scheme}://{request.get_host()}",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tillit.ics"'
    return response


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's private feed: whoever has the address reads it, until it is revoked."""
    feed_token = (
        FeedToken.objects.filter(token=token, revoked_at__isnull=True)
        .select_related("user__organisation")
        .first()
    )
    if feed_token is None or not feed_token.user.is_active:
        raise Http404
    user = feed_token.user
    FeedToken.objects.filter(pk=feed_token.pk).update(last_used_at=timezone.now())
    name = _("%(organisation)s: %(person)s") % {
        "organisation": user.organisation.name if user.organisation else "Tillit",
        "person": user.get_full_name() or user.username,
    }
    response = _ics(request, person_entries(user, timezone.localdate()), name)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def feed_body(request: HttpRequest, abbreviation: str) -> HttpResponse:
    organisation = organisation_or_404(request)
    body = get_object_or_404(Body, organisation=organisation, abbreviation=abbreviation)
    name = f"{organisation.name}: {body.name}"
    return _ics(request, body_entries(body, timezone.localdate()), name)


def feed_public(request: HttpRequest) -> HttpResponse:
    organisation = organisation_or_404(request)
    name = _("%(organisation)s: yearly calendar") % {"organisation": organisation.name}
    return _ics(request, organisation_entries(organisation, timezone.localdate()), name)
