"""What a person on førtidspension (2003 rules) keeps when they work: pure functions.

No database and no rounding inside: every amount is a `Decimal` in kroner per year, computed
from the inputs and the year's rates (a mapping from `RateKey` to its value; per cent as
entered, 30 means 30 %). Rounding is for display only. The formula follows the organisation's
source notes (shared/BENEFITS.md, "The calculation"):

1. gross = hours per week x hourly wage x working weeks
2. income from work = gross - AM-bidrag - employee ATP - employee pension contribution
3. income basis = income from work + other income + the partner's counted income
4. pension = max(0, full amount - rate x max(0, income basis - deduction)), rate 30 % or 15 %
5. housing benefit from the household income; tax (bottom and municipal) from the tax rates
6. kept = what the person has to spend with work - what they have at zero hours

A rate the chosen situation needs but the year lacks raises `MissingRates` naming every one;
nothing is ever taken from another year.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal

from .rates import RateKey

ZERO = Decimal(0)
HUNDRED = Decimal(100)
MONTHS = Decimal(12)
# From 1 January 2023 a partner's income from work no longer reduces the pension (L 170 2021-22).
PARTNER_WORK_INCOME_COUNTS_UNTIL = 2022
# Housing benefit: the income limit rises per child after the first, up to four children.
HOUSING_CHILDREN_COUNTED = 4
CHART_HOURS = range(0, 38)  # 0 to 37 hours a week
MARGINAL_STEP = Decimal(100)  # "of each extra 100 kr."


class CivilStatus:
    SINGLE = "single"
    MARRIED = "married"
    COHABITING = "cohabiting"


class PartnerStatus:
    NONE = "none"
    NOT_PENSIONER = "not_pensioner"
    PENSIONER = "pensioner"


class MissingRates(Exception):
    """The year lacks rates the calculation needs; `keys` names them, in the formula's order."""

    def __init__(self, year: int, keys: list[str], municipality: str = ""):
        self.year = year
        self.keys = keys
        self.municipality = municipality
        super().__init__(f"{year}: missing {', '.join(keys)}")


@dataclass(frozen=True)
class Inputs:
    """One person's situation. Money is kroner per year except the rent (per month)."""

    year: int
    hours_per_week: Decimal
    hourly_wage: Decimal
    civil_status: str = CivilStatus.SINGLE
    partner: str = PartnerStatus.NONE
    working_weeks: Decimal = Decimal(52)
    pension_contribution_percent: Decimal = ZERO  # the employee's own share, of the gross wage
    atp_per_month: Decimal = ZERO  # the employee's ATP, while working
    other_income: Decimal = ZERO  # other personal income, e.g. a private pension, interest
    partner_work_income: Decimal = ZERO  # after AM-bidrag
    partner_other_income: Decimal = ZERO  # not a social pension
    partner_social_pension: Decimal = ZERO  # counts in the household income only
    rent_per_month: Decimal = ZERO  # the housing cost; 0 means no housing benefit
    children: int = 0  # children under 18 living at home
    municipality: str = ""

    @property
    def couple(self) -> bool:
        return self.civil_status != CivilStatus.SINGLE

    @property
    def housing(self) -> bool:
        return self.rent_per_month > 0

    def gross_for(self, hours: Decimal) -> Decimal:
        return Decimal(hours) * self.hourly_wage * self.working_weeks

    def partner_pension_income(self) -> Decimal:
        """The partner's income that counts for the pension before any deduction or cap."""
        if not self.couple or self.partner == PartnerStatus.NONE:
            return ZERO
        income = self.partner_other_income
        if self.year <= PARTNER_WORK_INCOME_COUNTS_UNTIL:
            income += self.partner_work_income
        return income


