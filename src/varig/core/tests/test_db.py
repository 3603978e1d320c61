import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from varig.core.db import refresh_planner_statistics
from varig.customers.models import JobCustomer
from varig.placements.models import Placement


@pytest.mark.django_db
def test_statistics_are_refreshed_for_the_named_tables():
    """After a bulk load the planner gets fresh statistics (ANALYZE on PostgreSQL)."""
    with CaptureQueriesContext(connection) as queries:
        refresh_planner_statistics(JobCustomer, Placement)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    if connection.vendor == "postgresql":
        assert "ANALYZE" in sql
        assert JobCustomer._meta.db_table in sql and Placement._meta.db_table in sql
    else:
        assert "PRAGMA optimize" in sql


@pytest.mark.django_db
def test_without_models_every_table_gets_statistics():
    """`varig demo` refreshes every table: its hooks also write through the ORM (the early
    warnings), and a table left without statistics gave "I dag" a plan over every open one."""
    with CaptureQueriesContext(connection) as queries:
        refresh_planner_statistics()
    sql = [q["sql"].strip() for q in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert "ANALYZE" in sql
    else:
        assert "PRAGMA optimize" in sql


@pytest.mark.django_db
def test_count_many_counts_each_queryset_in_one_query():
    import datetime

    from django.utils import timezone

    from varig.core.db import count_many
    from varig.customers.tests.factories import make_job_customer

    today = timezone.localdate()
    make_job_customer(first_name="Anna", associated_from=today - datetime.timedelta(days=9))
    make_job_customer(first_name="Bo", associated_from=today - datetime.timedelta(days=9))
    make_job_customer(first_name="Anna", associated_from=today + datetime.timedelta(days=9))
    with CaptureQueriesContext(connection) as queries:
        counts = count_many(
            all=JobCustomer.objects.all(),
            annas=JobCustomer.objects.filter(first_name="Anna").order_by("last_name"),
            now=JobCustomer.objects.associated_on(today).select_related("advisor"),
            none=Placement.objects.all(),
        )
    assert len(queries.captured_queries) == 1
    assert counts == {"all": 3, "annas": 2, "now": 2, "none": 0}
    assert count_many() == {}


@pytest.mark.django_db
def test_pk_among_keeps_the_rows_whose_keys_the_subquery_gives():
    from varig.core.db import pk_among
    from varig.customers.tests.factories import make_job_customer

    people = [make_job_customer(last_name=f"P{n}") for n in range(5)]
    keys = JobCustomer.objects.order_by("-last_name").values("pk")[:2]
    found = JobCustomer.objects.filter(pk_among(keys)).select_related("advisor")
    assert sorted(jc.pk for jc in found) == sorted(p.pk for p in people[-2:])
