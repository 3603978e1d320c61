"""The four strands: the catalogue of activities and courses, their runs (hold) with sessions,
enrollment with a waitlist, attendance, recommendations, external upskilling, network groups,
and the personal calendar feeds of staff."""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Strand(models.TextChoices):
    """The method's four strands (DESIGN.md)."""

    GUIDANCE = "vejledning", _("Guidance")
    SPORT = "idraet", _("Sport")
    NETWORK = "netvaerk", _("Network")
    UPSKILLING = "opkvalificering", _("Upskilling")


class Activity(models.Model):
    """One activity or course in the catalogue, e.g. *Klædt på til job* (4 sessions of 3 hours)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    strand = models.CharField(_("strand"), max_length=20, choices=Strand.choices)
    description = models.TextField(_("description"), blank=True)
    topics = models.TextField(_("topics"), blank=True, help_text=_("One topic a line."))
    sessions_planned = models.PositiveSmallIntegerField(
        _("number of sessions"), null=True, blank=True
    )
    hours_per_session = models.DecimalField(
        _("hours per session"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    default_capacity = models.PositiveSmallIntegerField(
        _("usual number of places"), null=True, blank=True
    )
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Activities no longer offered keep their runs.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["strand", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_session__isnull=True)
                | Q(hours_per_session__gt=0, hours_per_session__lte=24),
                name="activities_activity_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(default_capacity__isnull=True) | Q(default_capacity__gte=1),
                name="activities_activity_capacity_positive",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]


class Run(models.Model):
    """A run (hold) of an activity: its sessions, places and the people enrolled."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="runs"
    )
    title = models.CharField(
        _("name of the run"), max_length=200, blank=True, help_text=_("For example Spring 2026.")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_runs",
    )
    capacity = models.PositiveSmallIntegerField(_("places"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=500),
                name="activities_run_capacity_range",
            ),
        ]

    def __str__(self):
        return f"{self.activity.name}: {self.title}" if self.title else self.activity.name


