"""An operator keeps the store small: the daily figures are rolled up, raw traffic past retention goes,
and the dashboard's days read the same before and after, in DuckDB and in PostgreSQL alike. The server
does it on its own schedule (tests/api/test_housekeeping.py: through the server)."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone

import psycopg
import pytest

from api import rollup as rollup_module
from api.analytics import daily_metrics
from api.database import open_database
from api.event_types import Event
from api.rollup import ROLLUP_LOCK, BackgroundRollup, RollupSchedule, RollupSummary, rollup
from api.store import AnswerRecord, Store, Ticket
from api.tokens import Caller
from tests.api.conftest import FakeClock

ANA = Caller(user="ana", tenant="acme")
BOB = Caller(user="bob", tenant="globex")
TODAY = date(2026, 12, 10)
OLD_DAYS = [date(2026, 12, 1), date(2026, 12, 2)]
RECENT_DAYS = [date(2026, 12, 8), date(2026, 12, 9), TODAY]


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc) + timedelta(hours=hour)


def a_day_of_traffic(store, day: date, reader: Caller, n: int) -> None:
    """`n` searches (the last finding nothing), a click, an article view, a question, then a ticket."""
    store.clock.now = at(day, 9)
    for i in range(n):
        store.log_search(f"{reader.user}-{day}-{i}", reader, f"tab-{day}", f"query {i}", "hybrid", 0 if i == n - 1 else 3, 5.0, [])
    store.queue.flush()
    asyncio.run(store.record_click(f"{reader.user}-{day}-0", reader, f"tab-{day}", "create-a-work-order", 1))
    asyncio.run(store.record_events([Event("article_view", f"tab-{day}", "create-a-work-order", {})], reader))
    asyncio.run(store.record_answer(AnswerRecord(f"a-{reader.user}-{day}", f"c-{day}", "build-1", "how do I reset?",
                                                 "reset", "", "extractive", False, [], [], user_id=reader.user,
                                                 tenant=reader.tenant, session_id=f"tab-{day}")))
    store.clock.now = at(day, 23) + timedelta(minutes=50)  # ten minutes before midnight: followed help of that day
    asyncio.run(store.record_ticket(Ticket(f"T-{reader.user}-{day}", "created", "Locked out", "Help",
                                           store.clock.now, reader.user, f"tab-{day}"), reader.tenant))


@pytest.fixture
def traffic(any_store):
    """Two tenants' traffic on two old days (past a 5-day retention on TODAY) and on three recent ones."""
    for n, day in enumerate(OLD_DAYS + RECENT_DAYS, start=2):
        a_day_of_traffic(any_store, day, ANA, n)
        a_day_of_traffic(any_store, day, BOB, 1)
    return any_store


def rollups(store) -> list[tuple]:
    return sorted((t, d, m, float(v)) for t, d, m, v in store.read(lambda s: s.execute("SELECT * FROM daily_rollups")))


def figures(store, first: date, last: date) -> list[tuple]:
    return sorted((t, d, m, float(v)) for t, d, m, v in store.read(lambda s: daily_metrics(s, first, last)))


def raw_days(store, table: str) -> set[date]:
    rows = store.read(lambda s: s.execute(f"SELECT created_at FROM {table}"))
    return {r[0].astimezone(timezone.utc).date() for r in rows}


def test_rolling_up_twice_gives_the_same_figures_and_deletes_nothing_more(traffic):
    first = rollup(traffic, TODAY, days=3, retention_days=400)
    assert first.days == [date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)]  # today is still growing
    assert first.deleted == {"events": 0, "searches": 0, "search_clicks": 0}
    kept = rollups(traffic)
    assert kept == figures(traffic, date(2026, 12, 8), date(2026, 12, 9))
    second = rollup(traffic, TODAY, days=3, retention_days=400)
    assert rollups(traffic) == kept and second.figures == first.figures


def test_raw_rows_past_retention_go_only_once_their_days_are_rolled_up(traffic):
    before = figures(traffic, OLD_DAYS[0], TODAY - timedelta(days=1))
    summary = rollup(traffic, TODAY, days=3, retention_days=5)
    assert summary.deleted_before == date(2026, 12, 5)
    assert summary.days == [date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4),
                            date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)]
    assert summary.deleted == {"events": 4, "searches": 2 + 3 + 1 + 1, "search_clicks": 4}
    for table in ("events", "searches", "search_clicks"):
        assert raw_days(traffic, table) == set(RECENT_DAYS)
    assert raw_days(traffic, "answers") == set(OLD_DAYS + RECENT_DAYS)  # records, not traffic: kept
    assert rollups(traffic) == before  # the dashboard's days read the same as from the raw rows
    assert ("acme", OLD_DAYS[0], "searches", 2.0) in before and ("globex", OLD_DAYS[1], "tickets", 1.0) in before


