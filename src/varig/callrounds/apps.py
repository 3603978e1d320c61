from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallroundsConfig(AppConfig):
    name = "varig.callrounds"
    label = "callrounds"
    verbose_name = _("Call-rounds")

    def ready(self):
        from auditlog.registry import auditlog

        from varig.core.sections import TODAY, register

        from . import models
        from .sections import today_section

        auditlog.register(models.Campaign)
        auditlog.register(models.Call)
        # What was said on the phone may touch on health: never copied into the change log.
        auditlog.register(models.CallAttempt, mask_fields=["note"])
        register(TODAY, order=30, build=today_section)
