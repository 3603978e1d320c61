"""Page-shaped reads for the core app: the "I dag" overview and the user list."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import F, Prefetch, Q, QuerySet

from varig.customers.models import JobCustomer, Task
from varig.placements.models import FollowUp
from varig.placements.selectors import followups_due_soon, followups_overdue

from .db import count_many
from .models import User

# How many rows each "I dag" list shows; the counts at the top always give the full number.
TODAY_LIST_LIMIT = 50


@dataclass
class TodayOverview:
    """What one advisor (or, for a manager, everyone or one chosen advisor) must do now."""

    day: datetime.date
    advisor: User | None
    overdue: list[FollowUp] = field(default_factory=list)
    due_soon: list[FollowUp] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    overdue_count: int = 0
    due_soon_count: int = 0
    task_count: int = 0
    caseload_count: int = 0
    due_soon_days: int = 14
    limit: int = TODAY_LIST_LIMIT


def tasks_open(*, advisor: User | None = None) -> QuerySet:
    """Open tasks, those with a due date first; one advisor's or everyone's."""
    qs = Task.objects.open()
    if advisor is not None:
        qs = qs.filter(assigned_to=advisor)
    return qs.select_related("job_customer", "assigned_to").order_by(
        F("due_on").asc(nulls_last=True), "created_at", "pk"
    )


def caseload(*, on: datetime.date, advisor: User | None = None) -> QuerySet:
    """Job customers associated on `on`; one advisor's caseload or everyone's."""
    qs = JobCustomer.objects.associated_on(on)
    if advisor is not None:
        qs = qs.filter(advisor=advisor)
    return qs


def today_overview(*, on: datetime.date, advisor: User | None = None) -> TodayOverview:
    """The "I dag" page: overdue and due-soon follow-ups, open tasks and the caseload size.

    `advisor=None` means across all advisors (managers only; the view decides). Runs a fixed
    number of queries: the four counts in one query (`core.db.count_many`) and three bounded
    lists.
    """
    days = settings.VARIG_FOLLOWUP.get("due_soon_days", 14)
    overdue = followups_overdue(on=on, advisor=advisor)
    due_soon = followups_due_soon(on=on, days=days, advisor=advisor)
    tasks = tasks_open(advisor=advisor)
    # The open tasks are sorted by their own columns first and only the shown ones joined to
    # the person and user: sorting every open task with its joins took 90 ms at national scale.
    shown_tasks = tasks.filter(pk__in=tasks.values("pk")[:TODAY_LIST_LIMIT])
    overdue_rows = list(overdue[:TODAY_LIST_LIMIT])
    for followup in overdue_rows:
        followup.days_overdue = (on - followup.window_end).days
    due_rows = list(due_soon[:TODAY_LIST_LIMIT])
    for followup in due_rows:
        followup.days_until = (followup.due_on - on).days
    counts = count_many(
        overdue_count=overdue,
        due_soon_count=due_soon,
        task_count=tasks,
        caseload_count=caseload(on=on, advisor=advisor),
    )
    return TodayOverview(
        day=on,
        advisor=advisor,
        overdue=overdue_rows,
        due_soon=due_rows,
        tasks=list(shown_tasks),
        due_soon_days=days,
        **counts,
    )


def advisor_choices() -> QuerySet:
    """Active advisors for the manager's filter, by name."""
    return User.objects.advisors().only("pk", "name", "email")


def user_list(*, search: str = "") -> QuerySet:
    """Every user with their role groups prefetched, by name; `search` matches name or e-mail."""
    qs = User.objects.prefetch_related(Prefetch("groups", queryset=Group.objects.only("name")))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(email__icontains=search))
    return qs.order_by("name", "pk")
