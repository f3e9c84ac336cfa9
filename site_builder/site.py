"""The static help site: Markdown pages generated from the content tree, rendered by mkdocs-material."""

from __future__ import annotations

import html
import logging
import posixpath
import re
import shutil
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

from .articles import has_h1
from .bundle import bundle
from .content import Content
from .data_files import is_data_file
from .records import Article, Category, is_index_page
from .render import HREF
from .sidebar import Sidebar

THEME_ASSETS = Path(__file__).parent / "theme" / "assets"
BANNERS = {
    "draft": '!!! warning "Draft: not published"\n    This article is a draft. It is shown only in this preview.',
    "review": '!!! info "In review: not published yet"\n    This article is waiting for review. It is shown only in this preview.',
}


# Pages of the site that are not articles: the API's search results and the reader of restricted articles,
# both filled in by the help widget (widgets/src/widget/site-search-page.js, site-read.js). Not in the nav.
SEARCH_PAGE = "search/index.md"
READ_PAGE = "read/index.md"


class Site:
    """Writes one Markdown page per public article and category, then the mkdocs nav."""

    def __init__(self, content: Content, articles: list[Article]):
        self.content = content
        self.articles = [a for a in articles if a.public]
        self.by_id = {a.id: a for a in self.articles}
        self.index_pages = {a.category: a for a in self.articles if is_index_page(a.path)}

    def page_path(self, article: Article) -> str:
        if self.is_index(article):
            return _index_page(article.category)
        return article.path

    def is_index(self, article: Article) -> bool:
        return self.index_pages.get(article.category) is article

    def write(self, docs: Path) -> list:
        self._copy_assets(docs)
        for article in self.articles:
            self._write(docs, self.page_path(article), self.article_page(article))
        for folder in [(), *self.content.categories]:
            if folder not in self.index_pages and (not folder or self.article_count(folder)):
                self._write(docs, _index_page(folder), self.category_page(folder))
        self._write(docs, SEARCH_PAGE, search_page())
        self._write(docs, READ_PAGE, read_page())
        return self.nav(())

    def _write(self, docs: Path, rel: str, text: str) -> None:
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def _copy_assets(self, docs: Path) -> None:
        for source in self.content.root.rglob("*"):
            rel = source.relative_to(self.content.root)
            if source.is_file() and source.suffix != ".md" and not is_data_file(rel) and not any(p.startswith(".") for p in rel.parts):
                (docs / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, docs / rel)

    def article_page(self, article: Article) -> str:
        here = self.page_path(article)
        lines = [_front_matter(article.title, article.summary), self.breadcrumbs(article.category, here, include_last=True)]
        if article.status in BANNERS:
            lines.append(BANNERS[article.status])
        if not has_h1(article):
            lines.append(f"# {_escape_heading(article.title)}")
        if article.updated:
            lines.append(f'<p class="hc-updated">Last updated <time datetime="{article.updated.isoformat()}">{article.updated:%d %B %Y}</time></p>')
        lines.append(article.body.strip())
        related = [self.by_id[r] for r in article.related if r in self.by_id]
        if related:
            lines.append('<section class="hc-related" markdown>\n\n## Related articles\n')
            lines.append("\n".join(f"- [{_link_text(r.title)}]({_relative(here, self.page_path(r))})" for r in related) + "\n\n</section>")
        lines.append(f'<div class="hc-vote" data-article-id="{html.escape(article.id)}" data-article-title="{html.escape(article.title)}"></div>')
        if self.is_index(article):
            lines.append(self.listing(article.category, here))
        return "\n\n".join(lines) + "\n"

    def category_page(self, folder: tuple[str, ...]) -> str:
        here = _index_page(folder)
        if not folder:
            return self.home_page()
        category = self.content.categories[folder]
        parts = [_front_matter(category.title, category.description), self.breadcrumbs(folder[:-1], here, include_last=False)]
        parts.append(f"# {_escape_heading(category.title)}")
        if category.description:
            parts.append(html.escape(category.description))
        parts.append(self.listing(folder, here))
        return "\n\n".join(parts) + "\n"

    def home_page(self) -> str:
        title = "How can we help?"
        search = search_form("search/", "hc-home-q", "Describe what you need, e.g. create a work order")
        return "\n\n".join([_front_matter(title, "Help center home", hide_toc=True), f"# {title}", search, self.listing((), "index.md")]) + "\n"

    def listing(self, folder: tuple[str, ...], here: str) -> str:
        parts = []
        children = self.children(folder)
        if children:
            parts.append('<div class="hc-categories" markdown>\n')
            for child in children:
                icon = f":{child.icon.replace('/', '-')}: " if child.icon else ""
                count = self.article_count(child.path)
                parts.append(f"- {icon}[{_link_text(child.title)}]({_relative(here, _index_page(child.path))}) "
                             f"<span class=\"hc-count\">{count} article{'s' if count != 1 else ''}</span>"
                             + (f"<br>{html.escape(child.description)}" if child.description else ""))
            parts.append("\n</div>")
        articles = self.articles_in(folder)
        if articles:
            parts.append("## Articles\n" if children else "")
            parts.append("\n".join(f"- [{_link_text(a.title)}]({_relative(here, self.page_path(a))})" + (f"<br>{html.escape(a.summary)}" if a.summary else "") for a in articles))
        return "\n\n".join(p for p in parts if p)

    def children(self, folder: tuple[str, ...]) -> list[Category]:
        found = [c for path, c in self.content.categories.items() if path[:-1] == folder and self.article_count(path)]
        return sorted(found, key=lambda c: (c.order, c.title.lower()))

    def articles_in(self, folder: tuple[str, ...]) -> list[Article]:
        return sorted((a for a in self.articles if a.category == folder and not self.is_index(a)), key=lambda a: a.title.lower())

    def article_count(self, folder: tuple[str, ...]) -> int:
        return sum(a.category[:len(folder)] == folder for a in self.articles)

    def breadcrumbs(self, folder: tuple[str, ...], here: str, include_last: bool) -> str:
        crumbs = [f"[Help center]({_relative(here, 'index.md')})"]
        for i in range(1, len(folder) + 1):
            category = self.content.categories.get(folder[:i])
            if category:
                crumbs.append(f"[{_link_text(category.title)}]({_relative(here, _index_page(folder[:i]))})")
        return '<nav class="hc-breadcrumbs" aria-label="Breadcrumb" markdown>\n' + " › ".join(crumbs) + "\n</nav>"

    def nav(self, folder: tuple[str, ...]) -> list:
        entries: list = [_index_page(folder)]
        for child in self.children(folder):
            entries.append({child.title: self.nav(child.path)})
        entries.extend({a.title: self.page_path(a)} for a in self.articles_in(folder))
        return entries


