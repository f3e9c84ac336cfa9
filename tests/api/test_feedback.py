"""Readers vote on articles, the site and widgets send events, searches and their clicks are recorded, and the
support desk's ticket webhook is signed: each stored once committed, in DuckDB and in PostgreSQL alike."""

from __future__ import annotations

import json
import os

import duckdb
import httpx
import pytest

from api.webhooks import signature
from tests.api.conftest import CANARY, SECRET, Server, in_process, on_either_store, token

WEBHOOK_SECRET = "desk-webhook-secret"


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def center(request, help_build, embedder, tmp_path_factory):
    """A help center whose store is DuckDB or a PostgreSQL database on the server the tests started."""
    with on_either_store(request, help_build[1], tmp_path_factory.mktemp("var"), embedder, "feedback",
                         HELP_CENTER_WEBHOOK_SECRET=WEBHOOK_SECRET, HELP_CENTER_WEBHOOK_TENANT="acme") as client:
        yield client


def rows(client, sql: str, params=()) -> list[tuple]:
    store = client.app.state.help_center.store
    store.queue.flush()  # searches are logged without being awaited
    return store.read(lambda s: s.execute(sql, params))


def test_a_reader_votes_changes_their_mind_and_the_article_shows_the_counts(center):
    ana, bob = token([], user="ana"), token([], user="bob")
    first = center.post("/api/v1/articles/schedule-ppm/votes", json={"helpful": True}, headers=ana)
    assert first.status_code == 201 and first.json()["votes"] == {"helpful": 1, "not_helpful": 0}
    center.post("/api/v1/articles/schedule-ppm/votes", json={"helpful": True}, headers=bob).raise_for_status()
    changed = center.post("/api/v1/articles/schedule-ppm/votes", json={"helpful": False, "comment": "Too vague"}, headers=ana)
    assert changed.json()["votes"] == {"helpful": 1, "not_helpful": 1}
    assert center.get("/api/v1/articles/schedule-ppm", headers=ana).json()["votes"] == {"helpful": 1, "not_helpful": 1}
    assert center.get("/api/v1/articles/schedule-ppm", headers=token([], tenant="other")).json()["votes"] == \
        {"helpful": 0, "not_helpful": 0}


def test_anonymous_readers_vote_once_per_session(center):
    for session in ("tab-1", "tab-1", "tab-2"):
        center.post("/api/v1/articles/assign-a-work-order/votes", json={"helpful": True, "session_id": session}).raise_for_status()
    assert center.get("/api/v1/articles/assign-a-work-order").json()["votes"] == {"helpful": 2, "not_helpful": 0}
    missing = center.post("/api/v1/articles/assign-a-work-order/votes", json={"helpful": True})
    assert missing.status_code == 400 and missing.json()["param"] == "session_id"


def test_votes_on_unknown_or_unreadable_articles_are_404_and_bad_votes_400(center):
    assert center.post("/api/v1/articles/no-such-article/votes", json={"helpful": True, "session_id": "s"}).status_code == 404
    hidden = center.post("/api/v1/articles/canary/votes", json={"helpful": True, "session_id": "s"})
    assert hidden.status_code == 404 and CANARY not in hidden.text
    assert center.post("/api/v1/articles/canary/votes", json={"helpful": True}, headers=token(["admin"])).status_code == 201
    for body, param in [({"helpful": "yes", "session_id": "s"}, "helpful"), ({"session_id": "s"}, "helpful"),
                        ({"helpful": True, "session_id": "s", "comment": "x" * 2001}, "comment"),
                        ({"helpful": True, "session_id": "not an id!"}, "session_id")]:
        response = center.post("/api/v1/articles/schedule-ppm/votes", json=body)
        assert (response.status_code, response.json()["param"]) == (400, param)


def test_comments_are_stored_as_plain_redacted_text(center):
    comment = "<b>Wrong</b> steps, mail me at ana@example.com or +44 20 7946 0958"
    center.post("/api/v1/articles/schedule-ppm/votes", json={"helpful": False, "comment": comment},
                headers=token([], user="carol")).raise_for_status()
    stored = rows(center, "SELECT comment FROM votes WHERE reader = ?", ["user:carol"])[0][0]
    assert stored == "<b>Wrong</b> steps, mail me at [email] or [phone]"


