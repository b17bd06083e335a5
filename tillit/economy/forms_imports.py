"""The upload form of the outcome imports (tillit/economy/views/imports.py)."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class OutcomeImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (SIE or CSV)"),
        help_text=_(
            "A SIE 4 file from the accounting system, or a CSV file by the template. At most 50 MB."
        ),
        widget=forms.FileInput(attrs={"accept": ".se,.si,.sie,.csv,.txt,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Preview without saving"),
        required=False,
        help_text=_("Check the file and see what it would change; nothing is saved."),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(megabytes)s MB.")
                % {"megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
