"""Browsing the help center: articles, the category tree, contextual help and tooltip texts."""

from __future__ import annotations

import fnmatch

from site_builder.output import category_titles
from site_builder.records import Article

from .errors import BadRequest, NotFound
from .index import Index
from .tokens import Caller


def article_summary(article: Article, index: Index) -> dict:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "summary": article.summary,
        "category": category_titles(article.category, index.categories),
        "category_id": article.category_id,
        "tags": article.tags,
        "help_ids": article.help_ids,
        "updated": article.updated.isoformat() if article.updated else None,
    }


def list_articles(index: Index, caller: Caller, category: str | None, tag: str | None, limit: int, offset: int) -> dict:
    if category and category not in index.categories:
        raise BadRequest(f"unknown category '{category}'", param="category")
    visible = index.visible(caller)
    prefix = tuple(category.split("/")) if category else ()
    chosen = [a for i, a in enumerate(index.articles) if visible[i] and a.category[:len(prefix)] == prefix and (not tag or tag in a.tags)]
    chosen.sort(key=lambda a: (a.category, a.title.lower()))
    return {"total": len(chosen), "limit": limit, "offset": offset,
            "articles": [article_summary(a, index) for a in chosen[offset:offset + limit]]}


def get_article(index: Index, caller: Caller, article_id: str) -> dict:
    article = index.article(article_id, caller)
    if article is None:
        # The same answer whether it does not exist or the caller may not read it.
        raise NotFound(f"no article '{article_id}'")
    related = [r for r in (index.article(i, caller) for i in article.related) if r is not None]
    return {
        **article_summary(article, index),
        "html": index.html[article.id],
        "contexts": article.contexts,
        "owner": article.owner,
        "language": article.language,
        "last_reviewed": article.last_reviewed.isoformat() if article.last_reviewed else None,
        "related": [{"id": r.id, "title": r.title, "url": r.url} for r in related],
    }


def category_tree(index: Index, caller: Caller) -> dict:
    visible = index.visible(caller)
    counts: dict[tuple[str, ...], int] = {}
    for i, article in enumerate(index.articles):
        if visible[i]:
            for depth in range(1, len(article.category) + 1):
                counts[article.category[:depth]] = counts.get(article.category[:depth], 0) + 1

    def children(parent: tuple[str, ...]) -> list[dict]:
        found = [c for c in index.categories.values() if c.path[:-1] == parent and counts.get(c.path)]
        found.sort(key=lambda c: (c.order, c.title.lower()))
        return [{"id": c.id, "title": c.title, "description": c.description, "icon": c.icon, "url": c.url,
                 "count": counts[c.path], "children": children(c.path)} for c in found]

    return {"categories": children(()), "total": int(visible.sum())}


def contextual(index: Index, caller: Caller, url: str | None, help_id: str | None, limit: int) -> dict:
    """`url` is the screen's path (params.url_path made it one)."""
    if not url and not help_id:
        raise BadRequest("give a url (the product screen's path) or a help_id", param="url")
    path = url
    visible = index.visible(caller)
    scored = []
    for i, article in enumerate(index.articles):
        if not visible[i]:
            continue
        rank = context_rank(article, path, help_id)
        if rank is not None:
            scored.append((rank, article.title.lower(), article))
    scored.sort(key=lambda s: (s[0], s[1]))
    return {"url": url, "help_id": help_id, "articles": [article_summary(a, index) for _, _, a in scored[:limit]]}


def context_rank(article: Article, path: str | None, help_id: str | None):
    """Lower is better: a help id first, then exact paths (the article's own page on the help site is one),
    then the most specific pattern."""
    if help_id and help_id in article.help_ids:
        return (0, 0)
    if path is None:
        return None
    if article.url.rstrip("/") == path.rstrip("/"):
        return (1, 0)
    best = None
    for pattern in article.contexts:
        if pattern.rstrip("/") == path.rstrip("/"):
            return (1, 0)
        if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path.rstrip("/"), pattern.rstrip("/*")):
            candidate = (2, -len(pattern.replace("*", "")))
            best = candidate if best is None else min(best, candidate)
    return best


def help_text(index: Index, caller: Caller, help_id: str) -> dict:
    found = help_texts(index, caller, [help_id])
    if not found:
        raise NotFound(f"no help text for '{help_id}'")
    return found[0]


def help_texts(index: Index, caller: Caller, help_ids: list[str]) -> list[dict]:
    """The texts of the help ids the caller may read, in the order asked; unknown ones are left out."""
    wanted = set(help_ids)
    visible = index.visible(caller)
    found: dict[str, dict] = {}
    for i, article in enumerate(index.articles):
        for help_id in wanted.intersection(article.help_ids) if visible[i] else ():
            found.setdefault(help_id, {"help_id": help_id, "title": article.title, "text": article.summary,
                                       "article": {"id": article.id, "title": article.title, "url": article.url}})
    return [found[h] for h in dict.fromkeys(help_ids) if h in found]
