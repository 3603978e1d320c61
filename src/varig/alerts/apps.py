from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "varig.alerts"
    label = "alerts"
    verbose_name = _("Early warnings")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Flag)
        # The note may hold health information: it is never copied into the change log.
        auditlog.register(models.Period, mask_fields=["note"])
