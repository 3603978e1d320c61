import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One run of the interchange import: its progress while it runs, then its outcome.

    Uploads create the row first and a background task fills it in; the `varig import`
    command writes one row only when it succeeds (a refused import leaves the database as it was).
    The uploaded files are deleted when the job finishes.
    """

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Upload")
        COMMAND = "command", _("Command line")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Imported")
        FAILED = "failed", _("Refused")
        CRASHED = "crashed", _("Stopped by an error")

    class CrashReason(models.TextChoices):
        ERROR = "error", _("An error in the system")
        WORKER_LOST = "worker_lost", _("The worker running it stopped")

    class Phase(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        READING = "reading", _("Reading the files")
        VALIDATING = "validating", _("Checking every row")
        WRITING = "writing", _("Writing")
        DONE = "done", _("Done")

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file_names = models.TextField(_("files"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, default=Phase.QUEUED)
    # Why a crashed job stopped: an exception, or its worker vanished (killed, restarted).
    crash_reason = models.CharField(
        _("why it stopped"), max_length=12, choices=CrashReason.choices, blank=True
    )
    # The last sign of life from the worker running the job (see `interchange.jobs`): a job
    # that is running without one for STALE_AFTER has lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    # The problems as [file, line, column, message] (at most MAX_STORED_PROBLEMS of them).
    problems = models.JSONField(default=list, blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)

    MAX_STORED_PROBLEMS = 5000
    # A queued job that no worker has claimed after this long gets a hint on its page.
    WAITING_HINT_AFTER = datetime.timedelta(minutes=1)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{_('Import')} {self.pk}: {self.file_names}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.CRASHED)

    @property
    def is_waiting_long(self) -> bool:
        """Queued for a while: probably no worker is running (`varig worker`)."""
        return (
            self.status == self.Status.QUEUED
            and self.created_at is not None
            and timezone.now() - self.created_at > self.WAITING_HINT_AFTER
        )

    @property
    def percent(self) -> int:
        if self.phase in (self.Phase.WRITING, self.Phase.DONE):
            return 100
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))


class ImportFile(models.Model):
    """An uploaded file waiting for its import job (kept in the database so any worker can read
    it; deleted when the job finishes)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    content = models.BinaryField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name
