"""When something fails underneath the help center: a process killed, the store gone, the model service refusing,
a damaged build. Readers still get answers or a clear error, and nothing acknowledged is lost."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import threading
import time

import httpx
import psycopg
import pytest

from tests.api.conftest import SECRET, Server, ask, in_process, names, token
from tests.api.fake_anthropic import FakeAnthropic
from tests.conftest import PROJECT
from tests.postgres import PostgresServer

QUESTION = "How do I assign a work order to a technician?"


@pytest.fixture(scope="module")
def fault_postgres():
    """A PostgreSQL server of this module alone, since its tests stop it."""
    server = PostgresServer.start_new()
    yield server
    server.close()


@pytest.fixture
def own_postgres(fault_postgres, request):
    """(the server, a fresh database in it); the server is running again after the test, whatever happened."""
    yield fault_postgres, fault_postgres.create_database(request.node.name.replace("[", "_").replace("]", "")[:60])
    if not fault_postgres.running:
        fault_postgres.start()


def vote(client, session: str, article: str = "assign-a-work-order") -> httpx.Response:
    return client.post(f"/api/v1/articles/{article}/votes", json={"helpful": True, "session_id": session})


def voted_sessions(db_url: str) -> set[str]:
    with psycopg.connect(db_url) as conn:
        return {r[0] for r in conn.execute("SELECT session_id FROM votes").fetchall()}


# Two processes share PostgreSQL; one is killed without warning.

def test_a_killed_process_loses_nothing_it_acknowledged_and_its_conversation_goes_on_elsewhere(
        help_build, embedder, own_postgres, tmp_path):
    _, db_url = own_postgres
    env = {**os.environ, "HELP_CENTER_SECRET": SECRET, "HELP_CENTER_DATA": str(tmp_path / "a"), "HELP_CENTER_DB": db_url}
    doomed = Server(help_build[1], env)
    with httpx.Client(base_url=doomed.url, timeout=30) as first:
        acknowledged = [s for s in (secrets.token_hex(8) for _ in range(5)) if vote(first, s).status_code == 201]
        asked = ask(first, {"question": QUESTION})
    conversation = asked[-1][1]["conversation_id"]
    doomed.process.kill()  # SIGKILL: no shutdown, nothing flushed on the way out
    doomed.process.wait()
    doomed.stop()
    with in_process(help_build[1], tmp_path / "b", embedder, HELP_CENTER_DB=db_url) as survivor:
        follow_up = ask(survivor, {"question": "and can I change it later?", "conversation_id": conversation})
        assert follow_up[-1][0] == "done" and follow_up[-1][1]["conversation_id"] == conversation
        assert vote(survivor, "after-the-kill").status_code == 201
    assert len(acknowledged) == 5
    assert set(acknowledged) | {"after-the-kill"} <= voted_sessions(db_url)


# PostgreSQL stops while the help center serves.

def test_while_the_store_is_down_writes_fail_fast_searches_go_on_and_writes_recover_by_themselves(
        help_build, embedder, own_postgres, tmp_path):
    pg, db_url = own_postgres
    with in_process(help_build[1], tmp_path / "var", embedder, HELP_CENTER_DB=db_url) as client:
        assert vote(client, "before").status_code == 201
        pg.stop("immediate")  # as if it crashed
        started = time.monotonic()
        refused = vote(client, "while-down")
        assert refused.status_code == 503 and time.monotonic() - started < 6
        assert "Traceback" not in refused.text and refused.json()["title"] == "Service unavailable"
        assert client.get("/api/v1/search", params={"q": "assign a work order"}).status_code == 200
        pg.start()
        recovered = wait_until(lambda: vote(client, "after").status_code == 201, seconds=30)
        assert recovered
    assert {"before", "after"} <= voted_sessions(db_url) and "while-down" not in voted_sessions(db_url)


def test_while_the_store_is_down_articles_can_still_be_read(help_build, embedder, own_postgres, tmp_path):
    pg, db_url = own_postgres
    with in_process(help_build[1], tmp_path / "var", embedder, HELP_CENTER_DB=db_url) as client:
        pg.stop()
        assert client.get("/api/v1/articles/assign-a-work-order").status_code == 200


def wait_until(condition, seconds: float) -> bool:
    """Check `condition` until it holds or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


# The model service misbehaves.

@pytest.fixture(scope="module")
def model_client(help_build, embedder, tmp_path_factory):
    fake = FakeAnthropic()
    with in_process(help_build[1], tmp_path_factory.mktemp("var"), embedder, ANTHROPIC_API_KEY="sk-test",
                    ANTHROPIC_BASE_URL=fake.url, HELP_CENTER_LLM_TIMEOUT="3", HELP_CENTER_LLM_MODEL="test-model") as client:
        yield client, fake
    fake.close()


@pytest.mark.parametrize("status", [429, 529], ids=["rate-limited", "overloaded"])
def test_a_model_service_that_refuses_gets_the_extractive_answer_within_the_timeout(model_client, status):
    client, fake = model_client
    fake.reset(fail_first=99, fail_status=status)
    started = time.monotonic()
    events = ask(client, {"question": QUESTION})
    assert time.monotonic() - started < 3 + 1
    assert len(fake.requests) == 3  # the first try and the SDK's two retries
    assert events[-1][0] == "done" and events[-1][1]["mode"] == "extractive" and events[-1][1]["answered"] is True
    assert "delta" in names(events) and "error" not in names(events)


def test_others_are_served_while_the_model_stalls_on_one_reader(model_client):
    client, fake = model_client
    fake.reset(pieces=["Choose a name ", "never sent"], stall_after=1)
    stalled: list = []
    asker = threading.Thread(target=lambda: stalled.extend(ask(client, {"question": QUESTION}, token([], user="asker"))))
    asker.start()
    assert wait_until(lambda: bool(fake.sent_at), seconds=30)  # the model has sent its first piece and now says nothing
    searches = [client.get("/api/v1/search", params={"q": q}) for q in ("boilers", "work order priority")]
    still_waiting = asker.is_alive()
    asker.join()
    assert [r.status_code for r in searches] == [200, 200] and still_waiting
    assert names(stalled)[-1] == "error"


# A damaged build.

def test_a_server_refuses_a_truncated_index_with_one_clear_line(help_build, tmp_path):
    broken = tmp_path / "build"
    shutil.copytree(help_build[1], broken)
    index = (broken / "index.duckdb").read_bytes()
    (broken / "index.duckdb").write_bytes(index[: len(index) // 2])
    done = subprocess.run([sys.executable, "-m", "api", "--build", str(broken), "--port", "1"], cwd=PROJECT, timeout=120,
                          capture_output=True, text=True, env={**os.environ, "HELP_CENTER_DATA": str(tmp_path / "var")})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"error: {broken} cannot be loaded:")