def needed_keys(inputs: Inputs) -> list[str]:
    """The rates this situation needs, in the order the formula uses them."""
    keys = []
    if inputs.couple:
        keys += [RateKey.FULL_COUPLE, RateKey.DEDUCTION_COUPLE]
    else:
        keys += [RateKey.FULL_SINGLE, RateKey.DEDUCTION_SINGLE]
    if inputs.couple and inputs.partner == PartnerStatus.PENSIONER:
        keys.append(RateKey.REDUCTION_RATE_BOTH)
    else:
        keys.append(RateKey.REDUCTION_RATE)
    if (
        inputs.couple
        and inputs.partner == PartnerStatus.NOT_PENSIONER
        and inputs.partner_pension_income() > 0
    ):
        keys += [RateKey.PARTNER_DEDUCTION, RateKey.PARTNER_CAP]
    if inputs.housing:
        keys += [
            RateKey.HOUSING_COST_SHARE,
            RateKey.HOUSING_INCOME_SHARE,
            RateKey.HOUSING_INCOME_LIMIT,
        ]
        if inputs.children > 1:
            keys.append(RateKey.HOUSING_INCOME_LIMIT_PER_CHILD)
        keys += [RateKey.HOUSING_MAXIMUM, RateKey.HOUSING_MIN_OWN_PAYMENT]
        if inputs.children == 0:
            keys.append(RateKey.HOUSING_CAP_WITHOUT_CHILDREN)
    keys += [
        RateKey.AM_CONTRIBUTION,
        RateKey.PERSONAL_ALLOWANCE,
        RateKey.BOTTOM_TAX,
        RateKey.EMPLOYMENT_DEDUCTION_RATE,
        RateKey.EMPLOYMENT_DEDUCTION_MAX,
        RateKey.MUNICIPAL_TAX,
    ]
    return [str(k) for k in keys]


def check_rates(inputs: Inputs, rates: Mapping[str, Decimal]) -> None:
    missing = [key for key in needed_keys(inputs) if rates.get(key) is None]
    if missing:
        raise MissingRates(inputs.year, missing, inputs.municipality)


def _pct(rates: Mapping[str, Decimal], key: str) -> Decimal:
    return Decimal(rates[key]) / HUNDRED


def _kr(rates: Mapping[str, Decimal], key: str) -> Decimal:
    return Decimal(rates[key])


@dataclass(frozen=True)
class Scenario:
    """Every amount for one gross wage, kroner per year, unrounded."""

    hours: Decimal
    gross: Decimal
    am_contribution: Decimal
    atp: Decimal
    pension_contribution: Decimal
    work_income: Decimal  # after AM-bidrag, ATP and the own pension contribution
    other_income: Decimal
    partner_counted: Decimal
    income_basis: Decimal
    pension: Decimal
    household_income: Decimal
    housing_benefit: Decimal
    employment_deduction: Decimal
    personal_income: Decimal
    bottom_tax: Decimal
    municipal_tax: Decimal
    tax: Decimal
    disposable: Decimal  # what there is to spend: income after tax plus housing benefit


def partner_counted(inputs: Inputs, rates: Mapping[str, Decimal]) -> Decimal:
    """The partner's income added to the income basis (after the deduction and cap)."""
    income = inputs.partner_pension_income()
    if income <= 0:
        return ZERO
    if inputs.partner == PartnerStatus.NOT_PENSIONER:
        above = max(ZERO, income - _kr(rates, RateKey.PARTNER_DEDUCTION))
        return min(above, _kr(rates, RateKey.PARTNER_CAP))
    return income  # a pensioner partner's income counts in full (and the rate is 15 %)


def pension_for(inputs: Inputs, rates: Mapping[str, Decimal], income_basis: Decimal) -> Decimal:
    full, deduction, rate = _pension_rates(inputs, rates)
    return max(ZERO, full - rate * max(ZERO, income_basis - deduction))


def _pension_rates(inputs: Inputs, rates: Mapping[str, Decimal]):
    if inputs.couple:
        full = _kr(rates, RateKey.FULL_COUPLE)
        deduction = _kr(rates, RateKey.DEDUCTION_COUPLE)
    else:
        full = _kr(rates, RateKey.FULL_SINGLE)
        deduction = _kr(rates, RateKey.DEDUCTION_SINGLE)
    if inputs.couple and inputs.partner == PartnerStatus.PENSIONER:
        rate = _pct(rates, RateKey.REDUCTION_RATE_BOTH)
    else:
        rate = _pct(rates, RateKey.REDUCTION_RATE)
    return full, deduction, rate


