"""Reads of support requests (the open door) and the open-door measure.

Who sees which request: a request about a job customer (from the person, or from a company
about them) follows the person's access rules (`visible_job_customers_q`); a company's request
about no one in particular is seen by all staff.

The open-door measure is the median time from a request coming in (`received_at`) to its first
answer (`first_response_at`), over the requests received in a period and answered, overall and
per advisor who answered first. It is computed in SQL with window functions, portable to SQLite
and PostgreSQL (which has `percentile_cont`, SQLite has not): each answered request gets its
wait (`first_response_at - received_at`), `ROW_NUMBER()` over the waits in order and `COUNT(*)`
over the same partition (everyone, or one advisor); only the middle row (odd count) or the two
middle rows (even count), `(n + 1) / 2 <= row <= (n + 2) / 2` in integer division, come back, so
the database returns at most two rows per advisor and Python averages them. Requests not yet
answered are not in the median (their wait is not known); the page shows how many there are and
how long the oldest has waited.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404

from varig.core.models import User
from varig.customers.selectors import job_customer_get_for_user, visible_job_customers_q

from .models import SupportRequest

SUPPORT_RELATED = ("company", "contact", "job_customer", "responsible", "first_response_by")
SECTION_SHOWN = 10


def support_visible_q(*, user) -> Q:
    """The requests `user` may see (see the module docstring)."""
    if user.sees_all:
        return Q()
    return Q(job_customer__isnull=True) | visible_job_customers_q(user=user)


def support_requests_for(*, user) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.filter(support_visible_q(user=user))


def support_request_get_for_user(*, user, pk: int) -> SupportRequest:
    """One request, or 404; one about a job customer goes through the person's access-checked
    (and audited) getter, so a user who may not see the person gets 403."""
    request = SupportRequest.objects.select_related(*SUPPORT_RELATED).filter(pk=pk).first()
    if request is None:
        raise Http404
    if request.job_customer_id is not None:
        request.job_customer = job_customer_get_for_user(user=user, pk=request.job_customer_id)
    return request


STATUS_OPEN = "open"
STATUS_UNANSWERED = "unanswered"
STATUS_CLOSED = "closed"
STATUS_ALL = "all"
URGENCY_ORDER = {"urgent": 0, "normal": 1, "low": 2}


def _urgency_rank():
    return Case(
        *(When(urgency=key, then=Value(rank)) for key, rank in URGENCY_ORDER.items()),
        output_field=IntegerField(),
    )


def support_request_list(
    *,
    user,
    status: str = STATUS_OPEN,
    responsible: User | None = None,
    job_customer_id: int | None = None,
) -> QuerySet[SupportRequest]:
    """Requests for the list page (optionally only those from or about one person): open ones
    unanswered first, most urgent and oldest first; settled ones newest first."""
    qs = support_requests_for(user=user).select_related(*SUPPORT_RELATED)
    if responsible is not None:
        qs = qs.filter(responsible=responsible)
    if job_customer_id is not None:
        qs = qs.filter(job_customer_id=job_customer_id)
    if status == STATUS_CLOSED:
        return qs.filter(closed_at__isnull=False).order_by("-closed_at", "-pk")
    if status == STATUS_ALL:
        return qs.order_by("-received_at", "-pk")
    qs = qs.unanswered() if status == STATUS_UNANSWERED else qs.open()
    return qs.annotate(urgency_rank=_urgency_rank()).order_by(
        F("first_response_at").asc(nulls_first=True), "urgency_rank", "received_at", "pk"
    )


@dataclass(frozen=True)
class OpenRequests:
    """A few open requests and how many there are in all (for a section on a shared page)."""

    requests: list[SupportRequest]
    total: int
    unanswered: int


def _scalar(function: str, expression, qs: QuerySet) -> Subquery:
    """`(SELECT function(expression) FROM qs)`: one number over the whole queryset, as a
    subquery of another query (no GROUP BY: the function is not declared an aggregate)."""
    return Subquery(
        qs.order_by()
        .annotate(n=Func(expression, function=function, output_field=IntegerField()))
        .values("n")
    )


def _unanswered():
    return Case(
        When(first_response_at__isnull=True, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


OPEN_ORDER = (F("first_response_at").asc(nulls_first=True), "urgency_rank", "received_at", "pk")


def _open_requests(qs: QuerySet[SupportRequest]) -> OpenRequests:
    """One query: the first few open requests (unanswered, most urgent, oldest first), each
    carrying the totals as window counts over all the open ones. For a narrow set (one
    company's, one advisor's: a handful of rows)."""
    shown = list(
        qs.open()
        .select_related(*SUPPORT_RELATED)
        .annotate(
            urgency_rank=_urgency_rank(),
            open_total=Window(Count("pk")),
            open_unanswered=Window(Sum(_unanswered())),
        )
        .order_by(*OPEN_ORDER)[:SECTION_SHOWN]
    )
    if not shown:
        return OpenRequests([], 0, 0)
    return OpenRequests(shown, shown[0].open_total, shown[0].open_unanswered or 0)


def _open_requests_of_many(qs: QuerySet[SupportRequest]) -> OpenRequests:
    """`_open_requests` for everyone's requests (a manager's "I dag"), still one query: the few
    are picked from the requests' own table and only they are joined to their five related
    rows, the totals are scalar subqueries. Counting and sorting all 6,700 open requests with
    their joins took 90 ms on PostgreSQL at national scale (issue 9). Not for a narrow set:
    each subquery repeats the visibility condition, which costs more than the joins there."""
    open_ = qs.open()
    first = open_.annotate(urgency_rank=_urgency_rank()).order_by(*OPEN_ORDER).values("pk")
    shown = list(
        SupportRequest.objects.filter(pk__in=first[:SECTION_SHOWN])
        .select_related(*SUPPORT_RELATED)
        .annotate(
            urgency_rank=_urgency_rank(),
            open_total=_scalar("COUNT", F("pk"), open_),
            open_unanswered=_scalar("SUM", _unanswered(), open_),
        )
        .order_by(*OPEN_ORDER)
    )
    if not shown:
        return OpenRequests([], 0, 0)
    return OpenRequests(shown, shown[0].open_total, shown[0].open_unanswered or 0)


def company_open_requests(*, company, user) -> OpenRequests:
    """The company's open requests the user may see (the company page)."""
    return _open_requests(support_requests_for(user=user).filter(company=company))


