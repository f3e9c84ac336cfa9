"""Every table of the store to one file each, Parquet or CSV: `python -m api export`, or the server's
POST /api/v1/analytics/export while it holds the DuckDB file.

All tables are read in one transaction, so the files agree with each other (a click's search is
there). DuckDB writes the files itself (COPY ... TO); from PostgreSQL the rows are streamed
through a server-side cursor into pyarrow or CSV lines, so a large table never sits in memory.

CSV files are opened in spreadsheets, and readers typed the queries and ticket subjects in them: a
text cell a spreadsheet would run as a formula (=, +, -, @, tab or CR first) gets a leading quote,
as in the dashboard's CSV tables (api/analytics.py). Parquet files keep every value as stored.
Both databases write the same CSV: times in UTC, an empty text as "", a NULL as nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .analytics import FORMULA_STARTS, spreadsheet_text
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
            # One snapshot for every table, as DuckDB's transactions always are. Times come back in the
            # session's zone (the server's, or one the URL sets): the files say UTC whatever it is.
            session.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            session.execute("SET LOCAL TIME ZONE 'UTC'")
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
    source = _quoted(table) if fmt == "parquet" else f"(SELECT {_spreadsheet_columns(session, table)} FROM {_quoted(table)})"
    literal = "'" + str(path).replace("'", "''") + "'"  # COPY takes no parameter for its file name
    session.execute(f"COPY {source} TO {literal} ({options})")
    return int(session.execute(f"SELECT count(*) FROM {_quoted(table)}")[0][0])


def _spreadsheet_columns(session: Session, table: str) -> str:
    """The table's columns for a CSV file, its text ones as spreadsheet_text makes them (in SQL: DuckDB writes the file)."""
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_STARTS)  # tab and CR too, with no literal to get wrong
    columns = []
    for name, kind in session.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? ORDER BY ordinal_position", [table]):
        column = _quoted(name)
        if kind == "VARCHAR":
            column = f"CASE WHEN left({column}, 1) IN ({starts}) THEN chr(39) || {column} ELSE {column} END AS {column}"
        columns.append(column)
    return ", ".join(columns)


def _postgres_table(session: Session, table: str, path: Path, fmt: str) -> int:
    with session.cursor.connection.cursor(name=f"export_{table}") as cursor:
        cursor.itersize = BATCH_ROWS
        cursor.execute(f"SELECT * FROM {_quoted(table)}")
        columns = [(c.name, c.type_code) for c in cursor.description]
        return (_parquet if fmt == "parquet" else _csv)(cursor, columns, path)


def _csv(cursor, columns: list[tuple[str, int]], path: Path) -> int:
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(_csv_line([name for name, _ in columns]))
        while batch := cursor.fetchmany(BATCH_ROWS):
            file.writelines(_csv_line([_csv_value(v) for v in row]) for row in batch)
            rows += len(batch)
    return rows


def _csv_line(fields: list[str | None]) -> str:
    return ",".join(map(_csv_field, fields)) + "\n"


def _csv_field(field: str | None) -> str:
    """A field as DuckDB's COPY writes it (the csv module writes an empty text and a NULL alike): a NULL is
    nothing, an empty text "", and one holding a comma, a quote or a line break is quoted."""
    if field is None:
        return ""
    if field == "" or any(c in field for c in ',"\n\r'):
        return '"' + field.replace('"', '""') + '"'
    return field


def _csv_value(value) -> str | None:
    """As DuckDB's COPY writes it, so a CSV export reads the same from either database."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return spreadsheet_text(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


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
