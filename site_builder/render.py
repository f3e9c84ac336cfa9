"""Article bodies as HTML for the API, rendered with the site's own Markdown settings: the markdown_extensions
of its mkdocs.yml, the project's or a team's own (snippets found where the site finds them)."""

from __future__ import annotations

import posixpath
import re
import tempfile
from pathlib import Path

import markdown

from .mkdocs_config import docs_dir, load
from .records import Article

HREF = re.compile(r'(href|src)="([^"#:?]+\.md)(#[^"]*)?"')


class Renderer:
    def __init__(self, mkdocs_config: Path, articles: list[Article]):
        # Only the Markdown settings matter here. The docs folder the file names may not exist, as the build may
        # read another (--content), and MkDocs refuses a missing one: any existing folder stands in for it.
        # Raises ContentError (mkdocs.yml:LINE: message) for what MkDocs refuses.
        docs = docs_dir(mkdocs_config)
        config = load(mkdocs_config, docs_dir=str(docs if docs.is_dir() else tempfile.gettempdir()))
        self.extensions = config["markdown_extensions"]
        self.configs = config["mdx_configs"]
        self.by_path = {a.path: a for a in articles}  # their url read when rendering: a team's site may set it
        self.markdown = markdown.Markdown(extensions=self.extensions, extension_configs=self.configs)

    def html(self, article: Article) -> str:
        # One converter, reset between articles: building it anew costs more than converting.
        html = self.markdown.reset().convert(article.body)
        return HREF.sub(lambda m: self._link(article, m), html)

    def _link(self, article: Article, match: re.Match) -> str:
        """Relative links between Markdown files become the pages' site paths."""
        target = posixpath.normpath(posixpath.join(posixpath.dirname(article.path), match.group(2)))
        linked = self.by_path.get(target)
        if linked is None:
            return match.group(0)
        return f'{match.group(1)}="{linked.url}{match.group(3) or ""}"'
