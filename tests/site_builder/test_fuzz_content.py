"""Hypothesis writes content no author would (odd front matter, Markdown, YAML data files, file names): the build's
checks never crash, and every problem they find is `path:line: message` naming a file of the tree."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from site_builder.articles import FIELDS
from site_builder.chunking import chunk_articles
from site_builder.pipeline import check
from site_builder.problems import ContentError
from site_builder.render import Renderer
from tests.conftest import config_for

EXAMPLES = 80
DERANDOMIZE = True  # the same examples on every run: a failure in CI is one anyone can reproduce
PROBLEM = re.compile(r"^(?P<path>[^:\n]+):(?P<line>[1-9][0-9]*): \S")

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), text,
                   st.dates().map(str), st.sampled_from(["draft", "review", "published", "archived", "new", "deprecated"]))
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.sampled_from(["boost", "exclude", "created", "x"]),
                                                                      inner, max_size=3)), max_leaves=6)
keys = st.one_of(st.sampled_from([*FIELDS, "description", "date", "draft", "hide", "icon", "template", "slug", "authors"]),
                 text.filter(lambda k: k.strip() != ""))
SAFE = st.sampled_from(["# Title", "## Section {#anchor}", "[up](../)", "| a | b |\n|---|---|\n| 1 | 2 |", "```\ncode\n",
                        "<div>", "- item", "[[wiki]]", "{#id}", "\t\t* nested", "\x00", "\ufeff", "!!! note\n    text",
                        "=== \"Tab\"\n    text", "[^1]\n\n[^1]: foot", "*[HTML]: Hyper", "<!-- comment"])
RISKY = st.sampled_from(["[a link](other.md#nowhere)", "![img](pic.png)", '--8<-- "missing.md"', "--8<--"])
markdown = st.lists(st.one_of(text, SAFE, text, SAFE, text, SAFE, RISKY), max_size=8).map("\n".join)  # risky: 1 in 7
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="/\\\x00"), min_size=1,
                max_size=20).filter(lambda n: n not in (".", ".."))


def front_matter(meta: dict) -> str:
    import yaml

    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n"


@st.composite
def trees(draw) -> dict[str, str]:
    files = {}
    for _ in range(draw(st.integers(1, 4))):
        folder = draw(st.sampled_from(["", "guides/", "blog/posts/", "a b/", "ünï/"]))
        raw = draw(st.one_of(st.builds(front_matter, st.dictionaries(keys, value, max_size=6)),
                             st.builds(front_matter, st.fixed_dictionaries({"title": text.filter(str.strip)})),
                             st.builds(lambda t: f"---\n{t}\n---\n", text), st.just("")))
        files[f"{folder}{draw(names)}.md"] = raw + draw(markdown)
    for data_file in ("synonyms.yml", "pins.yml", "tours/tour.yml", "help-center.yml", "guides/_category.yml"):
        if draw(st.integers(0, 4)) == 0:  # now and then, so that whole trees also get through to rendering
            files[data_file] = draw(st.one_of(text, st.builds(lambda v: __import__("yaml").safe_dump(v), value)))
    return files


@given(files=trees())
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=DERANDOMIZE)
def test_any_content_is_checked_without_crashing_and_problems_name_a_file_and_line(files, embedder):
    with tempfile.TemporaryDirectory() as base:
        root = Path(base) / "content"
        for rel, body in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(body, encoding="utf-8")
        config = config_for(root, Path(base) / "build")
        try:
            content, _ = check(config)
        except ContentError as refused:
            event("refused with problems")
            assert refused.problems
            for problem in refused.problems:
                found = PROBLEM.match(str(problem))
                assert found, f"not path:line: message: {problem}"
                assert (root / found["path"]).exists() or (root.parent / found["path"]).exists() or \
                    found["path"].startswith(str(root.name)), problem
            return
        event(f"built: {'help center' if content.strict else 'plain docs'}, {min(len(content.articles), 2)}+ articles")
        renderer = Renderer(config.mkdocs_config, content.articles)
        for article in content.articles:
            renderer.html(article)
        chunk_articles(content.articles, embedder.count_tokens, config.chunk_tokens)
