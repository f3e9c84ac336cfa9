"""Snippet includes (pymdownx.snippets' `--8<--`) are expanded when the content is read, so the search index and
the site both see the included text, and a file used as a snippet is not a page of its own."""

from __future__ import annotations

from site_builder.content import load
from tests.conftest import article, help_center, write


def body(root, path: str) -> str:
    return {a.path: a for a in load(root).all_articles}[path].body


def test_the_single_line_and_block_forms_indented_as_their_line(tmp_path):
    root = tmp_path / "docs"
    write(root, "snippets/note.md", "!!! note\n    Shared note.\n")
    write(root, "snippets/tip.md", "A tip.")
    write(root, "a.md", '# A\n\n- item\n\n    --8<-- "snippets/tip.md"\n\n--8<--\nsnippets/note.md\n;snippets/tip.md\n\nsnippets/tip.md\n--8<--\n')
    assert body(tmp_path / "docs", "a.md") == "# A\n\n- item\n\n    A tip.\n\n!!! note\n    Shared note.\n\n\nA tip.\n"
    assert [a.path for a in load(root).all_articles] == ["a.md"]  # the snippets are not pages


def test_line_ranges_and_named_sections(tmp_path):
    root = tmp_path / "docs"
    write(root, "code/example.py", "import os\n\n# --8<-- [start:main]\ndef main():\n    print(os.getcwd())\n# --8<-- [end:main]\n")
    write(root, "a.md", '# A\n\n```python\n--8<-- "code/example.py:main"\n```\n\n```python\n--8<-- "code/example.py:1:1"\n```\n\n'
                        '```python\n--8<-- "code/example.py:4:5,-2:"\n```\n')
    assert body(root, "a.md") == ("# A\n\n```python\ndef main():\n    print(os.getcwd())\n```\n\n```python\nimport os\n```\n\n"
                                  "```python\ndef main():\n    print(os.getcwd())\n\n```\n")  # markers never show


def test_a_snippet_is_found_in_the_content_folder_then_the_project_folder_beside_it(tmp_path):
    write(tmp_path, "includes/abbreviations.md", "*[CLI]: Command-line interface")
    write(tmp_path, "docs/a.md", '# A\n\nThe CLI.\n\n--8<-- "includes/abbreviations.md"\n')
    assert body(tmp_path / "docs", "a.md").endswith("The CLI.\n\n*[CLI]: Command-line interface\n")
    assert [a.path for a in load(tmp_path / "docs").all_articles] == ["a.md"]


def test_snippets_that_include_snippets_and_one_that_includes_itself(tmp_path):
    root = tmp_path / "docs"
    write(root, "s/outer.md", 'Outer.\n--8<-- "s/inner.md"\n--8<-- "s/outer.md"\n')
    write(root, "s/inner.md", "Inner.")
    write(root, "a.md", '--8<-- "s/outer.md"\n;--8<-- "kept as written"\n')
    assert body(root, "a.md") == 'Outer.\nInner.\n\n--8<-- "kept as written"\n'


def test_a_missing_snippet_or_section_is_reported_at_its_line(tmp_path):
    root = help_center(tmp_path / "content")
    write(root, "snippets/note.md", "Note.\n")
    write(root, "a.md", article("A", '--8<-- "snippets/gone.md"\n\n--8<-- "snippets/note.md:usage"\n\n'
                                     '--8<-- "https://example.org/x.md"\n\n--8<-- "../../../../etc/hostname"\n'))
    folders = f"content/ or {tmp_path.name}/"
    assert [str(p) for p in load(root).problems.errors] == [
        f"content/a.md:8: snippet 'snippets/gone.md' not found in {folders}",
        "content/a.md:10: snippet 'snippets/note.md' has no section 'usage' (mark it with --8<-- [start:usage] and [end:usage])",
        "content/a.md:12: snippet 'https://example.org/x.md' is a URL: remote snippets are not fetched; copy it into the content",
        f"content/a.md:14: snippet '../../../../etc/hostname' not found in {folders}",
    ]


def test_in_plain_docs_a_missing_snippet_is_a_warning(tmp_path):
    root = tmp_path / "docs"
    write(root, "a.md", '# A\n\n--8<-- "gone.md"\n')
    content = load(root)
    assert content.problems.errors == []
    assert [str(p) for p in content.problems.warnings] == [f"docs/a.md:3: warning: snippet 'gone.md' not found in docs/ or {tmp_path.name}/"]


def test_a_team_s_mkdocs_yml_can_say_where_snippets_are(tmp_path):
    # pymdownx.snippets' base_path, read from the team's mkdocs.yml by the caller (mkdocs_config.snippet_bases)
    write(tmp_path, "snippets/warranty.md", "Two years of warranty.")
    write(tmp_path, "docs/a.md", '# A\n\n--8<-- "warranty.md"\n')
    assert body(tmp_path / "docs", "a.md") == '# A\n\n'  # not found beside the docs: a warning
    content = load(tmp_path / "docs", snippet_bases=[tmp_path / "snippets"])
    assert content.articles[0].body == "# A\n\nTwo years of warranty.\n" and content.problems.items == []


def test_a_snippet_base_may_name_one_file(tmp_path):
    # pymdownx.snippets' base_path: [docs/.snippets, LICENSE.md] lets pages include LICENSE.md by its name only.
    write(tmp_path, "LICENSE.md", "MIT License")
    write(tmp_path, "docs/license.md", '# License\n\n--8<-- "LICENSE.md"\n')
    content = load(tmp_path / "docs", snippet_bases=[tmp_path / "docs", tmp_path / "LICENSE.md"])
    assert content.articles[0].body == "# License\n\nMIT License\n" and content.problems.items == []
