"""The job customers' status, stored for a span of days (issue 9).

The status (ended, in work, in praktik, not yet in work) is derived from the association and
the placements (`JobCustomerQuerySet.with_status`). Filtering 100,000 persons by it asked
every placement of the country whether it is active today: 380 ms on SQLite. So each person
also carries it stored, with the span of days it is known to hold:

- `current_status`: the status on `status_checked_on`;
- `status_changes_on`: the first day it may be different: the next start of a placement, or
  the day a placement or the association ends (a day early for those: the end day still
  counts, so that day and later the status is derived again; never wrong, only slower).
  None when nothing known lies ahead.

A stored status is *fresh* on day D when `status_checked_on <= D` and D is before
`status_changes_on`. The filter uses the stored status of fresh rows and derives the status
of the few that are not (`status_filter`). What keeps it fresh:

- every writer of placements or of the association calls `refresh_statuses` in its
  transaction (placement and job customer services, the interchange import, the demo, the
  erasure, the test factories);
- the daily job `status_daily` refreshes the rows whose span ended, so on most days the
  derived part is empty.
"""

import datetime

from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Least, NullIf
from django.utils import timezone

from .models import CustomerStatus, JobCustomer

# Far in the future: "nothing ahead" while taking the least date (SQLite's MIN() of a NULL
# is NULL, PostgreSQL's LEAST ignores it, so neither may see one).
_NEVER = datetime.date(9999, 12, 31)
_CHUNK = 500
# More stale rows than this (the daily job has not run for a long time): derive them all.
STALE_LIMIT = 2000


def _status_expression(day: datetime.date):
    from varig.placements.models import Placement

    active = Placement.objects.active_on(day).filter(job_customer=OuterRef("pk"))
    return Case(
        When(associated_until__lt=day, then=Value(CustomerStatus.ENDED.value)),
        When(Exists(active.work()), then=Value(CustomerStatus.IN_WORK.value)),
        When(
            Exists(active.filter(kind=Placement.Kind.PRAKTIK)),
            then=Value(CustomerStatus.IN_PRAKTIK.value),
        ),
        default=Value(CustomerStatus.NOT_IN_WORK.value),
    )


def _changes_on_expression(day: datetime.date):
    from varig.placements.models import Placement

    # A placement's next date of change: its start when that is ahead, else its end.
    ahead = (
        Placement.objects.filter(job_customer=OuterRef("pk"))
        .filter(Q(started_on__gt=day) | Q(ended_on__gte=day))
        .annotate(
            change=Case(When(started_on__gt=day, then=F("started_on")), default=F("ended_on"))
        )
        .order_by("change")
        .values("change")[:1]
    )
    association_end = Case(
        When(associated_until__gte=day, then=F("associated_until")), default=Value(_NEVER)
    )
    return Case(
        When(associated_until__lt=day, then=Value(None)),
        default=NullIf(Least(Coalesce(Subquery(ahead), Value(_NEVER)), association_end), _NEVER),
    )


def refresh_statuses(job_customers, *, day: datetime.date | None = None) -> int:
    """Store the status on `day` (today) of `job_customers`: a queryset or primary keys.
    One UPDATE per 500 persons, computed in SQL; returns the number of rows."""
    day = day or timezone.localdate()
    values = {
        "current_status": _status_expression(day),
        "status_checked_on": Value(day),
        "status_changes_on": _changes_on_expression(day),
    }
    if hasattr(job_customers, "query"):
        return JobCustomer.objects.filter(pk__in=job_customers.values("pk")).update(**values)
    pks = sorted({pk for pk in job_customers if pk is not None})
    return sum(
        JobCustomer.objects.filter(pk__in=pks[i : i + _CHUNK]).update(**values)
        for i in range(0, len(pks), _CHUNK)
    )


def stale_q(day: datetime.date) -> Q:
    """The rows whose stored status may not hold on `day`."""
    return (
        Q(status_checked_on__isnull=True)
        | Q(status_checked_on__gt=day)
        | Q(status_changes_on__lte=day)
    )


def fresh_q(day: datetime.date) -> Q:
    """The rows whose stored status holds on `day`."""
    return Q(status_checked_on__lte=day) & (
        Q(status_changes_on__isnull=True) | Q(status_changes_on__gt=day)
    )


def derived_status_q(status: str, day: datetime.date) -> Q:
    """A filter on JobCustomer: the persons with `status` on `day`, derived from the
    placements as sets (one pass over the placements active that day, not a look-up per
    person): for the days the stored status does not cover."""
    from varig.placements.models import Placement

    active = Placement.objects.active_on(day).order_by()
    ended = Q(associated_until__lt=day)
    work = Q(pk__in=active.work().values("job_customer_id"))
    praktik = Q(pk__in=active.filter(kind=Placement.Kind.PRAKTIK).values("job_customer_id"))
    return {
        CustomerStatus.ENDED: ended,
        CustomerStatus.IN_WORK: ~ended & work,
        CustomerStatus.IN_PRAKTIK: ~ended & ~work & praktik,
        CustomerStatus.NOT_IN_WORK: ~ended & ~work & ~praktik,
    }[CustomerStatus(status)]


def status_q(status: str, day: datetime.date | None = None) -> Q:
    """A filter on JobCustomer: the persons with `status` on `day`, by the stored status where
    it is fresh and derived for the rest (one small query for those first; when there are
    more than STALE_LIMIT of them, all are derived)."""
    day = day or timezone.localdate()
    # Unordered: in the list's order SQLite would scan them all rather than use the indexes
    # of the dates.
    stale_pks = list(
        JobCustomer.objects.filter(stale_q(day))
        .order_by()
        .values_list("pk", flat=True)[: STALE_LIMIT + 1]
    )
    if len(stale_pks) > STALE_LIMIT:
        return derived_status_q(status, day)
    stale_rows = (
        JobCustomer.objects.filter(pk__in=stale_pks).with_status(day).only("pk", "associated_until")
        if stale_pks
        else []
    )
    stale = [row.pk for row in stale_rows if row.status_on(day) == status]
    stored = fresh_q(day) & Q(current_status=status)
    return stored | Q(pk__in=stale) if stale else stored


def status_filter(queryset, status: str, day: datetime.date | None = None):
    """`queryset` (of job customers) narrowed to the persons with `status` on `day`."""
    return queryset.filter(status_q(status, day))


def status_daily(*, on: datetime.date) -> dict:
    """The daily job (VARIG_DAILY_JOBS): store the status of the rows whose span ended."""
    return {"refreshed": refresh_statuses(JobCustomer.objects.filter(stale_q(on)), day=on)}
