"""The privacy app's records: erasure requests (GDPR art. 17), decided by four eyes."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ErasureRequest.Status.REQUESTED)

    def carried_out(self):
        return self.filter(status=ErasureRequest.Status.ERASED)


class ErasureRequest(models.Model):
    """A request to erase (anonymise) a job customer: made by one manager or administrator
    with a reason, carried out only when a second, different one approves it. The row stays
    as the record of the decision; the person's data does not."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        ERASED = "erased", _("Erased")
        REJECTED = "rejected", _("Rejected")

    job_customer = models.ForeignKey(
        "customers.JobCustomer",
        verbose_name=_("job customer"),
        on_delete=models.PROTECT,
        related_name="erasure_requests",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One open request per person at a time.
            models.UniqueConstraint(
                fields=["job_customer"],
                condition=Q(status="requested"),
                name="privacy_erasure_one_open_per_person",
            ),
            # Four eyes: whoever carries an erasure out is not whoever asked (the asker may
            # withdraw their own request).
            models.CheckConstraint(
                condition=~Q(status="erased") | ~Q(decided_by=F("requested_by")),
                name="privacy_erasure_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status="requested", decided_by__isnull=True, decided_at__isnull=True)
                | (
                    Q(status__in=["erased", "rejected"])
                    & Q(decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="privacy_erasure_decided_when_closed",
            ),
        ]

    def __str__(self):
        # Never the person's name: the audit log keeps this text.
        return str(_("Erasure request %(pk)s")) % {"pk": self.pk}
