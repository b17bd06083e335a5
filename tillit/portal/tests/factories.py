"""Public data the session's demo lacks, made through the services as the strateg would:
a closed follow-up period with approved goal assessments, and an approved report. Used by
the portal's tests and its browser test."""

from __future__ import annotations

from datetime import date

ANALYSIS = "Läsningen har ökat i de yngre åldrarna."
NEXT_STEPS = "Läsombud i varje klass."


def approve_goal_assessment(period, goal, user, *, status="partly", analysis="", next_steps=""):
    """A goal-level assessment written, submitted and approved through the services."""
    from tillit.followup import services
    from tillit.followup.models import Assessment

    written = services.assessment_save(
        assessment=Assessment(period=period, goal=goal, unit=None),
        written_by=user,
        expected_version=0,
        status=status,
        analysis=analysis or ANALYSIS,
        next_steps=next_steps or NEXT_STEPS,
    )
    submitted = services.assessment_submit(
        assessment=written, submitted_by=user, expected_version=written.version
    )
    return services.assessment_approve(
        assessment=submitted, approved_by=user, expected_version=submitted.version
    )


def open_period(organisation, user, name: str, year: int, kind: str, start: date, end: date):
    from tillit.followup import services

    return services.period_create(
        organisation=organisation,
        created_by=user,
        name=name,
        year=year,
        kind=kind,
        start=start,
        end=end,
        deadline=end,
    )


def closed_annual_period(organisation, goals, user, *, status="met", analysis=""):
    """ "Helår 2025", closed, with an approved assessment of each of the goals."""
    from tillit.followup import services
    from tillit.followup.choices import FollowUpKind

    period = open_period(
        organisation,
        user,
        "Helår 2025",
        2025,
        FollowUpKind.ANNUAL,
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    for goal in goals:
        approve_goal_assessment(period, goal, user, status=status, analysis=analysis)
    return services.period_close(period=period, closed_by=user)


def decision(organisation, abbreviation: str, day: date, paragraph: str):
    from tillit.core.models import Body, Decision

    return Decision.objects.create(
        organisation=organisation,
        body=Body.objects.get(organisation=organisation, abbreviation=abbreviation),
        date=day,
        paragraph=paragraph,
        title=f"Rapport ({abbreviation} § {paragraph})",
    )


def draft_report(organisation, user, kind: str, year: int, period=None):
    """A draft report (one of the same kind and year already there is removed first)."""
    from tillit.reports.models import Report, ReportSnapshot
    from tillit.reports.services import report_create

    existing = Report.objects.filter(organisation=organisation, kind=kind, year=year)
    ReportSnapshot.objects.filter(report__in=existing).delete()  # QuerySet.delete skips the guard
    existing.delete()
    return report_create(
        organisation=organisation, kind=kind, year=year, created_by=user, followup_period=period
    )


def presented_annual_report(organisation, period, user):
    """The årsredovisning 2025: approved by KS 2026-04-08 § 47 (frozen), presented to KF
    2026-04-27 § 39."""
    from tillit.reports import services
    from tillit.reports.choices import ReportKind

    report = draft_report(organisation, user, ReportKind.ANNUAL, 2025, period)
    report = services.report_submit(report=report, user=user)
    report = services.report_approve(
        report=report, decision=decision(organisation, "KS", date(2026, 4, 8), "47"), user=user
    )
    return services.report_present(
        report=report, decision=decision(organisation, "KF", date(2026, 4, 27), "39"), user=user
    )
