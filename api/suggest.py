"""Search-as-you-type: prefix completion of article titles and of words in the help, keyword-only."""

from __future__ import annotations

import bisect
import heapq
import re
from collections import Counter

from site_builder.output import normalize_query

from .index import Index
from .keyword import tokenize
from .tokens import Caller

WORD_START = re.compile(r"(?:^|(?<=\s))\S")


class Suggester:
    def __init__(self, index: Index):
        self.index = index
        # Every word-start suffix of every title, so "order" completes "Create a work order".
        self.titles = sorted((title.lower()[m.start():], i) for i, a in enumerate(index.articles)
                             for title in [a.title] for m in WORD_START.finditer(title.lower()))
        self.title_keys = [t for t, _ in self.titles]
        # Words only from articles everyone may read, so no completion hints at a restricted one.
        counts: Counter[str] = Counter()
        for chunk, a in zip(index.chunks, index.chunk_article.tolist()):
            if index.articles[a].public:
                counts.update(w for w in tokenize(f"{chunk.title} {chunk.section} {chunk.text}") if len(w) > 2)
        self.words = sorted(counts)
        self.frequency = counts

    def suggest(self, q: str, caller: Caller, limit: int = 8) -> list[dict]:
        text = normalize_query(q)
        if not text:
            return []
        visible = self.index.visible(caller)
        found, seen = [], set()
        lo = bisect.bisect_left(self.title_keys, text)
        for key, i in self.titles[lo:lo + 200]:
            if not key.startswith(text):
                break
            article = self.index.articles[i]
            if visible[i] and article.id not in seen and not article.search_exclude:
                seen.add(article.id)
                found.append((0 if key == article.title.lower() else 1, len(article.title), article))
        found.sort(key=lambda f: (f[0], f[1]))
        results = [{"text": a.title, "kind": "title", "id": a.id, "url": a.url} for _, _, a in found[:limit]]
        return results + self._terms(text, limit - len(results))

    def _terms(self, text: str, limit: int) -> list[dict]:
        words = tokenize(text)
        if limit <= 0 or not words or not text[-1].isalnum():
            return []
        last = words[-1]
        lo = bisect.bisect_left(self.words, last)
        hi = bisect.bisect_left(self.words, last + "\uffff", lo)
        head = text[: text.rfind(last)] if last in text else text + " "
        best = heapq.nlargest(limit + 1, self.words[lo:min(hi, lo + 5000)], key=self.frequency.__getitem__)
        return [{"text": head + w, "kind": "term"} for w in best if w != last][:limit]
