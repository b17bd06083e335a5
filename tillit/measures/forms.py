from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.core.choices import Fulfilment
from tillit.core.models import Decision
from tillit.planning.forms import DecisionChoiceField
from tillit.planning.models import OperationalPlan

from .choices import MeasureKind
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
