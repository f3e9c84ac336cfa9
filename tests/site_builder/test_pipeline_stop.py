"""A build stopped midway (Ctrl-C, SIGTERM from CI, kill -9) leaves no hidden staging folder behind, and says so in one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder.pipeline import build, remove_stale_staging
from tests.conftest import PROJECT, article, config_for, write


def start_build(content: Path, out: Path, *options: str) -> subprocess.Popen:
    env = {**os.environ, "HELP_CENTER_CACHE": str(out.parent / "cache")}
    # As from a terminal: a shell running the tests in the background (`make test &`) ignores Ctrl-C for its children.
    return subprocess.Popen([sys.executable, "build.py", "--content", str(content), "--out", str(out), *options], cwd=PROJECT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def staging_of(process: subprocess.Popen, out: Path, timeout: float = 120) -> Path:
    """Wait until the build has created its staging folder (the condition, not a guess at how long it takes)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(out.parent.glob(f".{out.name}.{process.pid}.*"))
        if found:
            return found[0]
        assert process.poll() is None, f"the build ended before writing anything: {process.communicate()}"
        time.sleep(0.02)
    process.kill()
    raise AssertionError("no staging folder appeared")


@pytest.mark.parametrize("stop, status, said", [(signal.SIGINT, 130, "build interrupted"), (signal.SIGTERM, 143, "build stopped (SIGTERM)")])
def test_a_stopped_build_removes_its_staging_folder_and_says_so_in_one_line(small_content, tmp_path, stop, status, said):
    # Enough pages that the site step outlasts the wait for the staging folder on a busy machine: a signal that
    # comes during the final swap is held until the build is whole, and the build then ends as finished.
    for n in range(60):
        write(small_content, f"more/page-{n}.md", article(f"Page {n}", f"Text of page {n}. " * 20))
    out = tmp_path / "build"
    process = start_build(small_content, out)
    staging = staging_of(process, out)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == status
    assert stderr.splitlines()[-1] == f"{said}; nothing was written to {out}/"
    assert "Traceback" not in stderr
    assert not staging.exists() and not out.exists()
    assert list(tmp_path.glob(".build*")) == []


def test_the_next_build_removes_what_a_killed_build_left_and_only_that(small_content, tmp_path):
    out = tmp_path / "build"
    process = start_build(small_content, out)
    left = staging_of(process, out)
    process.kill()
    process.wait()  # reaped: its pid no longer names a process
    assert left.is_dir(), "kill -9 gives a build no chance to clean up"
    working = tmp_path / f".build.{os.getpid()}.abcd1234"  # the staging folder of a build still running (this process)
    working.mkdir()
    said = []
    build(config_for(small_content, out, "--no-site"), log=said.append)
    assert not left.exists() and working.is_dir()
    assert f"removed {left.name}, left behind by a build that was killed" in said
    assert remove_stale_staging(out) == []


def test_a_build_in_a_ci_log_shows_each_step_and_quiet_shows_only_problems(tmp_path):
    docs = tmp_path / "docs"  # plain docs, where an image without alt text is a warning
    write(docs, "index.md", "# Harbour guide\n\nWelcome aboard.\n")
    write(docs, "mooring.md", "# Mooring\n\nTie up at the east pontoon.\n\n![](missing.png)\n")
    out = tmp_path / "build"
    process = start_build(docs, out)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    assert [line.split(":")[0] for line in stderr.splitlines()] == ["read", "chunk", "embed", "site markdown", "site html", "index"]
    assert stdout.splitlines()[-4].startswith("Built ") and "missing.png" in stdout
    quiet = start_build(docs, out, "--quiet")
    stdout, stderr = quiet.communicate(timeout=300)
    assert quiet.returncode == 0 and stderr == ""
    assert stdout.splitlines() and all("missing.png" in line for line in stdout.splitlines())
