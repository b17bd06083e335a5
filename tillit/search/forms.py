from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .text import MAX_QUERY_LENGTH, START, STOP


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={
            "max_length": _("Search for at most %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["id"] = "search-q"

    def clean_q(self) -> str:
        # The characters search.text marks headlines with are never searched for.
        query = self.cleaned_data["q"]
        return "".join(ch for ch in query if ch not in (START, STOP)).strip()
