import datetime
from decimal import Decimal

from varig.earnings.models import Rate
from varig.earnings.rates import KEYS

# A complete, made-up set of rates for tests (a year the seed data does not use).
TEST_YEAR = 2031
TEST_MUNICIPALITY = "Aarhus"
RATES_2024_LIKE = {
    "full_single": "244440",
    "full_couple": "207780",
    "deduction_single": "86900",
    "deduction_couple": "138000",
    "reduction_rate": "30",
    "reduction_rate_both": "15",
    "partner_deduction": "275556",
    "partner_cap": "282600",
    "housing_cost_share": "60",
    "housing_income_share": "18",
    "housing_income_limit": "171500",
    "housing_income_limit_per_child": "45200",
    "housing_maximum": "50760",
    "housing_min_own_payment": "28900",
    "housing_cap_without_children": "15",
    "am_contribution": "8",
    "personal_allowance": "49700",
    "bottom_tax": "12.01",
    "employment_deduction_rate": "10.65",
    "employment_deduction_max": "45100",
    "municipal_tax": "25",
}


def rate_values(**overrides) -> dict[str, Decimal]:
    values = {key: Decimal(value) for key, value in RATES_2024_LIKE.items()}
    values.update({key: Decimal(value) for key, value in overrides.items()})
    return values


def make_rate(*, year: int = TEST_YEAR, key: str = "full_single", value="244440", **fields) -> Rate:
    if KEYS[key].per_municipality:
        fields.setdefault("municipality", TEST_MUNICIPALITY)
    fields.setdefault("publisher", "Beskæftigelsesministeriet")
    fields.setdefault("source_title", f"Satser for {year}")
    fields.setdefault("source_url", "https://bm.dk")
    fields.setdefault("retrieved_on", datetime.date(2026, 1, 5))
    fields.setdefault("confidence", "official")
    return Rate.objects.create(
        year=year, key=key, value=Decimal(value), unit=KEYS[key].unit, **fields
    )


def make_year(*, year: int = TEST_YEAR, skip: tuple[str, ...] = (), **overrides) -> list[Rate]:
    """Every rate the calculator uses for `year` (Aarhus for the municipal tax)."""
    values = {**RATES_2024_LIKE, **overrides}
    return [
        make_rate(year=year, key=key, value=value)
        for key, value in values.items()
        if key not in skip
    ]
