"""A team with a Material for MkDocs site points the build at its docs folder, as it is, with no extra flag.

The site is tests/site_builder/fixtures/material-site/: written for this test, it uses every MkDocs and Material
front matter field and layout a team's site has (page badges, blog posts, README and index sections, snippet
includes from the docs and from the project folder, links to folders, files and anchors).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT

SITE = Path(__file__).parent / "fixtures" / "material-site"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("material") / "build"
    env = {**os.environ, "HELP_CENTER_CACHE": str(out.parent / "cache")}
    result = subprocess.run([sys.executable, "build.py", "--content", str(SITE / "docs"), "--out", str(out)],
                            cwd=PROJECT, env=env, capture_output=True, text=True)
    return out, result


def rows(out: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(out / "index.duckdb"), read_only=True) as db:
        return db.execute(sql).fetchall()


def page(out: Path, url: str) -> str:
    return (out / "site" / url.strip("/") / "index.html").read_text(encoding="utf-8")


def test_it_builds_with_no_errors_and_one_warning_as_mkdocs_gives(built):
    out, result = built
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() + result.stdout.splitlines() if ": warning: " in line]
    assert warnings == ["docs/README.md:1: warning: left out: index.md is this folder's page (as in MkDocs)"]


def test_titles_summaries_and_tags_come_from_material_s_fields_and_headings(built):
    out, _ = built
    found = {url: (title, summary, list(tags)) for url, title, summary, tags in rows(out, "SELECT url, title, summary, tags FROM articles")}
    assert found["/"] == ("Harbourlight documentation", "Everything about running Harbourlight, the lighthouse logbook for harbour masters.", [])
    assert found["/getting-started/"] == ("Getting started", "How to install Harbourlight and log your first light.", [])
    assert found["/getting-started/installation/"][1:] == ("Install Harbourlight with pip or run it from the container image.", ["install", "setup"])
    assert found["/setup/changing-the-colors/"] == ("Changing the colors", "", ["colors", "theme"])
    assert found["/setup/setting-up-navigation/"][2] == ["setup", "navigation"]
    assert found["/blog/posts/2024/colors-arrive/"][1] == "Palettes for every pier, and dark mode for the night watch."


def test_search_settings_are_honoured_and_a_draft_post_and_the_snippets_are_not_pages(built):
    out, _ = built
    settings = dict((url, (boost, exclude)) for url, boost, exclude in rows(out, "SELECT url, search_boost, search_exclude FROM articles"))
    assert settings["/getting-started/installation/"] == (2.0, False)
    assert settings["/reference/internal-notes/"] == (1.0, True)
    assert sorted(settings) == ["/", "/blog/", "/blog/posts/2024/colors-arrive/", "/blog/posts/hello-harbour/", "/getting-started/",
                                "/getting-started/installation/", "/reference/formatting/", "/reference/internal-notes/",
                                "/setup/", "/setup/changing-the-colors/", "/setup/setting-up-navigation/"]
    assert not (out / "site" / "blog" / "posts" / "lantern-sync").exists()
    assert not (out / "site" / "snippets" / "admonitions").exists() and not (out / "site" / "README").exists()


def test_snippets_are_in_the_index_and_on_the_page(built):
    out, _ = built
    [(body,)] = rows(out, "SELECT body FROM articles WHERE url = '/getting-started/installation/'")
    for text in ("pip install harbourlight", "Use a virtual environment", "image: harbourlight/harbourlight:latest",
                 "Log the first light", "The Harbourlight command line is called"):
        assert text in body
    assert "ports:" not in body and "The image is rebuilt every night" not in body  # outside the range, the section
    html = page(out, "/getting-started/installation/")
    assert "Use a virtual environment" in html and "harbourlight/harbourlight:latest" in html
    assert html.count("--8&lt;--") == 1 and "this line stays as written" in html  # only the escaped one is left
    [(hits,)] = rows(out, "SELECT count(*) FROM chunks WHERE text LIKE '%Use a virtual environment%'")
    assert hits == 1


def test_links_to_files_folders_readmes_and_anchors_lead_to_their_pages(built):
    out, _ = built
    html = page(out, "/getting-started/installation/")
    assert 'href="../../setup/changing-the-colors/#choosing-a-palette"' in html
    assert 'href="../"' in html and 'href="../.."' not in html.split('class="md-content"')[1].split("</article>")[0]
    navigation = page(out, "/setup/setting-up-navigation/").split('class="md-content"')[1]
    assert 'href="../../"' in navigation and 'href="../"' in navigation  # the home page; the setup section
    [(index_html,)] = rows(out, "SELECT html FROM articles WHERE url = '/'")
    assert 'href="/getting-started/installation/#install-with-pip"' in index_html and 'href="/setup/"' in index_html
