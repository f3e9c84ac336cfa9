"""What a Markdown body links to and which anchors it offers, read the way the site renders it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown.extensions.toc import slugify

FENCE_OPEN = re.compile(r"^\s{0,3}(```+|~~~+)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
ATTR_ID = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
INLINE_CODE = re.compile(r"`+[^`]*`+")
LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
REF_DEF = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HTML_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_ALT = re.compile(r"\balt\s*=\s*(\"[^\"]+\"|'[^']+')", re.IGNORECASE)
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass(frozen=True)
class Link:
    line: int
    target: str
    text: str
    image: bool


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str
    anchor: str


def plain_heading(text: str) -> str:
    """Heading text as the table of contents sees it: no attribute list, no inline markup. A code span keeps its
    text whole (`on_validate` stays on_validate), and so does an underscore inside a word, as Markdown reads them."""
    text = ATTR_ID.sub("", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    pieces = re.split(r"(`+)(.+?)\1", text)  # [outside, ticks, code, outside, ...]
    for i in range(0, len(pieces), 3):
        pieces[i] = re.sub(r"\*|(?<!\w)_+|_+(?!\w)|<[^>]+>", "", pieces[i])
    return "".join(p for i, p in enumerate(pieces) if i % 3 != 1).strip()


def content_lines(body: str, first_line: int):
    """Yield (line number, text) for lines outside fenced code blocks."""
    fence = None
    for offset, text in enumerate(body.split("\n")):
        match = FENCE_OPEN.match(text)
        if fence is None and match:
            fence = match.group(1)[0] * 3
            continue
        if fence is not None:
            if text.strip().startswith(fence):
                fence = None
            continue
        yield first_line + offset, text


def headings(body: str, first_line: int = 1, title: str | None = None) -> list[Heading]:
    """Headings with the anchors mkdocs gives them (duplicates get _1, _2 ...)."""
    seen: set[str] = set()
    found = []
    if title:
        seen.add(slugify(title, "-"))
    for line, text in content_lines(body, first_line):
        match = HEADING.match(text)
        if not match:
            continue
        explicit = ATTR_ID.search(match.group(2))
        label = plain_heading(match.group(2))
        anchor = explicit.group(1) if explicit else _unique(slugify(label, "-"), seen)
        seen.add(anchor)
        found.append(Heading(line, len(match.group(1)), label, anchor))
    return found


ATTR_LIST_ID = re.compile(r"\{:?[^}\n]*?#((?:\\_|[\w:.-])+)[^}\n]*\}")
HTML_ID = re.compile(r"<[a-z][^>]*?\b(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


def element_ids(body: str) -> set[str]:
    """Anchors a page has besides its headings: attribute lists (`{#id}` on a paragraph or image) and HTML ids."""
    found = set()
    for _, text in content_lines(body, 1):
        found |= {m.group(1).replace("\\_", "_") for m in ATTR_LIST_ID.finditer(text)}
        found |= {m.group(1) for m in HTML_ID.finditer(text)}
    return found


def _unique(anchor: str, seen: set[str]) -> str:
    candidate, n = anchor, 0
    while candidate in seen:
        n += 1
        candidate = f"{anchor}_{n}"
    return candidate


def links(body: str, first_line: int = 1) -> list[Link]:
    found = []
    refs: dict[str, tuple[int, str]] = {}
    for line, text in content_lines(body, first_line):
        ref = REF_DEF.match(text)
        if ref:
            refs[ref.group(1).lower()] = (line, ref.group(2))
            continue
        text = INLINE_CODE.sub("", text)
        for match in LINK.finditer(text):
            found.append(Link(line, match.group(3), match.group(2), match.group(1) == "!"))
        for tag in HTML_IMG.finditer(text):
            alt = HTML_ALT.search(tag.group(0))
            src = re.search(r"\bsrc\s*=\s*[\"']([^\"']*)", tag.group(0))
            found.append(Link(line, src.group(1) if src else "", alt.group(1)[1:-1] if alt else "", True))
    found.extend(Link(line, target, "", False) for line, target in refs.values())
    return found


def rewrite_targets(body: str, rewrite) -> str:
    """The body with each link's target (inline links and reference definitions, outside code) replaced by
    `rewrite(target)` where that returns one; every line stays where it was."""
    lines = body.split("\n")
    for number, text in content_lines(body, 0):
        ref = REF_DEF.match(text)
        if ref:
            new = rewrite(ref.group(2))
            lines[number] = text[:ref.start(2)] + new + text[ref.end(2):] if new else text
            continue
        code = [m.span() for m in INLINE_CODE.finditer(text)]
        pieces, last = [], 0
        for match in LINK.finditer(text):
            new = rewrite(match.group(3))
            if new and not any(a <= match.start() < b for a, b in code):
                pieces += [text[last:match.start(3)], new]
                last = match.end(3)
        lines[number] = "".join(pieces) + text[last:]
    return "\n".join(lines)


def is_external(target: str) -> bool:
    return bool(EXTERNAL.match(target)) or target.startswith("/")
