"""Timings for the retention report and the Resultater page (a benchmark, not a test).

    DEBUG=1 VARIG_SQLITE_PATH=/tmp/ret-national.sqlite3 .venv/bin/python scripts/bench_results.py
    DEBUG=1 DATABASE_URL=postgres://... .venv/bin/python scripts/bench_results.py

Run it against `varig demo --scale national`. Prints the best of --repeat runs per figure,
the query count, and the whole page (view + template) as a leder sees it.
"""

import argparse
import os
import sys
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "varig.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from varig.core.models import Role, User
    from varig.customers.models import JobCustomer
    from varig.outcomes import selectors
    from varig.outcomes.results import Filters, _builders
    from varig.outcomes.views import results_view
    from varig.placements.models import Placement

    today = timezone.localdate()
    print(
        f"database: {connection.vendor}; job customers: {JobCustomer.objects.count():,}; "
        f"placements: {Placement.objects.count():,}"
    )

    # Wall time, and this process's CPU time: on SQLite that is all of the database's work
    # too, so it shows the cost without the waiting on a shared machine (on PostgreSQL the
    # server's CPU is not in it). The load average is printed before and after.
    print(f"load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())}; {os.cpu_count()} cores")

    def timed(label, fn):
        best, best_cpu, queries = None, None, 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as ctx:
                start, cpu = time.perf_counter(), time.process_time()
                fn()
                elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            queries = len(ctx.captured_queries)
            best = elapsed if best is None else min(best, elapsed)
            best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        flag = "" if best < 1 else "  <-- over 1 s"
        print(
            f"  {label:<44} {best * 1000:8.0f} ms  {best_cpu * 1000:6.0f} ms CPU  "
            f"{queries:3d} queries{flag}"
        )
        return best

    last = today.year - 1
    dates = selectors.year_end_dates(last - args.years + 1, last)
    print(f"retention report, {args.years} years ({dates[0]} to {dates[-1]}):")
    timed("varig report retention --years", lambda: selectors.retention_series(dates))

    print("Resultater selectors (default filters):")
    filters = Filters.default(today)
    total = 0.0
    for name, build in _builders(today).items():
        total += timed(name, lambda build=build: build(filters))
    print(f"  {'sum of the selectors':<44} {total * 1000:8.0f} ms")

    manager = (
        User.objects.with_role(Role.MANAGER).first()
        or User.objects.filter(is_superuser=True).first()
    )
    if manager is None:
        sys.exit("no leder user to render the page as")
    request = RequestFactory().get("/resultater/")
    request.user = manager
    request.htmx = False
    print("Resultater page (view + template):")
    from django.core.cache import cache

    def first_load():
        cache.clear()  # the page keeps its figures 10 minutes: time a first load too
        results_view(request)

    timed("GET /resultater/ (first load, cache cleared)", first_load)
    timed("GET /resultater/ (again within 10 minutes)", lambda: results_view(request))
    print(f"load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
