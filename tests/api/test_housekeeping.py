"""An operator rolls up and exports the store from the command line, whether or not the server holds its DuckDB
file: with the server running, the commands ask it (admins only), and say which way they went."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from api.database import open_database
from api.store import Store
from tests.api.conftest import SECRET, FakeClock, Server, in_process, token
from tests.api.test_openapi import conforms
from tests.api.test_rollup import ANA, BOB, a_day_of_traffic
from tests.conftest import PROJECT

TODAY = datetime.now(timezone.utc).date()


def seed(data: Path, url: str | None = None, days_ago=(9, 8, 2, 1)) -> None:
    """Traffic on days before today, written before any server opens the store."""
    store = Store(open_database(data, url), clock=FakeClock())
    for ago in days_ago:
        a_day_of_traffic(store, TODAY - timedelta(days=ago), ANA, 3)
        a_day_of_traffic(store, TODAY - timedelta(days=ago), BOB, 1)
    store.close()


def command(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api", *args], cwd=PROJECT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


@pytest.fixture(scope="module")
def center(help_build, embedder, tmp_path_factory):
    """A help center in-process with a store of its own (rolling it up must not touch the shared one)."""
    data = tmp_path_factory.mktemp("var")
    seed(data)
    # No scheduled rollup: only the ones the tests ask for.
    with in_process(help_build[1], data, embedder, HELP_CENTER_RETENTION_DAYS="5", HELP_CENTER_ROLLUP_SECONDS="0") as client:
        yield client, data


@pytest.fixture(scope="module")
def document(center):
    return center[0].get("/api/v1/openapi.json").json()


@pytest.mark.parametrize("path", ["/api/v1/analytics/rollup", "/api/v1/analytics/export"])
@pytest.mark.parametrize("headers, status", [({}, 401), (token(["supervisor"]), 403), (token(["admin"], tenant="acme"), 403)])
def test_only_admins_may_ask_the_server_to_roll_up_or_export(center, path, headers, status):
    response = center[0].post(path, json={}, headers=headers)
    assert response.status_code == status and response.json()["status"] == status


def test_an_admin_rolls_up_through_the_server(center, document):
    client, _ = center
    response = client.post("/api/v1/analytics/rollup", json={"days": 3}, headers=token(["admin"], tenant=""))
    assert response.status_code == 200
    done = response.json()
    assert conforms(done, document["components"]["schemas"]["RollupDone"], document["components"]["schemas"]) == []
    assert done["days"] == [str(TODAY - timedelta(days=n)) for n in (9, 8, 7, 6, 3, 2, 1)]
    assert done["deleted_before"] == str(TODAY - timedelta(days=5)) and done["deleted"]["searches"] == 2 * (3 + 1)


def test_an_export_goes_to_a_new_folder_the_server_names(center, document, tmp_path):
    client, data = center
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
    data = tmp_path / "var"
    seed(data)
    env = {"HELP_CENTER_SECRET": SECRET, "HELP_CENTER_DATA": str(data), "HELP_CENTER_RETENTION_DAYS": "5"}
    server = Server(help_build[1], {**os.environ, **env})
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
        assert {s["created_at"].date() for s in searches} == {TODAY - timedelta(days=2), TODAY - timedelta(days=1)}
        old = TODAY - timedelta(days=9)
        assert {r["tenant"] for r in pq.read_table(tmp_path / "backup/daily_rollups.parquet").to_pylist() if r["day"] == old} \
            == {"acme", "globex"}
        unsigned = command("rollup", **{**at_server, "HELP_CENTER_SECRET": ""})
        assert unsigned.returncode == 1
        assert "set HELP_CENTER_SECRET to the server's secret, or stop the server" in unsigned.stderr
    finally:
        log = server.stop()
    assert "scheduled rollup: rolled up 7 day(s)" in log


def test_without_a_server_the_commands_open_the_store_themselves(tmp_path):
    seed(tmp_path / "var")
    env = {"HELP_CENTER_DATA": str(tmp_path / "var"), "HELP_CENTER_RETENTION_DAYS": "5"}
    rolled = command("rollup", "--days", "2", **env)
    assert rolled.returncode == 0, rolled.stderr
    assert rolled.stdout.startswith(f"rolled up in the store itself ({tmp_path / 'var' / 'help_center.duckdb'})")
    assert "deleted raw rows from before" in rolled.stdout and "8 searches" in rolled.stdout
    exported = command("export", "--out", str(tmp_path / "csv"), "--format", "csv", **env)
    assert exported.returncode == 0 and "exported the store itself" in exported.stdout
    assert (tmp_path / "csv/daily_rollups.csv").read_text().startswith("tenant,day,metric,value")


def test_a_postgresql_store_is_exported_directly(postgres_url, tmp_path):
    seed(tmp_path / "var", postgres_url, days_ago=(1,))
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
