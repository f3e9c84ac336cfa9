"""An operator rolls up and exports the store from the command line, whether or not the server holds its DuckDB
file: with the server running, the commands ask it (admins only), and say which way they went.

Traffic is seeded on days before today, and the server rolls up by its own clock: each test takes
today when it seeds, and pins the in-process server's clock to it, or runs again if the UTC day
changed meanwhile (a real server process reads the real clock)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TypeVar

import pyarrow.parquet as pq
import pytest

from api.database import open_database
from api.store import Store
from tests.api.conftest import SECRET, FakeClock, Server, in_process, token
from tests.api.test_openapi import conforms
from tests.api.test_rollup import ANA, BOB, a_day_of_traffic
from tests.conftest import PROJECT

T = TypeVar("T")


def utc_today() -> date:
    return datetime.now(timezone.utc).date()


def on_one_utc_day(run: Callable[[date, int], T]) -> T:
    """run(today, attempt); run again if it failed and the UTC day changed meanwhile (the seeded "yesterday" became
    the day before it): two runs in a row cannot both straddle midnight."""
    attempt = 0
    while True:
        today = utc_today()
        try:
            return run(today, attempt)
        except AssertionError:
            if utc_today() == today:
                raise
        attempt += 1


def seed(data: Path, today: date, url: str | None = None, days_ago=(9, 8, 2, 1)) -> None:
    """Traffic on days before today, written before any server opens the store."""
    store = Store(open_database(data, url), clock=FakeClock())
    for ago in days_ago:
        a_day_of_traffic(store, today - timedelta(days=ago), ANA, 3)
        a_day_of_traffic(store, today - timedelta(days=ago), BOB, 1)
    store.close()


def command(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api", *args], cwd=PROJECT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


@pytest.fixture(scope="module")
def center(help_build, embedder, tmp_path_factory):
    """A help center in-process with a store of its own (rolling it up must not touch the shared one), its clock
    stopped at noon of the day the traffic was seeded for: (client, data folder, that day)."""
    data, today = tmp_path_factory.mktemp("var"), utc_today()
    seed(data, today)
    # No scheduled rollup: only the ones the tests ask for.
    with in_process(help_build[1], data, embedder, HELP_CENTER_RETENTION_DAYS="5", HELP_CENTER_ROLLUP_SECONDS="0") as client:
        client.app.state.help_center.store.clock = FakeClock(datetime.combine(today, time(12), tzinfo=timezone.utc))
        yield client, data, today


@pytest.fixture(scope="module")
def document(center):
    return center[0].get("/api/v1/openapi.json").json()


@pytest.mark.parametrize("path", ["/api/v1/analytics/rollup", "/api/v1/analytics/export"])
@pytest.mark.parametrize("headers, status", [({}, 401), (token(["supervisor"]), 403), (token(["admin"], tenant="acme"), 403)])
def test_only_admins_may_ask_the_server_to_roll_up_or_export(center, path, headers, status):
    response = center[0].post(path, json={}, headers=headers)
    assert response.status_code == status and response.json()["status"] == status


def test_an_admin_rolls_up_through_the_server(center, document):
    client, _, today = center
    response = client.post("/api/v1/analytics/rollup", json={"days": 3}, headers=token(["admin"], tenant=""))
    assert response.status_code == 200
    done = response.json()
    assert conforms(done, document["components"]["schemas"]["RollupDone"], document["components"]["schemas"]) == []
    assert done["today"] == str(today) and done["skipped"] is False
    assert done["days"] == [str(today - timedelta(days=n)) for n in (9, 8, 7, 6, 3, 2, 1)]
    assert done["deleted_before"] == str(today - timedelta(days=5)) and done["deleted"]["searches"] == 2 * (3 + 1)


def test_an_export_goes_to_a_new_folder_the_server_names(center, document, tmp_path):
    client, data, _ = center
    asked_elsewhere = tmp_path / "elsewhere"
    first = client.post("/api/v1/analytics/export", json={"format": "csv", "path": str(asked_elsewhere)},
                        headers=token(["admin"], tenant=""))
    second = client.post("/api/v1/analytics/export", json={}, headers=token(["admin"], tenant=""))
    assert first.status_code == second.status_code == 201
    assert conforms(first.json(), document["components"]["schemas"]["ExportDone"], document["components"]["schemas"]) == []
    folders = [Path(r.json()["path"]) for r in (first, second)]
    assert folders[0] != folders[1] and all(f.parent == data / "exports" for f in folders)
    assert not asked_elsewhere.exists()  # a request never says where the server writes
    assert (folders[0] / "votes.csv").exists() and (folders[1] / "votes.parquet").exists()
    assert oct(folders[0].stat().st_mode & 0o777) == "0o700"  # readers' data: the server's user only
    assert {t["table"]: t["rows"] for t in second.json()["tables"]}["answers"] == 2 * 4


def test_with_the_server_running_the_commands_ask_it(help_build, tmp_path):
    on_one_utc_day(lambda today, attempt: the_commands_ask_the_server(help_build[1], tmp_path / f"attempt-{attempt}", today))


def the_commands_ask_the_server(build: Path, tmp_path: Path, today: date) -> None:
    data = tmp_path / "var"
    seed(data, today)
    env = {"HELP_CENTER_SECRET": SECRET, "HELP_CENTER_DATA": str(data), "HELP_CENTER_RETENTION_DAYS": "5"}
    server = Server(build, {**os.environ, **env})
    try:
        at_server = {**env, "HELP_CENTER_PORT": str(server.port)}
        rolled = command("rollup", **at_server)
        assert rolled.returncode == 0, rolled.stderr
        assert f"{data / 'help_center.duckdb'} is held by another process, the running server: asked it ({server.url})" \
            in rolled.stdout
        # The server rolled up and deleted at start-up: this run recomputes the days still raw, and deletes nothing.
        assert "rolled up 2 day(s)" in rolled.stdout and "0 events, 0 searches, 0 search_clicks" in rolled.stdout
        exported = command("export", "--out", str(tmp_path / "backup"), **at_server)
        assert exported.returncode == 0, exported.stderr
        assert "asked it" in exported.stdout and str(tmp_path / "backup" / "searches.parquet") in exported.stdout
        searches = pq.read_table(tmp_path / "backup/searches.parquet").to_pylist()
        assert {s["created_at"].date() for s in searches} == {today - timedelta(days=2), today - timedelta(days=1)}
        old = today - timedelta(days=9)
        assert {r["tenant"] for r in pq.read_table(tmp_path / "backup/daily_rollups.parquet").to_pylist() if r["day"] == old} \
            == {"acme", "globex"}
        unsigned = command("rollup", **{**at_server, "HELP_CENTER_SECRET": ""})
        assert unsigned.returncode == 1
        assert "set HELP_CENTER_SECRET to the server's secret, or stop the server" in unsigned.stderr
    finally:
        log = server.stop()
    assert "scheduled rollup: rolled up 7 day(s)" in log


def test_without_a_server_the_commands_open_the_store_themselves(tmp_path):
    seed(tmp_path / "var", utc_today())  # a day later the same rows are past retention: no day to pin
    env = {"HELP_CENTER_DATA": str(tmp_path / "var"), "HELP_CENTER_RETENTION_DAYS": "5"}
    rolled = command("rollup", "--days", "2", **env)
    assert rolled.returncode == 0, rolled.stderr
    assert rolled.stdout.startswith(f"rolled up in the store itself ({tmp_path / 'var' / 'help_center.duckdb'})")
    assert "deleted raw rows from before" in rolled.stdout and "8 searches" in rolled.stdout
    exported = command("export", "--out", str(tmp_path / "csv"), "--format", "csv", **env)
    assert exported.returncode == 0 and "exported the store itself" in exported.stdout
    assert (tmp_path / "csv/daily_rollups.csv").read_text().startswith("tenant,day,metric,value")


def test_a_postgresql_store_is_exported_directly(postgres_url, tmp_path):
    seed(tmp_path / "var", utc_today(), postgres_url, days_ago=(1,))
    exported = command("export", "--out", str(tmp_path / "out"), HELP_CENTER_DB=postgres_url,
                       HELP_CENTER_DATA=str(tmp_path / "var"))
    assert exported.returncode == 0, exported.stderr
    assert "exported the store itself (PostgreSQL, HELP_CENTER_DB)" in exported.stdout
    assert pq.read_table(tmp_path / "out/searches.parquet").num_rows == 4


def test_a_missing_store_or_a_bad_option_is_a_clear_error(tmp_path):
    missing = command("export", "--out", str(tmp_path / "out"), HELP_CENTER_DATA=str(tmp_path / "nothing"))
    assert missing.returncode == 1 and missing.stderr.startswith("error: cannot open the store")
    assert "Traceback" not in missing.stderr
    assert command("rollup", "--days", "0").returncode == 2
