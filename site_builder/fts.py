"""The DuckDB index: articles, chunks, categories and synonyms, with a full-text index over chunks."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from .content import Content
from .output import (
    ARTICLES_TABLE, CATEGORIES_TABLE, CHUNKS_TABLE, FTS_FIELDS, IGNORE, PINS_TABLE, STEMMER, SYNONYMS_TABLE, load_fts,
)
from .records import Article, Category, Chunk


def write_index(path: Path, content: Content, chunks: list[Chunk], html: dict[str, str]) -> None:
    articles, categories, synonyms = content.articles, content.categories, content.synonyms
    with duckdb.connect(str(path)) as db:
        load_fts(db)
        table = _articles_table(articles).append_column("html", pa.array([html.get(a.id, "") for a in articles], pa.string()))
        db.register("articles_in", table)
        db.execute(f"CREATE TABLE {ARTICLES_TABLE} AS SELECT * FROM articles_in")
        db.register("chunks_in", _chunks_table(chunks))
        db.execute(f"CREATE TABLE {CHUNKS_TABLE} AS SELECT * FROM chunks_in")
        db.register("categories_in", _categories_table(categories))
        db.execute(f"CREATE TABLE {CATEGORIES_TABLE} AS SELECT * FROM categories_in")
        db.register("synonyms_in", pa.table({
            "group_id": [i for i, group in enumerate(synonyms) for _ in group],
            "term": [term for group in synonyms for term in group],
        }))
        db.execute(f"CREATE TABLE {SYNONYMS_TABLE} AS SELECT group_id::INTEGER AS group_id, term::TEXT AS term FROM synonyms_in")
        db.register("pins_in", pa.table({
            "query": pa.array([q for q, ids in content.pins.items() for _ in ids], pa.string()),
            "article_id": pa.array([i for ids in content.pins.values() for i in ids], pa.string()),
            "rank": pa.array([r for ids in content.pins.values() for r in range(len(ids))], pa.int32()),
        }))
        db.execute(f"CREATE TABLE {PINS_TABLE} AS SELECT * FROM pins_in")
        fields = ", ".join(f"'{name}'" for name in FTS_FIELDS)
        db.execute(
            f"PRAGMA create_fts_index('{CHUNKS_TABLE}', 'id', {fields}, "
            f"stemmer='{STEMMER}', stopwords='english', ignore='{IGNORE}', strip_accents=1, lower=1, overwrite=1)"
        )
        db.execute("CHECKPOINT")


def _articles_table(articles: list[Article]) -> pa.Table:
    return pa.table({
        "id": [a.id for a in articles],
        "title": [a.title for a in articles],
        "path": [a.path for a in articles],
        "url": [a.url for a in articles],
        "status": [a.status for a in articles],
        "summary": [a.summary for a in articles],
        "category": [a.category_id for a in articles],
        "tags": pa.array([a.tags for a in articles], pa.list_(pa.string())),
        "roles": pa.array([a.roles for a in articles], pa.list_(pa.string())),
        "tenants": pa.array([a.tenants for a in articles], pa.list_(pa.string())),
        "help_ids": pa.array([a.help_ids for a in articles], pa.list_(pa.string())),
        "contexts": pa.array([a.contexts for a in articles], pa.list_(pa.string())),
        "related": pa.array([a.related for a in articles], pa.list_(pa.string())),
        "owner": [a.owner for a in articles],
        "language": [a.language for a in articles],
        "last_reviewed": pa.array([a.last_reviewed for a in articles], pa.date32()),
        "review_every_days": pa.array([a.review_every_days for a in articles], pa.int32()),
        "updated": pa.array([a.updated for a in articles], pa.date32()),
        "search_boost": pa.array([a.search_boost for a in articles], pa.float64()),
        "search_exclude": pa.array([a.search_exclude for a in articles], pa.bool_()),
        "body": [a.body for a in articles],
    })


def _chunks_table(chunks: list[Chunk]) -> pa.Table:
    return pa.table({
        "id": [c.id for c in chunks],
        "article_id": [c.article_id for c in chunks],
        "title": [c.title for c in chunks],
        "heading_path": pa.array([c.heading_path for c in chunks], pa.list_(pa.string())),
        "section": [c.section for c in chunks],
        "anchor": [c.anchor for c in chunks],
        "text": [c.text for c in chunks],
        "position": pa.array([c.position for c in chunks], pa.int32()),
    })


def _categories_table(categories: dict[tuple[str, ...], Category]) -> pa.Table:
    rows = list(categories.values())
    return pa.table({
        "id": [c.id for c in rows],
        "parent": [c.parent for c in rows],
        "title": [c.title for c in rows],
        "description": [c.description for c in rows],
        "sort_order": pa.array([c.order for c in rows], pa.int32()),
        "icon": [c.icon for c in rows],
        "url": [c.url for c in rows],
    })
