"""Forms for god ekonomisk hushållning: financial goals and their assessments, the
balanskravsutredning, and the finance policy's limits and outcomes.

Goals and limits are politically decided: they are created and changed only together
with the decision that made them (like the plan's political elements in
tillit/planning/forms.py)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.core.choices import Fulfilment
from tillit.core.models import Decision
from tillit.planning.forms import DecisionChoiceField

from .choices import Comparator, FinancialIndicator, LimitUnit, PolicyArea
from .fields import THOUSAND, SwedishDecimalField, TkrField

YEAR_BOUNDS = {"min_value": 2000, "max_value": 2100}
# PolicyLimit.limit and PolicyOutcome.value: 16 digits, 2 decimals.
MAX_AMOUNT = Decimal(10) ** 14


def _decisions(organisation_id: int):
    return Decision.objects.filter(organisation_id=organisation_id).select_related("body")


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class FinancialGoalForm(VersionedForm):
    """Change a financial goal: only with the decision that changed it."""

    title = forms.CharField(
        label=_("Goal"),
        max_length=300,
        help_text=_(
            "As decided, e.g. “The result shall be at least 2 per cent of tax revenue "
            "and general grants”."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    indicator = forms.ChoiceField(
        label=_("Measured by"),
        choices=FinancialIndicator.choices,
        help_text=_("The key figure computed from the accounts."),
    )
    comparator = forms.ChoiceField(label=_("Comparison"), choices=Comparator.choices)
    target = SwedishDecimalField(label=_("Target (per cent)"), help_text=_("E.g. 2,0."))
    first_year = forms.IntegerField(label=_("From year"), **YEAR_BOUNDS)
    last_year = forms.IntegerField(
        label=_("To year"),
        required=False,
        help_text=_("Leave empty for a goal that applies until further notice."),
        **YEAR_BOUNDS,
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Why the goal matters and how it is measured."),
    )
    decision = DecisionChoiceField(
        label=_("Decision"),
        queryset=Decision.objects.none(),
        help_text=_("The decision that made this change. Record it first if it is missing."),
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = _decisions(organisation_id)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", _("The last year comes before the first."))
        target = data.get("target")
        if target is not None and abs(target) >= Decimal(10) ** 6:
            self.add_error("target", _("Enter a target in per cent, e.g. 2,0."))
        return data


class NewFinancialGoalForm(FinancialGoalForm):
    """A new financial goal, with the decision that set it."""

    version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].help_text = _(
            "The decision that set the goal, usually the council's decision on the budget. "
            "Record it first if it is missing."
        )


class GoalAssessmentForm(VersionedForm):
    fulfilment = forms.ChoiceField(
        label=_("Assessment"),
        choices=Fulfilment.choices,
        widget=forms.RadioSelect,
        help_text=_("Proposed from the computed value; you decide."),
    )
    comment = forms.CharField(
        label=_("Analysis"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("What explains the outcome, and what the forecast for the year means."),
    )


class BalanceRequirementForm(VersionedForm):
    """A year's balanskravsutredning. Amounts in thousands of kronor; the adjustments are
    typed positive and get their sign from their line."""

    result = TkrField(
        label=_("Result for the year (tkr)"),
        required=False,
        help_text=_("Leave empty to use the result computed from the accounts."),
    )
    realisation_gains = TkrField(
        label=_("All realisation gains (tkr)"), required=False, min_value=Decimal(0)
    )
    exempt_realisation_gains = TkrField(
        label=_("Realisation gains under the exemption (tkr)"),
        required=False,
        min_value=Decimal(0),
    )
    exempt_realisation_losses = TkrField(
        label=_("Realisation losses under the exemption (tkr)"),
        required=False,
        min_value=Decimal(0),
    )
    unrealised_losses = TkrField(
        label=_("Unrealised losses on securities (tkr)"), required=False, min_value=Decimal(0)
    )
    unrealised_losses_reversed = TkrField(
        label=_("Reversal of unrealised losses on securities (tkr)"),
        required=False,
        min_value=Decimal(0),
    )
    reserve_provision = TkrField(
        label=_("Provision to the result equalisation reserve (tkr)"),
        required=False,
        min_value=Decimal(0),
    )
    reserve_use = TkrField(
        label=_("Use of the result equalisation reserve (tkr)"),
        required=False,
        min_value=Decimal(0),
    )
    waiver_decision = DecisionChoiceField(
        label=_("Decision on exceptional reasons"),
        queryset=Decision.objects.none(),
        required=False,
        help_text=_(
            "Only when the council has decided that a deficit of this year need not be "
            "restored (synnerliga skäl)."
        ),
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    ADJUSTMENTS = (
        "realisation_gains",
        "exempt_realisation_gains",
        "exempt_realisation_losses",
        "unrealised_losses",
        "unrealised_losses_reversed",
        "reserve_provision",
        "reserve_use",
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["waiver_decision"].queryset = _decisions(organisation_id)

    def clean(self):
        data = super().clean()
        for name in self.ADJUSTMENTS:
            if name in data and data[name] is None:
                data[name] = Decimal(0)
        return data


class PolicyLimitForm(VersionedForm):
    """Change a limit of the finance policy: only with the decision that changed it."""

    area = forms.ChoiceField(label=_("Area"), choices=PolicyArea.choices)
    title = forms.CharField(
        label=_("Limit"),
        max_length=300,
        help_text=_("As in the policy, e.g. “Borrowing may amount to at most 150 000 tkr”."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comparator = forms.ChoiceField(label=_("Comparison"), choices=Comparator.choices)
    limit = SwedishDecimalField(
        label=_("Limit value"),
        help_text=_("Amounts in kronor are typed in thousands of kronor (tkr), e.g. 150 000."),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=LimitUnit.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    decision = DecisionChoiceField(
        label=_("Decision"),
        queryset=Decision.objects.none(),
        help_text=_("The decision that made this change. Record it first if it is missing."),
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = _decisions(organisation_id)

    def clean(self):
        data = super().clean()
        limit = data.get("limit")
        if limit is not None and data.get("unit") == LimitUnit.KRONOR:
            limit = data["limit"] = limit * THOUSAND
        if limit is not None and abs(limit) >= MAX_AMOUNT:
            self.add_error("limit", _("The number is too large."))
        return data


class NewPolicyLimitForm(PolicyLimitForm):
    version = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].help_text = _(
            "The decision that adopted the limit, usually the decision on the finance policy. "
            "Record it first if it is missing."
        )


def limit_initial(limit) -> dict:
    """The form's initial values of a limit: kronor shown in tkr, as they are typed."""
    value = limit.limit / THOUSAND if limit.unit == LimitUnit.KRONOR else limit.limit
    return {
        "area": limit.area,
        "title": limit.title,
        "comparator": limit.comparator,
        "limit": value,
        "unit": limit.unit,
        "description": limit.description,
        "version": limit.version,
    }


class PolicyOutcomeForm(forms.Form):
    """An outcome of a limit at a date, in the limit's unit (kronor typed in tkr)."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the outcome was measured, e.g. the last day of the month."),
    )
    value = SwedishDecimalField(label=_("Outcome"))
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Explain a breach: why, and what is done about it."),
    )

    def __init__(self, *args, limit, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.fields["value"].label = {
            LimitUnit.KRONOR: _("Outcome (tkr)"),
            LimitUnit.PERCENT: _("Outcome (per cent)"),
            LimitUnit.DAYS: _("Outcome (days)"),
            LimitUnit.YEARS: _("Outcome (years)"),
        }.get(limit.unit, _("Outcome"))

    def clean_value(self):
        value = self.cleaned_data["value"]
        if value is not None and self.limit.unit == LimitUnit.KRONOR:
            value = value * THOUSAND
        if value is not None and abs(value) >= MAX_AMOUNT:
            raise forms.ValidationError(_("The number is too large."))
        return value

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day and self.limit.outcomes.filter(date=day).exists():
            raise forms.ValidationError(_("The limit already has an outcome for this date."))
        return day
