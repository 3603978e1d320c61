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
