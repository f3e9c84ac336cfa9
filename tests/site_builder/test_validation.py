"""An author who makes a mistake gets every problem at once, as `path:line: message`, and no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from site_builder.content import load
from tests.conftest import PROJECT, article, help_center, write


@pytest.fixture
def root(tmp_path):
    """A help center's content folder (help-center.yml declares it), empty until a test writes its files."""
    return help_center(tmp_path / "content")


def problems(root, statuses=("published",)):
    return [str(p) for p in load(root, statuses).problems.errors]


def test_a_clean_folder_has_no_problems(small_content):
    assert problems(small_content) == []


def test_misspelled_status_names_the_line_and_the_choices(root):
    write(root, "work-orders/new.md", article("New", status="publishd"))
    assert problems(root) == [
        "content/work-orders/new.md:3: unknown status 'publishd' (draft, review, published, archived)"]


def test_missing_title_and_status(root):
    write(root, "a.md", "---\nstatus: published\n---\nText\n")
    write(root, "b.md", "---\ntitle: B\n---\nText\n")
    assert problems(root) == ["content/a.md:1: missing field 'title'",
                              "content/b.md:1: missing field 'status' (draft, review, published, archived)"]


def test_unknown_field(root):
    write(root, "a.md", article("A", categroy="x"))
    [problem] = problems(root)
    assert problem.startswith("content/a.md:7: unknown field 'categroy' (allowed: title, id, status")


@pytest.mark.parametrize("field, value, message", [
    ("last_reviewed", "2026-13-45", "field 'last_reviewed' is not a date: '2026-13-45' (use YYYY-MM-DD)"),
    ("review_every_days", "soon", "field 'review_every_days' must be a whole number of days above 0, not 'soon'"),
    ("tags", "onboarding", "field 'tags' must be a list, e.g. tags: [onboarding]"),
    ("contexts", "[work-orders/new]", "context 'work-orders/new' must be a URL path starting with '/', e.g. /work-orders/*"),
    ("id", "Bad Id!", "id 'Bad Id!' must use lowercase letters, digits, '-' and '_' only"),
    ("language", "english", "language 'english' is not a language code such as 'en' or 'pt-BR'"),
    ("search", "{boost: 99}", "search boost must be a number above 0 and at most 10, not '99'"),
])
def test_bad_values_are_reported_at_their_line(root, field, value, message):
    write(root, "a.md", article("A", **{field: value}))
    line = 7 if field not in ("last_reviewed", "review_every_days") else (5 if field == "last_reviewed" else 6)
    assert problems(root) == [f"content/a.md:{line}: {message}"]


def test_unparsable_yaml(root):
    write(root, "a.md", "---\ntitle: A\nstatus: [published\n---\nText\n")
    [problem] = problems(root)
    assert problem.startswith("content/a.md:3: front matter is not valid YAML")


def test_front_matter_that_never_closes(root):
    write(root, "a.md", "---\ntitle: A\nstatus: published\n")
    assert problems(root) == ["content/a.md:1: front matter is not closed by a '---' line"]


def test_duplicate_ids_and_help_ids(root):
    write(root, "one/setup.md", article("Setup one", help_ids="[wo-form]"))
    write(root, "two/setup.md", article("Setup two"))
    write(root, "two/other.md", article("Other", help_ids="[wo-form]"))
    assert problems(root) == [
        "content/two/other.md:7: duplicate help_id 'wo-form', also used by one/setup.md",
        "content/two/setup.md:1: duplicate id 'setup', also used by one/setup.md; give this one its own, e.g. id: two-setup",
    ]


def test_broken_links_anchors_and_images(root):
    write(root, "b.md", article("B", "## Real heading\n\nText."))
    write(root, "a.md", article("A", """
        See [B](b.md#real-heading), [missing](nowhere.md) and [bad anchor](b.md#nope).
        Jump to [here](#also-nope).

        ![](screenshot.png)
        <img src="x.png">

        ```
        [not a link](inside-code.md)
        ```
        """))
    assert problems(root) == [
        "content/a.md:8: broken link 'b.md#nope': no heading with anchor '#nope' in b.md",
        "content/a.md:8: broken link 'nowhere.md': nowhere.md does not exist",
        "content/a.md:9: anchor '#also-nope' does not match a heading in this article",
        "content/a.md:11: image 'screenshot.png' has no alt text; describe it in ![...] for readers who cannot see it",
        "content/a.md:12: image 'x.png' has no alt text; describe it in ![...] for readers who cannot see it",
    ]


