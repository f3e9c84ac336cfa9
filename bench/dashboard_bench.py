"""The analytics dashboard over a large store: GET /api/v1/analytics/dashboard on 1,000,000 events.

    .venv/bin/python bench/dashboard_bench.py [--store duckdb|postgresql] [--events 1000000] [--calls 10]
        [--build DIR]

1. Generates, in SQL inside DuckDB (deterministic: hashes of row numbers, no Python loop), --events
   events and in proportion 30% as many searches, 10% clicks, 2% votes, 0.5% assistant answers (with
   their feedback and content gaps) and 0.5% tickets (half of them also resolved), over the 90 days
   before now and 3 tenants (60/30/10%). Readers come in sessions of about ten events; most searches,
   questions and tickets belong to a session, and 60% of tickets follow their session's help within
   the 30 minutes the dashboard looks at. Queries and questions are those of tests/eval/questions.yml;
   8% of searches find nothing.
2. Loads it straight into the store before the server starts: for DuckDB into the file, opened (and
   migrated) with api.database.open_database; for PostgreSQL (a throwaway server, tests/postgres.py)
   through a DuckDB staging file written out as CSV and COPY ... FROM STDIN with psycopg, then VACUUM
   ANALYZE as autovacuum would.
3. Starts `python -m api` (HELP_CENTER_ROLLUP_SECONDS=0, so nothing is rolled up behind our back) and
   times the dashboard for the largest tenant over the last 30 and 90 days with an admin token: the
   first call after a server start (cold: empty query-embedding cache and DuckDB buffers; for
   PostgreSQL the database server is restarted too; the OS page cache stays warm), then --calls more
   (warm), p50 and max. A fresh server per range, so each range has its own cold call.
4. Rolls up the 90 days (POST /api/v1/analytics/rollup with {"days": 90} and an operator's token, what
   `python -m api rollup --days 90` asks a running server to do), timing it, and measures again.
5. Breaks the 90-day dashboard down in-process (the endpoint's handler, api.analytics_routes.dashboard):
   SQL by the function of api/analytics.py that ran it, embedding, the rest, and JSON encoding; for the
   first call and for the median of three warm ones.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.database import open_database  # noqa: E402
from api.tokens import Caller  # noqa: E402
from bench.ingest_bench import (CpuMeter, Server, article_ids, describe_code, describe_machine,  # noqa: E402
                                ensure_build, postgres_store, start_server, wait_until_quiet)

TENANT = "acme"  # the largest of the three
ADMIN = Caller(user="admin-1", tenant=TENANT, roles=frozenset({"admin"}))
RANGES = (30, 90)
DAYS = 90


# ---------------------------------------------------------------- generating the store's rows in SQL

def macros(now: datetime, articles: list[str], questions: dict[str, list[str]], sessions: int) -> str:
    """DuckDB macros: a uniform number per (row, salt), and each session's tenant, start, user and id."""
    quoted = lambda items: "[" + ", ".join("'" + i.replace("'", "''") + "'" for i in items) + "]"  # noqa: E731
    return f"""
    CREATE OR REPLACE TEMP MACRO u(i, salt) AS (hash(i, salt) % 1000003) / 1000003.0;
    CREATE OR REPLACE TEMP MACRO pick(items, x) AS items[1 + CAST(floor(len(items) * x) AS INTEGER)];
    CREATE OR REPLACE TEMP MACRO articles() AS {quoted(articles)};
    CREATE OR REPLACE TEMP MACRO answerable() AS {quoted(questions['answerable'])};
    CREATE OR REPLACE TEMP MACRO unanswerable() AS {quoted(questions['unanswerable'])};
    CREATE OR REPLACE TEMP MACRO s_of(i, salt) AS hash(i, salt) % {sessions};
    CREATE OR REPLACE TEMP MACRO s_tenant(s) AS CASE WHEN u(s, 1) < 0.6 THEN 'acme' WHEN u(s, 1) < 0.9 THEN 'globex'
                                                     ELSE 'initech' END;
    CREATE OR REPLACE TEMP MACRO s_start(s) AS TIMESTAMPTZ '{now.isoformat()}'
                                               - to_seconds(CAST(u(s, 2) * {DAYS * 86400 - 3600} AS BIGINT)) - INTERVAL 1 HOUR;
    CREATE OR REPLACE TEMP MACRO s_user(s) AS CASE WHEN u(s, 3) < 0.7 THEN 'user-' || (hash(s, 4) % 20000) END;
    CREATE OR REPLACE TEMP MACRO s_id(s) AS 'sess' || s;
    CREATE OR REPLACE TEMP MACRO article(i, salt) AS pick(articles(), pow(u(i, salt), 2));
    """


