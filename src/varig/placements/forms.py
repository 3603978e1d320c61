"""Forms of the placement pages. They parse input; the services decide what is allowed."""

import datetime

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from varig.core.forms import DateInput, version_field
from varig.customers.models import JobCustomer
from varig.employers.forms import CompanyPickerField
from varig.employers.models import CompanyContact

from . import services
from .models import WORK_KINDS, Agreement, FollowUp, Placement, TierChange
from .selectors import company_contacts_for_choice


def _field(model, name: str, **kwargs):
    """The model field's own form field (label, choices, help text), with overrides."""
    field = model._meta.get_field(name)
    if field.get_internal_type() == "DateField":
        kwargs.setdefault("widget", DateInput)
    if field.get_internal_type() == "DecimalField":
        # Danish users type a decimal comma ("7,5").
        kwargs.setdefault("localize", True)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
    return field.formfield(**kwargs)


def _placement_field(name: str, **kwargs):
    return _field(Placement, name, **kwargs)


class ContactChoiceMixin:
    """Limits the contact select to the chosen company's active contacts, and checks hours,
    wage and planned end early so every error shows at once (the service checks them again)."""

    def clean_hours_per_week(self):
        hours = self.cleaned_data.get("hours_per_week")
        if hours is not None and not (0 < hours <= services.MAX_HOURS):
            raise forms.ValidationError(services.HOURS_RANGE)
        return hours

    def clean_hourly_wage(self):
        wage = self.cleaned_data.get("hourly_wage")
        if wage is not None and wage < 0:
            raise forms.ValidationError(services.WAGE_NEGATIVE)
        return wage

    def clean(self):
        cleaned = super().clean()
        planned_end, started = cleaned.get("planned_end_on"), cleaned.get("started_on")
        kind = cleaned.get("kind")
        if planned_end is not None and "planned_end_on" in self.fields:
            if kind and kind != Placement.Kind.PRAKTIK:
                self.add_error("planned_end_on", services.PLANNED_END_ONLY_PRAKTIK)
            elif started and planned_end < started:
                self.add_error("planned_end_on", services.PLANNED_END_BEFORE_START)
        return cleaned

    def limit_contacts(self, company_id, current_pk=None):
        self.fields["contact"].queryset = company_contacts_for_choice(
            company_id=company_id, on=timezone.localdate(), include_pk=current_pk
        )


