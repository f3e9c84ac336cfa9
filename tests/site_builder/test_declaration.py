"""A team says its content folder is a help center with one small file, help-center.yml, and gets told at its
line when that file says something the build does not understand."""

from __future__ import annotations

import pytest

from site_builder.content import load
from tests.conftest import article, write


def problems(root) -> list[str]:
    return [str(p) for p in load(root).problems.errors]


def test_the_same_articles_are_checked_strictly_only_in_a_declared_help_center(tmp_path):
    root = tmp_path / "content"
    write(root, "a.md", article("A", status="publishd", colour="red"))
    assert problems(root) == []  # plain docs: status is a page badge, unknown keys are MkDocs' business
    assert load(root).articles[0].badge == "publishd"
    write(root, "help-center.yml", "name: Acme help\nschema: 1\n")
    content = load(root)
    assert content.strict and content.declaration.name == "Acme help"
    assert [str(p) for p in content.problems.errors] == [
        "content/a.md:3: unknown status 'publishd' (draft, review, published, archived)",
        "content/a.md:7: unknown field 'colour' (allowed: title, id, status, summary, tags, roles, tenants, help_ids, "
        "contexts, owner, last_reviewed, review_every_days, related, language, search)",
    ]


def test_an_empty_declaration_still_declares_a_help_center(tmp_path):
    root = tmp_path / "content"
    write(root, "help-center.yml", "# a help center\n")
    write(root, "a.md", "# A page without front matter\n")
    assert problems(root) == ["content/a.md:1: missing field 'status' (draft, review, published, archived)",
                              "content/a.md:1: missing field 'title'"]


@pytest.mark.parametrize("text, expected", [
    ("name: Acme\nschema: 2\n", "content/help-center.yml:2: schema 2 is not one this build reads: use schema: 1"),
    ("name: Acme\nstrict: true\n", "content/help-center.yml:2: unknown setting 'strict' (allowed: name, schema)"),
    ("name: [Acme, Help]\n", "content/help-center.yml:1: name must be text, e.g. name: Sitekeeper Help Center"),
    ("- name: Acme\n", "content/help-center.yml:1: must be a mapping of settings (name, schema), e.g. name: My help center"),
    ("name: Acme\nschema: [1\n", "content/help-center.yml:3: not valid YAML: expected ',' or ']', but got '<stream end>'"),
])
def test_a_bad_declaration_is_reported_at_its_line_and_the_articles_are_still_checked(tmp_path, text, expected):
    root = tmp_path / "content"
    write(root, "help-center.yml", text)
    write(root, "a.md", article("A", status="publishd"))
    assert problems(root) == ["content/a.md:3: unknown status 'publishd' (draft, review, published, archived)", expected]


def test_the_demo_content_declares_itself():
    from tests.conftest import PROJECT
    content = load(PROJECT / "content", ("published", "draft", "review", "archived"))
    assert content.strict and content.declaration.name == "Sitekeeper Help Center"
    assert {a.status for a in content.all_articles} == {"draft", "review", "published", "archived"}


def test_every_setting_of_the_declaration_is_in_the_adopting_guide():
    from site_builder.declaration import KEYS
    from tests.conftest import PROJECT
    guide = (PROJECT / "docs" / "adopting.md").read_text(encoding="utf-8")
    assert "help-center.yml" in (PROJECT / "docs" / "authors.md").read_text(encoding="utf-8")
    for key in KEYS:
        assert f"\n{key}: " in guide, key
