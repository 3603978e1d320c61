import datetime

from django.conf import settings
from django.db import connections, models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.choices import ChoiceLabels

from .search import matching_q


class ReferralSource(models.TextChoices):
    SELF = "self", _("Came by themselves")
    JOBCENTER = "jobcenter", _("Jobcenter")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    OTHER = "other", _("Other")


class PensionRules(models.TextChoices):
    AFTER_2003 = "after_2003", _("Awarded after 2003 (new rules)")
    BEFORE_2003 = "before_2003", _("Awarded before 2003 (old rules)")
    UNKNOWN = "unknown", _("Unknown")


class CustomerStatus(models.TextChoices):
    """Derived from the association and the placements: nothing closes a course automatically.
    Each job customer also carries it stored for a span of days (`current_status`, see
    customers/status.py), so the caseload list filters it without looking at placements."""

    NOT_IN_WORK = "not_in_work", _("Not yet in work")
    IN_PRAKTIK = "in_praktik", _("In praktik")
    IN_WORK = "in_work", _("In work")
    ENDED = "ended", _("Association ended")


STORED_STATUS_FIELDS = ("current_status", "status_checked_on", "status_changes_on")


class JobCustomerQuerySet(models.QuerySet):
    def associated_on(self, day: datetime.date):
        """Associated at D: associated_from ≤ D and (associated_until unset or D ≤ it)."""
        return self.filter(associated_from__lte=day).filter(
            Q(associated_until__isnull=True) | Q(associated_until__gte=day)
        )

    def for_advisor(self, user):
        return self.filter(advisor=user)

    def matching(self, text: str):
        """Every word of `text` in the first name, last name or reference, anywhere and in any
        case (customers.search: an index on each database)."""
        return self.filter(matching_q(text, vendor=connections[self.db].vendor))

    def with_status(self, day: datetime.date | None = None):
        """Annotate `in_work_now` and `in_praktik_now`; `status` reads them without queries."""
        from varig.placements.models import Placement

        day = day or timezone.localdate()
        active = Placement.objects.active_on(day).filter(job_customer=OuterRef("pk"))
        return self.annotate(
            in_work_now=Exists(active.work()),
            in_praktik_now=Exists(active.filter(kind=Placement.Kind.PRAKTIK)),
        )

    def with_status_filter(self, status: str, day: datetime.date | None = None):
        day = day or timezone.localdate()
        qs = self.with_status(day)
        ended = Q(associated_until__lt=day)
        if status == CustomerStatus.ENDED:
            return qs.filter(ended)
        qs = qs.exclude(ended)
        if status == CustomerStatus.IN_WORK:
            return qs.filter(in_work_now=True)
        if status == CustomerStatus.IN_PRAKTIK:
            return qs.filter(in_work_now=False, in_praktik_now=True)
        if status == CustomerStatus.NOT_IN_WORK:
            return qs.filter(in_work_now=False, in_praktik_now=False)
        return qs


