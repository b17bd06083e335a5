"""Plants a secret word in every place the public must not see, and one public word in
places it must see; shared by the allow-list's tests.

`plant(organisation, personas)` returns a `Planted` with the rows it made, so a test can
ask for their pages (404) and search for the word (no hit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

SECRET = "Hemlighetsord"
PUBLIC = "Offentligtord"
# A unit's own assessment is internal on the public pages, but an adopted annual report
# contains the approved assessments of the units as KS adopted it: a secret but for that.
UNIT_SECRET = "Enhetshemlighet"


@dataclass
class Planted:
    draft_goal: object
    draft_measure: object
    area: object
    hidden_activity: object
    public_activity: object
    open_period_assessment: object
    unit_assessment: object
    public_assessment: object
    draft_report: object
    review_report: object
    hidden_event: object
    hidden_meeting: object
    public_meeting: object
    public_report: object
    public_goal: object
    public_measure: object
    closed_period: object
    people: list[str] = field(default_factory=list)

    def secret_ids(self) -> dict[str, int]:
        return {
            "goal": self.draft_goal.pk,
            "area": self.area.pk,
            "measure": self.draft_measure.pk,
            "activity": self.hidden_activity.pk,
            "report_draft": self.draft_report.pk,
            "report_review": self.review_report.pk,
        }


def _chain(organisation, document, title: str):
    """perspective → focus area → goal in a document, bypassing the forms."""
    from tillit.planning.models import Level, PlanNode

    levels = {lv.key: lv for lv in Level.objects.filter(organisation=organisation)}
    parent = None
    node = None
    for key in ("perspective", "focus_area", "goal"):
        node = PlanNode.objects.create(
            organisation=organisation,
            document=document,
            level=levels[key],
            parent=parent,
            number=99 if levels[key].numbered else None,
            title=f"{title} ({key})",
        )
        parent = node
    return node


def plant(organisation, personas) -> Planted:  # noqa: PLR0915 - a list of rows, read top down
    from tillit.activities.models import Activity
    from tillit.calendars.models import CalendarEvent
    from tillit.core.models import Body, Decision, OrgUnit
    from tillit.dialogues.models import Meeting
    from tillit.followup.choices import AssessmentState, FollowUpKind, PeriodStatus
    from tillit.followup.models import Assessment, FollowUpPeriod
    from tillit.measures.models import Measure, MeasureValue
    from tillit.planning.choices import DocumentStatus
    from tillit.planning.models import PlanNode, SteeringDocument
    from tillit.reports.choices import ReportKind, ReportState
    from tillit.reports.models import Report, ReportSection
    from tillit.reports.services import report_approve, report_create, report_submit

    strateg = personas["strateg"]
    now = timezone.now()

    # A draft steering document with a goal and a measure that has a value.
    draft = SteeringDocument.objects.create(
        organisation=organisation,
        title=f"Utkast {SECRET}",
        start_year=2031,
        end_year=2034,
        introduction=SECRET,
        status=DocumentStatus.DRAFT,
    )
    draft_goal = _chain(organisation, draft, f"Mål {SECRET}")
    draft_measure = Measure.objects.create(
        organisation=organisation, node=draft_goal, title=f"Mått {SECRET}", unit="%"
    )
    MeasureValue.objects.create(measure=draft_measure, year=2025, value=Decimal("12"))

    # In the adopted plan: a goal and its measure, whose value has an internal comment.
    public_goal = (
        PlanNode.objects.filter(
            organisation=organisation,
            level__key="goal",
            document__status=DocumentStatus.ADOPTED,
            measures__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    public_measure = public_goal.measures.order_by("pk").first()
    MeasureValue.objects.update_or_create(
        measure=public_measure,
        year=2019,
        period_kind="year",
        period=1,
        gender="T",
        defaults={"value": Decimal("1"), "comment": f"Intern kommentar {SECRET}"},
    )

    # An operations' area of the adopted plan: internal working structure.
    area = PlanNode.objects.filter(
        organisation=organisation, level__owner="operations", document=public_goal.document
    ).first()
    area.description = f"{area.description} {SECRET}"
    area.save(update_fields=["description"])

    # Activities: one linked to nothing public, one linked to the public goal.
    unit = OrgUnit.objects.filter(organisation=organisation).order_by("pk").first()
    hidden_activity = Activity.objects.create(
        organisation=organisation,
        title=f"Aktivitet {SECRET}",
        owner_unit=unit,
        responsible=strateg,
        start=date(2026, 1, 1),
    )
    hidden_activity.nodes.set([draft_goal])
    public_activity = Activity.objects.create(
        organisation=organisation,
        title=f"Aktivitet {PUBLIC}",
        owner_unit=unit,
        responsible=strateg,
        start=date(2026, 1, 1),
    )
    public_activity.nodes.set([public_goal])

    # Assessments: approved in a closed period (public), approved in an open period, and
    # a unit's own approved one in the closed period (both not public).
    def period(name: str, status: str, year: int) -> FollowUpPeriod:
        return FollowUpPeriod.objects.create(
            organisation=organisation,
            name=name,
            year=year,
            kind=FollowUpKind.ANNUAL,
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            deadline=date(year + 1, 1, 31),
            status=status,
            closed_at=now if status == PeriodStatus.CLOSED else None,
        )

    closed = period("Helår 2024", PeriodStatus.CLOSED, 2024)
    open_ = period("Helår 2023", PeriodStatus.OPEN, 2023)

    def assess(period_, *, unit=None, text: str) -> Assessment:
        return Assessment.objects.create(
            period=period_,
            goal=public_goal,
            unit=unit,
            status="partly",
            analysis=text,
            next_steps=text,
            state=AssessmentState.APPROVED,
            written_by=strateg,
            written_at=now,
            submitted_by=strateg,
            submitted_at=now,
            approved_by=strateg,
            approved_at=now,
        )

    public_assessment = assess(closed, text=f"Analys {PUBLIC}")
    open_period_assessment = assess(open_, text=f"Analys {SECRET}")
    unit_assessment = assess(closed, unit=unit, text=f"Enhetens analys {UNIT_SECRET}")

    # Reports: a draft with a written section, and one in review.
    draft_report = report_create(
        organisation=organisation, kind=ReportKind.ANNUAL, year=2029, created_by=strateg
    )
    ReportSection.objects.filter(report=draft_report).update(text=f"Utkast {SECRET}")
    review_report = report_create(
        organisation=organisation,
        kind=ReportKind.INTERIM,
        year=2029,
        through_month=8,
        created_by=strateg,
    )
    ReportSection.objects.filter(report=review_report).update(text=f"Granskning {SECRET}")
    Report.objects.filter(pk=review_report.pk).update(state=ReportState.REVIEW)

    # An annual report of 2024, approved by KS: public, frozen.
    ks = Body.objects.get(organisation=organisation, abbreviation="KS")
    public_report = report_create(
        organisation=organisation,
        kind=ReportKind.ANNUAL,
        year=2024,
        created_by=strateg,
        followup_period=closed,
    )
    ReportSection.objects.filter(report=public_report).update(text=f"Berättelse {PUBLIC}")
    report_submit(report=public_report, user=strateg)
    approval = Decision.objects.create(
        organisation=organisation,
        body=ks,
        date=date(2025, 3, 20),
        paragraph="31",
        title="Årsredovisning 2024",
    )
    public_report = report_approve(report=public_report, decision=approval, user=strateg)

    # The calendar: an internal event and a closed meeting.
    hidden_event = CalendarEvent.objects.create(
        organisation=organisation,
        title=f"Internt {SECRET}",
        kind="other",
        date=date(now.year, 6, 1),
        description=SECRET,
        is_public=False,
    )
    dialogue_body = Body.objects.filter(organisation=organisation, kind__in=["committee", "board"])
    hidden_meeting = Meeting.objects.create(
        organisation=organisation,
        body=dialogue_body.first() or ks,
        title=f"Dialog {SECRET}",
        starts_at=timezone.make_aware(datetime.combine(date(now.year, 6, 2), time(9))),
        ends_at=timezone.make_aware(datetime.combine(date(now.year, 6, 2), time(11))),
        is_public=False,
        notes=SECRET,
    )
    # A public dialogue next week, on a public goal and a draft one, with internal notes.
    soon = timezone.make_aware(datetime.combine(now.date() + timedelta(days=7), time(13)))
    public_meeting = Meeting.objects.create(
        organisation=organisation,
        body=dialogue_body.first() or ks,
        title=f"Dialog {PUBLIC}",
        starts_at=soon,
        is_public=True,
        notes=f"Anteckningar {SECRET}",
    )
    public_meeting.goals.set([public_goal, draft_goal])

    people: list[str] = []
    for user in personas.values():
        if user is None or not getattr(user, "pk", None):
            continue
        people += [user.get_full_name(), user.email]
    return Planted(
        draft_goal=draft_goal,
        draft_measure=draft_measure,
        area=area,
        hidden_activity=hidden_activity,
        public_activity=public_activity,
        open_period_assessment=open_period_assessment,
        unit_assessment=unit_assessment,
        public_assessment=public_assessment,
        draft_report=draft_report,
        review_report=review_report,
        hidden_event=hidden_event,
        hidden_meeting=hidden_meeting,
        public_meeting=public_meeting,
        public_report=public_report,
        public_goal=public_goal,
        public_measure=public_measure,
        closed_period=closed,
        people=[p for p in people if p],
    )
