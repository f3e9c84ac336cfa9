"""`make run` and `make preview` follow the settings the operators' guide documents."""

from __future__ import annotations

import os
import subprocess

from tests.conftest import PROJECT


def planned(target: str, **env: str) -> str:
    """The commands `make` would run (`make -n`), with these variables in the environment."""
    done = subprocess.run(["make", "-n", target], cwd=PROJECT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_run_serves_where_the_server_settings_say(tmp_path):
    plan = planned("run", HELP_CENTER_PORT="9123", HELP_CENTER_HOST="0.0.0.0", HELP_CENTER_BUILD=str(tmp_path / "b"))
    assert f"build.py --out {tmp_path / 'b'}" in plan
    assert f"-m api --build {tmp_path / 'b'} --host 0.0.0.0 --port 9123" in plan


def test_make_run_takes_port_on_its_command_line_over_the_setting():
    done = subprocess.run(["make", "-n", "run", "PORT=9200"], cwd=PROJECT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "HELP_CENTER_PORT": "9123"})
    assert "--port 9200" in done.stdout and "9123" not in done.stdout


def test_make_preview_builds_drafts_and_serves_them_apart():
    plan = planned("preview")
    assert "build.py --preview --out build-preview" in plan
    assert "HELP_CENTER_DATA=var/preview" in plan and "-m api --build build-preview" in plan and "--port 8001" in plan
