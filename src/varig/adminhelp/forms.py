"""Forms of the admin-help tasks; the services validate again and own every rule."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.forms import DateInput, OnceModelChoiceField, version_field

from .models import TaskKind, TaskStatus
from .services import DUE_REQUIRED, RESPONSIBLE_REQUIRED, UNKNOWN_KIND, responsible_candidates

DEFAULT_DAYS = 14


def _responsible_field():
    return OnceModelChoiceField(
        label=_("Responsible advisor"),
        queryset=responsible_candidates(),
        error_messages={"required": RESPONSIBLE_REQUIRED},
    )


def _due_field():
    return forms.DateField(
        label=_("Due date"),
        widget=DateInput,
        error_messages={"required": DUE_REQUIRED},
        help_text=_("The task shows on “I dag” from this day until it is done."),
    )


def _notes_field():
    return forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What was agreed, with whom at the authority, case numbers. Never a diagnosis."
        ),
    )


class TaskCreateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is the task about?"),
        choices=TaskKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": UNKNOWN_KIND, "invalid_choice": UNKNOWN_KIND},
    )
    due_on = _due_field()
    responsible = _responsible_field()
    notes = _notes_field()

    def __init__(self, *args, job_customer=None, actor=None, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "due_on", timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS)
            )
            if kind in TaskKind.values:
                self.initial.setdefault("kind", kind)
            if job_customer is not None and job_customer.advisor_id:
                self.initial.setdefault("responsible", job_customer.advisor_id)
            elif actor is not None:
                self.initial.setdefault("responsible", actor.pk)


class TaskEditForm(forms.Form):
    due_on = _due_field()
    responsible = _responsible_field()
    notes = _notes_field()
    version = version_field()

    def __init__(self, *args, task, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "due_on": task.due_on,
                "responsible": task.responsible_id,
                "notes": task.notes,
                "version": task.version,
            },
        )
        super().__init__(*args, **kwargs)


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    version = version_field()


class ChecklistItemForm(forms.Form):
    done = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )
