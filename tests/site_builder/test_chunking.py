"""Articles are cut at headings into passages small enough to embed, each knowing where it sits."""

from __future__ import annotations

from site_builder.records import Article
from site_builder.chunking import chunk_article, plain_text


def make(body: str) -> Article:
    return Article(id="a", title="Close a work order", path="wo/a.md", body=body, body_line=10)


def test_sections_follow_headings_with_their_path_and_site_anchor(embedder):
    body = ("Intro text.\n\n## Before you start\n\nYou need the supervisor role.\n\n"
            "### On mobile\n\nTap **Close**.\n\n```\n## not a heading in code\n```\n\n## Before you start\n\nAgain.\n")
    chunks = chunk_article(make(body), embedder.count_tokens, 200)
    assert [(c.heading_path, c.anchor) for c in chunks] == [
        ([], ""),
        (["Before you start"], "before-you-start"),
        (["Before you start", "On mobile"], "on-mobile"),
        (["Before you start"], "before-you-start_1"),
    ]
    assert "## not a heading in code" in chunks[2].text
    assert chunks[1].embedding_text() == "Close a work order > Before you start\nYou need the supervisor role."


def test_long_sections_are_split_within_the_token_budget(embedder):
    paragraph = "The technician records the meter reading and the supervisor approves the closure. " * 6
    body = "## Long section\n\n" + "\n\n".join([paragraph] * 12) + "\n\n" + ("word " * 900)
    chunks = chunk_article(make(body), embedder.count_tokens, 120)
    assert len(chunks) > 8
    assert all(c.anchor == "long-section" for c in chunks)
    sizes = embedder.count_tokens([c.embedding_text() for c in chunks])
    assert max(sizes) <= 120
    assert [c.position for c in chunks] == list(range(len(chunks)))
    assert len({c.id for c in chunks}) == len(chunks)


def test_plain_text_keeps_words_and_drops_markup():
    text = plain_text([
        '!!! warning "Check the asset first"',
        "    See [the guide](guide.md) and **bold** `E1042`.",
        "| Field | Meaning |", "|---|---|", "| Priority | P1 to P4 |",
        "- <kbd>Ctrl</kbd> + S",
    ])
    assert text == "Check the asset first:\nSee the guide and bold E1042.\nField Meaning\nPriority P1 to P4\nCtrl + S"
