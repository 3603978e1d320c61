"""Imports from the browser: an ImportJob row with the uploaded files, run by a background task
that records its progress on the row (committed as it goes, outside the write transaction).

A worker that is killed mid-import (a restart, the OOM killer, a power cut) cannot record
anything, so a running job carries a heartbeat: the progress updates, and a small thread while
the job runs, stamp `heartbeat_at`. A job that has been running without a heartbeat for
STALE_AFTER has lost its worker; `import_jobs_mark_stale` marks it crashed (the import page
and the daily jobs call it). Its one write transaction was rolled back with the worker, so
nothing was imported, unless the write had already committed: its audit entry (written in
the same transaction) tells, and such a job is marked imported instead.
"""

import datetime
import io
import logging
import threading
from contextlib import contextmanager

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.models.functions import Coalesce
from django.tasks import task
from django.utils import timezone, translation

from varig.core.models import User
from varig.outcomes.models import ImportFile, ImportJob

from . import read_csv_files, read_workbook, run_import

# How often a running job stamps its heartbeat, and how long without one makes it stale. On
# SQLite the heartbeat cannot be written while the import's own write transaction holds the
# database's write lock (under a minute at national size), so the limit is generous.
HEARTBEAT_SECONDS = 20
STALE_AFTER = datetime.timedelta(minutes=5)

logger = logging.getLogger(__name__)


@transaction.atomic
def import_job_create(*, user: User, files: list[tuple[str, bytes]]) -> ImportJob:
    """Store an upload as a queued ImportJob and start its task once the upload is committed.

    Administrators only (the view checks). `files` is a workbook or CSV files as (name, bytes).
    """
    job = ImportJob.objects.create(
        source=ImportJob.Source.UPLOAD,
        created_by=user,
        file_names=", ".join(name for name, _ in files),
    )
    ImportFile.objects.bulk_create(
        [ImportFile(job=job, name=name, content=data) for name, data in files]
    )
    transaction.on_commit(lambda: import_job_run.enqueue(job.pk))
    return job


def _update(job: ImportJob, **fields) -> None:
    fields.setdefault("heartbeat_at", timezone.now())
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def _beat(job_id: int) -> None:
    """Stamp the heartbeat of a job that is still running (from the heartbeat thread)."""
    try:
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
            heartbeat_at=timezone.now()
        )
    except DatabaseError:
        # SQLite: the import's write transaction holds the write lock; try again next time.
        logger.debug("Heartbeat of import job %s postponed", job_id)


@contextmanager
def _heartbeat(job_id: int, *, every: float | None = None):
    """While the block runs, a daemon thread stamps the job's heartbeat every `every` seconds
    on its own database connection."""
    stop = threading.Event()
    interval = HEARTBEAT_SECONDS if every is None else every

    def run():
        try:
            while not stop.wait(interval):
                _beat(job_id)
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=run, name=f"import-{job_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 10)


def _audit_summary(job_id: int) -> dict | None:
    """The counts of the audit entry the job's write transaction wrote, if it committed."""
    entry = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ImportJob), object_pk=str(job_id)
        )
        .only("changes")
        .first()
    )
    if entry is None:
        return None
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    return changes.get("import") or {}


def import_jobs_mark_stale(*, now: datetime.datetime | None = None) -> int:
    """Mark running jobs whose worker has given no sign of life for STALE_AFTER as crashed
    (worker lost), and delete their uploaded files; returns how many. A job whose write had
    committed before its worker vanished is marked imported instead. Idempotent; called by the
    import pages and by the daily jobs (`import_jobs_mark_stale_daily`).

    The look-up is a plain read: the import page polls this every second, and on SQLite a
    write transaction would wait for a running import's write lock."""
    now = now or timezone.now()
    stale = (
        ImportJob.objects.filter(status=ImportJob.Status.RUNNING)
        .alias(last_sign=Coalesce("heartbeat_at", "created_at"))
        .filter(last_sign__lt=now - STALE_AFTER)
    )
    candidates = list(stale.values_list("pk", flat=True))
    marked = 0
    for job_id in candidates:
        summary = _audit_summary(job_id)
        if summary is not None:
            fields = {"status": ImportJob.Status.SUCCEEDED, "summary": summary}
        else:
            fields = {
                "status": ImportJob.Status.CRASHED,
                "crash_reason": ImportJob.CrashReason.WORKER_LOST,
            }
        with transaction.atomic():
            # Only while it is still stale: a worker that just woke up keeps its job.
            if not stale.filter(pk=job_id).update(
                phase=ImportJob.Phase.DONE, finished_at=now, **fields
            ):
                continue
            ImportFile.objects.filter(job_id=job_id).delete()
        marked += 1
        logger.error("Import job %s lost its worker: marked %s", job_id, fields["status"])
    return marked


def import_jobs_mark_stale_daily(*, on: datetime.date) -> int:
    """The daily job (VARIG_DAILY_JOBS): `import_jobs_mark_stale` once a day too."""
    return import_jobs_mark_stale()


def import_job_execute(job_id: int) -> None:
    """Run a queued import job to its end. Idempotent: a job that is no longer queued is left
    alone, so a task that runs twice does not import twice."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING,
        phase=ImportJob.Phase.READING,
        heartbeat_at=timezone.now(),
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    language = job.created_by.language if job.created_by else settings.LANGUAGE_CODE
    try:
        with translation.override(language), _heartbeat(job_id):
            files = [(f.name, bytes(f.content)) for f in job.files.all()]
            if len(files) == 1 and files[0][0].lower().endswith(".xlsx"):
                read = read_workbook(files[0][0], io.BytesIO(files[0][1]))
            else:
                read = read_csv_files(files)
            _update(job, phase=ImportJob.Phase.VALIDATING, rows_total=read.row_count)
            result = run_import(
                read,
                actor=job.created_by,
                job=job,
                file_names=job.file_names,
                on_validated=lambda done: _update(job, rows_done=done),
                before_write=lambda: _update(
                    job, phase=ImportJob.Phase.WRITING, rows_done=read.row_count
                ),
            )
            if result.ok:
                _update(job, status=ImportJob.Status.SUCCEEDED, summary=result.summary)
            else:
                _update(
                    job,
                    status=ImportJob.Status.FAILED,
                    problems=[
                        p.as_list() for p in result.problems[: ImportJob.MAX_STORED_PROBLEMS]
                    ],
                    problem_count=len(result.problems),
                )
    except Exception:
        logger.exception("Import job %s stopped by an error", job_id)
        _update(job, status=ImportJob.Status.CRASHED, crash_reason=ImportJob.CrashReason.ERROR)
    finally:
        # The uploaded personal data is not kept once the job has run.
        ImportFile.objects.filter(job_id=job_id).delete()
        _update(job, phase=ImportJob.Phase.DONE, finished_at=timezone.now())


@task
def import_job_run(job_id: int) -> None:
    """The background task: see `import_job_execute`."""
    import_job_execute(job_id)