def event_rows(n: int) -> tuple[str, str]:
    """Sessions of about ten events, a minute or so apart; mostly article views (types as a help site sends)."""
    return "created_at, tenant, user_id, session_id, type, subject, data", f"""
    SELECT s_start(s) + to_seconds(CAST((i % 10) * 40 + u(i, 5) * 30 AS BIGINT)), s_tenant(s), s_user(s), s_id(s),
           kind, CASE WHEN kind = 'tour_step' THEN 'first-work-order' WHEN kind = 'card_viewed' THEN 'wo-intro'
                      WHEN kind = 'tooltip_viewed' THEN 'wo-new-form' ELSE a END,
           CASE WHEN kind = 'tour_step' THEN '{{"step": ' || (i % 7) || '}}' ELSE '{{"url": "/' || a || '/"}}' END
    FROM (SELECT i, i // 10 AS s, article(i, 7) AS a,
                 CASE WHEN u(i, 6) < 0.55 THEN 'article_view' WHEN u(i, 6) < 0.70 THEN 'search_click'
                      WHEN u(i, 6) < 0.82 THEN 'tour_step' WHEN u(i, 6) < 0.90 THEN 'card_viewed'
                      WHEN u(i, 6) < 0.96 THEN 'tooltip_viewed' ELSE 'bookmark' END AS kind
          FROM range({n}) AS r(i)) AS e"""


def search_rows(n: int) -> tuple[str, str]:
    """Searches in readers' sessions: the eval questions (the popular ones most), 8% finding nothing."""
    return "search_id, created_at, tenant, user_id, session_id, query, mode, results, latency_ms, top_ids", f"""
    SELECT md5('search' || j), s_start(s) + to_seconds(CAST(u(j, 9) * 300 AS BIGINT)), s_tenant(s), s_user(s), s_id(s),
           CASE WHEN zero THEN lower(pick(unanswerable(), u(j, 10))) || CASE WHEN u(j, 11) < 0.5 THEN ''
                                                                     ELSE ' ' || (j % 150) END
                ELSE lower(pick(answerable(), pow(u(j, 10), 2))) END,
           'hybrid', CASE WHEN zero THEN 0 ELSE 1 + hash(j, 12) % 10 END, 5 + u(j, 13) * 20,
           CASE WHEN zero THEN '[]' ELSE '["' || article(j, 14) || '"]' END
    FROM (SELECT j, s_of(j, 8) AS s, u(j, 15) < 0.08 AS zero FROM range({n}) AS r(j)) AS q"""


def click_rows(n: int) -> tuple[str, str]:
    """Clicks on searches that found something, seconds after them, mostly on the first results."""
    return "search_id, created_at, tenant, user_id, session_id, article_id, rank", f"""
    SELECT search_id, created_at + INTERVAL 8 SECOND, tenant, user_id, session_id,
           trim(top_ids, '[]"'), 1 + CAST(floor(10 * pow(u(search_id, 16), 3)) AS INTEGER)
    FROM searches WHERE results > 0 ORDER BY hash(search_id, 17) LIMIT {n}"""


def vote_rows(n: int, sessions: int) -> tuple[str, str]:
    """One vote per reader (a distinct session each) and article, 70% helpful."""
    return "tenant, article_id, reader, user_id, session_id, helpful, comment, created_at, updated_at", f"""
    SELECT s_tenant(s), article(k, 18), 'session:' || s_id(s), s_user(s), s_id(s), u(k, 19) < 0.7,
           CASE WHEN u(k, 20) < 0.1 THEN 'the steps are out of date' END, s_start(s) + INTERVAL 5 MINUTE,
           s_start(s) + INTERVAL 5 MINUTE
    FROM (SELECT k, (k * 5) % {sessions} AS s FROM range({n}) AS r(k)) AS v"""


