"""Every write of the activities app. Views check who may act (see `selectors.can_*`); these
functions validate, lock what they count, and save inside one transaction.

Places on a run are counted under a row lock on the run (`select_for_update`): two people
enrolling at the same moment are served one after the other, so a run never holds more
enrolled people than its places; the others go to the waitlist, and a cancellation gives the
freed place to the first person waiting.
"""

import datetime
import hashlib
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.models import User
from varig.customers.models import JobCustomer

from .models import (
    Activity,
    Attendance,
    CalendarFeed,
    Enrollment,
    GroupMeeting,
    GroupMembership,
    NetworkGroup,
    Recommendation,
    Run,
    Session,
    Upskilling,
)

SESSION_ENDS_BEFORE_START = _("The session must end after it starts.")
MEETING_ENDS_BEFORE_START = _("The meeting must end after it starts.")
ALREADY_ENROLLED = _("This job customer is already enrolled on this run.")
ALREADY_WAITLISTED = _("This job customer is already on the waitlist of this run.")
ENROLLMENT_ALREADY_CANCELLED = _("This enrollment has already been cancelled.")
NOT_ENROLLED = _("Only people enrolled on this run can have attendance recorded.")
SESSION_OF_OTHER_RUN = _("The session belongs to another run.")
COMPLETE_ONLY_ENROLLED = _("Only people with a place on the run can complete it.")
CAPACITY_BELOW_ENROLLED = _(
    "The run already has %(enrolled)s people enrolled: it cannot have fewer places."
)
CAPACITY_RANGE = _("A run has between 1 and 500 places.")
ACTIVITY_NOT_OFFERED = _("This activity is no longer offered.")
RUN_OF_OTHER_ACTIVITY = _("The run belongs to another activity.")
UPSKILLING_END_BEFORE_START = _("The end cannot be before the start.")
COMPLETED_BEFORE_START = _("It cannot be completed before it started.")
CERTIFICATE_TYPE = _("Upload the certificate as a PDF, JPEG or PNG file.")
CERTIFICATE_TOO_LARGE = _("The certificate may be at most %(mb)s MB.")
GROUP_FULL = _("The group is full (%(max)s members).")
ALREADY_MEMBER = _("This job customer is already a member of the group.")
MEMBERSHIP_ENDED = _("This person has already left the group.")
LEFT_BEFORE_JOINED = _("A member cannot leave before they joined.")
NO_PERSON = _("No job customer you may work with has this reference.")
GROUP_SMALLER_THAN_MEMBERS = _("The group already has %(n)s members.")

CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
# Extension → (content type, how the file starts): the name and the content must agree.
CERTIFICATE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


# --- The catalogue ------------------------------------------------------------------------------


@transaction.atomic
def activity_save(
    *,
    actor: User,
    activity: Activity | None = None,
    name: str,
    strand: str,
    description: str = "",
    topics: str = "",
    sessions_planned: int | None = None,
    hours_per_session: Decimal | None = None,
    default_capacity: int | None = None,
    is_active: bool = True,
) -> Activity:
    """Create an activity in the catalogue, or change one (staff)."""
    activity = activity or Activity()
    activity.name = name.strip()
    activity.strand = strand
    activity.description = description.strip()
    activity.topics = "\n".join(line.strip() for line in topics.splitlines() if line.strip())
    activity.sessions_planned = sessions_planned
    activity.hours_per_session = hours_per_session
    activity.default_capacity = default_capacity
    activity.is_active = is_active
    activity.full_clean()
    activity.save()
    return activity


# --- Runs and sessions ---------------------------------------------------------------------------


def _check_capacity(capacity: int) -> None:
    if capacity is None or not 1 <= capacity <= 500:
        raise ValidationError({"capacity": [CAPACITY_RANGE]})


@transaction.atomic
def run_create(
    *,
    actor: User,
    activity: Activity,
    capacity: int,
    title: str = "",
    leader: User | None = None,
    place: str = "",
    note: str = "",
) -> Run:
    """Start a run (hold) of an activity with a number of places."""
    if not activity.is_active:
        raise ValidationError(ACTIVITY_NOT_OFFERED)
    _check_capacity(capacity)
    run = Run(
        activity=activity,
        capacity=capacity,
        title=title.strip(),
        leader=leader,
        place=place.strip(),
        note=note.strip(),
        created_by=actor,
    )
    run.full_clean()
    run.save()
    return run