class Session(models.Model):
    """One session (mødegang) of a run: a date, a start and end time, a place and a leader."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_sessions",
        help_text=_("Empty: the run's leader."),
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("activity", "session")
        verbose_name_plural = pgettext_lazy("activity", "sessions")
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="activities_session_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["leader", "date"]), models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.date} {self.starts_at:%H:%M}"

    def _aware(self, t: datetime.time) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.date, t), timezone.get_default_timezone()
        )

    @property
    def starts(self) -> datetime.datetime:
        return self._aware(self.starts_at)

    @property
    def ends(self) -> datetime.datetime:
        return self._aware(self.ends_at)


class EnrollmentQuerySet(models.QuerySet):
    def enrolled(self):
        return self.filter(status=Enrollment.Status.ENROLLED)

    def waitlisted(self):
        return self.filter(status=Enrollment.Status.WAITLISTED).order_by("requested_at", "pk")

    def current(self):
        return self.filter(status__in=[Enrollment.Status.ENROLLED, Enrollment.Status.WAITLISTED])


class Enrollment(models.Model):
    """A job customer on a run, or on its waitlist. Cancelled enrollments stay as history; the
    waitlist is served in the order people asked (`requested_at`)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", pgettext_lazy("enrollment", "Cancelled")

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="enrollments")
    job_customer = models.ForeignKey(
        "customers.JobCustomer",
        verbose_name=_("job customer"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    enrolled_at = models.DateTimeField(_("got a place"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved up from the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "job_customer"],
                condition=Q(status__in=["enrolled", "waitlisted"]),
                name="activities_enrollment_once_per_run",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(status="enrolled"),
                name="activities_enrollment_completed_when_enrolled",
            ),
        ]
        indexes = [
            models.Index(fields=["run", "status", "requested_at"]),
            models.Index(fields=["job_customer", "status"]),
        ]

    def __str__(self):
        return f"{self.run}: {self.get_status_display()}"


class Attendance(models.Model):
    """Whether one enrolled person came to one session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrollment"], name="activities_attendance_once"
            ),
        ]

    def __str__(self):
        return f"{self.session}: {self.present}"


class Recommendation(models.Model):
    """A vejleder recommends an activity (and perhaps a particular run) to a job customer."""

    job_customer = models.ForeignKey(
        "customers.JobCustomer", on_delete=models.CASCADE, related_name="activity_recommendations"
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    run = models.ForeignKey(
        Run,
        verbose_name=_("run"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    note = models.TextField(
        _("why"), blank=True, help_text=_("What the person can gain from it. Never a diagnosis.")
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recommended"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["activity", "-created_at"])]

    def __str__(self):
        return str(self.activity)


class UpskillingKind(models.TextChoices):
    BOOKKEEPING = "bookkeeping", _("Bookkeeping")
    FORKLIFT = "forklift", _("Forklift certificate")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    IT = "it", _("IT skills")
    OFFICE = "office", _("Office")
    OTHER = "other", _("Other")


def certificate_path(instance, filename: str) -> str:
    """A name of our own under MEDIA_ROOT (never the uploaded name, which may say too much)."""
    suffix = PurePath(filename).suffix.lower()
    return f"activities/certificates/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class Upskilling(models.Model):
    """External upskilling of an employed job customer: a course, certificate or licence."""

    job_customer = models.ForeignKey(
        "customers.JobCustomer", on_delete=models.CASCADE, related_name="upskilling"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UpskillingKind.choices)
    title = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200)
    started_on = models.DateField(_("start"), null=True, blank=True)
    ended_on = models.DateField(_("end"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate = models.FileField(
        _("certificate"), upload_to=certificate_path, blank=True, max_length=200
    )
    certificate_name = models.CharField(max_length=200, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("upskilling")
        verbose_name_plural = _("upskilling")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="activities_upskilling_end_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None


class NetworkGroup(models.Model):
    """A small closed group of peers in related job types who share their experience."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    job_types = models.CharField(
        _("related job types"), max_length=200, help_text=_("For example warehouse and logistics.")
    )
    description = models.TextField(_("description"), blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_groups",
    )
    max_members = models.PositiveSmallIntegerField(
        _("at most members"),
        default=8,
        help_text=_("Small groups: the report suggests closed groups."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("network group")
        verbose_name_plural = _("network groups")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_members__gte=2, max_members__lte=30),
                name="activities_networkgroup_size_range",
            ),
        ]

    def __str__(self):
        return self.name


class GroupMembership(models.Model):
    """A job customer in a network group, from a day until they leave."""

    group = models.ForeignKey(NetworkGroup, on_delete=models.CASCADE, related_name="memberships")
    job_customer = models.ForeignKey(
        "customers.JobCustomer",
        verbose_name=_("job customer"),
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "job_customer"],
                condition=Q(left_on__isnull=True),
                name="activities_membership_once",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="activities_membership_left_after_joined",
            ),
        ]

    def __str__(self):
        return f"{self.group}: {self.joined_on}"


class GroupMeeting(models.Model):
    """A meeting of a network group."""

    group = models.ForeignKey(NetworkGroup, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts"))
    ends_at = models.TimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("What the group talked about; no personal details.")
    )

    class Meta:
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        ordering = ["-date", "-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="activities_groupmeeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.group}: {self.date}"

    def _aware(self, t: datetime.time) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.date, t), timezone.get_default_timezone()
        )

    @property
    def starts(self) -> datetime.datetime:
        return self._aware(self.starts_at)

    @property
    def ends(self) -> datetime.datetime:
        return self._aware(self.ends_at)


class CalendarFeed(models.Model):
    """A staff member's personal calendar feed: the secret token in its URL, kept only as a
    SHA-256 digest. Revoking it ends the URL for good; a new feed gets a new token."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="activities_calendarfeed_one_active",
            ),
        ]

    def __str__(self):
        return str(_("Calendar feed of %(user)s") % {"user": self.user})
