"""Backup and restore of the whole database (`varig backup PATH`, `varig restore PATH`).

SQLite: the online backup API (`sqlite3.Connection.backup`), a consistent copy while the
application keeps running. PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean`.
Both work on the database Django is connected to (under pytest-django that is the test
database, not the one in settings).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done (the message says why)."""


def backup(path: Path) -> str:
    """Write a backup of the database to `path`; returns the kind ("sqlite" or "postgresql")."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            # Its own open write transaction would keep the backup waiting forever.
            raise BackupError("Cannot back up inside a transaction.")
        tmp = path.with_name(path.name + ".partial")
        target = sqlite3.connect(tmp)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        os.replace(tmp, path)
        return vendor
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path)])
        return vendor
    raise BackupError(f"Backups are not supported on {vendor}.")


def restore(path: Path) -> str:
    """Replace everything in the database with the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup at {path}.")
    head = path.read_bytes()[:16] if path.stat().st_size else b""
    vendor = connection.vendor
    if vendor == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not an SQLite backup.")
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("Cannot restore inside a transaction.")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return vendor
    if vendor == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{path} is not a PostgreSQL backup (pg_dump --format=custom).")
        connection.close()  # no session of ours holds a lock on what is dropped
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ]
        )
        return vendor
    raise BackupError(f"Restoring is not supported on {vendor}.")


def _run(command: list[str]) -> None:
    """Run a PostgreSQL client tool against Django's database (its connection settings)."""
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        )
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    args += ["--dbname", db["NAME"]]
    result = subprocess.run(
        command[:1] + args + command[1:], env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
