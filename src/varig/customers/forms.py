"""Forms for job customers. They validate input; the services decide and save."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from varig.core.forms import DateInput, OnceModelChoiceField, VersionedModelForm
from varig.core.inputs import is_digits
from varig.core.models import Role, User
from varig.employers.forms import CompanyPickerField

from .models import (
    Accommodation,
    Consent,
    ContactKind,
    CustomerStatus,
    Goal,
    GoalStatus,
    GuidanceSession,
    HealthInfo,
    JobCustomer,
    JobWishes,
    Plan,
    ReadinessAssessment,
    Task,
)
from .selectors import ADVISOR_ALL, ADVISOR_MINE, ADVISOR_NONE, LIST_SORTS
from .services import (
    ASSOCIATION_ORDER,
    BIRTH_DATE_IN_FUTURE,
    EXPIRES_BEFORE_GIVEN,
    HOURS_PER_DAY_RANGE,
    HOURS_PER_WEEK_RANGE,
    INTAKE_FIELDS,
    POSTCODE_INVALID,
)

DATE_INPUT_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
IMPOSSIBLE_DATE = _("Enter a real date as dd-mm-yyyy.")


def date_field(**kwargs) -> forms.DateField:
    return forms.DateField(
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": IMPOSSIBLE_DATE},
        **kwargs,
    )


class DateFieldsMixin:
    """Every model date field as a text field that reads dd-mm-åååå and says so on errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.input_formats = DATE_INPUT_FORMATS
                field.error_messages["invalid"] = IMPOSSIBLE_DATE


