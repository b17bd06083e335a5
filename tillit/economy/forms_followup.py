"""The forecast a verksamhet makes of its year-end net cost."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import TkrField


class ForecastForm(forms.Form):
    amount = TkrField(
        label=_("Forecast net cost for the year (tkr)"),
        help_text=_(
            "The operation's net cost for the whole year as you expect it now, in thousands "
            "of kronor, e.g. 191 500."
        ),
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_(
            "Required: say what the forecast rests on and explain any deviation from the "
            "frame and what is being done about it. The comment goes with the forecast into "
            "the monthly report to the municipal board."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(self.fields["comment"].error_messages["required"])
        return comment