def answer_rows(n: int) -> tuple[str, str]:
    """Questions to the assistant in readers' sessions; the unanswerable ones (and 5% of the others) declined."""
    return ("answer_id, conversation_id, created_at, build_id, user_id, tenant, question, search_query, current_url, "
            "answer, mode, answered, sources, citations, error, roles, session_id"), f"""
    SELECT md5('answer' || a), md5('conversation' || a), s_start(s) + INTERVAL 2 MINUTE, 'bench', s_user(s), s_tenant(s),
           question, lower(question), NULL, CASE WHEN declined THEN 'I could not find this in the help center.'
                                                 ELSE 'Open Work orders, then choose New.' END,
           'extractive', NOT declined, '[]', '[]', NULL, '', s_id(s)
    FROM (SELECT a, s_of(a, 21) AS s, u(a, 22) < 0.2 OR u(a, 23) < 0.05 AS declined,
                 CASE WHEN u(a, 22) < 0.2 THEN pick(unanswerable(), u(a, 24)) ELSE pick(answerable(), u(a, 24)) END
                 AS question FROM range({n}) AS r(a)) AS q"""


def gap_rows() -> tuple[str, str]:
    return "created_at, question, search_query, answer_id, build_id, confidence, closest", """
    SELECT created_at, question, search_query, answer_id, build_id, 0.3, '[]' FROM answers WHERE NOT answered"""


def feedback_rows() -> tuple[str, str]:
    return "answer_id, created_at, helpful, comment", """
    SELECT answer_id, created_at + INTERVAL 1 MINUTE, u(answer_id, 25) < 0.7, NULL FROM answers
    WHERE answered AND u(answer_id, 26) < 0.25"""


def ticket_rows(n: int) -> tuple[str, str]:
    """Tickets: 60% 10-15 minutes into a session (after its help), the rest at any time; subjects in readers' words."""
    return "ticket_id, event, tenant, user_id, session_id, subject, body, occurred_at, received_at", f"""
    SELECT 'T' || t, 'created', s_tenant(s), s_user(s), CASE WHEN u(t, 28) < 0.5 THEN s_id(s) END,
           CASE WHEN u(t, 29) < 0.5 THEN pick(unanswerable(), u(t, 30)) ELSE pick(answerable(), u(t, 30)) END
           || CASE WHEN u(t, 31) < 0.5 THEN ' (ticket ' || t || ')' ELSE '' END,
           'Customer wrote in.', opened, opened + INTERVAL 1 SECOND
    FROM (SELECT t, s, CASE WHEN u(t, 27) < 0.6 THEN s_start(s) + to_seconds(600 + hash(t, 35) % 300)
                            ELSE s_start(s) + to_seconds(CAST(u(t, 32) * 86400 AS BIGINT)) END AS opened
          FROM (SELECT t, s_of(t, 33) AS s FROM range({n}) AS r(t)) AS x) AS y"""


def resolved_rows() -> tuple[str, str]:
    return "ticket_id, event, tenant, user_id, session_id, subject, body, occurred_at, received_at", """
    SELECT ticket_id, 'resolved', tenant, user_id, session_id, subject, body, occurred_at + INTERVAL 1 DAY,
           received_at + INTERVAL 1 DAY FROM tickets WHERE event = 'created' AND u(ticket_id, 34) < 0.5"""