class CaseloadFilterForm(forms.Form):
    """The caseload list's search, filters and sorting (GET)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name or reference"), "autocomplete": "off"}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *CustomerStatus.choices],
    )
    advisor = forms.ChoiceField(label=_("Advisor"), required=False)
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in LIST_SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args, user, advisors, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if user.is_advisor:
            choices.append((ADVISOR_MINE, _("My caseload")))
        choices.append((ADVISOR_ALL, _("All advisors")))
        choices.append((ADVISOR_NONE, _("No advisor")))
        choices += [(str(a.pk), a.name) for a in advisors]
        self.fields["advisor"].choices = choices


class JobCustomerForm(DateFieldsMixin, VersionedModelForm):
    """The intake: every fact about the person except health data."""

    class Meta:
        model = JobCustomer
        fields = list(INTAKE_FIELDS)
        widgets = {
            "education": forms.Textarea(attrs={"rows": 3}),
            "work_experience": forms.Textarea(attrs={"rows": 3}),
            "competences": forms.Textarea(attrs={"rows": 3}),
            "postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "pattern": "[0-9]{4}", "size": 4}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ref"].required = False
        self.fields["ref"].help_text = _("Leave empty to get the next number automatically.")
        self.fields["advisor"].queryset = User.objects.advisors()
        self.fields["advisor"].label = _("Responsible advisor")
        self.fields["advisor"].empty_label = _("No advisor yet")
        self.fields["extra_followup_weeks"].min_value = 1
        self.fields["extra_followup_weeks"].max_value = 52
        self.fields["extra_followup_weeks"].widget.attrs.update({"min": 1, "max": 52})
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("associated_from", timezone.localdate())

    # The service checks these too; checking here shows every error at once.
    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(BIRTH_DATE_IN_FUTURE)
        return value

    def clean_postcode(self):
        value = (self.cleaned_data.get("postcode") or "").strip()
        if value and not (len(value) == 4 and is_digits(value)):
            raise forms.ValidationError(POSTCODE_INVALID)
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("associated_from"), cleaned.get("associated_until")
        if start and end and end < start:
            self.add_error("associated_until", ASSOCIATION_ORDER)
        return cleaned

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in INTAKE_FIELDS}


class ReadinessForm(DateFieldsMixin, forms.ModelForm):
    prefix = "readiness"

    class Meta:
        model = ReadinessAssessment
        fields = ["area", "rating", "assessed_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("assessed_on", timezone.localdate())


def _check_hours(value, *, maximum: int, message):
    # Checked here too so the model's range constraint never shows its technical message.
    if value is not None and not (0 < value <= maximum):
        raise forms.ValidationError(message)
    return value


class JobWishesForm(VersionedModelForm):
    prefix = "wishes"

    class Meta:
        model = JobWishes
        fields = [
            "wished_jobs",
            "wished_industries",
            "wished_hours_per_week",
            "preferred_job_type",
            "dream_job",
        ]
        widgets = {
            "wished_jobs": forms.Textarea(attrs={"rows": 2}),
            "wished_industries": forms.Textarea(attrs={"rows": 2}),
            "dream_job": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_wished_hours_per_week(self):
        value = self.cleaned_data.get("wished_hours_per_week")
        return _check_hours(value, maximum=48, message=HOURS_PER_WEEK_RANGE)


class AccommodationForm(DateFieldsMixin, forms.ModelForm):
    prefix = "accommodation"

    class Meta:
        model = Accommodation
        fields = [
            "valid_from",
            "max_hours_per_week",
            "max_hours_per_day",
            "tasks_to_avoid",
            "environment",
            "fixed_contact_person",
            "other",
            "employer_text",
        ]
        widgets = {
            "tasks_to_avoid": forms.Textarea(attrs={"rows": 2}),
            "environment": forms.Textarea(attrs={"rows": 2}),
            "other": forms.Textarea(attrs={"rows": 2}),
            "employer_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("valid_from", timezone.localdate())

    def clean_max_hours_per_week(self):
        value = self.cleaned_data.get("max_hours_per_week")
        return _check_hours(value, maximum=48, message=HOURS_PER_WEEK_RANGE)

    def clean_max_hours_per_day(self):
        value = self.cleaned_data.get("max_hours_per_day")
        return _check_hours(value, maximum=24, message=HOURS_PER_DAY_RANGE)


class ConsentForm(DateFieldsMixin, forms.ModelForm):
    """A consent about one company; the companies the person is connected to are offered
    first, any other is found with the picker's search."""

    prefix = "consent"

    company = CompanyPickerField(label=capfirst(Consent._meta.get_field("company").verbose_name))

    class Meta:
        model = Consent
        fields = [
            "company",
            "may_contact",
            "share_accommodations",
            "share_work_situation",
            "shared_details",
            "given_on",
            "expires_on",
        ]
        widgets = {"shared_details": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].suggest(companies)
        self.initial.setdefault("given_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        given, expires = cleaned.get("given_on"), cleaned.get("expires_on")
        if given and expires and expires < given:
            self.add_error("expires_on", EXPIRES_BEFORE_GIVEN)
        return cleaned


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = date_field(label=_("Withdrawn on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("withdrawn_on", timezone.localdate())


class HealthForm(VersionedModelForm):
    prefix = "health"

    class Meta:
        model = HealthInfo
        fields = ["diagnosis", "health_notes"]
        widgets = {
            "diagnosis": forms.Textarea(attrs={"rows": 2}),
            "health_notes": forms.Textarea(attrs={"rows": 4}),
        }


class ContactNoteForm(forms.Form):
    """A note or contact for the timeline; `company` brings in the consent rule."""

    prefix = "note"

    kind = forms.ChoiceField(label=_("Kind"), choices=ContactKind.choices)
    occurred_on = date_field(label=_("Date"))
    occurred_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"placeholder": _("hh:mm"), "inputmode": "numeric"}),
        help_text=_("Empty means now (or midday on an earlier day)."),
    )
    company = CompanyPickerField(label=_("With company"), required=False)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    consent_override_reason = forms.CharField(
        label=_("Reason for contact without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the person has not given consent to contact the company. "
            "The reason is shown in the timeline and written to the audit log."
        ),
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        # Any company may be chosen (a first contact needs an override); the companies the
        # person is connected to are offered before any search.
        self.fields["company"].suggest(companies)
        self.initial.setdefault("occurred_on", timezone.localdate())

    def occurred_at(self) -> datetime.datetime:
        day = self.cleaned_data["occurred_on"]
        time = self.cleaned_data.get("occurred_time")
        now = timezone.localtime()
        if time is None:
            if day == now.date():
                return now
            time = datetime.time(12, 0)
        return timezone.make_aware(datetime.datetime.combine(day, time))


class TaskForm(DateFieldsMixin, forms.ModelForm):
    prefix = "task"

    class Meta:
        model = Task
        fields = ["title", "due_on", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = (
            User.objects.filter(is_active=True, groups__name__in=Role.values)
            .distinct()
            .order_by("name")
        )
        self.fields["assigned_to"].empty_label = _("The responsible advisor")
        self.fields["assigned_to"].required = False


# --- The individual plan ------------------------------------------------------------------------


class PlanForm(VersionedModelForm):
    class Meta:
        model = Plan
        fields = ["own_words"]
        widgets = {"own_words": forms.Textarea(attrs={"rows": 4})}


class GoalForm(DateFieldsMixin, VersionedModelForm):
    """A goal or sub-goal; `parent` offers only the plan's main goals (not the goal itself)."""

    class Meta:
        model = Goal
        fields = ["title", "parent", "description", "status", "target_on", "set_by"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, main_goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        parent.queryset = Goal.objects.filter(pk__in=[g.pk for g in main_goals])
        parent.empty_label = _("None: this is a main goal")
        parent.label = _("Sub-goal of")
        parent.help_text = _(
            "A sub-goal is a step on the way, e.g. any retail job first, for the experience."
        )


class GuidanceSessionForm(DateFieldsMixin, forms.ModelForm):
    """A guidance session, with one status and comment field per open goal to review."""

    class Meta:
        model = GuidanceSession
        fields = ["held_on", "topic", "notes", "next_step", "next_session_on"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("held_on", timezone.localdate())
        self.goals = list(goals)
        self.review_rows = []
        for goal in self.goals:
            status_name, comment_name = f"goal_{goal.pk}_status", f"goal_{goal.pk}_comment"
            self.fields[status_name] = forms.ChoiceField(
                label=_("Status"),
                choices=[("", _("Not reviewed")), *GoalStatus.choices],
                required=False,
            )
            self.fields[comment_name] = forms.CharField(
                label=_("Comment"), required=False, max_length=2000
            )
            self.review_rows.append((goal, status_name, comment_name))

    def visible_session_fields(self):
        return [self[name] for name in self.Meta.fields]

    def review_fields(self):
        return [(goal, self[s], self[c]) for goal, s, c in self.review_rows]

    def reviews(self) -> list[tuple]:
        """(goal, status, comment) for each goal given a status in the form."""
        rows = []
        for goal, status_name, comment_name in self.review_rows:
            status = self.cleaned_data.get(status_name)
            if status:
                rows.append((goal, status, self.cleaned_data.get(comment_name) or ""))
        return rows

    def session_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class ShareForm(forms.Form):
    """Share a job customer with a colleague: who, until when (optional) and why."""

    prefix = "share"

    user = OnceModelChoiceField(label=_("Colleague"), queryset=User.objects.none())
    until = date_field(
        label=_("Until and including"),
        required=False,
        help_text=_("Empty: until the share is ended."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("E.g. covering during a holiday, or help finding a job."),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["user"].queryset = candidates
