from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.core.choices import Fulfilment

from .choices import FollowUpKind


class PeriodForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("E.g. Tertial 1 2025 or Helår 2025.")
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUpKind.choices)
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(
        label=_("Deadline for assessments"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The date by which the assessments are to be written and submitted."),
    )


class AssessmentForm(forms.Form):
    """The writers' part of an assessment. `version` 0: a new one."""

    status = forms.ChoiceField(
        label=_("Assessment"),
        choices=Fulfilment.choices,
        widget=forms.RadioSelect,
        help_text=_("Your assessment. The measures' suggestion is only a suggestion."),
    )
    analysis = forms.CharField(
        label=_("Analysis"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "What the follow-up shows and why: the link between what was done and the result."
        ),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("What you plan to do next."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Why is it returned?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text=_("Shown to the writers in the history."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
