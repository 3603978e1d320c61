from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from varig.core.models import User
from varig.outcomes.interchange import read_path, run_import


class Command(BaseCommand):
    help = (
        "Import job customers, companies and placements in interchange format v1 (a folder of "
        "advisors.csv, job_customers.csv, companies.csv, placements.csv, or one .xlsx workbook "
        "with a sheet per file). All or nothing: every problem is printed as "
        "'file:line: column: message', the command exits non-zero and nothing is written. "
        "Records are matched by ref, so importing again updates. Follow-ups: only open "
        "placements (no end, or an end today or later) that started within the last 12 months "
        "get the standard follow-ups, and only the steps whose window has not closed yet; "
        "older and ended placements get none. See docs/interchange.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A folder of CSV files, one CSV file or a .xlsx file.")
        parser.add_argument(
            "--actor",
            metavar="EMAIL",
            help="The user the audit log names as having run the import.",
        )
        parser.add_argument(
            "--language",
            default="en",
            help="Language of the messages (en or da; default en).",
        )

    def handle(self, *args, path, actor, language, **options):
        with translation.override(language):
            return self._import(Path(path), actor)

    def _import(self, path: Path, actor_email: str | None) -> None:
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder")
        actor = None
        if actor_email:
            actor = User.objects.filter(email__iexact=actor_email).first()
            if actor is None:
                raise CommandError(f"--actor {actor_email}: no such user")
        read = read_path(path)
        result = run_import(read, actor=actor, file_names=path.name)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                translation.ngettext(
                    "%(count)d problem; nothing was imported.",
                    "%(count)d problems; nothing was imported.",
                    len(result.problems),
                )
                % {"count": len(result.problems)}
            )
        for stem, counts in result.summary.items():
            self.stdout.write(
                f"{stem}: " + ", ".join(f"{key} {value}" for key, value in counts.items())
            )
