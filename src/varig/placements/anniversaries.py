"""Anniversaries ("Godt Gået"): 2, 5 and 10 years of continuous employment at one company.

The rule, in one place:
- only employment counts (skånejob, fleksjob, ordinary job); a praktik does not, so a praktik
  followed directly by employment counts from the employment's start;
- consecutive employments at the same company without a gap count as one (the next starts no
  later than the day after the previous ends: `continuity.continuous_runs`);
- the anniversary is the same day N years after the start; a 29 February start has its
  anniversary on 28 February when the year has no 29 February;
- it counts only if the employment still lasts on that day.

`anniversaries_between` narrows the rows in SQL (people in work whose employment at a company
started in one of the three windows) and applies the rule to those in Python.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from varig.customers.models import JobCustomer

from .continuity import continuous_runs, run_end
from .models import Celebration, Placement

MILESTONES = (2, 5, 10)
UPCOMING_DAYS = 90


def anniversary_date(start: datetime.date, years: int) -> datetime.date:
    """The same day `years` years later; 29 February becomes 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a year without one
        return datetime.date(start.year + years, 2, 28)


@dataclass
class Span:
    """One unbroken employment of one person at one company."""

    job_customer_id: int
    company_id: int
    started_on: datetime.date
    ended_on: datetime.date | None
    placements: list = field(default_factory=list)

    def lasts_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


def employment_spans(placements) -> list[Span]:
    """The unbroken employments (work placements only) among `placements`."""
    work = [p for p in placements if p.kind != Placement.Kind.PRAKTIK]
    return [
        Span(run[0].job_customer_id, run[0].company_id, run[0].started_on, run_end(run), run)
        for run in continuous_runs(work)
    ]


@dataclass
class Anniversary:
    job_customer: JobCustomer
    company: object
    years: int
    on: datetime.date
    employed_since: datetime.date
    celebration: Celebration | None = None

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.job_customer.pk, self.company.pk, self.years)


def span_anniversaries(
    span: Span, first: datetime.date, last: datetime.date
) -> list[tuple[int, datetime.date]]:
    """(years, date) of the span's anniversaries from `first` to `last` that it lives to see."""
    found = []
    for years in MILESTONES:
        day = anniversary_date(span.started_on, years)
        if first <= day <= last and span.lasts_on(day):
            found.append((years, day))
    return found


def _start_windows(first: datetime.date, last: datetime.date) -> Q:
    """Starts whose anniversary could fall from `first` to `last` (a day wider for 29 Feb)."""
    q = Q()
    for years in MILESTONES:
        q |= Q(
            started_on__gte=_years_back(first, years) - datetime.timedelta(days=1),
            started_on__lte=_years_back(last, years) + datetime.timedelta(days=1),
        )
    return q