class PlacementCreateForm(ContactChoiceMixin, forms.Form):
    job_customer = forms.ModelChoiceField(
        label=_("Job customer"),
        queryset=JobCustomer.objects.all(),
        to_field_name="ref",
        widget=forms.TextInput,
        help_text=_("The job customer's reference, e.g. JK-00012."),
        error_messages={"invalid_choice": _("There is no job customer with this reference.")},
    )
    company = CompanyPickerField(label=_("Company"))
    kind = _placement_field("kind")
    started_on = _placement_field("started_on")
    planned_end_on = _placement_field("planned_end_on", help_text=_("Only for a praktik."))
    hours_per_week = _placement_field("hours_per_week", help_text=_("More than 0, at most 48."))
    hourly_wage = _placement_field("hourly_wage")
    tasks = _placement_field(
        "tasks", label=_("Work tasks"), widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=CompanyContact.objects.none(),
        required=False,
        empty_label=_("(none chosen)"),
        help_text=_("The company's active contacts."),
        error_messages={
            "invalid_choice": _("Choose one of the chosen company's active contact persons.")
        },
    )
    desired_job = _placement_field("desired_job")
    tier = _placement_field("tier")
    yearly_followups = _placement_field("yearly_followups")

    def __init__(
        self,
        *args,
        job_customer: JobCustomer | None = None,
        suggested_companies=(),
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.job_customer_fixed = job_customer
        if job_customer is not None:
            self.fields["job_customer"].widget = forms.HiddenInput()
            self.initial["job_customer"] = job_customer.ref
        self.fields["company"].suggest(suggested_companies)
        # Choosing a company reloads the contact options (htmx; the form works without it), and
        # so does a search that replaced the company options (the choice is then empty).
        self.fields["company"].widget.attrs.update(
            {
                "hx-get": reverse("placements:contact_options"),
                "hx-trigger": "change, htmx:afterSwap",
                "hx-target": "#id_contact",
                "hx-swap": "innerHTML",
            }
        )
        company_id = self.data.get("company") if self.is_bound else self.initial.get("company")
        try:
            company_id = int(company_id) if company_id else None
        except (TypeError, ValueError):
            company_id = None
        self.limit_contacts(company_id)


class PlacementEditForm(ContactChoiceMixin, forms.Form):
    version = version_field()
    kind = _placement_field("kind")
    started_on = _placement_field("started_on")
    planned_end_on = _placement_field("planned_end_on", help_text=_("Only for a praktik."))
    hours_per_week = _placement_field("hours_per_week", help_text=_("More than 0, at most 48."))
    hourly_wage = _placement_field("hourly_wage")
    tasks = _placement_field(
        "tasks", label=_("Work tasks"), widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=CompanyContact.objects.none(),
        required=False,
        empty_label=_("(none chosen)"),
        error_messages={"invalid_choice": _("Choose one of the company's active contact persons.")},
    )
    desired_job = _placement_field("desired_job")
    yearly_followups = _placement_field("yearly_followups")

    def __init__(self, *args, placement: Placement, **kwargs):
        initial = {
            name: getattr(placement, name)
            for name in (
                "kind",
                "started_on",
                "planned_end_on",
                "hours_per_week",
                "hourly_wage",
                "tasks",
                "contact",
                "desired_job",
                "yearly_followups",
                "version",
            )
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.limit_contacts(placement.company_id, current_pk=placement.contact_id)
        if placement.kind != Placement.Kind.PRAKTIK and placement.planned_end_on is None:
            del self.fields["planned_end_on"]  # only a praktik has a planned end
        if placement.kind == Placement.Kind.PRAKTIK:
            self.fields["kind"].choices = [
                c for c in Placement.Kind.choices if c[0] == Placement.Kind.PRAKTIK
            ]
        else:
            self.fields["kind"].choices = [c for c in Placement.Kind.choices if c[0] in WORK_KINDS]


class PlacementEndForm(forms.Form):
    ended_on = _placement_field("ended_on", required=True)
    reason_category = forms.ChoiceField(
        label=_("End reason"),
        choices=[("", "---------")]
        + [c for c in Placement.EndReason.choices if c[0] != Placement.EndReason.CONVERTED],
    )
    reason = _placement_field("end_reason", widget=forms.Textarea(attrs={"rows": 3}))
    lessons_learned = _placement_field(
        "lessons_learned",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the next placement can build on."),
    )
    replacement_wanted = forms.BooleanField(
        label=_("Re-placement wanted (creates a task for the advisor)"), required=False
    )


class PraktikConvertForm(ContactChoiceMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of employment"),
        choices=[c for c in Placement.Kind.choices if c[0] in WORK_KINDS],
    )
    started_on = _placement_field(
        "started_on",
        label=_("Employment starts"),
        help_text=_("The praktik ends the day before."),
    )
    hours_per_week = _placement_field("hours_per_week", help_text=_("More than 0, at most 48."))
    hourly_wage = _placement_field("hourly_wage")
    tasks = _placement_field(
        "tasks", label=_("Work tasks"), widget=forms.Textarea(attrs={"rows": 3})
    )
    contact = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=CompanyContact.objects.none(),
        required=False,
        empty_label=_("(none chosen)"),
    )
    desired_job = _placement_field("desired_job")
    tier = _placement_field("tier")
    yearly_followups = _placement_field("yearly_followups")

    def __init__(self, *args, praktik: Placement, **kwargs):
        initial = {
            "started_on": (
                praktik.planned_end_on + datetime.timedelta(days=1)
                if praktik.planned_end_on
                else None
            ),
            "hours_per_week": praktik.hours_per_week,
            "tasks": praktik.tasks,
            "contact": praktik.contact_id,
            "desired_job": praktik.desired_job,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.limit_contacts(praktik.company_id, current_pk=praktik.contact_id)


class TierChangeForm(forms.Form):
    tier = _placement_field("tier")
    changed_on = _field(TierChange, "changed_on", label=_("Changed on"))
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example a better wage, more hours, a permanent contract."),
    )


def _agreement_field(name: str):
    return forms.ChoiceField(
        label=capfirst(FollowUp._meta.get_field(name).verbose_name),
        choices=[("", _("Not discussed")), *Agreement.choices],
        required=False,
        widget=forms.RadioSelect,
    )


class FollowUpRecordForm(forms.Form):
    version = version_field()
    held_on = _field(FollowUp, "held_on", required=True)
    with_job_customer = _field(FollowUp, "with_job_customer")
    with_company_contact = _field(FollowUp, "with_company_contact")
    with_advisor = _field(FollowUp, "with_advisor")
    consent_override_reason = forms.CharField(
        label=_("Reason for meeting the company without consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the job customer has not given consent to contact this company. "
            "The reason is written to the job customer's timeline."
        ),
    )
    hours_kept = _agreement_field("hours_kept")
    tasks_kept = _agreement_field("tasks_kept")
    other_kept = _agreement_field("other_kept")
    accommodations_note = _field(
        FollowUp, "accommodations_note", widget=forms.Textarea(attrs={"rows": 2})
    )
    wellbeing = forms.TypedChoiceField(
        label=_("Wellbeing"),
        choices=[("", _("Not discussed")), *FollowUp.Wellbeing.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    wants_more_hours = _field(FollowUp, "wants_more_hours")
    wants_new_tasks = _field(FollowUp, "wants_new_tasks")
    wants_upskilling = _field(FollowUp, "wants_upskilling")
    development_outcome = _field(
        FollowUp, "development_outcome", widget=forms.Textarea(attrs={"rows": 3})
    )
    agreed_actions = _field(
        FollowUp,
        "agreed_actions",
        label=_("Who does what, and by when"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, followup: FollowUp, consent_ok: bool = True, **kwargs):
        if followup.status == FollowUp.Status.HELD:
            initial = {name: getattr(followup, name, "") for name in self.base_fields}
        else:
            initial = {
                "held_on": min(followup.due_on, timezone.localdate()),
                "with_job_customer": True,
                "with_advisor": True,
                # Three-party meetings include the company, when the person has agreed to it.
                "with_company_contact": consent_ok
                and followup.placement_id is not None
                and followup.kind != FollowUp.Kind.FIRST_TALK,
            }
        initial.pop("consent_override_reason", None)
        initial["version"] = followup.version
        super().__init__(*args, initial=initial, **kwargs)

    def agreement_fields(self):
        """Hours, tasks and other accommodations: yes / partly / no."""
        return [self["hours_kept"], self["tasks_kept"], self["other_kept"]]


class FollowUpCancelForm(forms.Form):
    cancel_reason = forms.CharField(
        label=_("Why is it dropped?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the person has moved on, or the meeting is no longer needed."),
        error_messages={"required": services.CANCEL_REASON_REQUIRED},
    )
