"""An author creates an article, moves it through review to published, and finds stale ones."""

from __future__ import annotations

import subprocess
import sys

import pytest

from site_builder.content import load
from tests.conftest import PROJECT, article, write


def cli(content, *args):
    return subprocess.run([sys.executable, "-m", "site_builder", "--content", str(content), *args],
                           cwd=PROJECT, capture_output=True, text=True)


def test_new_article_from_the_template_is_a_valid_draft(small_content):
    result = cli(small_content, "new", "work-orders/approve-a-work-order", "--title", "Approve a work order: the basics", "--tags", "work-orders, approvals")
    assert result.returncode == 0, result.stderr
    created = {a.id: a for a in load(small_content, ("draft",)).all_articles}["approve-a-work-order"]
    assert created.status == "draft" and created.title == "Approve a work order: the basics"
    assert created.tags == ["work-orders", "approvals"]
    assert load(small_content, ("published", "draft")).problems.errors == []
    again = cli(small_content, "new", "work-orders/approve-a-work-order", "--title", "Twice")
    assert again.returncode == 1 and "already exists" in again.stderr


def test_new_refuses_paths_outside_the_content_folder(small_content):
    result = cli(small_content, "new", "../escape", "--title", "Escape")
    assert result.returncode == 1 and "outside the content folder" in result.stderr


def test_workflow_moves_change_only_the_status_line(small_content):
    path = small_content / "ppm/future-feature.md"
    original = path.read_bytes().replace(b"\n", b"\r\n") + b"\r\ntrailing   spaces   \r\n"
    path.write_bytes(original)
    assert cli(small_content, "status", "future-feature", "review").returncode == 0
    assert path.read_bytes() == original.replace(b"status: draft", b"status: review")
    assert cli(small_content, "status", "ppm/future-feature.md", "published").returncode == 0
    assert path.read_bytes() == original.replace(b"status: draft", b"status: published")


def test_workflow_refuses_skipping_review(small_content):
    result = cli(small_content, "status", "future-feature", "published")
    assert result.returncode == 1
    assert "future-feature is draft; it can move to review (use --force to override)" in result.stderr
    assert "status: draft" in (small_content / "ppm/future-feature.md").read_text()
    assert cli(small_content, "status", "future-feature", "published", "--force").returncode == 0


def test_archiving_and_reviewed_date(small_content):
    result = cli(small_content, "status", "assign-a-work-order", "archived", "--reviewed")
    assert result.returncode == 0
    text = (small_content / "work-orders/assign-a-work-order.md").read_text()
    assert "status: archived" in text and "last_reviewed: 2026-10-01" not in text


def test_unknown_article(small_content):
    result = cli(small_content, "status", "nope", "review")
    assert result.returncode == 1 and "no article with id or path 'nope'" in result.stderr


def test_stale_lists_articles_past_their_review_date(small_content):
    write(small_content, "ppm/old-advice.md", article("Old advice", last_reviewed="2025-01-10", review_every_days=90, owner="field-docs"))
    result = cli(small_content, "stale", "--today", "2026-05-01")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "1 published article(s) past their review date on 2026-05-01:"
    assert "content/ppm/old-advice.md  owner=field-docs  last reviewed 2025-01-10, due 2025-04-10 (386 days overdue)" in lines[1]
    later = cli(small_content, "stale", "--today", "2027-06-01").stdout.splitlines()
    assert later[0] == "5 published article(s) past their review date on 2027-06-01:"
    assert "content/ppm/future-feature.md" not in "".join(later)
    assert cli(small_content, "stale", "--today", "2025-02-01").stdout.startswith("no published article is past")


@pytest.mark.parametrize("preview", [False, True])
def test_check_validates_without_building(small_content, preview):
    write(small_content, "ppm/future-feature.md", article("Seasonal", "See [nowhere](nowhere.md).", status="draft"))
    result = cli(small_content, "check", *(["--preview"] if preview else []))
    if preview:
        assert result.returncode == 1
        assert "content/ppm/future-feature.md:8: broken link 'nowhere.md': ppm/nowhere.md does not exist" in result.stderr
    else:
        assert result.returncode == 0 and result.stdout.startswith("ok: 6 articles, 4 would be built")


