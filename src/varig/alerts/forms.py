"""Forms for the early warnings and periods. They validate input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.customers.forms import date_field

from .models import Flag, Period

STATUS_OPEN = "open"
STATUS_RESOLVED = "resolved"
STATUS_LAPSED = "lapsed"


class FlagResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Write what was done.")},
    )


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Period.Kind.choices)
    started_on = date_field(label=_("From"))
    ended_on = date_field(label=_("Until"), required=False, help_text=_("Empty while it lasts."))
    sick_leave_days = forms.IntegerField(
        label=_("Sick-leave days"), min_value=0, max_value=3660, required=False, initial=0
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for the organisation; never shown to a company or sent by e-mail."),
    )
    plan_extra_contact = forms.BooleanField(
        label=_("Plan extra contact within a week (a task for the advisor)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("started_on", timezone.localdate())


class PeriodEndForm(forms.Form):
    ended_on = date_field(label=_("Last day"))
    sick_leave_days = forms.IntegerField(
        label=_("Sick-leave days in all"), min_value=0, max_value=3660, required=False
    )


class FlagFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Flag.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (STATUS_OPEN, _("Open")),
            (STATUS_RESOLVED, _("Resolved")),
            (STATUS_LAPSED, _("No longer applies")),
        ],
    )
    advisor = forms.ChoiceField(label=_("Advisor"), required=False)

    def __init__(self, *args, advisors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].choices = [
            ("mine", _("My caseload")),
            ("all", _("All advisors")),
            *[(str(a.pk), a.name) for a in advisors],
        ]
