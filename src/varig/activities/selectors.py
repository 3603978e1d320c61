"""Page-shaped reads of the activities app and who may do what. Each selector owns its
queries: a fixed number whatever the size of the data (the tests count them)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import (
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.models import Role
from varig.customers.models import JobCustomer, PreferredJobType, ReadinessAssessment
from varig.customers.selectors import job_customers_visible_to

from .models import (
    Activity,
    Attendance,
    Enrollment,
    GroupMeeting,
    GroupMembership,
    NetworkGroup,
    Recommendation,
    Run,
    Session,
    Strand,
    Upskilling,
    UpskillingKind,
)

EDITOR_ROLES = (Role.ADVISOR, Role.MANAGER, Role.ADMINISTRATOR)


# --- Who may do what ---------------------------------------------------------------------------


def can_create_run(*, user) -> bool:
    """Advisors, managers and administrators start runs; employer consultants read."""
    return user.has_role(*EDITOR_ROLES)


def can_manage_run(*, user, run: Run) -> bool:
    """The run's leader, whoever started it, managers and administrators: sessions, places,
    attendance and completion."""
    if user.sees_all:
        return True
    return user.pk is not None and user.pk in (run.leader_id, run.created_by_id)


def sees_full_names(*, user, run: Run) -> bool:
    """The leader, managers and administrators see every name on the roster; others only the
    names of the persons they may see themselves."""
    return user.sees_all or (run.leader_id is not None and run.leader_id == user.pk)


def can_manage_group(*, user, group: NetworkGroup) -> bool:
    return user.sees_all or (group.facilitator_id is not None and group.facilitator_id == user.pk)


def _visible_ids(*, user, ids: set[int]) -> set[int]:
    """Of `ids`, the job customers `user` may see (one query; none for managers)."""
    if user.sees_all or not ids:
        return set(ids)
    return set(job_customers_visible_to(user=user).filter(pk__in=ids).values_list("pk", flat=True))


# --- The catalogue ------------------------------------------------------------------------------


@dataclass
class StrandGroup:
    strand: str
    label: str
    activities: list


def catalogue(*, include_inactive: bool = False) -> list[StrandGroup]:
    """The catalogue by strand, each activity with its number of runs and upcoming sessions
    (one query)."""
    today = timezone.localdate()
    qs = Activity.objects.annotate(
        run_count=Count("runs", distinct=True),
        next_session_on=Min("runs__sessions__date", filter=Q(runs__sessions__date__gte=today)),
    ).order_by("name")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    by_strand: dict[str, list] = {value: [] for value in Strand.values}
    for activity in qs:
        by_strand[activity.strand].append(activity)
    return [
        StrandGroup(strand=value, label=label, activities=by_strand[value])
        for value, label in Strand.choices
    ]


def runs_with_counts():
    """Runs with their activity and leader, their places taken, waitlist and session dates."""
    return (
        Run.objects.select_related("activity", "leader")
        .annotate(
            enrolled_count=Count(
                "enrollments",
                filter=Q(enrollments__status=Enrollment.Status.ENROLLED),
                distinct=True,
            ),
            waitlist_count=Count(
                "enrollments",
                filter=Q(enrollments__status=Enrollment.Status.WAITLISTED),
                distinct=True,
            ),
            first_on=Min("sessions__date"),
            last_on=Max("sessions__date"),
        )
        .order_by(F("first_on").desc(nulls_first=True), "-pk")
    )


@dataclass
class ActivityPage:
    activity: Activity
    runs: list
    recommendations: list
    named: set


RECOMMENDATIONS_SHOWN = 25


def activity_page(*, user, pk: int) -> ActivityPage:
    """An activity with its runs and the latest recommendations of it (names only of the
    persons the user may see)."""
    activity = get_object_or_404(Activity, pk=pk)
    runs = list(runs_with_counts().filter(activity=activity))
    recommendations = list(
        Recommendation.objects.filter(activity=activity)
        .select_related("job_customer", "recommended_by", "run")
        .order_by("-created_at", "-pk")[:RECOMMENDATIONS_SHOWN]
    )
    named = _visible_ids(user=user, ids={r.job_customer_id for r in recommendations})
    return ActivityPage(activity=activity, runs=runs, recommendations=recommendations, named=named)


def upcoming_runs(*, activity: Activity | None = None):
    """Runs that have a session today or later, or no sessions yet (open for enrollment)."""
    today = timezone.localdate()
    qs = runs_with_counts().filter(Q(last_on__gte=today) | Q(last_on__isnull=True))
    if activity is not None:
        qs = qs.filter(activity=activity)
    return qs.filter(activity__is_active=True)


# --- The run page -------------------------------------------------------------------------------

AGE_BANDS = [
    (0, 30, _("Under 30")),
    (30, 40, _("30 to 39")),
    (40, 50, _("40 to 49")),
    (50, 60, _("50 to 59")),
    (60, 200, _("60 and over")),
]
READINESS_READY = "ready"
READINESS_ATTENTION = "attention"
READINESS_NOT_YET = "not_yet"
READINESS_UNKNOWN = "unknown"
READINESS_LABELS = {
    READINESS_READY: _("Every life area calm"),
    READINESS_ATTENTION: _("Some areas need attention"),
    READINESS_NOT_YET: _("An area not ready yet"),
    READINESS_UNKNOWN: _("Not assessed"),
}
UNKNOWN = _("Unknown")


def age_on(birth_date: datetime.date | None, day: datetime.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def age_band(birth_date: datetime.date | None, day: datetime.date) -> str:
    age = age_on(birth_date, day)
    if age is None:
        return str(UNKNOWN)
    return next(str(label) for low, high, label in AGE_BANDS if low <= age < high)


def readiness_level(latest_ratings: list[str]) -> str:
    """A person's readiness from the latest rating of each life area: the least ready wins."""
    if not latest_ratings:
        return READINESS_UNKNOWN
    if "not_yet" in latest_ratings:
        return READINESS_NOT_YET
    if "attention" in latest_ratings:
        return READINESS_ATTENTION
    return READINESS_READY