def test_a_day_whose_raw_rows_are_gone_is_not_computed_again(traffic):
    rollup(traffic, TODAY, days=3, retention_days=5)
    kept = rollups(traffic)
    later = rollup(traffic, TODAY + timedelta(days=1), days=30, retention_days=400)  # retention raised afterwards
    assert later.days == RECENT_DAYS  # from the oldest raw row on: not the days deleted before it, now empty
    old = [r for r in rollups(traffic) if r[1] in OLD_DAYS]
    assert old == [r for r in kept if r[1] in OLD_DAYS]


def test_the_server_rolls_up_at_start_then_every_period_and_a_failure_is_only_logged(traffic, caplog):
    clock = FakeClock(at(TODAY, 6))
    background = BackgroundRollup(traffic, every=3600, retention_days=5, clock=clock)
    with caplog.at_level(logging.INFO, logger="help_center"):
        assert background.tick().deleted_before == date(2026, 12, 5)
        clock.advance(3599)
        assert background.tick() is None
        assert background.schedule.seconds_until_due(clock()) == 1
        clock.advance(1)
        traffic.database.close()  # the store is gone: the run fails, the server goes on
        assert background.tick() is None
    assert "scheduled rollup: rolled up 7 day(s)" in caplog.text
    assert "the scheduled rollup failed" in caplog.text


def test_a_schedule_of_zero_never_runs():
    schedule = RollupSchedule(0)
    assert not schedule.due(at(TODAY, 0)) and not schedule.due(at(TODAY + timedelta(days=999), 0))
    assert RollupSchedule(60).due(at(TODAY, 0))  # any other runs at start-up



def test_the_server_rolls_up_as_it_starts_and_stops_its_schedule_with_it(help_build, embedder, tmp_path):
    from tests.api.conftest import in_process

    with in_process(help_build[1], tmp_path / "var", embedder) as client:
        rollups = client.app.state.help_center.rollups
        assert rollups.thread.is_alive()
    # Stopping joins the thread, whose first act is a run: by now it has rolled up, whenever it got to it.
    assert not rollups.thread.is_alive()
    assert rollups.summary is not None and not rollups.summary.skipped and rollups.schedule.last is not None


def write_promptly(store, seconds: float = 5.0) -> float:
    """A vote, an event, a search and its click through the store's write queue; how long they took (each fails
    past `seconds`)."""
    reader = Caller(user="cy", tenant="acme")

    async def writes() -> None:
        await asyncio.wait_for(store.vote("create-a-work-order", reader, "tab-cy", True, None), seconds)
        await asyncio.wait_for(store.record_events([Event("article_view", "tab-cy", "create-a-work-order", {})], reader), seconds)
        store.log_search("cy-1", reader, "tab-cy", "boilers", "hybrid", 2, 1.0, [])
        await asyncio.wait_for(store.record_click("cy-1", reader, "tab-cy", "schedule-ppm", 1), seconds)

    began = time.monotonic()
    asyncio.run(writes())
    return time.monotonic() - began


def test_a_rollup_in_progress_holds_up_no_write_and_a_second_one_skips(traffic, monkeypatch):
    inside, release = threading.Event(), threading.Event()
    real = rollup_module._rollup

    def slow(session, *args):  # a long rollup: its work done, its transaction still open
        summary = real(session, *args)
        inside.set()
        release.wait(30)
        return summary

    monkeypatch.setattr(rollup_module, "_rollup", slow)
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(rollup, traffic, TODAY, 3, 5)
        try:
            assert inside.wait(10)
            assert write_promptly(traffic) < 5
            second = pool.submit(rollup, traffic, TODAY, 3, 5).result(timeout=5)
        finally:
            release.set()
        done = first.result(timeout=30)
    assert second.skipped and second.days == [] and second.figures == 0 and set(second.deleted.values()) == {0}
    assert second.describe().startswith("skipped: another rollup of this store is running")
    assert not done.skipped and done.deleted["searches"] == 7  # the old days went, today's new rows stay
    assert raw_days(traffic, "events") == set(RECENT_DAYS)
    for table in ("votes", "events", "searches", "search_clicks"):  # what was written meanwhile is kept
        assert traffic.read(lambda s: s.execute(f"SELECT count(*) FROM {table} WHERE user_id = 'cy'")) == [(1,)], table


def test_on_postgresql_a_rollup_skips_while_another_server_rolls_up_and_writes_go_on(postgres_url, tmp_path):
    store = Store(open_database(tmp_path / "var", postgres_url), clock=FakeClock(at(TODAY, 9)))
    pool = ThreadPoolExecutor(1)
    other = psycopg.connect(postgres_url, autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [ROLLUP_LOCK])  # another server, rolling up
        skipped = pool.submit(rollup, store, TODAY, 3, 5).result(timeout=5)  # asks once, never waits
        assert skipped.skipped and skipped.days == []
        assert write_promptly(store) < 5
        answer = skipped.as_dict()
        assert answer["skipped"] is True and RollupSummary.from_dict(answer) == skipped
        other.execute("SELECT pg_advisory_unlock(%s)", [ROLLUP_LOCK])
        assert not rollup(store, TODAY, 3, 5).skipped
    finally:
        other.close()  # first: a rollup still waiting for the lock (a failing run) gets it and ends
        pool.shutdown()
        store.close()
