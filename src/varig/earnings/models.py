from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rates import KEYS, Confidence, RateKey, Scheme, Unit


class RateQuerySet(models.QuerySet):
    def current(self):
        """The figures in force: each correction replaces a row, the replaced ones are history."""
        return self.filter(replaced_at__isnull=True)


class Rate(models.Model):
    """One figure for one year (and, for the municipal tax, one municipality), with its source.

    Rows are never changed: a correction writes a new row and marks the old one replaced (with
    who, when and why), and a removal marks it replaced by nothing, so the rows for a year and
    key are that figure's history.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    key = models.CharField(_("rate"), max_length=40, choices=RateKey.choices)
    municipality = models.CharField(_("municipality"), max_length=40, blank=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    source_title = models.CharField(_("source"), max_length=200, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200)
    retrieved_on = models.DateField(_("date retrieved"), null=True, blank=True)
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    replacement = models.ForeignKey(
        "self",
        verbose_name=_("corrected figure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replace_reason = models.TextField(_("reason for the change"), blank=True)

    objects = RateQuerySet.as_manager()

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        ordering = ["-year", "key", "municipality", "-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "key", "municipality"],
                condition=Q(replaced_at__isnull=True),
                name="earnings_rate_one_current",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="earnings_rate_not_negative"),
            models.CheckConstraint(
                condition=~Q(unit=Unit.PERCENT) | Q(value__lte=100),
                name="earnings_rate_percent_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(key=RateKey.MUNICIPAL_TAX, municipality__gt="")
                | (~Q(key=RateKey.MUNICIPAL_TAX) & Q(municipality="")),
                name="earnings_rate_municipality_only_for_municipal_tax",
            ),
        ]
        indexes = [models.Index(fields=["year", "key"])]

    def __str__(self):
        label = self.get_key_display()
        if self.municipality:
            label = f"{label} ({self.municipality})"
        return f"{label} {self.year}"

    @property
    def scheme(self) -> str:
        return KEYS[self.key].scheme

    @property
    def scheme_label(self) -> str:
        return str(Scheme(self.scheme).label)

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None


class SavedCalculation(models.Model):
    """A calculation an advisor saved on a job customer's record, to print and give them.

    It keeps everything it showed: the inputs, the results and a copy of every rate it used
    (value, source and confidence), so a later correction of a rate never changes a saved
    calculation or its printout. Saved calculations are not edited; a new one is made instead.
    """

    job_customer = models.ForeignKey(
        "customers.JobCustomer",
        verbose_name=_("job customer"),
        on_delete=models.CASCADE,
        related_name="saved_calculations",
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    pension_rules = models.CharField(_("pension rules"), max_length=20)
    inputs = models.JSONField(_("inputs"))
    results = models.JSONField(_("results"))
    rates = models.JSONField(_("rates used"))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=5, decimal_places=2)
    hourly_wage = models.DecimalField(_("wage per hour"), max_digits=8, decimal_places=2)
    kept_per_month = models.DecimalField(_("kept per month"), max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("saved calculation")
        verbose_name_plural = _("saved calculations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["job_customer", "-created_at"])]

    def __str__(self):
        return self.title or str(_("Calculation %(year)s") % {"year": self.year})


class PensionSaving(models.Model):
    """A period in which a job customer saves for a pension of their own (started since they
    got a job; the organisation encourages it). Open while `stopped_on` is empty; they no
    longer save from `stopped_on`."""

    job_customer = models.ForeignKey(
        "customers.JobCustomer",
        verbose_name=_("job customer"),
        on_delete=models.CASCADE,
        related_name="pension_savings",
    )
    started_on = models.DateField(_("started saving"))
    stopped_on = models.DateField(_("stopped saving"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("pension saving")
        verbose_name_plural = _("pension savings")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_customer"],
                condition=Q(stopped_on__isnull=True),
                name="earnings_pensionsaving_one_open",
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gte=models.F("started_on")),
                name="earnings_pensionsaving_stop_after_start",
            ),
        ]
        indexes = [models.Index(fields=["job_customer", "started_on"])]

    def __str__(self):
        return str(_("Pension saving from %(day)s") % {"day": self.started_on})

    @property
    def is_open(self) -> bool:
        return self.stopped_on is None

    def saving_on(self, day) -> bool:
        return self.started_on <= day and (self.stopped_on is None or self.stopped_on > day)
