from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ONLY_CSV_OR_XLSX = _("Choose .csv files or one .xlsx workbook.")
ONE_WORKBOOK = _("Upload either CSV files or one .xlsx workbook, not both.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not data:
                return [single(None, initial)]
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "Select the folder's CSV files (advisors.csv, job_customers.csv, companies.csv, "
            "placements.csv) together, or one .xlsx workbook with a sheet per file."
        ),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        suffixes = [Path(f.name).suffix.lower() for f in files]
        if any(s not in (".csv", ".xlsx") for s in suffixes):
            raise ValidationError(ONLY_CSV_OR_XLSX, code="file_type")
        if ".xlsx" in suffixes and len(files) > 1:
            raise ValidationError(ONE_WORKBOOK, code="mixed")
        return files