@transaction.atomic
def run_update(
    *,
    actor: User,
    run: Run,
    capacity: int,
    title: str = "",
    leader: User | None = None,
    place: str = "",
    note: str = "",
) -> list[Enrollment]:
    """Change a run. More places move people up from the waitlist (returned); fewer places
    than people already enrolled are refused."""
    run = Run.objects.select_for_update().get(pk=run.pk)
    _check_capacity(capacity)
    enrolled = run.enrollments.enrolled().count()
    if capacity < enrolled:
        raise ValidationError({"capacity": [CAPACITY_BELOW_ENROLLED % {"enrolled": enrolled}]})
    run.capacity = capacity
    run.title = title.strip()
    run.leader = leader
    run.place = place.strip()
    run.note = note.strip()
    run.full_clean()
    run.save()
    return _fill_places(run=run, actor=actor)


def _check_times(starts_at: datetime.time, ends_at: datetime.time, message) -> None:
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": [message]})


@transaction.atomic
def session_save(
    *,
    actor: User,
    run: Run,
    session: Session | None = None,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    place: str = "",
    leader: User | None = None,
    topic: str = "",
) -> Session:
    """Add a session to a run or change one; a session must end after it starts."""
    _check_times(starts_at, ends_at, SESSION_ENDS_BEFORE_START)
    if session is not None and session.run_id != run.pk:
        raise ValidationError(SESSION_OF_OTHER_RUN)
    session = session or Session(run=run)
    session.date = date
    session.starts_at = starts_at
    session.ends_at = ends_at
    session.place = place.strip()
    session.leader = leader
    session.topic = topic.strip()
    session.full_clean()
    session.save()
    return session


# --- Enrollment and the waitlist ----------------------------------------------------------------


@transaction.atomic
def enrollment_create(*, actor: User | None, run: Run, job_customer: JobCustomer) -> Enrollment:
    """Enroll a person on a run: a place if one is free, otherwise the waitlist. Refuses a
    second enrollment of the same person on the same run."""
    run = Run.objects.select_for_update().get(pk=run.pk)
    existing = run.enrollments.current().filter(job_customer=job_customer).first()
    if existing is not None:
        raise ValidationError(
            ALREADY_ENROLLED
            if existing.status == Enrollment.Status.ENROLLED
            else ALREADY_WAITLISTED
        )
    now = timezone.now()
    has_place = run.enrollments.enrolled().count() < run.capacity
    enrollment = Enrollment(
        run=run,
        job_customer=job_customer,
        status=Enrollment.Status.ENROLLED if has_place else Enrollment.Status.WAITLISTED,
        requested_at=now,
        enrolled_at=now if has_place else None,
        enrolled_by=actor,
    )
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:  # the same person enrolled twice at the same moment
        raise ValidationError(ALREADY_ENROLLED) from None
    return enrollment


def _fill_places(*, run: Run, actor: User | None) -> list[Enrollment]:
    """Give free places to the waitlist in order. Call with the run locked."""
    free = run.capacity - run.enrollments.enrolled().count()
    if free <= 0:
        return []
    now = timezone.now()
    promoted = list(run.enrollments.waitlisted().select_for_update()[:free])
    for enrollment in promoted:
        enrollment.status = Enrollment.Status.ENROLLED
        enrollment.enrolled_at = now
        enrollment.promoted_at = now
        enrollment.save(update_fields=["status", "enrolled_at", "promoted_at"])
    return promoted


