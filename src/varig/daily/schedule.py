"""Scheduling the daily run in the worker, so development needs no second scheduler process.

`varig worker` calls `daily_schedule_ensure()` when it starts, and every day's task calls it
again when it has run: today's run (if it has not happened) and tomorrow's are then queued as
django-tasks-db tasks that become ready at `VARIG_DAILY_AT` (local time). The `DailyRun` row
of a day is created once, and only its creator queues the task; a task that went missing
(its row deleted, the queue wiped) is queued again.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import DailyRun

LIVE_TASK_STATUSES = ("READY", "RUNNING")


def daily_time() -> datetime.time:
    """The time of day (local) the worker runs the daily jobs, from `VARIG_DAILY_AT` (HH:MM)."""
    hours, _, minutes = str(getattr(settings, "VARIG_DAILY_AT", "05:00")).partition(":")
    return datetime.time(int(hours), int(minutes or 0))


def daily_due_at(day: datetime.date) -> datetime.datetime:
    """When the worker runs `day`'s jobs: that day at `VARIG_DAILY_AT`, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, daily_time()))


def _task_is_live(task_id: str) -> bool:
    from django_tasks_db.models import DBTaskResult

    if not task_id:
        return False
    return DBTaskResult.objects.filter(pk=task_id, status__in=LIVE_TASK_STATUSES).exists()


def _enqueue(run: DailyRun, now: datetime.datetime) -> None:
    from .tasks import daily_tick

    run_after = max(daily_due_at(run.day), now)
    result = daily_tick.using(run_after=run_after).enqueue(run.day.isoformat())
    DailyRun.objects.filter(pk=run.pk).update(task_id=str(result.id), scheduled_for=run_after)


def daily_schedule_day(day: datetime.date, *, now: datetime.datetime | None = None) -> bool:
    """Queue `day`'s run unless it is queued, running or finished; True when queued now."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            run = DailyRun.objects.create(day=day, status=DailyRun.Status.SCHEDULED)
            _enqueue(run, now)
            return True
    except IntegrityError:
        pass
    with transaction.atomic():
        run = DailyRun.objects.select_for_update().get(day=day)
        if run.status != DailyRun.Status.SCHEDULED or _task_is_live(run.task_id):
            return False
        _enqueue(run, now)
        return True


def daily_schedule_ensure(*, now: datetime.datetime | None = None) -> list[datetime.date]:
    """Make sure today's run (unless done) and tomorrow's are queued; returns the days queued.

    Does nothing when `VARIG_DAILY_IN_WORKER` is off (production may use a timer instead).
    """
    from .tasks import daily_tick

    if not getattr(settings, "VARIG_DAILY_IN_WORKER", True):
        return []
    if not daily_tick.get_backend().supports_defer:  # e.g. the immediate backend in tests
        return []
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = [today, today + datetime.timedelta(days=1)]
    return [day for day in days if daily_schedule_day(day, now=now)]
