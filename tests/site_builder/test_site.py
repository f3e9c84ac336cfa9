"""The static site: a page's sidebar stays small however many articles a category holds; every page loads
the help widget; the results and reader pages exist for the widget to fill; the palette offers dark mode."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser

import pytest

from site_builder.content import load
from site_builder.site import build_site
from tests.conftest import PROJECT, article, help_center, write


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    content = help_center(root / "content")
    write(content, "big/_category.yml", "title: Big category\norder: 1\n")
    write(content, "small/_category.yml", "title: Small category\norder: 2\n")
    for n in range(40):
        write(content, f"big/topic-{n:02d}.md", article(f"Topic {n:02d}", f"Body of topic {n:02d}."))
    write(content, "big/topic-05.md", article("Topic 05", "Admins [set it up](../small/admins-only.md#setup)."))
    for n in range(3):
        write(content, f"small/note-{n}.md", article(f"Note {n}", f"Body of note {n}."))
    write(content, "small/quotes.md", article('Say "hi" & <wave>', "Body. [For admins](admins-only.md).", related="[note-0]"))
    write(content, "small/admins-only.md", article("Admins only", "Secret body.\n\n## Setup\n\nSteps.", roles="[admin]"))
    loaded = load(content, ("published",))
    build_site(loaded, loaded.articles, PROJECT / "mkdocs.yml", root / "site", root / "work")
    return root / "site"


def sidebar(page) -> str:
    html = page.read_text(encoding="utf-8")
    return html[html.index("md-sidebar--primary"):html.index("md-sidebar--secondary")]


def linked(html: str, pattern: str) -> set[str]:
    return set(re.findall(pattern, html))


def test_a_page_lists_at_most_25_articles_of_its_category_around_itself_and_links_to_the_rest(site):
    nav = sidebar(site / "big" / "topic-20" / "index.html")
    topics = linked(nav, r"Topic (\d\d)")
    assert len(topics) == 25 and "20" in topics and {"08", "32"} <= topics and not {"00", "39"} & topics
    assert "All 40 articles" in nav
    assert "Small category" in nav and not linked(nav, r"Note \d")


def test_other_categories_show_only_their_title_and_the_category_page_lists_everything(site):
    nav = sidebar(site / "small" / "note-1" / "index.html")
    assert linked(nav, r"Note (\d)") == {"0", "1", "2"}
    assert "Big category" in nav and not linked(nav, r"Topic \d\d")
    listing = (site / "big" / "index.html").read_text(encoding="utf-8")
    assert len(linked(listing, r"Topic (\d\d)")) == 40


def test_the_404_page_lists_categories_but_no_articles(site):
    nav = sidebar(site / "404.html")
    assert "Big category" in nav and "Small category" in nav
    assert not linked(nav, r"Topic \d\d") and not linked(nav, r"Note \d")


class Tags(HTMLParser):
    """Every start tag of a page, as (name, attributes)."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def all(self, tag: str, **wanted) -> list[dict]:
        return [a for t, a in self.found if t == tag and all(a.get(k) == v for k, v in wanted.items())]


def tags(page) -> Tags:
    return Tags(page.read_text(encoding="utf-8"))


def resolved(site, page, href: str) -> str:
    """Where a relative link of a page leads, as a path from the site's root."""
    folder = posixpath.dirname("/" + page.relative_to(site).as_posix())
    return posixpath.normpath(posixpath.join(folder, href)) + ("/" if href.endswith("/") else "")


def test_every_page_loads_the_site_s_bundle_of_the_widgets_once_deferred_for_the_site_on_its_own_server(site):
    # The site's pages, not the analytics dashboard or the demo product copied beside them.
    pages = [p for p in sorted(site.rglob("*.html")) if 'content="mkdocs-' in p.read_text(encoding="utf-8")]
    assert len(pages) > 45
    for page in pages:
        scripts = [s for s in tags(page).all("script") if "/help-" in (s.get("src") or "")]
        assert len(scripts) == 1, page
        script = scripts[0]
        assert "defer" in script and script["data-api"] == "", page
        # The 404 page is served at any depth, hence its absolute address; the others are relative.
        src = script["src"] if page.name == "404.html" else resolved(site, page, script["src"])
        assert src == "/widgets/help-site.js", page
    assert (site / "widgets" / "help-site.js").is_file() and (site / "widgets" / "help-site.css").is_file()


def test_the_home_page_search_sends_its_words_to_the_results_page(site):
    home = tags(site / "index.html")
    form = home.all("form", role="search")[0]
    assert resolved(site, site / "index.html", form["action"]) == "/search/" and form["method"] == "get"
    field = home.all("input", name="q")[0]
    assert home.all("label", **{"for": field["id"]})


def test_the_results_page_has_a_labelled_field_and_a_place_for_the_results_and_is_not_itself_searchable(site):
    page = site / "search" / "index.html"
    found = tags(page)
    field = found.all("input", name="q")[0]
    assert found.all("label", **{"for": field["id"]}) and found.all("form", action="./")
    assert found.all("div", **{"class": "hc-search-results"})
    assert "<title>Search results - " in page.read_text(encoding="utf-8")
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "search/" not in locations and "read/" not in locations and "small/note-1/" in locations
    assert tags(page).all("meta", name="robots") == [{"name": "robots", "content": "noindex"}]
    assert not tags(site / "small" / "note-1" / "index.html").all("meta", name="robots")


def test_a_restricted_article_has_no_page_but_the_reader_page_is_there_to_ask_the_api(site):
    assert not (site / "small" / "admins-only").exists()
    assert "Secret body" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")
    reader = site / "read" / "index.html"
    found = tags(reader)
    assert found.all("div", **{"class": "hc-read"}) and found.all("p", **{"class": "hc-read-status"})
    assert found.all("meta", name="robots", content="noindex")
    assert "Article for signed-in readers" in reader.read_text(encoding="utf-8")


