"""The background task that runs each day's jobs in the worker and schedules the next day."""

import datetime

from django.tasks import task


@task()
def daily_tick(day: str) -> str:
    """Run the jobs of `day` (ISO date) if still due, then make sure the next day is scheduled."""
    from .runner import daily_run_if_due
    from .schedule import daily_schedule_ensure

    try:
        run = daily_run_if_due(on=datetime.date.fromisoformat(day))
    finally:
        daily_schedule_ensure()
    return run.status if run else "skipped"
