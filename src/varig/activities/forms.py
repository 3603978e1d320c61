from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from varig.core.forms import DateInput
from varig.core.models import User

from .models import Activity, NetworkGroup, Run, Session, Upskilling, UpskillingKind
from .services import (
    COMPLETED_BEFORE_START,
    MEETING_ENDS_BEFORE_START,
    SESSION_ENDS_BEFORE_START,
    UPSKILLING_END_BEFORE_START,
)

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def staff_choices():
    return User.objects.filter(is_active=True, groups__isnull=False).distinct().order_by("name")


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "name",
            "strand",
            "description",
            "topics",
            "sessions_planned",
            "hours_per_session",
            "default_capacity",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "topics": forms.Textarea(attrs={"rows": 6}),
        }


class RunForm(forms.ModelForm):
    class Meta:
        model = Run
        fields = ["title", "leader", "capacity", "place", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = staff_choices()
        capacity = self.fields["capacity"]
        capacity.validators += [MinValueValidator(1), MaxValueValidator(500)]
        capacity.widget.attrs.update({"min": 1, "max": 500})


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "starts_at", "ends_at", "place", "leader", "topic"]
        widgets = {"date": DateInput(), "starts_at": TIME_WIDGET, "ends_at": TIME_WIDGET}

    def __init__(self, *args, topics: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = staff_choices()
        if topics:
            self.fields["topic"].widget.attrs["list"] = "topics"
        self.topics = topics or []

    def clean(self):
        data = super().clean()
        _check_times(self, data, SESSION_ENDS_BEFORE_START)
        return data


def _check_times(form, data, message) -> None:
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts is not None and ends is not None and ends <= starts:
        form.add_error("ends_at", message)


class EnrollByRefForm(forms.Form):
    ref = forms.CharField(
        label=_("Job customer's reference"),
        max_length=40,
        help_text=_("For example JK-000123. Only persons you may see can be enrolled."),
    )

    def clean_ref(self):
        return self.cleaned_data["ref"].strip().upper()


class EnrollRunForm(forms.Form):
    run = forms.ModelChoiceField(label=_("Run"), queryset=Run.objects.none())

    def __init__(self, *args, runs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = runs if runs is not None else Run.objects.none()
        self.fields["run"].label_from_instance = _run_label


def _run_label(run: Run) -> str:
    places = _("%(taken)s of %(capacity)s places taken") % {
        "taken": getattr(run, "enrolled_count", 0),
        "capacity": run.capacity,
    }
    when = f" · {run.first_on:%d-%m-%Y}" if getattr(run, "first_on", None) else ""
    return f"{run}{when} · {places}"


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput(), required=False)


class RecommendationForm(forms.Form):
    activity = forms.ModelChoiceField(
        label=_("Activity or course"), queryset=Activity.objects.filter(is_active=True)
    )
    run = forms.ModelChoiceField(
        label=_("Run"),
        queryset=Run.objects.none(),
        required=False,
        help_text=_("Optional: a particular run of the activity."),
    )
    note = forms.CharField(
        label=_("Why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the person can gain from it. Never a diagnosis."),
    )

    def __init__(self, *args, runs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = runs if runs is not None else Run.objects.none()
        self.fields["run"].label_from_instance = _run_label


class UpskillingForm(forms.ModelForm):
    certificate = forms.FileField(
        label=_("Certificate"),
        required=False,
        help_text=_("A PDF, JPEG or PNG file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    class Meta:
        model = Upskilling
        fields = ["kind", "title", "provider", "started_on", "ended_on", "completed_on", "note"]
        widgets = {
            "started_on": DateInput(),
            "ended_on": DateInput(),
            "completed_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = UpskillingKind.choices

    def clean(self):
        data = super().clean()
        started, ended, completed = (
            data.get("started_on"),
            data.get("ended_on"),
            data.get("completed_on"),
        )
        if started and ended and ended < started:
            self.add_error("ended_on", UPSKILLING_END_BEFORE_START)
        if started and completed and completed < started:
            self.add_error("completed_on", COMPLETED_BEFORE_START)
        return data


class NetworkGroupForm(forms.ModelForm):
    class Meta:
        model = NetworkGroup
        fields = ["name", "job_types", "description", "facilitator", "max_members"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = staff_choices()


class MemberAddForm(forms.Form):
    ref = forms.CharField(label=_("Job customer's reference"), max_length=40)
    joined_on = forms.DateField(label=_("Joined"), widget=DateInput())

    def clean_ref(self):
        return self.cleaned_data["ref"].strip().upper()


class MemberEndForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Starts"), widget=TIME_WIDGET)
    ends_at = forms.TimeField(label=_("Ends"), widget=TIME_WIDGET)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    topic = forms.CharField(label=_("Topic"), required=False, max_length=200)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the group talked about; no personal details."),
    )

    def clean(self):
        data = super().clean()
        _check_times(self, data, MEETING_ENDS_BEFORE_START)
        return data


class ReportFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
