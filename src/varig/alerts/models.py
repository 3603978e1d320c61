import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

FLAG_KINDS = (
    "followup_overdue",
    "no_contact",
    "contact_left",
    "accommodations_not_kept",
    "hours_up",
    "setback",
    "consent_expiring",
)


class FlagQuerySet(models.QuerySet):
    def open(self):
        """Not resolved by a person and still true (not lapsed)."""
        return self.filter(resolved_at__isnull=True, lapsed_on__isnull=True)


class Flag(models.Model):
    """An early warning about a job customer, raised by the daily job (or at once by a
    service), until a named person resolves it. When the reason behind it no longer holds (the
    follow-up was held, the setback ended) the daily job marks it lapsed; the row stays as
    history. `key` says what the warning is about, so one reason gives one open warning."""

    class Kind(models.TextChoices):
        FOLLOWUP_OVERDUE = "followup_overdue", _("Follow-up overdue")
        NO_CONTACT = "no_contact", _("No contact for a long time")
        CONTACT_LEFT = "contact_left", _("Contact person or mentor left")
        ACCOMMODATIONS_NOT_KEPT = "accommodations_not_kept", _("Accommodations not kept")
        HOURS_UP = "hours_up", _("Hours increased quickly")
        SETBACK = "setback", _("Open setback")
        CONSENT_EXPIRING = "consent_expiring", _("Consent expires soon")

    job_customer = models.ForeignKey(
        "customers.JobCustomer",
        verbose_name=_("job customer"),
        on_delete=models.CASCADE,
        related_name="flags",
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=100)
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    followup = models.ForeignKey(
        "placements.FollowUp", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent = models.ForeignKey(
        "customers.Consent", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        "employers.CompanyContact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    period = models.ForeignKey(
        "alerts.Period", on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    # The follow-up planned because of the warning (a new contact person).
    planned_followup = models.ForeignKey(
        "placements.FollowUp", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Facts for the message that are not in the linked rows (hours before and after, dates).
    detail = models.JSONField(default=dict, blank=True)
    raised_on = models.DateField(_("raised on"))
    raised_at = models.DateTimeField(auto_now_add=True)
    lapsed_on = models.DateField(_("no longer applies from"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(_("what was done"), blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_customer", "kind", "key"],
                condition=Q(resolved_at__isnull=True, lapsed_on__isnull=True),
                name="alerts_flag_one_open_per_reason",
            ),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_by__isnull=True)
                | Q(resolved_at__isnull=False, resolved_by__isnull=False),
                name="alerts_flag_resolved_by_a_person",
            ),
            models.CheckConstraint(condition=Q(kind__in=FLAG_KINDS), name="alerts_flag_kind_valid"),
        ]
        indexes = [
            models.Index(fields=["kind", "key"]),
            models.Index(fields=["job_customer", "resolved_at", "lapsed_on"]),
            models.Index(fields=["raised_on"]),
            # "I dag" counts the open warnings by kind from this index alone (issue 9).
            models.Index(fields=["resolved_at", "lapsed_on", "kind"]),
            # "I dag" takes the newest ten open warnings from this index alone (issue 9).
            models.Index(
                fields=["raised_on", "id"],
                condition=Q(resolved_at__isnull=True, lapsed_on__isnull=True),
                name="alerts_flag_open_newest",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.raised_on})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None and self.lapsed_on is None

    # The facts in `detail`, typed for the templates.
    def _detail_date(self, name: str) -> datetime.date | None:
        value = (self.detail or {}).get(name)
        return datetime.date.fromisoformat(value) if value else None

    @property
    def since_date(self) -> datetime.date | None:
        return self._detail_date("since")

    @property
    def left_on_date(self) -> datetime.date | None:
        return self._detail_date("left_on")

    @property
    def expires_date(self) -> datetime.date | None:
        return self._detail_date("expires_on")

    @property
    def lowest_hours(self) -> Decimal | None:
        value = (self.detail or {}).get("lowest")
        return Decimal(value) if value else None

    @property
    def current_hours(self) -> Decimal | None:
        value = (self.detail or {}).get("current")
        return Decimal(value) if value else None

    @property
    def not_kept_labels(self) -> list[str]:
        labels = {"hours": _("hours"), "tasks": _("tasks"), "other": _("other accommodations")}
        return [str(labels[name]) for name in (self.detail or {}).get("not_kept", [])]


class Period(models.Model):
    """A period in the person's life: progress, stable, or a setback (tilbagefald), with its
    sick-leave days. A setback closes nothing (no placement, follow-up or course): it raises
    an early warning and suggests extra contact. At most one period is open at a time; a new
    one ends the open one the day before it starts."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress")
        STABLE = "stable", _("Stable")
        SETBACK = "setback", _("Setback")

    job_customer = models.ForeignKey(
        "customers.JobCustomer",
        verbose_name=_("job customer"),
        on_delete=models.CASCADE,
        related_name="periods",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True, help_text=_("Last day."))
    sick_leave_days = models.PositiveSmallIntegerField(_("sick-leave days"), default=0)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="alerts_period_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["job_customer"],
                condition=Q(ended_on__isnull=True),
                name="alerts_period_one_open",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["progress", "stable", "setback"]),
                name="alerts_period_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["job_customer", "-started_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_on}"


class DigestSent(models.Model):
    """One advisor's e-mail digest of one day: the row is the guard against sending twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests_sent"
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        ordering = ["-day", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="alerts_digest_one_per_day"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.day}"
