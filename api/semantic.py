"""Semantic search: the query embedded with the build's model, compared with the chunk vectors.

The vectors are held in memory and scanned with numpy: an exact scan of 50,000 x 384 takes
about 8 ms on two cores (LanceDB's flat search took 250 ms or more for 100,000), and an
inverted file over clusters keeps large corpora within the latency budget.
"""

from __future__ import annotations

import numpy as np

from site_builder.embeddings import Embedder
from site_builder.output import normalize_query

from .lru import LRU


class QueryEmbedder:
    """Embeds queries, keeping the most recent ones (an LRU cache; size 0 turns it off)."""

    def __init__(self, embedder: Embedder, cache_size: int):
        self.embedder = embedder
        self.cache: LRU[str, np.ndarray] = LRU(cache_size)

    def __call__(self, query: str) -> np.ndarray:
        key = normalize_query(query)
        return self.cache.get_or_make(key, lambda: self.embedder.embed_query(key))

    def many(self, texts: list[str]) -> np.ndarray:
        """Texts embedded as queries are, one row each: those the cache keeps from it, the rest in one batch (then
        kept). A batch gives the same vectors as one at a time (measured: identical), only faster per text."""
        keys = [normalize_query(text) for text in texts]
        kept = self.cache.get_many(keys)
        missing = sorted(set(keys) - set(kept))
        if missing:
            made = list(self.embedder.embed(missing))
            self.cache.put_all(zip(missing, made))
            kept.update(zip(missing, made))
        return np.stack([kept[key] for key in keys])


def page_vectors(vectors: np.ndarray, chunk_article: np.ndarray, articles: int) -> np.ndarray:
    """Each article's mean chunk vector, normalised: what the page is about as a whole, one row per article
    (zero for an article without chunks). Each row comes from that article's own chunks only."""
    out = np.zeros((articles, vectors.shape[1] if vectors.ndim == 2 else 0), dtype=np.float32)
    if not len(vectors):
        return out
    order = np.argsort(chunk_article, kind="stable")
    owners = chunk_article[order]
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    out[owners[starts]] = np.add.reduceat(vectors[order], starts, axis=0)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


EXACT_LIMIT = 20_000  # below this many chunks an exact scan is fast enough (about 3.5 ms)


class VectorSearch:
    """Nearest chunks by cosine: an exact scan for small corpora, an inverted file (IVF) above that.

    The IVF clusters the vectors with k-means at load time and stores them cluster by
    cluster, so a query scans only the `probes` clusters nearest to it: recall against
    the exact scan is measured in bench/search_perf.py. The clusters are learnt from public
    chunks only (`public`), and their count decides between the two, so restricted articles
    change nothing in what other callers get.
    """

    def __init__(self, vectors: np.ndarray, public: np.ndarray | None = None, exact_limit: int = EXACT_LIMIT,
                 probes: int = 32, seed: int = 0):
        self.vectors = vectors
        learn_from = np.flatnonzero(public) if public is not None else np.arange(len(vectors))
        self.ivf = len(learn_from) > exact_limit
        if self.ivf:
            self._build_ivf(np.random.default_rng(seed), probes, learn_from)

    def _build_ivf(self, rng, probes: int, learn_from: np.ndarray) -> None:
        n = len(self.vectors)
        lists = max(16, int(np.sqrt(len(learn_from))))
        sample = self.vectors[rng.choice(learn_from, size=min(len(learn_from), lists * 64), replace=False)]
        centroids = sample[rng.choice(len(sample), size=lists, replace=False)].copy()
        for _ in range(8):
            assign = np.argmax(sample @ centroids.T, axis=1)
            for c in range(lists):
                members = sample[assign == c]
                if len(members):
                    centroids[c] = members.mean(axis=0)
            centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
        assign = np.concatenate([np.argmax(block @ centroids.T, axis=1) for block in np.array_split(self.vectors, max(1, n // 8192))])
        self.order = np.argsort(assign, kind="stable")
        self.sorted = np.ascontiguousarray(self.vectors[self.order])
        self.bounds = np.searchsorted(assign[self.order], np.arange(lists + 1))
        self.centroids = centroids
        self.probes = min(probes, lists)

    def nearest(self, query: np.ndarray, mask: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Indices and cosine similarities of the k nearest allowed chunks, best first."""
        if not len(self.vectors) or not mask.any():
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        if not self.ivf:
            return _top(self.vectors @ query, np.arange(len(self.vectors)), mask, k)
        clusters = np.argpartition(-(self.centroids @ query), self.probes - 1)[:self.probes]
        spans = [(self.bounds[c], self.bounds[c + 1]) for c in clusters.tolist()]
        scores = np.concatenate([self.sorted[lo:hi] @ query for lo, hi in spans])
        ids = np.concatenate([self.order[lo:hi] for lo, hi in spans])
        return _top(scores, ids, mask, k)


def _top(scores: np.ndarray, ids: np.ndarray, mask: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    scores = np.where(mask[ids], scores, -np.inf)
    k = min(k, int(np.isfinite(scores).sum()))
    if k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top])]
    return ids[top], scores[top]
