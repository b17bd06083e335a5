from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.core.choices import Fulfilment
from tillit.core.models import Decision
from tillit.planning.forms import DecisionChoiceField
from tillit.planning.models import OperationalPlan

from .choices import Gender, MeasureKind, PeriodKind
from .models import Measure


class TargetForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    target = forms.DecimalField(label=_("Target"), max_digits=20, decimal_places=4, required=False)
    target_grade = forms.ChoiceField(
        label=_("Target"), choices=[("", "—"), *Fulfilment.choices], required=False
    )
    near_threshold = forms.DecimalField(
        label=_("Close to target from"),
        max_digits=20,
        decimal_places=4,
        required=False,
        help_text=_("Empty: nine tenths of the way from the baseline to the target."),
    )
    decision = DecisionChoiceField(
        label=_("Decision"), queryset=Decision.objects.none(), required=False
    )

    def __init__(self, *args, measure: Measure, plan: OperationalPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(
            organisation_id=plan.organisation_id
        ).select_related("body")
        if plan.is_adopted:
            self.fields["decision"].required = True
            self.fields["decision"].help_text = _(
                "The plan is adopted: the target changes only by a new decision."
            )
        if measure.kind == MeasureKind.QUALITATIVE:
            del self.fields["target"], self.fields["near_threshold"]
        else:
            del self.fields["target_grade"]


class AdoptForm(forms.Form):
    decision = DecisionChoiceField(label=_("Decision"), queryset=Decision.objects.none())

    def __init__(self, *args, plan: OperationalPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(
            organisation_id=plan.organisation_id
        ).select_related("body")


def period_choices() -> list[tuple[str, str]]:
    """One list for the kind of period and its number: "year:1", "tertial:2", "month:11"."""
    months = [
        _("January"),
        _("February"),
        _("March"),
        _("April"),
        _("May"),
        _("June"),
        _("July"),
        _("August"),
        _("September"),
        _("October"),
        _("November"),
        _("December"),
    ]
    return [
        (f"{PeriodKind.YEAR}:1", _("Whole year")),
        *((f"{PeriodKind.TERTIAL}:{n}", _("Tertial %(n)s") % {"n": n}) for n in (1, 2, 3)),
        *((f"{PeriodKind.MONTH}:{n}", name) for n, name in enumerate(months, start=1)),
    ]


class ValueForm(forms.Form):
    """One value of a measure, entered or corrected by hand."""

    changed_at = forms.CharField(widget=forms.HiddenInput, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100)
    period = forms.ChoiceField(label=_("Period"), choices=period_choices)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.TOTAL)
    value = forms.DecimalField(
        label=_("Value"),
        max_digits=20,
        decimal_places=4,
        localize=True,  # 12,5 as Swedes write it (a text field: a number field refuses commas)
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    grade = forms.ChoiceField(label=_("Assessment"), choices=[("", "—"), *Fulfilment.choices])
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what the figure is based on, or why it changed."),
    )

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        if measure.kind == MeasureKind.QUALITATIVE:
            del self.fields["value"]
        else:
            del self.fields["grade"]
        if not measure.by_gender:
            del self.fields["gender"]

    def clean_period(self) -> tuple[str, int]:
        kind, number = self.cleaned_data["period"].split(":")
        return kind, int(number)

    def key(self) -> dict:
        kind, number = self.cleaned_data["period"]
        return {
            "year": self.cleaned_data["year"],
            "period_kind": kind,
            "period": number,
            "gender": self.cleaned_data.get("gender") or Gender.TOTAL,
        }
