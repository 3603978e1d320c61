"""`varig report retention (--years 2016-2019 | --at YYYY-MM-DD) [--format table|json|csv]`."""

import csv
import datetime
import json
import re

from django.core.management.base import BaseCommand, CommandError

from varig.outcomes.selectors import retention_series, year_end_dates

FIELDS = ("reference_date", "associated", "in_work", "in_desired_job", "coefficient")


def _years(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", value.strip())
    if not match:
        raise CommandError(f"--years: expected YYYY or YYYY-YYYY, got {value!r}")
    first = int(match[1])
    last = int(match[2] or match[1])
    if last < first:
        raise CommandError(f"--years: {last} is before {first}")
    return first, last


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"--at: expected a date YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = "Print the retention figures (associated, in work, in desired job, coefficient)."

    def add_arguments(self, parser):
        parser.add_argument("report", choices=["retention"])
        when = parser.add_mutually_exclusive_group(required=True)
        when.add_argument("--years", help="a year or a range, e.g. 2016-2019 (31 December each)")
        when.add_argument("--at", help="one reference date, YYYY-MM-DD")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")

    def handle(self, *args, **options):
        if options["years"]:
            first, last = _years(options["years"])
            dates = year_end_dates(first, last)
        else:
            dates = [_date(options["at"])]
        rows = [row.as_dict() for row in retention_series(dates)]
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(rows, indent=2))
        elif fmt == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=FIELDS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        else:
            self._table(rows)

    def _table(self, rows):
        headers = ("Reference date", "Associated", "In work", "In desired job", "Coefficient")
        cells = [
            (
                r["reference_date"],
                str(r["associated"]),
                str(r["in_work"]),
                str(r["in_desired_job"]),
                f"{r['coefficient']:.3f}",
            )
            for r in rows
        ]
        widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
        self.stdout.write(
            "  ".join(
                h.ljust(w) if i == 0 else h.rjust(w)
                for i, (h, w) in enumerate(zip(headers, widths, strict=True))
            )
        )
        self.stdout.write("  ".join("-" * w for w in widths))
        for c in cells:
            self.stdout.write(
                "  ".join(
                    v.ljust(w) if i == 0 else v.rjust(w)
                    for i, (v, w) in enumerate(zip(c, widths, strict=True))
                )
            )
