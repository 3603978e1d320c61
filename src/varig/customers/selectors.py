"""Reads of job customers. `job_customer_get_for_user` is the only way a view gets one."""

import datetime
from dataclasses import dataclass

from auditlog.signals import accessed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, FilteredRelation, Prefetch, Q, Window
from django.http import Http404
from django.utils import timezone

from varig.core.inputs import is_digits
from varig.core.models import Role
from varig.core.pagination import page_with_total

from .models import (
    Accommodation,
    CaseloadShare,
    Consent,
    ContactNote,
    CustomerStatus,
    Goal,
    GoalReview,
    GuidanceSession,
    HealthInfo,
    JobCustomer,
    JobWishes,
    LifeArea,
    Plan,
    ReadinessAssessment,
    Task,
)
from .status import status_filter

STAFF_ROLES = tuple(Role.values)


# --- Access: who may see which job customer ----------------------------------------------------
#
# Managers and administrators see everyone. Everyone else on the staff (advisors, employer
# consultants) sees their own caseload (they are the responsible advisor), the persons shared
# with them through an active CaseloadShare, and (advisors only) the persons nobody is
# responsible for yet, the intake queue. Health information is stricter: only the responsible
# advisor, managers and administrators (a share never includes it).


def _shared_with(user, day: datetime.date):
    return CaseloadShare.objects.active_on(day).filter(user=user)


def _visible_pks(*, user, day: datetime.date):
    """The keys of the persons `user` (not a manager) may see, as one UNION: each part reads
    its own index (the advisor's, the shares', the unassigned). Written as `advisor = me OR pk
    IN (shares) OR advisor IS NULL`, PostgreSQL scanned all 100,000 job customers with a hashed
    subplan each time (30 ms for an advisor's planned follow-ups; 1 ms now, issue 9)."""
    parts = [
        JobCustomer.objects.filter(advisor=user).order_by().values("pk"),
        _shared_with(user, day).order_by().values("job_customer_id"),
    ]
    if user.is_advisor:
        parts.append(JobCustomer.objects.filter(advisor__isnull=True).order_by().values("pk"))
    return parts[0].union(*parts[1:])


def job_customer_visibility_q(*, user, day: datetime.date | None = None) -> Q:
    """A filter on JobCustomer for the persons `user` may see (use it for every list)."""
    if not (user.is_authenticated and user.has_role(*STAFF_ROLES)):
        return Q(pk__in=[])
    if user.sees_all:
        return Q()
    return Q(pk__in=_visible_pks(user=user, day=day or timezone.localdate()))


def job_customers_visible_to(*, user, day: datetime.date | None = None):
    """Every job customer `user` may see: the base of each list or search of persons."""
    return JobCustomer.objects.filter(job_customer_visibility_q(user=user, day=day))


def visible_job_customers_q(*, user, field: str = "job_customer") -> Q:
    """A filter on any model with a job customer foreign key `field`: only rows about persons
    `user` may see (no filter at all for managers and administrators)."""
    if user.is_authenticated and user.sees_all:
        return Q()
    if not (user.is_authenticated and user.has_role(*STAFF_ROLES)):
        return Q(**{f"{field}__in": []})
    return Q(**{f"{field}__in": _visible_pks(user=user, day=timezone.localdate())})


def can_view_job_customer(*, user, job_customer: JobCustomer) -> bool:
    """Own caseload, active shares and (advisors) the unassigned; managers see everyone."""
    if not (user.is_authenticated and user.has_role(*STAFF_ROLES)):
        return False
    if user.sees_all or (
        job_customer.advisor_id is not None and job_customer.advisor_id == user.pk
    ):
        return True
    if job_customer.advisor_id is None and user.is_advisor:
        return True
    return _shared_with(user, timezone.localdate()).filter(job_customer_id=job_customer.pk).exists()


def can_edit_job_customer(*, user, job_customer: JobCustomer | None) -> bool:
    """Advisors, managers and administrators change a record they may see; consultants only
    read. `job_customer=None` asks about creating one."""
    if not user.has_role(Role.ADVISOR, Role.MANAGER, Role.ADMINISTRATOR):
        return False
    return job_customer is None or can_view_job_customer(user=user, job_customer=job_customer)


def can_see_health(*, user, job_customer: JobCustomer) -> bool:
    """Diagnosis and health notes: only the responsible advisor, managers and administrators."""
    if user.has_role(Role.MANAGER, Role.ADMINISTRATOR):
        return True
    return job_customer.advisor_id is not None and job_customer.advisor_id == user.pk


