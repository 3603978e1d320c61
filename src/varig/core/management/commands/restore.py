"""`varig restore PATH`: replace the whole database with a backup made by `varig backup`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from varig.core.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace EVERYTHING in the database with the backup at PATH (made by `varig backup`). "
        "Needs --yes; with DEBUG off (production) also --force. Stop the web server and the "
        "worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--yes", action="store_true", help="Yes: replace all data with the backup."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow it with DEBUG off (production). Stop the server and the worker first.",
        )

    def handle(self, *args, path, yes, force, **options):
        if not yes:
            raise CommandError(
                "restore replaces all data in the database with the backup: run it again with "
                "--yes if that is what you want."
            )
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like production. Stop the web server and the worker, "
                "then run restore with --yes --force."
            )
        try:
            kind = restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored the {kind} database from {path}."))
