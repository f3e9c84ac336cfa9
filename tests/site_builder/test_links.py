"""Links between pages resolve the way MkDocs resolves them, and a broken one says what was probably meant."""

from __future__ import annotations

from site_builder.content import load
from tests.conftest import article, help_center, write


def problems(root, errors=True) -> list[str]:
    content = load(root)
    return [str(p) for p in (content.problems.errors if errors else content.problems.warnings)]


def test_links_to_folders_index_pages_readmes_and_anchors_resolve_to_their_pages(tmp_path):
    root = tmp_path / "docs"
    write(root, "index.md", "# Home\n\n[Guide](guide/) [Install](guide/install.md#with-pip) [Setup](setup/index.md#colors)\n")
    write(root, "guide/README.md", "# Guide\n\n[Home](../) [Home again](../index.md) [Setup](../setup/#colors) [Here](./)\n")
    write(root, "guide/install.md", "# Install\n\n## With pip\n\n[Up](..) [Guide](README.md) [Top](#with-pip)\n")
    write(root, "setup/index.md", "# Setup\n\n## Colors\n\n[Install](../guide/install.md#with-pip)\n")
    assert problems(root, errors=False) == []
    pages = {a.path: a.body for a in load(root).articles}
    # Folder links now name their page's file, so the site and the API resolve them from the file, as checked here.
    assert "[Home](../index.md) [Home again](../index.md) [Setup](../setup/index.md#colors) [Here](./README.md)" in pages["guide/README.md"]
    assert "[Up](../index.md)" in pages["guide/install.md"] and "[Guide](guide/README.md)" in pages["index.md"]


def test_a_broken_link_suggests_the_file_it_probably_meant(tmp_path):
    # Issue 13: "did you mean ../managing/assign-a-work-order.md?"
    root = help_center(tmp_path / "content")
    write(root, "work-orders/managing/assign-a-work-order.md", article("Assign"))
    write(root, "work-orders/creating/create.md", article("Create", """
        [Moved](../assign-a-work-order.md), [misspelt](../managing/asign-a-work-order.md), [far off](../../nothing-like-it.md).
        """))
    assert problems(root) == [
        "content/work-orders/creating/create.md:8: broken link '../../nothing-like-it.md': nothing-like-it.md does not exist",
        "content/work-orders/creating/create.md:8: broken link '../assign-a-work-order.md': work-orders/assign-a-work-order.md "
        "does not exist; did you mean ../managing/assign-a-work-order.md?",
        "content/work-orders/creating/create.md:8: broken link '../managing/asign-a-work-order.md': "
        "work-orders/managing/asign-a-work-order.md does not exist; did you mean ../managing/assign-a-work-order.md?",
    ]


def test_a_broken_anchor_suggests_the_nearest_heading(tmp_path):
    root = help_center(tmp_path / "content")
    write(root, "b.md", article("B", "## Pick a technician\n\nText."))
    write(root, "a.md", article("A", """
        [There](b.md#pick-a-technican) and [here](#fil-in-the-form).

        ## Fill in the form
        """))
    assert problems(root) == [
        "content/a.md:8: anchor '#fil-in-the-form' does not match a heading in this article; did you mean #fill-in-the-form?",
        "content/a.md:8: broken link 'b.md#pick-a-technican': no heading with anchor '#pick-a-technican' in b.md; "
        "did you mean #pick-a-technician?",
    ]


def test_in_plain_docs_a_broken_link_is_a_warning_and_the_build_goes_on(tmp_path):
    root = tmp_path / "docs"
    write(root, "a.md", "# A\n\n[Gone](gone.md)\n")
    assert problems(root) == []
    assert problems(root, errors=False) == ["docs/a.md:3: warning: broken link 'gone.md': gone.md does not exist"]


def test_a_problem_after_an_included_snippet_is_reported_at_its_own_line(tmp_path):
    root = tmp_path / "docs"
    write(root, "snippets/three-lines.md", "one\n\ntwo [broken in snippet](nowhere.md)\n")
    write(root, "a.md", '# A\n\n--8<-- "snippets/three-lines.md"\n\n[Gone](gone.md)\n')
    assert problems(root, errors=False) == [
        "docs/a.md:3: warning: broken link 'nowhere.md': nowhere.md does not exist",
        "docs/a.md:5: warning: broken link 'gone.md': gone.md does not exist",
    ]


def test_anchors_of_headings_with_code_and_underscores_are_the_ones_the_site_gives(tmp_path):
    # Found building pymdown-extensions' own docs: "## `on_validate` Event" is #on_validate-event, not #onvalidate-event.
    root = tmp_path / "docs"
    write(root, "a.md", "# A\n\n## `on_validate` Event\n\n## snake_case and *emphasis*\n\n"
                        "[one](#on_validate-event) [two](#snake_case-and-emphasis)\n")
    assert problems(root, errors=False) == []


def test_an_anchor_may_be_an_id_given_by_an_attribute_list_or_html(tmp_path):
    root = tmp_path / "docs"
    write(root, "a.md", '# A\n\nA note.\n{#\\_fn_1}\n\n<span id="legacy"></span>Old text.\n\n[one](#_fn_1) [two](#legacy) [three](#nowhere)\n')
    assert problems(root, errors=False) == ["docs/a.md:8: warning: anchor '#nowhere' does not match a heading in this article"]


def test_a_missing_image_is_not_offered_a_page_instead(tmp_path):
    root = tmp_path / "docs"
    write(root, "guide.md", "# Guide\n")
    write(root, "a.md", "# A\n\n![The guide](guide.png)\n")
    assert problems(root, errors=False) == ["docs/a.md:3: warning: broken link 'guide.png': guide.png does not exist"]
