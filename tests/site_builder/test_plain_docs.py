"""A team points the build at the docs folder it already has: no front matter needed."""

from __future__ import annotations

import duckdb

from site_builder.pipeline import build
from tests.conftest import config_for, write


def test_plain_markdown_tree_builds_with_titles_from_headings(tmp_path):
    docs = tmp_path / "docs"
    write(docs, "index.md", "# Welcome\n\nStart here. See [colors](setup/changing-the-colors.md#the-palette).\n")
    write(docs, "setup/changing-the-colors.md", "# Changing the colors\n\n## The palette\n\nPick a primary color.\n")
    write(docs, "setup/index.md", "# Setup\n\nHow to set things up.\n")
    write(docs, "guide.md", "---\ntitle: The guide\nhide: [toc]\n---\nNo heading here, [broken](missing.md).\n")
    write(docs, "img/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    out = tmp_path / "out"
    manifest = build(config_for(docs, out), log=lambda _: None)
    assert manifest["articles"]["published"] == 4 and manifest["warnings"] == 1
    with duckdb.connect(str(out / "index.duckdb"), read_only=True) as db:
        rows = dict(db.execute("SELECT title, url FROM articles").fetchall())
    assert rows == {"Welcome": "/", "Changing the colors": "/setup/changing-the-colors/", "Setup": "/setup/", "The guide": "/guide/"}
    page = (out / "site/setup/changing-the-colors/index.html").read_text()
    assert page.count("<h1") == 1 and 'id="the-palette"' in page
    assert "How to set things up." in (out / "site/setup/index.html").read_text()
    assert (out / "site/img/logo.svg").exists()


def test_no_site_builds_only_the_indexes(tmp_path):
    docs = tmp_path / "docs"
    write(docs, "a.md", "# A\n\nText.\n")
    out = tmp_path / "out"
    manifest = build(config_for(docs, out, "--no-site"), log=lambda _: None)
    assert manifest["site"] == {"built": False, "pages": 0}
    assert sorted(p.name for p in out.iterdir()) == ["index.duckdb", "manifest.json", "vectors"]
