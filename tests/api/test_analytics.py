"""The dashboard's figures, checked exactly on a small story told through the real endpoints, in DuckDB and PostgreSQL.

The story, on 2026-12-03 (UTC), tenant acme:
- 09:00 alice (session s-alice) reads "Create a work order"; at 09:10 she opens a ticket.
- 09:01 bob (s-bob) reads it too, searches "flux capacitor" (nothing found), asks the assistant about
  it (declined), says the answer did not help, and votes the article not helpful.
- 09:04 carol (s-carol) searches "boilers", opens the first result, reads "Create a work order" and
  "Schedule preventive maintenance" (votes it helpful), then searches for a spreadsheet formula (nothing).
- 11:00 dave, who saw no help, opens a ticket.
Meanwhile gina of tenant globex reads an article and searches "flux capacitor" too.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from api import analytics
from api.index import load_index
from api.semantic import QueryEmbedder
from api.event_types import Event
from api.store import AnswerRecord, Ticket
from api.tokens import Caller
from api.webhooks import signature
from site_builder.pipeline import build
from tests.api.conftest import FakeClock, ask, in_process, make_content, on_either_store, token
from tests.api.test_openapi import conforms
from tests.conftest import article, config_for, write

WEBHOOK_SECRET = "desk-webhook-secret"
DAY = date(2026, 12, 3)
NINE = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)
FORMULA = "=cmd|' /C calc'!A0"
DECLINED = "How do I recalibrate the flux capacitor?"
TICKET_SUBJECT = "Work order form will not save"
ADMIN = token(["admin"], tenant="acme", user="ada")
ADA = Caller(user="ada", tenant="acme", roles=frozenset({"admin"}))  # ADMIN's caller, for analytics.dashboard itself


def at(clock: FakeClock, minutes: int) -> None:
    clock.now = NINE + timedelta(minutes=minutes)


def reader(user: str, tenant: str = "acme") -> dict:
    return token([], tenant=tenant, user=user)


def view(client, headers: dict, session: str, article_id: str) -> None:
    event = {"type": "article_view", "session_id": session, "article_id": article_id}
    client.post("/api/v1/events", json={"events": [event]}, headers=headers).raise_for_status()


def search(client, headers: dict, session: str, q: str) -> dict:
    response = client.get("/api/v1/search", params={"q": q, "session_id": session}, headers=headers)
    response.raise_for_status()
    return response.json()


def ticket(client, **fields) -> None:
    raw = json.dumps(fields).encode()
    client.post("/api/v1/tickets", content=raw, headers={"X-Signature-256": signature(raw, WEBHOOK_SECRET),
                                                          "Content-Type": "application/json"}).raise_for_status()


def tell_the_story(client, clock: FakeClock) -> None:
    alice, bob, carol, gina = reader("alice"), reader("bob"), reader("carol"), reader("gina", tenant="globex")
    at(clock, 0)
    view(client, alice, "s-alice", "create-a-work-order")
    at(clock, 1)
    view(client, bob, "s-bob", "create-a-work-order")
    assert search(client, bob, "s-bob", "flux capacitor")["total"] == 0
    done = ask(client, {"question": DECLINED, "session_id": "s-bob"}, bob)[-1]
    assert done[0] == "done" and done[1]["answered"] is False
    client.post(f"/api/v1/chat/{done[1]['answer_id']}/feedback", json={"helpful": False}, headers=bob).raise_for_status()
    client.post("/api/v1/articles/create-a-work-order/votes", json={"helpful": False}, headers=bob).raise_for_status()
    at(clock, 4)
    found = search(client, carol, "s-carol", "boilers")
    client.post(f"/api/v1/search/{found['search_id']}/click", json={"article_id": found["results"][0]["id"], "rank": 1,
                                                                    "session_id": "s-carol"}, headers=carol).raise_for_status()
    at(clock, 5)
    view(client, carol, "s-carol", "create-a-work-order")
    view(client, carol, "s-carol", "ppm/schedule-ppm")  # an id may come with its category
    client.post("/api/v1/articles/schedule-ppm/votes", json={"helpful": True}, headers=carol).raise_for_status()
    assert search(client, carol, "s-carol", FORMULA)["total"] == 0
    at(clock, 30)
    view(client, gina, "s-gina", "create-a-work-order")
    assert search(client, gina, "s-gina", "flux capacitor")["total"] == 0
    ticket(client, event="created", ticket_id="T1", subject=TICKET_SUBJECT, body="It spins.",
           occurred_at="2026-12-03T09:10:00Z", user_id="alice")
    ticket(client, event="resolved", ticket_id="T1", occurred_at="2026-12-03T10:00:00Z", user_id="alice")
    ticket(client, event="created", ticket_id="T2", subject="Invoice export is empty", occurred_at="2026-12-03T11:00:00Z",
           user_id="dave")
    at(clock, 8 * 60)


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def story(request, help_build, embedder, tmp_path_factory):
    with on_either_store(request, help_build[1], tmp_path_factory.mktemp("var"), embedder, "analytics",
                         HELP_CENTER_WEBHOOK_SECRET=WEBHOOK_SECRET, HELP_CENTER_WEBHOOK_TENANT="acme") as client:
        store = client.app.state.help_center.store
        store.clock = FakeClock(NINE)
        tell_the_story(client, store.clock)
        store.queue.flush()  # searches are logged without being awaited
        yield client


@pytest.fixture(scope="module")
def figures(story) -> dict:
    response = story.get("/api/v1/analytics/dashboard", headers=ADMIN)
    assert response.status_code == 200, response.text
    return response.json()


def test_counts_rates_and_top_lists_are_exact(figures):
    assert (figures["from"], figures["to"], figures["tenant"]) == ("2026-11-04", "2026-12-03", "acme")
    assert (figures["sessions"], figures["readers"], figures["article_views"], figures["searches"]) == (3, 3, 4, 3)
    assert figures["zero_result"] == {"rate": 0.6667, "count": 2, "top_queries": [
        {"query": FORMULA.lower(), "searches": 1}, {"query": "flux capacitor", "searches": 1}]}
    assert figures["clicks"] == {"click_through_rate": 0.3333, "mean_rank": 1.0}
    assert figures["top_queries"] == [
        {"query": FORMULA.lower(), "searches": 1, "clicks": 0, "click_through_rate": 0.0, "zero_result": True},
        {"query": "boilers", "searches": 1, "clicks": 1, "click_through_rate": 1.0, "zero_result": False},
        {"query": "flux capacitor", "searches": 1, "clicks": 0, "click_through_rate": 0.0, "zero_result": True}]
    assert figures["top_articles"] == [
        {"article_id": "create-a-work-order", "title": "Create a work order", "url": "/work-orders/creating/create-a-work-order/",
         "views": 3, "helpful": 0, "not_helpful": 1},
        {"article_id": "schedule-ppm", "title": "Schedule preventive maintenance", "url": "/ppm/schedule-ppm/",
         "views": 1, "helpful": 1, "not_helpful": 0}]
    assert figures["votes"]["helpful"] == 1 and figures["votes"]["not_helpful"] == 1
    assert [(r["article_id"], r["helpful_ratio"]) for r in figures["votes"]["lowest_rated"]] == \
        [("create-a-work-order", 0.0), ("schedule-ppm", 1.0)]
    assert figures["assistant"] == {"questions": 1, "answered_rate": 0.0, "declined_rate": 1.0, "helpful": 0, "not_helpful": 1}


def test_tickets_deflection_and_contact_rate_follow_the_readers(figures):
    assert figures["tickets"] == {"total": 2, "after_help": 1, "without_help": 1}
    assert figures["deflection"] == {"rate": 0.6667, "help_sessions": 3, "followed_by_ticket": 1, "window_minutes": 30}
    assert figures["contact_rate"] == {"articles": [
        {"article_id": "create-a-work-order", "title": "Create a work order", "url": "/work-orders/creating/create-a-work-order/",
         "readers": 3, "contacted": 1, "contact_rate": 0.3333, "ticket_subjects": [TICKET_SUBJECT]}], "answers": []}
    stale = {r["article_id"]: r for r in figures["stale_articles"]}["create-a-work-order"]
    assert (stale["days_overdue"], stale["helpful"], stale["not_helpful"], stale["tickets_after"]) == (0, 0, 1, 1)
    assert 0 < stale["score"] < 100


def test_content_gaps_gather_the_zero_result_query_and_the_declined_question(figures):
    gaps = figures["content_gaps"]
    examples = {example for gap in gaps for example in gap["examples"]}
    assert {"flux capacitor", DECLINED} <= examples
    assert sum(g["sources"]["zero_result"] for g in gaps) == 2 and sum(g["sources"]["declined"] for g in gaps) == 1
    assert TICKET_SUBJECT not in examples  # an article matches it well: not missing content
    assert "Invoice export is empty" in examples and sum(g["sources"]["ticket"] for g in gaps) == 1
    for gap in gaps:
        assert gap["command"] == f"python -m site_builder new --from-gap {gap['gap_id']}"


def test_a_gap_is_found_by_its_id(story, figures):
    flux = next(g for g in figures["content_gaps"] if "flux capacitor" in g["examples"])
    response = story.get(f"/api/v1/analytics/gaps/{flux['gap_id']}", headers=ADMIN)
    assert response.status_code == 200
    assert response.json() == {key: flux[key] for key in ("gap_id", "label", "count", "examples", "sources")}
    assert story.get("/api/v1/analytics/gaps/0123456789", headers=ADMIN).status_code == 404
    assert story.get(f"/api/v1/analytics/gaps/{flux['gap_id']}", headers=token(["admin"], tenant="globex")).status_code == 200
    assert story.get(f"/api/v1/analytics/gaps/{flux['gap_id']}", headers=token(["admin"], tenant="initech")).status_code == 404


def test_the_daily_series_covers_every_day_of_the_range(figures):
    daily = figures["daily"]
    assert len(daily) == 30 and daily[0]["day"] == "2026-11-04"
    assert daily[-1] == {"day": "2026-12-03", "sessions": 3, "readers": 3, "article_views": 4, "searches": 3,
                         "zero_result_rate": 0.6667, "deflection_rate": 0.6667, "tickets": 2}
    assert daily[0] == {"day": "2026-11-04", "sessions": 0, "readers": 0, "article_views": 0, "searches": 0,
                        "zero_result_rate": None, "deflection_rate": None, "tickets": 0}


def test_a_rolled_up_day_shows_the_same_once_its_raw_rows_are_gone(story, figures):
    center = story.app.state.help_center
    index, embed = center.holder.current.index, center.holder.embed.many

    class RolledBack(Exception):
        pass

    seen = {}
    with pytest.raises(RolledBack), center.store.database.transaction() as session:
        rows = analytics.daily_metrics(session, DAY, DAY)
        assert [r for r in rows if r[0] == "acme"] == [
            ("acme", DAY, "sessions", 3), ("acme", DAY, "readers", 3), ("acme", DAY, "article_views", 4),
            ("acme", DAY, "searches", 3), ("acme", DAY, "zero_result_searches", 2), ("acme", DAY, "help_sessions", 3),
            ("acme", DAY, "deflected_sessions", 2), ("acme", DAY, "tickets", 2)]
        assert ("globex", DAY, "sessions", 1) in rows
        session.executemany("INSERT INTO daily_rollups VALUES (?, ?, ?, ?)", rows)
        for table in ("events", "searches", "search_clicks"):
            session.execute(f"DELETE FROM {table}")
        seen = analytics.dashboard(session, ADA, DAY - timedelta(days=29), DAY, index, embed, center.store.clock())
        raise RolledBack  # leave the story as it was for the other tests
    assert seen["daily"] == figures["daily"]
    assert seen["sessions"] == 1  # totals come from raw rows: only the answer is left, with bob's session


def test_another_tenants_admin_sees_only_their_own_figures(story, figures):
    globex = story.get("/api/v1/analytics/dashboard", headers=token(["admin"], tenant="globex")).json()
    assert (globex["tenant"], globex["sessions"], globex["article_views"], globex["searches"]) == ("globex", 1, 1, 1)
    assert globex["tickets"]["total"] == 0 and globex["votes"]["lowest_rated"] == []
    assert globex["assistant"]["questions"] == 0 and globex["contact_rate"] == {"articles": [], "answers": []}
    assert [g["examples"] for g in globex["content_gaps"]] == [["flux capacitor"]]
    assert "alice" not in json.dumps(globex) and TICKET_SUBJECT not in json.dumps(globex)
    readers = story.get("/api/v1/analytics/dashboard", headers=token(["admin"], tenant="")).json()
    assert readers["tenant"] is None and readers["sessions"] == 0


def test_only_admin_tokens_read_the_dashboard(story):
    for path in ("/api/v1/analytics/dashboard", "/api/v1/analytics/dashboard.csv?table=daily", "/api/v1/analytics/gaps/abc"):
        anonymous = story.get(path)
        assert anonymous.status_code == 401 and anonymous.json()["detail"] == "this needs an admin token"
        assert story.get(path, headers=reader("alice")).status_code == 403
        assert story.get(path, headers=token(["editor"])).status_code == 403


@pytest.mark.parametrize("params, param", [
    ({"from": "2026-12-04", "to": "2026-12-03"}, "from"),
    ({"from": "2025-12-02", "to": "2026-12-03"}, "from"),
    ({"from": "2026-13-01"}, "from"),
    ({"to": "yesterday"}, "to"),
])
def test_a_bad_range_is_a_400_naming_the_parameter(story, params, param):
    response = story.get("/api/v1/analytics/dashboard", params=params, headers=ADMIN)
    assert (response.status_code, response.json()["param"]) == (400, param)
    assert story.get("/api/v1/analytics/dashboard", params={"from": "2025-12-03", "to": "2026-12-03"},
                     headers=ADMIN).status_code == 200  # 366 days, both included


def test_a_range_before_the_story_is_empty(story):
    empty = story.get("/api/v1/analytics/dashboard", params={"from": "2026-11-01", "to": "2026-12-02"}, headers=ADMIN).json()
    assert (empty["sessions"], empty["searches"], empty["zero_result"]["rate"], empty["deflection"]["rate"]) == (0, 0, None, None)
    assert empty["content_gaps"] == [] and empty["top_queries"] == [] and len(empty["daily"]) == 32


@pytest.mark.parametrize("table", list(analytics.TABLES))
def test_each_table_downloads_as_csv(story, figures, table):
    response = story.get("/api/v1/analytics/dashboard.csv", params={"table": table}, headers=ADMIN)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == \
        f'attachment; filename="help-center-{table}-2026-11-04-2026-12-03.csv"'
    header, *rows = list(csv.reader(io.StringIO(response.text)))
    path, columns = analytics.TABLES[table]
    listed = figures
    for key in path:
        listed = listed[key]
    assert tuple(header) == columns and len(rows) == len(listed)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_formula_looking_query_is_neutralised_in_csv(story):
    rows = list(csv.DictReader(io.StringIO(story.get("/api/v1/analytics/dashboard.csv", params={"table": "top_queries"},
                                                     headers=ADMIN).text)))
    assert rows[0] == {"query": "'" + FORMULA.lower(), "searches": "1", "clicks": "0", "click_through_rate": "0.0",
                       "zero_result": "true"}
    assert story.get("/api/v1/analytics/dashboard.csv", headers=ADMIN).json()["param"] == "table"
    assert story.get("/api/v1/analytics/dashboard.csv", params={"table": "nope"}, headers=ADMIN).json()["param"] == "table"


def test_responses_carry_exactly_the_described_fields(story, figures):
    document = story.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert conforms(figures, {"$ref": "#/components/schemas/Dashboard"}, schemas) == []
    gap = story.get(f"/api/v1/analytics/gaps/{figures['content_gaps'][0]['gap_id']}", headers=ADMIN).json()
    assert conforms(gap, {"$ref": "#/components/schemas/ContentGap"}, schemas) == []
    operation = document["paths"]["/api/v1/analytics/dashboard"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"from", "to"} and {"401", "403"} <= set(operation["responses"])


def test_readers_who_asked_the_same_question_and_then_opened_a_ticket(any_store, help_build, embedder):
    """Contact rate of the assistant's answers, and the 30-minute window, on the store alone (DuckDB and PostgreSQL)."""
    store = any_store
    askers = [("ann", "s-1"), ("ben", "s-2"), (None, "s-3"), ("dan", "s-4")]
    for n, (user, session_id) in enumerate(askers):
        store.clock.advance(60)
        question = "HOW do I export invoices?" if user == "dan" else "How do I export invoices?"  # the same, case aside
        asyncio.run(store.record_answer(AnswerRecord(
            f"answer-{n}", f"conversation-{n}", "build", question, question, "Use Export.", "extractive", True, [], [],
            user_id=user, tenant="acme", session_id=session_id)))
    asked_at = store.clock()  # ann asked 3 minutes before, ben 2, the anonymous reader of s-3 1
    opened = [("T9", asked_at + timedelta(minutes=10), "Invoices export fails", {"user_id": "ann"}),
              ("T10", asked_at + timedelta(minutes=11), "Still no export", {"session_id": "s-3"}),
              ("T11", asked_at + timedelta(minutes=30), "Too late to count", {"user_id": "ben"})]  # 32 minutes after
    for ticket_id, at, subject, reader in opened:
        asyncio.run(store.record_ticket(Ticket(ticket_id, "created", subject, "", at, **reader), "acme"))
    day = asked_at.date()
    index, embed = load_index(help_build[1]), QueryEmbedder(embedder, 0).many
    figures = store.read(lambda s: analytics.dashboard(s, ADA, day, day, index, embed, store.clock()))
    assert figures["contact_rate"]["answers"] == [
        {"answer_id": "answer-3", "question": "HOW do I export invoices?", "readers": 4, "contacted": 2, "contact_rate": 0.5,
         "ticket_subjects": ["Still no export", "Invoices export fails"]}]
    assert figures["tickets"] == {"total": 3, "after_help": 2, "without_help": 1}
    assert figures["deflection"] == {"rate": 0.5, "help_sessions": 4, "followed_by_ticket": 2, "window_minutes": 30}
    assert (figures["sessions"], figures["readers"], figures["assistant"]["answered_rate"]) == (4, 4, 1.0)