@dataclass
class Mix:
    """One dimension of the team's composition: (label, count) rows, largest first."""

    title: str
    rows: list[tuple[str, int]]

    @property
    def largest_share(self) -> int:
        total = sum(n for _, n in self.rows)
        return round(100 * self.rows[0][1] / total) if total else 0


@dataclass
class RosterRow:
    enrollment: Enrollment
    label: str  # the full name, or only the reference for those who may not see the person
    named: bool
    attended: int = 0
    marks: dict = field(default_factory=dict)  # session pk -> True/False


@dataclass
class RunPage:
    run: Run
    sessions: list[Session]
    enrolled: list[RosterRow]
    waitlist: list[RosterRow]
    cancelled: list[RosterRow]
    composition: list[Mix]
    recommended: list
    can_manage: bool
    full_names: bool
    today: datetime.date

    @property
    def free_places(self) -> int:
        return max(0, self.run.capacity - len(self.enrolled))


def run_get(*, pk: int) -> Run:
    return get_object_or_404(Run.objects.select_related("activity", "leader"), pk=pk)


def person_label(*, user, run: Run, job_customer: JobCustomer) -> str:
    """How one person on the run is named to `user`: the full name or only the reference."""
    named = sees_full_names(user=user, run=run) or bool(
        _visible_ids(user=user, ids={job_customer.pk})
    )
    return _label(job_customer, named)


def _label(job_customer: JobCustomer, named: bool) -> str:
    return f"{job_customer.full_name} ({job_customer.ref})" if named else job_customer.ref


def _composition(people: list[JobCustomer], day: datetime.date) -> list[Mix]:
    """How alike the team is: readiness, age band, job type wished, in work now. Never a
    diagnosis: the health information is not read."""
    readiness_rows = (
        ReadinessAssessment.objects.filter(job_customer__in=[p.pk for p in people])
        .order_by("job_customer_id", "area", "-assessed_on", "-pk")
        .values_list("job_customer_id", "area", "rating")
    )
    latest: dict[int, dict[str, str]] = {}
    for person_pk, area, rating in readiness_rows:
        latest.setdefault(person_pk, {}).setdefault(area, rating)
    readiness = Counter(
        str(READINESS_LABELS[readiness_level(list(latest.get(p.pk, {}).values()))]) for p in people
    )
    ages = Counter(age_band(p.birth_date, day) for p in people)
    job_types = Counter()
    for p in people:
        wishes = getattr(p, "job_wishes", None)
        job_types[
            str(PreferredJobType(wishes.preferred_job_type).label) if wishes else str(UNKNOWN)
        ] += 1
    in_work = Counter(str(_("In work")) if p.in_work_now else str(_("Not in work")) for p in people)

    def rows(counter: Counter) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda item: (-item[1], item[0]))

    return [
        Mix(title=str(_("Readiness")), rows=rows(readiness)),
        Mix(title=str(_("Age")), rows=rows(ages)),
        Mix(title=str(_("Job type wished")), rows=rows(job_types)),
        Mix(title=str(_("Work now")), rows=rows(in_work)),
    ]