def generate(db, events: int, build: Path, now: datetime) -> dict[str, int]:
    """Fill the store's tables (already migrated, empty) through DuckDB connection `db`; rows per table."""
    sessions = max(events // 10, 1)
    data = yaml.safe_load((ROOT / "tests" / "eval" / "questions.yml").read_text(encoding="utf-8"))
    questions = {kind: [q["q"] for q in data[kind]] for kind in ("answerable", "unanswerable")}
    for statement in macros(now, article_ids(build), questions, sessions).split(";"):
        if statement.strip():
            db.execute(statement)
    steps = [("events", event_rows(events)), ("searches", search_rows(events * 3 // 10)),
             ("search_clicks", click_rows(events // 10)), ("votes", vote_rows(events // 50, sessions)),
             ("answers", answer_rows(events // 200)), ("content_gaps", gap_rows()), ("answer_feedback", feedback_rows()),
             ("tickets", ticket_rows(events // 200)), ("tickets", resolved_rows())]
    for table, (columns, select) in steps:
        db.execute(f"INSERT INTO {table} ({columns}) {select}")
    return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table, _ in steps}


# ---------------------------------------------------------------- loading the store

TABLES = ("events", "searches", "search_clicks", "votes", "answers", "content_gaps", "answer_feedback", "tickets")


def load_duckdb(data: Path, events: int, build: Path, now: datetime) -> dict[str, int]:
    database = open_database(data, None)  # creates and migrates the store's file
    try:
        counts = generate(database.db, events, build, now)
        database.checkpoint()
    finally:
        database.close()
    return counts


def load_postgresql(url: str, staging: Path, events: int, build: Path, now: datetime) -> dict[str, int]:
    """Generate into a DuckDB staging file, write each table as CSV, COPY it into PostgreSQL, VACUUM ANALYZE."""
    import psycopg

    open_database(staging, url).close()  # migrates PostgreSQL
    stage = open_database(staging / "staging", None)
    try:
        counts = generate(stage.db, events, build, now)
        for table in TABLES:
            stage.db.execute(f"COPY {table} TO '{staging / table}.csv' (FORMAT csv, HEADER false)")
    finally:
        stage.close()
    with psycopg.connect(url, autocommit=True) as conn:
        for table in TABLES:
            with conn.cursor().copy(f"COPY {table} FROM STDIN (FORMAT csv)") as copy, open(staging / f"{table}.csv", "rb") as f:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
        conn.execute("VACUUM ANALYZE")
    return counts


def load(args: argparse.Namespace, data: Path, build: Path, now: datetime, db_url: str | None) -> None:
    started = time.perf_counter()
    if db_url:
        counts = load_postgresql(db_url, data.parent / "staging", args.events, build, now)
    else:
        counts = load_duckdb(data, args.events, build, now)
    print(f"generated and loaded in {time.perf_counter() - started:.1f} s: "
          + ", ".join(f"{n:,} {table}" for table, n in counts.items()), flush=True)


# ---------------------------------------------------------------- timing the dashboard

def dashboard_ms(client: httpx.Client, first: str, last: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get("/api/v1/analytics/dashboard", params={"from": first, "to": last})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"dashboard answered {response.status_code}: {response.text[:500]}")
    return elapsed, len(response.content)


def admin_client(server: Server, tenant: str | None = TENANT) -> httpx.Client:
    """An admin of `tenant`; with no tenant, an operator (what rollups and exports, across tenants, need)."""
    token = server.token(tenant, "admin-1", ["admin"])
    return httpx.Client(base_url=server.url, timeout=300, headers={"authorization": f"Bearer {token}"})


def time_range(server: Server, days: int, calls: int, today) -> dict:
    """The first call on a fresh server (cold), then `calls` more (warm)."""
    first, last = (today - timedelta(days=days - 1)).isoformat(), today.isoformat()
    with admin_client(server) as client:
        wait_until_quiet()
        meter, started = CpuMeter(server), time.perf_counter()
        meter.start()
        cold, size = dashboard_ms(client, first, last)
        warm = [dashboard_ms(client, first, last)[0] for _ in range(calls)]
        cpu, elapsed = meter.stop(), time.perf_counter() - started
    return {"days": days, "cold": cold, "p50": statistics.median(warm), "max": max(warm), "bytes": size,
            "cpu_per_call": {name: used / (calls + 1) * 1000 for name, used in cpu.items() if name != "client"},
            "others": cpu["other"] / elapsed}


def print_timing(label: str, t: dict) -> None:
    verdict = lambda ms: "met" if ms <= 500 else "MISSED"  # noqa: E731
    cpu = ", ".join(f"{name} {ms:.0f}" for name, ms in t["cpu_per_call"].items() if name != "other")
    print(f"  {label}, last {t['days']} days: cold {t['cold']:.0f} ms, warm p50 {t['p50']:.0f} ms, max {t['max']:.0f} ms "
          f"(CPU ms a call: {cpu}; {t['bytes']:,} bytes; target 500 ms: cold {verdict(t['cold'])}, warm p50 "
          f"{verdict(t['p50'])}; other processes used {t['others']:.2f} cores meanwhile)", flush=True)

def roll_up(server: Server) -> None:
    """The 90 days, then the 3 days the server's hourly rollup recomputes; each is one write of the store's writer."""
    with admin_client(server, tenant=None) as client:
        for days in (DAYS, 3):
            started = time.perf_counter()
            response = client.post("/api/v1/analytics/rollup", json={"days": days})
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"rollup answered {response.status_code}: {response.text[:500]}")
            summary = response.json()
            print(f"rolled up {len(summary['days'])} days ({summary['figures']} figures) through the server in "
                  f"{elapsed:.1f} s: every acknowledgement of a write waited as long", flush=True)

def measure(args: argparse.Namespace, build: Path, data: Path, db_url: str | None, pg) -> None:
    """Each range on a fresh server, without rollups, then after rolling up the 90 days."""
    today = datetime.now(timezone.utc).date()
    for label in ("no rollups", "rolled up"):
        for days in RANGES:
            if pg is not None:
                pg.stop()
                pg.start()  # PostgreSQL's shared buffers start empty too
            server = start_server(build, data, db_url, pg)
            try:
                print_timing(label, time_range(server, days, args.calls, today))
                if label == "no rollups" and days == RANGES[-1]:
                    roll_up(server)
            finally:
                server.stop()


# ---------------------------------------------------------------- where the time goes, in-process

class Breakdown:
    """Times every SQL statement by the api/analytics.py function that ran it, and every batch embedded."""

    def __init__(self):
        self.parts: dict[str, float] = defaultdict(float)

    def sql(self, execute):
        def timed(session, sql, params=()):
            started = time.perf_counter()
            try:
                return execute(session, sql, params)
            finally:
                self.parts[f"SQL in {sys._getframe(1).f_code.co_name}"] += time.perf_counter() - started
        return timed

    def embedding(self, embed):
        def timed(texts):
            started = time.perf_counter()
            try:
                return embed(texts)
            finally:
                self.parts["embedding (model)"] += time.perf_counter() - started
        return timed


def breakdown(build: Path, data: Path, db_url: str | None, days: int) -> None:
    from api import analytics_routes
    from api.config import serve_config
    from api.database import Session
    from api.help_center import open_help_center

    env = {"HELP_CENTER_DATA": str(data), "HELP_CENTER_ROLLUP_SECONDS": "0", "HELP_CENTER_RATE_LIMIT": "0",
           **({"HELP_CENTER_DB": db_url} if db_url else {})}
    center = open_help_center(serve_config(["--build", str(build)], env=env))
    today = datetime.now(timezone.utc).date()
    first = today - timedelta(days=days - 1)
    execute, embedder = Session.execute, center.holder.embed.embedder
    try:
        runs = []
        for _ in range(4):
            parts = Breakdown()
            Session.execute, embedder.embed = parts.sql(execute), parts.embedding(type(embedder).embed.__get__(embedder))
            started = time.perf_counter()
            figures = asyncio.run(analytics_routes.dashboard(center, ADMIN, **{"from": first, "to": today}))
            total = time.perf_counter() - started
            Session.execute, encode = execute, time.perf_counter()
            json.dumps(figures)
            runs.append((total, parts.parts, time.perf_counter() - encode))
        print_breakdown(f"first call, last {days} days", *runs[0])
        print_breakdown(f"warm call (median of 3), last {days} days", *sorted(runs[1:], key=lambda run: run[0])[1])
    finally:
        Session.execute = execute
        del embedder.embed
        center.store.close()


def print_breakdown(label: str, total: float, parts: dict[str, float], encode: float) -> None:
    """SQL runs on the request's thread; the model may embed on a thread of its own alongside (api/analytics.py)."""
    embedding = parts.pop("embedding (model)", 0.0)
    rest = total - sum(parts.values())
    print(f"  in-process, {label}: {total * 1000:.0f} ms; JSON encoding {encode * 1000:.1f} ms more", flush=True)
    for name, seconds in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"    {seconds * 1000:7.1f} ms  {name}")
    print(f"    {rest * 1000:7.1f} ms  the rest of the request's thread: Python, and waiting for the embedding")
    print(f"    ({embedding * 1000:.1f} ms embedding gap texts with the model, alongside the SQL)")

def run(args: argparse.Namespace, tmp: Path, db_url: str | None, pg=None) -> None:
    build, data = ensure_build(args.build), tmp / "data"
    load(args, data, build, datetime.now(timezone.utc).replace(microsecond=0), db_url)
    measure(args, build, data, db_url, pg)
    print("where the time goes (rolled up; one process, no HTTP):", flush=True)
    wait_until_quiet()
    breakdown(build, data, db_url, RANGES[-1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", type=Path, help="build to serve (default: the demo content, built once)")
    p.add_argument("--store", choices=("duckdb", "postgresql"), default="duckdb")
    p.add_argument("--events", type=int, default=1_000_000, help="events to generate (default 1,000,000; others in proportion)")
    p.add_argument("--calls", type=int, default=10, help="warm calls per range after the cold one (default 10)")
    args = p.parse_args()
    if not 1_000 <= args.events <= 20_000_000 or not 1 <= args.calls <= 100:
        p.error("--events must be 1,000-20,000,000 and --calls 1-100")
    print(f"machine: {describe_machine()}; store: {args.store}; {args.events:,} events; {describe_code()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
        if args.store == "duckdb":
            run(args, Path(tmp), None)
        else:
            with postgres_store() as (pg, db_url):
                run(args, Path(tmp), db_url, pg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
