"""Anniversaries ("Godt Gået"): 2, 5 and 10 years of continuous employment at one company.

The rule, in one place:
- only employment counts (skånejob, fleksjob, ordinary job); a praktik does not, so a praktik
  followed directly by employment counts from the employment's start;
- consecutive employments at the same company without a gap count as one (the next starts no
  later than the day after the previous ends: `continuity.continuous_runs`);
- the anniversary is the same day N years after the start; a 29 February start has its
  anniversary on 28 February when the year has no 29 February;
- it counts only if the employment still lasts on that day.

Each work placement stores the start of the unbroken employment it belongs to
(`Placement.employed_since`, kept by `refresh_employed_since` in every writer of placements), so
`anniversaries_between` reads in SQL only the placements of employments started in one of the
three windows that last into the period, and applies the rule to those rows in Python.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
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


def refresh_employed_since(job_customers) -> int:
    """Store on every placement of `job_customers` (ids, or a queryset of them) the start of the
    unbroken employment it belongs to (None for a praktik); returns how many rows changed.
    Every writer of placements calls it after its writes, in its transaction (the services,
    the interchange import, the demo, erasure, the test factories)."""
    ids = (
        list(job_customers.values_list("pk", flat=True))
        if hasattr(job_customers, "values_list")
        else list(job_customers)
    )
    changed = 0
    for i in range(0, len(ids), 500):
        rows = list(
            Placement.objects.filter(job_customer_id__in=ids[i : i + 500])
            .order_by()
            .only(
                "pk",
                "job_customer_id",
                "company_id",
                "kind",
                "started_on",
                "ended_on",
                "employed_since",
            )
        )
        wanted = employed_since_of(rows)
        stale = [p for p in rows if p.employed_since != wanted[p.pk]]
        for placement in stale:
            placement.employed_since = wanted[placement.pk]
        Placement.objects.bulk_update(stale, ["employed_since"], batch_size=500)
        changed += len(stale)
    return changed


def employed_since_of(placements) -> dict:
    """{placement pk: the start of its unbroken employment, or None for a praktik}."""
    wanted = {p.pk: None for p in placements}
    for span in employment_spans(placements):
        for placement in span.placements:
            wanted[placement.pk] = span.started_on
    return wanted


def _start_windows(first: datetime.date, last: datetime.date) -> Q:
    """Employment starts whose anniversary could fall from `first` to `last` (a day wider for
    29 February)."""
    q = Q()
    for years in MILESTONES:
        q |= Q(
            employed_since__gte=_years_back(first, years) - datetime.timedelta(days=1),
            employed_since__lte=_years_back(last, years) + datetime.timedelta(days=1),
        )
    return q


def _years_back(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return datetime.date(day.year - years, 2, 28)


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


def _found(
    *, first: datetime.date, last: datetime.date, advisor=None, job_customer=None
) -> list[_Found]:
    """The anniversaries from `first` to `last`, sorted, from plain rows (one query; no model
    instances: at national scale a month has ~1,500 anniversaries). The rows are the work
    placements of an employment started in a milestone window that overlap the period, of a
    person associated on `first`: an employment lasts on a day exactly when one of its
    placements does (its runs have no gaps)."""
    # Only work placements have a start of employment: no condition on the kind (on
    # PostgreSQL it joined the kind index's 270,000 entries to the windows' 3,000).
    rows = Placement.objects.filter(
        _start_windows(first, last),
        Q(ended_on__isnull=True) | Q(ended_on__gte=first),
        Q(job_customer__associated_until__isnull=True)
        | Q(job_customer__associated_until__gte=first),
        started_on__lte=last,
        job_customer__associated_from__lte=first,
    )
    if advisor is not None:
        rows = rows.filter(job_customer__advisor=advisor)
    if job_customer is not None:
        rows = rows.filter(job_customer=job_customer)
    found: dict[tuple, _Found] = {}
    for pk, person, company, since, started_on, ended_on, last_name in rows.order_by().values_list(
        "pk",
        "job_customer_id",
        "company_id",
        "employed_since",
        "started_on",
        "ended_on",
        "job_customer__last_name",
    ):
        for years in MILESTONES:
            day = anniversary_date(since, years)
            if not (first <= day <= last and started_on <= day):
                continue
            if ended_on is not None and ended_on < day:
                continue
            key = (person, company, since, years)
            if key not in found or pk < found[key].first_placement_id:
                found[key] = _Found(day, last_name, person, years, company, since, pk)
    return sorted(found.values(), key=lambda f: (f.on, f.last_name, f.job_customer_id, f.years))


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
    advisor's caseload, one person's, or everyone's. Three queries, sorted by date."""
    return _loaded(_found(first=first, last=last, advisor=advisor, job_customer=job_customer))


def anniversaries_upcoming_shown(
    *, on: datetime.date, days: int, shown: int, advisor=None
) -> tuple[list[Anniversary], int]:
    """The first `shown` anniversaries of the next `days` days and how many there are in all
    ("I dag"): only the shown ones are loaded as records."""
    first, last = on, on + datetime.timedelta(days=days)
    found = _found(first=first, last=last, advisor=advisor)
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