def run_page(*, user, run: Run) -> RunPage:
    """The run: sessions, the roster with attendance, the waitlist, the team's composition and
    the persons recommended for it who are not on it yet (a fixed number of queries)."""
    today = timezone.localdate()
    sessions = list(run.sessions.select_related("leader").order_by("date", "starts_at", "pk"))
    enrollments = list(run.enrollments.order_by("requested_at", "pk"))
    person_ids = {e.job_customer_id for e in enrollments}
    recommendations = list(
        Recommendation.objects.filter(Q(run=run) | Q(run__isnull=True, activity_id=run.activity_id))
        .exclude(
            job_customer_id__in=[e.job_customer_id for e in enrollments if e.status != "cancelled"]
        )
        .select_related("recommended_by")
        .order_by("-created_at", "-pk")[:RECOMMENDATIONS_SHOWN]
    )
    person_ids |= {r.job_customer_id for r in recommendations}
    people = {
        p.pk: p
        for p in JobCustomer.objects.with_status(today)
        .filter(pk__in=person_ids)
        .select_related("job_wishes")
    }
    full_names = sees_full_names(user=user, run=run)
    named = set(person_ids) if full_names else _visible_ids(user=user, ids=person_ids)
    marks: dict[int, dict[int, bool]] = {}
    for session_pk, enrollment_pk, present in Attendance.objects.filter(
        session__run=run
    ).values_list("session_id", "enrollment_id", "present"):
        marks.setdefault(enrollment_pk, {})[session_pk] = present
    rows: dict[str, list[RosterRow]] = {s: [] for s in Enrollment.Status.values}
    for e in enrollments:
        e.job_customer = people[e.job_customer_id]
        m = marks.get(e.pk, {})
        rows[e.status].append(
            RosterRow(
                enrollment=e,
                label=_label(e.job_customer, e.job_customer_id in named),
                named=e.job_customer_id in named,
                attended=sum(1 for v in m.values() if v),
                marks=m,
            )
        )
    recommended = []
    for r in recommendations:
        person = people[r.job_customer_id]
        recommended.append(
            {"recommendation": r, "label": _label(person, person.pk in named), "person": person}
        )
    enrolled_people = [row.enrollment.job_customer for row in rows[Enrollment.Status.ENROLLED]]
    return RunPage(
        run=run,
        sessions=sessions,
        enrolled=rows[Enrollment.Status.ENROLLED],
        waitlist=rows[Enrollment.Status.WAITLISTED],
        cancelled=rows[Enrollment.Status.CANCELLED],
        composition=_composition(enrolled_people, today) if enrolled_people else [],
        recommended=recommended,
        can_manage=can_manage_run(user=user, run=run),
        full_names=full_names,
        today=today,
    )


def enrolled_for_session(*, session: Session) -> list[Enrollment]:
    """The people with a place on the session's run, with their attendance at it."""
    return list(
        Enrollment.objects.enrolled()
        .filter(run_id=session.run_id)
        .select_related("job_customer")
        .annotate(
            present=Subquery(
                Attendance.objects.filter(session=session, enrollment=OuterRef("pk")).values(
                    "present"
                )[:1]
            )
        )
        .order_by("job_customer__last_name", "job_customer__first_name", "pk")
    )


# --- The job customer's page --------------------------------------------------------------------


@dataclass
class PersonActivities:
    job_customer: JobCustomer
    items: list[dict]  # enrollments, recommendations and group memberships, newest first
    upskilling: list[dict]

    @property
    def is_empty(self) -> bool:
        return not self.items and not self.upskilling


PERSON_ITEMS_SHOWN = 20


