from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EarningsConfig(AppConfig):
    name = "varig.earnings"
    label = "earnings"
    verbose_name = _("Earnings guide")

    def ready(self):
        from auditlog.registry import auditlog

        from varig.core.sections import PERSON, register

        from . import models
        from .sections import person_section

        # Rates keep their own history (a correction is a new row); the log adds who did it.
        auditlog.register(models.Rate)
        # The copied inputs, results and rates are long; the log keeps that they were written.
        auditlog.register(models.SavedCalculation, mask_fields=["inputs", "results", "rates"])
        auditlog.register(models.PensionSaving)
        register(PERSON, order=50, build=person_section)
