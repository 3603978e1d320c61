"""Reads for the earnings guide: the rates of a year, their history, the pages' shapes."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from .models import Rate
from .rates import KEYS, Confidence, RateKey, Scheme


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
