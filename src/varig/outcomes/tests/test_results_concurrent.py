"""The Resultater page's queries side by side (core.db.read_concurrently): the same tables as
one after another, in the caller's language, and each thread's connection closed."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone, translation

from varig.core.db import read_concurrently
from varig.outcomes import results

from .test_results_views import make_history


def _plain(tables: dict) -> list:
    return [
        (t.name, str(t.title), t.headers, t.rows, str(t.note), t.chart) for t in tables.values()
    ]


@pytest.mark.django_db(transaction=True)
def test_concurrent_tables_are_the_serial_ones_in_the_callers_language(settings, advisor):
    make_history(4, advisor=advisor)
    today = timezone.localdate()
    f = results.Filters.default(today)
    with translation.override("en"):
        settings.VARIG_REPORT_THREADS = 1
        serial = _plain(results.build_tables(f, today=today))
        settings.VARIG_REPORT_THREADS = 3
        concurrent = _plain(results.build_tables(f, today=today))
    assert concurrent == serial
    assert [name for name, *_ in concurrent] == list(results.TABLE_NAMES)
    assert any(row for *_, rows, _note, _chart in serial for row in rows)  # figures, not empty
    assert "Retention coefficient per year" in [title for _n, title, *_ in concurrent]


@pytest.mark.django_db(transaction=True)
def test_each_job_runs_on_its_own_thread_and_connection_which_is_closed_after(settings):
    settings.VARIG_REPORT_THREADS = 2
    seen = {}

    def job(name):
        def run():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            seen[name] = (
                threading.current_thread().name,
                connections["default"],
                translation.get_language(),
            )
            return name

        return run

    with translation.override("da"):
        assert read_concurrently({"a": job("a"), "b": job("b")}) == {"a": "a", "b": "b"}
    assert all(name.startswith("report") for name, _c, _l in seen.values())
    mine = connections["default"]
    assert all(c is not mine for _n, c, _l in seen.values())
    # Closed after (Django keeps SQLite's in-memory test database open on purpose).
    assert all(
        c.connection is None or (c.vendor == "sqlite" and c.is_in_memory_db())
        for _n, c, _l in seen.values()
    )
    assert {language for *_, language in seen.values()} == {"da"}


@pytest.mark.django_db
def test_inside_a_transaction_the_jobs_run_on_the_callers_connection(settings):
    settings.VARIG_REPORT_THREADS = 4
    names = read_concurrently({"x": lambda: threading.current_thread().name})
    assert names == {"x": threading.current_thread().name}


@pytest.mark.django_db(transaction=True)
def test_the_callers_execute_wrappers_see_the_threads_queries(settings):
    settings.VARIG_REPORT_THREADS = 2
    seen = []

    def counting(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    def job():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    with connection.execute_wrapper(counting):
        read_concurrently({"a": job, "b": job, "c": job})
    assert seen.count("SELECT 1") == 3
