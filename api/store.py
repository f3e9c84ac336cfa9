"""What users send, kept in an embedded DuckDB database under HELP_CENTER_DATA, apart from builds.

The API process is its only writer. Every write is its own committed transaction, and a
request is answered only after its write returned, so an acknowledged write survives a
crash. The schema moves forward through numbered migrations.
"""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from .errors import NotFound
from .tokens import Caller

DATABASE = "help_center.duckdb"

MIGRATIONS = [
    # 1: the assistant's answers, their feedback, and the questions it could not answer.
    """
    CREATE TABLE answers (
        answer_id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL,
        build_id TEXT NOT NULL, user_id TEXT, tenant TEXT, question TEXT NOT NULL, search_query TEXT NOT NULL,
        current_url TEXT, answer TEXT NOT NULL, mode TEXT NOT NULL, answered BOOLEAN NOT NULL,
        sources JSON NOT NULL, citations JSON NOT NULL, error TEXT
    );
    CREATE TABLE answer_feedback (
        answer_id TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, helpful BOOLEAN NOT NULL, comment TEXT
    );
    CREATE TABLE content_gaps (
        created_at TIMESTAMPTZ NOT NULL, question TEXT NOT NULL, search_query TEXT NOT NULL,
        answer_id TEXT NOT NULL, build_id TEXT NOT NULL, confidence DOUBLE, closest JSON NOT NULL
    );
    """,
]


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


def new_id() -> str:
    return uuid.uuid4().hex


def now() -> datetime:
    return datetime.now(timezone.utc)


class Store:
    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / DATABASE
        self.db = duckdb.connect(str(self.path))
        self.lock = threading.Lock()
        self._migrate()

    def _migrate(self) -> None:
        with self.lock:
            self.db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL)")
            current = self.db.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
            for version, sql in enumerate(MIGRATIONS[current:], start=current + 1):
                self.db.execute("BEGIN")
                self.db.execute(sql)
                self.db.execute("INSERT INTO schema_version VALUES (?, ?)", [version, now()])
                self.db.execute("COMMIT")

    def record_answer(self, record: AnswerRecord) -> None:
        """The answer, and for a declined question a content gap, in one transaction."""
        with self.lock, self._transaction():
            self.db.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [record.answer_id, record.conversation_id, now(), record.build_id, record.user_id, record.tenant,
                 record.question, record.search_query, record.current_url, record.answer, record.mode, record.answered,
                 json.dumps(record.sources), json.dumps(record.citations), record.error])
            if not record.answered and record.error is None and record.gap:
                self.db.execute("INSERT INTO content_gaps VALUES (?, ?, ?, ?, ?, ?, ?)",
                                [now(), record.question, record.search_query, record.answer_id, record.build_id,
                                 record.confidence, json.dumps([s["id"] for s in record.sources])])

    @contextlib.contextmanager
    def _transaction(self):
        """BEGIN ... COMMIT, or ROLLBACK on any error so the shared connection stays usable."""
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def record_feedback(self, answer_id: str, caller: Caller, helpful: bool, comment: str | None) -> None:
        """Feedback on an answer from the caller it was given to; anyone else is told it does not exist."""
        with self.lock:
            asked_by = self.db.execute("SELECT user_id, tenant FROM answers WHERE answer_id = ?", [answer_id]).fetchone()
            if asked_by is None or asked_by != (caller.user, caller.tenant):
                raise NotFound(f"no answer '{answer_id}'")
            self.db.execute("INSERT INTO answer_feedback VALUES (?, ?, ?, ?)", [answer_id, now(), helpful, comment])

    def close(self) -> None:
        with self.lock:
            self.db.close()