def test_related_must_exist_and_be_published(root):
    write(root, "a.md", article("A", related="[ghost, wip]"))
    write(root, "wip.md", article("Wip", status="draft"))
    assert problems(root) == ["content/a.md:7: related article 'ghost' does not exist",
                              "content/a.md:7: related article 'wip' is draft, so it is not on the site"]
    assert problems(root, ("published", "draft", "review")) == ["content/a.md:7: related article 'ghost' does not exist"]


def test_links_to_unpublished_articles_break_the_public_site(root):
    write(root, "a.md", article("A", "See [the draft](wip.md)."))
    write(root, "wip.md", article("Wip", status="review"))
    assert problems(root) == ["content/a.md:8: link 'wip.md' points to a review article, which is not on the site"]


def test_bad_category_file(root):
    write(root, "wo/_category.yml", "title: Work orders\norder: first\ncolour: red\n")
    write(root, "wo/a.md", article("A"))
    assert problems(root) == ["content/wo/_category.yml:2: order must be a whole number, not 'first'",
                              "content/wo/_category.yml:3: unknown field 'colour' (allowed: title, description, order, icon)"]


def test_every_problem_is_reported_by_the_build_without_a_traceback(root, tmp_path):
    write(root, "a.md", article("A", status="publishd"))
    write(root, "b.md", "---\ntitle: [unclosed\n---\n")
    (root / "c.md").write_bytes(b"---\ntitle: \xff\xfe\x00garbage\n---\n")
    write(root, "d.md", "---\n- just\n- a list\n---\nbody\n")
    write(root, "e.md", article("E", last_reviewed="yesterday"))
    result = subprocess.run([sys.executable, "build.py", "--content", str(root), "--out", str(tmp_path / "out")],
                            cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[:5] == [
        "content/a.md:3: unknown status 'publishd' (draft, review, published, archived)",
        "content/b.md:2: front matter is not valid YAML: expected ',' or ']', but got '<stream end>'",
        "content/c.md:1: file is not UTF-8 text (byte 11); save it as UTF-8",
        "content/d.md:2: front matter must be a mapping of 'field: value' lines",
        "content/e.md:5: field 'last_reviewed' is not a date: 'yesterday' (use YYYY-MM-DD)",
    ]
    assert f"nothing was written to {tmp_path / 'out'}" in lines[-1]
    assert not (tmp_path / "out").exists()


def test_a_field_given_twice(root):
    write(root, "a.md", "---\ntitle: A\nstatus: draft\nstatus: published\n---\nText\n")
    assert problems(root) == ["content/a.md:4: field 'status' is given twice"]


def test_bad_synonyms_file(root):
    write(root, "a.md", article("A"))
    write(root, "synonyms.yml", "synonyms:\n  - ppm\n")
    assert problems(root) == ["content/synonyms.yml:1: expected 'synonyms:' followed by lists of two or more equivalent "
                              "terms, e.g. - [ppm, preventive maintenance]"]


def test_whatever_a_file_holds_the_checker_answers_with_problems_not_exceptions(root):
    import random
    rng = random.Random(7)
    pieces = ["---\n", "title: ", "status: published\n", ": :\n", "- [\n", "{{", "\x00", "é", "```\n", "## H\n",
              "[x](", "![](", "#", "\t", "related: [a, b]\n", "last_reviewed: 2026-02-30\n", "---", "\r\n", "*" * 50]
    for n in range(200):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        data = text.encode("utf-8") if n % 5 else bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
        (root / f"dir{n % 7}").mkdir(parents=True, exist_ok=True)
        (root / f"dir{n % 7}" / f"f{n}.md").write_bytes(data)
    content = load(root, ("published", "draft", "review"))
    assert content.problems.errors
    assert all(p.path.startswith("content/dir") and p.line >= 1 for p in content.problems.items)
