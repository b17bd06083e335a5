from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.core.models import OrgUnit, User
from tillit.core.selectors import units_for

from .choices import ActivityStatus
from .filters import unit_label
from .selectors import (
    linkable_nodes,
    linkable_nodes_in_plan_order,
    node_choice_label,
    organisation_measures,
    organisation_people,
    organisation_principles,
    organisation_units,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def person_label(person: User) -> str:
    name = person.get_full_name() or person.username
    return f"{name} ({person.job_title})" if person.job_title else name


class ProgressForm(forms.Form):
    """What the person responsible reports as the activity goes: status, progress, result."""

    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        help_text=_("How far the activity has come, from 0 to 100 per cent."),
    )
    result = forms.CharField(
        label=_("Result"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("A short note on what the activity has led to so far."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActivityForm(ProgressForm):
    """The whole activity, for the people of its unit (and plan administrators)."""

    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    owner_unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=OrgUnit.objects.none(),
        help_text=_("The unit whose operations decide on the activity and carry it out."),
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"), queryset=User.objects.none(), required=False
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Participants"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    nodes = forms.ModelMultipleChoiceField(
        label=_("Goals and areas"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The goals and areas the activity works toward: at least one."),
        error_messages={"required": _("Link the activity to at least one goal or area.")},
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Measures"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The measures in which the activity's effect is expected to show."),
    )
    principles = forms.ModelMultipleChoiceField(
        label=_("Principles"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The principles the activity expresses."),
    )
    start = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    end = forms.DateField(
        label=_("End date"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("Leave it empty while the activity has no set end."),
    )

    field_order = [
        "title",
        "description",
        "owner_unit",
        "responsible",
        "participants",
        "nodes",
        "measures",
        "principles",
        "start",
        "end",
        "status",
        "progress",
        "result",
    ]

    def __init__(self, *args, user: User, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        # A plan administrator acts for every unit; anyone else for their own and beneath.
        if user.is_plan_administrator and user.organisation_id == organisation_id:
            units = organisation_units(organisation_id)
        else:
            units = units_for(user, organisation_id=organisation_id)
        self.fields["owner_unit"].queryset = units
        self.fields["owner_unit"].label_from_instance = unit_label
        people = organisation_people(organisation_id)
        for name in ("responsible", "participants"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = person_label
        self.fields["nodes"].queryset = linkable_nodes(organisation_id)
        self.fields["nodes"].choices = [
            (node.pk, node_choice_label(node))
            for node in linkable_nodes_in_plan_order(organisation_id)
        ]
        self.fields["measures"].queryset = organisation_measures(organisation_id)
        self.fields["principles"].queryset = organisation_principles(organisation_id)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date cannot come before the start date."))
        return cleaned


class NewActivityForm(ActivityForm):
    version = None
