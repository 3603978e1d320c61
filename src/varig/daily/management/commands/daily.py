import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from varig.daily.models import DailyJobResult
from varig.daily.runner import daily_job_load, daily_job_paths, daily_run


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = (
        "Run the daily jobs (VARIG_DAILY_JOBS: reminders, early warnings, the advisors' digest) "
        "for one day, today unless --date is given. Every job is idempotent: running a day "
        "twice creates nothing twice. The worker runs this once a day by itself."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, help="The day to run for (YYYY-MM-DD).")
        parser.add_argument(
            "--job",
            action="append",
            dest="jobs",
            metavar="PATH",
            help="Run only this job (a dotted path from VARIG_DAILY_JOBS); may be repeated.",
        )
        parser.add_argument("--list", action="store_true", help="List the jobs and stop.")

    def handle(self, *args, date=None, jobs=None, list=False, **options):
        paths = daily_job_paths()
        if list:
            for path in paths:
                self.stdout.write(path)
            return
        for path in jobs or []:
            if path not in paths:
                raise CommandError(f"{path} is not in VARIG_DAILY_JOBS")
        for path in jobs or paths:
            try:
                daily_job_load(path)
            except (ImportError, AttributeError) as exc:
                raise CommandError(f"{path} cannot be imported: {exc}") from exc
        on = date or timezone.localdate()
        run = daily_run(on=on, jobs=jobs)
        failed = False
        for row in run.results.filter(job__in=jobs or paths).order_by("pk"):
            ok = row.status == DailyJobResult.Status.DONE
            failed = failed or not ok
            line = f"{row.job}: {row.result if ok else 'FAILED'}"
            self.stdout.write(self.style.SUCCESS(line) if ok else self.style.ERROR(line))
            if not ok:
                self.stderr.write(row.error)
        if failed:
            raise CommandError(f"Some daily jobs failed for {on}.")
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"Daily jobs done for {on.isoformat()}.")
