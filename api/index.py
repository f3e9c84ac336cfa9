"""A build loaded for serving: articles, chunks, keyword postings and vectors, all in memory.

Everything a query needs is read at start, so the first search is as fast as the rest,
and the build's files are opened read-only and closed again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import lancedb
import numpy as np

from site_builder.output import (
    ARTICLE_COLUMNS, ARTICLES_TABLE, CATEGORIES_TABLE, CATEGORY_COLUMNS, CHUNK_COLUMNS, CHUNKS_TABLE, INDEX_FILE, MANIFEST_FILE,
    PINS_TABLE, SYNONYMS_TABLE, VECTORS_DIR, VECTORS_TABLE, load_fts,
)
from site_builder.records import Article, Category, Chunk

from .keyword import Analyzer, Postings, Statistics
from .lru import LRU
from .semantic import VectorSearch, page_vectors
from .tokens import Caller

CALLER_CACHE = 256  # visibility masks and keyword statistics kept, per roles and tenant


class BuildError(Exception):
    """A build folder that cannot be served."""


@dataclass
class Index:
    build: Path
    manifest: dict
    articles: list[Article]
    html: dict[str, str]
    categories: dict[str, Category]
    chunks: list[Chunk]
    chunk_article: np.ndarray
    postings: Postings
    analyzer: Analyzer
    vectors: np.ndarray
    pins: dict[str, list[str]]
    position: dict[str, int] = field(default_factory=dict)
    _cache: LRU = field(default_factory=lambda: LRU(CALLER_CACHE))

    def __post_init__(self):
        self.position = {a.id: i for i, a in enumerate(self.articles)}
        self.searchable = np.array([not a.search_exclude for a in self.articles], dtype=bool)
        self.public = np.array([a.public for a in self.articles], dtype=bool)
        self.vector_search = VectorSearch(self.vectors, self.public[self.chunk_article])
        self.chunk_count = np.maximum(np.bincount(self.chunk_article, minlength=len(self.articles)), 1)
        self.page_vectors = page_vectors(self.vectors, self.chunk_article, len(self.articles))

    @property
    def build_id(self) -> str:
        return self.manifest["build_id"]

    def visible(self, caller: Caller) -> np.ndarray:
        """Which articles the caller may read: public ones, and restricted ones their roles (and tenant) allow."""
        return self._cache.get_or_make(("visible", caller.roles, caller.tenant),
                                       lambda: np.array([may_read(a, caller) for a in self.articles], dtype=bool))

    def statistics(self, caller: Caller) -> Statistics:
        """Keyword statistics over what the caller may read; the public ones when that is all they see."""
        visible = self.visible(caller)
        if np.array_equal(visible, self.public):
            return self.postings.public
        return self._cache.get_or_make(("statistics", caller.roles, caller.tenant),
                                       lambda: self.postings.statistics(visible[self.chunk_article]))

    def article(self, article_id: str, caller: Caller) -> Article | None:
        i = self.position.get(article_id)
        return self.articles[i] if i is not None and self.visible(caller)[i] else None


def may_read(article: Article, caller: Caller) -> bool:
    if article.roles and not caller.roles & set(article.roles):
        return False
    if article.tenants and caller.tenant not in article.tenants:
        return False
    return True


def load_index(build: Path, model_id: str | None = None) -> Index:
    """Read a build folder; raises BuildError when it is incomplete or made with another model."""
    try:
        manifest = json.loads((build / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BuildError(f"{build} has no readable {MANIFEST_FILE}: {exc}") from None
    built_with = manifest.get("embedding", {}).get("model")
    if model_id and built_with != model_id:
        raise BuildError(f"{build} was embedded with {built_with}, but the server's model is {model_id}")
    try:
        with duckdb.connect(str(build / INDEX_FILE), read_only=True) as db:
            load_fts(db)
            articles, html = _articles(db)
            chunks = _chunks(db)
            by_id = {a.id: a for a in articles}
            chunk_index = {c.id: i for i, c in enumerate(chunks)}
            public = np.array([by_id[c.article_id].public for c in chunks], dtype=bool)
            postings = Postings(db, chunk_index, public)
            synonyms = _synonyms(db)
            analyzer = Analyzer(db, postings, synonyms, public)
            categories = _categories(db)
            pins: dict[str, list[str]] = {}
            for query, article_id in db.execute(f"SELECT query, article_id FROM {PINS_TABLE} ORDER BY query, rank").fetchall():
                pins.setdefault(query, []).append(article_id)
        vectors = _vectors(build / VECTORS_DIR, chunk_index)
    except (duckdb.Error, OSError, KeyError, ValueError) as exc:
        raise BuildError(f"{build} cannot be loaded: {exc}") from None
    position = {a.id: i for i, a in enumerate(articles)}
    chunk_article = np.array([position[c.article_id] for c in chunks], dtype=np.int32)
    return Index(build, manifest, articles, html, categories, chunks, chunk_article, postings, analyzer, vectors, pins)


def _articles(db) -> tuple[list[Article], dict[str, str]]:
    rows = db.execute(f"SELECT {', '.join(ARTICLE_COLUMNS)}, url, html FROM {ARTICLES_TABLE} ORDER BY id").fetchall()
    articles, html = [], {}
    for row in rows:
        values = dict(zip(ARTICLE_COLUMNS, row))
        articles.append(Article(body_line=1, **values))
        articles[-1].url = row[-2]  # the site's own address (a team's MkDocs site may give one its path does not)
        html[values["id"]] = row[-1]
    return articles, html


def _chunks(db) -> list[Chunk]:
    rows = db.execute(f"SELECT {', '.join(CHUNK_COLUMNS)} FROM {CHUNKS_TABLE} ORDER BY article_id, position").fetchall()
    return [Chunk(*row) for row in rows]


def _synonyms(db) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for group_id, term in db.execute(f"SELECT group_id, term FROM {SYNONYMS_TABLE} ORDER BY group_id").fetchall():
        groups.setdefault(group_id, []).append(term)
    return list(groups.values())


def _categories(db) -> dict[str, Category]:
    rows = db.execute(f"SELECT {', '.join(CATEGORY_COLUMNS)} FROM {CATEGORIES_TABLE}").fetchall()
    return {cid: Category(tuple(cid.split("/")), title, description, order, icon) for cid, title, description, order, icon in rows}


def _vectors(path: Path, chunk_index: dict[str, int]) -> np.ndarray:
    table = lancedb.connect(str(path)).open_table(VECTORS_TABLE).to_arrow()
    ids = table.column("id").to_pylist()
    column = table.column("vector").combine_chunks()
    flat = column.values.to_numpy(zero_copy_only=False).astype(np.float32)
    raw = flat.reshape(len(ids), -1) if ids else np.zeros((0, 1), np.float32)
    if set(ids) != set(chunk_index):
        raise BuildError("the vector index and the full-text index hold different chunks")
    ordered = np.zeros_like(raw)
    ordered[[chunk_index[i] for i in ids]] = raw
    return ordered
