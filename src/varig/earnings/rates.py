"""The rates the earnings guide knows: which keys exist, their scheme and unit.

The keys are fixed in code because the formula (`calculator.py`) uses exactly these; the
figures for each year live in the database (`models.Rate`), entered by an administrator.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    PENSION = "pension", _("Disability pension (rules from 2003)")
    HOUSING = "housing", _("Housing benefit (boligsikring)")
    TAX = "tax", _("Tax")
    SKAANEJOB = "skaanejob", _("Skånejob")


class Unit(models.TextChoices):
    KR_YEAR = "kr_year", _("kr. per year")
    PERCENT = "percent", _("per cent")
    KR_HOUR = "kr_hour", _("kr. per hour")


class Confidence(models.TextChoices):
    OFFICIAL = "official", _("Official")
    SECONDARY = "secondary", _("Secondary")
    UNVERIFIED = "unverified", _("Unverified")


class RateKey(models.TextChoices):
    FULL_SINGLE = "full_single", _("Full pension, single")
    FULL_COUPLE = "full_couple", _("Full pension, married or cohabiting")
    DEDUCTION_SINGLE = "deduction_single", _("Deduction (fradragsbeløb), single")
    DEDUCTION_COUPLE = "deduction_couple", _("Deduction (fradragsbeløb), married or cohabiting")
    REDUCTION_RATE = "reduction_rate", _("Reduction of the pension")
    REDUCTION_RATE_BOTH = (
        "reduction_rate_both",
        _("Reduction of the pension when the partner also receives a social pension"),
    )
    PARTNER_DEDUCTION = (
        "partner_deduction",
        _("Deduction in the partner's income (partner not a pensioner)"),
    )
    PARTNER_CAP = "partner_cap", _("Partner's income counted at most (partner not a pensioner)")
    HOUSING_COST_SHARE = "housing_cost_share", _("Share of the housing cost")
    HOUSING_INCOME_SHARE = (
        "housing_income_share",
        _("Share of the household income above the income limit"),
    )
    HOUSING_INCOME_LIMIT = "housing_income_limit", _("Income limit")
    HOUSING_INCOME_LIMIT_PER_CHILD = (
        "housing_income_limit_per_child",
        _("Income limit raised per child after the first (up to four children)"),
    )
    HOUSING_MAXIMUM = "housing_maximum", _("Highest housing benefit")
    HOUSING_MIN_OWN_PAYMENT = (
        "housing_min_own_payment",
        _("Least the household always pays itself"),
    )
    HOUSING_CAP_WITHOUT_CHILDREN = (
        "housing_cap_without_children",
        _("Highest housing benefit without children under 18 (share of the housing cost)"),
    )
    AM_CONTRIBUTION = "am_contribution", _("AM-bidrag (labour market contribution)")
    PERSONAL_ALLOWANCE = "personal_allowance", _("Personal allowance (personfradrag)")
    BOTTOM_TAX = "bottom_tax", _("Bottom tax (bundskat)")
    EMPLOYMENT_DEDUCTION_RATE = (
        "employment_deduction_rate",
        _("Employment deduction (beskæftigelsesfradrag)"),
    )
    EMPLOYMENT_DEDUCTION_MAX = "employment_deduction_max", _("Employment deduction, at most")
    MUNICIPAL_TAX = "municipal_tax", _("Municipal tax (kommuneskat)")
    SKAANEJOB_HOURLY_SUBSIDY = (
        "skaanejob_hourly_subsidy",
        _("Skånejob: the employer's subsidy per hour"),
    )


@dataclass(frozen=True)
class KeyInfo:
    scheme: str
    unit: str
    per_municipality: bool = False
    used_by_calculator: bool = True


KEYS: dict[str, KeyInfo] = {
    RateKey.FULL_SINGLE: KeyInfo(Scheme.PENSION, Unit.KR_YEAR),
    RateKey.FULL_COUPLE: KeyInfo(Scheme.PENSION, Unit.KR_YEAR),
    RateKey.DEDUCTION_SINGLE: KeyInfo(Scheme.PENSION, Unit.KR_YEAR),
    RateKey.DEDUCTION_COUPLE: KeyInfo(Scheme.PENSION, Unit.KR_YEAR),
    RateKey.REDUCTION_RATE: KeyInfo(Scheme.PENSION, Unit.PERCENT),
    RateKey.REDUCTION_RATE_BOTH: KeyInfo(Scheme.PENSION, Unit.PERCENT),
    RateKey.PARTNER_DEDUCTION: KeyInfo(Scheme.PENSION, Unit.KR_YEAR),
    RateKey.PARTNER_CAP: KeyInfo(Scheme.PENSION, Unit.KR_YEAR),
    RateKey.HOUSING_COST_SHARE: KeyInfo(Scheme.HOUSING, Unit.PERCENT),
    RateKey.HOUSING_INCOME_SHARE: KeyInfo(Scheme.HOUSING, Unit.PERCENT),
    RateKey.HOUSING_INCOME_LIMIT: KeyInfo(Scheme.HOUSING, Unit.KR_YEAR),
    RateKey.HOUSING_INCOME_LIMIT_PER_CHILD: KeyInfo(Scheme.HOUSING, Unit.KR_YEAR),
    RateKey.HOUSING_MAXIMUM: KeyInfo(Scheme.HOUSING, Unit.KR_YEAR),
    RateKey.HOUSING_MIN_OWN_PAYMENT: KeyInfo(Scheme.HOUSING, Unit.KR_YEAR),
    RateKey.HOUSING_CAP_WITHOUT_CHILDREN: KeyInfo(Scheme.HOUSING, Unit.PERCENT),
    RateKey.AM_CONTRIBUTION: KeyInfo(Scheme.TAX, Unit.PERCENT),
    RateKey.PERSONAL_ALLOWANCE: KeyInfo(Scheme.TAX, Unit.KR_YEAR),
    RateKey.BOTTOM_TAX: KeyInfo(Scheme.TAX, Unit.PERCENT),
    RateKey.EMPLOYMENT_DEDUCTION_RATE: KeyInfo(Scheme.TAX, Unit.PERCENT),
    RateKey.EMPLOYMENT_DEDUCTION_MAX: KeyInfo(Scheme.TAX, Unit.KR_YEAR),
    RateKey.MUNICIPAL_TAX: KeyInfo(Scheme.TAX, Unit.PERCENT, per_municipality=True),
    RateKey.SKAANEJOB_HOURLY_SUBSIDY: KeyInfo(
        Scheme.SKAANEJOB, Unit.KR_HOUR, used_by_calculator=False
    ),
}

# What the calculator says when the chosen year lacks a figure (never borrowed from another
# year): one sentence per rate, in the words a person reading the result understands.
MISSING_MESSAGES = {
    RateKey.FULL_SINGLE: _("The full pension for a single person for %(year)s is not entered yet."),
    RateKey.FULL_COUPLE: _(
        "The full pension for married or cohabiting persons for %(year)s is not entered yet."
    ),
    RateKey.DEDUCTION_SINGLE: _("The deduction for %(year)s is not entered yet."),
    RateKey.DEDUCTION_COUPLE: _(
        "The deduction for married or cohabiting persons for %(year)s is not entered yet."
    ),
    RateKey.REDUCTION_RATE: _(
        "How much the pension is reduced (the 30 %% rule) for %(year)s is not entered yet."
    ),
    RateKey.REDUCTION_RATE_BOTH: _(
        "How much the pension is reduced when both partners are pensioners (the 15 %% rule) "
        "for %(year)s is not entered yet."
    ),
    RateKey.PARTNER_DEDUCTION: _(
        "The deduction in the partner's income for %(year)s is not entered yet."
    ),
    RateKey.PARTNER_CAP: _(
        "The most of the partner's income that counts for %(year)s is not entered yet."
    ),
    RateKey.HOUSING_COST_SHARE: _(
        "The housing benefit's share of the rent for %(year)s is not entered yet."
    ),
    RateKey.HOUSING_INCOME_SHARE: _(
        "How much the housing benefit falls with the income for %(year)s is not entered yet."
    ),
    RateKey.HOUSING_INCOME_LIMIT: _(
        "The housing benefit's income limit for %(year)s is not entered yet."
    ),
    RateKey.HOUSING_INCOME_LIMIT_PER_CHILD: _(
        "The housing benefit's income limit per child for %(year)s is not entered yet."
    ),
    RateKey.HOUSING_MAXIMUM: _("The highest housing benefit for %(year)s is not entered yet."),
    RateKey.HOUSING_MIN_OWN_PAYMENT: _(
        "The least a household pays itself in rent for %(year)s is not entered yet."
    ),
    RateKey.HOUSING_CAP_WITHOUT_CHILDREN: _(
        "The highest housing benefit without children for %(year)s is not entered yet."
    ),
    RateKey.AM_CONTRIBUTION: _("The AM-bidrag for %(year)s is not entered yet."),
    RateKey.PERSONAL_ALLOWANCE: _("The personal allowance for %(year)s is not entered yet."),
    RateKey.BOTTOM_TAX: _("The bottom tax for %(year)s is not entered yet."),
    RateKey.EMPLOYMENT_DEDUCTION_RATE: _(
        "The employment deduction for %(year)s is not entered yet."
    ),
    RateKey.EMPLOYMENT_DEDUCTION_MAX: _(
        "The highest employment deduction for %(year)s is not entered yet."
    ),
    RateKey.MUNICIPAL_TAX: _(
        "The municipal tax in %(municipality)s for %(year)s is not entered yet."
    ),
}


def missing_message(key: str, *, year: int, municipality: str = "") -> str:
    return str(MISSING_MESSAGES[key]) % {"year": year, "municipality": municipality or "?"}


# The 98 municipalities (kommuner) since 2007, for the municipal tax.
MUNICIPALITIES = (
    "Albertslund",
    "Allerød",
    "Assens",
    "Ballerup",
    "Billund",
    "Bornholm",
    "Brøndby",
    "Brønderslev",
    "Dragør",
    "Egedal",
    "Esbjerg",
    "Fanø",
    "Favrskov",
    "Faxe",
    "Fredensborg",
    "Fredericia",
    "Frederiksberg",
    "Frederikshavn",
    "Frederikssund",
    "Furesø",
    "Faaborg-Midtfyn",
    "Gentofte",
    "Gladsaxe",
    "Glostrup",
    "Greve",
    "Gribskov",
    "Guldborgsund",
    "Haderslev",
    "Halsnæs",
    "Hedensted",
    "Helsingør",
    "Herlev",
    "Herning",
    "Hillerød",
    "Hjørring",
    "Holbæk",
    "Holstebro",
    "Horsens",
    "Hvidovre",
    "Høje-Taastrup",
    "Hørsholm",
    "Ikast-Brande",
    "Ishøj",
    "Jammerbugt",
    "Kalundborg",
    "Kerteminde",
    "Kolding",
    "København",
    "Køge",
    "Langeland",
    "Lejre",
    "Lemvig",
    "Lolland",
    "Lyngby-Taarbæk",
    "Læsø",
    "Mariagerfjord",
    "Middelfart",
    "Morsø",
    "Norddjurs",
    "Nordfyns",
    "Nyborg",
    "Næstved",
    "Odder",
    "Odense",
    "Odsherred",
    "Randers",
    "Rebild",
    "Ringkøbing-Skjern",
    "Ringsted",
    "Roskilde",
    "Rudersdal",
    "Rødovre",
    "Samsø",
    "Silkeborg",
    "Skanderborg",
    "Skive",
    "Slagelse",
    "Solrød",
    "Sorø",
    "Stevns",
    "Struer",
    "Svendborg",
    "Syddjurs",
    "Sønderborg",
    "Thisted",
    "Tønder",
    "Tårnby",
    "Vallensbæk",
    "Varde",
    "Vejen",
    "Vejle",
    "Vesthimmerland",
    "Viborg",
    "Vordingborg",
    "Ærø",
    "Aabenraa",
    "Aalborg",
    "Aarhus",
)

FIRST_YEAR = 2003  # the rules the guide covers started on 1 January 2003
LAST_YEAR = 2100


def key_info(key: str) -> KeyInfo:
    return KEYS[key]


def key_label(key: str) -> str:
    return str(RateKey(key).label)


def municipality_match(name: str) -> str:
    """The municipality's official spelling for a free-text name ('aarhus kommune'), or ''."""
    wanted = (name or "").strip().lower().removesuffix(" kommune").strip()
    for municipality in MUNICIPALITIES:
        if municipality.lower() == wanted:
            return municipality
    return ""
