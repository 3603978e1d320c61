"""Imports from the browser: an ImportJob row with the uploaded files, run by a background task
that records its progress on the row (committed as it goes, outside the write transaction)."""

import io
import logging

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation

from varig.core.models import User
from varig.outcomes.models import ImportFile, ImportJob

from . import read_csv_files, read_workbook, run_import

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
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def import_job_execute(job_id: int) -> None:
    """Run a queued import job to its end. Idempotent: a job that is no longer queued is left
    alone, so a task that runs twice does not import twice."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, phase=ImportJob.Phase.READING
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    language = job.created_by.language if job.created_by else settings.LANGUAGE_CODE
    try:
        with translation.override(language):
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
        _update(job, status=ImportJob.Status.CRASHED)
    finally:
        # The uploaded personal data is not kept once the job has run.
        ImportFile.objects.filter(job_id=job_id).delete()
        _update(job, phase=ImportJob.Phase.DONE, finished_at=timezone.now())


@task
def import_job_run(job_id: int) -> None:
    """The background task: see `import_job_execute`."""
    import_job_execute(job_id)
