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
