"""Daily rollups, and forgetting raw traffic past retention: `python -m api rollup`, and the server
itself every HELP_CENTER_ROLLUP_SECONDS.

The dashboard reads per-day figures (api/analytics.py `daily_metrics`); raw events, searches and
search clicks are needed only to compute them, so after HELP_CENTER_RETENTION_DAYS they go, and
their figures stay in `daily_rollups`. Answers, votes and tickets are records someone may audit
or act on, not traffic: they are never deleted here.

Days are UTC days. The cut-off is a day boundary, so a day's raw rows are kept whole or deleted
whole, and a day is rolled up in the same transaction just before its raw rows are deleted.
A day before the oldest raw row is never computed again: it would come out empty, over its rollups.

A rollup is a transaction of its own, beside the store's write queue, not one of its writes: it may
take minutes, and votes, events and searches must not wait for it. It deletes only rows of past days
and writes only daily_rollups, which no other write touches, so it conflicts with none of them. One
rollup of a store runs at a time: another one asked meanwhile (the schedule and the command, or
another server sharing a PostgreSQL store) is skipped, and says so, rather than waiting its turn.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from .analytics import daily_metrics
from .database import Database, Session
from .store import Store, utc_now

log = logging.getLogger("help_center")

RAW_TABLES = ("events", "searches", "search_clicks")
DEFAULT_DAYS = 3
ROLLUP_LOCK = 72_817_002  # PostgreSQL: several servers sharing a store take turns (api/database.py has 72_817_001)


@dataclass(frozen=True)
class RollupSummary:
    today: date
    days: list[date]  # the days whose figures were computed, oldest first
    figures: int  # rows written to daily_rollups
    deleted_before: date  # raw rows of earlier days were deleted
    deleted: dict[str, int]  # raw rows deleted, by table
    skipped: bool = False  # another rollup of the store was running: this one did nothing

    @classmethod
    def nothing(cls, today: date, retention_days: int) -> RollupSummary:
        """A skipped run's summary: no day computed, no row deleted."""
        return cls(today, [], 0, today - timedelta(days=retention_days), dict.fromkeys(RAW_TABLES, 0), skipped=True)

    def as_dict(self) -> dict:
        return {"today": self.today.isoformat(), "days": [d.isoformat() for d in self.days], "figures": self.figures,
                "deleted_before": self.deleted_before.isoformat(), "deleted": self.deleted, "skipped": self.skipped}

    @classmethod
    def from_dict(cls, data: dict) -> RollupSummary:
        """The summary as_dict gave, read back (from the server's answer; a server before `skipped` never skipped)."""
        return cls(date.fromisoformat(data["today"]), [date.fromisoformat(d) for d in data["days"]], data["figures"],
                   date.fromisoformat(data["deleted_before"]), data["deleted"], bool(data.get("skipped", False)))

    def describe(self) -> str:
        if self.skipped:
            return ("skipped: another rollup of this store is running (this server's schedule, a command, or another "
                    "server sharing it); it does the same work, nothing was computed or deleted by this one")
        deleted = ", ".join(f"{n} {table}" for table, n in self.deleted.items())
        return (f"rolled up {_periods(self.days)}: {self.figures} daily figures written\n"
                f"deleted raw rows from before {self.deleted_before}: {deleted}")


def rollup(target: Store | Database, today: date, days: int = DEFAULT_DAYS, retention_days: int = 400) -> RollupSummary:
    """Recompute the figures of the `days` days before `today` and delete raw rows older than
    `retention_days` days, all in one transaction; running it again gives the same rollups.

    Today is left out: the dashboard takes a rolled-up day's figures over its raw rows, and today's
    are still growing (it is rolled up tomorrow). Days already rolled up are computed again, so
    what arrived late (a ticket just after midnight that follows yesterday's help) is counted.

    The transaction is the rollup's own, outside a Store's write queue (blocking: call it from a
    worker thread). While another rollup of the store runs, it does nothing and says it skipped."""
    if days < 1 or retention_days < 0:
        raise ValueError("days must be 1 or more, retention_days 0 or more")
    database = target.database if isinstance(target, Store) else target
    with _only_one(database) as ours:
        if not ours:
            return RollupSummary.nothing(today, retention_days)
        with database.transaction() as session:
            # Try, never wait: waiting would hold a connection for as long as another server's rollup runs, and
            # that one does the same work anyway. The lock goes with the transaction, so a crash cannot leave it held.
            if database.kind == "postgresql" and not session.execute("SELECT pg_try_advisory_xact_lock(?)", [ROLLUP_LOCK])[0][0]:
                return RollupSummary.nothing(today, retention_days)
            return _rollup(session, today, days, retention_days)


