from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    """`varig worker`: django-tasks-db's `db_worker` under the project's name (all its options:
    --batch, --interval, --queue-name, --no-reload …)."""

    help = (
        "Run background tasks (e.g. imports started in the browser) from the database queue. "
        "Start one or more next to the web servers; `make run` starts one."
    )
