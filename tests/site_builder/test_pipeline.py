"""A build turns a content folder into a site and two indexes, atomically, re-embedding only what changed."""

from __future__ import annotations

import io
import json
import re

import duckdb
import lancedb
import pytest

from site_builder.output import load_fts
from site_builder.pipeline import build, summary
from site_builder.problems import ContentError
from site_builder.progress import Progress
from tests.conftest import article, config_for, write


@pytest.fixture
def built(small_content, tmp_path):
    out = tmp_path / "build"
    manifest = build(config_for(small_content, out), log=lambda _: None)
    return out, manifest


def test_manifest_counts_articles_and_chunks(built):
    out, manifest = built
    on_disk = json.loads((out / "manifest.json").read_text())
    assert on_disk == manifest
    assert manifest["articles"]["published"] == 4
    assert manifest["articles"]["draft"] == 1 and manifest["articles"]["archived"] == 1
    assert manifest["articles"]["restricted"] == 1
    assert manifest["chunks"]["total"] == manifest["chunks"]["embedded"] > 4
    assert manifest["chunks"]["cached"] == 0
    assert re.fullmatch(r"\d{8}T\d{12}Z", manifest["build_id"]), "content outside git: a timestamp"


def test_only_published_articles_are_indexed(built):
    out, _ = built
    with duckdb.connect(str(out / "index.duckdb"), read_only=True) as db:
        ids = {row[0] for row in db.execute("SELECT id FROM articles").fetchall()}
    assert ids == {"create-a-work-order", "assign-a-work-order", "schedule-ppm", "sso-setup"}


def test_full_text_index_finds_error_codes_and_stems(built):
    out, _ = built
    with duckdb.connect(str(out / "index.duckdb"), read_only=True) as db:
        load_fts(db)

        def top(query):
            return db.execute(
                "SELECT c.article_id, c.anchor FROM (SELECT *, fts_main_chunks.match_bm25(id, ?) AS score FROM chunks) c "
                "WHERE score IS NOT NULL ORDER BY score DESC LIMIT 1", [query]).fetchone()

        assert top("E1042") == ("create-a-work-order", "error-e1042")
        assert top("recurring inspections boiler") == ("schedule-ppm", "")
        assert top("choosing the assignee") == ("assign-a-work-order", "pick-a-technician")


def test_vector_index_answers_a_question_in_other_words(built, embedder):
    out, _ = built
    table = lancedb.connect(str(out / "vectors")).open_table("chunks")
    assert table.count_rows() == built[1]["chunks"]["total"]
    query = embedder.embed_query("how often should the boiler be inspected")
    hits = table.search(query).limit(3).to_list()
    assert hits[0]["article_id"] == "schedule-ppm"


def test_chunks_carry_heading_path_and_anchor(built):
    out, _ = built
    with duckdb.connect(str(out / "index.duckdb"), read_only=True) as db:
        rows = db.execute("SELECT heading_path, anchor, text FROM chunks WHERE article_id = 'create-a-work-order' ORDER BY position").fetchall()
    assert [(r[0], r[1]) for r in rows] == [([], ""), (["Fill in the form"], "fill-in-the-form"), (["Error E1042"], "error-e1042")]
    assert "Work orders > New" in rows[1][2] and "**" not in rows[1][2]


def test_site_has_breadcrumbs_related_vote_slot_and_no_restricted_or_draft_pages(built):
    out, _ = built
    site = out / "site"
    page = (site / "work-orders/creating/create-a-work-order/index.html").read_text()
    assert 'aria-label="Breadcrumb"' in page and ">Work orders</a>" in page and ">Creating</a>" in page
    assert "Related articles" in page and "../../assign-a-work-order/" in page
    assert 'class="hc-vote" data-article-id="create-a-work-order"' in page
    assert "Last updated" in page
    assert not (site / "ppm/sso-setup").exists()
    assert not (site / "ppm/future-feature").exists()
    home = (site / "index.html").read_text()
    assert 'role="search"' in home and "Preventive maintenance" in home
    assert "fonts.googleapis.com" not in home and not re.search(r"<(script|img)[^>]+src=\"https?:|<link[^>]+stylesheet[^>]+https?:", home)


def test_rebuild_embeds_only_changed_chunks(built, small_content):
    out, first = built
    again = build(config_for(small_content, out), log=lambda _: None)
    assert again["chunks"]["embedded"] == 0 and again["chunks"]["cached"] == first["chunks"]["total"]
    path = small_content / "ppm/schedule-ppm.md"
    path.write_text(path.read_text().replace("yearly visits", "yearly or quarterly visits"))
    changed = build(config_for(small_content, out), log=lambda _: None)
    assert changed["chunks"]["embedded"] == 1
    assert (out.parent / "build.previous/manifest.json").exists()


