"""Forms of the reports' pages: creating a report, writing a section, giving it an owner,
and the decision that moves a report on (kommunstyrelsen's approval, kommunfullmäktige's
decision). Every change itself is made by a service (services.py)."""

from __future__ import annotations

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from tillit.core.choices import BodyKind
from tillit.core.models import Decision, Organisation, User
from tillit.economy.goals import month_end
from tillit.followup.models import FollowUpPeriod
from tillit.planning.forms import DecisionChoiceField

from .choices import ReportKind
from .models import Report

INTERIM_MONTH = 8  # the delårsrapport covers January–August unless chosen otherwise
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FollowUpPeriod) -> str:
        return obj.name


class ReportCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    through_month = forms.TypedChoiceField(
        label=_("Through month (interim report)"),
        choices=[(number, name) for number, name in MONTHS.items() if number < 12],
        coerce=int,
        initial=INTERIM_MONTH,
        help_text=_("The last month the interim report covers. The annual report covers the year."),
    )
    followup_period = PeriodChoiceField(
        label=_("Follow-up period"),
        queryset=FollowUpPeriod.objects.none(),
        required=False,
        empty_label=_("The period of the same kind and year"),
        help_text=_("The period whose approved goal assessments the report shows."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["followup_period"].queryset = FollowUpPeriod.objects.filter(
            organisation=organisation
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReportKind.ANNUAL:
            data["through_month"] = 12
        return data


class SectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Separate paragraphs with a blank line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The guidance above the form (section.html, #guidance) describes the text too.
        self.fields["text"].widget.attrs["aria-describedby"] = "guidance id_text_helptext"


class SectionOwnerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No owner"),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices(organisation)


def owner_choices(organisation: Organisation):
    """The people who may be given a section: those working in the municipality."""
    return User.objects.filter(organisation=organisation, is_active=True)


TRANSITIONS = ("submit", "return", "approve", "present")
DECISION_BODY = {"approve": BodyKind.BOARD, "present": BodyKind.COUNCIL}


def decision_choices(report: Report, action: str):
    """The decisions that may approve (KS) or present (KF) the report: of its organisation
    and body, taken after the months it covers (KF's not before KS's), the latest first."""
    decisions = Decision.objects.filter(
        organisation_id=report.organisation_id,
        body__kind=DECISION_BODY[action],
        date__gt=month_end(report.year, report.through_month),
    )
    if action == "present" and report.approval_id:
        decisions = decisions.filter(date__gte=report.approval.date)
    return decisions.select_related("body").order_by("-date", "-pk")


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in TRANSITIONS])
    decision = DecisionChoiceField(
        label=_("Decision"), queryset=Decision.objects.none(), required=False
    )
    # Approving a report that still lacks parts is a choice made knowingly.
    despite_missing = forms.BooleanField(required=False)

    def __init__(self, *args, report: Report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        action = self.data.get("action")
        if action in DECISION_BODY:
            self.fields["decision"].queryset = decision_choices(report, action)

    def clean(self):
        data = super().clean()
        if data.get("action") in DECISION_BODY and not data.get("decision"):
            self.add_error(
                "decision",
                _("Choose the decision of the municipal executive board.")
                if data["action"] == "approve"
                else _("Choose the decision of the municipal council."),
            )
        return data
