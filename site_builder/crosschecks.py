"""Checks across articles: unique ids and help ids, related articles that exist, links and anchors that resolve."""

from __future__ import annotations

import difflib
import posixpath
import re
from pathlib import Path, PurePosixPath

from .articles import page_title
from .links import Link, element_ids, headings, is_external, links, rewrite_targets
from .problems import Problems
from .records import Article


def check_unique(root: Path, articles: list[Article], problems: Problems) -> None:
    first_id: dict[str, Article] = {}
    first_help: dict[str, Article] = {}
    for article in articles:
        if article.id in first_id:
            other = first_id[article.id]
            problems.add(root / article.path, article.field_lines.get("id", 1),
                         f"duplicate id '{article.id}', also used by {other.path}; give this one its own, e.g. "
                         f"id: {_free_id(article, first_id)}")
        first_id.setdefault(article.id, article)
        for help_id in article.help_ids:
            if help_id in first_help and first_help[help_id] is not article:
                problems.add(root / article.path, article.field_lines.get("help_ids", 1), f"duplicate help_id '{help_id}', also used by {first_help[help_id].path}")
            first_help.setdefault(help_id, article)


def _free_id(article: Article, taken: dict[str, Article]) -> str:
    """An id no other article has: the article's folder before its name (two-setup for two/setup.md)."""
    candidate = "-".join([*article.category[-1:], article.id])
    n = 1
    while candidate in taken:
        n += 1
        candidate = f"{article.id}-{n}"
    return candidate


def check_related(root: Path, articles: list[Article], problems: Problems, statuses: tuple[str, ...]) -> None:
    by_id = {a.id: a for a in articles}
    for article in articles:
        line = article.field_lines.get("related", 1)
        for other in article.related:
            if other not in by_id:
                problems.add(root / article.path, line, f"related article '{other}' does not exist")
            elif article.status in statuses and by_id[other].status not in statuses:
                problems.add(root / article.path, line, f"related article '{other}' is {by_id[other].status}, so it is not on the site")


class LinkChecker:
    """Whether each link of an article leads somewhere, with the nearest target when it does not."""

    def __init__(self, root: Path, articles: list[Article], statuses: tuple[str, ...]):
        self.root = root
        self.statuses = statuses
        self.by_path = {a.path: a for a in articles}
        self.found: dict[str, list[str]] = {}

    def anchors(self, path: str) -> list[str]:
        """The anchors of a page: its headings' and the ids it gives elements (read once, when first asked)."""
        if path not in self.found:
            page = self.by_path[path]
            self.found[path] = [h.anchor for h in headings(page.body, page.body_line, page_title(page))] + sorted(element_ids(page.body))
        return self.found[path]

    def problem(self, article: Article, link: Link) -> str | None:
        if link.image and not link.text.strip():
            return f"image '{link.target}' has no alt text; describe it in ![...] for readers who cannot see it"
        if not link.target or is_external(link.target):
            return None
        target, _, anchor = link.target.partition("#")
        if not target:
            if anchor and anchor not in self.anchors(article.path):
                return f"anchor '#{anchor}' does not match a heading in this article" + self._nearest_anchor(anchor, article.path)
            return None
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(article.path), target))
        page = self.page(resolved)
        if page is None:
            if resolved.endswith(".md") or not self._exists(resolved):
                return f"broken link '{link.target}': {resolved} does not exist" + self._nearest_page(article, resolved)
            return None
        if page.status not in self.statuses:
            return f"link '{link.target}' points to a {page.status} article, which is not on the site"
        if anchor and anchor not in self.anchors(page.path):
            return f"broken link '{link.target}': no heading with anchor '#{anchor}' in {page.path}" + self._nearest_anchor(anchor, page.path)
        return None

    def page(self, resolved: str) -> Article | None:
        """The article a link resolves to: its file, or a folder (`../dir/`, `dir`) whose index.md or README.md it is."""
        if resolved.endswith(".md"):
            return self.by_path.get(resolved)
        folder = "" if resolved == "." else resolved.rstrip("/") + "/"
        return self.by_path.get(folder + "index.md") or self.by_path.get(folder + "README.md")

    def _exists(self, resolved: str) -> bool:
        return (self.root / resolved).exists()

    def _nearest_page(self, article: Article, resolved: str) -> str:
        """'; did you mean ...?' with the closest existing article, as a path relative to the linking one."""
        name = posixpath.basename(resolved)
        moved = [p for p in self.by_path if posixpath.basename(p) == name and name not in ("index.md", "README.md")]
        close = difflib.get_close_matches(resolved, moved or list(self.by_path), n=1, cutoff=0 if moved else 0.6)
        if not close or PurePosixPath(resolved).suffix not in (".md", ""):  # an image or file: no page to offer
            return ""
        return f"; did you mean {posixpath.relpath(close[0], posixpath.dirname(article.path) or '.')}?"

    def _nearest_anchor(self, anchor: str, path: str) -> str:
        close = difflib.get_close_matches(anchor, self.anchors(path), n=1, cutoff=0.6)
        return f"; did you mean #{close[0]}?" if close else ""


# A link or reference whose target is neither a .md file, nor an address elsewhere, nor an anchor on the page.
MAYBE_FOLDER_LINK = re.compile(r"\]\(\s*<?(?![a-z][a-z0-9+.-]*:|//|#)[^)\s>#]*(?<!\.md)[)\s>#]|^\s{0,3}\[[^\]]+\]:", re.IGNORECASE | re.MULTILINE)


def link_folders_to_their_pages(root: Path, articles: list[Article], statuses: tuple[str, ...]) -> None:
    """A link to a folder (`../setup/`, `..`, `./#anchor`) that has a page (its index.md or README.md) becomes a link
    to that page's file, read from the linking file as MkDocs suggests; left as written, a browser would read it
    from the page's address, one folder too deep with directory URLs."""
    checker = LinkChecker(root, articles, statuses)

    def to_page(article: Article, target: str) -> str | None:
        path, hash_, anchor = target.partition("#")
        if not path or is_external(path) or path.endswith(".md") or PurePosixPath(path).suffix:
            return None
        page = checker.page(posixpath.normpath(posixpath.join(posixpath.dirname(article.path), path)))
        if page is None:
            return None
        return posixpath.join(path, PurePosixPath(page.path).name) + hash_ + anchor
    for article in articles:
        if MAYBE_FOLDER_LINK.search(article.body):  # most bodies link only to .md files and pages elsewhere
            article.body = rewrite_targets(article.body, lambda target, a=article: to_page(a, target))


def check_links(root: Path, articles: list[Article], problems: Problems, statuses: tuple[str, ...], strict: bool) -> None:
    checker = LinkChecker(root, articles, statuses)
    for article in articles:
        if article.status not in statuses:
            continue
        for link in links(article.body, article.body_line):
            message = checker.problem(article, link)
            if message:
                problems.add(root / article.path, article.file_line(link.line), message, warning=not strict)
