"""The two databases the store can live in, behind one small interface.

DuckDB (a file under HELP_CENTER_DATA) is the default for one machine; PostgreSQL
(HELP_CENTER_DB=postgresql://...) lets several API processes or machines share one store. SQL is
written once with `?` placeholders; `Session.execute` adapts it to psycopg's `%s`.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import Unavailable
from .migrations import MIGRATIONS

DUCKDB_FILE = "help_center.duckdb"


class StoreError(Unavailable):
    """The store cannot be opened or reached."""


class StoreLocked(StoreError):
    """Another process (a running server) holds the DuckDB file: DuckDB lets only one open it."""


class Session:
    """One connection inside one transaction."""

    def __init__(self, cursor, placeholder: str):
        self.cursor = cursor
        self.placeholder = placeholder

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        self.cursor.execute(self._sql(sql), list(params))
        return self.cursor.fetchall() if self.cursor.description else []

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.cursor.executemany(self._sql(sql), [list(r) for r in rows])

    def insert_rows(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Many rows into `table`, all its columns in order. DuckDB binds each parameter of each row slowly (0.7 ms a
        row with 7 columns): it takes them as one Arrow table instead (2-4 ms for 1 to 256 rows)."""
        if not rows:
            return
        if self.placeholder == "?":
            import pyarrow as pa

            columns = [pa.array(list(column)) for column in zip(*rows)]
            self.cursor.register("incoming_rows", pa.table(columns, names=[f"c{i}" for i in range(len(columns))]))
            try:
                self.cursor.execute(f"INSERT INTO {table} SELECT * FROM incoming_rows")
            finally:
                self.cursor.unregister("incoming_rows")
            return
        marks = ", ".join("?" * len(rows[0]))
        self.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


class DuckDatabase:
    kind = "duckdb"

    def __init__(self, folder: Path, read_only: bool = False):
        import duckdb

        self.path = folder / DUCKDB_FILE
        if not read_only:
            folder.mkdir(parents=True, exist_ok=True)
        try:
            self.db = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            kind = StoreLocked if "Could not set lock" in str(exc) else StoreError  # DuckDB has no error class for it
            raise kind(f"cannot open the store {self.path}: {str(exc).splitlines()[0]}") from None

    @contextlib.contextmanager
    def transaction(self, writer: bool = False) -> Iterator[Session]:
        # A cursor is a connection of its own to the same database: safe to use from this thread.
        cursor = self.db.cursor()
        try:
            cursor.execute("BEGIN")
            try:
                yield Session(cursor, "?")
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")
        finally:
            cursor.close()

    def checkpoint(self) -> None:
        self.db.execute("CHECKPOINT")

    def close(self) -> None:
        self.db.close()


class PostgresDatabase:
    kind = "postgresql"

    def __init__(self, url: str, max_connections: int = 8):
        from psycopg_pool import ConnectionPool

        self.where = _check_url(url)
        # check: a connection broken by a database restart is replaced before use, not failed on. The writer has a
        # pool of its own, so readers (the dashboard, many at once) can never leave it waiting for a connection.
        self.pool = ConnectionPool(url, min_size=1, max_size=max_connections, open=False, timeout=3,
                                   check=ConnectionPool.check_connection, name="store-readers")
        self.writer = ConnectionPool(url, min_size=1, max_size=1, open=False, timeout=3,
                                     check=ConnectionPool.check_connection, name="store-writer")
        try:
            self.pool.open(wait=True, timeout=10)
            self.writer.open(wait=True, timeout=10)
        except Exception as exc:
            self.close()
            raise StoreError(f"cannot connect to the PostgreSQL store at {self.where}: {type(exc).__name__}") from None

    @contextlib.contextmanager
    def transaction(self, writer: bool = False) -> Iterator[Session]:
        with (self.writer if writer else self.pool).connection() as connection, connection.transaction(), \
                connection.cursor() as cursor:
            yield Session(cursor, "%s")

    def checkpoint(self) -> None:
        """PostgreSQL keeps its own files consistent; nothing to fold in."""

    def close(self) -> None:
        self.pool.close()
        self.writer.close()


def _check_url(url: str) -> str:
    """Where the URL points (host, port, database: no user or password), once one connection has proved it works.

    The connection pool would only say it timed out, after 10 s; one plain connection says why at once."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    for name in ("psycopg", "psycopg.pool"):  # a logger's filters do not reach its children's records
        logging.getLogger(name).addFilter(HidePassword(url))
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        raise StoreError("HELP_CENTER_DB is not a PostgreSQL URL such as postgresql://user:password@host:5432/db") from None
    where = f"{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:
        reason = HidePassword(url).hide(str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__)
        raise StoreError(f"cannot connect to the PostgreSQL store at {where}: {reason}") from None
    return where


class HidePassword(logging.Filter):
    """psycopg's own log lines may quote the connection URL: its password never reaches the log."""

    def __init__(self, url: str):
        super().__init__()
        self.secrets = [part for found in re.findall(r"://[^:/@]*:([^@]+)@|password=(\S+)", url) for part in found if part]

    def hide(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.hide(record.getMessage()), ()
        return True


Database = DuckDatabase | PostgresDatabase


def open_database(folder: Path, url: str | None, read_only: bool = False) -> Database:
    """PostgreSQL when a URL is given, else the DuckDB file in `folder`; migrated to the latest schema."""
    if folder.exists() and not folder.is_dir():
        raise StoreError(f"HELP_CENTER_DATA must be a folder, not a file: {folder}")
    database = PostgresDatabase(url) if url else DuckDatabase(folder, read_only)
    if not read_only:
        migrate(database)
    return database


MIGRATION_LOCK = 72_817_001  # any fixed number: PostgreSQL advisory locks are keyed by one


def migrate(database: Database, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> int:
    """Apply the migrations this store has not seen; returns the schema version. Safe when two processes start at once."""
    with database.transaction() as session:
        if database.kind == "postgresql":
            session.execute("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK])
        session.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL)")
        current = session.execute("SELECT coalesce(max(version), 0) FROM schema_version")[0][0]
        for version, migration in enumerate(MIGRATIONS[current:], start=current + 1):
            sql = migration if isinstance(migration, str) else migration.get(database.kind, "")
            for statement in (s.strip() for s in sql.split(";")):
                if statement:
                    session.execute(statement)
            session.execute("INSERT INTO schema_version VALUES (?, ?)", [version, now()])
    return len(MIGRATIONS)
