"""Snippets: the stretch of a passage with the most query words, escaped, matches in <mark>."""

from __future__ import annotations

import html
import re

from .keyword import Analyzer, tokenize

ASCII_SPLIT = re.compile(r"[^a-z0-9]+")


def snippet(text: str, stems: set[str], analyzer: Analyzer, width: int = 32) -> str:
    words = text.split()
    if not words:
        return ""
    tokens = [_tokens(w) for w in words]
    unique = list({t for ts in tokens for t in ts})
    matched = {t for t, stem in zip(unique, analyzer.stems_of(unique)) if stem in stems}
    hits = [any(t in matched for t in ts) for ts in tokens]
    start = _best_window(hits, width)
    shown = range(start, min(len(words), start + width))
    parts = [f"<mark>{html.escape(words[j])}</mark>" if hits[j] else html.escape(words[j]) for j in shown]
    return ("… " if start > 0 else "") + " ".join(parts) + (" …" if start + width < len(words) else "")


def _tokens(word: str) -> list[str]:
    # Most words are ASCII: the index's tokenizer without its Unicode folding gives the same tokens.
    if word.isascii():
        return [t for t in ASCII_SPLIT.split(word.lower()) if t]
    return tokenize(word)


def _best_window(hits: list[bool], width: int) -> int:
    if len(hits) <= width:
        return 0
    count = best = sum(hits[:width])
    best_start = 0
    for start in range(1, len(hits) - width + 1):
        count += hits[start + width - 1] - hits[start - 1]
        if count > best:
            best, best_start = count, start
    # Start a little before the first match, so the snippet reads as a sentence.
    first = next((j for j in range(best_start, best_start + width) if hits[j]), best_start)
    return max(0, min(best_start, first - 4))
