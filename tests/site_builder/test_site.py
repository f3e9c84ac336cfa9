"""The static site: a page's sidebar stays small however many articles a category holds."""

from __future__ import annotations

import re

import pytest

from site_builder.content import load
from site_builder.site import build_site
from tests.conftest import PROJECT, article, write


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    content = root / "content"
    write(content, "big/_category.yml", "title: Big category\norder: 1\n")
    write(content, "small/_category.yml", "title: Small category\norder: 2\n")
    for n in range(40):
        write(content, f"big/topic-{n:02d}.md", article(f"Topic {n:02d}", f"Body of topic {n:02d}."))
    for n in range(3):
        write(content, f"small/note-{n}.md", article(f"Note {n}", f"Body of note {n}."))
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
