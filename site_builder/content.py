"""A content folder read whole: its declaration, categories, articles, synonyms and pins, checked together."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from . import data_files, declaration
from .articles import STATUSES, FrontMatterError, Source, build_article, split
from .crosschecks import check_links, check_related, check_unique, link_folders_to_their_pages
from .data_files import CATEGORY_FILE
from .declaration import Declaration
from .history import set_updated
from .includes import Includes, SnippetBases
from .problems import Problems
from .records import Article, Category, is_index_page


@dataclass
class Content:
    root: Path
    articles: list[Article]
    categories: dict[tuple[str, ...], Category]
    synonyms: list[list[str]]
    problems: Problems
    strict: bool = True  # a declared help center (help-center.yml): this project's schema and workflow
    all_articles: list[Article] = field(default_factory=list)
    pins: dict[str, list[str]] = field(default_factory=dict)
    declaration: Declaration | None = None


def load(root: Path, statuses: tuple[str, ...] = ("published",), snippet_bases: list[Path] | None = None) -> Content:
    """Read and check every file under `root`; `articles` keeps those whose status is in `statuses`.
    `snippet_bases`: where snippet includes are found (a team's mkdocs.yml says, in pymdownx.snippets' base_path,
    and with its check_paths whether a missing one is an error); None: the content folder, then the project folder above it."""
    problems = Problems(root)
    declared = declaration.read(root, problems)
    strict = declared is not None
    sources = _sources(root, problems)
    required = strict or isinstance(snippet_bases, SnippetBases) and snippet_bases.check_paths
    snippets = _include_snippets(sources, problems, required, Includes(snippet_bases or [root, root.parent]))
    articles = []
    for path, source in sources.items():
        if source is None or path.resolve() in snippets:
            continue
        rel = path.relative_to(root).as_posix()
        article = build_article(rel, source, strict, lambda line, msg, p=path: problems.add(p, line, msg),
                                lambda line, msg, p=path: problems.add(p, line, msg, warning=True))
        if article is not None:
            articles.append(article)
    categories = _categories(root, articles, problems)
    check_unique(root, articles, problems)
    check_related(root, articles, problems, statuses)
    link_folders_to_their_pages(root, articles, statuses)
    check_links(root, articles, problems, statuses, strict)
    set_updated(root, articles)
    chosen = [a for a in articles if a.status in statuses]
    pins = data_files.pins(root, problems, {a.id for a in chosen})
    return Content(root, chosen, categories, data_files.synonyms(root, problems), problems, strict, articles, pins, declared)


def _sources(root: Path, problems: Problems) -> dict[Path, Source | None]:
    """Every Markdown file of the folder, split; a folder's README.md is left out when it has an index.md, which
    is the folder's page (as MkDocs does)."""
    files = sorted(p for p in root.rglob("*.md") if not _hidden(p.relative_to(root)))
    names = {p.relative_to(root).as_posix() for p in files}
    kept = []
    for path in files:
        rel = PurePosixPath(path.relative_to(root).as_posix())
        if rel.name == "README.md" and str(rel.with_name("index.md")) in names:
            problems.add(path, 1, f"left out: {rel.with_name('index.md')} is this folder's page (as in MkDocs)", warning=True)
        else:
            kept.append(path)
    return {path: _read(path, problems) for path in kept}


def _include_snippets(sources: dict[Path, Source | None], problems: Problems, required: bool, includes: Includes) -> set[Path]:
    """Expand every body's snippet includes in place; returns the files used as snippets, which are not pages.
    A snippet that cannot be found is an error when `required` (a help center, or pymdownx.snippets' check_paths),
    else a warning (like a broken link in plain docs)."""
    used: set[Path] = set()
    for path, source in sources.items():
        if source is None:
            continue
        expansion = includes.expand(source.body, source.body_line,
                                    lambda line, msg, p=path: problems.add(p, line, msg, warning=not required))
        if expansion is not None:
            source.body, source.line_map = expansion.text, expansion.line_map
            used |= expansion.used
    return used


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
    found = {folder: data_files.category(root, folder, problems) for folder in sorted(folders)}
    for article in articles:  # a folder's own page names it, as MkDocs sections do, unless _category.yml does
        folder = article.category
        if is_index_page(article.path) and folder in found and not root.joinpath(*folder, CATEGORY_FILE).exists():
            found[folder] = replace(found[folder], title=article.title, description=article.summary)
    return found


def status_counts(articles: list[Article]) -> dict[str, int]:
    return {status: sum(a.status == status for a in articles) for status in STATUSES}
