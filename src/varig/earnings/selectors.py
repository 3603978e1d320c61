"""Reads for the earnings guide: the rates of a year, their history, the pages' shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils import timezone

from .models import Rate
from .rates import KEYS, Confidence, RateKey, Scheme

if TYPE_CHECKING:
    from . import calculator
    from .chart import Chart


@dataclass
class RateBook:
    """The figures in force for one year (and one municipality's tax)."""

    year: int
    municipality: str
    rates: dict[str, Rate]

    def values(self) -> dict[str, Decimal]:
        return {key: rate.value for key, rate in self.rates.items()}

    def used(self, keys: list[str]) -> list[Rate]:
        return [self.rates[key] for key in keys if key in self.rates]


def rate_book(*, year: int, municipality: str = "") -> RateBook:
    """The current rates for `year`; the municipal tax only for `municipality`. One query."""
    rows = Rate.objects.current().filter(year=year)
    rows = rows.filter(~Q(key=RateKey.MUNICIPAL_TAX) | Q(municipality=municipality))
    return RateBook(year=year, municipality=municipality, rates={rate.key: rate for rate in rows})


@dataclass
class SheetRow:
    key: str
    label: str
    unit: str
    rate: Rate | None
    used_by_calculator: bool = True


@dataclass
class SchemeSheet:
    scheme: str
    label: str
    rows: list[SheetRow] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(1 for row in self.rows if row.rate is None and row.used_by_calculator)


@dataclass
class YearSheet:
    """Every rate of one year, grouped by scheme, with the ones not entered as gaps."""

    year: int
    schemes: list[SchemeSheet]
    municipal_taxes: list[Rate]
    years: list[dict]  # every year with figures: {"year", "count", "missing"}

    @property
    def missing(self) -> int:
        return sum(scheme.missing for scheme in self.schemes)

    @property
    def unverified(self) -> int:
        return sum(
            1
            for scheme in self.schemes
            for row in scheme.rows
            if row.rate and row.rate.confidence == Confidence.UNVERIFIED
        )


def rate_years() -> list[dict]:
    """Each year with figures in force, newest first, with how many national rates the
    calculator uses are missing (the municipal tax is counted apart). One query."""
    national = [
        k for k, info in KEYS.items() if info.used_by_calculator and not info.per_municipality
    ]
    rows = (
        Rate.objects.current()
        .values("year")
        .annotate(
            count=Count("pk"),
            national=Count("pk", filter=Q(key__in=national)),
            municipalities=Count("pk", filter=Q(key=RateKey.MUNICIPAL_TAX)),
        )
        .order_by("-year")
    )
    return [
        {
            "year": row["year"],
            "count": row["count"],
            "missing": len(national) - row["national"],
            "municipalities": row["municipalities"],
        }
        for row in rows
    ]


def default_year(years: list[dict]) -> int:
    """This year when it has figures, else the newest year that has any."""
    today = timezone.localdate().year
    if not years or any(row["year"] == today for row in years):
        return today
    return years[0]["year"]


def year_sheet(*, year: int) -> YearSheet:
    """The page-shaped rates of one year (two queries: the year's rates, the year list)."""
    rates = list(
        Rate.objects.current()
        .filter(year=year)
        .select_related("recorded_by")
        .order_by("key", "municipality")
    )
    by_key = {rate.key: rate for rate in rates if not KEYS[rate.key].per_municipality}
    schemes = []
    for scheme, label in Scheme.choices:
        sheet = SchemeSheet(scheme=scheme, label=str(label))
        for key, info in KEYS.items():
            if info.scheme != scheme or info.per_municipality:
                continue
            sheet.rows.append(
                SheetRow(
                    key=key,
                    label=str(RateKey(key).label),
                    unit=info.unit,
                    rate=by_key.get(key),
                    used_by_calculator=info.used_by_calculator,
                )
            )
        schemes.append(sheet)
    municipal = [rate for rate in rates if KEYS[rate.key].per_municipality]
    return YearSheet(year=year, schemes=schemes, municipal_taxes=municipal, years=rate_years())


def rate_history(*, rate: Rate) -> list[Rate]:
    """Every version of this figure (same year, rate, municipality), newest first."""
    return list(
        Rate.objects.filter(year=rate.year, key=rate.key, municipality=rate.municipality)
        .select_related("recorded_by", "replaced_by")
        .order_by("-recorded_at", "-pk")
    )


def calculator_years() -> list[int]:
    """Years offered in the calculator: every year with any figure, and this year."""
    years = set(Rate.objects.current().values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


# --- The calculator ------------------------------------------------------------------------------

# The national figures a single person without housing benefit needs: a year that has them all
# is one the calculator can answer for (given the municipality's tax).
_CORE_KEYS = {
    RateKey.FULL_SINGLE,
    RateKey.DEDUCTION_SINGLE,
    RateKey.REDUCTION_RATE,
    RateKey.AM_CONTRIBUTION,
    RateKey.PERSONAL_ALLOWANCE,
    RateKey.BOTTOM_TAX,
    RateKey.EMPLOYMENT_DEDUCTION_RATE,
    RateKey.EMPLOYMENT_DEDUCTION_MAX,
}


@dataclass(frozen=True)
class CalculatorYears:
    years: list[int]  # newest first
    default: int  # the newest year with every core figure, else this year


def calculator_year_choices() -> CalculatorYears:
    """The years the calculator offers and the one it starts on. One query."""
    this_year = timezone.localdate().year
    keys_by_year: dict[int, set] = {}
    rows = Rate.objects.current().exclude(key=RateKey.MUNICIPAL_TAX).values_list("year", "key")
    for year, key in rows.distinct():
        keys_by_year.setdefault(year, set()).add(key)
    years = sorted(set(keys_by_year) | {this_year}, reverse=True)
    complete = [y for y in years if keys_by_year.get(y, set()) >= _CORE_KEYS]
    return CalculatorYears(years=years, default=complete[0] if complete else this_year)


@dataclass
class Calculation:
    """One answer of the calculator, shaped for the page and the PDF."""

    inputs: calculator.Inputs
    pension_rules: str
    result: calculator.Result | None = None
    chart: Chart | None = None
    missing: list[str] = field(default_factory=list)  # sentences, one per missing figure
    missing_keys: list[str] = field(default_factory=list)
    rates_used: list[Rate] = field(default_factory=list)
    rate_values: dict = field(default_factory=dict)

    @property
    def old_rules(self) -> bool:
        return self.pension_rules == "before_2003"

    @property
    def rules_unknown(self) -> bool:
        return self.pension_rules == "unknown"

    @property
    def refused(self) -> bool:
        return self.old_rules or bool(self.missing)

    @property
    def not_official(self) -> list[Rate]:
        return [rate for rate in self.rates_used if rate.confidence != Confidence.OFFICIAL]


def calculation(
    *, inputs: calculator.Inputs, pension_rules: str = "after_2003", rates=None
) -> Calculation:
    """The calculator's answer with the year's rates (one query; none when `rates` is given,
    a mapping key -> Rate, e.g. the snapshot of a saved calculation). Refuses a pension under
    the rules before 2003 and a year that lacks a figure, naming every missing one."""
    from . import calculator
    from .chart import build_chart
    from .rates import missing_message

    page = Calculation(inputs=inputs, pension_rules=pension_rules)
    if page.old_rules:
        return page
    if rates is None:
        rates = rate_book(year=inputs.year, municipality=inputs.municipality).rates
    values = {key: rate.value for key, rate in rates.items()}
    try:
        calculator.check_rates(inputs, values)
    except calculator.MissingRates as exc:
        page.missing_keys = list(exc.keys)
        page.missing = [
            missing_message(key, year=exc.year, municipality=exc.municipality) for key in exc.keys
        ]
        return page
    page.result = calculator.calculate(inputs, values)
    page.chart = build_chart(inputs, values)
    page.rates_used = [rates[key] for key in page.result.used_keys]
    page.rate_values = values
    return page


# --- On a job customer's record ------------------------------------------------------------------

CARD_CALCULATIONS = 3  # the newest saved calculations on the person's card


def saved_calculation(saved) -> Calculation:
    """A saved calculation as the calculator's answer: its own inputs, results and copied
    rates (no query; the rates in force now play no part)."""
    from . import saved as snapshot
    from .calculator import inputs_from_dict
    from .chart import build_chart

    inputs = inputs_from_dict(saved.inputs)
    rates = [snapshot.rate_from_dict(data) for data in saved.rates]
    page = Calculation(inputs=inputs, pension_rules=saved.pension_rules)
    page.result = snapshot.result_from_dict(inputs, saved.results)
    page.rates_used = rates
    page.rate_values = {rate.key: rate.value for rate in rates}
    try:
        page.chart = build_chart(inputs, page.rate_values)
    except (KeyError, ArithmeticError):  # pragma: no cover - a snapshot always has its rates
        page.chart = None
    return page


def saved_calculation_for(*, job_customer, pk) -> object:
    """One of the person's saved calculations, or 404 (one query)."""
    from django.shortcuts import get_object_or_404

    from .models import SavedCalculation

    return get_object_or_404(
        SavedCalculation.objects.select_related("created_by"), pk=pk, job_customer=job_customer
    )


@dataclass
class PersonEarnings:
    """The earnings card and page of one job customer."""

    job_customer: object
    calculations: list
    calculation_count: int
    savings: list  # every period of pension saving, newest first

    @property
    def open_saving(self):
        return next((s for s in self.savings if s.stopped_on is None), None)

    @property
    def saving_now(self) -> bool:
        today = timezone.localdate()
        return any(s.saving_on(today) for s in self.savings)


def person_earnings(*, job_customer, limit: int | None = CARD_CALCULATIONS) -> PersonEarnings:
    """The person's saved calculations (the newest `limit`, None: all) with their count, and
    their periods of pension saving. Two queries whatever the number of rows."""
    from django.db.models import Count, Window

    from .models import PensionSaving, SavedCalculation

    rows = (
        SavedCalculation.objects.filter(job_customer=job_customer)
        .select_related("created_by")
        .defer("inputs", "results", "rates")
        .annotate(total=Window(Count("pk")))
        .order_by("-created_at", "-pk")
    )
    if limit is not None:
        rows = rows[:limit]
    calculations = list(rows)
    savings = list(
        PensionSaving.objects.filter(job_customer=job_customer)
        .select_related("created_by")
        .order_by("-started_on", "-pk")
    )
    return PersonEarnings(
        job_customer=job_customer,
        calculations=calculations,
        calculation_count=calculations[0].total if calculations else 0,
        savings=savings,
    )


@dataclass(frozen=True)
class SourcedRate:
    rate: Rate
    source: int  # the number of its source in the list of sources


def rates_with_sources(rates: list[Rate]) -> tuple[list[SourcedRate], list[dict]]:
    """The rates with a number for their source, and the distinct sources in order (the
    printout names each source once, so every rate fits on one line)."""
    numbers: dict[tuple, int] = {}
    sources, rows = [], []
    for rate in rates:
        key = (rate.publisher, rate.source_title, rate.source_url)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
            sources.append(
                {
                    "n": numbers[key],
                    "publisher": rate.publisher,
                    "title": rate.source_title,
                    "url": rate.source_url,
                    "retrieved_on": rate.retrieved_on,
                }
            )
        rows.append(SourcedRate(rate=rate, source=numbers[key]))
    return rows, sources
