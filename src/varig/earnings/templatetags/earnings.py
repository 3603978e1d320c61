"""Amounts as a Danish reader expects them: 857.000 kr., 12,01 %, 29,13 kr. i timen."""

import re
from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from ..calculator import kroner
from ..rates import Unit

register = template.Library()

DASH = "\u2013"
MINUS = "\u2212"


def _number(value: Decimal, places: int) -> str:
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def _plain(value: Decimal) -> str:
    """A figure without needless decimals: 30.0000 → 30, 12.0100 → 12,01."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return _number(value, 0)
    return _number(value.normalize(), max(0, -value.normalize().as_tuple().exponent))


@register.filter
def kr(value) -> str:
    """Whole kroner with thousands separators: 857.000 kr."""
    if value is None or value == "":
        return DASH
    return _("%(amount)s kr.") % {"amount": _number(kroner(Decimal(value)), 0)}


@register.filter
def kr_signed(value) -> str:
    """A difference with its sign: +3.400 kr., or a minus sign before a fall."""
    if value is None or value == "":
        return DASH
    amount = kroner(Decimal(value))
    sign = "+" if amount > 0 else MINUS if amount < 0 else ""
    return _("%(amount)s kr.") % {"amount": sign + _number(abs(amount), 0)}


@register.filter
def whole(value) -> str:
    """A number rounded to whole units, grouped: 31, 1.250."""
    if value is None or value == "":
        return DASH
    return _number(kroner(Decimal(value)), 0)


@register.filter
def one_decimal(value) -> str:
    if value is None or value == "":
        return DASH
    return _number(Decimal(value).quantize(Decimal("0.1")), 1)


@register.filter
def rate_value(rate) -> str:
    """A rate's value with its unit."""
    return unit_value(rate.value, rate.unit)


@register.simple_tag
def unit_value(value, unit) -> str:
    if unit == Unit.PERCENT:
        return f"{_plain(value)} %"
    if unit == Unit.KR_HOUR:
        return _("%(amount)s kr. per hour") % {"amount": _plain(value)}
    return _("%(amount)s kr. per year") % {"amount": _plain(value)}


CONFIDENCE_TONES = {"official": "ok", "secondary": "warn", "unverified": "alert"}


@register.filter
def confidence_tone(confidence: str) -> str:
    return CONFIDENCE_TONES.get(confidence, "muted")


@register.filter
def kr_abs(value) -> str:
    """Whole kroner without a sign (the sentence says more or less)."""
    if value is None or value == "":
        return DASH
    return kr(abs(Decimal(value)))


@register.filter
def amount(value) -> str:
    """A number as typed, without needless decimals: 15, 7,5."""
    if value is None or value == "":
        return DASH
    return _plain(Decimal(value).quantize(Decimal("0.01")))


@register.filter
def kr2(value) -> str:
    """Kroner with øre only when there are any: 150 kr., 152,50 kr."""
    if value is None or value == "":
        return DASH
    value = Decimal(value).quantize(Decimal("0.01"))
    places = 0 if value == value.to_integral_value() else 2
    return _("%(amount)s kr.") % {"amount": _number(value, places)}


@register.filter
def monthly(value):
    """A yearly amount per month (a twelfth)."""
    if value is None or value == "":
        return value
    return Decimal(value) / 12


@register.filter
def add_amounts(value, other):
    return Decimal(value or 0) + Decimal(other or 0)


@register.filter
def subtract(value, other):
    return Decimal(value or 0) - Decimal(other or 0)


@register.filter
def calculator_query(inputs, pension_rules="after_2003") -> str:
    """The calculator's query string that gives back `inputs` (a saved calculation opened
    again); amounts written the Danish way (12,5), as the form reads them."""
    from django.utils.http import urlencode

    from ..forms import CalculatorForm

    values = {}
    for name, value in CalculatorForm.initial_from_inputs(
        inputs, pension_rules=pension_rules
    ).items():
        if isinstance(value, Decimal):
            value = f"{value.normalize():f}".replace(".", ",")
        values[name] = value
    return urlencode(values)


_TRAILING_TAGS = re.compile(r"(\s*<[^>]+>\s*)*$")


@register.filter(is_safe=True)
def full_stop(text) -> str:
    """End a sentence with one full stop: "… ca. 41 kr." stays as it is instead of becoming
    "41 kr.." (an amount in kroner already ends with one). Closing tags are looked through."""
    text = str(text)
    end = _TRAILING_TAGS.search(text)
    visible = text[: end.start()] if end else text
    if visible.rstrip().endswith((".", "!", "?")):
        return text
    return f"{text}."
