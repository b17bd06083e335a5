"""Changing reports: creating them, writing their sections, and the workflow
draft → review → approved by KS (frozen) → presented to KF.

Every change checks the permission itself and says no in Swedish (PermissionDenied or
ValidationError); a state change is a compare-and-set on the state, so two people pressing
the same button at once cannot both move it, and a text saved on an old version is an
`EditConflict`, not a lost update.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.core.choices import BodyKind
from tillit.core.concurrency import save_versioned
from tillit.core.models import Decision, Organisation, User
from tillit.economy.goals import month_end
from tillit.followup.models import FollowUpPeriod

from .choices import ReportKind, ReportState
from .models import Report, ReportSection, ReportSnapshot
from .render import xml_safe
from .sections import sections_for


def clean_text(text: str) -> str:
    """A section's text as stored: trimmed, a pasted manual line break made a newline,
    and nothing a Word or Excel file cannot hold."""
    return xml_safe(text).strip()


def _require(user: User, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this with the report."))


def default_period(organisation: Organisation, kind: str, year: int) -> FollowUpPeriod | None:
    """The follow-up period of the same kind and year, the latest if there are several."""
    return (
        FollowUpPeriod.objects.filter(organisation=organisation, year=year, kind=kind)
        .order_by("-end", "-pk")
        .first()
    )


@transaction.atomic
def report_create(
    *,
    organisation: Organisation,
    kind: str,
    year: int,
    created_by: User,
    through_month: int | None = None,
    followup_period: FollowUpPeriod | None = None,
) -> Report:
    """A draft report with its sections, each waiting for an owner."""
    _require(created_by, "reports.manage", organisation)
    if through_month is None:
        through_month = 12 if kind == ReportKind.ANNUAL else 8
    report = Report(
        organisation=organisation,
        kind=kind,
        year=year,
        through_month=through_month,
        followup_period=followup_period or default_period(organisation, kind, year),
        created_by=created_by,
    )
    report.full_clean()
    report._history_user = created_by
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:  # the same report created at the same moment
        raise ValidationError(_("There is already a report of this kind for the year.")) from error
    ReportSection.objects.bulk_create(
        ReportSection(report=report, key=spec.key) for spec in sections_for(kind)
    )
    return report


@transaction.atomic
def section_write(
    *, section: ReportSection, text: str, user: User, expected_version: int
) -> ReportSection:
    """The owner's text of a section: only while the report is a draft.

    The report's row is locked while the text is saved, so a text cannot land after the
    report was sent to review."""
    _require(user, "reports.edit_section", section)
    report = Report.objects.select_for_update().get(pk=section.report_id)
    if not report.is_draft:  # the superuser passes every rule, not this
        raise ValidationError(_("The report is no longer a draft: its texts are locked."))
    section.text = clean_text(text)
    section.updated_by = user
    section.updated_at = timezone.now()
    section._history_user = user
    save_versioned(
        section,
        expected_version=expected_version,
        update_fields=["text", "updated_by", "updated_at"],
    )
    return section


def section_assign(
    *, section: ReportSection, owner: User | None, user: User, expected_version: int
) -> ReportSection:
    """Give a section its owner (someone in the organisation), or take it away."""
    _require(user, "reports.manage", section.report)
    if section.report.is_frozen:
        raise ValidationError(_("The report is approved and can no longer be changed."))
    if owner is not None and owner.organisation_id != section.report.organisation_id:
        raise ValidationError({"owner": _("The owner must work in the municipality.")})
    section.owner = owner
    section._history_user = user
    save_versioned(section, expected_version=expected_version, update_fields=["owner"])
    return section


def _locked_in(report: Report, state: ReportState) -> Report:
    """The report's row, locked, if it is still in `state`; else a ValidationError that
    says the state it has now (and the caller's object is brought up to date)."""
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.state != state:
        report.refresh_from_db()
        raise ValidationError(
            _("The report is now “%(state)s”: someone changed it before you.")
            % {"state": locked.state_choice.label}
        )
    return locked


def _save_state(locked: Report, user: User, fields: list[str]) -> Report:
    """Saved through the model, so that the history records who moved it."""
    locked.version += 1
    locked._history_user = user
    locked.save(update_fields=["state", "version", *fields])
    return locked


def _move(
    report: Report, *, user: User, source: ReportState, target: ReportState, **fields
) -> Report:
    """Move the state from `source` to `target` under a row lock."""
    locked = _locked_in(report, source)
    locked.state = target
    for name, value in fields.items():
        setattr(locked, name, value)
    return _save_state(locked, user, list(fields))


@transaction.atomic
def report_submit(*, report: Report, user: User) -> Report:
    """Draft → review: the sections are read as they are."""
    _require(user, "reports.manage", report)
    return _move(report, user=user, source=ReportState.DRAFT, target=ReportState.REVIEW)


@transaction.atomic
def report_return(*, report: Report, user: User) -> Report:
    """Review → draft: back to the owners for changes."""
    _require(user, "reports.manage", report)
    return _move(report, user=user, source=ReportState.REVIEW, target=ReportState.DRAFT)


def _check_decision(report: Report, decision: Decision, kind: BodyKind, field: str) -> None:
    if decision.organisation_id != report.organisation_id:
        raise ValidationError({field: _("The decision belongs to another organisation.")})
    if decision.body.kind != kind:
        raise ValidationError(
            {field: _("The decision must be taken by the %(body)s.") % {"body": kind.label.lower()}}
        )
    if decision.date <= month_end(report.year, report.through_month):
        raise ValidationError(
            {field: _("The decision must be taken after the period the report covers.")}
        )
    if field == "presentation" and report.approval_id and decision.date < report.approval.date:
        raise ValidationError(
            {field: _("The council's decision cannot come before the board's approval.")}
        )


@transaction.atomic
def report_approve(*, report: Report, decision: Decision, user: User) -> Report:
    """Review → approved by kommunstyrelsen: the report is composed one last time and frozen.

    The snapshot is what the report is from now on; its checksum is shown with it."""
    from .compose import compose

    _require(user, "reports.manage", report)
    _check_decision(report, decision, BodyKind.BOARD, "approval")
    locked = _locked_in(report, ReportState.REVIEW)
    now = timezone.now()
    locked.state, locked.approval = ReportState.APPROVED, decision
    content = compose(locked, now=now)
    ReportSnapshot.objects.create(report=locked, data=content, created_at=now)
    return _save_state(locked, user, ["approval"])


@transaction.atomic
def report_present(*, report: Report, decision: Decision, user: User) -> Report:
    """Approved → presented to kommunfullmäktige. The frozen report does not change."""
    _require(user, "reports.manage", report)
    _check_decision(report, decision, BodyKind.COUNCIL, "presentation")
    return _move(
        report,
        user=user,
        source=ReportState.APPROVED,
        target=ReportState.PRESENTED,
        presentation=decision,
    )


def content_of(report: Report):
    """What the report says now: its snapshot once frozen, else composed from the data."""
    if report.is_frozen:
        snapshot = ReportSnapshot.objects.get(report=report)
        # The checksum is printed on the files' cover, so a reader can check them against it.
        return {**snapshot.data, "checksum": snapshot.checksum}
    from .compose import compose

    return compose(report)