def can_share_job_customer(*, user, job_customer: JobCustomer) -> bool:
    """The responsible advisor, managers and administrators share a person with a colleague."""
    return can_see_health(user=user, job_customer=job_customer)


def job_customer_get_for_user(*, user, pk: int, queryset=None, audit: bool = True) -> JobCustomer:
    """Fetch a job customer the user may see, or raise 404/403; logs the read in the audit log.

    The only way a view gets a job customer (or anything hanging on one): every
    job-customer-scoped page calls it, so the access rules above hold everywhere and every read
    of a person's record is in the audit log (`audit=False` only where the same request
    has already logged it, e.g. a form post that renders the page again).
    """
    qs = queryset if queryset is not None else JobCustomer.objects.select_related("advisor")
    try:
        job_customer = qs.get(pk=pk)
    except (JobCustomer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not can_view_job_customer(user=user, job_customer=job_customer):
        raise PermissionDenied
    if audit:
        accessed.send(sender=JobCustomer, instance=job_customer)
    return job_customer


def consent_allows_contact(
    *, job_customer: JobCustomer, company, on: datetime.date | None = None
) -> bool:
    """True when the person has an active consent that lets the company be contacted."""
    on = on or timezone.localdate()
    return (
        Consent.objects.active_on(on)
        .filter(job_customer=job_customer, company=company, may_contact=True)
        .exists()
    )


# --- Page-shaped reads -------------------------------------------------------------------------

ADVISOR_MINE = "mine"
ADVISOR_ALL = "all"
ADVISOR_NONE = "none"

# Sort keys offered on the caseload list → the ordering they mean (pk last keeps pages stable).
LIST_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("last_name", "first_name", "pk"),
    "-name": ("-last_name", "-first_name", "-pk"),
    "ref": ("ref", "pk"),
    "-ref": ("-ref", "-pk"),
    "associated_from": ("associated_from", "pk"),
    "-associated_from": ("-associated_from", "-pk"),
    "advisor": ("advisor__name", "last_name", "first_name", "pk"),
    "-advisor": ("-advisor__name", "-last_name", "-first_name", "-pk"),
}
DEFAULT_SORT = "name"


def default_advisor_filter(*, user) -> str:
    """Advisors start on their own caseload; everyone else starts on all job customers."""
    return ADVISOR_MINE if user.is_advisor and not user.sees_all else ADVISOR_ALL


def job_customer_list(
    *,
    user,
    search: str = "",
    status: str = "",
    advisor: str = "",
    sort: str = DEFAULT_SORT,
    day: datetime.date | None = None,
    with_status: bool = True,
):
    """The caseload list for `user`: searched, filtered, sorted, with the status in SQL.

    `advisor` is "mine", "all", "none" (no advisor) or an advisor's pk; empty means the user's
    default. Rows carry `in_work_now`/`in_praktik_now`, so `status` costs no query. With
    `with_status=False` (and no status filter) they do not: give the page's rows their status
    with `attach_status` (the list page does, see there). The status filter reads the stored
    status (customers/status.py).
    """
    qs = JobCustomer.objects.with_status(day) if with_status else JobCustomer.objects.all()
    if status in CustomerStatus.values:
        qs = status_filter(qs, status, day)
    qs = qs.filter(job_customer_visibility_q(user=user, day=day)).select_related("advisor")
    advisor = advisor or default_advisor_filter(user=user)
    if advisor == ADVISOR_MINE:
        qs = qs.filter(advisor=user)
    elif advisor == ADVISOR_NONE:
        qs = qs.filter(advisor__isnull=True)
    elif advisor != ADVISOR_ALL and is_digits(str(advisor)):
        qs = qs.filter(advisor_id=int(advisor))
    if search.split():
        qs = qs.matching(search)
    return qs.order_by(*LIST_SORTS.get(sort, LIST_SORTS[DEFAULT_SORT]))


def attach_status(rows, day: datetime.date | None = None) -> list:
    """`rows` (job customers) as a list, each carrying `in_work_now`/`in_praktik_now`; those
    without them get theirs in one query. The caseload list pages first and asks for the
    status of the 25 rows shown: with the status in the list's own query, PostgreSQL checked
    every placement of all 100,000 people (two hashed scans, 140 ms) to show 25 (issue 9)."""
    rows = list(rows)
    missing = [jc.pk for jc in rows if not hasattr(jc, "in_work_now")]
    if missing:
        found = {
            pk: (in_work, in_praktik)
            for pk, in_work, in_praktik in JobCustomer.objects.filter(pk__in=missing)
            .with_status(day)
            .values_list("pk", "in_work_now", "in_praktik_now")
        }
        for jc in rows:
            if jc.pk in found:
                jc.in_work_now, jc.in_praktik_now = found[jc.pk]
    return rows


