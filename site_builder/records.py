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
from typing import Any
from urllib.parse import quote

from .output import heading_text


READ_PAGE = "/read/"  # the site page that shows a restricted article to a reader entitled to it


@dataclass
class BlogPost:
    """What a post of a Material blog (`blog/posts/**.md`) says about itself in its front matter."""

    created: date | None = None
    updated: date | None = None
    authors: list[str] = field(default_factory=list)  # ids of blog/.authors.yml
    categories: list[str] = field(default_factory=list)
    slug: str = ""  # Material's post URL slug, when the post sets one
    readtime: int | None = None  # minutes, when the post sets it
    pin: bool = False
    links: list[Any] = field(default_factory=list)  # Material's related links: paths or {title: path} entries


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
    # Plain docs only. `badge`: Material's page status (`status: new`, `deprecated`, ...), shown as a badge.
    badge: str | None = None
    blog: BlogPost | None = None
    # Front matter this build does not read itself (hide, icon, subtitle, template, ...), for the page to pass on.
    page_meta: dict[str, Any] = field(default_factory=dict)
    # The file line of each body line when snippets were included (empty: body line n is file line body_line + n).
    line_map: list[int] = field(default_factory=list)

    def file_line(self, line: int) -> int:
        """The line of the article's file that a line of its body (numbered from body_line) comes from; a line
        that a snippet brought in is the line of the snippet's include."""
        offset = line - self.body_line
        return self.line_map[offset] if 0 <= offset < len(self.line_map) else line

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


def file_url(path: str) -> str:
    """The site address of an article file's page (also of one that no longer exists: redirects.py)."""
    return _page_url(page_parts(path))


def is_index_page(path: str) -> bool:
    return PurePosixPath(path).stem in ("index", "README")


def _page_url(parts: Sequence[str]) -> str:
    """The site path of a page in mkdocs' directory URLs: /a/b/."""
    return "/" + "".join(part + "/" for part in parts)
