"""Keyword search: BM25 over the DuckDB full-text index's own tables, held in memory as postings.

DuckDB's `match_bm25` scores every row (about 45 ms a query on 50,000 chunks); reading the
index's `terms` and `dict` tables once at start and scoring only the postings of the query's
terms answers in about a millisecond, with the same tokenizer, stemmer and stopwords.
"""

from __future__ import annotations

import functools
import math
import re
import threading
import unicodedata
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from site_builder.output import FTS_SCHEMA, IGNORE, STEMMER, load_fts

from .english import english_words
from .lru import LRU

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"title": 2.5, "section": 1.5, "text": 1.0}
SPLIT = re.compile(IGNORE)
CAPITALISED = re.compile(r"\b[A-Z]{2,}\b")
# American and British spellings of one word ("color" / "colour"): neither is misspelt, but a reader who
# writes one should find a help that writes the other.
SPELLINGS = [(re.compile(pattern), other) for pattern, other in [
    (r"or(s|ed|ing)?$", r"our\1"), (r"our(s|ed|ing)?$", r"or\1"),
    (r"iz(e|es|ed|ing|ation|ations)$", r"is\1"), (r"is(e|es|ed|ing|ation|ations)$", r"iz\1"),
    (r"yz(e|es|ed|ing)$", r"ys\1"), (r"ys(e|es|ed|ing)$", r"yz\1"),
    (r"ter(s)?$", r"tre\1"), (r"tre(s)?$", r"ter\1"),
    (r"og(s)?$", r"ogue\1"), (r"ogue(s)?$", r"og\1"),
    (r"ense(s)?$", r"ence\1"), (r"ence(s)?$", r"ense\1"),
]]


def tokenize(text: str) -> list[str]:
    """The FTS index's tokenizer: lower case, accents stripped, split on anything but a-z and 0-9.

    Like DuckDB's strip_accents, every mark goes (categories Mn, Mc, Me), also those of combining
    class 0 such as variation selectors: "wi\ufe0ffi" is "wifi" on both sides. Unlike the index,
    compatibility forms are folded (NFKD: "ﬁ", "Ｅ１０４２", "²"); see tests/api/test_keyword.py.
    """
    if text.isascii():  # most text: nothing to fold, no marks
        folded = text.lower()
    else:
        folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if unicodedata.category(c)[0] != "M")
    return [t for t in SPLIT.split(folded) if t and not SPLIT.fullmatch(t)]


class Stemmer:
    """DuckDB's Snowball stemmer (the one the index used), with a cache of the words seen."""

    def __init__(self, db: duckdb.DuckDBPyConnection, size: int = 50_000):
        self.db = db
        self.lock = threading.Lock()  # one query at a time on the connection
        self.cache: LRU[str, str] = LRU(size)

    def stem_all(self, words: list[str]) -> list[str]:
        unique = list(dict.fromkeys(words))
        found = self.cache.get_many(unique)
        missing = [w for w in unique if w not in found]
        if missing:
            with self.lock:
                rows = self._stem(missing)
            found.update(rows)
            self.cache.put_all(rows)
        return [found.get(w) or w for w in words]

    def _stem(self, words: list[str]) -> list[tuple[str, str]]:
        if len(words) <= 64:  # a query's words: a list parameter is quickest
            return self.db.execute(f"SELECT w, stem(w, '{STEMMER}') FROM unnest(?::VARCHAR[]) AS t(w)", [words]).fetchall()
        # Binding a list parameter takes time quadratic in its length (21,745 words: 5 s); an Arrow table 0.2 s.
        spelt = pa.table({"w": words})  # noqa: F841 (DuckDB reads the table by its name)
        return self.db.execute(f"SELECT w, stem(w, '{STEMMER}') FROM spelt").fetchall()


@functools.cache
def english_stems() -> frozenset[str]:
    """The known English words (api/english.py) as the index stems them, so a query stem is checked as it is."""
    memory = duckdb.connect()
    load_fts(memory)
    return frozenset(Stemmer(memory, size=0).stem_all(sorted(english_words())))


@dataclass
class Term:
    stem: str
    weight: float
    source: str  # the query word it came from
    synonym: bool = False  # added from a synonym group, not typed


@dataclass(frozen=True)
class Statistics:
    """How rare each word is among the chunks one caller may read (the idf side of BM25)."""

    term_id: dict[str, int]
    df_by_id: np.ndarray
    idf_by_id: np.ndarray
    unknown_idf: float  # a word none of those chunks uses weighs as much as one used once

    def df(self, stem: str) -> int:
        tid = self.term_id.get(stem)
        return 0 if tid is None else int(self.df_by_id[tid])

    def idf(self, stem: str) -> float:
        tid = self.term_id.get(stem)
        return self.unknown_idf if tid is None else float(self.idf_by_id[tid])


