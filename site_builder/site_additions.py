"""What the help site adds to a mkdocs build, whichever mkdocs.yml styles it: MkDocs plugins (instances, not
entry points) that build.py's site step and the `help-center` MkDocs plugin both add.

Everything is added by plugin events, not by theme templates: a team's own `custom_dir` may override any
template (main.html most often), and the widgets must load on its pages all the same.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from .content import Content
from .data_files import is_data_file
from .help_pages import READ_PAGE, SEARCH_PAGE, read_page, search_page
from .links import is_external, rewrite_targets
from .records import Article

THEME_ASSETS = Path(__file__).parent / "theme" / "assets"
# The styles of the help site's own pages (the search form), on any site; mkdocs.yml's extra_css gives the rest.
PAGES_CSS = "assets/help-pages.css"
# The site's bundle of the widgets (bundle.py): search in the header, the results and reader pages, votes, the panel.
SCRIPT = "widgets/help-site.js"
BANNERS = {
    "draft": '!!! warning "Draft: not published"\n    This article is a draft. It is shown only in this preview.',
    "review": '!!! info "In review: not published yet"\n    This article is waiting for review. It is shown only in this preview.',
}
_LINK = re.compile(r'(href|src)="([^"#:?]+)(#[^"]*)?"')


class WidgetScript(BasePlugin):
    """Every page loads the site's bundle of the widgets, deferred; `api` is the API's address (empty: the
    server the script came from). A page whose front matter says `robots: noindex` tells search engines so."""

    def __init__(self, api: str = ""):
        super().__init__()
        self.api = api

    def on_config(self, config):
        if PAGES_CSS not in config.extra_css:
            config.extra_css.append(PAGES_CSS)
        return config

    def on_files(self, files, config):
        if files.get_file_from_path(PAGES_CSS) is None:
            files.append(File.generated(config, PAGES_CSS, abs_src_path=str(THEME_ASSETS / Path(PAGES_CSS).name)))
        return files

    def on_post_page(self, output, page, config):
        robots = page.meta.get("robots")
        if robots:
            output = _before(output, "</head>", f'<meta name="robots" content="{html.escape(str(robots))}">')
        return _before(output, "</body>", self._tag(get_relative_url(SCRIPT, page.url)))

    def on_post_template(self, output_content, template_name, config):
        if not template_name.endswith(".html"):
            return output_content
        # Served at any depth (404.html): the address from the site's root, as MkDocs writes the page's own.
        return _before(output_content, "</body>", self._tag(urlsplit(config.site_url or "/").path + SCRIPT))

    def _tag(self, src: str) -> str:
        return f'<script src="{html.escape(src)}" data-api="{html.escape(self.api)}" defer></script>'


def _before(page: str, closing: str, tag: str) -> str:
    at = page.rfind(closing)
    return page + tag if at < 0 else f"{page[:at]}{tag}\n{page[at:]}"


class RestrictedLinks(BasePlugin):
    """A public page's links to a restricted article lead to the reader page (`read/?id=...`): the article has
    no page of its own. MkDocs leaves a link to a Markdown file that is not in the docs as it is (the help
    center's look writes no page for it), and turns one to an excluded page into that page's address (a
    team's own site): both are recognised."""

    def __init__(self, articles: list[Article]):
        super().__init__()
        self.by_path = {a.path: a for a in articles if not a.public}
        self.by_url: dict[str, Article] = {}

    def on_files(self, files, config):
        self.by_url = {posixpath.normpath(f.url or "."): self.by_path[f.src_uri] for f in files if f.src_uri in self.by_path}
        return files

    def on_page_content(self, html, page, config, files):
        source = posixpath.dirname(page.file.src_uri)
        here = page.url if page.url.endswith("/") or not page.url else posixpath.dirname(page.url)

        def link(match: re.Match) -> str:
            href = match.group(2)
            if href.endswith(".md"):
                target = self.by_path.get(posixpath.normpath(posixpath.join(source, href)))
            else:
                target = self.by_url.get(posixpath.normpath(posixpath.join(here, href)))
            if target is None:
                return match.group(0)
            path, _, query = target.url.partition("?")
            return f'{match.group(1)}="{posixpath.relpath(path, "/" + here)}/?{query}{match.group(3) or ""}"'
        return _LINK.sub(link, html)


class AdoptedSite(BasePlugin):
    """A team's own site, built from its docs folder as MkDocs builds it (its nav, or MkDocs' own from the
    folders), plus what the help site needs: the results and reader pages (in no nav), a vote under every
    article, Material's page badge from the article's `badge`, and a banner on drafts in a preview. Pages
    the help center does not publish (drafts, restricted, archived) and its data files are left out.

    `own_docs`: the docs folder the team's mkdocs.yml names, when the build reads another; files its
    extra_css, extra_javascript, logo and favicon name are taken from there when the content lacks them."""

    def __init__(self, content: Content, articles: list[Article], own_docs: Path | None = None):
        super().__init__()
        self.pages = {a.path: a for a in articles if a.public}
        self.left_out = {a.path for a in content.all_articles} - set(self.pages)
        self.own_docs = own_docs
        self.urls: dict[str, str] = {}  # article path -> its page's address on this site

    def on_files(self, files, config):
        for file in files:
            if file.src_uri in self.left_out or is_data_file(PurePosixPath(file.src_uri)):
                file.inclusion = InclusionLevel.EXCLUDED
        for uri, text in ((SEARCH_PAGE, search_page()), (READ_PAGE, read_page())):
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=text, inclusion=InclusionLevel.NOT_IN_NAV))
        for uri in self._theme_files(config):
            if files.get_file_from_path(uri) is None and (self.own_docs / uri).is_file():
                files.append(File(uri, str(self.own_docs), config.site_dir, config.use_directory_urls))
        return files

    def _theme_files(self, config) -> list[str]:
        if self.own_docs is None:
            return []
        named = [str(p) for p in [*config.extra_css, *config.extra_javascript, config.theme.get("logo"), config.theme.get("favicon")] if p]
        return [uri for uri in named if "://" not in uri and not uri.startswith("/")]

    def on_page_markdown(self, markdown, page, config, files):
        markdown = link_folders_to_their_pages(markdown, page.file.src_uri, files)
        article = self.pages.get(page.file.src_uri)
        if article is None:
            return markdown
        # The address is MkDocs' and its plugins' (a blog post's date and slug, use_directory_urls: false), not
        # the one the article's path suggests: the index, written after the site, stores this one.
        self.urls[article.path] = article.url = "/" + page.url
        # Material shows `status` as the page's badge in the nav; in a help center it is the workflow state.
        page.meta.pop("status", None)
        if article.badge:
            page.meta["status"] = article.badge
        return f"{BANNERS[article.status]}\n\n{markdown}" if article.status in BANNERS else markdown

    def on_page_content(self, html_text, page, config, files):
        article = self.pages.get(page.file.src_uri)
        if article is None:
            return html_text
        return html_text + "\n" + vote(article)


def link_folders_to_their_pages(markdown: str, src_uri: str, files) -> str:
    """A link to a folder (`../guide/#quickstart`, `./`) that has a page (its index.md or README.md) made a link
    to that page's file, as the content's reading does for the help-center look (crosschecks.py): MkDocs leaves
    it as written, and a browser reads it from the page's address, one folder too deep with directory URLs."""
    def to_page(target: str) -> str | None:
        path, hash_, anchor = target.partition("#")
        if not path or is_external(path) or PurePosixPath(path).suffix:
            return None
        folder = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path))
        if folder.startswith(".."):
            return None
        for name in ("index.md", "README.md"):
            if files.get_file_from_path(posixpath.join(folder, name) if folder != "." else name) is not None:
                return posixpath.join(path, name) + hash_ + anchor
        return None
    return rewrite_targets(markdown, to_page)


def vote(article: Article) -> str:
    """The place under an article that the widget fills with "Was this helpful?" and "Ask about this article"."""
    return f'<div class="hc-vote" data-article-id="{html.escape(article.id)}" data-article-title="{html.escape(article.title)}"></div>'
