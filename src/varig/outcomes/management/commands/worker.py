from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from varig.daily.schedule import daily_schedule_ensure


class Command(DbWorkerCommand):
    """`varig worker`: django-tasks-db's `db_worker` under the project's name (all its options:
    --batch, --interval, --queue-name, --no-reload …)."""

    help = (
        "Run background tasks (e.g. imports started in the browser) from the database queue. "
        "Start one or more next to the web servers; `make run` starts one. It also runs the "
        "daily jobs once a day (VARIG_DAILY_AT), unless VARIG_DAILY_IN_WORKER is off."
    )

    def handle(self, *args, **options):
        # The daily jobs ride on the queue: today's (if not yet run) and tomorrow's run are
        # queued here, and each day's task queues the next (see varig.daily.schedule).
        daily_schedule_ensure()
        return super().handle(*args, **options)
