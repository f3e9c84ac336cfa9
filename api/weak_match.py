"""Whether a query matched nothing well, so the response can say so instead of offering a stretch as an answer.

A search that finds nothing close still returns its nearest articles ("how do I bake a cake" in a
facility-management help center). It is weak when neither retriever vouches for the best result:
its meaning is not close to any passage (cosine below WEAK_SIMILARITY) and its best article mentions
less than WEAK_COVERAGE of what the query asks about (its words weighted by how rare they are, a
misspelt word counting by its correction). Both thresholds were chosen on the demo's questions against
questions of other corpora asked of it; bench/search_behaviour_eval.py measures every set: 0 to 3.4% of
a set's own (answerable) questions are weak, 80 to 88% of other corpora's questions asked of it.
The thresholds are on the cosine scale of the default model (MiniLM): another model needs them measured again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .keyword import Analyzer, Statistics, Term, tokenize

WEAK_SIMILARITY = 0.35
WEAK_COVERAGE = 0.5


class Match(Protocol):
    """What a ranked hit gives: its best chunks and its cosine (api.search.Hit)."""

    chunk: object
    other: object | None
    semantic: float
    pinned: bool


def is_weak(hits: Sequence[Match], terms: list[Term], analyzer: Analyzer, statistics: Statistics) -> bool:
    if not hits:
        return True
    if hits[0].pinned or max(h.semantic for h in hits) >= WEAK_SIMILARITY:  # an author chose the answer
        return False
    return coverage(hits[0], terms, analyzer, statistics) < WEAK_COVERAGE


def coverage(hit: Match, terms: list[Term], analyzer: Analyzer, statistics: Statistics) -> float:
    """The idf-weighted share of the query's words that the hit's chunks mention, directly or by their correction."""
    chunks = [c for c in (hit.chunk, hit.other) if c is not None]
    present = set(analyzer.stems_of(tokenize(" ".join(f"{c.title} {c.section} {c.text}" for c in chunks))))
    by_word: dict[str, list[str]] = {}
    for term in terms:
        if not term.synonym:  # the query's own words and their corrections; synonyms only add
            by_word.setdefault(term.source, []).append(term.stem)
    total = found = 0.0
    for stems in by_word.values():
        # A misspelt word weighs as its correction does, not as a word nobody uses.
        weight = max(statistics.idf(s) if statistics.df(s) else 0.0 for s in stems) or statistics.unknown_idf
        total += weight
        found += weight if any(s in present for s in stems) else 0.0
    return found / total if total else 0.0
