"""An author turns a content gap (what readers searched for and did not find) into a draft article, asking the
running help center for the gap; each way that can fail says what to do, and writes nothing."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from api.tokens import sign
from site_builder.content import load
from tests.api.conftest import SECRET, Server, free_port, token
from tests.conftest import PROJECT

SEARCHED = ["flux capacitor", "flux capacitor", "the flux capacitor [now](x.md) <b>`x`</b>"]
ADMIN = sign(SECRET, user="ana", tenant="acme", roles=["admin"])


@pytest.fixture(scope="module")
def server(demo_build, tmp_path_factory):
    """The demo help center, served, after readers of acme searched for something it does not cover."""
    server = Server(demo_build[0], {**os.environ, "HELP_CENTER_SECRET": SECRET,
                                    "HELP_CENTER_DATA": str(tmp_path_factory.mktemp("var"))})
    try:
        with httpx.Client(base_url=server.url, headers=token([], user="rita"), timeout=30) as client:
            for query in SEARCHED:
                assert client.get("/api/v1/search", params={"q": query, "session_id": "tab-1"}).json()["total"] == 0
            # Writes are committed in order: once this one is acknowledged, the searches logged before it are stored.
            event = {"type": "article_view", "session_id": "tab-1", "article_id": "create-a-work-order"}
            client.post("/api/v1/events", json={"events": [event]}).raise_for_status()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def gap(server) -> dict:
    """The gap as the dashboard lists it, where the author finds its id."""
    dashboard = httpx.get(f"{server.url}/api/v1/analytics/dashboard", headers={"Authorization": f"Bearer {ADMIN}"}, timeout=60)
    return next(g for g in dashboard.json()["content_gaps"] if "flux" in g["label"].lower())


def new(content, *args: str, token: str | None = ADMIN) -> subprocess.CompletedProcess:
    env = {**os.environ, "HELP_CENTER_TOKEN": token or ""}
    return subprocess.run([sys.executable, "-m", "site_builder", "--content", str(content), "new", *args],
                          cwd=PROJECT, capture_output=True, text=True, env=env, timeout=120)


def test_a_draft_for_a_gap_lists_what_readers_asked(server, gap, small_content):
    made = new(small_content, "--from-gap", gap["gap_id"], "--api", server.url)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"created content/flux-capacitor.md (draft) for content gap {gap['gap_id']}")
    draft = {a.id: a for a in load(small_content, ("draft",)).all_articles}["flux-capacitor"]
    assert draft.status == "draft" and draft.title == "Flux capacitor"
    text = (small_content / "flux-capacitor.md").read_text(encoding="utf-8")
    assert f"<!-- Written for content gap {gap['gap_id']}" in text and "TODO:" in text
    asked = text.split("## What readers asked\n", 1)[1]
    assert all(example in asked.split("\n## ", 1)[0] for example in gap["examples"])
    assert any("[now](x.md)" in example for example in gap["examples"])  # the reader's markup is in a code block:
    assert load(small_content, ("published", "draft")).problems.errors == []  # no link to check, no HTML


def test_the_author_chooses_the_path_and_title(server, gap, small_content):
    made = new(small_content, "ppm/flux-capacitors", "--title", "Set up a flux capacitor", "--from-gap", gap["gap_id"],
               "--api", server.url, "--tags", "ppm")
    assert made.returncode == 0, made.stderr
    draft = {a.id: a for a in load(small_content, ("draft",)).all_articles}["flux-capacitors"]
    assert (draft.title, draft.tags, draft.path) == ("Set up a flux capacitor", ["ppm"], "ppm/flux-capacitors.md")


def other_secret() -> str:
    return sign("not-the-server-secret", user="ana", tenant="acme", roles=["admin"])


@pytest.mark.parametrize("case, args, token, says", [
    ("no token", [], None, "set HELP_CENTER_TOKEN to an admin token"),
    ("a reader's token", [], sign(SECRET, user="rita", tenant="acme", roles=[]), "lacks the admin role"),
    ("a token the server did not sign", [], other_secret(), "HELP_CENTER_TOKEN was refused"),
    ("an unknown gap", ["--from-gap", "0123456789"], ADMIN, "no content gap '0123456789'"),
    ("not a gap id", ["--from-gap", "../../etc"], ADMIN, "'../../etc' is not a gap id"),
])
def test_what_goes_wrong_is_said_plainly(server, gap, small_content, case, args, token, says):
    made = new(small_content, *(args or ["--from-gap", gap["gap_id"]]), "--api", server.url, token=token)
    assert made.returncode == 1, case
    assert made.stderr.startswith("error: ") and says in made.stderr and "Traceback" not in made.stderr
    assert not (small_content / "flux-capacitor.md").exists()


def test_no_server_at_the_address(small_content):
    made = new(small_content, "--from-gap", "0123456789", "--api", f"http://127.0.0.1:{free_port()}")
    assert made.returncode == 1 and "Traceback" not in made.stderr
    assert "cannot reach the help center at http://127.0.0.1:" in made.stderr and "HELP_CENTER_API" in made.stderr


def test_new_without_a_gap_still_needs_a_path_and_a_title(small_content):
    made = new(small_content, "--title", "No path")
    assert made.returncode == 1 and "give the article's path and --title" in made.stderr
