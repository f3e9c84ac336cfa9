"""The analytics dashboard (/analytics/) in real headless Chromium, on the real server over the demo build,
with analytics that readers and the support desk sent through the API."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone

import httpx
import pytest

from api.webhooks import SIGNATURE_HEADER, signature
from tests.api.conftest import SECRET, Server, free_port, token
from tests.site_builder.test_site_in_browser import node

WEBHOOK_SECRET = "test-webhook-secret"
HOSTILE = '<img src=x onerror="window.__xss=1">'
READER = token(["reader"], user="reader-1")
ADMIN = token(["admin"], user="lead")
NO_TENANT = token(["admin"], tenant="", user="ops")


def bearer(headers: dict) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


def _search(api: httpx.Client, q: str, session: str) -> dict:
    found = api.get("/api/v1/search", params={"q": q, "session_id": session}, headers=READER)
    assert found.status_code == 200, found.text
    return found.json()


def _ticket(api: httpx.Client, ticket_id: str, subject: str, session: str) -> None:
    raw = json.dumps({"event": "created", "ticket_id": ticket_id, "subject": subject, "session_id": session,
                      "occurred_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}).encode()
    sent = api.post("/api/v1/tickets", content=raw,
                    headers={"content-type": "application/json", SIGNATURE_HEADER: signature(raw, WEBHOOK_SECRET)})
    assert sent.status_code in (200, 201), sent.text


def seed(api: httpx.Client) -> None:
    """Searches (one clicked, one finding nothing, one hostile), article views, votes and a ticket."""
    found = _search(api, "sync conflict between two devices", "s-1")
    first = found["results"][0]
    clicked = api.post(f"/api/v1/search/{found['search_id']}/click", json={"article_id": first["id"], "rank": 1, "session_id": "s-1"},
                       headers=READER)
    assert clicked.status_code in (200, 201), clicked.text
    _search(api, "qwxzv plorb", "s-2")
    _search(api, HOSTILE, "s-3")
    views = [{"type": "article_view", "session_id": session, "article_id": first["id"]} for session in ("s-1", "s-2", "s-3")]
    assert api.post("/api/v1/events", json={"events": views}, headers=READER).status_code in (200, 201)
    voted = api.post(f"/api/v1/articles/{first['id']}/votes", json={"helpful": False, "session_id": "s-2"}, headers=READER)
    assert voted.status_code in (200, 201), voted.text
    _ticket(api, "T-1", f"Still stuck {HOSTILE}", "s-2")


@pytest.fixture(scope="module")
def served(demo_build, tmp_path_factory):
    out, _ = demo_build
    env = {**os.environ, "HELP_CENTER_SECRET": SECRET, "HELP_CENTER_DATA": str(tmp_path_factory.mktemp("var")),
           "HELP_CENTER_WEBHOOK_SECRET": WEBHOOK_SECRET, "HELP_CENTER_WEBHOOK_TENANT": "acme"}
    env.pop("HELP_CENTER_DB", None)
    port = free_port()
    # The product that embeds the dashboard in the browser story (embedded, in dashboard.mjs) is on localhost.
    env["HELP_CENTER_ALLOWED_ORIGINS"] = f"http://localhost:{port}"
    server = Server(out, env, port=port)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as api:
            seed(api)
            figures = api.get("/api/v1/analytics/dashboard", headers=ADMIN)
            assert figures.status_code == 200, figures.text
            yield server.url, figures.json()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def report(served) -> dict:
    url, _ = served
    return node("dashboard.mjs", {"base": url, "admin_token": bearer(ADMIN), "no_tenant_token": bearer(NO_TENANT),
                                  "reader_token": bearer(READER)})


def test_without_a_token_the_page_asks_for_one(report):
    page = report["no_token"]
    assert page["token_label"] == "Admin token"
    assert page["board_hidden"] and page["alert"] == ""
    assert page["status"] == "Enter an admin token to see the dashboard."


def test_an_admin_token_in_the_fragment_shows_the_api_figures_charts_and_tables(report, served):
    page, figures = report["admin"], served[1]
    assert "#" not in page["url"] and page["stored_token"], "the token leaves the address bar for sessionStorage"
    assert page["alert"] == "" and not page["board_hidden"]
    assert figures["searches"] >= 3
    assert page["figures"]["Searches"] == f"{figures['searches']:,}"
    assert page["figures"]["Article views"] == f"{figures['article_views']:,}"
    assert {c["caption"] for c in page["charts"]} == {"Searches and zero-result rate per day", "Deflection rate per day"}
    assert all(c["drawings"] >= 1 and c["table"] and c["label"] for c in page["charts"]), page["charts"]
    captions = [t["caption"] for t in page["tables"]]
    assert {"Top queries", "Failing queries (no results)", "Lowest-rated articles", "Stale articles, most urgent first"} <= set(captions)
    assert all(captions), "every table has a caption"
    assert len(page["csv_links"]) >= len(captions)


def test_the_status_says_whose_figures_they_are(report):
    assert report["admin"]["status"].startswith("Showing ") and report["admin"]["status"].endswith(", tenant acme.")
    # A token of no tenant reads the readers who have none, not every tenant's.
    assert report["no_tenant"]["status"].endswith(", readers without a tenant."), report["no_tenant"]["status"]
    assert not report["no_tenant"]["board_hidden"]


def test_a_content_gap_s_command_is_copied_with_its_button(report):
    page = report["admin"]
    assert page["gap_commands"], "the zero-result searches make a content gap"
    assert all(c.startswith("python -m site_builder new --from-gap ") for c in page["gap_commands"])
    assert page["copied"] == page["gap_commands"][0]


def test_text_readers_typed_is_shown_as_text(report):
    page = report["admin"]
    assert not page["xss"]
    assert HOSTILE in page["row_headers"], "the hostile query shows as typed"


def test_every_state_passes_axe_wcag_22_aa(report):
    states = {"no token": report["no_token"]["violations"], "figures": report["admin"]["violations"],
              "tables open": report["admin"]["violations_tables_open"], "320 px": report["admin"]["narrow"]["violations"],
              "reader token": report["reader"]["violations"]}
    assert {state: found for state, found in states.items() if found} == {}
    assert report["admin"]["narrow"]["overflow"] == 0, "nothing wider than 320 px but the scrolling tables"


def test_a_keyboard_user_reaches_the_token_field_the_ranges_and_downloads_a_csv(report):
    walk = report["keyboard"]
    assert walk["reached"] == ["Admin token", "Last 7 days", "Download CSV of top queries"]
    assert [f for f in walk["focused"] if not f["visible_focus"]] == []
    assert walk["download"]["name"].endswith(".csv") and walk["download"]["first_line"].startswith("query,searches")
    assert any(q.startswith(f"?from={walk['seven_days']['from']}&to={walk['seven_days']['to']}") for q in report["dashboard_requests"])


def test_a_reader_token_shows_the_error_and_is_forgotten(report):
    page = report["reader"]
    assert "admin role" in page["alert"], page["alert"]
    assert page["board_hidden"] and not page["stored_token"]


def test_the_embedding_product_can_post_the_token_from_its_own_origin_only(report):
    embedded = report["embedded"]
    assert embedded["with_referrer"]["figures"]["Searches"] == report["admin"]["figures"]["Searches"]
    assert embedded["without_referrer"]["board_hidden"], "no referrer, no listed origin: the message is ignored"


def test_nothing_leaves_for_another_host_and_the_policy_blocks_nothing(report):
    assert report["foreign"] == []
    assert report["csp_violations"] == []
    refused = "Failed to load resource: the server responded with a status of 403"
    assert [e for e in report["errors"] if not e.startswith(refused)] == []
