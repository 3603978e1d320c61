"""Page-shaped reads of the early warnings and periods; each owns its related rows."""

import datetime

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from varig.core.db import pk_among
from varig.customers.models import JobCustomer

from .models import Flag, Period

FLAG_RELATED = (
    "job_customer",
    "job_customer__advisor",
    "placement__company",
    "followup",
    "consent__company",
    "contact",
    "period",
    "planned_followup",
    "resolved_by",
)


def flags_open(*, advisor=None) -> QuerySet:
    """Open warnings, newest first; one advisor's caseload or everyone's."""
    qs = Flag.objects.open().select_related(*FLAG_RELATED)
    if advisor is not None:
        qs = qs.filter(job_customer__advisor=advisor)
    return qs.order_by("-raised_on", "-pk")


def flags_open_newest(*, advisor=None, shown: int) -> list[Flag]:
    """The `shown` newest open warnings ("I dag"), with their related rows. The newest are
    picked from the warnings' own table first (a partial index of the open ones by date) and
    only those joined: ordering every open warning with its nine joins before taking ten
    sorted 38,000 joined rows on disk for a manager at national scale (150 ms on PostgreSQL;
    issue 9)."""
    newest = Flag.objects.open()
    if advisor is not None:
        newest = newest.filter(job_customer__advisor=advisor)
    newest = newest.order_by("-raised_on", "-pk").values("pk")[:shown]
    return list(
        Flag.objects.filter(pk_among(newest))
        .select_related(*FLAG_RELATED)
        .order_by("-raised_on", "-pk")
    )


def flag_counts_open(*, advisor=None) -> dict[str, int]:
    """How many open warnings of each kind (one grouped query)."""
    qs = Flag.objects.open()
    if advisor is not None:
        qs = qs.filter(job_customer__advisor=advisor)
    return dict(qs.order_by().values_list("kind").annotate(n=Count("pk")))


def flag_list(*, status: str = "open", kind: str = "", advisor=None, advisor_filter="all"):
    """The warnings page: open, resolved or lapsed, optionally one kind and one caseload."""
    qs = Flag.objects.select_related(*FLAG_RELATED)
    if status == "resolved":
        qs = qs.filter(resolved_at__isnull=False).order_by("-resolved_at", "-pk")
    elif status == "lapsed":
        qs = qs.filter(lapsed_on__isnull=False, resolved_at__isnull=True).order_by(
            "-lapsed_on", "-pk"
        )
    else:
        qs = qs.open().order_by("-raised_on", "-pk")
    if kind in Flag.Kind.values:
        qs = qs.filter(kind=kind)
    if advisor is not None:
        qs = qs.filter(job_customer__advisor=advisor)
    return qs


def flag_get(*, pk: int) -> Flag:
    return Flag.objects.select_related(*FLAG_RELATED).get(pk=pk)


PERSON_CLOSED_SHOWN = 5


def person_flags(*, job_customer: JobCustomer) -> tuple[list[Flag], list[Flag]]:
    """The person's open warnings and the five most recently closed (one query: every open
    flag and the closed ones numbered newest first, cut at five, in SQL)."""
    closed = ~Q(resolved_at__isnull=True, lapsed_on__isnull=True)
    rows = (
        Flag.objects.filter(job_customer=job_customer)
        .select_related(*FLAG_RELATED)
        .annotate(
            is_closed=ExpressionWrapper(closed, output_field=BooleanField()),
            nth=Window(
                RowNumber(),
                partition_by=[F("is_closed")],
                order_by=[F("raised_on").desc(), F("pk").desc()],
            ),
        )
        .filter(Q(is_closed=False) | Q(nth__lte=PERSON_CLOSED_SHOWN))
        .order_by("-raised_on", "-pk")
    )
    open_flags, closed_flags = [], []
    for flag in rows:
        (closed_flags if flag.is_closed else open_flags).append(flag)
    return open_flags, closed_flags


def person_periods(*, job_customer: JobCustomer) -> list[Period]:
    return list(
        Period.objects.filter(job_customer=job_customer)
        .select_related("recorded_by")
        .order_by("-started_on", "-pk")
    )


def sick_leave_days(periods: list[Period], *, since: datetime.date) -> int:
    return sum(p.sick_leave_days for p in periods if (p.ended_on or since) >= since)
