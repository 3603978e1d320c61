"""The name search (customers.search): every word anywhere in the first name, last name or
reference, in any case, Danish letters included; its index follows every writer; the
databases use their index for it."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from varig.core.bulk import BulkWriter
from varig.customers import search, services
from varig.customers.models import JobCustomer
from varig.customers.selectors import job_customer_list
from varig.customers.tests.factories import make_job_customer

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's trigram indexes"
)


def found(text: str) -> set[str]:
    return set(JobCustomer.objects.matching(text).values_list("ref", flat=True))


@pytest.fixture
def people(db):
    rows = [
        ("JK-000042", "Maja", "Kristensen"),
        ("JK-000043", "Bo", "Hansen"),
        ("JK-000044", "Søren", "Østergaard"),
        ("JK-000045", "Åse", "Ærø"),
        ("JK-000046", "BJØRN", "LÆRKE"),
        ("X-9", "Kristoffer", "O'Brien"),
    ]
    for ref, first, last in rows:
        make_job_customer(ref=ref, first_name=first, last_name=last)


def test_a_word_matches_anywhere_in_first_name_last_name_or_reference(people):
    assert found("stof") == {"X-9"}  # inside the first name
    assert found("tense") == {"JK-000042"}  # inside the last name
    assert found("00043") == {"JK-000043"}  # inside the reference
    assert found("jk-00004") == {f"JK-00004{n}" for n in range(2, 7)}


def test_case_does_not_matter(people):
    assert found("MAJA") == found("maja") == found("mAjA") == {"JK-000042"}
    assert found("KRISTENSEN") == {"JK-000042"}
    assert found("x-9") == {"X-9"}


def test_every_word_must_match_in_any_column_and_order(people):
    assert found("kri maja") == {"JK-000042"}
    assert found("kristensen 42") == {"JK-000042"}
    assert found("kri") == {"JK-000042", "X-9"}
    assert found("maja hansen") == set()
    assert found("  maja   ") == {"JK-000042"}


def test_danish_letters_in_any_case_in_long_and_short_words(people):
    assert found("øster") == found("ØSTER") == {"JK-000044"}
    assert found("SØREN") == found("søren") == {"JK-000044"}
    assert found("ærø") == found("ÆRØ") == found("åse ÆRØ") == {"JK-000045"}
    assert found("bjørn lærke") == {"JK-000046"}
    # Shorter than a trigram: matched by LIKE, once per case of the Danish letter.
    assert found("ø") == found("Ø") == {"JK-000044", "JK-000045", "JK-000046"}
    assert found("æ") == {"JK-000045", "JK-000046"}
    assert found("å") == {"JK-000045"}
    assert found("Øs") == found("øS") == {"JK-000044"}
    assert found("RØ") == {"JK-000045"}
    assert found("ø ae") == set()
    assert found("ø ær") == {"JK-000045", "JK-000046"}


def test_quotes_and_wildcards_are_plain_characters(people):
    assert found("o'b") == found("'") == {"X-9"}
    assert found('"') == found('k"r') == set()
    assert found("%") == found("_") == found("%%%") == found("___") == set()
    assert found("*") == found("AND") == found("NOT kri") == set()


def test_no_words_means_no_filter(people):
    assert found("") == found("   ") == set(JobCustomer.objects.values_list("ref", flat=True))


def test_the_caseload_list_and_the_audit_search_use_it(people, manager):
    from varig.privacy.selectors import persons_matching

    rows = job_customer_list(user=manager, search="øster", advisor="all")
    assert [jc.ref for jc in rows] == ["JK-000044"]
    assert [jc.ref for jc in persons_matching("ÆRØ")] == ["JK-000045"]


def test_the_search_costs_no_query_more_than_the_list(manager_client, people):
    def queries(**query) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = manager_client.get(reverse("customers:list"), {"advisor": "all", **query})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    queries()  # warm caches (session, content types)
    plain = queries()
    for text in ("øster", "Ø", "maja kri", "jk-000042", "x"):
        assert queries(q=text) == plain, text


# --- Every writer keeps the index ---------------------------------------------------------------


def test_factory_rows_are_found():
    make_job_customer(ref="JK-F1", first_name="Fabrik", last_name="Ørsted")
    assert found("ørsted fab") == {"JK-F1"}


def test_service_intake_and_edit_are_found(advisor):
    jc = services.job_customer_create(
        actor=advisor,
        first_name="Ida",
        last_name="Møller",
        associated_from=datetime.date(2024, 1, 1),
    )
    assert found("møller ida") == {jc.ref}
    services.job_customer_update(
        actor=advisor,
        job_customer=jc,
        expected_version=jc.version,
        last_name="Dahl",
        ref="JK-NY-1",
    )
    assert found("møller") == set()
    assert found("dahl ida") == found("ny-1") == {"JK-NY-1"}


def test_interchange_import_is_found_also_when_it_updates(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()

    def run(last_name: str) -> None:
        (folder / "job_customers.csv").write_text(
            f"ref,first_name,last_name,associated_from\nIMP-1,Åge,{last_name},2020-01-01\n",
            encoding="utf-8",
        )
        call_command("import", str(folder), stdout=io.StringIO(), stderr=io.StringIO())

    run("Bæk")
    assert found("åge bæk") == {"IMP-1"}
    run("Strøm")  # the same ref again: an update
    assert found("bæk") == set()
    assert found("strøm") == {"IMP-1"}


def test_bulk_rows_of_the_demo_are_found():
    writer = BulkWriter(now=timezone.now())
    writer.table(JobCustomer).add(
        ref="JK-B1",
        first_name="Bulk",
        last_name="Nørgaard",
        associated_from=datetime.date(2020, 1, 1),
    )
    writer.finish()
    assert found("nørgaard bulk") == {"JK-B1"}


def test_the_demo_is_found():
    call_command("demo", "--scale", "tiny", "--seed", "3", stdout=io.StringIO())
    person = JobCustomer.objects.order_by("pk").first()
    assert person.ref in found(f"{person.first_name} {person.last_name} {person.ref}")


def test_erasure_leaves_no_name_to_find(manager, advisor):
    from varig.privacy.services import ANONYMOUS_REF, job_customer_anonymise

    jc = make_job_customer(ref="JK-E1", first_name="Glemt", last_name="Jørgensen")
    job_customer_anonymise(job_customer=jc, actor=manager)
    assert found("jørgensen") == found("glemt") == found("JK-E1") == set()
    assert found(ANONYMOUS_REF.format(pk=jc.pk)) == {ANONYMOUS_REF.format(pk=jc.pk)}


def test_deleted_rows_are_not_found():
    make_job_customer(ref="JK-D1", last_name="Slettesen")
    JobCustomer.objects.filter(ref="JK-D1").delete()
    assert found("slettesen") == set()
    make_job_customer(ref="JK-D2", last_name="Slettesen")  # and a new row is
    assert found("slettesen") == {"JK-D2"}


@sqlite_only
def test_triggers_a_table_rebuild_dropped_come_back_with_the_rows_changed_meanwhile():
    jc = make_job_customer(ref="JK-R1", last_name="Før")
    with connection.cursor() as cursor:
        for name in search.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    JobCustomer.objects.filter(pk=jc.pk).update(last_name="Efter")
    make_job_customer(ref="JK-R2", last_name="Efter")
    assert search.ensure_sqlite_triggers(connection) == list(search.SQLITE_TRIGGERS)
    assert found("efter") == {"JK-R1", "JK-R2"}
    assert found("før") == set()
    assert search.ensure_sqlite_triggers(connection) == []


@sqlite_only
def test_every_migrate_puts_the_triggers_back():
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {next(iter(search.SQLITE_TRIGGERS))}")
    emit_post_migrate_signal(0, False, connection.alias)  # what the end of `migrate` sends
    assert search.ensure_sqlite_triggers(connection) == []


# --- The plans ----------------------------------------------------------------------------------


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of test rows: only bitmap scans allowed, so an index that fits is used.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


@sqlite_only
def test_sqlite_searches_its_fts5_index(people, manager):
    rows = job_customer_list(user=manager, search="maja kri", advisor="all")
    assert f"SCAN {search.SEARCH_TABLE} VIRTUAL TABLE INDEX" in _plan(rows)


@postgresql_only
def test_postgresql_uses_a_trigram_index_per_column(people, manager):
    """The indexes fit the expressions Django writes. With the visibility rule (a UNION of a
    few rows' ids) a handful of test rows is planned from the rule's side; at national scale
    the plan joins both (BENCHMARKS.md, "The name search")."""
    # Unordered: the pager's COUNT (on a few rows the page itself walks the name index).
    rows = job_customer_list(user=manager, search="maja kri", advisor="all", with_status=False)
    plan = _plan(rows.order_by())
    for name in search.POSTGRESQL_INDEXES:
        assert name in plan, plan
