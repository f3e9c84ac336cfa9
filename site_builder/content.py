"""A content folder read whole: categories, articles and synonyms, checked together."""

from __future__ import annotations

import os
import posixpath
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

from .articles import STATUSES, Article, FrontMatterError, Source, build_article, split
from .links import headings, is_external, links
from .problems import Problems

CATEGORY_FILE = "_category.yml"
CATEGORY_FIELDS = ("title", "description", "order", "icon")
SYNONYMS_FILE = "synonyms.yml"
PINS_FILE = "pins.yml"


@dataclass
class Category:
    path: tuple[str, ...]
    title: str
    description: str = ""
    order: int = 1000
    icon: str = ""

    @property
    def url(self) -> str:
        return "/" + "".join(part + "/" for part in self.path)

    @property
    def id(self) -> str:
        return "/".join(self.path)


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

    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}


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
    _check_unique(root, articles, problems)
    _check_related(root, articles, problems, statuses)
    _check_links(root, articles, problems, statuses, strict)
    _set_updated(root, articles)
    chosen = [a for a in articles if a.status in statuses]
    pins = _pins(root, problems, {a.id for a in chosen})
    return Content(root, chosen, categories, _synonyms(root, problems), problems, strict, articles, pins)


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
    folders = {a.category[:i] for a in articles for i in range(1, len(a.category) + 1)}
    folders |= {p.parent.relative_to(root).parts for p in root.rglob(CATEGORY_FILE) if not _hidden(p.parent.relative_to(root))}
    folders.discard(())
    return {folder: _category(root, folder, problems) for folder in sorted(folders)}


def _category(root: Path, folder: tuple[str, ...], problems: Problems) -> Category:
    default = Category(folder, folder[-1].replace("-", " ").replace("_", " ").capitalize())
    path = root.joinpath(*folder, CATEGORY_FILE)
    if not path.exists():
        return default
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(path, mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return default
    if not isinstance(data, dict):
        problems.add(path, 1, "must be a mapping with title, description, order and icon")
        return default
    for key in data:
        if key not in CATEGORY_FIELDS:
            problems.add(path, _key_line(path, key), f"unknown field '{key}' (allowed: {', '.join(CATEGORY_FIELDS)})")
    order = data.get("order", default.order)
    if isinstance(order, bool) or not isinstance(order, int):
        problems.add(path, _key_line(path, "order"), f"order must be a whole number, not '{order}'")
        order = default.order
    return Category(folder, str(data.get("title") or default.title), str(data.get("description") or ""), order, str(data.get("icon") or ""))


def _key_line(path: Path, key: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _line_containing(path: Path, text: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if text in normalize_query(line):
            return number
    return 1


def _check_unique(root: Path, articles: list[Article], problems: Problems) -> None:
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


def _check_related(root: Path, articles: list[Article], problems: Problems, statuses: tuple[str, ...]) -> None:
    by_id = {a.id: a for a in articles}
    for article in articles:
        line = article.field_lines.get("related", 1)
        for other in article.related:
            if other not in by_id:
                problems.add(root / article.path, line, f"related article '{other}' does not exist")
            elif article.status in statuses and by_id[other].status not in statuses:
                problems.add(root / article.path, line, f"related article '{other}' is {by_id[other].status}, so it is not on the site")


def _check_links(root: Path, articles: list[Article], problems: Problems, statuses: tuple[str, ...], strict: bool) -> None:
    by_path = {a.path: a for a in articles}
    anchors = {a.path: {h.anchor for h in headings(a.body, a.body_line, a.page_title)} for a in articles}
    for article in articles:
        if article.status not in statuses:
            continue
        file = root / article.path
        for link in links(article.body, article.body_line):
            message = _link_problem(root, article, link, by_path, anchors, statuses)
            if message:
                problems.add(file, link.line, message, warning=not strict)


def _link_problem(root, article, link, by_path, anchors, statuses) -> str | None:
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


def _data_file(path: Path, problems: Problems):
    """A YAML data file of the content folder, or None when absent or broken (reported)."""
    if not path.exists():
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(path, mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None


def normalize_query(text: str) -> str:
    return " ".join(text.lower().split())


def _pins(root: Path, problems: Problems, published: set[str]) -> dict[str, list[str]]:
    """Pinned results: `pins: [{query: reset password, articles: [login-problems]}]`."""
    path = root / PINS_FILE
    data = _data_file(path, problems)
    if data is None:
        return {}
    entries = data.get("pins") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        problems.add(path, 1, "expected 'pins:' followed by entries such as - {query: reset password, articles: [login-problems]}")
        return {}
    pins: dict[str, list[str]] = {}
    for entry in entries:
        query = normalize_query(str(entry.get("query", ""))) if isinstance(entry, dict) else ""
        ids = entry.get("articles") if isinstance(entry, dict) else None
        line = _line_containing(path, query) if query else 1
        if not query or not isinstance(ids, list) or not ids:
            problems.add(path, line, f"each pin needs a query and a list of articles, not {entry!r}")
            continue
        for article_id in ids:
            if str(article_id) not in published:
                problems.add(path, line, f"pinned article '{article_id}' for '{query}' does not exist or is not published")
        pins[query] = [str(i) for i in ids if str(i) in published]
    return pins


def _synonyms(root: Path, problems: Problems) -> list[list[str]]:
    path = root / SYNONYMS_FILE
    data = _data_file(path, problems)
    if data is None:
        return []
    groups = data.get("synonyms") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not all(isinstance(g, list) and len(g) >= 2 for g in groups):
        problems.add(path, 1, "expected 'synonyms:' followed by lists of two or more equivalent terms, e.g. - [ppm, preventive maintenance]")
        return []
    return [[str(term).strip().lower() for term in group] for group in groups]


def _set_updated(root: Path, articles: list[Article]) -> None:
    dates = _git_dates(root)
    for article in articles:
        path = root / article.path
        article.updated = dates.get(path.resolve()) or article.last_reviewed or date.fromtimestamp(path.stat().st_mtime)


def _git_dates(root: Path) -> dict[Path, date]:
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


def status_counts(articles: list[Article]) -> dict[str, int]:
    return {status: sum(a.status == status for a in articles) for status in STATUSES}


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
