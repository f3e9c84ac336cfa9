"""The build writes what site_builder.output names, and the API reads it back by the same names."""

from __future__ import annotations

import duckdb
import lancedb

from site_builder import output
from site_builder.output import (
    ARTICLE_COLUMNS, ARTICLES_TABLE, CATEGORIES_TABLE, CATEGORY_COLUMNS, CHUNK_COLUMNS, CHUNKS_TABLE, FTS_FIELDS, FTS_SCHEMA,
    INDEX_FILE, MANIFEST_FILE, PINS_TABLE, SITE_DIR, SYNONYMS_TABLE, VECTORS_DIR, VECTORS_TABLE, load_fts,
)
from site_builder.records import Article, Category, Chunk


def columns(db, table: str) -> list[str]:
    return [row[0] for row in db.execute(f"DESCRIBE {table}").fetchall()]


def test_a_build_holds_every_file_table_and_column_the_api_reads(demo_build):
    out, _ = demo_build
    assert all((out / name).exists() for name in (INDEX_FILE, VECTORS_DIR, SITE_DIR, MANIFEST_FILE))
    with duckdb.connect(str(out / INDEX_FILE), read_only=True) as db:
        load_fts(db)
        assert set(ARTICLE_COLUMNS) | {"html"} <= set(columns(db, ARTICLES_TABLE))
        assert list(CHUNK_COLUMNS) == [c for c in columns(db, CHUNKS_TABLE) if c in CHUNK_COLUMNS]
        assert set(CATEGORY_COLUMNS) <= set(columns(db, CATEGORIES_TABLE))
        assert {"group_id", "term"} <= set(columns(db, SYNONYMS_TABLE))
        assert {"query", "article_id", "rank"} <= set(columns(db, PINS_TABLE))
        fields = {row[0] for row in db.execute(f"SELECT field FROM {FTS_SCHEMA}.fields").fetchall()}
        assert fields == set(FTS_FIELDS)
    assert "id" in lancedb.connect(str(out / VECTORS_DIR)).open_table(VECTORS_TABLE).schema.names


def test_the_records_are_made_from_the_columns_read():
    assert set(ARTICLE_COLUMNS) <= set(Article.__dataclass_fields__)
    assert list(CHUNK_COLUMNS) == list(Chunk.__dataclass_fields__)


def test_the_shared_helpers():
    assert output.normalize_query("  Reset   PASSWORD ") == "reset password"
    assert output.anchored_url("/wo/create/", "error-e1042") == "/wo/create/#error-e1042"
    assert output.anchored_url("/wo/create/", "") == "/wo/create/"
    assert output.heading_text("Create a work order", ["Steps", "Errors"]) == "Create a work order > Steps > Errors"
    assert output.heading_text("Create a work order", []) == "Create a work order"
    assert output.category_ids(("wo", "creating")) == ["wo", "wo/creating"]
    categories = {"wo": Category(("wo",), "Work orders"), "wo/creating": Category(("wo", "creating"), "Creating")}
    assert output.category_titles(("wo", "creating", "gone"), categories) == ["Work orders", "Creating"]
    assert output.category_titles((), categories) == []


def test_an_article_knows_its_category_and_a_category_its_parent():
    article = Article(id="a", title="A", path="wo/creating/a.md", body="", body_line=1)
    assert (article.category, article.category_id, article.url) == (("wo", "creating"), "wo/creating", "/wo/creating/a/")
    assert Article(id="i", title="I", path="index.md", body="", body_line=1).category_id == ""
    assert (Category(("wo", "creating"), "Creating").parent, Category(("wo",), "Work orders").parent) == ("wo", "")
