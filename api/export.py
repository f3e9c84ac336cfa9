"""Every table of the store to one file each, Parquet or CSV: `python -m api export`, or the server's
POST /api/v1/analytics/export while it holds the DuckDB file.

All tables are read in one transaction, so the files agree with each other (a click's search is
there). DuckDB writes the files itself (COPY ... TO); from PostgreSQL the rows are streamed
through a server-side cursor into pyarrow or the csv module, so a large table never sits in memory.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .database import Database, Session
from .store import Store

FORMATS = ("parquet", "csv")
BATCH_ROWS = 10_000


@dataclass(frozen=True)
class ExportedTable:
    table: str
    path: Path
    rows: int


def export(target: Store | Database, out: Path, fmt: str = "parquet") -> list[ExportedTable]:
    """Write every table to out/<table>.<fmt> (replacing files of those names); what was written, by table."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    database = target.database if isinstance(target, Store) else target
    out.mkdir(parents=True, exist_ok=True)
    write = _duckdb_table if database.kind == "duckdb" else _postgres_table
    with database.transaction() as session:
        if database.kind == "postgresql":
            # One snapshot for every table, as DuckDB's transactions always are.
            session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        else:
            session.execute("SET SESSION TimeZone = 'UTC'")  # times in the CSV files in UTC, as from PostgreSQL
        return [ExportedTable(table, out / f"{table}.{fmt}", write(session, table, out / f"{table}.{fmt}", fmt))
                for table in tables(session)]


def tables(session: Session) -> list[str]:
    return [r[0] for r in session.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_type = 'BASE TABLE' ORDER BY table_name")]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _duckdb_table(session: Session, table: str, path: Path, fmt: str) -> int:
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
    literal = "'" + str(path).replace("'", "''") + "'"  # COPY takes no parameter for its file name
    session.execute(f"COPY {_quoted(table)} TO {literal} ({options})")
    return int(session.execute(f"SELECT count(*) FROM {_quoted(table)}")[0][0])


def _postgres_table(session: Session, table: str, path: Path, fmt: str) -> int:
    with session.cursor.connection.cursor(name=f"export_{table}") as cursor:
        cursor.itersize = BATCH_ROWS
        cursor.execute(f"SELECT * FROM {_quoted(table)}")
        columns = [(c.name, c.type_code) for c in cursor.description]
        return (_parquet if fmt == "parquet" else _csv)(cursor, columns, path)


def _csv(cursor, columns: list[tuple[str, int]], path: Path) -> int:
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow([name for name, _ in columns])
        while batch := cursor.fetchmany(BATCH_ROWS):
            writer.writerows([_csv_value(v) for v in row] for row in batch)
            rows += len(batch)
    return rows


def _csv_value(value):
    """As DuckDB's COPY writes it, so a CSV export reads the same from either database."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return "" if value is None else value


def _parquet(cursor, columns: list[tuple[str, int]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, _arrow_type(pa, oid)) for name, oid in columns])
    rows = 0
    with pq.ParquetWriter(path, schema) as writer:
        while batch := cursor.fetchmany(BATCH_ROWS):
            writer.write_batch(pa.record_batch([list(col) for col in zip(*batch)], schema=schema))
            rows += len(batch)
    return rows


def _arrow_type(pa, oid: int):
    """The Arrow type of a PostgreSQL column type (by its oid): those the store's schema uses, text for any other."""
    types = {16: pa.bool_(), 20: pa.int64(), 21: pa.int16(), 23: pa.int32(), 700: pa.float32(), 701: pa.float64(),
             1082: pa.date32(), 1114: pa.timestamp("us"), 1184: pa.timestamp("us", tz="UTC")}
    return types.get(oid, pa.string())
