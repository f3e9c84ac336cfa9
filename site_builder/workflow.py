"""The publishing workflow: the moves between states, the new-article template, and the pull-request check.

`python -m site_builder status` enforces the moves for an author who uses it; an author can also edit
`status:` by hand. So a pull request is checked against its base branch too (`check --base origin/main`):
each changed article's status move, and, on a published article, leftover template text and an empty
summary or owner.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .articles import FrontMatterError, split
from .content import Content
from .records import Article

TRANSITIONS = {
    "draft": ("review",),
    "review": ("draft", "published"),
    "published": ("review", "archived"),
    "archived": ("draft",),
}
NEW_ARTICLE_STATES = ("draft", "review")  # a new article is published by a later pull request, after its review

FRONT_MATTER = """---
title: {title}
status: draft
summary: {summary}
tags: [{tags}]
owner: {owner}
last_reviewed: {today}
review_every_days: 180
language: en
---

"""

BODY = """One or two sentences on what this article helps the reader do, and when they need it.

## Before you start

- What the reader needs first (role, permissions, data).

## Steps

1. Go to **Menu > Item**.
2. Fill in the **Field** field.
3. Select **Save**.

## Troubleshooting

What can go wrong, with the exact error message and what to do about it.
"""

# The parts of the template (BODY, and `new --from-gap`'s introduction) that an author must replace; the
# template's headings and "Select **Save**." can rightly stay.
PLACEHOLDERS = (
    "One or two sentences on what this article helps the reader do",
    "What the reader needs first (role, permissions, data)",
    "Go to **Menu > Item**",
    "Fill in the **Field** field",
    "What can go wrong, with the exact error message and what to do about it",
    "TODO: readers asked the questions below",
)


class GitError(Exception):
    """The base branch cannot be compared with: not a git repository, or an unknown ref."""


def check_against_base(content: Content, base: str) -> int:
    """Add a problem to `content.problems` for each rule a changed article breaks; returns how many articles changed."""
    root = content.root
    _git(root, "rev-parse", "--show-toplevel", failure=f"{root} is not in a git repository: --base compares with a git branch")
    fork = _git(root, "merge-base", base, "HEAD", failure=f"cannot compare with '{base}': no such branch or commit here "
                                                          "(in CI, fetch the base branch first: git fetch origin main)").strip()
    before = _changed(root, fork)
    changed = [a for a in content.all_articles if a.path in before]
    for article in changed:
        text = (root / article.path).read_bytes().decode("utf-8").replace("\r\n", "\n")
        lines = _field_lines(text)
        old = _old_status(root, fork, before[article.path])
        if content.strict:
            _check_move(content, article, old, lines.get("status", 1))
        if article.status == "published":
            _check_finished(content, article, text, lines)
    return len(changed)


def _changed(root: Path, fork: str) -> dict[str, str | None]:
    """Each Markdown file changed since `fork` (committed or not), with its path at `fork` (None: a new file).

    `-z`: paths exactly as they are (git quotes names with accents or spaces otherwise)."""
    fields = _git(root, "diff", "-z", "--name-status", "--find-renames", "--relative", fork, "--", ".").split("\0")
    found: dict[str, str | None] = {}
    i = 0
    while i < len(fields) - 1:
        kind = fields[i]
        paths = fields[i + 1:i + (3 if kind[:1] in "RC" else 2)]
        i += 1 + len(paths)
        if kind[:1] in "AMR":
            found[paths[-1]] = None if kind == "A" else paths[0]
    for path in _git(root, "ls-files", "-z", "--others", "--exclude-standard").split("\0"):
        if path:
            found[path] = None
    return {path: old for path, old in found.items() if path.endswith(".md")}


def _old_status(root: Path, fork: str, old_path: str | None) -> str | None:
    if old_path is None:
        return None
    try:
        return split(_git(root, "show", f"{fork}:./{old_path}").replace("\r\n", "\n")).meta.get("status")
    except FrontMatterError:
        return None


def _check_move(content: Content, article: Article, old: str | None, line: int) -> None:
    new = article.status
    if old is None:
        if new not in NEW_ARTICLE_STATES:
            content.problems.add(content.root / article.path, line, f"a new article starts as {' or '.join(NEW_ARTICLE_STATES)}, "
                                 f"not {new}: it is published by a later pull request, after review")
    elif old != new and old in TRANSITIONS and new not in TRANSITIONS[old]:
        content.problems.add(content.root / article.path, line, f"status moved from {old} to {new}, which the workflow does not "
                             f"allow: {old} can move to {', '.join(TRANSITIONS[old])}")


def _check_finished(content: Content, article: Article, text: str, lines: dict[str, int]) -> None:
    """A published article has its summary and owner, and no template text."""
    path = content.root / article.path
    for field in ("summary", "owner"):
        if not str(getattr(article, field, "") or "").strip():
            content.problems.add(path, lines.get(field, 1), f"published article with an empty {field}")
    for number, line in enumerate(text.split("\n"), start=1):
        for placeholder in PLACEHOLDERS:
            if placeholder in line:
                content.problems.add(path, number, f"template text left in a published article: '{placeholder}'")


def _field_lines(text: str) -> dict[str, int]:
    try:
        return split(text).lines
    except FrontMatterError:
        return {}


def _git(root: Path, *args: str, failure: str = "") -> str:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    except OSError as exc:
        raise GitError(f"git is needed to compare with a base branch: {exc}") from None
    if done.returncode != 0:
        raise GitError(failure or f"git {args[0]} failed in {root}: {done.stderr.strip()}")
    return done.stdout
