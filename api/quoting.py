"""Quoting an article as it is written: its table rows and list items, found again in its Markdown.

A chunk holds a passage's plain words, one line per paragraph, list item or table row, with the
table's pipes and the lists' markers gone ("Code Message", "E3103 Location is required"). To quote
a row as "E3103: Location is required" and steps as steps, each such line is matched back to the
block of the article's Markdown it came from (the API has the article's body, not the build's parser).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from site_builder.output import MD_LINK as LINK, MD_REF_LINK as REF_LINK, MD_TABLE_RULE as TABLE_RULE, MD_TAG as TAG, SENTENCE_END

from .keyword import tokenize

FENCE = re.compile(r"^\s{0,3}(```+|~~~+)")
LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
MOST_ITEMS = 8  # a longer list is quoted around its best item


@dataclass(frozen=True)
class Block:
    kind: str  # "row" (a table's body row), "header" (its header row) or "item" (a list item)
    markdown: str  # how it is quoted: "E3103: Location is required", or the item's own text
    group: int  # the blocks of one table or one list share it
    ordered: bool = False  # an item of a numbered list
    position: int = 0  # of an item in its list


def key(text: str) -> str:
    """The words of a line, whatever Markdown or punctuation surrounds them."""
    return " ".join(tokenize(TAG.sub(" ", REF_LINK.sub(r"\1", LINK.sub(r"\1", text)))))


def inline(text: str) -> str:
    """A cell or item as the assistant's Markdown subset shows it: links become their text, tags go."""
    return re.sub(r"\s+", " ", TAG.sub(" ", REF_LINK.sub(r"\1", LINK.sub(r"\1", text)))).strip()


def cells(line: str) -> list[str]:
    return [inline(c).replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def row_text(header: list[str], row: list[str]) -> str:
    """A table row as "key: value", its first cell the key; with more columns, each value named by its header."""
    first, rest = row[0], row[1:]
    if len(rest) == 1:
        return f"{first}: {rest[0]}" if first else rest[0]
    named = "; ".join(f"{h}: {v}" if h else v for h, v in zip(header[1:], rest) if v)
    return f"{first} — {named}" if first else named


@lru_cache(maxsize=256)
def blocks(markdown: str) -> dict[str, Block]:
    """The tables' rows and the lists' items of an article, by the words of each (read only: cached per body)."""
    found: dict[str, Block] = {}
    lines = markdown.split("\n")
    group, header, in_fence, blank = 0, None, False, False
    item: list = []  # the list item being read: [text, group, ordered, position], continued by its indented lines

    def end_item() -> None:
        if item and item[0]:
            found.setdefault(key(item[0]), Block("item", inline(item[0]), item[1], item[2], item[3]))

    for i, line in enumerate(lines):
        fence = FENCE.match(line)
        in_fence = in_fence != bool(fence)
        if in_fence or fence:
            continue
        if TABLE_RULE.match(line) and header is not None:
            continue
        # A table's rows may leave out the outer pipes ("a | b"): a line with a pipe above a rule starts one.
        if "|" in line and i + 1 < len(lines) and TABLE_RULE.match(lines[i + 1]):
            group, header = group + 1, cells(line)
            found.setdefault(key(line.replace("|", " ")), Block("header", " ".join(header), group))
            continue
        if "|" in line and header is not None:
            found.setdefault(key(line.replace("|", " ")), Block("row", row_text(header, cells(line)), group))
            continue
        header = None
        marker = LIST_ITEM.match(line)
        if marker:
            end_item()
            same_list = bool(item) and item[2] == marker.group(2)[0].isdigit()
            group += 0 if same_list else 1
            item[:] = [marker.group(3), group, marker.group(2)[0].isdigit(), item[3] + 1 if same_list else 0]
        elif item and line.strip() and line.startswith((" ", "\t")):
            if blank:  # a paragraph of its own inside the item: the item's first line is all it matches
                end_item()
                item[0] = ""
            else:
                item[0] += " " + line.strip()
        elif line.strip():
            end_item()
            item.clear()  # a paragraph ends the list
        blank = not line.strip()
    end_item()
    return found


@dataclass
class Unit:
    """What can be quoted of a passage: a sentence, a list item or a table row."""

    words: str  # the chunk's plain words, scored against the question
    block: Block | None  # the list item or table row it is, if any
    overlap: int = 0


def units(text: str, body: str) -> list[Unit]:
    found = blocks(body)
    out = []
    for line in text.split("\n"):
        block = found.get(key(line)) if line.strip() else None
        if block is not None and block.kind == "header":
            continue  # column names alone say nothing
        if block is not None:
            out.append(Unit(line, block))
        else:
            out += [Unit(s.strip(), None) for s in SENTENCE_END.split(line) if s.strip()]
    return out


def quote(chosen: list[int], found: list[Unit]) -> str:
    """The chosen units in the passage's order: sentences quoted inline, or, when a list item or table row is among
    them or a chosen sentence introduces one ("To connect a printer:"), as Markdown lines: rows and bullet points as
    they are, numbered steps and introduced lists whole (or the MOST_ITEMS around the best item)."""
    def introduces(i: int) -> bool:
        return found[i].block is None and found[i].words.endswith(":") and i + 1 < len(found) and found[i + 1].block is not None

    if all(found[i].block is None and not introduces(i) for i in chosen):
        return "“" + " ".join(found[i].words for i in chosen) + "”"
    shown: list[int] = []
    for i in chosen:
        block = found[i].block if found[i].block is not None else found[i + 1].block if introduces(i) else None
        # Steps make sense only together; rows and bullet points (options, notes, changes) each stand alone.
        if block is None or found[i].block is not None and not (block.kind == "item" and block.ordered):
            shown.append(i)
            continue
        members = [j for j, u in enumerate(found) if u.block is not None and u.block.group == block.group]
        best = members.index(i) if i in members else 0
        start = max(0, min(best - 2, len(members) - MOST_ITEMS))
        shown += [i] + members[start:start + MOST_ITEMS]
    return "\n".join(_line(found[i]) for i in dict.fromkeys(sorted(shown)))


def _line(unit: Unit) -> str:
    block = unit.block
    if block is None:
        return f"“{unit.words}”"
    if block.ordered:
        return f"{block.position + 1}. {block.markdown}"
    return f"- {block.markdown}"
