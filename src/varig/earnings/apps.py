from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarningsConfig(AppConfig):
    name = "varig.earnings"
    label = "earnings"
    verbose_name = _("Earnings guide")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Rates keep their own history (a correction is a new row); the log adds who did it.
        auditlog.register(models.Rate)
