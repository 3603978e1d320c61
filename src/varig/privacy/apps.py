from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "varig.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from . import audit

        audit.connect()
