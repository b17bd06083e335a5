from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import POLITICAL_BODY_KINDS
from .models import Body, Decision, Organisation


class DecisionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Decision
        fields = ["body", "date", "paragraph", "title", "description", "url"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation
        if self.instance.pk:
            self.fields["version"].required = True
            self.initial.setdefault("version", self.instance.version)
        else:
            del self.fields["version"]
        self.fields["body"].queryset = Body.objects.filter(
            organisation=organisation, kind__in=POLITICAL_BODY_KINDS
        )
        self.fields["paragraph"].help_text = _("Only the number, e.g. 93.")

    def clean_paragraph(self) -> str:
        return self.cleaned_data["paragraph"].strip().lstrip("§").strip()
