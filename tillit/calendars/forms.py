from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tillit.core.models import Body

from .models import CalendarEvent


class EventForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CalendarEvent
        fields = [
            "title",
            "kind",
            "date",
            "start_time",
            "end_date",
            "body",
            "place",
            "description",
            "is_public",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        self.fields["body"].queryset = Body.objects.filter(organisation=organisation)
        self.fields["body"].empty_label = _("No body")


class ReminderForm(forms.Form):
    by_email = forms.BooleanField(
        label=_("Send me reminders by e-mail"),
        required=False,
        help_text=_(
            "Deadlines for assessments you are to write, and dialogues that your "
            "committee has not planned yet."
        ),
    )
