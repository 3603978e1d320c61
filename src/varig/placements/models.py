import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varig.core.choices import ChoiceLabels

WORK_KINDS = ("skaanejob", "fleksjob", "ordinaert")
# Follow-up kinds outside the standard schedule: never moved or cancelled by a schedule sync.
UNSCHEDULED_FOLLOWUP_KINDS = ("extra", "contact_change")


class PlacementQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        """Started on or before D and not ended before D (the end day counts)."""
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )

    def work(self):
        return self.filter(kind__in=WORK_KINDS)


class Placement(ChoiceLabels, models.Model):
    """A job customer at a company: a praktik or an employment."""

    class Kind(models.TextChoices):
        PRAKTIK = "praktik", _("Praktik (internship)")
        SKAANEJOB = "skaanejob", _("Skånejob")
        FLEKSJOB = "fleksjob", _("Fleksjob")
        ORDINAERT = "ordinaert", _("Ordinary job")

    class Tier(models.TextChoices):
        MARGINAL = "marginal", _("Marginal employee")
        PERIPHERAL = "peripheral", _("Peripheral employee")
        CORE = "core", _("Core employee")

    class EndReason(models.TextChoices):
        CONVERTED = "converted", _("Became employment")
        PRAKTIK_COMPLETED = "praktik_completed", _("Praktik completed")
        OWN_WISH = "own_wish", _("The job customer's own wish")
        HEALTH = "health", _("Health or setback")
        COMPANY = "company", _("The company ended it")
        MISMATCH = "mismatch", _("Job and expectations did not match")
        NEW_JOB = "new_job", _("Moved to another job")
        OTHER = "other", _("Other")

    ref = models.CharField(_("reference"), max_length=40, unique=True)
    job_customer = models.ForeignKey(
        "customers.JobCustomer",
        verbose_name=_("job customer"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    company = models.ForeignKey(
        "employers.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    started_on = models.DateField(_("start"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True, help_text=_("Last day."))
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    hourly_wage = models.DecimalField(
        _("hourly wage (kr.)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    tasks = models.TextField(_("tasks"), blank=True)
    contact = models.ForeignKey(
        "employers.CompanyContact",
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
    )
    desired_job = models.BooleanField(_("the desired job"), default=False)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.MARGINAL)
    yearly_followups = models.BooleanField(_("yearly follow-ups after 12 months"), default=False)
    end_reason_category = models.CharField(
        _("end reason"), max_length=30, choices=EndReason.choices, blank=True
    )
    end_reason = models.TextField(_("about the end"), blank=True)
    lessons_learned = models.TextField(_("what was learned"), blank=True)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("continues"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="continuation",
    )
    # The first day of the unbroken employment at this company that this placement belongs to
    # (work placements only; None for a praktik): what the anniversaries count from. Kept by
    # every writer of placements through `anniversaries.refresh_employed_since` (issue 9).
    employed_since = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="placements_placement_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__isnull=True)
                | Q(planned_end_on__gte=models.F("started_on")),
                name="placements_placement_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | Q(hours_per_week__gt=0, hours_per_week__lte=48),
                name="placements_placement_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(hourly_wage__isnull=True) | Q(hourly_wage__gte=0),
                name="placements_placement_wage_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["praktik", *WORK_KINDS]),
                name="placements_placement_kind_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["job_customer", "started_on"]),
            models.Index(fields=["company", "started_on"]),
            models.Index(fields=["kind", "started_on", "ended_on"]),
            # Resultater's diversity of employers: placements started in a period and their
            # companies from the index alone (issue 3).
            models.Index(fields=["started_on", "company"], name="placement_started_company_idx"),
            # "Godt Gået": the employments whose start has an anniversary in a period, with
            # what the anniversaries need from the index alone (no read of the table's rows).
            models.Index(
                fields=["employed_since", "started_on", "ended_on", "job_customer", "company"],
                name="placement_employment_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.company}"

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS

    def is_active_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    @property
    def is_ended(self) -> bool:
        return self.ended_on is not None and self.ended_on < timezone.localdate()


class HoursChange(models.Model):
    """The history of a placement's weekly hours: the hours from a day on (one row per day).

    Written by the placement services; a placement without rows had its `hours_per_week` from
    its start. The early warnings read it (hours up more than 25 % within three months).
    """

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="hours_changes")
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    changed_on = models.DateField(_("from"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("change of hours")
        verbose_name_plural = _("changes of hours")
        ordering = ["placement", "changed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "changed_on"], name="placements_hourschange_one_per_day"
            ),
        ]
        indexes = [models.Index(fields=["changed_on"])]

    def __str__(self):
        return f"{self.hours_per_week} {self.changed_on}"


class TierChange(models.Model):
    """The history of a placement's tier: marginal → peripheral → core."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="tier_changes")
    tier = models.CharField(_("tier"), max_length=20, choices=Placement.Tier.choices)
    changed_on = models.DateField(_("from"))
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")
        ordering = ["-changed_on", "-pk"]

    def __str__(self):
        return f"{self.get_tier_display()} {self.changed_on}"


class FollowUpQuerySet(models.QuerySet):
    def planned(self):
        return self.filter(status=FollowUp.Status.PLANNED)

    def overdue(self, day: datetime.date):
        return self.planned().filter(window_end__lt=day)

    def due_within(self, day: datetime.date, days: int):
        """Planned, not overdue, and due within `days` days."""
        return self.planned().filter(
            window_end__gte=day, due_on__lte=day + datetime.timedelta(days=days)
        )


class Agreement(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class FollowUp(ChoiceLabels, models.Model):
    """One follow-up of the standard (a talk within 14 days, meetings at 3, 6, 12 months…)."""

    class Kind(models.TextChoices):
        FIRST_TALK = "first_talk", _("Talk within 14 days")
        MONTH_3 = "month_3", _("3-month meeting")
        MONTH_6 = "month_6", _("6-month meeting")
        MONTH_12 = "month_12", _("12-month meeting")
        YEARLY = "yearly", _("Yearly meeting")
        PRAKTIK_CHECK = "praktik_check", _("Praktik check-in")
        PRAKTIK_END = "praktik_end", _("Before the praktik ends")
        EXTRA = "extra", _("Extra follow-up")
        # Planned by the early warnings when the contact person or mentor left or was replaced.
        CONTACT_CHANGE = "contact_change", _("Follow-up after a new contact person")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    class Wellbeing(models.IntegerChoices):
        VERY_POOR = 1, _("Very poor")
        POOR = 2, _("Poor")
        OK = 3, _("OK")
        GOOD = 4, _("Good")
        VERY_GOOD = 5, _("Very good")

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="followups", null=True, blank=True
    )
    job_customer = models.ForeignKey(
        "customers.JobCustomer", on_delete=models.CASCADE, related_name="followups"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Months after the start for month-based meetings (3, 6, 12, 24 …); 0 for the others.
    months = models.PositiveSmallIntegerField(default=0)
    due_on = models.DateField(_("due"))
    window_start = models.DateField(_("window from"))
    window_end = models.DateField(_("window until"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)
    with_job_customer = models.BooleanField(_("the job customer took part"), default=False)
    with_company_contact = models.BooleanField(_("the company contact took part"), default=False)
    with_advisor = models.BooleanField(_("the advisor took part"), default=False)
    hours_kept = models.CharField(
        _("hours kept"), max_length=10, choices=Agreement.choices, blank=True
    )
    tasks_kept = models.CharField(
        _("tasks kept"), max_length=10, choices=Agreement.choices, blank=True
    )
    other_kept = models.CharField(
        _("other accommodations kept"), max_length=10, choices=Agreement.choices, blank=True
    )
    accommodations_note = models.TextField(_("about the accommodations"), blank=True)
    wellbeing = models.PositiveSmallIntegerField(
        _("wellbeing"), choices=Wellbeing.choices, null=True, blank=True
    )
    wants_more_hours = models.BooleanField(_("wishes more hours"), default=False)
    wants_new_tasks = models.BooleanField(_("wishes new tasks"), default=False)
    wants_upskilling = models.BooleanField(_("wishes upskilling"), default=False)
    development_outcome = models.TextField(_("outcome of the development talk"), blank=True)
    agreed_actions = models.TextField(_("agreed actions"), blank=True)
    cancel_reason = models.TextField(_("why it was dropped"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__lte=models.F("due_on"))
                & Q(due_on__lte=models.F("window_end")),
                name="placements_followup_due_in_window",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_on__isnull=False),
                name="placements_followup_held_has_date",
            ),
            models.UniqueConstraint(
                fields=["placement", "kind", "months"],
                condition=Q(placement__isnull=False)
                & ~Q(kind__in=UNSCHEDULED_FOLLOWUP_KINDS)
                & ~Q(status="cancelled"),
                name="placements_followup_one_per_step",
            ),
        ]
        indexes = [
            # "I dag": due soon (planned, due by a day, window still open) and overdue (planned,
            # window closed, oldest first) are range reads of these, without a sort (issue 9).
            models.Index(fields=["status", "due_on", "window_end"]),
            models.Index(fields=["status", "window_end", "due_on"]),
            models.Index(fields=["job_customer", "status"]),
            # Resultater's follow-up compliance: one pass over the follow-ups in person order
            # that needs no row (counted per person, no sort; issue 3).
            models.Index(
                fields=["job_customer", "window_end", "status", "held_on", "window_start"],
                name="followup_compliance_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on}"

    @property
    def accommodations_not_kept(self) -> bool:
        return Agreement.NO in (self.hours_kept, self.tasks_kept, self.other_kept)

    def is_overdue_on(self, day: datetime.date) -> bool:
        return self.status == self.Status.PLANNED and self.window_end < day


class Celebration(models.Model):
    """ "Godt Gået": the celebration of a 2-, 5- or 10-year anniversary of continuous
    employment at one company, with who is invited, the date, and whether it was held."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        NOT_HELD = "not_held", _("Not held")

    YEARS = (2, 5, 10)

    job_customer = models.ForeignKey(
        "customers.JobCustomer",
        verbose_name=_("job customer"),
        on_delete=models.CASCADE,
        related_name="celebrations",
    )
    company = models.ForeignKey(
        "employers.Company",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="celebrations",
    )
    years = models.PositiveSmallIntegerField(
        _("years"), choices=[(2, _("2 years")), (5, _("5 years")), (10, _("10 years"))]
    )
    anniversary_on = models.DateField(_("anniversary"))
    employed_since = models.DateField(_("employed since"))
    celebrate_on = models.DateField(_("celebration date"), null=True, blank=True)
    invite_company = models.BooleanField(_("the company is invited"), default=True)
    invite_colleagues = models.BooleanField(_("colleagues are invited"), default=True)
    invite_relatives = models.BooleanField(_("relatives are invited"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("celebration")
        verbose_name_plural = _("celebrations")
        ordering = ["anniversary_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_customer", "company", "years"],
                name="placements_celebration_one_per_anniversary",
            ),
            models.CheckConstraint(
                condition=Q(years__in=[2, 5, 10]), name="placements_celebration_years_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(celebrate_on__isnull=False),
                name="placements_celebration_held_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.years} {self.job_customer_id} {self.anniversary_on}"

    @property
    def as_anniversary(self):
        """For the shared status badge, which reads `a.celebration`."""
        return {"celebration": self}
