"""Page-shaped reads of the admin-help tasks; each a fixed number of queries whatever the size.

A view gets the job customer through `customers.selectors.job_customer_get_for_user` first
(the access check and the audited read); these functions then read that person's tasks.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Sum, When, Window
from django.http import Http404
from django.shortcuts import get_object_or_404

from varig.customers.models import JobCustomer
from varig.customers.selectors import visible_job_customers_q

from .models import OPEN_STATUSES, AdminTask, ChecklistItem

TODAY_LIMIT = 8
CARD_LIMIT = 5


def _with_progress(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        n_steps=Count("items"), n_done=Count("items", filter=Q(items__done_at__isnull=False))
    )


def person_tasks(*, job_customer: JobCustomer) -> list[AdminTask]:
    """Every admin-help task of the person, open ones first, with checklist progress (1 query)."""
    tasks = _with_progress(
        AdminTask.objects.filter(job_customer=job_customer).select_related("responsible")
    )
    tasks = list(tasks.order_by("due_on", "pk"))
    return sorted(tasks, key=lambda t: (not t.is_open,))


@dataclass
class PersonCard:
    open_tasks: list = field(default_factory=list)
    open_count: int = 0
    closed_count: int = 0


def person_card(*, job_customer: JobCustomer) -> PersonCard:
    """The card on the person's page: the first open tasks with their progress, and how many
    are open and closed (2 queries)."""
    counts = AdminTask.objects.filter(job_customer=job_customer).aggregate(
        n_open=Count("pk", filter=Q(status__in=OPEN_STATUSES)), n_all=Count("pk")
    )
    if not counts["n_all"]:
        return PersonCard()
    rows = []
    if counts["n_open"]:
        rows = list(
            _with_progress(
                AdminTask.objects.still_open()
                .filter(job_customer=job_customer)
                .select_related("responsible")
            ).order_by("due_on", "pk")[:CARD_LIMIT]
        )
    return PersonCard(
        open_tasks=rows,
        open_count=counts["n_open"],
        closed_count=counts["n_all"] - counts["n_open"],
    )


def task_for_detail(*, pk: int) -> AdminTask:
    """One task with its person, responsible advisor and steps (who ticked them): 2 queries.
    Raises 404. The caller checks access to the task's job customer."""
    queryset = AdminTask.objects.select_related(
        "job_customer", "job_customer__advisor", "responsible", "created_by"
    ).prefetch_related(
        Prefetch(
            "items", queryset=ChecklistItem.objects.select_related("done_by").order_by("position")
        )
    )
    return get_object_or_404(queryset, pk=pk)


def task_job_customer_id(*, pk: int) -> int:
    """The job customer of a task (404 when there is no such task)."""
    row = AdminTask.objects.filter(pk=pk).values_list("job_customer_id", flat=True).first()
    if row is None:
        raise Http404
    return row


@dataclass
class TodayTasks:
    tasks: list
    total: int
    overdue: int


def today_due(*, user, advisor, day: datetime.date, limit: int = TODAY_LIMIT) -> TodayTasks:
    """Open admin-help tasks due today or earlier: the advisor's own (the ones they are
    responsible for), or everyone's for a manager looking at all advisors (advisor=None).
    Only tasks about persons the user may see. One query: the first `limit` rows, with the
    totals counted in the same query (window functions, before the LIMIT)."""
    queryset = AdminTask.objects.due_on_or_before(day).filter(visible_job_customers_q(user=user))
    if advisor is not None:
        queryset = queryset.filter(responsible=advisor)
    rows = list(
        queryset.select_related("job_customer", "responsible")
        .annotate(
            n_total=Window(Count("pk")),
            n_overdue=Window(Sum(Case(When(due_on__lt=day, then=1), default=0))),
        )
        .order_by(F("due_on").asc(), "pk")[:limit]
    )
    if not rows:
        return TodayTasks(tasks=[], total=0, overdue=0)
    return TodayTasks(tasks=rows, total=rows[0].n_total, overdue=rows[0].n_overdue)
