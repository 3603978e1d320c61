"""`varig backup PATH`: a consistent backup of the whole database while Varig runs."""

from django.core.management.base import BaseCommand, CommandError

from varig.core.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to PATH: SQLite's online backup API (a copy of the file), "
        "or pg_dump's custom format on PostgreSQL. Safe while the application runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            kind = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backed up the {kind} database to {path}."))