@pytest.fixture(scope="module")
def payroll_center(embedder, tmp_path_factory):
    """The test help center plus an article only the finance role may read, served in-process on DuckDB."""
    base = tmp_path_factory.mktemp("payroll")
    content = make_content(base / "content")
    write(content, "secret-stuff/payroll.md", article("Run the payroll", "Only finance reads how payroll runs.",
                                                      roles="[finance]"))
    build(config_for(content, base / "build", cache=base / "cache"), log=lambda _: None)
    env = {"HELP_CENTER_WEBHOOK_SECRET": WEBHOOK_SECRET, "HELP_CENTER_WEBHOOK_TENANT": "acme"}
    with in_process(base / "build", base / "var", embedder, **env) as client:
        client.app.state.help_center.store.clock = FakeClock(NINE)
        yield client


def test_an_article_the_admin_may_not_read_is_in_none_of_their_lists(payroll_center):
    client = payroll_center
    for n in range(3):  # enough readers for the contact rate, one of whom then opens a ticket
        finance = token(["finance"], user=f"fin-{n}")
        view(client, finance, f"s-fin-{n}", "payroll")
        view(client, finance, f"s-fin-{n}", "retired-article")  # an id no longer in the build
        client.post("/api/v1/articles/payroll/votes", json={"helpful": False}, headers=finance).raise_for_status()
    ticket(client, event="created", ticket_id="T-pay", subject="Payslips are wrong", occurred_at="2026-12-03T09:10:00Z",
           user_id="fin-0")
    lists = ("top_articles", ("votes", "lowest_rated"), ("contact_rate", "articles"), "stale_articles")

    def listed(headers: dict) -> dict[str, set]:
        figures = client.get("/api/v1/analytics/dashboard", params={"from": str(DAY), "to": str(DAY)}, headers=headers).json()
        found = {}
        for path in lists:
            rows = figures[path] if isinstance(path, str) else figures[path[0]][path[1]]
            found[str(path)] = {(r["article_id"], r["title"]) for r in rows}
        return found

    admin = listed(ADMIN)  # an admin of acme whose roles do not include finance
    assert all(("payroll", "payroll") not in rows and ("payroll", "Run the payroll") not in rows for rows in admin.values()), admin
    assert ("retired-article", "retired-article") in admin["top_articles"]  # gone from the build: listed by its id
    top = client.get("/api/v1/analytics/dashboard.csv", params={"table": "top_articles", "from": str(DAY), "to": str(DAY)},
                     headers=ADMIN).text
    assert "payroll" not in top and "retired-article" in top
    both = listed(token(["admin", "finance"], tenant="acme", user="fay"))  # the admin's own roles decide, all of them
    assert ("payroll", "Run the payroll") in both["top_articles"]
    assert ("payroll", "Run the payroll") in both["('votes', 'lowest_rated')"]
    assert ("payroll", "Run the payroll") in both["('contact_rate', 'articles')"]


