from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "varig.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from auditlog.registry import auditlog
        from django.db.models.signals import post_migrate

        from .models import User
        from .roles import ensure_role_groups

        # Runs after each app migrates, so every app's permissions exist by the last call.
        post_migrate.connect(ensure_role_groups, dispatch_uid="varig_role_groups")
        auditlog.register(User, exclude_fields=["password", "last_login"])
        # Two-factor devices: set up, confirmed and reset are logged; never the secret.
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        auditlog.register(TOTPDevice, include_fields=["user", "name", "confirmed"])
        auditlog.register(StaticDevice, include_fields=["user", "name", "confirmed"])