class Postings:
    """Per-term lists of (chunk, BM25 term weight without idf), in compressed sparse rows.

    Document frequencies and counts come from `statistics(visible)`: from the chunks the caller
    may read, so restricted articles change nothing in what other callers get (no score, no
    correction), and readers of restricted articles are ranked by what they can see. Average
    chunk length, baked into the weights, counts public chunks only.
    """

    def __init__(self, db: duckdb.DuckDBPyConnection, chunk_index: dict[str, int], public: np.ndarray):
        weights = db.execute(f"SELECT fieldid, field FROM {FTS_SCHEMA}.fields").fetchall()
        case = " ".join(f"WHEN {fid} THEN {FIELD_WEIGHTS.get(name, 1.0)}" for fid, name in weights)
        names = db.execute(f"SELECT docid, name FROM {FTS_SCHEMA}.docs ORDER BY docid").fetchall()
        doc_to_chunk = np.full(max((d for d, _ in names), default=-1) + 1, -1, dtype=np.int64)
        for docid, name in names:
            doc_to_chunk[docid] = chunk_index[name]
        rows = db.execute(f"""
            SELECT termid, docid, sum(CASE fieldid {case} END)::DOUBLE AS tf
            FROM {FTS_SCHEMA}.terms GROUP BY termid, docid ORDER BY termid, docid""").fetchnumpy()
        lengths = db.execute(f"""
            SELECT docid, sum(CASE fieldid {case} END)::DOUBLE FROM {FTS_SCHEMA}.terms GROUP BY docid""").fetchnumpy()
        doc_len = np.zeros(len(doc_to_chunk), dtype=np.float64)
        doc_len[lengths["docid"]] = lengths[list(lengths)[1]]
        indexed = doc_to_chunk >= 0
        counted = indexed & (doc_len > 0)
        counted[indexed] &= public[doc_to_chunk[indexed]]
        avgdl = float(doc_len[counted].mean()) if counted.any() else 1.0
        tf, docids = rows["tf"], rows["docid"]
        self.weight = (tf * (K1 + 1) / (tf + K1 * (1 - B + B * doc_len[docids] / avgdl))).astype(np.float32)
        self.chunk = doc_to_chunk[docids].astype(np.int32)
        vocabulary = db.execute(f"SELECT termid, term FROM {FTS_SCHEMA}.dict").fetchall()
        self.size = max((t for t, _ in vocabulary), default=-1) + 1
        self.start = np.searchsorted(rows["termid"], np.arange(self.size + 1)).astype(np.int64)
        self.term_of_posting = rows["termid"].astype(np.int32)
        self.term_id = {term: tid for tid, term in vocabulary}
        self.chunks = len(chunk_index)
        self.in_index = np.zeros(self.chunks, dtype=bool)
        self.in_index[doc_to_chunk[indexed]] = True
        self.public = self.statistics(public)

    def statistics(self, visible: np.ndarray) -> Statistics:
        """Statistics over the chunks of the `visible` mask."""
        documents = max(int((visible & self.in_index).sum()), 1)  # restricted articles only: still ranks
        df = np.bincount(self.term_of_posting[visible[self.chunk]], minlength=self.size).astype(np.int32)
        counted = np.clip(df, 1, documents)
        idf = np.log1p((documents - counted + 0.5) / (counted + 0.5)).astype(np.float32)
        return Statistics(self.term_id, df, idf, _idf(documents, 1))

    def terms_in(self, chunk_mask: np.ndarray) -> dict[str, int]:
        """Terms that occur in the chunks of the mask, with their public document frequency."""
        present = np.zeros(self.size, dtype=bool)
        present[self.term_of_posting[chunk_mask[self.chunk]]] = True
        return {term: int(self.public.df_by_id[tid]) for term, tid in self.term_id.items() if present[tid]}

    def score(self, terms: list[Term], statistics: Statistics, mask: np.ndarray | None = None) -> np.ndarray:
        scores = np.zeros(self.chunks, dtype=np.float32)
        for term in terms:
            tid = self.term_id.get(term.stem)
            if tid is None:
                continue
            lo, hi = self.start[tid], self.start[tid + 1]
            scores[self.chunk[lo:hi]] += np.float32(statistics.idf_by_id[tid] * term.weight) * self.weight[lo:hi]
        if mask is not None:
            scores[~mask] = 0
        return scores


