from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.core.models import User
from tillit.planning.models import PlanNode

from .choices import ParticipantKind
from .selectors import Participant, goal_context


class MeetingForm(forms.Form):
    """A meeting of the annual plan. `version` 0: a new one. Times are Swedish local time."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("E.g. Dialogue on the welfare goals."),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("E.g. Sessionssalen.")
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Dialogue on these goals"),
        queryset=PlanNode.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The committee's own goals come first."),
    )
    is_public = forms.BooleanField(
        label=_("Public meeting"),
        required=False,
        initial=True,
        help_text=_(
            "A public meeting's date, goals and approved record are shown to everyone. "
            "Otherwise only to the organisation's staff."
        ),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, year: int, goals: list[PlanNode], own: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        ordered = sorted(goals, key=lambda g: g.pk not in own)  # stable: the plan's order
        field = self.fields["goals"]
        field.queryset = PlanNode.objects.filter(pk__in=[g.pk for g in goals])
        field.choices = [(g.pk, f"{g.label} ({goal_context(g)})") for g in ordered]

    def clean(self) -> dict:
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is not None and day.year != self.year:
            self.add_error(
                "date",
                _(
                    "The date is not in %(year)s. A meeting of another year belongs in that "
                    "year's annual plan."
                )
                % {"year": self.year},
            )
        if start is not None and end is not None and end < start:
            self.add_error("end_time", _("A meeting cannot end before it starts."))
        if day is not None and start is not None:
            data["starts_at"] = timezone.make_aware(datetime.combine(day, start))
            data["ends_at"] = timezone.make_aware(datetime.combine(day, end)) if end else None
        return data

    def meeting_values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "place": data["place"],
            "is_public": data["is_public"],
            "notes": data["notes"],
        }


class DeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PeopleField(forms.ModelMultipleChoiceField):
    """People as checkboxes, each named with who they are ("Ordförande, VU (C)")."""

    widget = forms.CheckboxSelectMultiple

    def set_people(self, participants: list[Participant]) -> None:
        self.queryset = User.objects.filter(pk__in=[p.person.pk for p in participants])
        self.choices = [
            (p.person.pk, f"{p.name} – {p.role}" if p.role else p.name) for p in participants
        ]


class RecordForm(forms.Form):
    """The writers' part of a dialogue record. The material is gathered, not written."""

    elected = PeopleField(
        label=_("Elected representatives who took part"),
        queryset=User.objects.none(),
        required=False,
    )
    officials = PeopleField(
        label=_("Officials who took part"), queryset=User.objects.none(), required=False
    )
    external_participants = forms.CharField(
        label=_("Other participants"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("People without an account, one a line, e.g. Elevrådets ordförande."),
    )
    discussion = forms.CharField(
        label=_("What was discussed"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("What the follow-up showed and what the dialogue was about."),
    )
    shared_understanding = forms.CharField(
        label=_("Shared understanding"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("What politicians and officials agree on (samsyn)."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("What happens next, and who does it."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, people: list[Participant], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elected"].set_people([p for p in people if p.kind == ParticipantKind.ELECTED])
        self.fields["officials"].set_people(
            [p for p in people if p.kind == ParticipantKind.OFFICIAL]
        )

    def participants(self) -> list[User]:
        return [*self.cleaned_data["elected"], *self.cleaned_data["officials"]]


class RemitForm(forms.Form):
    nodes = forms.ModelMultipleChoiceField(
        label=_("The committee holds dialogue on"),
        queryset=PlanNode.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A perspective or focus area covers every goal beneath it."),
    )

    def __init__(self, *args, nodes: list[PlanNode], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["nodes"]
        field.queryset = PlanNode.objects.filter(pk__in=[n.pk for n in nodes])
        field.choices = [(n.pk, n.label) for n in nodes]
