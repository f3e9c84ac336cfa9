"""A team's mkdocs.yml that MkDocs would refuse stops the build at once, each problem at its line of the file,
never as a traceback; its paths are its own, relative to it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.config import build_config
from site_builder.mkdocs_config import docs_dir, load, snippet_bases
from site_builder.problems import ContentError
from tests.conftest import PROJECT, write

TEAM_MKDOCS = Path(__file__).parent / "fixtures" / "team-site" / "mkdocs.yml"


def team_site(tmp_path: Path, plugins: str, extensions: str = "  - admonition\n") -> Path:
    write(tmp_path, "docs/index.md", "# Home\n\nWelcome.\n")
    return write(tmp_path, "mkdocs.yml", f"site_name: Team\ntheme:\n  name: material\nplugins:\n{plugins}markdown_extensions:\n{extensions}")


def problems(path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(path)
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in caught.value.problems]


def test_every_plugin_that_is_not_installed_is_named_at_its_line(tmp_path):
    # Lines 5 to 9; Material's own blog and social plugins are installed with it.
    path = team_site(tmp_path, "  - search\n  - redirects\n  - git-committers:\n      repository: acme/docs\n  - blog\n  - social\n")
    found = problems(path)
    assert [p.split(": plugins: ")[0] for p in found] == ["mkdocs.yml:6", "mkdocs.yml:7"]
    assert 'The "redirects" plugin is not installed' in found[0] and 'The "git-committers" plugin' in found[1]
    assert "remove it from `plugins`" in found[0]


def test_plugins_given_as_a_mapping_are_checked_too(tmp_path):
    path = team_site(tmp_path, "  search: {}\n  redirects:\n    redirect_maps: {}\n")
    assert problems(path) == ['mkdocs.yml:6: plugins: The "redirects" plugin is not installed (install its package in the '
                              "build's Python environment, or remove it from `plugins`)"]


def test_an_extension_that_does_not_load_is_named_at_its_line_in_one_line(tmp_path):
    path = team_site(tmp_path, "  - search\n", "  - admonition\n  - pymdownx.nosuch:\n      x: 1\n")
    (found,) = problems(path)
    assert found.startswith("mkdocs.yml:8: markdown_extensions: Failed to load extension 'pymdownx.nosuch'.")
    assert "ModuleNotFoundError" in found and "Traceback" not in found and "\n" not in found


def test_yaml_that_does_not_parse_is_reported_at_its_line(tmp_path):
    path = write(tmp_path, "mkdocs.yml", "site_name: Team\ntheme:\n  name: material\n  palette: [oops\n")
    (found,) = problems(path)
    assert found.startswith("mkdocs.yml:") and "not valid YAML" in found


def test_build_py_prints_the_problem_and_no_traceback(tmp_path):
    path = team_site(tmp_path, "  - search\n  - no-such-plugin\n")
    done = subprocess.run([sys.executable, "build.py", "--mkdocs", str(path), "--out", str(tmp_path / "out")], cwd=PROJECT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f'{path}:6: plugins: The "no-such-plugin" plugin is not installed' in done.stderr
    assert not (tmp_path / "out").exists()


def test_paths_in_a_team_s_mkdocs_yml_are_relative_to_it_whatever_folder_the_build_runs_in(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    site = TEAM_MKDOCS.parent
    config = load(TEAM_MKDOCS)
    assert Path(config.docs_dir) == site / "pages" == docs_dir(TEAM_MKDOCS)
    assert Path(config.theme.custom_dir) == site / "overrides"
    assert config.mdx_configs["pymdownx.snippets"]["base_path"] == [str(site / "snippets")]
    assert snippet_bases(TEAM_MKDOCS) == [site / "snippets"] and snippet_bases(PROJECT / "mkdocs.yml") is None


def test_the_content_defaults_to_the_docs_dir_of_a_team_s_mkdocs_yml_and_the_site_url_is_a_setting():
    theirs = build_config(["--mkdocs", str(TEAM_MKDOCS)], {})
    assert theirs.content == TEAM_MKDOCS.parent / "pages" and theirs.site_url is None
    ours = build_config([], {"HELP_CENTER_SITE_URL": "https://help.example.com"})
    assert ours.content == PROJECT / "content" and ours.site_url == "https://help.example.com/"
    assert build_config(["--mkdocs", str(TEAM_MKDOCS), "--content", str(PROJECT / "content")], {}).content == PROJECT / "content"


def test_a_site_url_that_is_not_an_address_is_refused(capsys):
    with pytest.raises(SystemExit):
        build_config([], {"HELP_CENTER_SITE_URL": "help.example.com"})
    assert "HELP_CENTER_SITE_URL must be the site's address" in capsys.readouterr().err
