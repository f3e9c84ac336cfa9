"""Checks across articles: unique ids and help ids, related articles that exist, links and anchors that resolve."""

from __future__ import annotations

import posixpath
from pathlib import Path

from .articles import page_title
from .links import Link, headings, is_external, links
from .problems import Problems
from .records import Article


def check_unique(root: Path, articles: list[Article], problems: Problems) -> None:
    first_id: dict[str, Article] = {}
    first_help: dict[str, Article] = {}
    for article in articles:
        if article.id in first_id:
            other = first_id[article.id]
            problems.add(root / article.path, article.field_lines.get("id", 1), f"duplicate id '{article.id}', also used by {other.path}")
        first_id.setdefault(article.id, article)
        for help_id in article.help_ids:
            if help_id in first_help and first_help[help_id] is not article:
                problems.add(root / article.path, article.field_lines.get("help_ids", 1), f"duplicate help_id '{help_id}', also used by {first_help[help_id].path}")
            first_help.setdefault(help_id, article)


def check_related(root: Path, articles: list[Article], problems: Problems, statuses: tuple[str, ...]) -> None:
    by_id = {a.id: a for a in articles}
    for article in articles:
        line = article.field_lines.get("related", 1)
        for other in article.related:
            if other not in by_id:
                problems.add(root / article.path, line, f"related article '{other}' does not exist")
            elif article.status in statuses and by_id[other].status not in statuses:
                problems.add(root / article.path, line, f"related article '{other}' is {by_id[other].status}, so it is not on the site")


def check_links(root: Path, articles: list[Article], problems: Problems, statuses: tuple[str, ...], strict: bool) -> None:
    by_path = {a.path: a for a in articles}
    anchors = {a.path: {h.anchor for h in headings(a.body, a.body_line, page_title(a))} for a in articles}
    for article in articles:
        if article.status not in statuses:
            continue
        file = root / article.path
        for link in links(article.body, article.body_line):
            message = _link_problem(root, article, link, by_path, anchors, statuses)
            if message:
                problems.add(file, link.line, message, warning=not strict)


def _link_problem(root: Path, article: Article, link: Link, by_path: dict[str, Article],
                  anchors: dict[str, set[str]], statuses: tuple[str, ...]) -> str | None:
    if link.image and not link.text.strip():
        return f"image '{link.target}' has no alt text; describe it in ![...] for readers who cannot see it"
    if not link.target or is_external(link.target):
        return None
    target, _, anchor = link.target.partition("#")
    if not target:
        if anchor and anchor not in anchors[article.path]:
            return f"anchor '#{anchor}' does not match a heading in this article"
        return None
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(article.path), target))
    if resolved.endswith(".md"):
        other = by_path.get(resolved)
        if other is None:
            return f"broken link '{link.target}': {resolved} does not exist"
        if other.status not in statuses:
            return f"link '{link.target}' points to a {other.status} article, which is not on the site"
        if anchor and anchor not in anchors[resolved]:
            return f"broken link '{link.target}': no heading with anchor '#{anchor}' in {resolved}"
        return None
    if not (root / resolved).exists() and not (root / resolved.rstrip("/") / "index.md").exists():
        return f"broken link '{link.target}': {resolved} does not exist"
    return None
