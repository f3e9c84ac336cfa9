"""The static help site, rendered by mkdocs-material with what the help site adds (site_additions.py).

With the project's mkdocs.yml, the help-center look: Markdown pages generated from the content tree (a home
page, a page per category, breadcrumbs, dates, related articles) and the nav made from its categories.
With a team's own mkdocs.yml (`--mkdocs`), its site as MkDocs builds it from the content folder: its theme,
palette, custom_dir, nav (or MkDocs' own), extensions and plugins."""

from __future__ import annotations

import html
import logging
import posixpath
import shutil
from pathlib import Path

from . import mkdocs_errors
from .articles import has_h1
from .bundle import bundle
from .config import PROJECT_MKDOCS
from .content import Content
from .data_files import is_data_file
from .help_pages import READ_PAGE, SEARCH_PAGE, front_matter, read_page, search_form, search_page
from .links import is_external, rewrite_targets
from .mkdocs_config import docs_dir, load
from .progress import PageProgress
from .records import Article, BlogPost, Category, is_index_page
from .sidebar import Sidebar
from .site_additions import BANNERS, THEME_ASSETS, AdoptedSite, RestrictedLinks, WidgetScript, vote


class Site:
    """Writes one Markdown page per public article and category, then the mkdocs nav."""

    def __init__(self, content: Content, articles: list[Article]):
        self.content = content
        self.articles = [a for a in articles if a.public]
        self.by_id = {a.id: a for a in self.articles}
        self.by_path = {a.path: a for a in self.articles}
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
        # A plain docs page's own Material settings (hide, icon, subtitle, ...) pass on; a `template` names one of
        # its site's theme, which this look does not have.
        meta = {k: v for k, v in article.page_meta.items() if k != "template"}
        lines = [front_matter(article.title, article.summary, badge=article.badge, meta=meta),
                 self.breadcrumbs(article.category, here, include_last=True)]
        if article.status in BANNERS:
            lines.append(BANNERS[article.status])
        if not has_h1(article):
            lines.append(f"# {_escape_heading(article.title)}")
        if article.blog:
            lines.append(_byline(article.blog))
        elif article.updated:
            lines.append(f'<p class="hc-updated">Last updated {_date(article.updated)}</p>')
        lines.append(self.body(article, here).strip())
        related = [self.by_id[r] for r in article.related if r in self.by_id]
        if related:
            lines.append('<section class="hc-related" markdown>\n\n## Related articles\n')
            lines.append("\n".join(f"- [{_link_text(r.title)}]({_relative(here, self.page_path(r))})" for r in related) + "\n\n</section>")
        lines.append(vote(article))
        if self.is_index(article):
            lines.append(self.listing(article.category, here))
        return "\n\n".join(lines) + "\n"

    def body(self, article: Article, here: str) -> str:
        """The body with its links to articles written under another name (a folder's README.md, written as
        its index.md) made to lead to that page; MkDocs would leave a link to a file it never saw as written."""
        def to_page(target: str) -> str | None:
            path, hash_, anchor = target.partition("#")
            if not path.endswith(".md") or is_external(path):
                return None
            linked = self.by_path.get(posixpath.normpath(posixpath.join(posixpath.dirname(article.path), path)))
            if linked is None or self.page_path(linked) == linked.path:
                return None
            return _relative(here, self.page_path(linked)) + hash_ + anchor
        if not any(a.path != self.page_path(a) for a in self.index_pages.values()):
            return article.body
        return rewrite_targets(article.body, to_page)

    def category_page(self, folder: tuple[str, ...]) -> str:
        here = _index_page(folder)
        if not folder:
            return self.home_page()
        category = self.content.categories[folder]
        parts = [front_matter(category.title, category.description), self.breadcrumbs(folder[:-1], here, include_last=False)]
        parts.append(f"# {_escape_heading(category.title)}")
        if category.description:
            parts.append(html.escape(category.description))
        parts.append(self.listing(folder, here))
        return "\n\n".join(parts) + "\n"

    def home_page(self) -> str:
        title = "How can we help?"
        search = search_form("search/", "hc-home-q", "Describe what you need, e.g. create a work order")
        return "\n\n".join([front_matter(title, "Help center home", hide_toc=True), f"# {title}", search, self.listing((), "index.md")]) + "\n"

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


def _byline(post: BlogPost) -> str:
    """A blog post's date, authors and reading time, as Material's blog shows them beside a post."""
    parts = [f"Posted {_date(post.created)}" if post.created else "", f"updated {_date(post.updated)}" if post.updated else "",
             "by " + ", ".join(html.escape(a) for a in post.authors) if post.authors else "",
             f"{post.readtime} min read" if post.readtime else ""]
    return f'<p class="hc-updated">{" · ".join(p for p in parts if p)}</p>'


def _date(day) -> str:
    return f'<time datetime="{day.isoformat()}">{day:%d %B %Y}</time>'


def _index_page(folder: tuple[str, ...]) -> str:
    """The Markdown page of a category folder (of the home page for the top)."""
    return posixpath.join(*folder, "index.md") if folder else "index.md"


def _escape_heading(text: str) -> str:
    return html.escape(text).replace("#", "&#35;")


def _link_text(text: str) -> str:
    return html.escape(text).replace("[", "\\[").replace("]", "\\]")


def _relative(here: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(here) or ".")


def build_site(content: Content, articles: list[Article], mkdocs_config: Path, site_dir: Path, work: Path, progress=None,
               site_url: str | None = None) -> int:
    """Render the site into `site_dir`, with its bundled scripts (bundle.py); returns the number of article pages.

    `progress(step, total)`, when given, makes the Progress that counts the pages (site_builder/progress.py).
    `site_url`, when given, replaces the mkdocs.yml's (canonical links, sitemap.xml)."""
    if is_project_look(mkdocs_config):
        config, pages = _help_center_look(content, articles, mkdocs_config, site_dir, work / "docs", site_url)
    else:
        config, pages = _their_look(content, articles, mkdocs_config, site_dir, site_url)
    config.plugins["help-center-restricted-links"] = RestrictedLinks(articles)
    config.plugins["help-center-widgets"] = WidgetScript()
    if progress is not None:
        config.plugins["help-center-progress"] = PageProgress(progress)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    mkdocs_errors.build(config, mkdocs_config, content.root, articles)
    bundle(site_dir, demo=is_project_look(mkdocs_config))
    return pages


def is_project_look(mkdocs_config: Path) -> bool:
    """The project's own mkdocs.yml gives the help-center look; any other is a team's own site."""
    return mkdocs_config.resolve() == PROJECT_MKDOCS


def _help_center_look(content, articles, mkdocs_config, site_dir, docs, site_url):
    shutil.copytree(THEME_ASSETS, docs / "assets", dirs_exist_ok=True)
    site = Site(content, articles)
    nav = site.write(docs)
    config = load(mkdocs_config, docs_dir=str(docs), site_dir=str(site_dir), nav=nav, site_url=site_url)
    config.plugins["help-center-sidebar"] = Sidebar()
    return config, len(site.articles)


def _their_look(content, articles, mkdocs_config, site_dir, site_url):
    """Their mkdocs.yml, reading the content folder itself as its docs_dir."""
    config = load(mkdocs_config, docs_dir=str(content.root), site_dir=str(site_dir), site_url=site_url)
    own_docs = docs_dir(mkdocs_config)
    config.plugins["help-center-adopted-site"] = AdoptedSite(content, articles, own_docs if own_docs != content.root.resolve() else None)
    return config, sum(a.public for a in articles)
