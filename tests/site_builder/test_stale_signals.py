"""An author asks which articles most need a review: with --signals the running help center ranks them by its
staleness score (age, unhelpful votes, failed searches near the topic, tickets after reading)."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from api.tokens import sign
from tests.api.conftest import SECRET, Server, token
from tests.conftest import PROJECT

ADMIN = sign(SECRET, user="lead", tenant="acme", roles=["admin"])


@pytest.fixture(scope="module")
def server(demo_build, tmp_path_factory):
    """The demo help center after readers of acme found one article unhelpful."""
    server = Server(demo_build[0], {**os.environ, "HELP_CENTER_SECRET": SECRET,
                                    "HELP_CENTER_DATA": str(tmp_path_factory.mktemp("var"))})
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            for i in range(12):
                client.post("/api/v1/articles/import-assets-from-csv/votes", json={"helpful": False},
                            headers=token([], user=f"reader{i}")).raise_for_status()
        yield server
    finally:
        server.stop()


def stale(*args: str, admin: str | None = ADMIN) -> subprocess.CompletedProcess:
    env = {**os.environ, "HELP_CENTER_TOKEN": admin or ""}
    return subprocess.run([sys.executable, "-m", "site_builder", "--content", str(PROJECT / "content"), "stale", *args],
                          cwd=PROJECT, capture_output=True, text=True, env=env, timeout=120)


def test_signals_rank_articles_by_age_and_what_readers_said(server):
    done = stale("--signals", "--api", server.url)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("articles ranked by staleness (0-100)")
    voted = next(line for line in lines if "content/assets/import-assets-from-csv.md" in line)
    assert "0 days overdue, 12 unhelpful of 12 votes" in voted and float(voted.split()[0]) > 0  # not late, but disliked
    oldest = next(line for line in lines if "content/assets/asset-hierarchy-and-locations.md" in line)
    assert "0 unhelpful of 0 votes" in oldest
    scores = [float(line.split()[0]) for line in lines[1:] if line.split()[0] != "-"]
    assert scores == sorted(scores, reverse=True) and len(scores) > 5


def test_without_a_token_or_a_server_it_says_what_to_do(server):
    missing = stale("--signals", "--api", server.url, admin=None)
    assert missing.returncode != 0 and "HELP_CENTER_TOKEN" in missing.stderr and "Traceback" not in missing.stderr
    refused = stale("--signals", "--api", server.url, admin=sign(SECRET, user="r", tenant="acme", roles=[]))
    assert refused.returncode != 0 and "403" in refused.stderr and "Traceback" not in refused.stderr
    nobody = stale("--signals", "--api", "http://127.0.0.1:9")
    assert nobody.returncode != 0 and "cannot reach" in nobody.stderr
