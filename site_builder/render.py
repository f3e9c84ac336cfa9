"""Article bodies as HTML for the API, rendered with the site's own Markdown settings."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import markdown
from mkdocs.config import load_config

from .records import Article

HREF = re.compile(r'(href|src)="([^"#:?]+\.md)(#[^"]*)?"')


class Renderer:
    def __init__(self, mkdocs_config: Path, articles: list[Article]):
        config = load_config(config_file=str(mkdocs_config))
        self.extensions = config["markdown_extensions"]
        self.configs = config["mdx_configs"]
        self.urls = {a.path: a.url for a in articles}
        self.markdown = markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)

    def html(self, article: Article) -> str:
        # One converter, reset between articles: building it anew costs more than converting.
        html = self.markdown.reset().convert(article.body)
        return HREF.sub(lambda m: self._link(article, m), html)

    def _link(self, article: Article, match: re.Match) -> str:
        """Relative links between Markdown files become the pages' site paths."""
        target = posixpath.normpath(posixpath.join(posixpath.dirname(article.path), match.group(2)))
        url = self.urls.get(target)
        if url is None:
            return match.group(0)
        return f'{match.group(1)}="{url}{match.group(3) or ""}"'
