"""An exact error code or product term puts the article dedicated to it first.

"E2001" is written as often in the patrol FAQ (a question titled with it) as in "Error E2001: checkpoint
not recognised", and BM25 may prefer the FAQ; a reader who types a code wants the article about it.
An article is dedicated to a term when its author names the term where they say what the article is
about: its title, tags or help ids. Exact terms are codes (three characters or more, letters with
digits: "E2001", "2FA", "0x1F"; a number alone is more often a quantity) wherever they stand in the
query, and words no English dictionary knows ("SSO", "timesheet") in a short query that they are at
least half of ("SSO settings"): in a question such as "can Sitekeeper email the SLA report?" or "CORS
preflight not handled over a GraphQL endpoint", such words are context, not the thing looked up. A term
in the titles of more than DEDICATED_MAX readable articles names a topic ("PPM"), not one article, and
moves nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from site_builder.records import Article

from .keyword import Analyzer, tokenize

DEDICATED_MAX = 3
LOOKUP_WORDS = 3  # most words (stopwords aside) of a query that looks a term up ("SSO settings"), not a question


class Ranked(Protocol):
    """A ranked hit (api.search.Hit): its article is what counts here."""

    article: Article


class ExactTerms:
    def __init__(self, articles: Sequence[Article], analyzer: Analyzer):
        self.analyzer = analyzer
        self.dedicated: dict[str, list[int]] = defaultdict(list)  # exact term (stem) -> positions of its articles
        named = [" ".join([article.title, *article.tags, *article.help_ids]) for article in articles]
        analyzer.stems_of(sorted({word for text in named for word in tokenize(text)}))  # one batch; the stemmer keeps them
        for position, text in enumerate(named):
            codes, unknown, _ = self._terms(text)
            for stem in set(codes + unknown):
                self.dedicated[stem].append(position)

    def exact(self, query: str) -> list[str]:
        """The stems of a query's exact terms: its codes, and its unknown words if they are half of it."""
        codes, unknown, words = self._terms(query)
        return codes + (unknown if words <= LOOKUP_WORDS and 2 * len(unknown) >= words else [])

    def _terms(self, text: str) -> tuple[list[str], list[str], int]:
        """The stems of a text's codes and of its words no dictionary knows, and how many words it has."""
        words = [w for w in tokenize(text) if w not in self.analyzer.stopwords]
        stems = self.analyzer.stems_of(words)
        english = self.analyzer.speller.english
        codes = [stem for word, stem in zip(words, stems) if len(word) >= 3 and not word.isdigit() and any(c.isdigit() for c in word)]
        unknown = [stem for word, stem in zip(words, stems) if len(word) >= 3 and word.isalpha() and stem not in english]
        return codes, unknown, len(words)

    def promote(self, query: str, hits: list[Ranked], allowed: np.ndarray, position: dict[str, int]) -> list[Ranked]:
        """Hits reordered: articles dedicated to the query's exact terms first (most terms first), the rest as they were.

        Only articles the caller may read (`allowed`) count towards DEDICATED_MAX, so a restricted article
        changes nothing for anyone else."""
        chosen: dict[int, int] = defaultdict(int)  # article position -> exact terms of the query it is dedicated to
        for stem in set(self.exact(query)):
            readable = [p for p in self.dedicated.get(stem, ()) if allowed[p]]
            if len(readable) <= DEDICATED_MAX:
                for p in readable:
                    chosen[p] += 1
        if not chosen:
            return hits
        first = sorted((h for h in hits if position[h.article.id] in chosen), key=lambda h: -chosen[position[h.article.id]])
        return first + [h for h in hits if position[h.article.id] not in chosen]
