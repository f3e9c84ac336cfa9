"""Reading a content folder whole: which files are pages, and every problem of a file reported at once."""

from __future__ import annotations

from site_builder.content import load
from tests.conftest import article, help_center, write


def test_a_bad_status_no_longer_hides_the_same_file_s_other_problems(tmp_path):
    # Issue 13: fixing the status used to reveal the next error, one build at a time.
    root = help_center(tmp_path / "content")
    write(root, "a.md", article("A", status="publishd", tags="a, b", review_every_days="6 months",
                                last_reviewed="yesterday", language="english"))
    assert [str(p) for p in load(root).problems.errors] == [
        "content/a.md:3: unknown status 'publishd' (draft, review, published, archived)",
        "content/a.md:5: field 'last_reviewed' is not a date: 'yesterday' (use YYYY-MM-DD)",
        "content/a.md:6: field 'review_every_days' must be a whole number of days above 0, not '6 months'",
        "content/a.md:7: field 'tags' must be a list, e.g. tags: [a, b]",
        "content/a.md:8: language 'english' is not a language code such as 'en' or 'pt-BR'",
    ]


def test_a_missing_title_no_longer_hides_the_file_s_other_problems(tmp_path):
    root = help_center(tmp_path / "content")
    write(root, "a.md", "---\nstatus: published\ntags: onboarding\n---\nText\n")
    assert [str(p) for p in load(root).problems.errors] == [
        "content/a.md:1: missing field 'title'", "content/a.md:3: field 'tags' must be a list, e.g. tags: [onboarding]"]


def test_a_folder_s_readme_is_its_page_unless_it_has_an_index_as_in_mkdocs(tmp_path):
    root = tmp_path / "docs"
    write(root, "index.md", "# Home\n")
    write(root, "README.md", "# Repository readme\n")
    write(root, "guide/README.md", "# The guide\n\nStart here.\n")
    write(root, "guide/install.md", "# Install\n")
    content = load(root)
    assert {a.path: a.url for a in content.articles} == {"index.md": "/", "guide/README.md": "/guide/",
                                                         "guide/install.md": "/guide/install/"}
    assert [str(p) for p in content.problems.items] == [
        "docs/README.md:1: warning: left out: index.md is this folder's page (as in MkDocs)"]


def test_in_plain_docs_every_page_is_published_whatever_its_status_says(tmp_path):
    root = tmp_path / "docs"
    write(root, "new.md", "---\nstatus: new\n---\n# New page\n")
    write(root, "old.md", "---\nstatus: draft\n---\n# A page whose badge reads draft\n")
    write(root, "hidden.md", "---\ndraft: true\n---\n# Not ready\n")
    content = load(root, ("published",))
    assert {a.path: a.badge for a in content.articles} == {"new.md": "new", "old.md": "draft"}
    assert {a.path: a.status for a in content.all_articles}["hidden.md"] == "draft"
    assert not content.strict and content.problems.items == []


def test_a_folder_s_own_page_names_its_category_unless_a_category_file_does(tmp_path):
    root = tmp_path / "docs"
    write(root, "api-v2/index.md", "---\ndescription: Every endpoint.\n---\n# API v2 reference\n")
    write(root, "api-v2/users.md", "# Users\n")
    write(root, "how-to/README.md", "# How-to guides\n")
    write(root, "how-to/first.md", "# First\n")
    write(root, "faq/_category.yml", "title: Questions\n")
    write(root, "faq/index.md", "# Frequently asked\n")
    categories = {c.id: (c.title, c.description) for c in load(root).categories.values()}
    assert categories == {"api-v2": ("API v2 reference", "Every endpoint."), "how-to": ("How-to guides", ""),
                          "faq": ("Questions", "")}
