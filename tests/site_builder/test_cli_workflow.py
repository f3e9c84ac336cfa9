"""In a pull request, `check --base` holds hand edits to the workflow: no publishing without review, no template left."""

from __future__ import annotations

import subprocess

import pytest

from site_builder.cli import BODY
from site_builder.workflow import PLACEHOLDERS
from tests.conftest import article, write
from tests.site_builder.test_cli import cli


def git(root, *args) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def branch(small_content):
    """The content committed on `main`, and a pull request's branch checked out on top of it."""
    git(small_content, "init", "-q", "-b", "main")
    git(small_content, "add", ".")
    git(small_content, "commit", "-qm", "content")
    git(small_content, "checkout", "-qb", "edit")
    return small_content


def test_publishing_a_draft_by_hand_with_the_template_left_is_refused(branch):
    assert cli(branch, "new", "ppm/boiler-checks", "--title", "Boiler checks").returncode == 0
    git(branch, "add", ".")
    git(branch, "commit", "-qm", "draft")
    git(branch, "checkout", "-q", "main")
    git(branch, "merge", "-q", "edit")
    git(branch, "checkout", "-q", "edit")
    path = branch / "ppm/boiler-checks.md"
    path.write_text(path.read_text().replace("status: draft", "status: published"))  # by hand, not with `status`
    result = cli(branch, "check", "--base", "main")
    assert result.returncode == 1
    problems = result.stderr.splitlines()
    assert "content/ppm/boiler-checks.md:3: status moved from draft to published, which the workflow does not allow: " \
           "draft can move to review" in problems
    assert "content/ppm/boiler-checks.md:4: published article with an empty summary" in problems
    assert "content/ppm/boiler-checks.md:6: published article with an empty owner" in problems
    assert "content/ppm/boiler-checks.md:20: template text left in a published article: 'Go to **Menu > Item**'" in problems
    assert sum("template text left" in p for p in problems) == 5
    assert cli(branch, "check").returncode == 0, "without --base, as before: the build itself does not know the history"


def test_a_reviewed_article_may_be_published_and_unchanged_articles_are_not_judged(branch):
    path = branch / "ppm/future-feature.md"
    path.write_text(path.read_text().replace("status: draft", "status: review"))
    git(branch, "commit", "-qam", "to review")
    git(branch, "checkout", "-q", "main")
    git(branch, "merge", "-q", "edit")
    git(branch, "checkout", "-q", "edit")
    path.write_text(path.read_text().replace("status: review", "status: published")
                    .replace("title: Seasonal schedules", "title: Seasonal schedules\nowner: field-docs"))
    result = cli(branch, "check", "--base", "main")
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("; 1 changed since main, their workflow checked")


def test_a_new_article_cannot_arrive_published_and_a_renamed_one_keeps_its_history(branch):
    write(branch, "ppm/new-and-published.md", article("New and published", owner="ops-docs"))
    write(branch, "ppm/Café hours.md", article("Café hours", id="cafe-hours", status="review"))  # a name git would quote
    git(branch, "mv", "ppm/future-feature.md", "ppm/seasonal-schedules.md")
    moved = branch / "ppm/seasonal-schedules.md"
    moved.write_text(moved.read_text().replace("status: draft", "status: published").replace("title: Seasonal schedules", "title: Seasonal schedules\nowner: a"))
    result = cli(branch, "check", "--base", "main")
    assert result.returncode == 1
    assert "content/ppm/new-and-published.md:3: a new article starts as draft or review, not published: it is published " \
           "by a later pull request, after review" in result.stderr
    assert "content/ppm/seasonal-schedules.md:4: status moved from draft to published" in result.stderr
    git(branch, "add", ".")
    git(branch, "commit", "-qm", "proposal")
    (branch / "ppm/Café hours.md").write_text((branch / "ppm/Café hours.md").read_text().replace("status: review", "status: archived"))
    assert "content/ppm/Café hours.md:3: a new article starts as draft or review, not archived" in cli(branch, "check", "--base", "main").stderr


def test_a_base_that_does_not_exist_says_how_to_get_it(branch):
    result = cli(branch, "check", "--base", "origin/main")
    assert result.returncode == 1
    assert "error: cannot compare with 'origin/main': no such branch or commit here (in CI, fetch the base branch first" in result.stderr


def test_every_placeholder_is_in_the_template_an_author_starts_from():
    from site_builder.cli import GAP_INTRO

    assert all(p in BODY or p in GAP_INTRO for p in PLACEHOLDERS)
