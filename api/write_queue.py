"""The store's one writer: writes are queued and committed in small batches by one thread.

A caller gets its result (and the request its 2xx) only once the batch holding its write is
committed, so an acknowledged write survives a crash. Batching makes a busy minute cost one
commit per batch instead of one per request. A write that fails does not fail its batch: the
batch is rolled back and run again without it, so only the faulty one reports an error.
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
MAX_PENDING = 20_000  # writes waiting: past this the store is not keeping up, and callers hear so at once


class WriteFailed(Exception):
    """One write of a batch raised: that write is the culprit, the rest of its batch is sound."""

    def __init__(self, position: int, error: Exception):
        super().__init__(str(error))
        self.position, self.error = position, error


class WriteQueue:
    def __init__(self, database: Database, max_batch: int = 256, max_pending: int = MAX_PENDING):
        self.database = database
        self.max_batch = max_batch
        self.pending: queue.Queue = queue.Queue(max_pending)
        self.closed = False
        self.closing = threading.Lock()  # no write slips in after close() queued its STOP
        self.thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self.thread.start()

    def submit(self, write: Write) -> Future:
        """Queue `write`; its future fails at once when the store is closed or too far behind."""
        future: Future = Future()
        with self.closing:
            try:
                if self.closed:
                    raise StoreError("the store is closed")
                self.pending.put_nowait((write, future))
            except queue.Full:
                future.set_exception(StoreError("the store is too far behind to take this now, nothing was kept"))
            except StoreError as exc:
                future.set_exception(exc)
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
        with self.closing:
            if self.closed:
                return
            self.closed = True
        self.pending.put(STOP)
        self.thread.join()

    def _run(self) -> None:
        while True:
            batch, stop = self._next_batch()
            try:
                self._commit(batch)
            except Exception as exc:  # the writer must outlive any surprise, or every later write would hang
                log.exception("the store's writer failed a batch")
                for _, future in batch:
                    _settle(future, error=StoreError(f"the store could not save this, nothing was kept: {type(exc).__name__}"))
            if stop:
                return

    def _next_batch(self) -> tuple[list[tuple[Write, Future]], bool]:
        batch: list[tuple[Write, Future]] = []
        item = self.pending.get()
        while item is not STOP:
            # A request that went away (the reader closed the tab) cancelled its future: its write is dropped.
            if item[1].set_running_or_notify_cancel():
                batch.append(item)
            if len(batch) >= self.max_batch:
                return batch, False
            try:
                item = self.pending.get_nowait()
            except queue.Empty:
                return batch, False
        return batch, True

    def _commit(self, batch: list[tuple[Write, Future]]) -> None:
        """One transaction for the batch. A write that raises is answered with its error and the batch runs again
        without it; a failure of the store itself (no connection, a failed commit) fails the whole batch at once."""
        while batch:
            try:
                with self.database.transaction(writer=True) as session:
                    results = [_run_one(position, write, session) for position, (write, _) in enumerate(batch)]
            except WriteFailed as failed:
                _settle(batch[failed.position][1], error=_answer(failed.error))
                batch = batch[:failed.position] + batch[failed.position + 1:]
                continue
            except Exception as exc:
                log.error("the store could not commit %d write(s): %s", len(batch), type(exc).__name__)
                for _, future in batch:
                    _settle(future, error=StoreError(f"the store could not save this, nothing was kept: {type(exc).__name__}"))
                return
            for (_, future), result in zip(batch, results):
                _settle(future, result=result)
            return


def _run_one(position: int, write: Write, session: Session) -> Any:
    try:
        return write(session)
    except Exception as exc:
        raise WriteFailed(position, exc) from exc


def _answer(error: Exception) -> Exception:
    """What the caller of a failed write hears: its own refusal (404, 400), or that nothing was kept."""
    if isinstance(error, ApiError):
        return error
    log.error("a write to the store failed: %s: %s", type(error).__name__, error)
    return StoreError(f"the store could not save this, nothing was kept: {type(error).__name__}")


def _settle(future: Future, result: Any = None, error: Exception | None = None) -> None:
    if future.done():  # cancelled meanwhile: nobody is waiting for it
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
