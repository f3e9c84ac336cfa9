"""The build's output format: what build.py writes and the API reads.

A build folder holds the DuckDB index, the LanceDB vectors, the static site and a manifest.
The names of the files, tables and columns, the full-text tokenizer, and the small rules both
sides apply to what is stored (a query's normal form, a passage's URL, its heading path, an
article's category titles) are defined here once. Standard library only: the server imports it
without the build's Markdown, YAML and mkdocs packages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

    from .records import Category

# Files of a build folder
INDEX_FILE = "index.duckdb"
VECTORS_DIR = "vectors"
SITE_DIR = "site"
MANIFEST_FILE = "manifest.json"
CSP_FILE = "csp.json"  # the Content-Security-Policy the server sends with the site's pages (site_builder/csp.py)


def previous_build(out: Path) -> Path:
    """Where a build swapped out by a newer one is kept (for a rollback, and for the server still serving it)."""
    return out.with_name(out.name + ".previous")

# Tables of the DuckDB index (docs/integrators.md lists their columns)
ARTICLES_TABLE = "articles"
CHUNKS_TABLE = "chunks"
CATEGORIES_TABLE = "categories"
SYNONYMS_TABLE = "synonyms"
PINS_TABLE = "pins"

# The LanceDB table of chunk vectors: id, article_id, position, vector
VECTORS_TABLE = "chunks"

# The columns an Article (records.Article) is read back from; the table also holds url,
# category and html.
ARTICLE_COLUMNS = ("id", "title", "path", "body", "status", "summary", "tags", "roles", "tenants", "help_ids", "contexts",
                   "owner", "last_reviewed", "review_every_days", "related", "language", "search_boost", "search_exclude", "updated")
# The columns a Chunk (records.Chunk) is read back from, in its fields' order; the table also holds section.
CHUNK_COLUMNS = ("id", "article_id", "title", "heading_path", "anchor", "text", "position")
# The columns a Category (records.Category) is read back from; the table also holds parent and url.
CATEGORY_COLUMNS = ("id", "title", "description", "sort_order", "icon")

# The full-text index over the chunks table: its schema, the fields it indexes, and its tokenizer.
FTS_SCHEMA = f"fts_main_{CHUNKS_TABLE}"
FTS_FIELDS = ("title", "section", "text")
STEMMER = "english"
# The default tokenizer drops digits; error codes and versions must stay findable.
IGNORE = r"(\.|[^a-z0-9])+"

# Markdown the chunker turns into plain text, and the assistant finds again to quote a row or an item as written.
MD_LINK = re.compile(r"!?\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)]*\)")
MD_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
MD_TAG = re.compile(r"</?[A-Za-z][^>]*>")
MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")

# Where chunk text splits into sentences: the chunker cuts long paragraphs there, the assistant quotes whole ones.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def normalize_query(text: str) -> str:
    """A query's normal form (lower case, single spaces): pins are stored and looked up by it."""
    return " ".join(text.lower().split())


def anchored_url(url: str, anchor: str) -> str:
    """A page's URL, pointing at the section `anchor` when there is one."""
    return url + (f"#{anchor}" if anchor else "")


def heading_text(title: str, heading_path: Sequence[str]) -> str:
    """Where a passage sits: the article's title, then its headings, as `Title > Heading > Subheading`."""
    return " > ".join([title, *heading_path])


def category_ids(path: Sequence[str]) -> list[str]:
    """The ids of a category folder and of every category above it, outermost first."""
    return ["/".join(path[:i]) for i in range(1, len(path) + 1)]


def category_titles(path: Sequence[str], categories: Mapping[str, Category]) -> list[str]:
    """The titles of a category folder and of every category above it, outermost first."""
    return [categories[cid].title for cid in category_ids(path) if cid in categories]


def fts_extension_path() -> Path:
    """The FTS extension binary from the duckdb-extension-fts package (autoinstall would need the network)."""
    import duckdb_extension_fts

    found = sorted(Path(duckdb_extension_fts.__file__).parent.rglob("fts.duckdb_extension"))
    if not found:
        raise RuntimeError("fts.duckdb_extension is missing from the duckdb-extension-fts package; run `make setup`")
    return found[-1]


def load_fts(db: duckdb.DuckDBPyConnection) -> None:
    db.execute(f"INSTALL '{fts_extension_path()}'")
    db.execute("LOAD fts")
