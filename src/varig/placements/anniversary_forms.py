"""Forms of the anniversary pages ("Godt Gået")."""

from django import forms
from django.utils.translation import gettext_lazy as _

from varig.core.forms import version_field
from varig.customers.forms import date_field

from .models import Celebration


class CelebrationForm(forms.Form):
    version = version_field()
    celebrate_on = date_field(label=_("Date of the celebration"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Celebration.Status.choices)
    invite_company = forms.BooleanField(label=_("Invite the company"), required=False)
    invite_colleagues = forms.BooleanField(label=_("Invite colleagues"), required=False)
    invite_relatives = forms.BooleanField(label=_("Invite relatives"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    consent_override_reason = forms.CharField(
        label=_("Reason for inviting the company without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the person has not given consent to contact the company."),
    )


class AnniversaryFilterForm(forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("upcoming", _("The next 90 days")), ("past", _("The last 90 days"))],
    )
    advisor = forms.ChoiceField(label=_("Advisor"), required=False)

    def __init__(self, *args, advisors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advisor"].choices = [
            ("mine", _("My caseload")),
            ("all", _("All advisors")),
            *[(str(a.pk), a.name) for a in advisors],
        ]