def test_check_reports_a_broken_tour_with_the_articles_problems(small_content):
    write(small_content, "tours/new-work-order.yml", """
        id: new-work-order
        title: Create a work order
        pages: [/work-orders/new]
        steps:
          - help_id: no-such-help-id
            title: The form
            text: Fill it in.
        """)
    result = cli(small_content, "check")
    assert result.returncode == 1
    assert "content/tours/new-work-order.yml:5:" in result.stderr and "no-such-help-id" in result.stderr
    write(small_content, "tours/new-work-order.yml", "id: new-work-order\ntitle: Create a work order\npages: [/work-orders/new]\n"
          "steps:\n  - help_id: wo-new-form\n    title: The form\n    text: Fill it in.\n")
    assert cli(small_content, "check").stdout.startswith("ok: 6 articles, 4 would be built, 3 categories, 1 tours")


def test_the_content_option_works_after_the_command_as_the_guide_writes_it(small_content):
    after = subprocess.run([sys.executable, "-m", "site_builder", "check", "--content", str(small_content)],
                           cwd=PROJECT, capture_output=True, text=True)
    assert after.returncode == 0, after.stderr
    assert after.stdout.startswith("ok: 6 articles, 4 would be built")
    before = cli(small_content, "check")
    assert before.stdout == after.stdout


def test_status_takes_the_path_check_prints(small_content):
    write(small_content, "ppm/future-feature.md", article("Seasonal", "See [nowhere](nowhere.md).", status="draft"))
    printed = cli(small_content, "check", "--preview").stderr.split(":")[0]
    assert printed == "content/ppm/future-feature.md"
    from_above = subprocess.run([sys.executable, "-m", "site_builder", "--content", "content", "status", printed, "review"],
                                cwd=small_content.parent, capture_output=True, text=True)
    assert from_above.returncode == 0, from_above.stderr
    assert cli(small_content, "status", printed, "draft").returncode == 0, "from any folder, against --content"
    assert "status: draft" in (small_content / "ppm/future-feature.md").read_text()


@pytest.mark.parametrize("written", ["2027-06-15", "15/06/2027", "06/15/2027", "15 June 2027", "June 15, 2027", "2027/06/15"])
def test_stale_reads_the_dates_people_write(small_content, written):
    result = cli(small_content, "stale", "--today", written)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("4 published article(s) past their review date on 2027-06-15:")


@pytest.mark.parametrize("written, said", [
    ("05/06/2027", "'05/06/2027' could be 5 June 2027 or 6 May 2027: write it as YYYY-MM-DD, e.g. 2027-06-05"),
    ("31/02/2027", "'31/02/2027' is not a date: write it as YYYY-MM-DD"),
])
def test_stale_says_which_date_format_to_use_when_a_date_is_ambiguous_or_wrong(small_content, written, said):
    result = cli(small_content, "stale", "--today", written)
    assert result.returncode == 2 and said in result.stderr
    assert "Traceback" not in result.stderr and "fromisoformat" not in result.stderr


def test_stale_fails_ci_when_articles_are_overdue(small_content):
    overdue = cli(small_content, "stale", "--today", "2027-06-15", "--fail")
    assert overdue.returncode == 1 and overdue.stdout.startswith("4 published article(s) past their review date")
    assert cli(small_content, "stale", "--today", "2027-06-15").returncode == 0, "without --fail, listing is not failing"
    assert cli(small_content, "stale", "--today", "2026-11-01", "--fail").returncode == 0


def test_status_refuses_plain_docs_which_have_no_workflow(small_content):
    (small_content / "help-center.yml").unlink()  # now a plain docs tree: `status:` is a Material page badge there
    before = (small_content / "ppm/schedule-ppm.md").read_bytes()
    result = cli(small_content, "status", "schedule-ppm", "review")
    assert result.returncode == 1
    assert f"error: {small_content} is plain docs (no help-center.yml): pages have no workflow state" in result.stderr
    assert (small_content / "ppm/schedule-ppm.md").read_bytes() == before
