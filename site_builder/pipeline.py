"""The whole build: content -> validated articles -> chunks -> embeddings -> indexes and site.

Everything is written into a fresh folder beside the output and swapped into place only
when every step succeeded, so a reader of the output never sees a half-written build.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import tempfile
import time
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
from .output import INDEX_FILE, MANIFEST_FILE, SITE_DIR, VECTORS_DIR
from .problems import ContentError, Problem
from .records import Chunk
from .render import Renderer
from .site import build_site
from .tours import Tour, read_tours, write_tours
from .vectors import write_vectors

SAVE_EVERY = 4096  # chunks embedded between two saves of the embedding cache


@dataclass
class Embedded:
    vectors: np.ndarray
    embedded: int
    cached: int
    tokens: int
    seconds: float


def check(config: BuildConfig) -> tuple[Content, list[Tour]]:
    """Read and validate the content and its guided tours; raises ContentError listing every problem."""
    content = load(config.content, config.statuses)
    tours = read_tours(config.content, content.articles, content.problems)
    if content.problems.errors:
        raise ContentError(content.problems.errors)
    return content, tours


def build(config: BuildConfig, log=print) -> dict:
    started = time.perf_counter()
    if not config.content.is_dir():
        raise ContentError([Problem(str(config.content), 1, "content folder does not exist")])
    content, tours = check(config)
    for warning in content.problems.warnings:
        log(str(warning))
    embedder = Embedder(config.model, config.tokenizer)
    timings: dict[str, float] = {}
    mark = time.perf_counter()
    chunks = chunk_articles(content.articles, embedder.count_tokens, config.chunk_tokens)
    timings["chunk"] = time.perf_counter() - mark
    embedded = embed_chunks(embedder, chunks, EmbeddingCache(config.cache / "embeddings.duckdb", embedder.model_id))
    timings["embed"] = embedded.seconds
    config.out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{config.out.name}.", dir=config.out.parent))
    try:
        mark = time.perf_counter()
        renderer = Renderer(config.mkdocs_config, content.articles)
        write_index(staging / INDEX_FILE, content, chunks, {a.id: renderer.html(a) for a in content.articles})
        write_vectors(staging / VECTORS_DIR, chunks, embedded.vectors)
        timings["index"] = time.perf_counter() - mark
        mark = time.perf_counter()
        pages = build_site(content, content.articles, config.mkdocs_config, staging / SITE_DIR, staging / ".work") if config.site else 0
        if config.site:
            write_tours(staging / SITE_DIR, tours)
        shutil.rmtree(staging / ".work", ignore_errors=True)
        timings["site"] = time.perf_counter() - mark
        timings["total"] = time.perf_counter() - started
        manifest = _manifest(config, content, chunks, embedded, embedder, pages, timings)
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _swap_into_place(staging, config.out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log(summary(manifest))
    return manifest


def embed_chunks(embedder: Embedder, chunks: list[Chunk], cache: EmbeddingCache) -> Embedded:
    mark = time.perf_counter()
    texts = [c.embedding_text() for c in chunks]
    keys = [text_key(t) for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts) if cache.get(k) is None}.items())
    # Saved block by block, so an interrupted first build keeps what it embedded.
    for start in range(0, len(missing), SAVE_EVERY):
        block = missing[start:start + SAVE_EVERY]
        for (key, _), vector in zip(block, embedder.embed([t for _, t in block])):
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
    return (f"Built {manifest['build_id'][:12]} in {manifest['seconds']['total']} s\n"
            f"  articles: {states}; {a['indexed']} indexed ({a['restricted']} restricted)\n"
            f"  chunks: {c['total']} total, {c['embedded']} embedded, {c['cached']} from cache\n"
            f"  {site}")


_RENAME_EXCHANGE = 2


def _swap_into_place(staging: Path, out: Path) -> None:
    """Exchange the new build with the old in one step; keep the old one as `<out>.previous`."""
    previous = out.with_name(out.name + ".previous")
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
