"""The daily jobs: `VARIG_DAILY_JOBS` is a list of dotted paths to idempotent callables
`job(*, on: datetime.date)`; this module runs them for one day and records how each went.

Two ways in: `varig daily [--date]` runs the day at once (`daily_run`), and the worker runs it
once a day through the task in `tasks.py` (`daily_run_if_due`, scheduled by `schedule.py`).
Every job is idempotent, so running a day twice changes nothing the second time; the
`DailyRun` row per day keeps two workers from running the same day at once.
"""

import datetime
import logging
import traceback
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import DailyJobResult, DailyRun

logger = logging.getLogger(__name__)


def daily_job_paths() -> list[str]:
    """The configured jobs, in the order they run."""
    return list(getattr(settings, "VARIG_DAILY_JOBS", []))


def daily_job_load(path: str) -> Callable:
    """The callable behind a dotted path (ImportError/AttributeError when it does not exist)."""
    return import_string(path)


def _json_safe(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return str(value)


def _run_one(run: DailyRun, path: str, on: datetime.date) -> DailyJobResult:
    started = timezone.now()
    status, result, error = DailyJobResult.Status.DONE, None, ""
    try:
        result = _json_safe(daily_job_load(path)(on=on))
    except Exception:
        # One failing job must not stop the others; the error is kept on the result row.
        logger.exception("Daily job %s failed for %s", path, on)
        status, error = DailyJobResult.Status.FAILED, traceback.format_exc()
    finished = timezone.now()
    row, created = DailyJobResult.objects.get_or_create(
        run=run,
        job=path,
        defaults={
            "status": status,
            "result": result,
            "error": error,
            "started_at": started,
            "finished_at": finished,
        },
    )
    if not created:
        row.status, row.result, row.error = status, result, error
        row.started_at, row.finished_at = started, finished
        row.runs += 1
        row.save()
    return row


def _execute(run: DailyRun, on: datetime.date, jobs: list[str]) -> DailyRun:
    results = [_run_one(run, path, on) for path in jobs]
    failed = any(r.status == DailyJobResult.Status.FAILED for r in results)
    run.status = DailyRun.Status.FAILED if failed else DailyRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "finished_at"])
    return run


def _run_row(on: datetime.date) -> DailyRun:
    try:
        with transaction.atomic():
            run, _ = DailyRun.objects.get_or_create(day=on)
    except IntegrityError:  # created by someone else between the read and the insert
        run = DailyRun.objects.get(day=on)
    return run


def daily_run(*, on: datetime.date, jobs: list[str] | None = None) -> DailyRun:
    """Run the daily jobs (all, or the given paths) for `on` now, whatever ran before.

    For `varig daily`. The jobs are idempotent, so a second run the same day creates nothing
    new; each job's outcome (its return value or its error) is recorded on the day's run.
    """
    run = _run_row(on)
    run.status = DailyRun.Status.RUNNING
    run.trigger = DailyRun.Trigger.COMMAND
    run.started_at = timezone.now()
    run.save(update_fields=["status", "trigger", "started_at"])
    return _execute(run, on, daily_job_paths() if jobs is None else jobs)


def daily_run_if_due(*, on: datetime.date) -> DailyRun | None:
    """Run `on`'s jobs unless that day already ran or is running (the worker's way in).

    Claims the day with one conditional UPDATE, so of two workers only one runs it. A day
    that has passed is marked missed instead: its jobs would judge yesterday's situation.
    Returns the run when this call ran it, else None.
    """
    run = _run_row(on)
    if on < timezone.localdate():
        DailyRun.objects.filter(pk=run.pk, status=DailyRun.Status.SCHEDULED).update(
            status=DailyRun.Status.MISSED
        )
        return None
    claimed = DailyRun.objects.filter(pk=run.pk, status=DailyRun.Status.SCHEDULED).update(
        status=DailyRun.Status.RUNNING,
        trigger=DailyRun.Trigger.WORKER,
        started_at=timezone.now(),
    )
    if not claimed:
        return None
    run.refresh_from_db()
    return _execute(run, on, daily_job_paths())
