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


def make_inputs(**overrides):
    """The hand-computed case of test_calculator: 15 hours at 150 kr., single, Aarhus."""
    from varig.earnings.calculator import Inputs

    values = {
        "year": TEST_YEAR,
        "hours_per_week": Decimal(15),
        "hourly_wage": Decimal(150),
        "municipality": TEST_MUNICIPALITY,
    }
    values.update(overrides)
    return Inputs(**values)


def make_saved_calculation(*, job_customer, actor=None, title="", **overrides):
    """A saved calculation through the service (the year's rates must exist: make_year())."""
    from varig.earnings.services import calculation_save

    return calculation_save(
        actor=actor, job_customer=job_customer, inputs=make_inputs(**overrides), title=title
    )


def make_pension_saving(*, job_customer, started_on=None, stopped_on=None, note=""):
    from varig.earnings.models import PensionSaving

    return PensionSaving.objects.create(
        job_customer=job_customer,
        started_on=started_on or datetime.date(2025, 3, 1),
        stopped_on=stopped_on,
        note=note,
    )
