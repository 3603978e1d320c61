"""The name search over job customers (the caseload list, the audit log's person search).

What a user gets, on both databases: every word of the search must match; a word matches when
it occurs anywhere in the first name, the last name or the reference, in any case, æ/ø/å and
every other letter included ("øster" finds Østergaard, "jk-0001" finds JK-000123).

How, per database (issue 9: 100,000 job customers; both did a full scan before):

- PostgreSQL: Django's `icontains`, i.e. `UPPER("col"::text) LIKE UPPER(%s)` (UPPER folds all
  of Unicode under the database's UTF-8 ctype), served by a trigram GIN index (`pg_trgm`) on
  each of those three expressions exactly (migration 0007); a word of one or two letters has no
  trigram, so the planner scans, as before.
- SQLite: LIKE folds ASCII only and no index helps `LIKE '%word%'`. An FTS5 table with the
  trigram tokenizer (`SEARCH_TABLE`, external content: it stores the index, not the names)
  holds the three columns; triggers on the job customer table keep it right for every writer
  there is (the services, the interchange import, the demo's bulk rows, erasure, factories, raw
  SQL). A word of three letters or more is a phrase query there (the tokenizer folds case for
  all of Unicode; a phrase never spans two columns, so it means "in one of them"). A shorter
  word has no trigram: it is LIKE over the table, once per spelling of its non-ASCII letters
  ("Ø" asks for "Ø" and "ø"), which keeps æ/ø/å case-insensitive there too.

Django's SQLite schema editor rebuilds a table for most column changes (a new table, copy,
drop, rename), and dropping the table drops its triggers: `ensure_sqlite_triggers` runs after
every `migrate` (post_migrate, see apps.py) and puts back any that are missing, then rebuilds
the index, so a later migration of JobCustomer cannot silently stop the index from following.
"""

import itertools

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL

TABLE = "customers_jobcustomer"
SEARCH_TABLE = "customers_jobcustomer_search"
COLUMNS = ("first_name", "last_name", "ref")
# The trigram tokenizer cannot match anything shorter than one trigram.
TRIGRAM = 3

_cols = ", ".join(COLUMNS)
_new = ", ".join(f"new.{c}" for c in COLUMNS)
_old = ", ".join(f"old.{c}" for c in COLUMNS)
_insert = f"INSERT INTO {SEARCH_TABLE} (rowid, {_cols}) VALUES (new.id, {_new});"
_delete = (
    f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, {_cols}) "
    f"VALUES ('delete', old.id, {_old});"
)
SQLITE_TRIGGERS = {
    f"{SEARCH_TABLE}_insert": f"AFTER INSERT ON {TABLE} BEGIN {_insert} END",
    f"{SEARCH_TABLE}_delete": f"AFTER DELETE ON {TABLE} BEGIN {_delete} END",
    f"{SEARCH_TABLE}_update": (
        f"AFTER UPDATE OF id, {_cols} ON {TABLE} BEGIN {_delete} {_insert} END"
    ),
}
POSTGRESQL_INDEXES = {
    f"customers_jobcustomer_{column}_trgm": column for column in ("first_name", "last_name", "ref")
}


# --- Schema (migration 0007 and post_migrate) --------------------------------------------------


def install(connection) -> None:
    """Create the search index of this database (nothing for other vendors)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A trusted extension since PostgreSQL 13: a database owner may create it.
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name, column in POSTGRESQL_INDEXES.items():
                cursor.execute(
                    f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" '
                    f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
                )
            # The planner's statistics of the new expressions (how many rows a word matches).
            cursor.execute(f'ANALYZE "{TABLE}"')
        elif connection.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5({_cols}, "
                f"content='{TABLE}', content_rowid='id', tokenize='trigram')"
            )
            for name, body in SQLITE_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            cursor.execute(f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('rebuild')")


def uninstall(connection) -> None:
    """Drop the search index (the extension stays: something else may use it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in POSTGRESQL_INDEXES:
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")


def ensure_sqlite_triggers(connection) -> list[str]:
    """Put back the triggers a table rebuild dropped and rebuild the index; returns the names
    put back. Nothing when the search table is not there (before migration 0007)."""
    if connection.vendor != "sqlite":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE name = %s OR type = 'trigger'",
            [SEARCH_TABLE],
        )
        found = cursor.fetchall()
    if ("table", SEARCH_TABLE) not in found:
        return []
    names = {name for kind, name in found if kind == "trigger"}
    missing = [name for name in SQLITE_TRIGGERS if name not in names]
    if missing:
        install(connection)
    return missing


def after_migrate(*, using: str, **kwargs) -> None:
    ensure_sqlite_triggers(connections[using])


# --- The filter --------------------------------------------------------------------------------


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _spellings(word: str) -> list[str]:
    """The word with each non-ASCII letter in both cases (SQLite's LIKE folds only ASCII);
    meant for words shorter than a trigram, so a handful at most."""
    choices = [{ch, ch.lower(), ch.upper()} if not ch.isascii() else {ch} for ch in word]
    return sorted({"".join(p) for p in itertools.product(*map(sorted, choices))})


def _word_q(word: str, spellings: list[str]) -> Q:
    q = Q()
    for spelling in spellings:
        for column in COLUMNS:
            q |= Q(**{f"{column}__icontains": spelling})
    return q


def matching_q(text: str, *, vendor: str) -> Q:
    """A filter on JobCustomer: every word of `text` in the first name, last name or reference
    (anywhere, any case). `vendor` is the connection's (see the module's docstring)."""
    words = text.split()
    if vendor != "sqlite":
        q = Q()
        for word in words:
            q &= _word_q(word, [word])
        return q
    long = [w for w in words if len(w) >= TRIGRAM]
    q = Q()
    if long:
        match = " AND ".join(_fts_phrase(w) for w in long)
        q &= Q(
            pk__in=RawSQL(
                f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH %s", [match]
            )
        )
    for word in words:
        if len(word) < TRIGRAM:
            q &= _word_q(word, _spellings(word))
    return q