class JobCustomer(ChoiceLabels, models.Model):
    """A person who has joined voluntarily; the course has no end date."""

    ref = models.CharField(_("reference"), max_length=40, unique=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    associated_from = models.DateField(_("associated from"))
    associated_until = models.DateField(
        _("associated until"), null=True, blank=True, help_text=_("Last day associated.")
    )
    referral_source = models.CharField(
        _("came through"),
        max_length=20,
        choices=ReferralSource.choices,
        default=ReferralSource.SELF,
    )
    pension_rules = models.CharField(
        _("pension rules"),
        max_length=20,
        choices=PensionRules.choices,
        default=PensionRules.AFTER_2003,
    )
    education = models.TextField(_("education"), blank=True)
    work_experience = models.TextField(_("work experience"), blank=True)
    competences = models.TextField(_("competences"), blank=True)
    # The status stored (customers/status.py): true from `status_checked_on` until the day
    # before `status_changes_on` (none: until the data changes). Outside that span it is
    # derived again. Every writer of placements and of the association refreshes it.
    current_status = models.CharField(
        max_length=20, choices=CustomerStatus.choices, blank=True, editable=False
    )
    status_checked_on = models.DateField(null=True, blank=True, editable=False)
    status_changes_on = models.DateField(null=True, blank=True, editable=False)
    extra_followup_weeks = models.PositiveSmallIntegerField(
        _("extra follow-up every (weeks)"),
        null=True,
        blank=True,
        help_text=_("For those who need more contact than the standard, e.g. every 4 weeks."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobCustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("job customer")
        verbose_name_plural = _("job customers")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(associated_until__isnull=True)
                | Q(associated_until__gte=models.F("associated_from")),
                name="customers_jobcustomer_association_order",
            ),
        ]
        indexes = [
            models.Index(fields=["advisor", "last_name"]),
            models.Index(fields=["associated_from", "associated_until"]),
            # The caseload list's default order: page 1 of 100,000 reads 25 rows, not a sort.
            models.Index(fields=["last_name", "first_name", "id"]),
            # The status filter in the list's order; its dates last, so the count of 64,000
            # in work reads this index alone. The stale statuses found by their dates.
            models.Index(
                fields=[
                    "current_status",
                    "last_name",
                    "first_name",
                    "id",
                    "status_checked_on",
                    "status_changes_on",
                ],
                name="customers_status_list_idx",
            ),
            models.Index(fields=["status_changes_on"]),
            models.Index(fields=["status_checked_on"]),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        # The stored status is written only by customers/status.py (one UPDATE in SQL): an
        # instance read before a placement changed must not write its old status back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in STORED_STATUS_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def status_on(self, day: datetime.date | None = None) -> str:
        """The derived status. Uses the `with_status` annotations when present."""
        day = day or timezone.localdate()
        if self.associated_until and self.associated_until < day:
            return CustomerStatus.ENDED
        in_work = getattr(self, "in_work_now", None)
        in_praktik = getattr(self, "in_praktik_now", None)
        if in_work is None or in_praktik is None:
            from varig.placements.models import Placement

            active = Placement.objects.active_on(day).filter(job_customer=self)
            in_work = active.work().exists()
            in_praktik = active.filter(kind=Placement.Kind.PRAKTIK).exists()
        if in_work:
            return CustomerStatus.IN_WORK
        if in_praktik:
            return CustomerStatus.IN_PRAKTIK
        return CustomerStatus.NOT_IN_WORK

    @property
    def status(self) -> str:
        return self.status_on()

    @property
    def status_label(self) -> str:
        return CustomerStatus(self.status).label


class HealthInfo(models.Model):
    """Diagnosis and health notes (GDPR art. 9). Only the responsible advisor, managers and
    administrators may read it, and it never reaches anything a company sees."""

    job_customer = models.OneToOneField(
        JobCustomer, on_delete=models.CASCADE, related_name="health", verbose_name=_("job customer")
    )
    diagnosis = models.TextField(_("diagnosis"), blank=True)
    health_notes = models.TextField(_("health notes"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("health information")
        verbose_name_plural = _("health information")

    def __str__(self):
        return str(_("Health information"))


class LifeArea(models.TextChoices):
    PSYCHOLOGICAL = "psychological", _("Psychological condition under control")
    MEDICATION = "medication", _("Medication")
    PHYSICAL = "physical", _("Physical health")
    FINANCES = "finances", _("Finances")
    HOUSING = "housing", _("Housing")
    NETWORK = "network", _("Network")
    DAILY_STRUCTURE = "daily_structure", _("Daily structure")


class ReadinessRating(models.TextChoices):
    CALM = "calm", _("Calm")
    ATTENTION = "attention", _("Needs attention")
    NOT_YET = "not_yet", _("Not yet")


class ReadinessAssessment(ChoiceLabels, models.Model):
    """One rating of one life area on one date; the rows together are the history."""

    job_customer = models.ForeignKey(
        JobCustomer, on_delete=models.CASCADE, related_name="readiness"
    )
    area = models.CharField(_("life area"), max_length=20, choices=LifeArea.choices)
    rating = models.CharField(_("rating"), max_length=10, choices=ReadinessRating.choices)
    assessed_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("readiness assessment")
        verbose_name_plural = _("readiness assessments")
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["job_customer", "area", "-assessed_on"])]

    def __str__(self):
        return f"{self.get_area_display()}: {self.get_rating_display()}"

    @property
    def rating_tone(self) -> str:
        """The badge tone of the rating: calm is ok, needs attention warns, not yet alerts."""
        return {ReadinessRating.CALM: "ok", ReadinessRating.ATTENTION: "warn"}.get(
            self.rating, "alert"
        )


class PreferredJobType(models.TextChoices):
    SIMPLE = "simple", _("A simple job with fixed tasks")
    DEVELOPMENT = "development", _("A job with development")
    UNDECIDED = "undecided", _("Not decided")


class JobWishes(models.Model):
    """What the job customer wants: wished jobs and industries, hours, the dream job."""

    job_customer = models.OneToOneField(
        JobCustomer, on_delete=models.CASCADE, related_name="job_wishes"
    )
    wished_jobs = models.TextField(_("wished jobs"), blank=True)
    wished_industries = models.TextField(_("wished industries"), blank=True)
    wished_hours_per_week = models.DecimalField(
        _("wished hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    preferred_job_type = models.CharField(
        _("preferred job type"),
        max_length=20,
        choices=PreferredJobType.choices,
        default=PreferredJobType.UNDECIDED,
    )
    dream_job = models.TextField(_("dream job"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("job wishes")
        verbose_name_plural = _("job wishes")
        constraints = [
            models.CheckConstraint(
                condition=Q(wished_hours_per_week__isnull=True)
                | Q(wished_hours_per_week__gt=0, wished_hours_per_week__lte=48),
                name="customers_jobwishes_hours_range",
            )
        ]

    def __str__(self):
        return str(_("Job wishes"))


class Accommodation(models.Model):
    """One version of the agreed accommodations (skånehensyn). Never holds a diagnosis.

    A change writes a new row, so the rows are the history; the newest is in force.
    `employer_text` is the only part an employer may be told.
    """

    job_customer = models.ForeignKey(
        JobCustomer, on_delete=models.CASCADE, related_name="accommodations"
    )
    valid_from = models.DateField(_("valid from"))
    max_hours_per_week = models.DecimalField(
        _("max hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    max_hours_per_day = models.DecimalField(
        _("max hours per day"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    tasks_to_avoid = models.TextField(_("tasks to avoid"), blank=True)
    environment = models.TextField(_("working environment"), blank=True)
    fixed_contact_person = models.BooleanField(_("one fixed contact person"), default=False)
    other = models.TextField(_("other"), blank=True)
    employer_text = models.TextField(
        _("what an employer may be told"),
        blank=True,
        help_text=_("How to work with the person. Never the diagnosis."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accommodations")
        verbose_name_plural = _("accommodations")
        ordering = ["-valid_from", "-pk"]
        get_latest_by = ["valid_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_hours_per_week__isnull=True)
                | Q(max_hours_per_week__gt=0, max_hours_per_week__lte=48),
                name="customers_accommodation_week_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(max_hours_per_day__isnull=True)
                | Q(max_hours_per_day__gt=0, max_hours_per_day__lte=24),
                name="customers_accommodation_day_hours_range",
            ),
        ]

    def __str__(self):
        return str(_("Accommodations from %(date)s") % {"date": self.valid_from})


class ConsentQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return (
            self.filter(given_on__lte=day)
            .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        )


class Consent(models.Model):
    """The person's consent about one company: what may be shared, and whether the company may
    be contacted about them. Withdrawn consents stay as history."""

    job_customer = models.ForeignKey(JobCustomer, on_delete=models.CASCADE, related_name="consents")
    company = models.ForeignKey(
        "employers.Company",
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("company"),
    )
    may_contact = models.BooleanField(
        _("the company may be contacted about the person"), default=True
    )
    share_accommodations = models.BooleanField(_("accommodations may be shared"), default=True)
    share_work_situation = models.BooleanField(
        _("the work situation and progress may be shared"), default=True
    )
    shared_details = models.TextField(_("other things that may be shared"), blank=True)
    given_on = models.DateField(_("given on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="customers_consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("given_on")),
                name="customers_consent_expires_after_given",
            ),
        ]

    def __str__(self):
        return f"{self.company}: {self.given_on}"

    def is_active_on(self, day: datetime.date) -> bool:
        return (
            self.given_on <= day
            and (self.withdrawn_on is None or self.withdrawn_on > day)
            and (self.expires_on is None or self.expires_on >= day)
        )

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())


class ContactKind(models.TextChoices):
    NOTE = "note", _("Note")
    CONVERSATION = "conversation", _("Conversation")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    MEETING = "meeting", _("Meeting")


class ContactNote(ChoiceLabels, models.Model):
    """One entry in the person's timeline: a note or a contact, with a company or not.

    A contact with a company about the person needs the person's active consent; otherwise
    `consent_override_reason` holds why it happened anyway (and the override is audited).
    """

    job_customer = models.ForeignKey(JobCustomer, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(
        _("kind"), max_length=20, choices=ContactKind.choices, default=ContactKind.NOTE
    )
    occurred_at = models.DateTimeField(_("when"))
    company = models.ForeignKey(
        "employers.Company",
        verbose_name=_("with company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_notes",
    )
    text = models.TextField(_("text"))
    consent_override_reason = models.TextField(_("reason for contact without consent"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["job_customer", "-occurred_at"]),
            # Resultater's first employer contact: each person's first note with a company,
            # from the index alone (issue 3).
            models.Index(
                fields=["job_customer", "occurred_at", "company"],
                condition=models.Q(company__isnull=False),
                name="contactnote_company_first_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class TaskKind(models.TextChoices):
    GENERAL = "general", _("Task")
    REPLACEMENT = "replacement", _("Re-placement wanted")


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)


class Task(ChoiceLabels, models.Model):
    """Something an advisor must do about a job customer."""

    job_customer = models.ForeignKey(JobCustomer, on_delete=models.CASCADE, related_name="tasks")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=TaskKind.choices, default=TaskKind.GENERAL
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["assigned_to", "done_at"])]

    def __str__(self):
        return self.title


# --- The individual plan (indsatsplan): goals, sub-goals and guidance sessions ------------------


class Plan(models.Model):
    """The person's individual plan. The job customer is an equal party: `own_words` holds what
    they themselves want, in their words; the goals say how to get there."""

    job_customer = models.OneToOneField(
        JobCustomer, on_delete=models.CASCADE, related_name="plan", verbose_name=_("job customer")
    )
    own_words = models.TextField(
        _("what the job customer wants, in their own words"),
        blank=True,
        help_text=_("Write it as the person says it: their hopes, dreams and wishes for a job."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("individual plan")
        verbose_name_plural = _("individual plans")

    def __str__(self):
        return str(_("Plan for %(name)s") % {"name": self.job_customer})


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class GoalSetBy(models.TextChoices):
    """Who set the goal: the plan is made with the person, not for them."""

    JOB_CUSTOMER = "job_customer", _("The job customer")
    TOGETHER = "together", _("Together")
    ADVISOR = "advisor", _("The advisor")


class Goal(models.Model):
    """A goal (mål) in the plan, or a sub-goal (delmål) when it has a parent goal.

    The report's example: the goal "a job in a bookshop" with the sub-goal "any retail job
    first, for the experience".
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of the goal"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_goals",
    )
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    target_on = models.DateField(_("target date"), null=True, blank=True)
    set_by = models.CharField(
        _("set by"), max_length=20, choices=GoalSetBy.choices, default=GoalSetBy.TOGETHER
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="customers_goal_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS)


class GuidanceSession(models.Model):
    """A guidance session (vejledningssamtale): topic, notes, the next step, goals reviewed."""

    job_customer = models.ForeignKey(
        JobCustomer, on_delete=models.CASCADE, related_name="guidance_sessions"
    )
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    next_session_on = models.DateField(_("next session"), null=True, blank=True)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advisor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guidance_sessions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guidance session")
        verbose_name_plural = _("guidance sessions")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["job_customer", "-held_on"]),
            models.Index(fields=["held_on"]),
            models.Index(fields=["advisor", "next_session_on"]),
        ]

    def __str__(self):
        return f"{self.topic} {self.held_on}"


class GoalReview(models.Model):
    """A goal as it was reviewed in one guidance session: its status then and a comment."""

    session = models.ForeignKey(GuidanceSession, on_delete=models.CASCADE, related_name="reviews")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("goal review")
        verbose_name_plural = _("goal reviews")
        ordering = ["goal__created_at", "goal__pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "goal"], name="customers_goalreview_once")
        ]

    def __str__(self):
        return f"{self.goal}: {self.get_status_display()}"


class CaseloadShareQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        """Shares in force on `day`: not ended, and `until` unset or not yet passed."""
        return self.filter(ended_at__isnull=True).filter(Q(until__isnull=True) | Q(until__gte=day))


class CaseloadShare(models.Model):
    """A job customer shared with a colleague outside their caseload (e.g. one covering during
    a holiday, or an employer consultant matching the person). Gives read and write access to
    the record, never to the health information; ended shares stay as history."""

    job_customer = models.ForeignKey(JobCustomer, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared with"),
        on_delete=models.PROTECT,
        related_name="shared_job_customers",
    )
    until = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Last day of the share; empty for no end.")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CaseloadShareQuerySet.as_manager()

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_customer", "user"],
                condition=Q(ended_at__isnull=True),
                name="customers_caseloadshare_one_open_per_user",
            ),
        ]
        indexes = [models.Index(fields=["user", "job_customer"])]

    def __str__(self):
        return str(_("Shared with %(user)s") % {"user": self.user})

    def is_active_on(self, day: datetime.date) -> bool:
        return self.ended_at is None and (self.until is None or self.until >= day)