def test_a_public_article_s_link_to_a_restricted_one_leads_to_the_reader_page_with_its_anchor(site):
    for page, wanted in [(site / "big" / "topic-05" / "index.html", "/read/?id=admins-only#setup"),
                         (site / "small" / "quotes" / "index.html", "/read/?id=admins-only")]:
        hrefs = [a["href"] for a in tags(page).all("a") if "admins-only" in (a.get("href") or "")]
        assert [resolved(site, page, href) for href in hrefs] == [wanted], page


def test_an_article_page_names_its_article_for_the_vote_and_the_assistant(site):
    votes = tags(site / "small" / "quotes" / "index.html").all("div", **{"class": "hc-vote"})
    assert votes == [{"class": "hc-vote", "data-article-id": "quotes", "data-article-title": 'Say "hi" & <wave>'}]
    assert not tags(site / "small" / "index.html").all("div", **{"class": "hc-vote"})


def test_the_palette_toggles_between_light_and_dark_and_each_switch_is_named(site):
    radios = tags(site / "small" / "note-1" / "index.html").all("input", type="radio", name="__palette")
    assert [(r["data-md-color-scheme"], r["aria-label"]) for r in radios] == [
        ("default", "Switch to dark mode"), ("slate", "Switch to light mode")]
    assert [r["data-md-color-media"] for r in radios] == ["(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"]


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory):
    """A plain docs tree (no help-center.yml) in the help-center look: Material's page fields, a blog post."""
    root = tmp_path_factory.mktemp("plain")
    docs = root / "docs"
    write(docs, "index.md", "# Lantern\n\nWelcome. Read the [manual](manual/).\n")
    write(docs, "guide/install.md", "---\nstatus: new\nhide: [toc]\ntemplate: their-own.html\n---\n# Install\n\n## Step one\n\n"
                                    "Run it. See the [manual section](../manual/#quickstart) or the [manual readme](../manual/README.md#quickstart).\n")
    write(docs, "manual/README.md", "# Manual\n\n## Quickstart\n\nGo.\n")
    write(docs, "guide/legacy.md", "---\nstatus: deprecated\n---\n# Legacy setup\n\nOld.\n")
    write(docs, "blog/posts/hello.md", "---\ndate: 2024-01-31\nauthors: [ines]\ncategories: [News]\nreadtime: 3\n---\n# Hello\n\nFirst post.\n")
    loaded = load(docs, ("published",))
    assert not loaded.problems.errors
    build_site(loaded, loaded.articles, PROJECT / "mkdocs.yml", root / "site", root / "work")
    return root / "site"


def test_a_page_status_is_material_s_badge_in_the_nav_titled_from_mkdocs_yml(plain_site):
    nav = sidebar(plain_site / "guide" / "legacy" / "index.html")
    assert '<span class="md-status md-status--new" title="Recently added">' in nav
    assert '<span class="md-status md-status--deprecated" title="Deprecated">' in nav


def test_material_page_fields_pass_on_but_a_template_of_another_theme_does_not(plain_site):
    # `hide: [toc]` hides the table of contents; the `template:` of the team's own theme would stop mkdocs here.
    def toc(page: str) -> dict:
        return tags(plain_site / "guide" / page / "index.html").all("div", **{"data-md-type": "toc"})[0]
    assert "hidden" in toc("install") and "hidden" not in toc("legacy")


def test_a_blog_post_shows_its_date_authors_and_reading_time_instead_of_last_updated(plain_site):
    page = tags(plain_site / "blog" / "posts" / "hello" / "index.html")
    assert page.all("time", datetime="2024-01-31")
    text = (plain_site / "blog" / "posts" / "hello" / "index.html").read_text(encoding="utf-8")
    assert "Posted <time" in text and "by ines · 3 min read" in text and "Last updated" not in text


def test_the_site_s_address_is_a_build_setting_for_canonical_links_the_sitemap_and_the_404_page(tmp_path):
    write(tmp_path / "content", "guide.md", "# Guide\n\nText.\n")
    loaded = load(tmp_path / "content", ("published",))
    build_site(loaded, loaded.articles, PROJECT / "mkdocs.yml", tmp_path / "site", tmp_path / "work",
               site_url="https://help.example.com/docs/")
    page = tags(tmp_path / "site" / "guide" / "index.html")
    assert page.all("link", rel="canonical") == [{"rel": "canonical", "href": "https://help.example.com/docs/guide/"}]
    assert "<loc>https://help.example.com/docs/guide/</loc>" in (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    scripts = [s["src"] for s in tags(tmp_path / "site" / "404.html").all("script") if "help-site" in (s.get("src") or "")]
    assert scripts == ["/docs/widgets/help-site.js"]


def test_without_an_address_the_site_names_none_rather_than_the_demo_s(site):
    assert not tags(site / "small" / "note-1" / "index.html").all("link", rel="canonical")
    assert "127.0.0.1" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_links_to_a_folder_whose_page_is_its_readme_and_to_the_readme_itself_lead_to_that_page(plain_site):
    # README.md is the folder's page, as MkDocs makes it when the folder has no index.md.
    for page, text in [(plain_site / "index.html", "manual"), (plain_site / "guide" / "install" / "index.html", "manual section"),
                       (plain_site / "guide" / "install" / "index.html", "manual readme")]:
        (href,) = re.findall(rf'<a href="([^"]*)">{text}</a>', page.read_text(encoding="utf-8"))
        path, _, anchor = href.partition("#")
        target = resolved(plain_site, page, path)
        assert (plain_site / target.strip("/") / "index.html").is_file(), (text, href)
        if text != "manual":
            assert anchor == "quickstart"
