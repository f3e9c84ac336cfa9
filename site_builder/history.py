"""What git knows about the content: each article's last commit date, and the commit of the whole folder."""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime, timezone
from pathlib import Path

from .records import Article


def set_updated(root: Path, articles: list[Article]) -> None:
    """Each article's `updated`: its last commit, else its last review, else the file's modification date."""
    dates = git_dates(root)
    for article in articles:
        path = root / article.path
        article.updated = dates.get(path.resolve()) or article.last_reviewed or date.fromtimestamp(path.stat().st_mtime)


def git_dates(root: Path) -> dict[Path, date]:
    """Last commit date of every file, from one `git log` run (empty outside a repository)."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True).stdout.strip()
        log = subprocess.run(
            ["git", "-C", str(root), "log", "--format=@%ct", "--name-only", "--no-renames", "--", "."],
            capture_output=True, text=True, check=True, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[Path, date] = {}
    current = None
    for line in log.splitlines():
        if line.startswith("@"):
            current = datetime.fromtimestamp(int(line[1:]), tz=timezone.utc).date()
        elif line and current:
            dates.setdefault((Path(top) / line).resolve(), current)
    return dates


def content_commit(root: Path) -> str | None:
    """The git commit of the content; with uncommitted changes, marked '+dirty'; None when not in git."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True).stdout.strip()

    try:
        if not git("ls-files", "--", "."):
            return None
        commit = git("rev-parse", "HEAD")
        return commit + ("+dirty" if git("status", "--porcelain", "--", ".") else "")
    except (OSError, subprocess.CalledProcessError):
        return None
