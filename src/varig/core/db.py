"""Database helpers shared by the bulk writers (imports, demo data)."""

from django.db import connection, models


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
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            tables = ", ".join(
                connection.ops.quote_name(model._meta.db_table) for model in model_classes
            )
            cursor.execute(f"ANALYZE {tables}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