def advisor_choices() -> list:
    """Active advisors for the filters' selects, in name order (one query): `(pk, name)` rows
    with those attributes, not users. Every caseload page asks for all 400 at national scale,
    and a User instance each cost four times the rows themselves (issue 9)."""
    from varig.core.models import User

    return list(User.objects.advisors().values_list("pk", "name", named=True))


@dataclass
class JobCustomerPage:
    """Everything the job-customer page shows, loaded in a fixed number of queries."""

    job_customer: JobCustomer
    can_edit: bool
    can_see_health: bool
    health: HealthInfo | None
    readiness_current: list[dict]
    readiness_history: list[ReadinessAssessment]
    job_wishes: JobWishes | None
    accommodation: Accommodation | None
    accommodation_history: list[Accommodation]
    consents: list[Consent]
    open_tasks: list[Task]
    placements: list
    followups: list
    notes_page: Page
    today: datetime.date


NOTES_PER_PAGE = 20
FOLLOWUPS_SHOWN = 5


def job_customer_detail_queryset():
    """The job customer with everything the page shows prefetched (one query per relation)."""
    from varig.placements.models import Placement

    return (
        JobCustomer.objects.with_status()
        .select_related("advisor", "job_wishes", "plan")
        .prefetch_related(
            Prefetch(
                "readiness",
                queryset=ReadinessAssessment.objects.select_related("assessed_by").order_by(
                    "-assessed_on", "-pk"
                ),
            ),
            Prefetch(
                "accommodations",
                queryset=Accommodation.objects.select_related("recorded_by").order_by(
                    "-valid_from", "-pk"
                ),
            ),
            Prefetch(
                "consents",
                queryset=Consent.objects.select_related("company").order_by("-given_on", "-pk"),
            ),
            Prefetch(
                "tasks",
                queryset=Task.objects.open().select_related("assigned_to").order_by("due_on", "pk"),
                to_attr="open_tasks",
            ),
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("company").order_by("-started_on", "-pk"),
            ),
        )
    )


def timeline_page(*, job_customer: JobCustomer, page: int | str | None = 1) -> Page:
    """One page (20) of the person's notes and contacts, newest first (one query)."""
    notes = (
        ContactNote.objects.filter(job_customer=job_customer)
        .select_related("company", "author")
        .order_by("-occurred_at", "-pk")
    )
    return page_with_total(notes, NOTES_PER_PAGE, page)


def _with_health_for(queryset, *, user):
    """The person's health record joined into the same query, for a user who may see it (the
    rule of `can_see_health`, in SQL): `visible_health` is the record or None."""
    sees_all_health = user.has_role(Role.MANAGER, Role.ADMINISTRATOR)
    condition = Q() if sees_all_health else Q(advisor_id=user.pk)
    return queryset.annotate(
        visible_health=FilteredRelation("health", condition=condition)
    ).select_related("visible_health")


def job_customer_detail(*, user, pk: int, notes_page: int | str | None = 1) -> JobCustomerPage:
    """The job-customer page for `user` (access-checked, the read is audited).

    The diagnosis is only loaded when the user may see it.
    """
    from varig.placements.models import FollowUp

    today = timezone.localdate()
    job_customer = job_customer_get_for_user(
        user=user, pk=pk, queryset=_with_health_for(job_customer_detail_queryset(), user=user)
    )
    sees_health = can_see_health(user=user, job_customer=job_customer)
    health = getattr(job_customer, "visible_health", None) if sees_health else None

    history = list(job_customer.readiness.all())
    latest: dict[str, ReadinessAssessment] = {}
    for row in history:  # newest first, so the first row per area is the current one
        latest.setdefault(row.area, row)
    readiness_current = [
        {"area": area, "label": label, "assessment": latest.get(area)}
        for area, label in LifeArea.choices
    ]
    accommodations = list(job_customer.accommodations.all())
    try:
        job_wishes = job_customer.job_wishes
    except JobWishes.DoesNotExist:
        job_wishes = None
    followups = list(
        FollowUp.objects.planned()
        .filter(job_customer=job_customer)
        .select_related("placement__company")
        .order_by("due_on", "pk")[:FOLLOWUPS_SHOWN]
    )
    return JobCustomerPage(
        job_customer=job_customer,
        can_edit=can_edit_job_customer(user=user, job_customer=job_customer),
        can_see_health=sees_health,
        health=health,
        readiness_current=readiness_current,
        readiness_history=history,
        job_wishes=job_wishes,
        accommodation=accommodations[0] if accommodations else None,
        accommodation_history=accommodations[1:],
        consents=list(job_customer.consents.all()),
        open_tasks=job_customer.open_tasks,
        placements=list(job_customer.placements.all()),
        followups=followups,
        notes_page=timeline_page(job_customer=job_customer, page=notes_page),
        today=today,
    )


