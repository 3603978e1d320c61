"""Forms for companies, contact persons and company notes.

Forms check the shape of the input; the services check the rules (valid and unique CVR, last
day after first day) so every interface gets the same messages. That is why the model forms
below skip Django's own unique/constraint checks: the service reports those, naming the
company that already has the CVR instead of a generic constraint message.
"""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.forms import DateInput, VersionedModelForm
from varig.core.inputs import is_digits, query_pk
from varig.core.models import Role, User

from . import services
from .models import Company, CompanyContact, CompanyNote, SupportRequest
from .selectors import COMPANY_SORTS


class _ServiceValidatedMixin:
    """Leave uniqueness and constraints to the service (see the module docstring)."""

    def validate_unique(self):
        pass

    def validate_constraints(self):
        pass


class CompanyForm(_ServiceValidatedMixin, VersionedModelForm):
    # Wider than the stored 8 digits: people type "12 34 56 78" or "DK12345678".
    cvr = forms.CharField(
        label=_("CVR number"),
        max_length=20,
        required=False,
        help_text=_("Optional. 8 digits; spaces are fine."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    ref = forms.CharField(
        label=_("Reference"),
        max_length=40,
        required=False,
        help_text=_("Leave blank to get the next number automatically."),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=4,
        required=False,
        validators=[RegexValidator(r"^\d{4}$", services.POSTCODE_INVALID)],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    employees = forms.IntegerField(
        label=_("Number of employees"),
        min_value=0,
        required=False,
        error_messages={"min_value": services.EMPLOYEES_NEGATIVE},
    )

    class Meta:
        model = Company
        fields = [
            "name",
            "cvr",
            "industry",
            "address",
            "postcode",
            "city",
            "employees",
            "offered_jobs",
            "strengths",
            "notes",
            "ref",
            "consultant",
        ]
        widgets = {
            "offered_jobs": forms.Textarea(attrs={"rows": 4}),
            "strengths": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 4}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }
        error_messages = {"name": {"required": services.NAME_REQUIRED}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["ref"].help_text = _("Leave blank to keep the current reference.")
        consultant = self.fields["consultant"]
        consultant.queryset = (
            User.objects.filter(is_active=True, groups__name__in=[Role.CONSULTANT, Role.ADVISOR])
            .distinct()
            .order_by("name", "pk")
        )
        consultant.empty_label = _("Nobody yet")
        consultant.error_messages["invalid_choice"] = services.CONSULTANT_INVALID

    def clean_cvr(self):
        try:
            return services.cvr_clean(self.cleaned_data["cvr"])
        except ValidationError as exc:
            raise ValidationError(exc.error_dict["cvr"]) from exc

    def service_kwargs(self) -> dict:
        """The cleaned data as the company services' keyword arguments."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return data


class ContactForm(_ServiceValidatedMixin, VersionedModelForm):
    class Meta:
        model = CompanyContact
        fields = ["name", "role", "phone", "email", "is_mentor", "active_from", "active_until"]
        widgets = {
            "active_from": DateInput(),
            "active_until": DateInput(),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        }
        error_messages = {"name": {"required": services.CONTACT_NAME_REQUIRED}}
        help_texts = {
            "role": _("For example owner, shop manager or mentor."),
            "active_until": _("Last day at the company. Leave blank while they are there."),
        }

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContactEndForm(forms.Form):
    active_until = forms.DateField(
        label=_("Last day at the company"),
        widget=DateInput(),
        help_text=_("The placements with this contact person will be flagged for a new one."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("active_until", timezone.localdate())


class OnboardingForm(forms.Form):
    """That the company was told about one offer (or about all the missing ones): when and how."""

    told_on = forms.DateField(
        label=_("Told on"),
        widget=DateInput(),
        error_messages={"required": services.TOLD_ON_REQUIRED},
    )
    note = forms.CharField(
        label=_("How"),
        max_length=200,
        required=False,
        help_text=_("For example: at the first meeting, by phone, with the welcome pack."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("told_on", timezone.localdate())


class CompanyNoteForm(forms.ModelForm):
    class Meta:
        model = CompanyNote
        fields = ["text"]
        labels = {"text": _("New note")}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": services.NOTE_EMPTY}}


class CompanyFilterForm(forms.Form):
    """The list's search, industry filter and sort order (all optional, never invalid)."""

    q = forms.CharField(label=_("Search"), required=False, widget=forms.SearchInput)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in COMPANY_SORTS])

    def __init__(self, *args, industries: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {
                "placeholder": _("Name, CVR, industry or postcode"),
                "autocomplete": "off",
            }
        )
        self.fields["industry"].choices = [("", _("All industries"))] + [
            (name, name) for name in industries
        ]

    def values(self) -> dict:
        """The valid values; anything invalid falls back to its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": data.get("q", ""),
            "industry": data.get("industry", ""),
            "sort": data.get("sort") or "name",
        }


# --- The company picker -------------------------------------------------------------------------
#
# At national scale a <select> of every company is megabytes of HTML and unusable. The picker
# renders a search box and a real <select> holding only the chosen company and a few
# suggestions; typing asks `employers:company_options` (htmx) for the matching options and
# swaps them into the select. Validation accepts any company by primary key.

PICKER_LIMIT = 20
SUGGESTED_LABEL = _("Suggested")


def company_option_label(company: Company) -> str:
    """A company as one option: its name and, to tell namesakes apart, its postcode and city."""
    place = " ".join(part for part in (company.postcode, company.city) if part)
    return f"{company.name}, {place}" if place else company.name


def picker_ids(name: str) -> dict[str, str]:
    """The ids of the picker's search box and live status, from the select's HTML name (the
    endpoint gets only the name, so both sides derive the ids the same way)."""
    return {"search": f"id_{name}_search", "status": f"id_{name}_status"}


def picker_empty_label(*, required: bool) -> str:
    return _("Choose a company") if required else _("No company")


class CompanyPickerWidget(forms.Select):
    """A search box plus a <select> of only the chosen and the suggested companies."""

    template_name = "employers/widgets/company_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.suggested: list[Company] = []

    def use_required_attribute(self, initial) -> bool:
        # Select's version looks at the first of every company's choices; the rendered list
        # always starts with the empty option, which is what `required` needs.
        return not self.is_hidden

    def rendered_choices(self, value: list[str]) -> list:
        """The empty option, the chosen company (if not suggested) and the suggestions."""
        choices: list = [("", picker_empty_label(required=self.is_required))]
        chosen_pk = next((v for v in value if v), None)
        suggested_pks = {str(c.pk) for c in self.suggested}
        if chosen_pk and chosen_pk not in suggested_pks and is_digits(chosen_pk):
            chosen = (
                Company.objects.filter(pk=int(chosen_pk))
                .only("pk", "name", "postcode", "city")
                .first()
            )
            if chosen is not None:
                choices.append((chosen.pk, company_option_label(chosen)))
        if self.suggested:
            options = [(c.pk, company_option_label(c)) for c in self.suggested]
            choices.append((SUGGESTED_LABEL, options))
        return choices

    def optgroups(self, name, value, attrs=None):
        every, self.choices = self.choices, self.rendered_choices(value)
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = every

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        select_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        ids = picker_ids(name)
        context["widget"]["attrs"]["aria-describedby"] = " ".join(
            part
            for part in (context["widget"]["attrs"].get("aria-describedby"), ids["status"])
            if part
        )
        context["picker"] = {
            "select_id": select_id,
            "search_id": ids["search"],
            "status_id": ids["status"],
            "url": reverse("employers:company_options"),
            "vals": json.dumps(
                {
                    "field": name,
                    "required": "1" if self.is_required else "",
                    "suggested": ",".join(str(c.pk) for c in self.suggested[:PICKER_LIMIT]),
                }
            ),
        }
        return context


class CompanyPickerField(forms.ModelChoiceField):
    """Any company, chosen with the search-as-you-type picker (see above)."""

    widget = CompanyPickerWidget
    default_error_messages = {"invalid_choice": _("Choose a company from the list.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Company"))
        kwargs.setdefault("queryset", Company.objects.all())
        super().__init__(**kwargs)

    def suggest(self, companies) -> None:
        """Offer these companies before any search (e.g. those the person is connected to)."""
        self.widget.suggested = list(companies)[:PICKER_LIMIT]


# --- Support requests ----------------------------------------------------------------------------


class DateTimeInput(forms.DateTimeInput):
    """A text field for a moment: dd-mm-åååå tt:mm in Danish (ISO is accepted too)."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": _("dd-mm-yyyy hh:mm"), "autocomplete": "off", **(attrs or {})}
        )


