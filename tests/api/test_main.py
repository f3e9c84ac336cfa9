"""`python -m api --help` names every command, not only serving's options."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT


def test_help_names_the_token_command_and_the_store_commands():
    shown = subprocess.run([sys.executable, "-m", "api", "--help"], cwd=PROJECT, capture_output=True, text=True)
    assert shown.returncode == 0
    assert "token (sign a reader token)" in shown.stdout and "rollup" in shown.stdout and "export" in shown.stdout
    assert "--port" in shown.stdout, "serving's own options follow"
