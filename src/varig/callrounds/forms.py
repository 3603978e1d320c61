import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.forms import DateInput
from varig.core.models import Role, User

from .models import Call, CallAttempt, Campaign
from .services import ATTEMPTS_RANGE, CALLERS_REQUIRED, MAX_DAYS, RETRY_RANGE

DEFAULT_DAYS = 14


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


def active_staff():
    return User.objects.filter(is_active=True, groups__name__in=Role.values).distinct()


class CampaignForm(forms.Form):
    """A new call-round: who is called, who calls, and how retries work."""

    name = forms.CharField(label=_("Name"), max_length=120)
    purpose = forms.CharField(
        label=_("What to ask"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to every caller above their list."),
    )
    audience = forms.ChoiceField(
        label=_("Who is called"),
        choices=Campaign.Audience.choices,
        initial=Campaign.Audience.ASSOCIATED,
        widget=forms.RadioSelect,
    )
    advisor = StaffChoiceField(
        label=_("Only the caseload of"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Every advisor"),
    )
    callers = StaffMultipleChoiceField(
        label=_("Who makes the calls"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": CALLERS_REQUIRED},
        help_text=_(
            "The list is shared out evenly; each person goes to their own advisor first, "
            "as far as the even share allows."
        ),
    )
    ends_on = forms.DateField(
        label=_("Last day"),
        widget=DateInput,
        help_text=_("Colleagues calling outside their caseload see the persons until then."),
    )
    max_attempts = forms.IntegerField(
        label=_("Attempts before giving up"),
        min_value=1,
        max_value=10,
        initial=3,
        error_messages={"min_value": ATTEMPTS_RANGE, "max_value": ATTEMPTS_RANGE},
    )
    retry_after_days = forms.IntegerField(
        label=_("Days before trying again"),
        min_value=0,
        max_value=14,
        initial=1,
        error_messages={"min_value": RETRY_RANGE, "max_value": RETRY_RANGE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = active_staff().prefetch_related("groups").order_by("name", "pk")
        self.fields["callers"].queryset = staff
        self.fields["advisor"].queryset = User.objects.advisors()
        if not self.is_bound:
            self.initial.setdefault(
                "ends_on", timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS)
            )
            self.initial.setdefault("callers", [u.pk for u in staff if u.has_role(Role.ADVISOR)])
        self.fields["ends_on"].help_text = _(
            "At most %(days)s days. Colleagues calling outside their caseload see the persons "
            "until then."
        ) % {"days": MAX_DAYS}


class CallOutcomeForm(forms.Form):
    """How one attempt at a call went."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=CallAttempt.Outcome.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the person needs help: it goes to their advisor as a task."),
    )


class CallFilterForm(forms.Form):
    """The campaign page's call list: by status and caller (choices from the page's callers,
    so the form costs no query)."""

    STATUS_CHOICES = [
        ("", _("All calls")),
        ("to_do", _("Still to call")),
        ("done", _("Done")),
        *Call.Status.choices,
    ]
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    caller = forms.TypedChoiceField(label=_("Caller"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, callers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caller"].choices = [("", _("Everyone"))] + [
            (c.pk, c.name or c.email) for c in callers
        ]


class HandOverForm(forms.Form):
    """Move one caller's remaining calls to a colleague (someone fell ill)."""

    from_caller = forms.TypedChoiceField(label=_("The calls of"), coerce=int)
    to_caller = forms.TypedChoiceField(label=_("Hand them to"), coerce=int)

    def __init__(self, *args, callers=(), staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_caller"].choices = [(c.pk, c.name or c.email) for c in callers]
        self.fields["to_caller"].choices = [(u.pk, u.name or u.email) for u in staff]