DATETIME_INPUT_FORMATS = ["%d-%m-%Y %H:%M", "%d-%m-%Y %H.%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]


class SupportRequestForm(forms.Form):
    """A request for help. The company is chosen with the picker, unless the request comes
    from a job customer (then the form is bound to that person and has no company field)."""

    company = CompanyPickerField(required=False)
    contact = forms.ModelChoiceField(
        label=_("Who asked"), queryset=CompanyContact.objects.none(), required=False
    )
    channel = forms.ChoiceField(label=_("How they asked"), choices=SupportRequest.Channel.choices)
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=SupportRequest.Urgency.choices,
        initial=SupportRequest.Urgency.NORMAL,
    )
    subject = forms.CharField(label=_("What it is about"), max_length=200)
    description = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only what is needed to help. Never a diagnosis."),
    )
    received_at = forms.DateTimeField(
        label=_("Received"), input_formats=DATETIME_INPUT_FORMATS, widget=DateTimeInput()
    )
    answered = forms.BooleanField(label=_("I answered it there and then"), required=False)

    def __init__(self, *args, job_customer=None, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.job_customer = job_customer
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )
        if job_customer is not None:
            del self.fields["company"]
            del self.fields["contact"]
            return
        self.fields["company"].required = True
        # Choosing a company reloads its contact persons (htmx; the form works without it).
        self.fields["company"].widget.attrs.update(
            {
                "hx-get": reverse("placements:contact_options"),
                "hx-trigger": "change, htmx:afterSwap",
                "hx-target": "#id_contact",
                "hx-swap": "innerHTML",
            }
        )
        company_id = company.pk if company is not None else None
        if self.is_bound:
            value = self.data.get(self.add_prefix("company"), "")
            company_id = query_pk(str(value))
        elif company is not None:
            self.initial["company"] = company.pk
        if company is not None:
            self.fields["company"].suggest([company])
        if company_id:
            self.fields["contact"].queryset = CompanyContact.objects.filter(
                company_id=company_id
            ).order_by("-is_mentor", "name", "pk")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "channel": data["channel"],
            "urgency": data["urgency"],
            "subject": data["subject"],
            "description": data.get("description", ""),
            "received_at": data["received_at"],
            "answered": data.get("answered", False),
        }
        if self.job_customer is not None:
            kwargs.update(source=SupportRequest.Source.JOB_CUSTOMER, job_customer=self.job_customer)
        else:
            kwargs.update(
                source=SupportRequest.Source.COMPANY,
                company=data.get("company"),
                contact=data.get("contact"),
            )
        return kwargs


class SupportAnswerForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Answered"), input_formats=DATETIME_INPUT_FORMATS, widget=DateTimeInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["at"] = timezone.localtime().replace(second=0, microsecond=0)


class SupportCloseForm(forms.Form):
    resolution = forms.CharField(
        label=_("How it was settled"), widget=forms.Textarea(attrs={"rows": 2})
    )


class SupportFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("open", _("Open")),
            ("unanswered", _("Not answered")),
            ("closed", _("Settled")),
            ("all", _("All")),
        ],
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)


class OpenDoorPeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        empty_value=90,
        choices=[
            (30, _("The last 30 days")),
            (90, _("The last 90 days")),
            (365, _("The last year")),
        ],
    )
