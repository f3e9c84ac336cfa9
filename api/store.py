"""What users send (answers and their feedback, conversations, votes, events, searches, clicks,
tickets), kept apart from builds in DuckDB or PostgreSQL (api/database.py).

Every write goes through the one write queue and is acknowledged once committed. Free text
a reader or a support desk typed is redacted (api/redaction.py) here, the one way into the store.
The tenant of every row comes from the verified caller or the webhook's configuration.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from site_builder.output import normalize_query

from .database import Database, Session, StoreError
from .errors import ApiError, NotFound
from .event_types import Event
from .redaction import redact
from .tokens import Caller
from .write_queue import WriteQueue

log = logging.getLogger("help_center")


@dataclass
class AnswerRecord:
    answer_id: str
    conversation_id: str
    build_id: str
    question: str
    search_query: str
    answer: str
    mode: str
    answered: bool
    sources: list[dict]
    citations: list[dict]
    user_id: str | None = None
    tenant: str | None = None
    current_url: str | None = None
    error: str | None = None
    confidence: float | None = None
    gap: bool = True  # a decline that points at missing content (not one caused by the model failing)
    roles: str = ""  # the asker's roles, sorted: earlier answers may quote what only they could read
    session_id: str | None = None


@dataclass(frozen=True)
class Turn:
    question: str
    search_query: str
    answer: str


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    event: str  # created or resolved
    subject: str
    body: str
    occurred_at: datetime
    user_id: str | None = None
    session_id: str | None = None


def new_id() -> str:
    return uuid.uuid4().hex


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def tenant_of(caller: Caller) -> str:
    return caller.tenant or ""


def roles_of(caller: Caller) -> str:
    return ",".join(sorted(caller.roles))


def reader_of(caller: Caller, session_id: str | None) -> str | None:
    """Who a vote belongs to: the user a token names, else the browser session."""
    if caller.user is not None:
        return f"user:{caller.user}"
    return f"session:{session_id}" if session_id else None


class Store:
    def __init__(self, database: Database, clock: Callable[[], datetime] = utc_now):
        self.database = database
        self.clock = clock  # tests pass a fake one
        self.queue = WriteQueue(database)

    def read(self, query: Callable[[Session], Any]) -> Any:
        """Run `query` in a transaction of its own (blocking: call it from a worker thread)."""
        try:
            with self.database.transaction() as session:
                return query(session)
        except ApiError:
            raise
        except Exception as exc:
            log.exception("reading the store failed")
            raise StoreError(f"the store cannot be read just now: {type(exc).__name__}") from None

    async def record_answer(self, record: AnswerRecord) -> None:
        """The answer (one turn of its conversation) and, for a declined question, a content gap."""
        await self.queue.write(lambda s: self._insert_answer(s, record))

    def _insert_answer(self, s: Session, r: AnswerRecord) -> None:
        at = self.clock()
        s.execute("INSERT INTO answers (answer_id, conversation_id, created_at, build_id, user_id, tenant, question, "
                  "search_query, current_url, answer, mode, answered, sources, citations, error, roles, session_id) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  [r.answer_id, r.conversation_id, at, r.build_id, r.user_id, r.tenant, redact(r.question),
                   redact(r.search_query), r.current_url, r.answer, r.mode, r.answered, json.dumps(r.sources),
                   json.dumps(r.citations), r.error, r.roles, r.session_id])
        if not r.answered and r.error is None and r.gap:
            s.execute("INSERT INTO content_gaps VALUES (?, ?, ?, ?, ?, ?, ?)",
                      [at, redact(r.question), redact(r.search_query), r.answer_id, r.build_id, r.confidence,
                       json.dumps([source["id"] for source in r.sources])])

    def conversation(self, conversation_id: str, caller: Caller, turns: int, ttl_seconds: float) -> list[Turn] | None:
        """The last `turns` turns, oldest first; None for a conversation not this caller's, or idle past `ttl_seconds`."""
        rows = self.read(lambda s: s.execute(
            "SELECT question, search_query, answer, user_id, tenant, roles, created_at FROM answers "
            "WHERE conversation_id = ? AND error IS NULL ORDER BY created_at DESC LIMIT ?", [conversation_id, turns]))
        if not rows:
            return None
        if any((r[3], r[4], r[5] or "") != (caller.user, caller.tenant, roles_of(caller)) for r in rows):
            return None
        if (self.clock() - _aware(rows[0][6])).total_seconds() > ttl_seconds:
            return None
        return [Turn(r[0], r[1], r[2]) for r in reversed(rows)]

    async def record_feedback(self, answer_id: str, caller: Caller, helpful: bool, comment: str | None) -> None:
        """Feedback on an answer from the caller it was given to; anyone else is told it does not exist."""
        row = [answer_id, self.clock(), helpful, _redacted(comment), answer_id, caller.user, caller.tenant]
        # A refusal decided inside the write would roll back the whole batch: it is decided from what the write returns.
        stored = await self.queue.write(lambda s: s.execute(
            "INSERT INTO answer_feedback SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM answers WHERE answer_id = ? "
            "AND user_id IS NOT DISTINCT FROM ? AND tenant IS NOT DISTINCT FROM ?) RETURNING 1", row))
        if not stored:
            raise NotFound(f"no answer '{answer_id}'")

    async def vote(self, article_id: str, caller: Caller, session_id: str | None, helpful: bool,
                   comment: str | None) -> dict:
        """One vote per reader per article: a second one replaces the first. Returns the article's counts."""
        reader, tenant, at = reader_of(caller, session_id), tenant_of(caller), self.clock()

        def write(s: Session) -> dict:
            s.execute("INSERT INTO votes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, article_id, reader) "
                      "DO UPDATE SET helpful = excluded.helpful, comment = excluded.comment, updated_at = excluded.updated_at",
                      [tenant, article_id, reader, caller.user, session_id, helpful, _redacted(comment), at, at])
            return _vote_counts(s, tenant, article_id)

        return await self.queue.write(write)

    def vote_counts(self, article_id: str, caller: Caller) -> dict:
        return self.read(lambda s: _vote_counts(s, tenant_of(caller), article_id))

    def vote_totals(self) -> dict[tuple[str, str], tuple[int, int]]:
        """Helpful and unhelpful votes per (tenant, article): what ranking's quality term reads."""
        rows = self.read(lambda s: s.execute(
            "SELECT tenant, article_id, count(*) FILTER (WHERE helpful), count(*) FILTER (WHERE NOT helpful) "
            "FROM votes GROUP BY tenant, article_id"))
        return {(r[0], r[1]): (int(r[2]), int(r[3])) for r in rows}

    async def record_events(self, events: list[Event], caller: Caller) -> int:
        at, tenant = self.clock(), tenant_of(caller)
        rows = [(at, tenant, caller.user, e.session_id, e.type, e.subject, json.dumps(e.data)) for e in events]
        await self.queue.write(lambda s: s.insert_rows("events", rows))
        return len(rows)

    def log_search(self, search_id: str, caller: Caller, session_id: str | None, query: str, mode: str, results: int,
                   latency_ms: float, top_ids: list[str]) -> None:
        """Queued, not awaited: a search is not something the reader sent to be kept, and must stay fast."""
        row = [search_id, self.clock(), tenant_of(caller), caller.user, session_id, redact(normalize_query(query)), mode,
               results, latency_ms, json.dumps(top_ids)]
        self.queue.submit(lambda s: s.execute("INSERT INTO searches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row))

    async def record_click(self, search_id: str, caller: Caller, session_id: str | None, article_id: str, rank: int) -> None:
        """A result opened from a search of the caller's own tenant (another tenant's search id is unknown here)."""
        tenant = tenant_of(caller)
        row = [search_id, self.clock(), tenant, caller.user, session_id, article_id, rank, search_id, tenant]
        stored = await self.queue.write(lambda s: s.execute(
            "INSERT INTO search_clicks SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS "
            "(SELECT 1 FROM searches WHERE search_id = ? AND tenant = ?) RETURNING 1", row))
        if not stored:
            raise NotFound(f"no search '{search_id}'")

    async def record_ticket(self, ticket: Ticket, tenant: str) -> bool:
        """Stores a ticket event once (a replayed delivery changes nothing, even when two servers get it at once);
        returns whether it was new."""
        row = [ticket.ticket_id, ticket.event, tenant, ticket.user_id, ticket.session_id,
               redact(ticket.subject), redact(ticket.body), ticket.occurred_at, self.clock()]
        stored = await self.queue.write(lambda s: s.execute(
            "INSERT INTO tickets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id, event, tenant) DO NOTHING "
            "RETURNING 1", row))
        return bool(stored)

    def close(self) -> None:
        self.queue.close()
        self.database.close()


def _vote_counts(s: Session, tenant: str, article_id: str) -> dict:
    row = s.execute("SELECT count(*) FILTER (WHERE helpful), count(*) FILTER (WHERE NOT helpful) FROM votes "
                    "WHERE tenant = ? AND article_id = ?", [tenant, article_id])[0]
    return {"helpful": int(row[0]), "not_helpful": int(row[1])}


def _redacted(text: str | None) -> str | None:
    return None if text is None else redact(text)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)
