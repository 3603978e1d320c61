from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "varig.customers"
    label = "customers"
    verbose_name = _("Job customers")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, search

        # A table rebuild by a later migration drops the search index's triggers (SQLite).
        post_migrate.connect(search.after_migrate, sender=self)

        # Health data is never copied into the change log: only that it changed.
        auditlog.register(models.JobCustomer)
        auditlog.register(models.HealthInfo, mask_fields=["diagnosis", "health_notes"])
        auditlog.register(models.ReadinessAssessment)
        auditlog.register(models.JobWishes)
        auditlog.register(models.Accommodation)
        auditlog.register(models.Consent)
        auditlog.register(models.ContactNote)
        auditlog.register(models.Task)
        auditlog.register(models.Plan)
        auditlog.register(models.Goal)
        auditlog.register(models.GuidanceSession)
        auditlog.register(models.GoalReview)
        auditlog.register(models.CaseloadShare)
