from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyRun(models.Model):
    """One day's run of the daily jobs (`VARIG_DAILY_JOBS`).

    The row for a day is created once (the unique `day` is the guard): whoever creates it
    schedules the day's task, so two workers never schedule or run the same day twice.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        MISSED = "missed", _("Missed")

    class Trigger(models.TextChoices):
        WORKER = "worker", _("The worker")
        COMMAND = "command", _("The daily command")

    day = models.DateField(_("day"), unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    trigger = models.CharField(
        _("started by"), max_length=20, choices=Trigger.choices, default=Trigger.WORKER
    )
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    # The django-tasks-db result that will run the day (a UUID), so a lost task is noticed.
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("daily run")
        verbose_name_plural = _("daily runs")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day} {self.status}"


class DailyJobResult(models.Model):
    """How one job of one day's run went; running the day again updates the row."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    run = models.ForeignKey(DailyRun, on_delete=models.CASCADE, related_name="results")
    job = models.CharField(_("job"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    runs = models.PositiveIntegerField(_("times run"), default=1)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))

    class Meta:
        verbose_name = _("daily job result")
        verbose_name_plural = _("daily job results")
        ordering = ["run", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "job"], name="daily_jobresult_one_per_run"),
        ]

    def __str__(self):
        return f"{self.job}: {self.status}"
