"""The whole build: content -> validated articles -> chunks -> embeddings -> indexes and site.

Everything is written into a fresh folder beside the output and swapped into place only
when every step succeeded, so a reader of the output never sees a half-written build.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .chunking import chunk_articles
from .config import BuildConfig
from .content import Content, load, status_counts
from .embeddings import Embedder, EmbeddingCache, text_key
from .fts import write_index
from .history import content_commit
from .mkdocs_config import snippet_bases
from .output import INDEX_FILE, MANIFEST_FILE, SITE_DIR, VECTORS_DIR, previous_build
from .problems import ContentError, Problem
from .progress import Progress, silent
from .records import Chunk
from .render import Renderer
from .csp import write_policy
from .redirects import find_redirects, write_redirects
from .site import build_site
from .tours import Tour, read_tours, write_tours
from .vectors import write_vectors

SAVE_EVERY = 4096  # chunks embedded between two saves of the embedding cache

ProgressFactory = Callable[..., Progress]  # (step, total, unit=...) -> Progress: the class itself, or silent
SiteWriter = Callable[[Content, Path], int]  # (content, site folder) -> number of article pages


@dataclass
class Embedded:
    vectors: np.ndarray
    embedded: int
    cached: int
    tokens: int
    seconds: float


def check(config: BuildConfig) -> tuple[Content, list[Tour]]:
    """Read and validate the content and its guided tours; raises ContentError listing every problem."""
    content = load(config.content, config.statuses, snippet_bases(config.mkdocs_config))
    tours = read_tours(config.content, content.articles, content.problems)
    if content.problems.errors:
        raise ContentError(content.problems.errors)
    return content, tours


def build(config: BuildConfig, log=print, progress: ProgressFactory = silent, site: SiteWriter | None = None) -> dict:
    """Build into a hidden staging folder, then swap it into place whole.

    `progress(step, total, unit=...)` shows each long step (site_builder/progress.py); `site(content, site_dir)`,
    when given, writes the site in place of build_site and returns its number of article pages (the MkDocs plugin)."""
    started = time.perf_counter()
    if not config.content.is_dir():
        raise ContentError([Problem(str(config.content), 1, "content folder does not exist")])
    with progress("read", sum(1 for _ in config.content.rglob("*.md")), unit="files") as counter:
        content, tours = check(config)
        counter.advance(counter.total)
    for warning in content.problems.warnings:
        log(str(warning))
    renderer = Renderer(config.mkdocs_config, content.articles)  # checks a team's mkdocs.yml before minutes of embedding
    embedder = Embedder(config.model, config.tokenizer)
    timings: dict[str, float] = {}
    mark = time.perf_counter()
    with progress("chunk", len(content.articles), unit="articles") as counter:
        chunks = chunk_articles(content.articles, embedder.count_tokens, config.chunk_tokens)
        counter.advance(len(content.articles))
    timings["chunk"] = time.perf_counter() - mark
    embedded = embed_chunks(embedder, chunks, EmbeddingCache(config.cache / "embeddings.duckdb", embedder.model_id), progress)
    timings["embed"] = embedded.seconds
    config.out.parent.mkdir(parents=True, exist_ok=True)
    for removed in remove_stale_staging(config.out):
        log(f"removed {removed.name}, left behind by a build that was killed")
    staging = Path(tempfile.mkdtemp(prefix=f".{config.out.name}.{os.getpid()}.", dir=config.out.parent))
    try:
        parts = _Parts(content, tours, renderer, chunks, embedded.vectors)
        pages = _write_build(config, parts, staging, timings, progress, site)
        timings["total"] = time.perf_counter() - started
        manifest = _manifest(config, content, chunks, embedded, embedder, pages, timings)
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        with _stops_deferred():  # from here on the build is swapped in whole, never half
            _swap_into_place(staging, config.out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not config.quiet:
        log(summary(manifest))
    return manifest


@dataclass
class _Parts:
    """What the indexes and the site are written from."""
    content: Content
    tours: list[Tour]
    renderer: Renderer
    chunks: list[Chunk]
    vectors: np.ndarray


def _write_build(config: BuildConfig, parts: _Parts, staging: Path, timings: dict, progress: ProgressFactory,
                 site: SiteWriter | None) -> int:
    """The site, then the indexes, into `staging`; returns the number of article pages.

    The site goes first: with a team's own mkdocs.yml, MkDocs decides a page's address, which the index then stores."""
    mark = time.perf_counter()
    content, pages = parts.content, 0
    if site is not None:
        pages = site(content, staging / SITE_DIR)
    elif config.site:
        pages = build_site(content, content.articles, config.mkdocs_config, staging / SITE_DIR, staging / ".work",
                           progress=lambda step, total: progress(step, total, unit="pages"), site_url=config.site_url)
    if site is not None or config.site:
        write_tours(staging / SITE_DIR, parts.tours)
        write_redirects(staging / SITE_DIR, find_redirects(content.root, content.all_articles, content.articles, content.categories))
        write_policy(staging, staging / SITE_DIR)
    shutil.rmtree(staging / ".work", ignore_errors=True)
    timings["site"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with progress("index", len(content.articles), unit="articles") as counter:
        html = {}
        for article in content.articles:
            html[article.id] = parts.renderer.html(article)
            counter.advance()
        write_index(staging / INDEX_FILE, content, parts.chunks, html)
        write_vectors(staging / VECTORS_DIR, parts.chunks, parts.vectors)
    timings["index"] = time.perf_counter() - mark
    return pages


def embed_chunks(embedder: Embedder, chunks: list[Chunk], cache: EmbeddingCache, progress: ProgressFactory = silent) -> Embedded:
    mark = time.perf_counter()
    texts = [c.embedding_text() for c in chunks]
    keys = [text_key(t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts) if cache.get(k) is None}.items())
    # Saved block by block, so an interrupted first build keeps what it embedded.
    with progress("embed", len(missing), unit="chunks") as counter:
        for start in range(0, len(missing), SAVE_EVERY):
            block = missing[start:start + SAVE_EVERY]
            for (key, _), vector in zip(block, embedder.embed([t for _, t in block], progress=counter)):
                cache.put(key, vector)
            cache.save()
    tokens = embedder.tokens_in([t for _, t in missing]) if missing else 0
    matrix = np.stack([cache.get(k) for k in keys]) if keys else np.zeros((0, embedder.dimension), np.float32)
    new = {k for k, _ in missing}
    embedded = sum(k in new for k in keys)
    return Embedded(matrix, embedded, len(keys) - embedded, tokens, time.perf_counter() - mark)


def _manifest(config, content, chunks, embedded, embedder, pages, timings) -> dict:
    return {
        "build_id": _build_id(config.content),
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "content": str(config.content),
        "preview": config.preview,
        "articles": {**status_counts(content.all_articles), "indexed": len(content.articles), "restricted": sum(not a.public for a in content.articles)},
        "categories": len(content.categories),
        "chunks": {"total": len(chunks), "embedded": embedded.embedded, "cached": embedded.cached},
        "embedding": {"model": embedder.model_id, "dimension": embedder.dimension, "tokens_embedded": embedded.tokens,
                      "tokens_per_second": round(embedded.tokens / embedded.seconds) if embedded.tokens else None},
        "site": {"built": config.site, "pages": pages},
        "warnings": len(content.problems.warnings),
        "seconds": {k: round(v, 2) for k, v in timings.items()},
    }


def _build_id(content: Path) -> str:
    """The content's commit when it is committed; otherwise (or when dirty) unique to this run."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    commit = content_commit(content)
    if commit is None:
        return stamp
    return commit if not commit.endswith("+dirty") else f"{commit[:-6]}-dirty-{stamp}"


