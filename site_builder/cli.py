"""The authors' command line: `python -m site_builder new|status|stale|check`."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .articles import STATUSES
from .config import content_folder
from .content import load

TRANSITIONS = {
    "draft": ("review",),
    "review": ("draft", "published"),
    "published": ("review", "archived"),
    "archived": ("draft",),
}

TEMPLATE = """---
title: {title}
status: draft
summary: {summary}
tags: [{tags}]
owner: {owner}
last_reviewed: {today}
review_every_days: 180
language: en
---

One or two sentences on what this article helps the reader do, and when they need it.

## Before you start

- What the reader needs first (role, permissions, data).

## Steps

1. Go to **Menu > Item**.
2. Fill in the **Field** field.
3. Select **Save**.

## Troubleshooting

What can go wrong, with the exact error message and what to do about it.
"""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = content_folder(args.content)
    try:
        if not root.is_dir():
            raise CommandError(f"content folder {root} does not exist")
        return args.run(args, root)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


class CommandError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m site_builder", description="Write, review and publish help articles.")
    p.add_argument("--content", type=Path, help="content folder (default: content/ or HELP_CENTER_CONTENT)")
    sub = p.add_subparsers(required=True, metavar="COMMAND")

    new = sub.add_parser("new", help="create a draft article from the template")
    new.add_argument("path", help="where, inside the content folder, e.g. work-orders/managing/approve-a-work-order")
    new.add_argument("--title", required=True)
    new.add_argument("--summary", default="")
    new.add_argument("--tags", default="", help="comma-separated tags")
    new.add_argument("--owner", default="")
    new.set_defaults(run=cmd_new)

    status = sub.add_parser("status", help="move an article to another state (draft, review, published, archived)")
    status.add_argument("article", help="article id or path")
    status.add_argument("state", choices=STATUSES)
    status.add_argument("--force", action="store_true", help="allow a move the workflow does not list")
    status.add_argument("--reviewed", action="store_true", help="also set last_reviewed to today")
    status.set_defaults(run=cmd_status)

    stale = sub.add_parser("stale", help="list published articles past their review date")
    stale.add_argument("--today", type=date.fromisoformat, default=None, help="pretend today is YYYY-MM-DD")
    stale.set_defaults(run=cmd_stale)

    check = sub.add_parser("check", help="validate the content without building")
    check.add_argument("--preview", action="store_true", help="check as a preview build (draft and review included)")
    check.set_defaults(run=cmd_check)
    return p


def cmd_new(args, root: Path) -> int:
    rel = args.path.removesuffix(".md") + ".md"
    target = (root / rel).resolve()
    if root.resolve() not in target.parents:
        raise CommandError(f"{args.path} is outside the content folder {root}")
    if target.exists():
        raise CommandError(f"{target.relative_to(root.resolve())} already exists")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", target.stem):
        raise CommandError(f"file name '{target.stem}' must use lowercase letters, digits and hyphens (it becomes the article id)")
    tags = ", ".join(t.strip() for t in args.tags.split(",") if t.strip())
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(TEMPLATE.format(title=_yaml_scalar(args.title), summary=_yaml_scalar(args.summary),
                                      tags=tags, owner=_yaml_scalar(args.owner), today=date.today().isoformat()), encoding="utf-8")
    print(f"created {root.name}/{rel} (draft); write it, then: python -m site_builder status {target.stem} review")
    return 0


def _yaml_scalar(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' if value else '""'


def cmd_status(args, root: Path) -> int:
    article = _find(root, args.article)
    if args.state == article.status:
        print(f"{article.path} is already {article.status}")
        return 0
    if args.state not in TRANSITIONS[article.status] and not args.force:
        allowed = ", ".join(TRANSITIONS[article.status])
        raise CommandError(f"{article.id} is {article.status}; it can move to {allowed} (use --force to override)")
    path = root / article.path
    text = path.read_bytes().decode("utf-8")
    text = set_front_matter(text, "status", args.state)
    if args.reviewed:
        text = set_front_matter(text, "last_reviewed", date.today().isoformat())
    path.write_bytes(text.encode("utf-8"))
    print(f"{article.path}: {article.status} -> {args.state}")
    return 0


def set_front_matter(text: str, key: str, value: str) -> str:
    """Change one `key: value` line of the front matter; every other byte stays as it was."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if lines[0].strip() != "---" or end is None:
        raise CommandError("the file has no front matter")
    for i in range(1, end):
        match = re.match(rf"^{key}\s*:(\s*)(.*?)(\s+#.*)?$", lines[i])
        if match:
            lines[i] = f"{key}:{match.group(1) or ' '}{value}{match.group(3) or ''}"
            return newline.join(lines)
    title = next((i for i in range(1, end) if lines[i].startswith("title:")), end - 1)
    lines.insert(title + 1, f"{key}: {value}")
    return newline.join(lines)


def _find(root: Path, wanted: str):
    content = load(root, statuses=STATUSES)
    for article in content.all_articles:
        if wanted in (article.id, article.path, article.path.removesuffix(".md")):
            return article
    raise CommandError(f"no article with id or path '{wanted}' in {root}")


def cmd_stale(args, root: Path) -> int:
    today = args.today or date.today()
    content = load(root)
    stale = sorted((a for a in content.articles if a.is_stale(today)), key=lambda a: a.review_due())
    if not stale:
        print(f"no published article is past its review date ({today})")
        return 0
    print(f"{len(stale)} published article(s) past their review date on {today}:")
    for article in stale:
        overdue = (today - article.review_due()).days
        print(f"  {root.name}/{article.path}  owner={article.owner or '-'}  last reviewed {article.last_reviewed}, due {article.review_due()} ({overdue} days overdue)")
    return 0


def cmd_check(args, root: Path) -> int:
    statuses = ("published", "draft", "review") if args.preview else ("published",)
    content = load(root, statuses)
    for problem in content.problems.errors + content.problems.warnings:
        print(problem, file=sys.stderr)
    if content.problems.errors:
        print(f"{len(content.problems.errors)} problem(s) in {root}", file=sys.stderr)
        return 1
    print(f"ok: {len(content.all_articles)} articles, {len(content.articles)} would be built, {len(content.categories)} categories")
    return 0
