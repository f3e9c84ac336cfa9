"""The demo help center is complete, valid, and builds into a site with indexes that answer questions."""

from __future__ import annotations

import duckdb
import lancedb
import pytest
import yaml

from site_builder.content import load
from site_builder.output import load_fts
from tests.conftest import PROJECT

CONTENT = PROJECT / "content"


@pytest.fixture(scope="module")
def demo():
    return load(CONTENT, ("published", "draft", "review"))


def test_demo_content_is_valid(demo):
    assert [str(p) for p in demo.problems.items] == []


def test_demo_covers_the_product_with_enough_published_articles(demo):
    published = [a for a in demo.all_articles if a.status == "published"]
    assert len(published) >= 40
    top = {a.category[0] for a in published}
    assert len(top) >= 6
    assert any(len(a.category) >= 2 for a in published), "subcategories"
    assert {a.status for a in demo.all_articles} == {"published", "draft", "review", "archived"}
    contexts = {c for a in published for c in a.contexts}
    assert {"/work-orders/new", "/ppm/calendar"} <= contexts and any(c.startswith("/checkpoints/") for c in contexts)
    assert sum(bool(a.help_ids) for a in published) >= 20
    assert any(a.roles for a in published)
    assert all(a.summary and a.owner and a.last_reviewed for a in published)
    assert len(demo.synonyms) >= 10


def test_demo_build_answers_real_questions(demo_build, embedder):
    out, manifest = demo_build
    assert manifest["articles"]["published"] >= 40 and manifest["chunks"]["total"] > 200
    with duckdb.connect(str(out / "index.duckdb"), read_only=True) as db:
        load_fts(db)
        hits = db.execute(
            "SELECT article_id FROM (SELECT article_id, fts_main_chunks.match_bm25(id, 'E1042 sync conflict') AS s FROM chunks) "
            "WHERE s IS NOT NULL ORDER BY s DESC LIMIT 3").fetchall()
    assert "error-e1042-sync-conflict" in {h[0] for h in hits}
    table = lancedb.connect(str(out / "vectors")).open_table("chunks")
    nearest = table.search(embedder.embed_query("the guard could not scan the tag at a checkpoint")).limit(5).to_list()
    assert "error-e2001-checkpoint-not-recognised" in {n["article_id"] for n in nearest} or "scan-a-checkpoint" in {n["article_id"] for n in nearest}


def test_demo_site_leaves_out_restricted_and_unpublished_articles(demo_build, demo):
    """An archived article's address keeps a page that only sends the reader on (site_builder/redirects.py)."""
    out, _ = demo_build
    for a in demo.all_articles:
        page = out / "site" / a.url.strip("/") / "index.html"
        shown = page.exists() and 'http-equiv="refresh"' not in page.read_text()
        assert shown == (a.status == "published" and a.public), a.path
        assert page.exists() == (a.status in ("published", "archived") and a.public), a.path


@pytest.mark.parametrize("name", ["questions.yml", "questions-holdout.yml"])
def test_the_evaluation_questions_point_at_published_articles(demo, name):
    questions = yaml.safe_load((PROJECT / "tests" / "eval" / name).read_text())
    published = {a.id: a for a in demo.all_articles if a.status == "published"}
    assert len(questions["answerable"]) >= 40 and len(questions["unanswerable"]) >= 20
    for q in questions["answerable"]:
        assert q["relevant"] and set(q["relevant"]) <= set(published), q["q"]
        restricted = any(not published[i].public for i in q["relevant"])
        assert restricted == bool(q.get("restricted")), f"{q['q']}: mark it restricted exactly when an answer is admin-only"
    texts = [q["q"] for q in questions["answerable"] + questions["unanswerable"]]
    assert len(texts) == len(set(texts))