def summary(manifest: dict) -> str:
    a, c = manifest["articles"], manifest["chunks"]
    states = ", ".join(f"{a[s]} {s}" for s in ("published", "draft", "review", "archived"))
    site = f"site: {manifest['site']['pages']} article pages" if manifest["site"]["built"] else "site: skipped (--no-site)"
    return (f"Built {_origin(manifest['build_id'])} in {manifest['seconds']['total']} s\n"
            f"  articles: {states}; {a['indexed']} indexed ({a['restricted']} restricted)\n"
            f"  chunks: {c['total']} total, {c['embedded']} embedded, {c['cached']} from cache\n"
            f"  {site}")


def remove_stale_staging(out: Path) -> list[Path]:
    """Remove the hidden staging folders beside `out` whose build is dead (killed with -9, a machine that went down).

    Each is named after its build's process id; a folder whose process still runs is another build at work."""
    named = re.compile(rf"\.{re.escape(out.name)}\.(?:old-)?(\d+)(?:\..*)?")
    removed = []
    for path in sorted(out.parent.glob(f".{out.name}.*")):
        match = named.fullmatch(path.name)
        if match and path.is_dir() and not _running(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid <= 0:  # not a process id a build wrote
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, run by another user
        return True
    return True


@contextmanager
def _stops_deferred():
    """Ctrl-C or SIGTERM arriving during the swap waits for it: the build then counts as finished, never as half-swapped."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stops = (signal.SIGINT, signal.SIGTERM)
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in stops}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _origin(build_id: str) -> str:
    """What the build was made from, as the summary's first line says it."""
    if "-dirty-" in build_id:
        return f"{build_id[:12]} with uncommitted changes"
    if re.fullmatch(r"[0-9a-f]{40}", build_id):
        return build_id[:12]
    return f"{build_id} (content not in git)"


_RENAME_EXCHANGE = 2


def _swap_into_place(staging: Path, out: Path) -> None:
    """Exchange the new build with the old in one step; keep the old one as `<out>.previous`."""
    previous = previous_build(out)
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        old = staging
    else:
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        os.rename(out, old)
        os.rename(staging, out)
    shutil.rmtree(previous, ignore_errors=True)
    os.rename(old, previous)


def _exchange(a: Path, b: Path) -> bool:
    """Linux renameat2(RENAME_EXCHANGE): both paths stay valid at every instant."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0
