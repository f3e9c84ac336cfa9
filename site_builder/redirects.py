"""Old addresses that still lead somewhere.

URLs follow folders, so moving an article breaks every link and bookmark to it, and an archived
article's page disappears. As Zendesk Guide and mkdocs' redirects plugin do, the site keeps a small
page at each old address that sends the reader on: to the moved article, or (archived, deleted,
now restricted) to the nearest category page. Moves come from git (the content folder's renames,
followed through chains), so a fresh clone in CI knows them as well as an author's machine.
"""

from __future__ import annotations

import html
import os
import posixpath
import subprocess
from pathlib import Path, PurePosixPath

from .records import Article, Category, file_url


def git_moves(root: Path) -> tuple[dict[str, str], set[str]]:
    """({old path: new path}, deleted paths) of the content folder's Markdown files, paths relative to it."""
    try:
        log = subprocess.run(["git", "-C", str(root), "log", "--reverse", "--format=", "--name-status", "-M",
                              "--diff-filter=RD", "--relative", "--", "."],
                             capture_output=True, text=True, check=True, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}, set()
    moved: dict[str, str] = {}
    deleted: set[str] = set()
    for line in log.splitlines():
        fields = line.split("\t")
        if fields[0].startswith("R") and len(fields) == 3 and fields[1].endswith(".md"):
            moved[fields[1]] = fields[2]
            deleted.discard(fields[2])
        elif fields[0] == "D" and len(fields) == 2 and fields[1].endswith(".md"):
            deleted.add(fields[1])
    return moved, deleted


def _final(path: str, moved: dict[str, str]) -> str:
    seen = {path}
    while path in moved and moved[path] not in seen:
        path = moved[path]
        seen.add(path)
    return path


def find_redirects(root: Path, all_articles: list[Article], published: list[Article],
                   categories: dict[tuple[str, ...], Category]) -> dict[str, str]:
    """{old page URL: where it leads now}; never an address a page of this build still has."""
    moved, deleted = git_moves(root)
    by_path = {a.path: a for a in published}
    live = {a.url for a in published if a.public} | {c.url for c in categories.values()} | {"/"}

    def target(path: str) -> str:
        article = by_path.get(path)
        if article is not None and article.public:
            return article.url
        return _category_url(PurePosixPath(path).parent.parts, categories)

    old = {path: _final(path, moved) for path in [*moved, *deleted]}
    old |= {a.path: a.path for a in all_articles if a.status == "archived"}
    found = {}
    for path, now in old.items():
        address = file_url(path)
        if address not in live and not PurePosixPath(path).name.startswith("_"):
            found[address] = target(now)
    return {address: to for address, to in found.items() if to != address}


def _category_url(folders: tuple[str, ...], categories: dict[tuple[str, ...], Category]) -> str:
    """The nearest category page that still exists, else the home page."""
    for depth in range(len(folders), 0, -1):
        if folders[:depth] in categories:
            return categories[folders[:depth]].url
    return "/"


def write_redirects(site_dir: Path, redirects: dict[str, str]) -> None:
    """A page at each old address that sends the reader on at once, without script (the site's CSP has none)."""
    for address, to in sorted(redirects.items()):
        folder = site_dir / address.strip("/")
        if (folder / "index.html").exists():
            continue
        relative = posixpath.relpath(to, address) + ("/" if to.endswith("/") else "")
        href = html.escape(relative, quote=True)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_text(
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>This page has moved</title>\n'
            f'<meta http-equiv="refresh" content="0; url={href}"><link rel="canonical" href="{href}">\n'
            '<meta name="robots" content="noindex"></head>\n'
            f'<body><p>This page has moved: <a href="{href}">go to its new address</a>.</p></body></html>\n',
            encoding="utf-8")
