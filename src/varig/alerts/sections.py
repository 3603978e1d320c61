"""The early warnings' sections on the shared pages ("I dag" and the job customer's page):
each page makes one call here and includes one template."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from varig.customers.models import JobCustomer
from varig.customers.selectors import can_edit_job_customer
from varig.placements.anniversaries import (
    Anniversary,
    anniversaries_upcoming_shown,
    person_anniversaries_upcoming,
)
from varig.placements.models import Celebration, Placement

from . import selectors
from .forms import FlagResolveForm, PeriodEndForm, PeriodForm
from .models import Flag, Period

TODAY_FLAGS_SHOWN = 10
TODAY_ANNIVERSARY_DAYS = 30
TODAY_ANNIVERSARIES_SHOWN = 5


@dataclass
class TodaySection:
    day: datetime.date
    flags: list[Flag]
    counts: list[tuple[str, str, int]]  # (kind, label, n) for kinds with open warnings
    total: int
    anniversaries: list[Anniversary] = field(default_factory=list)
    anniversary_count: int = 0
    shown: int = TODAY_FLAGS_SHOWN
    anniversary_days: int = TODAY_ANNIVERSARY_DAYS


def today_section(*, on: datetime.date, advisor=None) -> TodaySection:
    """The open warnings for "I dag" (one caseload, or everyone's): counts and the newest ten."""
    counts = selectors.flag_counts_open(advisor=advisor)
    anniversaries, anniversary_count = anniversaries_upcoming_shown(
        on=on, days=TODAY_ANNIVERSARY_DAYS, shown=TODAY_ANNIVERSARIES_SHOWN, advisor=advisor
    )
    return TodaySection(
        day=on,
        flags=selectors.flags_open_newest(advisor=advisor, shown=TODAY_FLAGS_SHOWN),
        counts=[(k, label, counts[k]) for k, label in Flag.Kind.choices if counts.get(k)],
        total=sum(counts.values()),
        anniversaries=anniversaries,
        anniversary_count=anniversary_count,
    )


@dataclass
class PersonSection:
    job_customer: JobCustomer
    can_edit: bool
    open_flags: list[Flag]
    closed_flags: list[Flag]
    periods: list[Period]
    current_period: Period | None
    today: datetime.date
    anniversaries: list[Anniversary] = field(default_factory=list)
    celebrations: list[Celebration] = field(default_factory=list)
    period_form: PeriodForm = field(default_factory=PeriodForm)
    end_form: PeriodEndForm | None = None
    resolve_form: FlagResolveForm | None = None
    resolve_pk: int | None = None
    open_form: str | None = None


def _placements_of(job_customer: JobCustomer) -> list:
    """The person's placements with their companies: those the person's page prefetched, else
    one query."""
    if "placements" in getattr(job_customer, "_prefetched_objects_cache", {}):
        return list(job_customer.placements.all())
    return list(Placement.objects.filter(job_customer=job_customer).select_related("company"))


def person_section(*, user, job_customer: JobCustomer, **forms) -> PersonSection:
    """Warnings, periods and "Godt Gået" on the job customer's page (a fixed number of queries). `forms` carry bound
    forms with errors when the section is shown again after a failed post."""
    open_flags, closed = selectors.person_flags(job_customer=job_customer)
    periods = selectors.person_periods(job_customer=job_customer)
    current = next((p for p in periods if p.ended_on is None), None)
    today = timezone.localdate()
    celebrations = list(
        Celebration.objects.filter(job_customer=job_customer)
        .select_related("company")
        .order_by("-anniversary_on", "-pk")
    )
    section = PersonSection(
        job_customer=job_customer,
        can_edit=can_edit_job_customer(user=user, job_customer=job_customer),
        open_flags=open_flags,
        closed_flags=closed,
        periods=periods,
        current_period=current,
        today=today,
        end_form=PeriodEndForm(initial={"ended_on": today}) if current else None,
        anniversaries=person_anniversaries_upcoming(
            job_customer=job_customer,
            placements=_placements_of(job_customer),
            celebrations=celebrations,
            on=today,
        ),
        celebrations=celebrations,
    )
    for name, value in forms.items():
        setattr(section, name, value)
    return section
