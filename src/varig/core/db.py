"""Database helpers shared by the bulk writers (imports, demo data) and the reports."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from django.conf import settings
from django.db import connection, models
from django.utils import translation


def refresh_planner_statistics(*model_classes: type[models.Model]) -> None:
    """Give the query planner fresh statistics for tables a bulk load has just filled.

    PostgreSQL has no statistics for new rows until autovacuum reaches them, and until then it
    can choose plans that run for minutes (seen with the Resultater page after a national
    load). On SQLite, `PRAGMA optimize` does the same where it judges it worthwhile. Without
    models, every table of the database (after a load that also wrote through the ORM, such
    as the demo's hooks: the early warnings' table was left without statistics, and "I dag"
    for a manager joined all 38,000 open warnings before taking the newest ten).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not model_classes:
            # Outside a transaction (the end of `varig demo`) VACUUM too: it sets the
            # visibility map, without which PostgreSQL's index-only scans still read the heap
            # (I dag's counts took 260 ms after a national load instead of 2 ms).
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        elif connection.vendor == "postgresql":
            tables = ", ".join(
                connection.ops.quote_name(model._meta.db_table) for model in model_classes
            )
            cursor.execute(f"ANALYZE {tables}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


def analyze(*model_classes: type[models.Model]) -> None:
    """Statistics of these tables now, on either database (`ANALYZE table`): after a column
    an index starts with was filled in bulk, the planner's old numbers describe empty values
    (SQLite then read the stored status's index in the list's order for an advisor's 60
    persons, 94 ms, instead of their own index, 1 ms)."""
    with connection.cursor() as cursor:
        for model in model_classes:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def count_many(**querysets: models.QuerySet) -> dict[str, int]:
    """`{name: qs.count()}` for several querysets in ONE query: a SELECT of one scalar
    COUNT(*) subquery per queryset (each planned on its own, as its own count would be).
    "I dag" needs four counts over four tables; one round trip instead of four keeps the page
    within its query budget (issue 9) whatever sections other apps add."""
    if not querysets:
        return {}
    parts, params = [], []
    for n, qs in enumerate(querysets.values()):
        sql, qs_params = qs.order_by().values("pk").query.sql_with_params()
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS count_{n})")
        params.extend(qs_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return {name: int(value) for name, value in zip(querysets, row, strict=True)}


def pk_among(keys: models.QuerySet) -> models.Q | models.Expression:
    """A filter: the row's primary key is one of `keys` (a sliced `.values("pk")` queryset, a
    few keys), with the keys worked out FIRST. On PostgreSQL `pk IN (subquery)` becomes a semi
    join that the planner, past `join_collapse_limit` relations, puts after every LEFT JOIN of
    a wide `select_related`: it joined all 38,000 open warnings to nine tables before keeping
    ten (2.5 s at national scale). `pk = ANY(ARRAY(subquery))` is computed once, before the
    joins, and the rows are then read by their keys. Elsewhere a plain `pk__in`."""
    if connection.vendor != "postgresql":
        return models.Q(pk__in=keys)
    return models.Func(
        models.F("pk"),
        models.Subquery(keys),
        arg_joiner=" = ANY(ARRAY",
        template="%(expressions)s)",
        output_field=models.BooleanField(),
    )


def read_concurrently(jobs: dict[str, Callable[[], object]]) -> dict:
    """`{name: job()}`, the jobs (read-only queries) run side by side on
    `VARIG_REPORT_THREADS` threads, each with its own database connection (closed after), in
    the caller's language, with the caller's execute wrappers, in autocommit (on SQLite a transaction would take the write
    lock: BEGIN IMMEDIATE, settings.py). Jobs start in the order
    given, so list the longest first. One at a time, on the caller's connection, when there is
    one thread or the caller is inside a transaction (a test's, or a write's): another
    connection would not see its rows.

    A report whose queries each take a few hundred milliseconds is bound by one core per
    query; the Resultater page's dozen queries on 2 cores take about half as long (issue 3)."""
    threads = min(getattr(settings, "VARIG_REPORT_THREADS", 1), len(jobs))
    if threads <= 1 or connection.in_atomic_block:
        return {name: job() for name, job in jobs.items()}
    language = translation.get_language()
    # The caller's execute wrappers (the benchmark's query counter) see the threads' queries.
    wrappers = list(connection.execute_wrappers)

    def run(job):
        try:
            with translation.override(language), ExitStack() as stack:
                for wrapper in wrappers:
                    stack.enter_context(connection.execute_wrapper(wrapper))
                return job()
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="report") as pool:
        futures = {name: pool.submit(run, job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}
