"""Forms for the earnings guide. They read the input; the services and the calculator decide."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from varig.core.forms import DateInput, version_field
from varig.customers.forms import DATE_INPUT_FORMATS, IMPOSSIBLE_DATE

from .rates import FIRST_YEAR, LAST_YEAR, MUNICIPALITIES, Confidence, RateKey
from .services import (
    PUBLISHER_REQUIRED,
    REASON_REQUIRED,
    RETRIEVED_REQUIRED,
    SAVING_START_REQUIRED,
    SAVING_STOP_REQUIRED,
    YEAR_RANGE,
)

NOT_A_NUMBER = _("Write a number, e.g. 1250 or 12,5.")


def parse_amount(value) -> Decimal | None:
    """Read an amount as people write it: '1.250', '1 250 kr.', '12,5', '12.5'."""
    if value is None:
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    text = str(value).strip().lower()
    text = re.sub(r"(kr\.?|%|\s|\u00a0)", "", text)
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(NOT_A_NUMBER, code="invalid") from None
    if not number.is_finite():
        raise ValidationError(NOT_A_NUMBER, code="invalid")
    return number


class AmountField(forms.Field):
    """A number typed the Danish way; shown without needless decimals."""

    def __init__(self, *, min_value=None, max_value=None, range_message=None, **kwargs):
        self.min_value = None if min_value is None else Decimal(min_value)
        self.max_value = None if max_value is None else Decimal(max_value)
        self.range_message = range_message
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_amount(value)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        too_low = self.min_value is not None and value < self.min_value
        too_high = self.max_value is not None and value > self.max_value
        if too_low or too_high:
            raise ValidationError(self.range_message or NOT_A_NUMBER, code="range")

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            normal = value.normalize()
            text = f"{normal:f}"
            return text.replace(".", ",")
        return value


def _year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "invalid": YEAR_RANGE,
            "min_value": YEAR_RANGE,
            "max_value": YEAR_RANGE,
        },
        widget=forms.NumberInput(attrs={"min": FIRST_YEAR, "max": LAST_YEAR}),
        **kwargs,
    )


MUNICIPALITY_CHOICES = [("", _("Choose a municipality"))] + [(m, m) for m in MUNICIPALITIES]


class RateSourceForm(forms.Form):
    """The figure and where it comes from (shared by adding and correcting)."""

    value = AmountField(
        label=_("Value"),
        min_value=0,
        range_message=_("The value cannot be negative."),
        error_messages={"required": _("Write the figure.")},
        help_text=_("Per cent as a number (30 for 30 %), amounts in whole kroner."),
    )
    publisher = forms.CharField(
        label=_("Publisher"),
        max_length=200,
        error_messages={"required": PUBLISHER_REQUIRED},
        help_text=_("Who published the figure, e.g. Beskæftigelsesministeriet or borger.dk."),
    )
    source_title = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("The page or document, e.g. »Satser for 2026«."),
    )
    source_url = forms.CharField(
        label=_("Source address"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    retrieved_on = forms.DateField(
        label=_("Date retrieved"),
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": IMPOSSIBLE_DATE, "required": RETRIEVED_REQUIRED},
    )
    confidence = forms.ChoiceField(
        label=_("How sure is the figure?"),
        choices=Confidence.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Official: borger.dk, bm.dk, star.dk, ft.dk, skat.dk or the law. Secondary: "
            "e.g. Ældre Sagen, a municipality, accountants. Unverified: not checked."
        ),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RateAddForm(RateSourceForm):
    year = _year_field()
    key = forms.ChoiceField(label=_("Rate"), choices=RateKey.choices)
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        choices=MUNICIPALITY_CHOICES,
        required=False,
        help_text=_("Only for the municipal tax."),
    )
    field_order = ["year", "key", "municipality", "value"]


class RateCorrectForm(RateSourceForm):
    reason = forms.CharField(
        label=_("Why is it changed?"),
        error_messages={"required": REASON_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. »The official figure from bm.dk replaces the secondary one«."),
    )


class RateRemoveForm(forms.Form):
    prefix = "remove"

    reason = forms.CharField(
        label=_("Why is it removed?"),
        error_messages={"required": REASON_REQUIRED},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The calculator then says the figure is missing for the year."),
    )


class YearChoiceForm(forms.Form):
    year = _year_field(required=False)


# --- The calculator ------------------------------------------------------------------------------

MAX_INCOME = Decimal(10_000_000)
HOURS_RANGE = _("Write the hours per week: more than 0 and at most 48, e.g. 12 or 7,5.")
WAGE_RANGE = _("Write the wage per hour before tax: more than 0 and at most 1.000 kr.")
WEEKS_RANGE = _("Write the weeks you are paid for in a year: from 1 to 52.")
INCOME_RANGE = _("Write an amount per year from 0 to 10.000.000 kr.")
RENT_RANGE = _("Write the rent per month from 0 to 50.000 kr.")
CONTRIBUTION_RANGE = _("Write your own share of the pension contribution: from 0 to 20 %.")
ATP_RANGE = _("Write the ATP per month from 0 to 500 kr.")
CHILDREN_RANGE = _("Write how many children under 18 live with you: from 0 to 15.")
PARTNER_FOR_SINGLE = _(
    "You chose single. Choose »No partner«, or choose »Married or cohabiting« above."
)
PARTNER_REQUIRED = _("Choose whether your partner is a pensioner.")
PARTNER_INCOME_FOR_SINGLE = _(
    "You chose single, so a partner's income does not count. Remove the amount, or choose "
    "»Married or cohabiting«."
)
PARTNER_PENSION_NOT_PENSIONER = _(
    "Only when your partner is a pensioner. Write other income in the field above."
)
MUNICIPALITY_CHOOSE = _("Choose the municipality you live in: it decides your tax.")
YEAR_CHOOSE = _("Choose one of the years in the list.")

SINGLE, COUPLE = "single", "couple"
CIVIL_CHOICES = [(SINGLE, _("Single")), (COUPLE, _("Married or cohabiting"))]
PARTNER_CHOICES = [
    ("none", _("No partner")),
    ("not_pensioner", _("My partner is not a pensioner")),
    ("pensioner", _("My partner also gets a pension (folkepension or førtidspension)")),
]


def _amount(label, *, max_value, message, required=False, help_text="", **kwargs):
    return AmountField(
        label=label,
        min_value=0,
        max_value=max_value,
        range_message=message,
        required=required,
        help_text=help_text,
        error_messages={"required": message},
        **kwargs,
    )


class CalculatorForm(forms.Form):
    """The person's situation for one calculation. Read by GET, so a result can be linked."""

    pension_rules = forms.ChoiceField(
        label=_("When was the pension awarded?"),
        choices=[
            ("after_2003", _("On 1 January 2003 or later")),
            ("before_2003", _("Before 2003")),
            ("unknown", _("I do not know")),
        ],
        initial="after_2003",
        widget=forms.RadioSelect,
    )
    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        error_messages={"required": YEAR_CHOOSE, "invalid_choice": YEAR_CHOOSE},
    )
    civil_status = forms.ChoiceField(
        label=_("Do you live alone?"),
        choices=CIVIL_CHOICES,
        initial=SINGLE,
        widget=forms.RadioSelect,
    )
    partner = forms.ChoiceField(
        label=_("Your partner"), choices=PARTNER_CHOICES, initial="none", widget=forms.RadioSelect
    )
    partner_work_income = _amount(
        _("Your partner's wage per year, after AM-bidrag"),
        max_value=MAX_INCOME,
        message=INCOME_RANGE,
        help_text=_("Counts for the housing benefit. For the pension only up to 2022."),
    )
    partner_other_income = _amount(
        _("Your partner's other income per year"),
        max_value=MAX_INCOME,
        message=INCOME_RANGE,
        help_text=_(
            "E.g. unemployment benefit, a private pension or interest. Not a social pension."
        ),
    )
    partner_social_pension = _amount(
        _("Your partner's folkepension or førtidspension per year"),
        max_value=MAX_INCOME,
        message=INCOME_RANGE,
        help_text=_("Only counts for the housing benefit."),
    )
    hours_per_week = _amount(_("Hours per week"), max_value=48, message=HOURS_RANGE, required=True)
    hourly_wage = _amount(
        _("Wage per hour before tax (kr.)"), max_value=1000, message=WAGE_RANGE, required=True
    )
    working_weeks = _amount(
        _("Paid weeks per year"),
        max_value=52,
        message=WEEKS_RANGE,
        required=True,
        help_text=_("Including holidays with pay. A whole year is 52."),
    )
    other_income = _amount(
        _("Other income per year (kr.)"),
        max_value=MAX_INCOME,
        message=INCOME_RANGE,
        help_text=_("E.g. a private pension or interest. Not the førtidspension."),
    )
    pension_contribution_percent = _amount(
        _("Your own pension contribution from the wage (%)"),
        max_value=20,
        message=CONTRIBUTION_RANGE,
        help_text=_("Only your own share, if your job has a pension scheme. Often 0 or 4."),
    )
    atp_per_month = _amount(
        _("ATP per month (kr.)"),
        max_value=500,
        message=ATP_RANGE,
        help_text=_("Your own share, on the pay slip. Leave it at 0 if you do not know."),
    )
    rent_per_month = _amount(
        _("Rent per month (kr.)"),
        max_value=50_000,
        message=RENT_RANGE,
        help_text=_(
            "The rent without heating, water and electricity. Write 0 if you do not get "
            "housing benefit (boligsikring)."
        ),
    )
    children = forms.IntegerField(
        label=_("Children under 18 living with you"),
        min_value=0,
        max_value=15,
        initial=0,
        required=False,
        error_messages={
            "invalid": CHILDREN_RANGE,
            "min_value": CHILDREN_RANGE,
            "max_value": CHILDREN_RANGE,
        },
        widget=forms.NumberInput(attrs={"min": 0, "max": 15, "inputmode": "numeric"}),
    )
    municipality = forms.ChoiceField(
        label=_("Municipality"),
        choices=MUNICIPALITY_CHOICES,
        error_messages={"required": MUNICIPALITY_CHOOSE, "invalid_choice": MUNICIPALITY_CHOOSE},
        help_text=_("Where you live. It decides the municipal tax."),
    )

    OPTIONAL_AMOUNTS = (
        "partner_work_income",
        "partner_other_income",
        "partner_social_pension",
        "other_income",
        "pension_contribution_percent",
        "atp_per_month",
        "rent_per_month",
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]

    def clean_hours_per_week(self):
        return self._positive("hours_per_week", HOURS_RANGE)

    def clean_hourly_wage(self):
        return self._positive("hourly_wage", WAGE_RANGE)

    def clean_working_weeks(self):
        value = self.cleaned_data.get("working_weeks")
        if value is not None and value < 1:
            raise ValidationError(WEEKS_RANGE, code="range")
        return value

    def _positive(self, name: str, message) -> Decimal | None:
        value = self.cleaned_data.get(name)
        if value is not None and value <= 0:
            raise ValidationError(message, code="range")
        return value

    def clean(self):
        data = super().clean()
        for name in self.OPTIONAL_AMOUNTS:
            if name in data and data[name] is None:
                data[name] = Decimal(0)
        if data.get("children") is None and "children" not in self.errors:
            data["children"] = 0
        civil, partner = data.get("civil_status"), data.get("partner")
        if civil == SINGLE:
            if partner and partner != "none":
                self.add_error("partner", PARTNER_FOR_SINGLE)
            for name in ("partner_work_income", "partner_other_income", "partner_social_pension"):
                if data.get(name):
                    self.add_error(name, PARTNER_INCOME_FOR_SINGLE)
        elif civil == COUPLE:
            if partner == "none":
                self.add_error("partner", PARTNER_REQUIRED)
            elif partner == "not_pensioner" and data.get("partner_social_pension"):
                self.add_error("partner_social_pension", PARTNER_PENSION_NOT_PENSIONER)
        return data

    def inputs(self):
        """The calculator's inputs from the cleaned data (call after is_valid())."""
        from .calculator import CivilStatus, Inputs

        data = self.cleaned_data
        return Inputs(
            year=data["year"],
            hours_per_week=data["hours_per_week"],
            hourly_wage=data["hourly_wage"],
            civil_status=CivilStatus.SINGLE
            if data["civil_status"] == SINGLE
            else CivilStatus.MARRIED,
            partner=data["partner"] if data["civil_status"] == COUPLE else "none",
            working_weeks=data["working_weeks"],
            pension_contribution_percent=data["pension_contribution_percent"],
            atp_per_month=data["atp_per_month"],
            other_income=data["other_income"],
            partner_work_income=data["partner_work_income"],
            partner_other_income=data["partner_other_income"],
            partner_social_pension=data["partner_social_pension"],
            rent_per_month=data["rent_per_month"],
            children=data["children"],
            municipality=data["municipality"],
        )

    @staticmethod
    def initial_from_inputs(inputs, *, pension_rules: str = "after_2003") -> dict:
        """Form values that give back `inputs` (a saved calculation opened again)."""
        return {
            "pension_rules": pension_rules,
            "year": inputs.year,
            "civil_status": COUPLE if inputs.couple else SINGLE,
            "partner": inputs.partner,
            "partner_work_income": inputs.partner_work_income,
            "partner_other_income": inputs.partner_other_income,
            "partner_social_pension": inputs.partner_social_pension,
            "hours_per_week": inputs.hours_per_week,
            "hourly_wage": inputs.hourly_wage,
            "working_weeks": inputs.working_weeks,
            "other_income": inputs.other_income,
            "pension_contribution_percent": inputs.pension_contribution_percent,
            "atp_per_month": inputs.atp_per_month,
            "rent_per_month": inputs.rent_per_month,
            "children": inputs.children,
            "municipality": inputs.municipality,
        }