def test_a_batch_of_events_is_stored_whole_with_the_tokens_tenant(center):
    batch = [{"type": "article_view", "session_id": "s-ev", "article_id": "schedule-ppm", "url": "https://help.example/ppm/"},
             {"type": "tour_step", "session_id": "s-ev", "tour_id": "first-steps", "step": 2},
             {"type": "contact_support", "session_id": "s-ev"}]
    response = center.post("/api/v1/events", json={"events": batch}, headers=token([], tenant="globex"))
    assert response.status_code == 201 and response.json() == {"recorded": 3}
    stored = rows(center, "SELECT type, subject, tenant, data FROM events WHERE session_id = 's-ev' ORDER BY type")
    assert [(r[0], r[1], r[2]) for r in stored] == [("article_view", "schedule-ppm", "globex"),
                                                    ("contact_support", None, "globex"), ("tour_step", "first-steps", "globex")]
    assert json.loads(stored[2][3])["step"] == 2


def test_one_bad_event_refuses_the_whole_batch_and_names_it(center):
    before = rows(center, "SELECT count(*) FROM events")[0][0]
    good = {"type": "bookmark", "session_id": "s-bad", "article_id": "schedule-ppm"}
    for event, param in [({"type": "search_click", "session_id": "s-bad", "search_id": "x", "article_id": "a", "rank": 0},
                          "events[1].rank"),
                         ({"type": "teleport", "session_id": "s-bad"}, "events[1].type"),
                         ({**good, "tenant": "someone-else"}, "events[1].tenant")]:
        response = center.post("/api/v1/events", json={"events": [good, event]})
        assert (response.status_code, response.json()["param"]) == (400, param), response.json()
    assert center.post("/api/v1/events", json={"events": [good] * 101}).status_code == 400
    assert rows(center, "SELECT count(*) FROM events")[0][0] == before


def test_every_search_is_recorded_and_a_click_names_its_rank(center):
    headers = token([], tenant="initech", user="dana")
    found = center.get("/api/v1/search", params={"q": "  Boilers  INSPECTION mail dana@initech.com", "session_id": "s-se"},
                       headers=headers).json()
    stored = rows(center, "SELECT query, results, tenant, user_id, session_id, latency_ms, mode FROM searches WHERE search_id = ?",
                  [found["search_id"]])
    assert stored[0][:5] == ("boilers inspection mail [email]", found["total"], "initech", "dana", "s-se")
    assert stored[0][5] > 0 and stored[0][6] == "hybrid"
    first = found["results"][0]["id"]
    click = center.post(f"/api/v1/search/{found['search_id']}/click", json={"article_id": first, "rank": 1}, headers=headers)
    assert click.status_code == 201
    assert rows(center, "SELECT article_id, rank FROM search_clicks WHERE search_id = ?", [found["search_id"]]) == [(first, 1)]
    elsewhere = center.post(f"/api/v1/search/{found['search_id']}/click", json={"article_id": first, "rank": 1},
                            headers=token([], tenant="acme"))
    assert elsewhere.status_code == 404
    assert center.post("/api/v1/search/unknown/click", json={"article_id": first, "rank": 1}).status_code == 404


def deliver(client, payload: dict, secret: str | None = WEBHOOK_SECRET, raw: bytes | None = None) -> httpx.Response:
    raw = raw if raw is not None else json.dumps(payload).encode()
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["X-Signature-256"] = signature(raw, secret)
    return client.post("/api/v1/tickets", content=raw, headers=headers)


TICKET = {"event": "created", "ticket_id": "T-100", "subject": "Cannot schedule a boiler visit", "occurred_at": "2026-12-01T10:00:00Z",
          "body": "Call me on 202-555-0143", "user_id": "ana"}


def test_a_signed_ticket_is_stored_once_under_the_webhooks_tenant(center):
    first = deliver(center, TICKET)
    assert first.status_code == 200 and first.json() == {"ticket_id": "T-100", "event": "created", "duplicate": False}
    assert deliver(center, TICKET).json()["duplicate"] is True  # a replayed delivery
    assert deliver(center, {**TICKET, "event": "resolved", "occurred_at": "2026-12-01T11:00:00Z"}).json()["duplicate"] is False
    stored = rows(center, "SELECT event, tenant, user_id, subject, body FROM tickets WHERE ticket_id = 'T-100' ORDER BY event")
    assert stored == [("created", "acme", "ana", "Cannot schedule a boiler visit", "Call me on [phone]"),
                      ("resolved", "acme", "ana", "Cannot schedule a boiler visit", "Call me on [phone]")]


