from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "varig.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from auditlog.registry import auditlog

        from varig.core.sections import PERSON, register

        from . import audit, models
        from .sections import person_section

        audit.connect()
        auditlog.register(models.ErasureRequest)
        register(PERSON, order=90, build=person_section)
