"""Forms for the earnings guide. They read the input; the services and the calculator decide."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from varig.core.forms import DateInput
from varig.customers.forms import DATE_INPUT_FORMATS, IMPOSSIBLE_DATE

from .rates import FIRST_YEAR, LAST_YEAR, MUNICIPALITIES, Confidence, RateKey
from .services import PUBLISHER_REQUIRED, REASON_REQUIRED, RETRIEVED_REQUIRED, YEAR_RANGE

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