def person_activities(*, job_customer: JobCustomer) -> PersonActivities:
    """What the person takes part in: runs (with sessions attended), recommendations, network
    groups and external upskilling, the newest 20, in one query (a union)."""
    text = CharField()
    number = IntegerField()
    attended = (
        Attendance.objects.filter(enrollment=OuterRef("pk"), present=True)
        .order_by()
        .values("enrollment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sessions = (
        Session.objects.filter(run=OuterRef("run_id"))
        .order_by()
        .values("run")
        .annotate(n=Count("pk"))
        .values("n")
    )
    columns = ["k_kind", "k_name", "k_strand", "k_target", "k_title", "k_status", "k_on",
               "k_completed", "k_attended", "k_sessions", "k_file"]  # fmt: skip
    enrollments = (
        Enrollment.objects.filter(job_customer=job_customer)
        .annotate(
            k_kind=Value("run", output_field=text),
            k_name=F("run__activity__name"),
            k_strand=F("run__activity__strand"),
            k_target=F("run_id"),
            k_title=F("run__title"),
            k_status=F("status"),
            k_on=TruncDate("requested_at"),
            k_completed=F("completed_on"),
            k_attended=Coalesce(Subquery(attended, output_field=number), 0),
            k_sessions=Coalesce(Subquery(sessions, output_field=number), 0),
            k_file=Value("", output_field=text),
        )
        .values(*columns)
        .order_by()
    )
    recommendations = (
        Recommendation.objects.filter(job_customer=job_customer)
        .annotate(
            k_kind=Value("recommendation", output_field=text),
            k_name=F("activity__name"),
            k_strand=F("activity__strand"),
            k_target=F("activity_id"),
            k_title=Coalesce(F("run__title"), Value("", output_field=text)),
            k_status=Value("recommended", output_field=text),
            k_on=TruncDate("created_at"),
            k_completed=Value(None, output_field=DateField()),
            k_attended=Value(0, output_field=number),
            k_sessions=Value(0, output_field=number),
            k_file=Value("", output_field=text),
        )
        .values(*columns)
        .order_by()
    )
    groups = (
        GroupMembership.objects.filter(job_customer=job_customer)
        .annotate(
            k_kind=Value("group", output_field=text),
            k_name=F("group__name"),
            k_strand=Value(Strand.NETWORK, output_field=text),
            k_target=F("group_id"),
            k_title=F("group__job_types"),
            k_status=Value("member", output_field=text),
            k_on=F("joined_on"),
            k_completed=F("left_on"),
            k_attended=Value(0, output_field=number),
            k_sessions=Value(0, output_field=number),
            k_file=Value("", output_field=text),
        )
        .values(*columns)
        .order_by()
    )
    upskilling = (
        Upskilling.objects.filter(job_customer=job_customer)
        .annotate(
            k_kind=Value("upskilling", output_field=text),
            k_name=F("title"),
            k_strand=Value(Strand.UPSKILLING, output_field=text),
            k_target=F("pk"),
            k_title=F("provider"),
            k_status=F("kind"),
            k_on=Coalesce(F("started_on"), TruncDate("created_at")),
            k_completed=F("completed_on"),
            k_attended=Value(0, output_field=number),
            k_sessions=Value(0, output_field=number),
            k_file=F("certificate"),
        )
        .values(*columns)
        .order_by()
    )
    rows = list(
        enrollments.union(recommendations, groups, upskilling, all=True).order_by(
            "-k_on", "k_kind", "-k_target"
        )[:PERSON_ITEMS_SHOWN]
    )
    labels = dict(Strand.choices)
    status_labels = {
        **dict(Enrollment.Status.choices),
        **dict(UpskillingKind.choices),
        "recommended": _("Recommended"),
        "member": _("Member"),
    }
    items = []
    for row in rows:
        item = {key[2:]: value for key, value in row.items()}
        item["strand_label"] = labels.get(item["strand"], item["strand"])
        item["status_label"] = status_labels.get(item["status"], item["status"])
        if item["kind"] == "group" and item["completed"]:
            item["status_label"] = _("Left the group")
        items.append(item)
    return PersonActivities(
        job_customer=job_customer,
        items=[i for i in items if i["kind"] != "upskilling"],
        upskilling=[i for i in items if i["kind"] == "upskilling"],
    )


# --- Network groups -----------------------------------------------------------------------------


def group_list():
    """Network groups with their number of current members and next meeting (one query)."""
    today = timezone.localdate()
    return (
        NetworkGroup.objects.select_related("facilitator")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__left_on__isnull=True), distinct=True
            ),
            next_meeting_on=Min("meetings__date", filter=Q(meetings__date__gte=today)),
        )
        .order_by("name")
    )


@dataclass
class GroupPage:
    group: NetworkGroup
    members: list[dict]
    former: list[dict]
    meetings: list[GroupMeeting]
    can_manage: bool


def group_page(*, user, group: NetworkGroup) -> GroupPage:
    """A network group: members (names only for the facilitator, managers and those who may
    see the person), former members and meetings."""
    memberships = list(group.memberships.select_related("job_customer").order_by("joined_on", "pk"))
    full = can_manage_group(user=user, group=group)
    ids = {m.job_customer_id for m in memberships}
    named = ids if full else _visible_ids(user=user, ids=ids)
    rows = [
        {"membership": m, "label": _label(m.job_customer, m.job_customer_id in named)}
        for m in memberships
    ]
    return GroupPage(
        group=group,
        members=[r for r in rows if r["membership"].left_on is None],
        former=[r for r in rows if r["membership"].left_on is not None],
        meetings=list(group.meetings.order_by("-date", "-starts_at", "-pk")),
        can_manage=full,
    )