_running_guard = threading.Lock()
_running: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # database -> its rollup's lock, in this process


@contextlib.contextmanager
def _only_one(database: Database) -> Iterator[bool]:
    """Whether this thread may roll up `database` now (held until the block ends). DuckDB has no advisory lock,
    and two of its transactions upserting the same daily_rollups rows would fail one another; one DuckDB file is
    opened by one process only, so a lock of this process is enough. (PostgreSQL's lock would also do here.)"""
    with _running_guard:
        lock = _running.setdefault(database, threading.Lock())
    if not lock.acquire(blocking=False):
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def _rollup(session: Session, today: date, days: int, retention_days: int) -> RollupSummary:
    cutoff = today - timedelta(days=retention_days)
    oldest = _oldest_raw_day(session)
    if oldest is None:
        computed = []
    else:
        # Days about to lose their raw rows are rolled up first, from rows that are still there. Days before
        # the oldest raw row never are: their raw rows are gone (their rollups must stay), or never were.
        computed = _day_range(oldest, cutoff - timedelta(days=1))
        computed += _day_range(max(today - timedelta(days=days), cutoff, oldest), today - timedelta(days=1))
    figures = sum(_upsert(session, start, end) for start, end in _spans(computed))
    deleted = {table: _delete_before(session, table, _midnight(cutoff)) for table in RAW_TABLES}
    return RollupSummary(today, computed, figures, cutoff, deleted)


def _upsert(session: Session, first: date, last: date) -> int:
    rows = daily_metrics(session, first, last)
    session.executemany("INSERT INTO daily_rollups VALUES (?, ?, ?, ?) ON CONFLICT (tenant, day, metric) "
                        "DO UPDATE SET value = excluded.value", rows)
    return len(rows)


def _oldest_raw_day(session: Session) -> date | None:
    union = " UNION ALL ".join(f"SELECT min(created_at) FROM {table}" for table in RAW_TABLES)
    found = [r[0] for r in session.execute(union) if r[0] is not None]
    return min(_utc(at).date() for at in found) if found else None


def _delete_before(session: Session, table: str, before: datetime) -> int:
    count = session.execute(f"SELECT count(*) FROM {table} WHERE created_at < ?", [before])[0][0]
    if count:
        session.execute(f"DELETE FROM {table} WHERE created_at < ?", [before])
    return int(count)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def _utc(at: datetime) -> datetime:
    return at.astimezone(timezone.utc) if at.tzinfo else at.replace(tzinfo=timezone.utc)


def _day_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _spans(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive days as (first, last) pairs: one daily_metrics call per run of days."""
    spans: list[tuple[date, date]] = []
    for day in days:
        if spans and spans[-1][1] + timedelta(days=1) == day:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def _periods(days: list[date]) -> str:
    spans = [f"{a}" if a == b else f"{a} to {b}" for a, b in _spans(days)]
    return f"{len(days)} day(s)" + (f" ({', '.join(spans)})" if spans else "")


class RollupSchedule:
    """When the server rolls up: at start-up, then every `every` seconds; never when `every` is 0."""

    def __init__(self, every: float):
        self.every = every
        self.last: datetime | None = None

    def due(self, now: datetime) -> bool:
        return bool(self.every) and (self.last is None or (now - self.last).total_seconds() >= self.every)

    def seconds_until_due(self, now: datetime) -> float:
        if self.last is None:
            return 0.0
        return max(self.every - (now - self.last).total_seconds(), 0.0)


class BackgroundRollup:
    """The server's own rollup, in a thread: while the server holds the DuckDB file, no cron job can."""

    def __init__(self, store: Store, every: float, retention_days: int, clock: Callable[[], datetime] = utc_now):
        self.store = store
        self.schedule = RollupSchedule(every)
        self.retention_days = retention_days
        self.clock = clock
        self.summary: RollupSummary | None = None  # the last run's, once one has finished
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="rollup", daemon=True)

    def tick(self) -> RollupSummary | None:
        """Roll up if it is due; a failure is logged and retried a period later, never raised."""
        now = self.clock()
        if not self.schedule.due(now):
            return None
        self.schedule.last = now  # a failing rollup waits a period too, rather than retrying in a loop
        try:
            summary = rollup(self.store, _utc(now).date(), DEFAULT_DAYS, self.retention_days)
        except Exception:
            log.exception("the scheduled rollup failed; the server goes on and tries again in %g s", self.schedule.every)
            return None
        log.info("scheduled rollup: %s", summary.describe().replace("\n", "; "))
        self.summary = summary
        return summary

    def start(self) -> None:
        if self.schedule.every:
            self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join()

    def _run(self) -> None:
        while True:
            self.tick()
            if self.stopping.wait(self.schedule.seconds_until_due(self.clock())):
                return