def _years_back(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return datetime.date(day.year - years, 2, 28)


def _pairs(*, first: datetime.date, last: datetime.date, advisor=None, job_customer=None) -> set:
    """(person, company) of the employments that may have an anniversary from `first` to
    `last`: a work placement started in one of the milestone windows, of a person associated
    on `first`, and one (the same or a later) lasting into the period. The window starts lead:
    they are a few percent of all placements and a range read of the (kind, started_on) index
    (the other way round, every placement in work was checked; 1.3 s at national scale)."""
    work = Placement.objects.work()
    lasting = work.filter(
        job_customer=OuterRef("job_customer"), company=OuterRef("company"), started_on__lte=last
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
    candidates = (
        work.filter(_start_windows(first, last))
        .filter(job_customer__associated_from__lte=first)
        .filter(
            Q(job_customer__associated_until__isnull=True)
            | Q(job_customer__associated_until__gte=first)
        )
    )
    if advisor is not None:
        candidates = candidates.filter(job_customer__advisor=advisor)
    if job_customer is not None:
        candidates = candidates.filter(job_customer=job_customer)
    return set(
        candidates.filter(Exists(lasting))
        .order_by()
        .values_list("job_customer_id", "company_id")
        .distinct()
    )


@dataclass(frozen=True)
class _Found:
    """An anniversary before its rows are loaded (plain values; sorts as the list does)."""

    on: datetime.date
    last_name: str
    job_customer_id: int
    years: int
    company_id: int
    employed_since: datetime.date
    first_placement_id: int


@dataclass(frozen=True)
class _Row:
    pk: int
    job_customer_id: int
    company_id: int
    kind: str
    started_on: datetime.date
    ended_on: datetime.date | None
    last_name: str


def _found(pairs: set, first: datetime.date, last: datetime.date) -> list[_Found]:
    """The anniversaries of `pairs` from `first` to `last`, sorted, from plain rows (one query;
    no model instances: at national scale a month has ~1,500 anniversaries)."""
    rows = [
        _Row(*values)
        for values in Placement.objects.work()
        .filter(job_customer_id__in={person for person, _ in pairs})
        .order_by("started_on", "pk")
        .values_list(
            "pk",
            "job_customer_id",
            "company_id",
            "kind",
            "started_on",
            "ended_on",
            "job_customer__last_name",
        )
        if (values[1], values[2]) in pairs
    ]
    found = [
        _Found(
            on=day,
            last_name=span.placements[0].last_name,
            job_customer_id=span.job_customer_id,
            years=years,
            company_id=span.company_id,
            employed_since=span.started_on,
            first_placement_id=span.placements[0].pk,
        )
        for span in employment_spans(rows)
        for years, day in span_anniversaries(span, first, last)
    ]
    found.sort(key=lambda f: (f.on, f.last_name, f.job_customer_id, f.years))
    return found


def _loaded(found: list[_Found]) -> list[Anniversary]:
    """Anniversaries with their person (and advisor), company and celebration (two queries)."""
    if not found:
        return []
    placements = (
        Placement.objects.filter(pk__in={f.first_placement_id for f in found})
        .select_related("job_customer", "job_customer__advisor", "company")
        .in_bulk()
    )
    result = [
        Anniversary(
            job_customer=placements[f.first_placement_id].job_customer,
            company=placements[f.first_placement_id].company,
            years=f.years,
            on=f.on,
            employed_since=f.employed_since,
        )
        for f in found
    ]
    _attach_celebrations(
        result, Celebration.objects.filter(job_customer_id__in={f.job_customer_id for f in found})
    )
    return result


def anniversaries_between(
    *, first: datetime.date, last: datetime.date, advisor=None, job_customer=None
) -> list[Anniversary]:
    """Anniversaries from `first` to `last`, with their celebration if one is recorded; one
    advisor's caseload, one person's, or everyone's. Four queries, sorted by date."""
    pairs = _pairs(first=first, last=last, advisor=advisor, job_customer=job_customer)
    return _loaded(_found(pairs, first, last)) if pairs else []


def anniversaries_upcoming_shown(
    *, on: datetime.date, days: int, shown: int, advisor=None
) -> tuple[list[Anniversary], int]:
    """The first `shown` anniversaries of the next `days` days and how many there are in all
    ("I dag"): only the shown ones are loaded as records."""
    first, last = on, on + datetime.timedelta(days=days)
    pairs = _pairs(first=first, last=last, advisor=advisor)
    found = _found(pairs, first, last) if pairs else []
    return _loaded(found[:shown]), len(found)


def _anniversaries_of(placements, first: datetime.date, last: datetime.date) -> list[Anniversary]:
    """The anniversaries from `first` to `last` of the employments among `placements` (which
    carry their job customer and company), sorted by date."""
    found: list[Anniversary] = []
    for span in employment_spans(placements):
        first_placement = span.placements[0]
        for years, day in span_anniversaries(span, first, last):
            found.append(
                Anniversary(
                    job_customer=first_placement.job_customer,
                    company=first_placement.company,
                    years=years,
                    on=day,
                    employed_since=span.started_on,
                )
            )
    found.sort(key=lambda a: (a.on, a.job_customer.last_name, a.job_customer.pk, a.years))
    return found


def _attach_celebrations(found: list[Anniversary], celebrations) -> None:
    by_key = {(c.job_customer_id, c.company_id, c.years): c for c in celebrations}
    for anniversary in found:
        anniversary.celebration = by_key.get(anniversary.key)


def person_anniversaries_upcoming(
    *, job_customer: JobCustomer, placements, celebrations, on: datetime.date
) -> list[Anniversary]:
    """`anniversaries_upcoming(job_customer=...)` from one person's placements (with their
    companies) and celebrations the caller has already loaded: no query. The person's page
    has both (issue 9: the page's query budget)."""
    first, last = on, on + datetime.timedelta(days=UPCOMING_DAYS)
    until = job_customer.associated_until
    if job_customer.associated_from > first or (until is not None and until < first):
        return []
    found = _anniversaries_of(placements, first, last)
    _attach_celebrations(found, celebrations)
    return found


def anniversaries_upcoming(
    *, on: datetime.date, days: int = UPCOMING_DAYS, advisor=None, job_customer=None
) -> list[Anniversary]:
    """The anniversaries in the next `days` days (today included)."""
    return anniversaries_between(
        first=on,
        last=on + datetime.timedelta(days=days),
        advisor=advisor,
        job_customer=job_customer,
    )


def anniversary_find(
    *, job_customer: JobCustomer, company_id: int, years: int
) -> Anniversary | None:
    """The person's anniversary of `years` at the company in their current or a past
    employment (for the celebration form), or None when there is no such anniversary. One
    further ahead than the upcoming list (90 days) is not offered yet."""
    placements = list(
        Placement.objects.work()
        .filter(job_customer=job_customer, company_id=company_id)
        .select_related("job_customer", "company")
    )
    for span in reversed(employment_spans(placements)):
        day = anniversary_date(span.started_on, years)
        reachable = day <= timezone.localdate() + datetime.timedelta(days=UPCOMING_DAYS)
        if years in MILESTONES and reachable and span.lasts_on(day):
            return Anniversary(
                job_customer=job_customer,
                company=span.placements[0].company,
                years=years,
                on=day,
                employed_since=span.started_on,
                celebration=Celebration.objects.filter(
                    job_customer=job_customer, company_id=company_id, years=years
                ).first(),
            )
    return None
