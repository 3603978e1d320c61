"""Page-shaped reads of the call-rounds, each a fixed number of queries whatever the size."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from varig.core.models import User
from varig.customers.selectors import visible_job_customers_q

from .models import Call, Campaign

S = Call.Status


def _counts(counted: str, status: str) -> dict:
    """Count annotations per status: `counted` is what is counted ("pk" or "calls") and
    `status` the path to the call's status."""
    return {
        "total": Count(counted),
        "n_open": Count(counted, filter=Q(**{status: S.OPEN})),
        "n_retry": Count(counted, filter=Q(**{status: S.RETRY})),
        "n_fine": Count(counted, filter=Q(**{status: S.FINE})),
        "n_help": Count(counted, filter=Q(**{status: S.NEEDS_HELP})),
        "n_unreached": Count(counted, filter=Q(**{status: S.UNREACHED})),
    }


@dataclass
class Progress:
    """How far a campaign (or one caller's part of it) has come."""

    total: int = 0
    open: int = 0
    retry: int = 0
    fine: int = 0
    needs_help: int = 0
    unreached: int = 0

    @classmethod
    def from_row(cls, row) -> "Progress":
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        return cls(
            total=get("total") or 0,
            open=get("n_open") or 0,
            retry=get("n_retry") or 0,
            fine=get("n_fine") or 0,
            needs_help=get("n_help") or 0,
            unreached=get("n_unreached") or 0,
        )

    @property
    def done(self) -> int:
        return self.fine + self.needs_help + self.unreached

    @property
    def reached(self) -> int:
        return self.fine + self.needs_help

    @property
    def to_do(self) -> int:
        return self.open + self.retry

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def campaign_list() -> QuerySet:
    """Every campaign, newest first, with its progress counts (managers' list): one query."""
    return (
        Campaign.objects.select_related("advisor", "created_by")
        .annotate(**_counts("calls", "calls__status"))
        .order_by("closed_at", "-starts_on", "-pk")
    )


def campaigns_open_summary() -> list:
    """Open campaigns with their progress, for a manager's "I dag"."""
    rows = list(campaign_list().filter(closed_at__isnull=True)[:5])
    for row in rows:
        row.progress = Progress.from_row(row)
    return rows


@dataclass
class CallerRow:
    caller: User
    progress: Progress


@dataclass
class CampaignPage:
    campaign: Campaign
    progress: Progress
    callers: list[CallerRow] = field(default_factory=list)


def campaign_get(*, pk: int) -> Campaign:
    return Campaign.objects.select_related("advisor", "created_by", "closed_by").get(pk=pk)


def campaign_page(*, campaign: Campaign) -> CampaignPage:
    """The campaign's progress and each caller's part in it: two queries."""
    calls = Call.objects.filter(campaign=campaign)
    counts = _counts("pk", "status")
    progress = Progress.from_row(calls.aggregate(**counts))
    per_caller = {
        row["caller_id"]: row for row in calls.values("caller_id").annotate(**counts).order_by()
    }
    users = User.objects.filter(pk__in=per_caller).order_by("name", "pk")
    return CampaignPage(
        campaign=campaign,
        progress=progress,
        callers=[CallerRow(u, Progress.from_row(per_caller[u.pk])) for u in users],
    )


def campaign_calls(*, campaign: Campaign, status: str = "", caller_id: int | None = None):
    """The campaign's calls for its page, filterable by status ("to_do", "done" or one status)
    and caller, ordered by person."""
    calls = Call.objects.filter(campaign=campaign).select_related(
        "job_customer", "job_customer__advisor", "caller", "task"
    )
    if status == "to_do":
        calls = calls.to_do()
    elif status == "done":
        calls = calls.done()
    elif status in S.values:
        calls = calls.filter(status=status)
    if caller_id:
        calls = calls.filter(caller_id=caller_id)
    return calls.order_by("job_customer__last_name", "job_customer__first_name", "pk")


def _my_open_calls(*, user: User, on: datetime.date):
    return (
        Call.objects.filter(caller=user, campaign__closed_at__isnull=True)
        .filter(campaign__ends_on__gte=on)
        .to_do()
        .filter(visible_job_customers_q(user=user))
    )


def my_calls(*, user: User, on: datetime.date):
    """The calls `user` still has to make in open campaigns, about persons they may see: the
    ones due today first (oldest try first), then the retries of later days."""
    return (
        _my_open_calls(user=user, on=on)
        .select_related("campaign", "job_customer", "job_customer__advisor")
        .order_by("next_try_on", "job_customer__last_name", "job_customer__first_name", "pk")
    )


@dataclass
class MyCallsSummary:
    due: int
    later: int
    first: list[Call]


def my_calls_summary(*, user: User, on: datetime.date, shown: int = 5) -> MyCallsSummary:
    """For "I dag": how many calls are due now and later, and the first few: two queries."""
    counts = _my_open_calls(user=user, on=on).aggregate(
        due=Count("pk", filter=Q(next_try_on__lte=on)),
        later=Count("pk", filter=Q(next_try_on__gt=on)),
    )
    first = list(my_calls(user=user, on=on).filter(next_try_on__lte=on)[:shown])
    return MyCallsSummary(due=counts["due"], later=counts["later"], first=first)


def call_for_record(*, pk: int) -> Call:
    return Call.objects.select_related(
        "campaign", "job_customer", "job_customer__advisor", "caller"
    ).get(pk=pk)


def export_rows(*, campaign: Campaign):
    """Every call of the campaign for the export, with the attempts' count, by person."""
    return (
        Call.objects.filter(campaign=campaign)
        .select_related("job_customer", "job_customer__advisor", "caller", "task")
        .order_by("job_customer__last_name", "job_customer__first_name", "pk")
    )
