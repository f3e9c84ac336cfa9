"""The store's one writer commits in batches and never stops: a reader who leaves, a write that fails or a store that
is down is answered, and everything else is still committed."""

from __future__ import annotations

import threading
import time
from concurrent.futures import CancelledError

import pytest

from api.database import StoreError, open_database
from api.errors import NotFound
from api.write_queue import WriteQueue


@pytest.fixture
def database(tmp_path):
    db = open_database(tmp_path / "var", None)
    with db.transaction() as s:
        s.execute("CREATE TABLE notes (n INTEGER PRIMARY KEY)")
    yield db
    db.close()


def hold(writes: WriteQueue) -> threading.Event:
    """Keeps the writer busy until the returned event is set, so the next writes queue up into one batch."""
    release, started = threading.Event(), threading.Event()
    writes.submit(lambda s: (started.set(), release.wait(10)))
    started.wait(10)
    return release


def insert(n: int):
    def write(s):
        s.execute("INSERT INTO notes VALUES (?)", [n])
        return n

    return write


def stored(database) -> list[int]:
    with database.transaction() as s:
        return [r[0] for r in s.execute("SELECT n FROM notes ORDER BY n")]


def test_a_write_whose_reader_left_is_dropped_and_the_writer_goes_on(database):
    writes = WriteQueue(database)
    release = hold(writes)
    gone, kept = writes.submit(insert(1)), writes.submit(insert(2))
    assert gone.cancel()
    release.set()
    assert kept.result(10) == 2 and writes.submit(insert(3)).result(10) == 3
    with pytest.raises(CancelledError):
        gone.result()
    assert stored(database) == [2, 3]
    writes.close()


def test_a_failing_write_is_answered_with_its_error_and_the_rest_of_its_batch_is_committed(database):
    writes = WriteQueue(database)
    release = hold(writes)

    def refused(s):
        raise NotFound("no such thing")

    futures = [writes.submit(insert(1)), writes.submit(refused), writes.submit(insert(1)), writes.submit(insert(2))]
    release.set()
    assert futures[0].result(10) == 1 and futures[3].result(10) == 2
    with pytest.raises(NotFound):
        futures[1].result(10)
    with pytest.raises(StoreError, match="nothing was kept"):
        futures[2].result(10)  # a duplicate key: the database refused it
    assert stored(database) == [1, 2]
    writes.close()


def test_when_the_queue_is_full_a_write_is_refused_at_once(database):
    writes = WriteQueue(database, max_pending=2)
    release = hold(writes)
    waiting = [writes.submit(insert(n)) for n in (1, 2)]
    with pytest.raises(StoreError, match="too far behind"):
        writes.submit(insert(3)).result(0)
    release.set()
    assert [f.result(10) for f in waiting] == [1, 2]
    writes.close()


def test_closing_commits_what_is_queued_and_refuses_what_comes_after(database):
    writes = WriteQueue(database)
    release = hold(writes)
    queued = writes.submit(insert(1))
    closer = threading.Thread(target=writes.close)
    closer.start()
    release.set()
    closer.join(10)
    assert queued.result(0) == 1 and stored(database) == [1]
    with pytest.raises(StoreError, match="closed"):
        writes.submit(insert(2)).result(0)


def test_a_postgresql_server_that_is_gone_fails_a_whole_batch_at_once(tmp_path):
    from tests.postgres import PostgresServer

    server = PostgresServer.start_new()  # its own: this test stops it
    try:
        database = open_database(tmp_path / "var", server.create_database("gone"))
        writes = WriteQueue(database)
        release = hold(writes)
        futures = [writes.submit(lambda s: s.execute("SELECT 1")) for _ in range(10)]
        server.stop()
        started = time.monotonic()
        release.set()
        for future in futures:
            with pytest.raises(StoreError):
                future.result(60)
        # One wait for a connection (3 s) for the batch, not one per write (30 s).
        assert time.monotonic() - started < 15
        writes.close()
        database.close()
    finally:
        server.close()


def test_a_bad_postgresql_url_or_an_unreachable_server_is_named_without_its_password(tmp_path, caplog, postgres):
    with pytest.raises(StoreError, match="not a PostgreSQL URL") as bad:
        open_database(tmp_path, "postgresql://bob:s3cretPW@[bad/db")
    assert "s3cretPW" not in str(bad.value)
    with pytest.raises(StoreError, match=r"cannot connect to the PostgreSQL store at 127\.0\.0\.1:9/db") as refused:
        open_database(tmp_path, "postgresql://bob:s3cretPW@127.0.0.1:9/db")
    assert "s3cretPW" not in str(refused.value) + caplog.text
    wrong = postgres.url().replace("postgres@", "postgres:s3cretPW@").rsplit("/", 1)[0] + "/no_such_db"
    with pytest.raises(StoreError, match="no_such_db") as missing:
        open_database(tmp_path, wrong)
    assert "s3cretPW" not in str(missing.value) + caplog.text