def search_form(action: str, field_id: str, placeholder: str) -> str:
    """A search form that sends `q` to the results page (`action`, relative to the page)."""
    return (
        f'<form class="hc-search-form" role="search" action="{action}" method="get">\n'
        f'<label for="{field_id}">Search the help center</label>\n'
        f'<input id="{field_id}" name="q" type="search" placeholder="{html.escape(placeholder)}" autocomplete="off">\n'
        '<button type="submit">Search</button>\n</form>'
    )


def search_page() -> str:
    """/search/?q=...: a shareable results page. The widget fills it from the API, or, when the API does not
    answer, sends the reader on to mkdocs-material's own search (/?q=...)."""
    return "\n\n".join([
        _front_matter("Search results", "Search the help center", hide_toc=True, searchable=False),
        "# Search results",
        search_form("./", "hc-search-q", "Describe what you need"),
        '<div class="hc-search-results"></div>',
        "<noscript><p>Searching needs JavaScript. Browse the categories from the "
        '<a href="../">help center home</a> instead.</p></noscript>',
    ]) + "\n"


def read_page() -> str:
    """/read/?id=...: an article for some readers only (roles or tenants), which has no page of its own. The
    widget asks the API for it with the reader's token, and says so politely when they may not read it."""
    return "\n\n".join([
        _front_matter("Article", "An article for signed-in readers", searchable=False),
        '<div class="hc-read">\n<h1>Article for signed-in readers</h1>\n'
        '<p class="hc-read-status">Loading the article…</p>\n</div>',
        "<noscript><p>This article is shown to signed-in readers only, and needs JavaScript. "
        '<a href="../">Go to the help center home</a>.</p></noscript>',
    ]) + "\n"


def _front_matter(title: str, description: str, hide_toc: bool = False, searchable: bool = True) -> str:
    lines = ["---", f"title: {_yaml_text(title)}"]
    if description:
        lines.append(f"description: {_yaml_text(description)}")
    if hide_toc:
        lines += ["hide:", "  - toc"]
    if not searchable:  # mkdocs-material's own search index leaves the page out, and so do search engines
        lines += ["search:", "  exclude: true", "robots: noindex"]
    return "\n".join(lines + ["---"])


def _index_page(folder: tuple[str, ...]) -> str:
    """The Markdown page of a category folder (of the home page for the top)."""
    return posixpath.join(*folder, "index.md") if folder else "index.md"


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _escape_heading(text: str) -> str:
    return html.escape(text).replace("#", "&#35;")


def _link_text(text: str) -> str:
    return html.escape(text).replace("[", "\\[").replace("]", "\\]")


def _relative(here: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


class RestrictedLinks(BasePlugin):
    """A public page's links to a restricted article lead to the reader page (`read/?id=...`): the article has
    no page of its own, and mkdocs would leave the link to its Markdown file, which the site does not serve."""

    def __init__(self, articles: list[Article]):
        super().__init__()
        self.restricted = {a.path: a for a in articles if not a.public}

    def on_page_content(self, html, page, config, files):
        source = posixpath.dirname(page.file.src_uri)
        here = page.url if page.url.endswith("/") else posixpath.dirname(page.url)

        def link(match: re.Match) -> str:
            target = self.restricted.get(posixpath.normpath(posixpath.join(source, match.group(2))))
            if target is None:
                return match.group(0)
            path, _, query = target.url.partition("?")
            return f'{match.group(1)}="{posixpath.relpath(path, "/" + here)}/?{query}{match.group(3) or ""}"'
        return HREF.sub(link, html)


def build_site(content: Content, articles: list[Article], mkdocs_config: Path, site_dir: Path, work: Path) -> int:
    """Render the site into `site_dir`, with its bundled scripts (bundle.py); returns the number of article pages."""
    docs = work / "docs"
    shutil.copytree(THEME_ASSETS, docs / "assets", dirs_exist_ok=True)
    site = Site(content, articles)
    nav = site.write(docs)
    config = load_config(config_file=str(mkdocs_config), docs_dir=str(docs), site_dir=str(site_dir), nav=nav)
    config.plugins["help-center-sidebar"] = Sidebar()
    config.plugins["help-center-restricted-links"] = RestrictedLinks(articles)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    mkdocs_build(config)
    bundle(site_dir)
    return len(site.articles)
