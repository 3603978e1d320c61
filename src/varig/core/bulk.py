"""Fast inserts of many plain rows, for the national demo data (and any other bulk writer).

`bulk_create` compiles SQL per value and builds a model instance per row; for the 3 million
rows of `varig demo --scale national` that cost more than ten minutes, nearly all of it in
Python. Here a row is a plain `attname → value` mapping, primary keys are handed out by the
writer (so related rows can point at a row before it is written, and nothing has to be read
back), and a table's rows go to the database in large batches: `executemany` on SQLite and
`COPY … FROM STDIN` on PostgreSQL. Absent fields get their model default, `auto_now` and
`auto_now_add` fields get `now`, so a field another app adds with a default needs no change here.

Rows bypass `save()` and signals (no audit entries), which is right for made-up data. Call
`BulkWriter.flush()` inside the transaction that should hold the rows and `finish()` at the end
(it moves PostgreSQL's id sequences past the ids handed out).
"""

import datetime
import queue
import threading
from collections.abc import Callable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction

_MISSING = object()


def _sqlite_datetime(value: datetime.datetime) -> str:
    # What Django's SQLite backend stores: naive UTC in ISO format with a space.
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.isoformat(" ")


def _prep_for(field: models.Field) -> Callable[[Any], Any] | None:
    """A cheap Python value → database value conversion, or None when the driver takes the
    value as it is (strings, numbers, booleans; on PostgreSQL also dates, times, decimals)."""
    if isinstance(field, models.JSONField):
        return lambda v: field.get_db_prep_save(v, connection)
    if connection.vendor != "sqlite":
        return None
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime
    if isinstance(field, models.DateField):
        return datetime.date.isoformat
    if isinstance(field, models.DecimalField):
        return str
    return None


class BulkTable:
    """The pending rows of one model. `add(**values)` returns the row's primary key."""

    def __init__(self, model: type[models.Model], *, now: datetime.datetime):
        self.model = model
        meta = model._meta
        fields = list(meta.concrete_fields)
        self.columns = [f.column for f in fields]
        self.rows: list[tuple] = []
        self.written = 0
        self._next_pk: int | None = None
        self.add = self._compile_add(fields, meta.pk.attname, now)

    def _compile_add(self, fields, pk_attname: str, now: datetime.datetime) -> Callable[..., int]:
        """`add(**values)` as a generated function whose keyword defaults are the fields'
        defaults: Python binds the keywords in C, several times faster than a loop over a dict
        (this runs three million times for the national demo)."""
        namespace: dict[str, Any] = {"_alloc": self.allocate, "_rows": self.rows, "_M": _MISSING}
        params, lines, names = [], [], []
        for n, f in enumerate(fields):
            name = f.attname
            names.append(name)
            if name == pk_attname:
                params.append(f"{name}=None")
                lines.append(f"    if {name} is None:\n        {name} = _alloc()")
                continue
            prep = _prep_for(f)
            if prep is not None:
                namespace[f"_p{n}"] = prep
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = now
            elif f.has_default() and callable(f.default):
                namespace[f"_f{n}"] = f.default
                params.append(f"{name}=_M")
                lines.append(f"    if {name} is _M:\n        {name} = _f{n}()")
                if prep is not None:
                    lines.append(f"    if {name} is not None:\n        {name} = _p{n}({name})")
                continue
            else:
                default = f.get_default()
            namespace[f"_d{n}"] = default
            params.append(f"{name}=_d{n}")
            if prep is not None:
                # The default is converted once; a given value on every call.
                namespace[f"_c{n}"] = None if default is None else prep(default)
                lines.append(
                    f"    {name} = _c{n} if {name} is _d{n} else "
                    f"(None if {name} is None else _p{n}({name}))"
                )
        source = "\n".join(
            [
                f"def add(*, {', '.join(params)}):",
                *lines,
                f"    _rows.append(({', '.join(names)},))",
                f"    return {pk_attname}",
            ]
        )
        exec(source, namespace)  # the source is built from field names only, never from data
        return namespace["add"]

    def allocate(self) -> int:
        """A fresh primary key for a row added later (ids follow the table's largest one)."""
        if self._next_pk is None:
            largest = self.model._base_manager.aggregate(m=models.Max("pk"))["m"]
            self._next_pk = (largest or 0) + 1
        pk = self._next_pk
        self._next_pk += 1
        return pk

    def take(self) -> list[tuple]:
        """The pending rows, which are then no longer pending."""
        rows = self.rows[:]
        self.rows.clear()  # the same list: `add` appends to it
        return rows

    def write(self, rows: list[tuple]) -> None:
        """INSERT `rows` on the current thread's connection."""
        if not rows:
            return
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
                for start in range(0, len(rows), 50_000):
                    cursor.executemany(sql, rows[start : start + 50_000])
        self.written += len(rows)


class BulkWriter:
    """Pending rows for many models; `flush()` writes them in one transaction, tables in the
    order they were first used.

    With `background=True` a thread with a database connection of its own does the writing
    while the caller goes on making the next rows (SQLite and psycopg let other Python code
    run while they work, so the build uses two cores). `flush()` then hands the rows over and
    returns; at most one batch waits, which bounds the memory. Only for callers outside a
    transaction (the rows are committed by the thread, batch by batch): `varig demo`, not the
    tests. `finish()` waits for the thread.
    """

    def __init__(self, *, now: datetime.datetime, background: bool = False):
        self.now = now
        self.tables: dict[type[models.Model], BulkTable] = {}
        self.background = background
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self.on_connect: Callable[[], None] | None = None

    def table(self, model: type[models.Model]) -> BulkTable:
        table = self.tables.get(model)
        if table is None:
            table = self.tables[model] = BulkTable(model, now=self.now)
        return table

    def flush(self) -> None:
        batch = [(table, table.take()) for table in self.tables.values()]
        batch = [(table, rows) for table, rows in batch if rows]
        if not batch:
            return
        if not self.background:
            self._write(batch)
            return
        self._raise_if_failed()
        if self._thread is None:
            self._queue = queue.Queue(maxsize=1)
            self._thread = threading.Thread(target=self._work, name="bulk-writer", daemon=True)
            self._thread.start()
        self._queue.put(batch)
        self._raise_if_failed()

    def _write(self, batch) -> None:
        with transaction.atomic():
            for table, rows in batch:
                table.write(rows)

    def _work(self) -> None:
        try:
            if self.on_connect is not None:
                self.on_connect()
            while (batch := self._queue.get()) is not None:
                if self._error is None:
                    self._write(batch)
        except BaseException as exc:  # handed to the caller's thread
            self._error = exc
            while self._queue.get() is not None:  # let the caller's put() and join() go on
                pass
        finally:
            connection.close()

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise RuntimeError("the bulk writer thread failed") from self._error

    def wait(self) -> None:
        """Flush, and with a background thread wait until it has written everything."""
        self.flush()
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = self._queue = None
        self._raise_if_failed()

    def counts(self) -> dict[str, int]:
        return {model.__name__: t.written for model, t in self.tables.items() if t.written}

    def finish(self) -> None:
        """Write everything, then move id sequences past the ids handed out (PostgreSQL), so
        the ORM can insert into these tables again; ids handed out later start anew from the
        tables' largest."""
        self.wait()
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.tables))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        for table in self.tables.values():
            table._next_pk = None
