from django import forms
from django.utils.translation import gettext_lazy as _

from varig.core.forms import DateInput
from varig.core.models import User

from .selectors import ACTIONS
from .services import REASON_REQUIRED, REJECT_NOTE_REQUIRED

PERIOD_ORDER = _("The end of the period must not be before its start.")


class AuditFilterForm(forms.Form):
    """The audit page's search: person (reference or name), user, action, period."""

    person = forms.CharField(
        label=_("Job customer"),
        required=False,
        max_length=100,
        help_text=_("Reference or name."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    job_customer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    actor = forms.ChoiceField(label=_("User"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[
            ("", _("All")),
            ("read", _("Read")),
            ("create", _("Created")),
            ("update", _("Changed")),
            ("delete", _("Deleted")),
        ],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, users=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The users come in as a list (one query, made by the view), shown by name.
        self.fields["actor"].choices = [("", _("Everyone"))] + [
            (u.pk, f"{u.name} ({u.email})" if u.name else u.email) for u in users
        ]
        self._users = {u.pk: u for u in users}

    def clean_actor(self) -> User | None:
        # The choice was checked against the list already loaded: no second query.
        value = self.cleaned_data.get("actor")
        return self._users.get(int(value)) if value else None

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", PERIOD_ORDER)
        return data

    @property
    def action_code(self) -> int | None:
        return ACTIONS.get(self.cleaned_data.get("action") or "")


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        error_messages={"required": REASON_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Why the person is to be erased (their request, the retention period …). "
            "Do not write their name: the reason is kept after the erasure."
        ),
    )


class ErasureApproveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the request: erase the person now. This cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class ErasureRejectForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the request rejected or withdrawn?"),
        max_length=2000,
        error_messages={"required": REJECT_NOTE_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
