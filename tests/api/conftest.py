"""A real build of a small help center, served in-process (Starlette's TestClient) or, where a process
is the point (kill -9, reloading a build, streaming timing, logs), by a real uvicorn process on loopback."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from api.app import create_app
from api.config import serve_config
from api.database import open_database
from api.help_center import open_help_center
from api.store import Store
from api.tokens import sign
from site_builder.pipeline import build
from tests.conftest import PROJECT, article, config_for, help_center, write

SECRET = "test-secret-not-for-production-use-only"
CANARY = "zebracanary"


def make_content(root: Path) -> Path:
    """The small help center of tests/conftest.py, plus a restricted canary and ranking controls."""
    help_center(root)
    write(root, "work-orders/_category.yml", "title: Work orders\norder: 1\n")
    write(root, "work-orders/creating/_category.yml", "title: Creating\norder: 1\n")
    write(root, "work-orders/creating/create-a-work-order.md", article(
        "Create a work order", """
        Use a work order to ask for a repair of broken equipment.

        ## Fill in the form

        Open **Work orders > New** and fill in the **Location** and **Priority** fields.

        ## Error E1042

        The message E1042 means a sync conflict between two devices. Text like <script>alert(1)</script> is dropped, and 5 < 6 & 7 > 2 is escaped.
        """, tags="[work-orders, basics]", help_ids="[wo-new-form]", contexts='["/work-orders/new"]'))
    write(root, "work-orders/assign-a-work-order.md", article(
        "Assign a work order", """
        Assign the job to a technician so it shows on their phone.

        ## Pick a technician

        Choose a name in the **Assignee** list and select **Save**.
        """, tags="[work-orders]", contexts='["/work-orders/*"]', help_ids="[wo-assign]"))
    write(root, "ppm/_category.yml", "title: Preventive maintenance\norder: 2\n")
    write(root, "ppm/schedule-ppm.md", article(
        "Schedule preventive maintenance", """
        Plan recurring inspections of boilers, chillers and fire extinguishers.

        ## Recurrence

        Pick weekly, monthly or yearly visits in the **Repeat** field.
        """, tags="[ppm]", contexts='["/ppm/calendar"]'))
    write(root, "ppm/boosted-checklist.md", article(
        "Inspection checklists", "Checklists list the steps of each inspection visit for boilers.", tags="[ppm]", search="{boost: 3}"))
    write(root, "ppm/internal-notes.md", article(
        "Internal notes", "Quarantined wording: flamingo inventory.", search="{exclude: true}"))
    write(root, "secret-stuff/_category.yml", "title: Secret stuff\norder: 9\n")
    write(root, "secret-stuff/canary.md", article(
        f"Configure {CANARY} single sign-on", f"""
        Only admins may read this {CANARY} article about SAML and boilers.

        ## The {CANARY} settings

        Enter the {CANARY} metadata URL of the boilerx gateway.
        """, roles="[admin]", tags="[canary-tag]", help_ids="[canary-help]", contexts='["/canary/*"]'))
    write(root, "ppm/future-feature.md", article("Seasonal schedules", "Not yet released flamingo.", status="draft"))
    write(root, "synonyms.yml", "synonyms:\n  - [ppm, preventive maintenance, planned maintenance]\n")
    write(root, "pins.yml", "pins:\n  - query: help me\n    articles: [assign-a-work-order]\n")
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, build_dir: Path, env: dict, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # A file, not a pipe: the access log of a busy test would fill a pipe nobody reads and stall the server.
        self.output = tempfile.TemporaryFile("w+")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api", "--build", str(build_dir), "--port", str(self.port)],
            cwd=PROJECT, env=env, stdout=self.output, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.read_output()}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start in 60 s")

    def read_output(self) -> str:
        self.output.seek(0)
        return self.output.read()

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        out = self.read_output()
        self.output.close()
        return out


def build_help_center(base: Path) -> tuple[Path, Path]:
    """The content of make_content built into base/build; returns (content, build)."""
    content = make_content(base / "content")
    out = base / "build"
    build(config_for(content, out, cache=base / "cache"), log=lambda _: None)
    return content, out


@pytest.fixture(scope="session")
def help_build(tmp_path_factory) -> tuple[Path, Path]:
    """(content folder, build folder) of make_content, built once; tests that change it build their own."""
    return build_help_center(tmp_path_factory.mktemp("help"))


def in_process(build_dir: Path, data: Path, embedder, **env: str) -> TestClient:
    """A TestClient on the app over `build_dir`, with the secret set and `env` as further settings."""
    config = serve_config(["--build", str(build_dir)], {"HELP_CENTER_SECRET": SECRET, "HELP_CENTER_DATA": str(data),
                                                        "HELP_CENTER_RATE_LIMIT": os.environ["HELP_CENTER_RATE_LIMIT"], **env})
    return TestClient(create_app(config, open_help_center(config, embedder)))


@contextlib.contextmanager
def on_either_store(request, build_dir: Path, data: Path, embedder, name: str, **env: str):
    """`in_process` on DuckDB, or on a fresh PostgreSQL database when the fixture's param is "postgresql"."""
    if request.param == "postgresql":
        env["HELP_CENTER_DB"] = request.getfixturevalue("postgres").create_database(f"{name}_{os.getpid()}")
    with in_process(build_dir, data, embedder, **env) as client:
        yield client


@pytest.fixture(scope="session")
def client(help_build, embedder, tmp_path_factory):
    with in_process(help_build[1], tmp_path_factory.mktemp("var"), embedder) as c:
        yield c


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(content folder, build folder, running server) of a test module that changes its build."""
    base = tmp_path_factory.mktemp("help")
    content, out = build_help_center(base)
    env = {**os.environ, "HELP_CENTER_SECRET": SECRET, "HELP_CENTER_RELOAD_SECONDS": "0.2",
           "HELP_CENTER_DATA": str(base / "var")}
    server = Server(out, env)
    yield content, out, server
    server.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def served(site):
    """An HTTP client of the `site` process."""
    with httpx.Client(base_url=site[2].url, timeout=30) as c:
        yield c


def ask(client: httpx.Client, body: dict, headers: dict | None = None) -> list[tuple[str, dict, float]]:
    """The events of one answer, each with the moment it arrived."""
    events, name = [], None
    with client.stream("POST", "/api/v1/chat", json=body, headers=headers or {}) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.append((name, json.loads(line[6:]), time.monotonic()))
    return events


def names(events) -> list[str]:
    return [e[0] for e in events]


def text_of(events) -> str:
    return "".join(e[1]["text"] for e in events if e[0] == "delta")


def token(roles: list[str], tenant: str = "acme", ttl: int = 3 * 3600, secret: str = SECRET, user: str = "u1") -> dict:
    """A reader's Authorization header; valid for longer than a whole test run, as modules make some at import."""
    return {"Authorization": f"Bearer {sign(secret, user=user, tenant=tenant, roles=roles, ttl=ttl)}"}


class FakeClock:
    """UTC time that passes only when the test says so."""

    def __init__(self, start: datetime = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(params=["duckdb", "postgresql"])
def any_store(request, tmp_path):
    """A real store with a fake clock, in DuckDB and in PostgreSQL (a server the tests start)."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    store = Store(open_database(tmp_path / "var", url), clock=FakeClock())
    yield store
    store.close()