def _idf(documents: int, df: int) -> float:
    return math.log(1 + (documents - df + 0.5) / (df + 0.5))


class Speller:
    """Typo tolerance: misspelt words are matched to index terms one or two edits away (SymSpell).

    Only words that look misspelt are corrected: not those the help center uses, not known English
    words (`english`, stems as the index keeps them: "bake" is not a typo of "make"), not words under
    four letters and not codes with digits ("E2001" is never "E1001").
    """

    def __init__(self, terms: dict[str, int], english: frozenset[str]):
        self.df = terms
        self.english = english
        self.deletes: dict[str, list[str]] = {}
        for term in terms:
            if len(term) >= 4 and not term.isdigit():
                for variant in _deletes(term, 2 if len(term) >= 8 else 1):
                    self.deletes.setdefault(variant, []).append(term)

    def correct(self, word: str) -> str | None:
        if word in self.df or word in self.english or len(word) < 4 or any(c.isdigit() for c in word):
            return None
        limit = 2 if len(word) >= 7 else 1
        candidates = {t for v in _deletes(word, limit) for t in self.deletes.get(v, ())}
        scored = [(distance(word, t), -self.df[t], t) for t in candidates]
        scored = [s for s in scored if s[0] <= limit]
        return min(scored)[2] if scored else None


def acronyms(query: str) -> set[str]:
    """Words typed in capitals amid lower case ("SAML", "HVAC"): names and codes, meant as written.
    A query typed all in capitals says nothing about any one word."""
    if query.isupper():
        return set()
    return {w.lower() for w in CAPITALISED.findall(query)}


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class Analyzer:
    """Turns a query into weighted index terms: stems, typo corrections, other spellings and synonyms."""

    def __init__(self, db: duckdb.DuckDBPyConnection, postings: Postings, synonyms: list[list[str]], public_chunks: np.ndarray):
        self.stopwords = {row[0] for row in db.execute(f"SELECT sw FROM {FTS_SCHEMA}.stopwords").fetchall()}
        memory = duckdb.connect()
        load_fts(memory)
        self.stemmer = Stemmer(memory)
        self.postings = postings
        # Corrections come only from words of public articles: a typo must not reveal a restricted one.
        self.speller = Speller(postings.terms_in(public_chunks), english_stems())
        self.synonyms = [[tokenize(phrase) for phrase in group] for group in synonyms]

    def terms(self, query: str) -> tuple[list[Term], dict[str, str]]:
        """Weighted terms, and the corrections made ({typed word: index term})."""
        words = [w for w in tokenize(query) if w not in self.stopwords]
        stems = self.stemmer.stem_all(words)
        terms: dict[str, Term] = {}
        corrections: dict[str, str] = {}
        exact = acronyms(query)
        for word, stem in zip(words, stems):
            terms.setdefault(stem, Term(stem, 1.0, word))
            # Known means known from public articles: a word only restricted ones use is treated
            # like any unknown word, so corrections cannot reveal what restricted articles say.
            fixed = None
            if stem not in self.speller.df and word not in exact:
                fixed = self.speller.correct(stem) or self._other_spelling(word)
            if fixed:
                corrections[word] = fixed
                terms.setdefault(fixed, Term(fixed, 1.0, word))
        for extra in self._synonym_terms(tokenize(query)):
            terms.setdefault(extra.stem, extra)
        return list(terms.values()), corrections

    def _other_spelling(self, word: str) -> str | None:
        """The help's stem of the word's other spelling (American or British), if the help uses it."""
        variants = [pattern.sub(other, word, count=1) for pattern, other in SPELLINGS if len(word) >= 5 and pattern.search(word)]
        return next((stem for stem in self.stemmer.stem_all(variants) if stem in self.speller.df), None)

    def _synonym_terms(self, words: list[str]) -> list[Term]:
        text = f" {' '.join(words)} "
        extra: list[Term] = []
        for group in self.synonyms:
            if any(f" {' '.join(phrase)} " in text for phrase in group if phrase):
                for phrase in group:
                    kept = [w for w in phrase if w not in self.stopwords]
                    for stem in self.stemmer.stem_all(kept):
                        extra.append(Term(stem, 0.6 / max(len(kept), 1) ** 0.5, " ".join(phrase), synonym=True))
        return extra

    def stems_of(self, words: list[str]) -> list[str]:
        return self.stemmer.stem_all(words)