def test_a_ticket_just_after_midnight_follows_the_help_just_before_it(any_store, help_build, embedder):
    store = any_store
    ann = Caller(user="ann", tenant="acme")
    store.clock.now = datetime(2026, 12, 2, 23, 55, tzinfo=timezone.utc)
    asyncio.run(store.record_events([Event("article_view", "s-ann", "create-a-work-order", {})], ann))
    asyncio.run(store.record_ticket(Ticket("T-late", "created", "Still stuck", "", datetime(2026, 12, 3, 0, 5, tzinfo=timezone.utc),
                                           "ann"), "acme"))
    index, embed = load_index(help_build[1]), QueryEmbedder(embedder, 0).many
    today = store.read(lambda s: analytics.dashboard(s, ADA, DAY, DAY, index, embed, store.clock()))
    assert today["tickets"] == {"total": 1, "after_help": 1, "without_help": 0}
    # The help itself was the day before: no help session, article view or contact of this day.
    assert (today["deflection"]["help_sessions"], today["deflection"]["followed_by_ticket"]) == (0, 0)
    assert today["top_articles"] == [] and today["contact_rate"]["articles"] == []
    before = store.read(lambda s: analytics.dashboard(s, ADA, DAY - timedelta(days=1), DAY - timedelta(days=1), index, embed,
                                                      store.clock()))
    assert before["tickets"]["total"] == 0
    assert (before["deflection"]["help_sessions"], before["deflection"]["followed_by_ticket"]) == (1, 1)
