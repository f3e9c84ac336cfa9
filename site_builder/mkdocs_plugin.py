"""The `help-center` MkDocs plugin: a team adds it to its own mkdocs.yml (`plugins: [search, help-center]`) and
keeps running `mkdocs build` or `mkdocs serve`.

Its site gets what `python build.py --mkdocs` gives it (site_additions.py: the widgets' script, the results and
reader pages, a vote under every article), and `mkdocs build` also writes the help center's build folder
(DuckDB index, LanceDB vectors, manifest and a copy of the site, by the build's own pipeline), so that
`python -m api --build FOLDER` serves the site with its API. Registered in pyproject.toml's
`mkdocs.plugins` entry points.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from .bundle import bundle
from .config import BUILD_SETTINGS, BuildConfig
from .content import Content, load
from .embeddings import ModelError
from .mkdocs_config import absolute_snippets, snippet_bases
from .pipeline import build
from .problems import ContentError
from .progress import Progress
from .settings import read_settings
from .site_additions import AdoptedSite, RestrictedLinks, WidgetScript

log = logging.getLogger("mkdocs.plugins.help-center")


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: Any
    help: str


# The plugin's options, each documented in docs/adopting.md (tests/site_builder/test_plugin.py checks it).
OPTIONS = (
    Option("output", str, "help-center", "The folder `mkdocs build` writes the help center's build into (indexes, manifest and "
           "a copy of the site), relative to mkdocs.yml: `python -m api --build` serves it."),
    Option("api", str, "", "The address of the API the pages call, such as `http://127.0.0.1:8000`. Empty: the server that "
           "serves the pages (`python -m api`). Another origin must be in the API's `HELP_CENTER_ALLOWED_ORIGINS`."),
    Option("serve_indexes", bool, False, "Also write the build folder on every rebuild of `mkdocs serve` (only changed "
           "pages are embedded again; a running `python -m api` picks the new build up)."),
)

HelpCenterConfig = type("HelpCenterConfig", (base.Config,), {o.name: c.Type(o.type, default=o.default) for o in OPTIONS})


class HelpCenterPlugin(BasePlugin[HelpCenterConfig]):
    def __init__(self):
        super().__init__()
        self.serving = False
        self.site: AdoptedSite | None = None
        self.parts: list[BasePlugin] = []

    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    def on_config(self, config):
        absolute_snippets(config, Path(config.config_file_path).parent)  # as build.py --mkdocs finds them
        content = _content(Path(config.docs_dir), Path(config.config_file_path))
        self.site = AdoptedSite(content, content.articles)
        self.parts = [self.site, RestrictedLinks(content.articles), WidgetScript(self.config.api)]
        return self._forward("config", config)

    def on_files(self, files, config):
        return self._forward("files", files, config=config)

    def on_page_markdown(self, markdown, page, config, files):
        return self._forward("page_markdown", markdown, page=page, config=config, files=files)

    def on_page_content(self, html, page, config, files):
        return self._forward("page_content", html, page=page, config=config, files=files)

    def on_post_page(self, output, page, config):
        return self._forward("post_page", output, page=page, config=config)

    def on_post_template(self, output_content, template_name, config):
        return self._forward("post_template", output_content, template_name=template_name, config=config)

    def _forward(self, event: str, value, **context):
        """The event through each part that handles it, in order (each is an ordinary MkDocs plugin)."""
        for part in self.parts:
            handler = getattr(part, f"on_{event}", None)
            if handler is not None:
                value = handler(value, **context)
        return value

    def on_post_build(self, config):
        site = Path(config.site_dir)
        _fail_as_plugin_error(lambda: bundle(site, demo=False))
        if self.serving and not self.config.serve_indexes:
            return
        out = Path(config.config_file_path).parent / self.config.output
        settings = read_settings(BUILD_SETTINGS, os.environ, {"content": Path(config.docs_dir), "out": out,
                                                              "mkdocs_config": Path(config.config_file_path)})
        # The site is the one MkDocs has just built, copied into the build folder; the long steps (embedding) show
        # their progress on stderr as python build.py does.
        copy = partial(_copy_site, site, self.site.urls)
        _fail_as_plugin_error(lambda: build(BuildConfig(**settings, quiet=True), log=log.info, progress=Progress, site=copy))
        log.info(f"help center: build written to {out} (serve it with `python -m api --build {out}`)")


def _content(docs: Path, mkdocs_yml: Path) -> Content:
    content = load(docs, ("published",), snippet_bases(mkdocs_yml))
    if content.problems.errors:
        raise PluginError("the help center's content has problems:\n" + "\n".join(str(p) for p in content.problems.errors))
    return content


def _copy_site(built: Path, urls: dict[str, str], content: Content, site_dir: Path) -> int:
    """The site MkDocs built, into the build folder; the articles take their addresses on it (AdoptedSite.urls)."""
    shutil.copytree(built, site_dir)
    for article in content.articles:
        if article.path in urls:
            article.url = urls[article.path]
    return sum(a.public for a in content.articles)


def _fail_as_plugin_error(step) -> None:
    """MkDocs reports a PluginError as one clear message and stops; the build's own errors become one."""
    try:
        step()
    except ContentError as exc:
        raise PluginError("help center build failed:\n" + "\n".join(str(p) for p in exc.problems)) from None
    except ModelError as exc:
        raise PluginError(f"help center build failed: {exc}") from None