# --- On a job customer's record ------------------------------------------------------------------


class SaveCalculationForm(CalculatorForm):
    """The calculator's answers again (hidden, as calculated) and a title, to save them."""

    title = forms.CharField(
        label=_("Title (optional)"),
        max_length=120,
        required=False,
        help_text=_("E.g. »Skånejob at the bakery, 15 hours«."),
    )


def _date_field(label, *, required=True, message=None):
    return forms.DateField(
        label=label,
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        required=required,
        error_messages={"invalid": IMPOSSIBLE_DATE, "required": message or IMPOSSIBLE_DATE},
    )


class PensionSavingForm(forms.Form):
    """They started saving for a pension (a past period may have its stop too)."""

    prefix = "saving"

    started_on = _date_field(_("Started saving on"), message=SAVING_START_REQUIRED)
    stopped_on = _date_field(_("Stopped saving on"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. »4 % through the job's pension scheme« or »own savings in the bank«."),
    )


class PensionSavingStopForm(forms.Form):
    prefix = "stop"

    version = version_field()
    stopped_on = _date_field(_("Stopped saving on"), message=SAVING_STOP_REQUIRED)
    note = forms.CharField(label=_("Why (optional)"), required=False)


class PensionSavingEditForm(forms.Form):
    """Correct a period of saving."""

    prefix = "edit"

    version = version_field()
    started_on = _date_field(_("Started saving on"), message=SAVING_START_REQUIRED)
    stopped_on = _date_field(_("Stopped saving on"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