def test_a_failed_build_leaves_the_previous_one_untouched(built, small_content):
    out, first = built
    before = {p.relative_to(out): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    write(small_content, "broken.md", article("Broken", status="publishd"))
    with pytest.raises(ContentError):
        build(config_for(small_content, out), log=lambda _: None)
    after = {p.relative_to(out): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".build")] == []


def test_a_crash_midway_leaves_no_half_written_output(small_content, tmp_path):
    out = tmp_path / "build"

    def site_that_fails_halfway(content, site_dir):
        (site_dir / "index.html").parent.mkdir(parents=True)
        (site_dir / "index.html").write_text("half a site")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        build(config_for(small_content, out), log=lambda _: None, site=site_that_fails_halfway)
    assert not out.exists()
    assert list(tmp_path.glob(".build*")) == []


def test_a_broken_mkdocs_yml_is_reported_before_minutes_of_embedding(small_content, tmp_path):
    config = config_for(small_content, tmp_path / "build", "--no-site")
    broken = config.__class__(**{**config.__dict__, "mkdocs_config": tmp_path / "missing.yml", "site": True})
    with pytest.raises(ContentError):
        build(broken, log=lambda _: None)
    assert not (tmp_path / "cache").exists(), "nothing was embedded"


def test_preview_includes_drafts_with_a_banner(small_content, tmp_path):
    out = tmp_path / "preview"
    manifest = build(config_for(small_content, out, "--preview"), log=lambda _: None)
    assert manifest["articles"]["indexed"] == 5 and manifest["preview"] is True
    page = (out / "site/ppm/future-feature/index.html").read_text()
    assert "Draft: not published" in page
    archived = (out / "site/ppm/old-scanner/index.html").read_text()
    assert "Retired hardware" not in archived and 'http-equiv="refresh" content="0; url=../"' in archived, \
        "an archived article is not shown, even in a preview: its address leads to its category"


def test_build_id_is_the_content_commit_and_marks_uncommitted_changes(small_content, tmp_path):
    import subprocess

    def git(*args):
        subprocess.run(["git", "-C", str(small_content), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "content")
    head = subprocess.run(["git", "-C", str(small_content), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert build(config_for(small_content, tmp_path / "b1", "--no-site"), log=lambda _: None)["build_id"] == head
    (small_content / "ppm/schedule-ppm.md").write_text((small_content / "ppm/schedule-ppm.md").read_text() + "\nMore.\n")
    assert build(config_for(small_content, tmp_path / "b2", "--no-site"), log=lambda _: None)["build_id"].startswith(head + "-dirty-")


def test_every_long_step_reports_its_progress_and_ends_with_a_line(small_content, tmp_path):
    log = io.StringIO()

    def progress(step, total, unit=""):
        return Progress(step, total, stream=log, every=0, unit=unit)  # every=0: a line at each advance

    manifest = build(config_for(small_content, tmp_path / "build"), log=lambda _: None, progress=progress)
    lines = log.getvalue().splitlines()
    chunks = manifest["chunks"]["total"]
    assert f"embed: {chunks}/{chunks} chunks" not in log.getvalue(), "a step's last line is its summary"
    assert [line.split(",")[0] for line in lines if line.startswith("index: ") and "/" in line.split(",")[0]] == \
        ["index: 1/4 articles", "index: 2/4 articles", "index: 3/4 articles"]
    assert any(re.fullmatch(r"site html: \d/9 pages, [\d.]+/s, [\d.]+ s left", line) for line in lines)
    finals = [line.split(" in ")[0] for line in lines if re.search(r" in [\d.]+ s(, [\d.]+/s)?$", line)]
    assert finals == ["read: 6 files", "chunk: 4 articles", f"embed: {chunks} chunks", "site markdown: 9 pages", "site html: 9 pages", "index: 4 articles"]
    again = io.StringIO()
    build(config_for(small_content, tmp_path / "build"), log=lambda _: None,
          progress=lambda step, total, unit="": Progress(step, total, stream=again, unit=unit))
    assert "embed: 0 chunks in" in again.getvalue(), "a rebuild from the cache says it embedded nothing"


def test_the_summary_says_when_the_content_has_uncommitted_changes():
    manifest = {"build_id": "5a8b874622d005ae2e064d48df440a9ee177d62e", "seconds": {"total": 1.5}, "site": {"built": False},
                "articles": {"published": 1, "draft": 0, "review": 0, "archived": 0, "indexed": 1, "restricted": 0},
                "chunks": {"total": 2, "embedded": 2, "cached": 0}}
    assert summary(manifest).startswith("Built 5a8b874622d0 in 1.5 s\n")
    dirty = {**manifest, "build_id": "5a8b874622d005ae2e064d48df440a9ee177d62e-dirty-20261203T191927123456Z"}
    assert summary(dirty).startswith("Built 5a8b874622d0 with uncommitted changes in 1.5 s\n")
    outside = {**manifest, "build_id": "20261203T191927123456Z"}
    assert summary(outside).startswith("Built 20261203T191927123456Z (content not in git) in 1.5 s\n")
