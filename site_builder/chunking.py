"""Heading-aware chunking: one section per heading, cut into pieces of a bounded number of tokens."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .articles import page_title
from .links import FENCE_OPEN, HEADING, headings
from .output import MD_LINK as LINK, MD_REF_LINK as REF_LINK, MD_TABLE_RULE as TABLE_RULE, MD_TAG as TAG, SENTENCE_END, heading_text
from .records import Article, Chunk

TokenCounter = Callable[[Sequence[str]], list[int]]

ADMONITION = re.compile(r"^(\s*)(!!!|\?\?\?\+?)\s*(\w+)(?:\s+\"([^\"]*)\")?\s*$")
EMPHASIS = re.compile(r"(\*\*|__|\*|`+|~~)")
LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


@dataclass
class Section:
    heading_path: list[str]
    anchor: str
    lines: list[str]
    text: str = ""


def plain_text(lines: Sequence[str]) -> str:
    """Markdown to the words a reader sees: one line per paragraph, list item or table row."""
    out: list[str] = []
    joinable = False  # whether the next plain line continues the previous paragraph
    for line in lines:
        if FENCE_OPEN.match(line) or TABLE_RULE.match(line) or re.match(r"^\s*\[[^\]]+\]:\s", line):
            joinable = False
            continue
        starts_block = bool(LIST_MARK.match(line) or line.lstrip().startswith("|") or ADMONITION.match(line))
        admonition = ADMONITION.match(line)
        if admonition:
            kind, title = admonition.group(3), admonition.group(4)
            line = f"{title or kind.capitalize()}:" if title != "" else ""
        line = LINK.sub(r"\1", line)
        line = REF_LINK.sub(r"\1", line)
        line = TAG.sub(" ", line)
        line = EMPHASIS.sub("", line)
        line = LIST_MARK.sub("", line)
        line = re.sub(r"\s+", " ", line.replace("|", " ")).strip()
        if line and joinable and not starts_block:
            out[-1] += " " + line
        else:
            out.append(line)
        joinable = bool(line) and not admonition
    text = "\n".join(out)
    return re.sub(r"\n{2,}", "\n\n", text).strip()


def sections(article: Article) -> list[Section]:
    anchors = {h.line: h for h in headings(article.body, article.body_line, page_title(article))}
    current = Section([], "", [])
    found = [current]
    stack: list[tuple[int, str]] = []
    in_fence = None
    for offset, line in enumerate(article.body.split("\n")):
        fence = FENCE_OPEN.match(line)
        if fence:
            in_fence = None if in_fence else fence.group(1)[0]
        heading = anchors.get(article.body_line + offset)
        if heading and not in_fence and HEADING.match(line):
            if heading.level == 1 and heading.text == article.title:
                # A plain doc's own `# Title` is the title, not a section inside it.
                stack, current = [], Section([], "", [])
            else:
                stack = [(lvl, text) for lvl, text in stack if lvl < heading.level] + [(heading.level, heading.text)]
                current = Section([text for _, text in stack], heading.anchor, [])
            found.append(current)
        else:
            current.lines.append(line)
    for section in found:
        section.text = plain_text(section.lines)
    return [s for s in found if s.text]


def chunk_article(article: Article, count: TokenCounter, max_tokens: int) -> list[Chunk]:
    return chunk_articles([article], count, max_tokens)


def chunk_articles(articles: Sequence[Article], count: TokenCounter, max_tokens: int) -> list[Chunk]:
    """Every article's chunks, each within max_tokens with its heading path.

    Tokenizing is the slow part of chunking 10,000 articles, and the tokenizer is fastest on one
    big batch: all headings and paragraphs are counted in one call, and only paragraphs over
    budget need more calls (one for their sentences, one for word groups of oversized sentences).
    """
    found = [(article, section) for article in articles for section in sections(article)]
    headings = [heading_text(article.title, section.heading_path) for article, section in found]
    paragraphs = [[p for p in section.text.split("\n\n") if p.strip()] for _, section in found]
    sizes = count(headings + [p for ps in paragraphs for p in ps])
    budgets = [max(32, max_tokens - size) for size in sizes[:len(found)]]
    rest = iter(sizes[len(found):])
    units = [[(p, next(rest)) for p in ps] for ps in paragraphs]
    for split in (_sentences, _word_groups):
        units = _split_oversized(units, budgets, split, count)
    chunks: list[Chunk] = []
    positions: dict[str, int] = {}
    for (article, section), section_units, budget in zip(found, units, budgets):
        for piece in pack(section_units, budget):
            n = positions[article.id] = positions.get(article.id, -1) + 1
            chunks.append(Chunk(f"{article.id}#{n}", article.id, article.title, section.heading_path, section.anchor, piece, n))
    return chunks


Units = list[tuple[str, int]]  # pieces of text with their token counts


def _split_oversized(units: list[Units], budgets: list[int], split: Callable[[str, int], list[str]], count: TokenCounter) -> list[Units]:
    """Units over their section's budget replaced by smaller parts, all counted in one call."""
    parts = [[split(text, budget) if size > budget else None for text, size in section] for section, budget in zip(units, budgets)]
    texts = [t for section in parts for part in section if part for t in part]
    if not texts:
        return units
    sizes = iter(count(texts))
    return [[pair for unit, part in zip(section, section_parts) for pair in ([unit] if part is None else [(t, next(sizes)) for t in part])]
            for section, section_parts in zip(units, parts)]


def _sentences(text: str, budget: int) -> list[str]:
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def _word_groups(text: str, budget: int) -> list[str]:
    words = text.split()
    step = max(1, budget // 2)
    return [" ".join(words[i:i + step]) for i in range(0, len(words), step)]


def pack(units: Units, budget: int) -> list[str]:
    """Greedily pack units (paragraphs, or sentences and word groups of long ones) into pieces within the budget."""
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for unit, size in units:
        if current and used + size > budget:
            pieces.append("\n".join(current))
            current, used = [], 0
        current.append(unit)
        used += size
    if current:
        pieces.append("\n".join(current))
    return pieces
