from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "varig.employers"
    label = "employers"
    verbose_name = _("Companies")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Company)
        auditlog.register(models.CompanyContact)
        auditlog.register(models.CompanyNote)
        auditlog.register(models.OnboardingItem)
