from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "varig.activities"
    label = "activities"
    verbose_name = _("Activities and courses")

    def ready(self):
        from auditlog.registry import auditlog

        from varig.core.sections import PERSON, register

        from . import models
        from .sections import person_section

        for model in (
            models.Activity,
            models.Run,
            models.Session,
            models.Enrollment,
            models.Attendance,
            models.Recommendation,
            models.Upskilling,
            models.NetworkGroup,
            models.GroupMembership,
            models.GroupMeeting,
        ):
            auditlog.register(model)
        # The token is a secret: the change log keeps only that it changed.
        auditlog.register(models.CalendarFeed, mask_fields=["token_hash"])
        register(PERSON, order=40, build=person_section)