@transaction.atomic
def enrollment_cancel(*, actor: User | None, enrollment: Enrollment) -> Enrollment | None:
    """Cancel an enrollment or a place on the waitlist; a freed place goes to the first
    person waiting, who is returned (None when nobody moved up)."""
    run = Run.objects.select_for_update().get(pk=enrollment.run_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status == Enrollment.Status.CANCELLED:
        raise ValidationError(ENROLLMENT_ALREADY_CANCELLED)
    enrollment.status = Enrollment.Status.CANCELLED
    enrollment.cancelled_at = timezone.now()
    enrollment.cancelled_by = actor
    enrollment.completed_on = None
    enrollment.save(update_fields=["status", "cancelled_at", "cancelled_by", "completed_on"])
    promoted = _fill_places(run=run, actor=actor)
    return promoted[0] if promoted else None


@transaction.atomic
def enrollment_complete(
    *, actor: User, enrollment: Enrollment, completed_on: datetime.date | None
) -> Enrollment:
    """Mark that a person completed the run (a date), or undo it (None)."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if completed_on is not None and enrollment.status != Enrollment.Status.ENROLLED:
        raise ValidationError(COMPLETE_ONLY_ENROLLED)
    enrollment.completed_on = completed_on
    enrollment.save(update_fields=["completed_on"])
    return enrollment


# --- Attendance ---------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *, actor: User, session: Session, present: dict[int, bool]
) -> list[Attendance]:
    """Record who came to a session: `present` maps enrollment ids to present or not. Every
    id must be a person enrolled on the session's run (refused otherwise, nothing saved)."""
    enrollments = {
        e.pk: e
        for e in Enrollment.objects.filter(pk__in=list(present)).select_related("job_customer")
    }
    for pk in present:
        enrollment = enrollments.get(pk)
        if enrollment is None or enrollment.run_id != session.run_id:
            raise ValidationError(NOT_ENROLLED)
        if enrollment.status != Enrollment.Status.ENROLLED:
            raise ValidationError(NOT_ENROLLED)
    existing = {
        a.enrollment_id: a
        for a in Attendance.objects.select_for_update().filter(
            session=session, enrollment_id__in=list(present)
        )
    }
    saved = []
    for pk, came in present.items():
        row = existing.get(pk) or Attendance(session=session, enrollment_id=pk)
        row.present = bool(came)
        row.recorded_by = actor
        row.save()
        saved.append(row)
    return saved


def attendance_set(
    *, actor: User, session: Session, job_customer: JobCustomer, present: bool
) -> Attendance:
    """Record one person's attendance at a session; refused unless they are enrolled."""
    enrollment = (
        Enrollment.objects.enrolled()
        .filter(run_id=session.run_id, job_customer=job_customer)
        .first()
    )
    if enrollment is None:
        raise ValidationError(NOT_ENROLLED)
    return attendance_record(actor=actor, session=session, present={enrollment.pk: present})[0]


# --- Recommendations ----------------------------------------------------------------------------


@transaction.atomic
def recommendation_create(
    *,
    actor: User,
    job_customer: JobCustomer,
    activity: Activity,
    run: Run | None = None,
    note: str = "",
) -> Recommendation:
    """A vejleder recommends an activity (perhaps a particular run of it) to a job customer."""
    if not activity.is_active:
        raise ValidationError({"activity": [ACTIVITY_NOT_OFFERED]})
    if run is not None and run.activity_id != activity.pk:
        raise ValidationError({"run": [RUN_OF_OTHER_ACTIVITY]})
    recommendation = Recommendation(
        job_customer=job_customer,
        activity=activity,
        run=run,
        note=note.strip(),
        recommended_by=actor,
    )
    recommendation.full_clean()
    recommendation.save()
    return recommendation


# --- External upskilling ------------------------------------------------------------------------


def certificate_check(upload) -> None:
    """A certificate is a PDF, JPEG or PNG of at most 5 MB whose content matches its name."""
    from pathlib import PurePath

    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in CERTIFICATE_TYPES:
        raise ValidationError({"certificate": [CERTIFICATE_TYPE]})
    if upload.size > CERTIFICATE_MAX_BYTES:
        mb = CERTIFICATE_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"certificate": [CERTIFICATE_TOO_LARGE % {"mb": mb}]})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in CERTIFICATE_TYPES[suffix][1]):
        raise ValidationError({"certificate": [CERTIFICATE_TYPE]})


