"""A page's front matter as this build reads it: a help center's articles strictly, a plain docs tree's pages
(an existing MkDocs / Material site) the way MkDocs and Material mean it, never failing on them."""

from __future__ import annotations

from datetime import date

import pytest

from site_builder.articles import build_article, split
from site_builder.records import BlogPost


def plain(path: str, text: str):
    """A plain docs page read from `text`, with the warnings it gave (it never gives errors)."""
    errors, warnings = [], []
    page = build_article(path, split(text), False, lambda line, msg: errors.append((line, msg)),
                         lambda line, msg: warnings.append((line, msg)))
    assert errors == []
    return page, warnings


def test_material_page_fields_take_their_meaning_here_and_the_rest_is_kept_for_the_page():
    page, warnings = plain("setup/colors.md", """---
title: Changing the colors
subtitle: Palettes and dark mode
description: Pick the header color.
status: deprecated
tags:
  - theme
search:
  boost: 2
icon: material/palette
template: custom.html
hide: [navigation, toc]
social: {cards: false}
some_plugin_setting: 3
---
Text.
""")
    assert (page.title, page.summary, page.badge, page.tags, page.search_boost) == (
        "Changing the colors", "Pick the header color.", "deprecated", ["theme"], 2.0)
    assert page.status == "published" and page.id == "setup-colors" and warnings == []
    assert page.page_meta == {"subtitle": "Palettes and dark mode", "icon": "material/palette", "template": "custom.html",
                              "hide": ["navigation", "toc"], "social": {"cards": False}, "some_plugin_setting": 3}


@pytest.mark.parametrize("badge", ["new", "deprecated", "beta", "draft"])
def test_any_material_status_is_a_badge_and_the_page_is_published(badge):
    page, _ = plain("a.md", f"---\nstatus: {badge}\n---\n# A\n")
    assert (page.badge, page.status) == (badge, "published")


def test_a_summary_wins_over_the_description_and_the_title_comes_from_the_heading_or_the_file():
    page, _ = plain("a.md", "---\nsummary: Ours.\ndescription: Material's.\n---\n# From the heading\n")
    assert (page.summary, page.title) == ("Ours.", "From the heading")
    page, _ = plain("guide/first-steps.md", "No heading at all.\n")
    assert (page.title, page.summary, page.badge) == ("first-steps", "", None)


def test_tags_written_as_text_are_read_as_a_list_in_plain_docs():
    page, warnings = plain("a.md", "---\ntags: setup, navigation\n---\n# A\n")
    assert page.tags == ["setup", "navigation"] and warnings == []


def test_our_own_fields_with_values_a_plain_page_cannot_use_are_warnings_not_errors():
    page, warnings = plain("a.md", "---\nid: Bad Id!\nsearch: {boost: 99}\nlast_reviewed: soon\n---\n# A\n")
    assert page.id == "a" and page.search_boost == 1.0 and page.last_reviewed is None
    assert warnings == [
        (2, "id 'Bad Id!' is not used (lowercase letters, digits, '-' and '_' only): the page's id is 'a'"),
        (3, "search boost must be a number above 0 and at most 10, not '99'"),
        (4, "field 'last_reviewed' is not a date: 'soon' (use YYYY-MM-DD)"),
    ]


def test_a_blog_post_keeps_its_date_authors_categories_and_settings():
    page, warnings = plain("blog/posts/hello.md", """---
date: 2024-01-31
authors: [ines]
categories:
  - Announcements
slug: hello-world
readtime: 3
pin: true
links:
  - setup/index.md
  - Install: getting-started/installation.md
---
# Hello
""")
    assert warnings == [] and page.status == "published"
    assert page.blog == BlogPost(created=date(2024, 1, 31), authors=["ines"], categories=["Announcements"],
                                 slug="hello-world", readtime=3, pin=True,
                                 links=["setup/index.md", {"Install": "getting-started/installation.md"}])


def test_a_blog_post_dated_by_a_mapping_or_a_time_and_a_draft_post():
    page, _ = plain("blog/posts/2024/x.md", "---\ndate:\n  created: 2024-03-02\n  updated: 2024-04-10\n---\n# X\n")
    assert (page.blog.created, page.blog.updated) == (date(2024, 3, 2), date(2024, 4, 10))
    page, _ = plain("docs/blog/posts/y.md", "---\ndate: 2024-05-20 10:30:00\ndraft: true\n---\n# Y\n")
    assert page.blog.created == date(2024, 5, 20) and page.status == "draft"


def test_a_blog_post_without_a_usable_date_is_a_warning():
    _, warnings = plain("blog/posts/x.md", "---\ndate: someday\nreadtime: long\n---\n# X\n")
    assert warnings == [(2, "blog post created date is not a date: 'someday' (use YYYY-MM-DD)"),  # said once
                        (3, "readtime must be a whole number of minutes, not 'long'")]
    _, warnings = plain("blog/posts/y.md", "---\ntitle: Y\n---\n# Y\n")
    assert warnings == [(1, "blog post has no date; give it one, e.g. date: 2024-01-31 (the blog sorts by it)")]


def test_only_files_under_blog_posts_are_blog_posts():
    assert plain("posts/x.md", "---\ndate: 2024-01-01\n---\n# X\n")[0].blog is None
    assert plain("blog/x.md", "# X\n")[0].blog is None
    assert plain("blog/posts/x.md", "---\ndate: 2024-01-01\n---\n# X\n")[0].page_meta == {}
