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
