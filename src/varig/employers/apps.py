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
        # A request's text may touch on a person's health: never copied into the change log.
        auditlog.register(models.SupportRequest, mask_fields=["description", "resolution"])

        from varig.core.sections import PERSON, TODAY, register

        from .sections import person_support_section, today_support_section

        register(TODAY, order=50, build=today_support_section)
        register(PERSON, order=60, build=person_support_section)
