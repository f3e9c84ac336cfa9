"""A page that a team's own MkDocs site refuses while it is built stops the build with the page and the line
of the front matter field at fault, not with MkDocs' "Aborted with a BuildError!"."""

from __future__ import annotations

import pytest

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