def housing_benefit_for(
    inputs: Inputs, rates: Mapping[str, Decimal], household_income: Decimal
) -> Decimal:
    """Boligsikring: a share of the housing cost minus a share of the household income above
    the income limit, never below zero, never above the maximum, never so much that the
    household pays less than its minimum itself, and (without children) at most a share of
    the housing cost."""
    if not inputs.housing:
        return ZERO
    cost = inputs.rent_per_month * MONTHS
    limit = _kr(rates, RateKey.HOUSING_INCOME_LIMIT)
    extra_children = max(0, min(inputs.children, HOUSING_CHILDREN_COUNTED) - 1)
    if extra_children:
        limit += extra_children * _kr(rates, RateKey.HOUSING_INCOME_LIMIT_PER_CHILD)
    benefit = _pct(rates, RateKey.HOUSING_COST_SHARE) * cost - _pct(
        rates, RateKey.HOUSING_INCOME_SHARE
    ) * max(ZERO, household_income - limit)
    ceiling = min(
        _kr(rates, RateKey.HOUSING_MAXIMUM),
        max(ZERO, cost - _kr(rates, RateKey.HOUSING_MIN_OWN_PAYMENT)),
    )
    if inputs.children == 0:
        ceiling = min(ceiling, _pct(rates, RateKey.HOUSING_CAP_WITHOUT_CHILDREN) * cost)
    return min(max(ZERO, benefit), ceiling)


def scenario(
    inputs: Inputs, rates: Mapping[str, Decimal], *, hours: Decimal, gross: Decimal | None = None
) -> Scenario:
    """Every amount when working `hours` a week (or earning `gross` a year at those hours)."""
    hours = Decimal(hours)
    gross = inputs.gross_for(hours) if gross is None else Decimal(gross)
    working = gross > 0
    atp = inputs.atp_per_month * MONTHS if working else ZERO
    am_base = max(ZERO, gross - atp)
    am = _pct(rates, RateKey.AM_CONTRIBUTION) * am_base
    contribution = inputs.pension_contribution_percent / HUNDRED * gross
    work_income = gross - atp - am - contribution
    counted = partner_counted(inputs, rates)
    basis = work_income + inputs.other_income + counted
    pension = pension_for(inputs, rates, basis)

    personal_income = work_income + pension + inputs.other_income
    employment_deduction = min(
        _pct(rates, RateKey.EMPLOYMENT_DEDUCTION_RATE) * am_base,
        _kr(rates, RateKey.EMPLOYMENT_DEDUCTION_MAX),
    )
    allowance = _kr(rates, RateKey.PERSONAL_ALLOWANCE)
    bottom = _pct(rates, RateKey.BOTTOM_TAX) * max(ZERO, personal_income - allowance)
    municipal = _pct(rates, RateKey.MUNICIPAL_TAX) * max(
        ZERO, personal_income - employment_deduction - allowance
    )
    tax = bottom + municipal

    household = personal_income
    if inputs.couple:
        household += (
            inputs.partner_work_income + inputs.partner_other_income + inputs.partner_social_pension
        )
    housing = housing_benefit_for(inputs, rates, household)
    return Scenario(
        hours=hours,
        gross=gross,
        am_contribution=am,
        atp=atp,
        pension_contribution=contribution,
        work_income=work_income,
        other_income=inputs.other_income,
        partner_counted=counted,
        income_basis=basis,
        pension=pension,
        household_income=household,
        housing_benefit=housing,
        employment_deduction=employment_deduction,
        personal_income=personal_income,
        bottom_tax=bottom,
        municipal_tax=municipal,
        tax=tax,
        disposable=personal_income - tax + housing,
    )


@dataclass(frozen=True)
class IncomePoint:
    """An income basis, and the gross wage and hours that give it with the person's other
    income and hourly wage (None when the other income alone reaches it)."""

    income_basis: Decimal
    gross: Decimal | None
    hours_per_week: Decimal | None
    already: bool = False

    @property
    def already_zero(self) -> bool:  # the name for the zero point
        return self.already


ZeroPoint = IncomePoint


