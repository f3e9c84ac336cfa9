"""The rows of the build's output: articles, their chunks and the categories they sit in.

The build makes them from the content folder; the API reads them back from the index.
Standard library only, like output.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import PurePosixPath
from urllib.parse import quote

from .output import heading_text


READ_PAGE = "/read/"  # the site page that shows a restricted article to a reader entitled to it


@dataclass
class Article:
    id: str
    title: str
    path: str  # relative to the content folder, POSIX style
    body: str
    body_line: int  # line number of the body's first line in the file
    status: str = "published"
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    tenants: list[str] = field(default_factory=list)
    help_ids: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    owner: str = ""
    last_reviewed: date | None = None
    review_every_days: int | None = None
    related: list[str] = field(default_factory=list)
    language: str = "en"
    search_boost: float = 1.0
    search_exclude: bool = False
    updated: date | None = None
    field_lines: dict[str, int] = field(default_factory=dict)

    @cached_property
    def category(self) -> tuple[str, ...]:
        return PurePosixPath(self.path).parent.parts

    @property
    def category_id(self) -> str:
        """The id of the article's category (its folder path); "" at the top."""
        return "/".join(self.category)

    @cached_property
    def url(self) -> str:
        """The page path on the built site (mkdocs' directory URLs). A restricted article has no static page:
        its address is the site's reader page, which asks the API with the reader's token."""
        if not self.public:
            return f"{READ_PAGE}?id={quote(self.id, safe='/')}"
        return _page_url(page_parts(self.path))

    @property
    def public(self) -> bool:
        return not self.roles and not self.tenants

    def review_due(self) -> date | None:
        if self.last_reviewed is None or self.review_every_days is None:
            return None
        return self.last_reviewed + timedelta(days=self.review_every_days)

    def is_stale(self, today: date) -> bool:
        due = self.review_due()
        return due is not None and due < today


@dataclass
class Chunk:
    id: str
    article_id: str
    title: str
    heading_path: list[str]
    anchor: str
    text: str
    position: int

    @property
    def section(self) -> str:
        return self.heading_path[-1] if self.heading_path else ""

    def embedding_text(self) -> str:
        """What the model reads: where the passage sits, then the passage."""
        return heading_text(self.title, self.heading_path) + "\n" + self.text


@dataclass
class Category:
    path: tuple[str, ...]
    title: str
    description: str = ""
    order: int = 1000
    icon: str = ""

    @property
    def url(self) -> str:
        return _page_url(self.path)

    @property
    def id(self) -> str:
        return "/".join(self.path)

    @property
    def parent(self) -> str:
        """The id of the category above; "" at the top."""
        return "/".join(self.path[:-1])


def page_parts(path: str) -> list[str]:
    """The folders and page name of an article file; an index or README file is its folder's own page."""
    p = PurePosixPath(path)
    return [*p.parent.parts, *([] if is_index_page(path) else [p.stem])]


def is_index_page(path: str) -> bool:
    return PurePosixPath(path).stem in ("index", "README")


def _page_url(parts: Sequence[str]) -> str:
    """The site path of a page in mkdocs' directory URLs: /a/b/."""
    return "/" + "".join(part + "/" for part in parts)
