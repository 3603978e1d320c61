from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DailyConfig(AppConfig):
    name = "varig.daily"
    label = "daily"
    verbose_name = _("Daily jobs")

    def ready(self):
        from . import checks  # noqa: F401
