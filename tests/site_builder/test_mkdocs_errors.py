"""A page that a team's own MkDocs site refuses while it is built stops the build with the page and the line
of the front matter field at fault, not with MkDocs' "Aborted with a BuildError!"."""

from __future__ import annotations

import pytest
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from site_builder.config import build_config
from site_builder.pipeline import build
from site_builder.problems import ContentError
from tests.conftest import write


def test_a_template_the_theme_lacks_is_reported_at_the_page_s_template_line(tmp_path):
    write(tmp_path, "site/mkdocs.yml", "site_name: Team\ntheme:\n  name: material\n")
    write(tmp_path, "site/docs/index.md", "# Home\n\nWelcome.\n")
    write(tmp_path, "site/docs/guide.md", "---\ntitle: Guide\nicon: material/book\ntemplate: landing.html\n---\n\nText.\n")
    config = build_config(["--mkdocs", str(tmp_path / "site/mkdocs.yml"), "--out", str(tmp_path / "out")],
                          {"HELP_CENTER_CACHE": str(tmp_path / "cache")})
    with pytest.raises(ContentError) as caught:
        build(config, log=lambda _: None)
    (problem,) = caught.value.problems
    assert (problem.path, problem.line) == ("docs/guide.md", 4)
    assert problem.message.startswith("mkdocs: Error building page 'guide.md': 'landing.html' not found")
    assert not (tmp_path / "out").exists()


def _build_team_site(tmp_path):
    config = build_config(["--mkdocs", str(tmp_path / "site/mkdocs.yml"), "--out", str(tmp_path / "out")],
                          {"HELP_CENTER_CACHE": str(tmp_path / "cache")})
    with pytest.raises(ContentError) as caught:
        build(config, log=lambda _: None)
    assert not (tmp_path / "out").exists()
    return caught.value.problems


def test_a_missing_snippet_under_check_paths_is_an_error_at_its_include_line_before_mkdocs_runs(tmp_path):
    # check_paths: true is the team saying a missing snippet must stop their build; pymdownx would raise.
    write(tmp_path, "site/mkdocs.yml", "site_name: Team\ntheme:\n  name: material\nmarkdown_extensions:\n"
                                       "  - pymdownx.snippets:\n      base_path: [docs]\n      check_paths: true\n")
    write(tmp_path, "site/docs/index.md", "# Home\n\nWelcome.\n")
    write(tmp_path, "site/docs/bad.md", "---\ntitle: Bad\n---\n\n# Bad\n\n--8<-- \"nothere.md\"\n")
    (problem,) = _build_team_site(tmp_path)
    assert (problem.path, problem.line, problem.warning) == ("docs/bad.md", 7, False)
    assert problem.message == "snippet 'nothere.md' not found in docs/"


class Boom(Extension):
    """A Markdown extension that raises on a page saying BOOM, as a team's extension may on any page."""

    def extendMarkdown(self, md):
        md.preprocessors.register(_Boom(md), "boom", 100)


class _Boom(Preprocessor):
    def run(self, lines):
        if any("BOOM" in line for line in lines):
            raise ValueError("this extension cannot read 'BOOM'")
        return lines


def test_any_exception_of_an_extension_while_a_page_renders_is_a_problem_at_the_page_not_a_traceback(tmp_path):
    write(tmp_path, "site/mkdocs.yml", "site_name: Team\ntheme:\n  name: material\nmarkdown_extensions:\n"
                                       f"  - {__name__}:Boom\n")
    write(tmp_path, "site/docs/index.md", "# Home\n\nWelcome.\n")
    write(tmp_path, "site/docs/bad.md", "# Bad\n\nFine.\n\nThen BOOM here.\n")
    (problem,) = _build_team_site(tmp_path)
    assert (problem.path, problem.line) == ("docs/bad.md", 5)
    assert problem.message == "mkdocs: Error reading page 'bad.md': this extension cannot read 'BOOM'"


def test_a_blog_post_the_blog_plugin_refuses_is_reported_once_at_the_post_with_the_plugin_s_message(tmp_path):
    write(tmp_path, "site/mkdocs.yml", "site_name: Team\ntheme:\n  name: material\nplugins:\n  - blog\n")
    write(tmp_path, "site/docs/index.md", "# Home\n\nWelcome.\n")
    write(tmp_path, "site/docs/blog/index.md", "# Blog\n")
    write(tmp_path, "site/docs/blog/posts/p2.md", "---\ndate: 2024-01-31\nauthors: [nobody]\n---\n# Post\n\nText.\n")
    problems = _build_team_site(tmp_path)
    (problem,) = problems
    assert problem.path == "docs/blog/posts/p2.md"
    assert "Aborted with a BuildError" not in problem.message
    assert "nobody" in problem.message


def test_a_blog_post_with_a_date_that_is_not_a_date_is_reported_at_the_post_with_the_plugin_s_message(tmp_path):
    write(tmp_path, "site/mkdocs.yml", "site_name: Team\ntheme:\n  name: material\nplugins:\n  - blog\n")
    write(tmp_path, "site/docs/index.md", "# Home\n\nWelcome.\n")
    write(tmp_path, "site/docs/blog/index.md", "# Blog\n")
    write(tmp_path, "site/docs/blog/posts/p2.md", "---\ndate: notadate\n---\n# Post\n\nText.\n")
    problems = _build_team_site(tmp_path)
    (problem,) = [p for p in problems if not p.warning]
    assert (problem.path, problem.line) == ("docs/blog/posts/p2.md", 2)
    assert "Error reading metadata 'date' of post 'blog/posts/p2.md'" in problem.message
    assert len([p for p in problems if p.path == "docs/blog/posts/p2.md"]) == 1
