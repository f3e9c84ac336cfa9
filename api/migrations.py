"""The store's schema, moved forward by numbered migrations; each runs once, in order, in one transaction.

The SQL is written once for both databases (DuckDB and PostgreSQL speak the same dialect for
these statements); a migration given as {kind: sql} runs only on the databases it names. `tenant` is '' for readers of no tenant, so it can be part of a key; it always
comes from the verified token or the webhook's configuration, never from a request body.
"""

from __future__ import annotations

MIGRATIONS = [
    # 1: the assistant's answers, their feedback, and the questions it could not answer.
    """
    CREATE TABLE answers (
        answer_id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL,
        build_id TEXT NOT NULL, user_id TEXT, tenant TEXT, question TEXT NOT NULL, search_query TEXT NOT NULL,
        current_url TEXT, answer TEXT NOT NULL, mode TEXT NOT NULL, answered BOOLEAN NOT NULL,
        sources TEXT NOT NULL, citations TEXT NOT NULL, error TEXT
    );
    CREATE TABLE answer_feedback (
        answer_id TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, helpful BOOLEAN NOT NULL, comment TEXT
    );
    CREATE TABLE content_gaps (
        created_at TIMESTAMPTZ NOT NULL, question TEXT NOT NULL, search_query TEXT NOT NULL,
        answer_id TEXT NOT NULL, build_id TEXT NOT NULL, confidence DOUBLE PRECISION, closest TEXT NOT NULL
    );
    """,
    # 2: conversations live in the store (any process can answer a follow-up); votes, events,
    # searches and their clicks, support tickets, and the daily rollups the dashboard reads.
    """
    ALTER TABLE answers ADD COLUMN roles TEXT;
    ALTER TABLE answers ADD COLUMN session_id TEXT;
    CREATE INDEX answers_by_conversation ON answers (conversation_id);
    CREATE TABLE votes (
        tenant TEXT NOT NULL, article_id TEXT NOT NULL, reader TEXT NOT NULL, user_id TEXT, session_id TEXT,
        helpful BOOLEAN NOT NULL, comment TEXT, created_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant, article_id, reader)
    );
    CREATE TABLE events (
        created_at TIMESTAMPTZ NOT NULL, tenant TEXT NOT NULL, user_id TEXT, session_id TEXT NOT NULL,
        type TEXT NOT NULL, subject TEXT, data TEXT NOT NULL
    );
    CREATE TABLE searches (
        search_id TEXT PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL, tenant TEXT NOT NULL, user_id TEXT,
        session_id TEXT, query TEXT NOT NULL, mode TEXT NOT NULL, results INTEGER NOT NULL,
        latency_ms DOUBLE PRECISION NOT NULL, top_ids TEXT NOT NULL
    );
    CREATE TABLE search_clicks (
        search_id TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL, tenant TEXT NOT NULL, user_id TEXT,
        session_id TEXT, article_id TEXT NOT NULL, rank INTEGER NOT NULL
    );
    CREATE TABLE tickets (
        ticket_id TEXT NOT NULL, event TEXT NOT NULL, tenant TEXT NOT NULL, user_id TEXT,
        session_id TEXT, subject TEXT NOT NULL, body TEXT NOT NULL, occurred_at TIMESTAMPTZ NOT NULL,
        received_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (ticket_id, event, tenant)
    );
    CREATE TABLE daily_rollups (
        tenant TEXT NOT NULL, day DATE NOT NULL, metric TEXT NOT NULL, value DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (tenant, day, metric)
    );
    """,
    # 3: PostgreSQL plans the dashboard's "what did this reader do in the 30 minutes before" joins with
    # these; DuckDB scans its columns faster than it would maintain the indexes on every insert.
    {"postgresql": """
    CREATE INDEX events_by_time ON events (tenant, created_at);
    CREATE INDEX searches_by_time ON searches (tenant, created_at);
    CREATE INDEX clicks_by_search ON search_clicks (search_id);
    CREATE INDEX events_by_user ON events (tenant, user_id, created_at);
    CREATE INDEX events_by_session ON events (tenant, session_id, created_at);
    CREATE INDEX searches_by_user ON searches (tenant, user_id, created_at);
    CREATE INDEX searches_by_session ON searches (tenant, session_id, created_at);
    CREATE INDEX answers_by_user ON answers (user_id, created_at);
    CREATE INDEX answers_by_session ON answers (session_id, created_at);
    CREATE INDEX tickets_by_time ON tickets (tenant, event, occurred_at);
    """},
]
