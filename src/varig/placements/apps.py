from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "varig.placements"
    label = "placements"
    verbose_name = _("Placements")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Placement)
        auditlog.register(models.FollowUp)
        auditlog.register(models.TierChange)
        auditlog.register(models.Celebration)
