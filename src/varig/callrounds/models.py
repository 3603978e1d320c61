"""Crisis call-rounds (the report: during COVID every job customer was phoned): a campaign
from a filter, its call list shared out among staff, and each call's attempts and outcome."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CALL_STATUSES = ("open", "retry", "fine", "needs_help", "unreached")
DONE_STATUSES = ("fine", "needs_help", "unreached")
OUTCOMES = ("fine", "needs_help", "not_reached")


class Campaign(models.Model):
    """A call-round: who is on the list (everyone associated, or everyone in work, optionally
    one advisor's caseload, on the day it was made), who calls, and how retries work. The list
    is made once, when the campaign is created; it is not recomputed."""

    class Audience(models.TextChoices):
        ASSOCIATED = "associated", _("Everyone associated")
        IN_WORK = "in_work", _("Everyone in work")

    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(
        _("what to ask"), blank=True, help_text=_("Shown to every caller above their list.")
    )
    audience = models.CharField(_("who is called"), max_length=20, choices=Audience.choices)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("only the caseload of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    max_attempts = models.PositiveSmallIntegerField(_("attempts before giving up"), default=3)
    retry_after_days = models.PositiveSmallIntegerField(_("days before trying again"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("call-round")
        verbose_name_plural = _("call-rounds")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="callrounds_campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__gte=1, max_attempts__lte=10),
                name="callrounds_campaign_attempts_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(retry_after_days__lte=14), name="callrounds_campaign_retry_le_14"
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["associated", "in_work"]),
                name="callrounds_campaign_audience_valid",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_by__isnull=True)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="callrounds_campaign_closed_by_a_person",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class CallQuerySet(models.QuerySet):
    def to_do(self):
        """Not called yet, or not reached and to be tried again."""
        return self.filter(status__in=[Call.Status.OPEN, Call.Status.RETRY])

    def done(self):
        return self.filter(status__in=DONE_STATUSES)


class Call(models.Model):
    """One person on a campaign's list, the member of staff who calls them, and where it
    stands: the attempts so far, when to try next, and the task a call escalated to."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not called yet")
        RETRY = "retry", _("Not reached, try again")
        FINE = "fine", _("Reached, all is well")
        NEEDS_HELP = "needs_help", _("Reached, needs help")
        UNREACHED = "unreached", _("Not reached")

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("call-round"), on_delete=models.CASCADE, related_name="calls"
    )
    job_customer = models.ForeignKey(
        "customers.JobCustomer",
        verbose_name=_("job customer"),
        on_delete=models.CASCADE,
        related_name="calls",
    )
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caller"),
        on_delete=models.PROTECT,
        related_name="calls",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The day from which the call is due: the campaign's first day, then the retry day.
    next_try_on = models.DateField(_("next try"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    task = models.ForeignKey(
        "customers.Task",
        verbose_name=_("task"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The share that lets the caller see the person (made by the campaign, ended with it).
    share = models.ForeignKey(
        "customers.CaseloadShare",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["next_try_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "job_customer"], name="callrounds_call_one_per_person"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CALL_STATUSES), name="callrounds_call_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "retry"], next_try_on__isnull=False)
                | Q(status__in=DONE_STATUSES, next_try_on__isnull=True),
                name="callrounds_call_next_try_while_to_do",
            ),
        ]
        indexes = [
            models.Index(fields=["caller", "status", "next_try_on"]),
            models.Index(fields=["campaign", "status"]),
        ]

    def __str__(self):
        return f"{self.campaign_id}: {self.job_customer_id}"

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES


class CallAttempt(models.Model):
    """One attempt at a call, with its outcome and what was said (may touch on health)."""

    class Outcome(models.TextChoices):
        FINE = "fine", _("Reached, all is well")
        NEEDS_HELP = "needs_help", _("Reached, needs help")
        NOT_REACHED = "not_reached", _("Not reached")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="attempt_rows")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=OUTCOMES), name="callrounds_attempt_outcome_valid"
            ),
        ]

    def __str__(self):
        return f"{self.call_id} {self.outcome}"
