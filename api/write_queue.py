"""The store's one writer: writes are queued and committed in small batches by one thread.

A caller gets its result (and the request its 2xx) only once the batch holding its write is
committed, so an acknowledged write survives a crash. Batching makes a busy minute cost one
commit per batch instead of one per request. A write that fails does not fail its batch: the
batch is rolled back and its writes retried one by one, so only the faulty one reports an error.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from .database import Database, Session, StoreError
from .errors import ApiError

log = logging.getLogger("help_center")

Write = Callable[[Session], Any]
STOP = object()


class WriteQueue:
    def __init__(self, database: Database, max_batch: int = 256):
        self.database = database
        self.max_batch = max_batch
        self.pending: queue.SimpleQueue = queue.SimpleQueue()
        self.batches = 0  # committed batches, for benchmarks and tests
        self.thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self.thread.start()

    def submit(self, write: Write) -> Future:
        future: Future = Future()
        if not self.thread.is_alive():
            future.set_exception(RuntimeError("the store is closed"))
            return future
        self.pending.put((write, future))
        return future

    async def write(self, write: Write) -> Any:
        """Queue `write` and wait until it is committed; its return value, or its exception."""
        return await asyncio.wrap_future(self.submit(write))

    def write_now(self, write: Write) -> Any:
        """The same, for code outside the event loop (commands, tests)."""
        return self.submit(write).result()

    def flush(self) -> None:
        """Wait until every write queued so far is committed (writes are committed in order)."""
        self.write_now(lambda session: None)

    def close(self) -> None:
        """Commit what is queued, then stop."""
        if self.thread.is_alive():
            self.pending.put(STOP)
            self.thread.join()

    def _run(self) -> None:
        while True:
            batch, stop = self._next_batch()
            if batch:
                self._commit(batch)
            if stop:
                return

    def _next_batch(self) -> tuple[list[tuple[Write, Future]], bool]:
        item = self.pending.get()
        batch = []
        while item is not STOP:
            batch.append(item)
            if len(batch) >= self.max_batch:
                return batch, False
            try:
                item = self.pending.get_nowait()
            except queue.Empty:
                return batch, False
        return batch, True

    def _commit(self, batch: list[tuple[Write, Future]]) -> None:
        if len(batch) == 1:
            self._settle_alone(batch[0])
            return
        try:
            with self.database.transaction() as session:
                results = [write(session) for write, _ in batch]
        except Exception:
            for item in batch:
                self._settle_alone(item)
            return
        self.batches += 1
        for (_, future), result in zip(batch, results):
            future.set_result(result)

    def _settle_alone(self, item: tuple[Write, Future]) -> None:
        write, future = item
        try:
            with self.database.transaction() as session:
                result = write(session)
        except ApiError as exc:  # a refused write (404, 400) is the caller's answer, not a fault
            future.set_exception(exc)
            return
        except Exception as exc:
            log.exception("a write to the store failed")
            future.set_exception(StoreError(f"the store could not save this, nothing was kept: {type(exc).__name__}"))
            return
        self.batches += 1
        future.set_result(result)
