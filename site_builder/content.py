"""A content folder read whole: categories, articles, synonyms and pins, checked together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import data_files
from .articles import STATUSES, FrontMatterError, Source, build_article, split
from .crosschecks import check_links, check_related, check_unique
from .data_files import CATEGORY_FILE
from .history import set_updated
from .problems import Problems
from .records import Article, Category


@dataclass
class Content:
    root: Path
    articles: list[Article]
    categories: dict[tuple[str, ...], Category]
    synonyms: list[list[str]]
    problems: Problems
    strict: bool = True
    all_articles: list[Article] = field(default_factory=list)
    pins: dict[str, list[str]] = field(default_factory=dict)


def load(root: Path, statuses: tuple[str, ...] = ("published",)) -> Content:
    """Read and check every file under `root`; `articles` keeps those whose status is in `statuses`."""
    problems = Problems(root)
    files = sorted(p for p in root.rglob("*.md") if not _hidden(p.relative_to(root)))
    sources = {path: _read(path, problems) for path in files}
    strict = any("status" in s.meta for s in sources.values() if s is not None)
    articles = []
    for path, source in sources.items():
        if source is None:
            continue
        rel = path.relative_to(root).as_posix()
        article = build_article(rel, source, strict, lambda line, msg, p=path: problems.add(p, line, msg))
        if article is not None:
            articles.append(article)
    categories = _categories(root, articles, problems)
    check_unique(root, articles, problems)
    check_related(root, articles, problems, statuses)
    check_links(root, articles, problems, statuses, strict)
    set_updated(root, articles)
    chosen = [a for a in articles if a.status in statuses]
    pins = data_files.pins(root, problems, {a.id for a in chosen})
    return Content(root, chosen, categories, data_files.synonyms(root, problems), problems, strict, articles, pins)


def _hidden(rel: Path) -> bool:
    return any(part.startswith((".", "_")) for part in rel.parts)


def _read(path: Path, problems: Problems) -> Source | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(path, 1, f"file is not UTF-8 text (byte {exc.start}); save it as UTF-8")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return split(text.replace("\r\n", "\n"))
    except FrontMatterError as exc:
        problems.add(path, exc.line, exc.message)
        return None


def _categories(root: Path, articles: list[Article], problems: Problems) -> dict[tuple[str, ...], Category]:
    """Every folder that holds an article, or a _category.yml, with its settings."""
    folders = {a.category[:i] for a in articles for i in range(1, len(a.category) + 1)}
    folders |= {p.parent.relative_to(root).parts for p in root.rglob(CATEGORY_FILE) if not _hidden(p.parent.relative_to(root))}
    folders.discard(())
    return {folder: data_files.category(root, folder, problems) for folder in sorted(folders)}


def status_counts(articles: list[Article]) -> dict[str, int]:
    return {status: sum(a.status == status for a in articles) for status in STATUSES}