def contact_companies_on_page(page: JobCustomerPage) -> list:
    """`contact_companies_for` from what the job-customer page has loaded (no query)."""
    found = {c.company_id: c.company for c in page.consents}
    found.update((p.company_id, p.company) for p in page.placements)
    return sorted(found.values(), key=lambda company: (company.name, company.pk))


def contact_companies_for(*, job_customer: JobCustomer):
    """Companies the person is connected to (consents or placements), for the note form."""
    from varig.employers.models import Company

    return Company.objects.filter(
        Q(consents__job_customer=job_customer) | Q(placements__job_customer=job_customer)
    ).distinct()


# --- The individual plan ------------------------------------------------------------------------

GUIDANCE_SESSIONS_ON_PAGE = 3
GUIDANCE_SESSIONS_PER_PAGE = 20


@dataclass
class GoalNode:
    goal: Goal
    sub_goals: list


@dataclass
class PlanSection:
    """The plan as the job-customer page and the plan page show it (a fixed number of queries)."""

    job_customer: JobCustomer
    plan: Plan | None
    goals: list[GoalNode]
    open_goal_count: int
    recent_sessions: list
    session_count: int


def _goal_tree(goals: list) -> list[GoalNode]:
    nodes = {goal.pk: GoalNode(goal=goal, sub_goals=[]) for goal in goals if goal.parent_id is None}
    for goal in goals:
        if goal.parent_id is not None and goal.parent_id in nodes:
            nodes[goal.parent_id].sub_goals.append(goal)
    return list(nodes.values())


def plan_goals(*, job_customer: JobCustomer) -> list:
    """Every goal of the person's plan, main goals and sub-goals in the order they were set."""
    return list(
        Goal.objects.filter(plan__job_customer=job_customer)
        .select_related("recorded_by")
        .order_by("created_at", "pk")
    )


def _plan_of(job_customer: JobCustomer) -> Plan | None:
    """The person's plan; no query when the page's queryset joined it (select_related)."""
    if JobCustomer.plan.is_cached(job_customer):
        return getattr(job_customer, "plan", None)  # a missing plan is cached as None
    return Plan.objects.filter(job_customer=job_customer).first()


def plan_section(*, job_customer: JobCustomer) -> PlanSection:
    """The person's plan: their own words, goals with sub-goals, the latest guidance sessions
    (with how many there are in all, counted in the same query)."""
    plan = _plan_of(job_customer)
    goals = plan_goals(job_customer=job_customer) if plan else []
    recent = list(
        GuidanceSession.objects.filter(job_customer=job_customer)
        .annotate(total=Window(Count("pk")))
        .select_related("advisor")
        .prefetch_related(Prefetch("reviews", queryset=GoalReview.objects.select_related("goal")))
        .order_by("-held_on", "-pk")[:GUIDANCE_SESSIONS_ON_PAGE]
    )
    return PlanSection(
        job_customer=job_customer,
        plan=plan,
        goals=_goal_tree(goals),
        open_goal_count=sum(1 for goal in goals if goal.is_open),
        recent_sessions=recent,
        session_count=recent[0].total if recent else 0,
    )


def guidance_session_page(*, job_customer: JobCustomer, page: int | str | None = 1) -> Page:
    """One page (20) of the person's guidance sessions, newest first, with the goals reviewed."""
    sessions = (
        GuidanceSession.objects.filter(job_customer=job_customer)
        .select_related("advisor")
        .prefetch_related(Prefetch("reviews", queryset=GoalReview.objects.select_related("goal")))
        .order_by("-held_on", "-pk")
    )
    return Paginator(sessions, GUIDANCE_SESSIONS_PER_PAGE).get_page(page)