@transaction.atomic
def upskilling_save(
    *,
    actor: User,
    job_customer: JobCustomer,
    upskilling: Upskilling | None = None,
    kind: str,
    title: str,
    provider: str,
    started_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    note: str = "",
    certificate=None,
) -> Upskilling:
    """Record or change an external course of an employed job customer, with its certificate
    (validated; stored under MEDIA_ROOT with a name of our own). A new certificate replaces
    the old file."""
    errors: dict[str, list] = {}
    if started_on and ended_on and ended_on < started_on:
        errors["ended_on"] = [UPSKILLING_END_BEFORE_START]
    if started_on and completed_on and completed_on < started_on:
        errors["completed_on"] = [COMPLETED_BEFORE_START]
    if certificate is not None:
        try:
            certificate_check(certificate)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    upskilling = upskilling or Upskilling(job_customer=job_customer, recorded_by=actor)
    upskilling.kind = kind
    upskilling.title = title.strip()
    upskilling.provider = provider.strip()
    upskilling.started_on = started_on
    upskilling.ended_on = ended_on
    upskilling.completed_on = completed_on
    upskilling.note = note.strip()
    upskilling.full_clean(exclude=["certificate"])
    old_file = upskilling.certificate.name if upskilling.pk and certificate is not None else ""
    if certificate is not None:
        from pathlib import PurePath

        upskilling.certificate_name = PurePath(certificate.name).name[:200]
        upskilling.certificate.save(certificate.name, certificate, save=False)
    upskilling.save()
    if old_file:
        storage = upskilling.certificate.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return upskilling


# --- Network groups -----------------------------------------------------------------------------


@transaction.atomic
def group_save(
    *,
    actor: User,
    group: NetworkGroup | None = None,
    name: str,
    job_types: str,
    description: str = "",
    facilitator: User | None = None,
    max_members: int = 8,
) -> NetworkGroup:
    """Create or change a network group; it cannot be made smaller than its members."""
    if group is not None:
        group = NetworkGroup.objects.select_for_update().get(pk=group.pk)
        members = group.memberships.filter(left_on__isnull=True).count()
        if max_members < members:
            raise ValidationError({"max_members": [GROUP_SMALLER_THAN_MEMBERS % {"n": members}]})
    group = group or NetworkGroup()
    group.name = name.strip()
    group.job_types = job_types.strip()
    group.description = description.strip()
    group.facilitator = facilitator
    group.max_members = max_members
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def membership_add(
    *, actor: User, group: NetworkGroup, job_customer: JobCustomer, joined_on: datetime.date
) -> GroupMembership:
    """Add a person to a closed group; refused when full or already a member."""
    group = NetworkGroup.objects.select_for_update().get(pk=group.pk)
    current = group.memberships.filter(left_on__isnull=True)
    if current.filter(job_customer=job_customer).exists():
        raise ValidationError(ALREADY_MEMBER)
    if current.count() >= group.max_members:
        raise ValidationError(GROUP_FULL % {"max": group.max_members})
    membership = GroupMembership(
        group=group, job_customer=job_customer, joined_on=joined_on, added_by=actor
    )
    membership.full_clean(exclude=["added_by"])
    membership.save()
    return membership


@transaction.atomic
def membership_end(
    *, actor: User, membership: GroupMembership, left_on: datetime.date
) -> GroupMembership:
    """A member leaves the group on a day (the membership stays as history)."""
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None:
        raise ValidationError(MEMBERSHIP_ENDED)
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": [LEFT_BEFORE_JOINED]})
    membership.left_on = left_on
    membership.save(update_fields=["left_on"])
    return membership


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    group: NetworkGroup,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    place: str = "",
    topic: str = "",
    notes: str = "",
) -> GroupMeeting:
    """Plan or record a meeting of a network group; it must end after it starts."""
    _check_times(starts_at, ends_at, MEETING_ENDS_BEFORE_START)
    meeting = GroupMeeting(
        group=group,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        topic=topic.strip(),
        notes=notes.strip(),
    )
    meeting.full_clean()
    meeting.save()
    return meeting


# --- Calendar feeds -----------------------------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new personal feed for `user` (the previous one stops working). Returns the feed and
    its secret token, which is shown once and stored only as a digest."""
    calendar_feed_revoke(user=user)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=token_digest(token))
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> int:
    """Revoke `user`'s feed: its URL answers 404 from now on. Returns how many were revoked."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
