"""A team keeps its own mkdocs.yml (tests/site_builder/fixtures/team-site: its docs folder is `pages`, a dark
deep-orange palette, tabs, a logo, a main.html override, a nav, abbreviations and snippets, a page badge) and
gets the help center on its site as it looks today, either way it asks for it: `python build.py --mkdocs` or
the `help-center` plugin in its mkdocs.yml under `mkdocs build`. Then `python -m api` serves that build."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.config import build_config
from site_builder.pipeline import build
from tests.api.conftest import in_process
from tests.conftest import PROJECT, article, help_center, write
from tests.site_builder.test_site import resolved, tags

TEAM_SITE = Path(__file__).parent / "fixtures" / "team-site"
PLUGIN_API = "https://help.lantern.example"


def with_plugin(mkdocs_yml: Path, options: str) -> None:
    text = mkdocs_yml.read_text(encoding="utf-8")
    mkdocs_yml.write_text(text.replace("  - search\n", f"  - search\n  - help-center{options}\n"), encoding="utf-8")


def build_with_option(base: Path) -> Path:
    """`python build.py --mkdocs team-site/mkdocs.yml --out build`: no --content, so their docs_dir is read."""
    out = base / "build"
    build(build_config(["--mkdocs", str(base / "team-site" / "mkdocs.yml"), "--out", str(out)],
                       {"HELP_CENTER_CACHE": str(base / "cache")}), log=lambda _: None)
    return out


def build_with_plugin(base: Path) -> Path:
    """`mkdocs build` with `help-center: {output: ../hc-build, api: ...}`, run from another folder than the site's."""
    with_plugin(base / "team-site" / "mkdocs.yml", f":\n      output: ../hc-build\n      api: {PLUGIN_API}")
    env = {**os.environ, "HELP_CENTER_CACHE": str(base / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", "team-site/mkdocs.yml"], cwd=base, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (base / "team-site" / "site" / "widgets" / "help-site.js").is_file()  # their own site folder has the widgets too
    return base / "hc-build"


@pytest.fixture(scope="module", params=[build_with_option, build_with_plugin], ids=["--mkdocs", "plugin"])
def team_build(request, tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("team")
    shutil.copytree(TEAM_SITE, base / "team-site")
    return request.param(base)


def page(build_dir: Path, rel: str) -> str:
    return (build_dir / "site" / rel).read_text(encoding="utf-8")


def nav(html: str) -> str:
    return html[html.index("md-sidebar--primary"):html.index("md-sidebar--secondary")]


def test_their_pages_keep_their_palette_features_logo_styles_and_template_override(team_build):
    html = page(team_build, "guide/install/index.html")
    body = tags(team_build / "site" / "guide/install/index.html").all("body")[0]
    assert (body["data-md-color-scheme"], body["data-md-color-primary"], body["data-md-color-accent"]) == ("slate", "deep-orange", "lime")
    assert 'class="md-tabs"' in html  # navigation.tabs
    assert "Lantern 2.0 is out: read the upgrade notes." in html  # their overrides/main.html
    assert 'href="../../stylesheets/lantern.css"' in html and (team_build / "site/stylesheets/lantern.css").is_file()
    assert '<img src="../../assets/lantern.svg" alt="logo">' in html
    assert '<link rel="canonical" href="https://docs.lantern.example/guide/install/">' in html


def test_their_nav_is_theirs_and_a_page_left_out_of_it_is_built_all_the_same(team_build):
    sidebar = nav(page(team_build, "guide/install/index.html"))
    assert re.findall(r'md-ellipsis">\s*([^<]+?)\s*<', sidebar)[:4] == ["Home", "Guide", "Install Lantern", "Configure it"]
    assert "Changelog" not in sidebar
    assert "built all the same" in page(team_build, "extra/changelog/index.html")


def test_a_blog_post_is_found_at_the_address_their_blog_gives_it(team_build, embedder, tmp_path):
    assert "beacon mode" in page(team_build, "blog/2026/11/02/lantern-two/index.html")
    with in_process(team_build, tmp_path / "var", embedder) as client:
        (hit,) = [r for r in client.get("/api/v1/search", params={"q": "beacon mode"}).json()["results"] if "lantern-two" in r["url"]]
        assert hit["url"].split("#")[0] == "/blog/2026/11/02/lantern-two/"
        assert "beacon mode" in client.get(hit["url"].split("#")[0]).text


def test_links_to_a_folder_lead_to_the_folder_s_page_as_in_the_help_center_look(team_build):
    # MkDocs leaves `../extra/#latest` as written ("unrecognized relative link"): from the page's address
    # /guide/install/ a browser would look for /guide/extra/.
    site = team_build / "site"
    for rel, text in [("guide/install/index.html", "the latest extras"), ("extra/changelog/index.html", "Back to extras")]:
        (href,) = re.findall(rf'<a href="([^"]*)">{text}</a>', page(team_build, rel))
        path, _, anchor = href.partition("#")
        assert resolved(site, site / rel, path) == "/extra/" and (site / "extra/index.html").is_file(), href
        assert anchor == ("latest" if "install" in rel else "")


def test_their_markdown_extensions_and_snippets_found_from_their_file_shape_the_page(team_build):
    html = page(team_build, "guide/install/index.html")
    assert '<abbr title="Lantern Service Daemon">LSD</abbr>' in html
    assert "The lantern warranty covers two years of glowing." in html
    assert 'class="admonition tip"' in page(team_build, "guide/configure/index.html")


def test_a_page_status_is_material_s_badge_titled_from_their_extra_status(team_build):
    sidebar = nav(page(team_build, "guide/configure/index.html"))
    assert '<span class="md-status md-status--new" title="Fresh this month">' in sidebar


def test_every_page_carries_the_help_site_script_and_every_article_its_vote(team_build):
    site = team_build / "site"
    pages = [p for p in sorted(site.rglob("*.html")) if 'content="mkdocs-' in p.read_text(encoding="utf-8")]
    assert len(pages) == 12  # 5 pages of theirs, the blog's 4 (index, post, archive, category), results, reader, 404
    for html_page in pages:
        scripts = [s for s in tags(html_page).all("script") if "help-site" in (s.get("src") or "")]
        src = scripts[0]["src"] if html_page.name == "404.html" else resolved(site, html_page, scripts[0]["src"])
        assert len(scripts) == 1 and src == "/widgets/help-site.js", html_page
        # The plugin's `api` option names the API the pages call; build.py's pages call the server they come from.
        assert scripts[0]["data-api"] == (PLUGIN_API if team_build.name == "hc-build" else ""), html_page
    votes = tags(site / "guide/install/index.html").all("div", **{"class": "hc-vote"})
    assert votes == [{"class": "hc-vote", "data-article-id": "guide-install", "data-article-title": "Install Lantern"}]
    assert tags(site / "search/index.html").all("div", **{"class": "hc-search-results"})
    assert tags(site / "read/index.html").all("div", **{"class": "hc-read"})
    assert (site / "widgets/help-site.js").is_file() and (site / "assets/help-pages.css").is_file()
    assert (site / "analytics/index.html").is_file() and not (site / "demo").exists()  # no demo product on their site


def test_the_api_serves_their_site_and_searches_the_indexes_written_for_it(team_build, embedder, tmp_path):
    with in_process(team_build, tmp_path / "var", embedder) as client:
        assert "Lantern 2.0 is out" in client.get("/guide/install/").text
        results = client.get("/api/v1/search", params={"q": "daemon installer"}).json()["results"]
        assert results[0]["url"].startswith("/guide/install/")
        stored = client.get("/api/v1/articles/guide-install").json()
        # The HTML the index stores went through their extensions too, with the snippet from their base_path.
        assert '<abbr title="Lantern Service Daemon">LSD</abbr>' in stored["html"]
        assert "The lantern warranty covers two years of glowing." in stored["html"]
        assert client.get("/api/v1/search", params={"q": "warranty"}).json()["results"][0]["url"].startswith("/guide/install/")


def test_a_help_center_on_their_site_publishes_only_its_published_public_articles(tmp_path):
    """Their look over a help center's content (help-center.yml): `status` is the workflow, not a badge."""
    content = help_center(tmp_path / "content")
    write(content, "guide/ready.md", article("Ready", "Admins [rotate keys](keys.md#rotate)."))
    write(content, "guide/keys.md", article("Keys", "## Rotate\n\nSecret rotation.", roles="[admin]"))
    write(content, "guide/soon.md", article("Soon", "Not yet.", status="draft"))
    write(content, "blog/index.md", article("News", "What is new."))  # their blog plugin's page (it writes one when missing)
    out = tmp_path / "build"
    build(build_config(["--mkdocs", str(TEAM_SITE / "mkdocs.yml"), "--content", str(content), "--out", str(out)],
                       {"HELP_CENTER_CACHE": str(tmp_path / "cache")}), log=lambda _: None)
    site = out / "site"
    assert (site / "guide/ready/index.html").is_file() and not (site / "guide/soon").exists() and not (site / "guide/keys").exists()
    assert not (site / "help-center.yml").exists()
    ready = site / "guide/ready/index.html"
    assert [resolved(site, ready, a["href"]) for a in tags(ready).all("a") if "keys" in a.get("href", "")] == ["/read/?id=keys#rotate"]
    assert "md-status--published" not in ready.read_text(encoding="utf-8")
    assert 'data-md-color-primary="deep-orange"' in ready.read_text(encoding="utf-8")
    # Their logo and stylesheet live in their docs_dir, not in this content folder: taken from there.
    assert (site / "stylesheets/lantern.css").is_file() and (site / "assets/lantern.svg").is_file()
    preview = tmp_path / "preview"
    build(build_config(["--mkdocs", str(TEAM_SITE / "mkdocs.yml"), "--content", str(content), "--out", str(preview), "--preview"],
                       {"HELP_CENTER_CACHE": str(tmp_path / "cache")}), log=lambda _: None)
    assert "Draft: not published" in (preview / "site/guide/soon/index.html").read_text(encoding="utf-8")


def test_the_plugin_options_are_each_documented():
    from site_builder.mkdocs_plugin import OPTIONS

    guide = (PROJECT / "docs" / "adopting.md").read_text(encoding="utf-8")
    for option in OPTIONS:
        assert re.search(rf"^\| `{option.name}` \|", guide, re.MULTILINE), option.name