def _point_for_basis(inputs: Inputs, rates: Mapping[str, Decimal], basis: Decimal) -> IncomePoint:
    needed = basis - inputs.other_income - partner_counted(inputs, rates)
    if needed <= 0:
        return IncomePoint(income_basis=basis, gross=None, hours_per_week=None, already=True)
    am = _pct(rates, RateKey.AM_CONTRIBUTION)
    atp = inputs.atp_per_month * MONTHS
    share = 1 - am - inputs.pension_contribution_percent / HUNDRED
    # work income = (gross - ATP)(1 - AM) - contribution share x gross, solved for gross
    gross = (needed + atp * (1 - am)) / share
    per_hour_year = inputs.hourly_wage * inputs.working_weeks
    hours = gross / per_hour_year if per_hour_year > 0 else None
    return IncomePoint(income_basis=basis, gross=gross, hours_per_week=hours)


def zero_point(inputs: Inputs, rates: Mapping[str, Decimal]) -> IncomePoint:
    """The pension is zero from deduction + full amount / rate (2022 single: 857,000 kr.)."""
    full, deduction, rate = _pension_rates(inputs, rates)
    return _point_for_basis(inputs, rates, deduction + full / rate)


def reduction_point(inputs: Inputs, rates: Mapping[str, Decimal]) -> IncomePoint:
    """Where the pension starts to fall: the income basis reaches the deduction."""
    _full, deduction, _rate = _pension_rates(inputs, rates)
    return _point_for_basis(inputs, rates, deduction)


@dataclass(frozen=True)
class Result:
    inputs: Inputs
    without_work: Scenario
    with_work: Scenario
    kept: Decimal  # per year, against zero hours
    extra_100_kept: Decimal  # of the next 100 kr. gross earned
    average_100_kept: Decimal | None  # of each 100 kr. of the whole gross wage
    zero: IncomePoint
    reduction: IncomePoint  # where the pension starts to fall
    chart: list[tuple[int, Decimal, Decimal]] = field(default_factory=list)  # hours, gross, kept
    used_keys: list[str] = field(default_factory=list)

    @property
    def kept_per_month(self) -> Decimal:
        return self.kept / MONTHS


def calculate(inputs: Inputs, rates: Mapping[str, Decimal]) -> Result:
    """The whole answer for one situation; raises MissingRates before computing anything."""
    check_rates(inputs, rates)
    base = scenario(inputs, rates, hours=ZERO)
    work = scenario(inputs, rates, hours=inputs.hours_per_week)
    step = scenario(inputs, rates, hours=inputs.hours_per_week, gross=work.gross + MARGINAL_STEP)
    kept = work.disposable - base.disposable
    average = kept / work.gross * HUNDRED if work.gross > 0 else None
    chart = []
    for hours in CHART_HOURS:
        point = scenario(inputs, rates, hours=Decimal(hours))
        chart.append((hours, point.gross, point.disposable - base.disposable))
    return Result(
        inputs=inputs,
        without_work=base,
        with_work=work,
        kept=kept,
        extra_100_kept=(step.disposable - work.disposable) / MARGINAL_STEP * HUNDRED,
        average_100_kept=average,
        zero=zero_point(inputs, rates),
        reduction=reduction_point(inputs, rates),
        chart=chart,
        used_keys=needed_keys(inputs),
    )


def kroner(value: Decimal) -> Decimal:
    """Whole kroner, half up: how amounts are shown."""
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def inputs_to_dict(inputs: Inputs) -> dict:
    return {f.name: str(getattr(inputs, f.name)) for f in fields(Inputs)}


def inputs_from_dict(data: Mapping[str, str]) -> Inputs:
    base = Inputs(year=int(data["year"]), hours_per_week=ZERO, hourly_wage=ZERO)
    values = {}
    for f in fields(Inputs):
        if f.name not in data:
            continue
        raw = data[f.name]
        current = getattr(base, f.name)
        if isinstance(current, bool):
            values[f.name] = raw in (True, "True", "true", "1")
        elif isinstance(current, int):
            values[f.name] = int(raw)
        elif isinstance(current, Decimal):
            values[f.name] = Decimal(raw)
        else:
            values[f.name] = raw
    return replace(base, **values)