def advisor_open_requests(*, user, advisor: User | None) -> OpenRequests:
    """Open requests an advisor is responsible for ("I dag"); everyone's when `advisor` is
    None (a manager's overview)."""
    qs = support_requests_for(user=user)
    if advisor is not None:
        return _open_requests(qs.filter(responsible=advisor))
    return _open_requests_of_many(qs)


# --- The open-door measure ------------------------------------------------------------------


def _wait():
    return ExpressionWrapper(
        F("first_response_at") - F("received_at"), output_field=DurationField()
    )


def _medians(qs: QuerySet[SupportRequest], *, per_advisor: bool) -> dict:
    """{advisor id (or None): (median wait, number answered)} from the middle rows only."""
    partition = [F("first_response_by")] if per_advisor else None
    rows = (
        qs.filter(first_response_at__isnull=False)
        .annotate(
            wait=_wait(),
            row=Window(
                RowNumber(), partition_by=partition, order_by=[_wait().asc(), F("pk").asc()]
            ),
            n=Window(Count("pk"), partition_by=partition),
        )
        .filter(row__gte=(F("n") + 1) / 2, row__lte=(F("n") + 2) / 2)
        .values_list("first_response_by", "wait", "n")
    )
    middles: dict = {}
    for advisor, wait, n in rows:
        key = advisor if per_advisor else None
        middles.setdefault(key, ([], n))[0].append(wait)
    return {
        key: (sum(waits, datetime.timedelta()) / len(waits), n)
        for key, (waits, n) in middles.items()
    }


@dataclass(frozen=True)
class AdvisorMeasure:
    advisor: User | None
    median: datetime.timedelta | None
    answered: int
    waiting: int  # open and not answered, with this advisor responsible
    oldest_waiting: datetime.datetime | None


@dataclass(frozen=True)
class OpenDoorMeasure:
    since: datetime.datetime
    until: datetime.datetime
    received: int
    answered: int
    median: datetime.timedelta | None
    waiting: int
    oldest_waiting: datetime.datetime | None
    by_advisor: list[AdvisorMeasure]


def open_door_measure(*, since: datetime.datetime, until: datetime.datetime) -> OpenDoorMeasure:
    """The median time to first response over the requests received in [since, until), overall
    and per advisor who answered first, with the requests still waiting (five queries, whatever
    the number of requests). Managers' page: every request counts."""
    period = SupportRequest.objects.filter(received_at__gte=since, received_at__lt=until)
    overall = _medians(period, per_advisor=False).get(None)
    per_advisor = _medians(period, per_advisor=True)
    totals = period.aggregate(
        received=Count("pk"), answered=Count("pk", filter=Q(first_response_at__isnull=False))
    )
    waiting_rows = {
        row["responsible"]: (row["n"], row["oldest"])
        for row in SupportRequest.objects.unanswered()
        .values("responsible")
        .annotate(n=Count("pk"), oldest=Min("received_at"))
        .order_by()
    }
    ids = {pk for pk in (*per_advisor, *waiting_rows) if pk is not None}
    users = User.objects.in_bulk(ids)
    by_advisor = []
    for pk in sorted(
        ids | ({None} if None in per_advisor or None in waiting_rows else set()),
        key=lambda pk: users[pk].name.lower() if pk in users else "~",
    ):
        median, answered = per_advisor.get(pk, (None, 0))
        waiting, oldest = waiting_rows.get(pk, (0, None))
        by_advisor.append(
            AdvisorMeasure(
                advisor=users.get(pk),
                median=median,
                answered=answered,
                waiting=waiting,
                oldest_waiting=oldest,
            )
        )
    all_waiting = sum(n for n, _ in waiting_rows.values())
    oldest = min((o for _, o in waiting_rows.values() if o is not None), default=None)
    return OpenDoorMeasure(
        since=since,
        until=until,
        received=totals["received"],
        answered=totals["answered"],
        median=overall[0] if overall else None,
        waiting=all_waiting,
        oldest_waiting=oldest,
        by_advisor=by_advisor,
    )


def paginate(qs, page, per_page: int = 25):
    return Paginator(qs, per_page).get_page(page)


def format_wait(value: datetime.timedelta | None) -> str:
    """A wait as people say it: minutes under an hour, hours and minutes under two days, else
    days ("" for none)."""
    from django.utils.translation import gettext, ngettext

    if value is None:
        return ""
    minutes = max(0, int(value.total_seconds() // 60))
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        if rest:
            return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = round(minutes / (60 * 24))
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
