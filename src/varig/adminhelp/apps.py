from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdminhelpConfig(AppConfig):
    name = "varig.adminhelp"
    label = "adminhelp"
    verbose_name = _("Help with the rules and the authorities")

    def ready(self):
        from auditlog.registry import auditlog

        from varig.core.sections import PERSON, TODAY, register

        from . import models
        from .sections import person_section, today_section

        # The notes may touch on health or money troubles: only that they changed is logged.
        auditlog.register(models.AdminTask, mask_fields=["notes"])
        auditlog.register(models.ChecklistItem)
        register(PERSON, order=45, build=person_section)
        register(TODAY, order=35, build=today_section)