def test_an_unsigned_or_forged_ticket_is_401_and_bad_fields_400(center):
    assert deliver(center, TICKET, secret=None).status_code == 401
    assert deliver(center, TICKET, secret="not-the-secret").status_code == 401
    raw = json.dumps(TICKET).encode()
    tampered = center.post("/api/v1/tickets", content=raw.replace(b"T-100", b"T-666"),
                           headers={"X-Signature-256": signature(raw, WEBHOOK_SECRET)})
    assert tampered.status_code == 401
    bad = deliver(center, {**TICKET, "occurred_at": "yesterday"})
    assert (bad.status_code, bad.json()["param"]) == (400, "occurred_at")
    assert deliver(center, {**TICKET, "event": "deleted"}).json()["param"] == "event"
    assert rows(center, "SELECT count(*) FROM tickets WHERE ticket_id = 'T-666'")[0][0] == 0


def test_a_desks_own_authorization_header_does_not_stand_in_the_way(center):
    raw = json.dumps({**TICKET, "ticket_id": "T-200"}).encode()
    response = center.post("/api/v1/tickets", content=raw, headers={
        "X-Signature-256": signature(raw, WEBHOOK_SECRET), "Authorization": "Basic ZGVzazpwYXNz"})
    assert response.status_code == 200


def test_tickets_are_refused_when_no_webhook_secret_is_set(client):
    response = deliver(client, TICKET)
    assert response.status_code == 401 and "HELP_CENTER_WEBHOOK_SECRET" in response.json()["detail"]


def test_acknowledged_votes_events_and_tickets_survive_kill_9(help_build, tmp_path):
    env = {**os.environ, "HELP_CENTER_SECRET": SECRET, "HELP_CENTER_DATA": str(tmp_path / "var"),
           "HELP_CENTER_WEBHOOK_SECRET": WEBHOOK_SECRET}
    server = Server(help_build[1], env)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for i in range(20):
            client.post("/api/v1/articles/schedule-ppm/votes", json={"helpful": i % 3 > 0, "session_id": f"s{i}"}).raise_for_status()
            client.post("/api/v1/events", json={"events": [{"type": "article_view", "session_id": f"s{i}",
                                                            "article_id": "schedule-ppm"}] * 5}).raise_for_status()
        assert deliver(client, TICKET).status_code == 200
    server.process.kill()
    server.process.wait()
    with duckdb.connect(str(tmp_path / "var" / "help_center.duckdb"), read_only=True) as db:
        assert db.execute("SELECT count(*), count(*) FILTER (WHERE helpful) FROM votes").fetchone() == (20, 13)
        assert db.execute("SELECT count(*) FROM events").fetchone() == (100,)
        assert db.execute("SELECT subject FROM tickets").fetchall() == [("Cannot schedule a boiler visit",)]


def test_a_vote_while_postgresql_is_down_is_a_503_and_voting_resumes_when_it_is_back(help_build, embedder, tmp_path):
    from tests.postgres import PostgresServer

    database = PostgresServer.start_new()  # its own server: this test stops it
    try:
        url = database.create_database("votes")
        with in_process(help_build[1], tmp_path / "var", embedder, HELP_CENTER_DB=url) as client:
            vote = {"helpful": True, "session_id": "s1"}
            assert client.post("/api/v1/articles/schedule-ppm/votes", json=vote).status_code == 201
            database.stop()
            down = client.post("/api/v1/articles/schedule-ppm/votes", json=vote)
            assert down.status_code == 503 and "nothing was kept" in down.json()["detail"]
            database.start()
            # The pool reconnects with a back-off: each try waits up to 3 s for a connection.
            tries = [client.post("/api/v1/articles/schedule-ppm/votes", json={**vote, "session_id": "s2"}) for _ in range(5)]
            back = next(r for r in tries if r.status_code != 503)
            assert back.status_code == 201 and back.json()["votes"] == {"helpful": 2, "not_helpful": 0}
    finally:
        database.close()
