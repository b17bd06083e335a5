from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.core.models import Decision, OrgUnit, User
from tillit.core.selectors import units_for

from .models import Level, SustainableDevelopmentGoal


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return f"{obj.reference}: {obj.title}"


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PoliticalNodeForm(VersionedForm):
    """Change a politically decided element: only together with a recorded decision."""

    number = forms.IntegerField(label=_("Number"), min_value=1, required=False)
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    strategy = forms.CharField(
        label=_("Strategy"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=_("Agenda 2030 goals"),
        queryset=SustainableDevelopmentGoal.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    decision = DecisionChoiceField(
        label=_("Decision"),
        queryset=Decision.objects.none(),
        help_text=_("The decision that made this change. Record it first if it is missing."),
    )

    def __init__(self, *args, organisation_id: int, level: Level, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(
            organisation_id=organisation_id
        ).select_related("body")
        if level.numbered:
            self.fields["number"].required = True
        else:
            del self.fields["number"]


class NewPoliticalNodeForm(PoliticalNodeForm):
    version = None


class OperationsNodeForm(VersionedForm):
    """An element decided by operations (e.g. an area), owned by one of the person's units."""

    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    owner_unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=OrgUnit.objects.none()
    )
    year = forms.IntegerField(label=_("Year"))

    def __init__(self, *args, user: User, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units_for(user, organisation_id=organisation_id)
        self.fields["owner_unit"].label_from_instance = lambda u: ("— " * u.depth) + u.name


class NewOperationsNodeForm(OperationsNodeForm):
    version = None
