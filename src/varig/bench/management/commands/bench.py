"""`varig bench` (and `make bench`): the national-scale benchmark of issue 9. See
varig/bench/harness.py for what it does and BENCHMARKS.md for the numbers."""

import json
import sys

from django.core.management.base import BaseCommand

from varig.bench import harness


class Command(BaseCommand):
    help = (
        "Build the national dataset once (cached in var/bench/ and the PostgreSQL database "
        "varig_bench), serve it with gunicorn and print p50/p95 latency and query counts of "
        "the main pages, one table per database."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--db",
            nargs="+",
            choices=["sqlite", "pg", "postgresql"],
            default=["sqlite", "postgresql"],
            help="the databases to measure (default both); a database that does not answer "
            "stops the run before anything is built or measured",
        )
        parser.add_argument(
            "--pg-url",
            default=harness.DEFAULT_PG_URL,
            help=f"the PostgreSQL database to use, dropped on a rebuild ({harness.DEFAULT_PG_URL})",
        )
        parser.add_argument("--rebuild", action="store_true", help="build the dataset again")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--scale",
            default="national",
            help="the demo scale (national; small to try the harness out in a minute)",
        )
        parser.add_argument("--requests", type=int, default=50, help="measured requests per page")
        parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests first")
        parser.add_argument(
            "--report-runs",
            type=int,
            default=10,
            help="runs of the retention report, and requests of Resultater from an empty cache",
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument(
            "--only", nargs="*", default=[], help="measure only pages whose name has one of these"
        )
        # Internal: a step run by the harness inside the benchmark database's environment.
        parser.add_argument("--step", choices=["prepare"], help="(internal)")

    def handle(self, *args, step=None, **options):
        if step == "prepare":
            from varig.bench import probe

            try:
                data = probe.prepare(report_runs=options["report_runs"])
            except probe.MissingDataset as exc:
                sys.stderr.write(f"the national dataset is missing: {exc}\n")
                sys.exit(3)
            self.stdout.write(json.dumps(data))
            return
        options["db"] = list(dict.fromkeys("postgresql" if d == "pg" else d for d in options["db"]))
        sys.exit(harness.main(options))
