"""Hybrid search: keyword (BM25) and semantic candidates, fused per article, then author controls.

Retrieval only ever sees chunks of articles the caller may read: visibility is a mask
applied before any ranking, so a restricted article cannot surface in results, snippets
or facet counts.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from site_builder.output import anchored_url, category_ids, category_titles, normalize_query
from site_builder.records import Article, Chunk

from .errors import BadRequest
from .exact_terms import ExactTerms
from .index import Index
from .quality import Quality
from .semantic import QueryEmbedder
from .snippets import snippet
from .tokens import Caller
from .weak_match import is_weak

MODES = ("hybrid", "keyword", "semantic")
POOL = 200  # chunks taken from each retriever before fusion


@dataclass(frozen=True)
class Fusion:
    """How the two rankings combine; chosen on the evaluation set (docs/benchmarks.md)."""

    method: str = "weighted"  # or "rrf"
    alpha: float = 0.8  # weight of the semantic score in "weighted"
    rrf_k: int = 60
    # A page is ranked by its best passage blended with the page as a whole, so a long page (release notes) that
    # brushes every topic in one passage or another does not outrank the page about the topic (bench/foreign_eval.py).
    page_keyword: float = 0.3  # weight of the page's mean keyword score over its passages
    page_semantic: float = 0.3  # weight of the query's similarity to the page's mean vector
    semantic_floor: float = 0.30  # cosine below which a semantic-only match is not shown
    max_quality_boost: float = 0.05  # helpful votes' sway, either way: bench/votes_eval.py chose it


@dataclass(frozen=True)
class SearchRequest:
    q: str
    limit: int = 10
    offset: int = 0
    category: str | None = None
    tag: str | None = None
    mode: str = "hybrid"


@dataclass
class Hit:
    article: Article
    chunk: Chunk
    score: float
    keyword: float = 0.0
    semantic: float = 0.0
    pinned: bool = False
    other: Chunk | None = None  # the best chunk of the other retriever, when it differs


@dataclass
class Ranking:
    hits: list[Hit]
    stems: set[str]
    corrections: dict[str, str] = field(default_factory=dict)
    weak: bool = False  # nothing matched the query well (api/weak_match.py)


class Searcher:
    def __init__(self, index: Index, embed: QueryEmbedder, fusion: Fusion = Fusion(), quality: Quality | None = None):
        self.index = index
        self.embed = embed
        self.fusion = fusion
        self.quality = quality or Quality(fusion.max_quality_boost)
        self.exact_terms = ExactTerms(index.articles, index.analyzer)

    def rank(self, q: str, caller: Caller, mode: str = "hybrid", pool: int = POOL) -> Ranking:
        index = self.index
        allowed = index.visible(caller) & index.searchable
        chunk_mask = allowed[index.chunk_article]
        terms, corrections = index.analyzer.terms(q)
        keyword: dict[int, tuple[float, int]] = {}
        semantic: dict[int, tuple[float, int]] = {}
        if mode in ("hybrid", "keyword"):
            scores = index.postings.score(terms, index.statistics(caller), chunk_mask)
            top = _top(scores, pool)
            _best_per_article(keyword, top, scores[top], index.chunk_article)
            _blend_page_keyword(keyword, scores, index, self.fusion.page_keyword)
        if mode in ("hybrid", "semantic"):
            query = self.embed(q)
            top, sims = index.vector_search.nearest(query, chunk_mask, pool)
            _best_per_article(semantic, top, sims, index.chunk_article)
            _blend_page_semantic(semantic, query, index, self.fusion.page_semantic)
        hits = self._fuse(keyword, semantic, mode, caller.tenant or "")
        if mode != "semantic":
            hits = self.exact_terms.promote(q, hits, allowed, index.position)
        hits = self._pin(normalize_query(q), hits, allowed)
        weak = is_weak(hits, terms, index.analyzer, index.statistics(caller))
        return Ranking(hits, {t.stem for t in terms}, corrections, weak)

    def _fuse(self, keyword, semantic, mode, tenant: str) -> list[Hit]:
        f = self.fusion
        top_keyword = max((s for _, _, s in keyword.values()), default=0.0) or 1.0
        ranks = [] if f.method != "rrf" else [
            {a: r for r, a in enumerate(sorted(found, key=lambda a: -found[a][2]))} for found in (keyword, semantic)]
        hits = []
        for a in set(keyword) | set(semantic):
            kw, kw_chunk, kw_page = keyword.get(a, (0.0, -1, 0.0))
            sem, sem_chunk, sem_page = semantic.get(a, (0.0, -1, 0.0))
            if mode == "hybrid" and kw == 0 and sem < f.semantic_floor:
                continue
            if mode == "keyword":
                score = kw_page
            elif mode == "semantic":
                score = sem_page
            elif f.method == "rrf":
                score = sum(1 / (f.rrf_k + r[a] + 1) for r in ranks if a in r)
            else:
                score = f.alpha * max(sem_page, 0.0) + (1 - f.alpha) * kw_page / top_keyword
            article = self.index.articles[a]
            score *= article.search_boost * (1 + self._quality(tenant, article.id))
            first, second = (kw_chunk, sem_chunk) if kw_chunk >= 0 and (kw / top_keyword >= sem or sem_chunk < 0) else (sem_chunk, kw_chunk)
            other = self.index.chunks[second] if second >= 0 and second != first else None
            hits.append(Hit(article, self.index.chunks[first], float(score), float(kw), float(sem), other=other))
        hits.sort(key=lambda h: (-h.score, h.article.title))
        return hits

    def _quality(self, tenant: str, article_id: str) -> float:
        """A bounded nudge from the tenant's helpful votes; zero until votes exist."""
        bound = self.fusion.max_quality_boost
        return max(-bound, min(bound, self.quality.boost(tenant, article_id)))

    def _pin(self, query: str, hits: list[Hit], allowed: np.ndarray) -> list[Hit]:
        pinned_ids = [i for i in self.index.pins.get(query, []) if i in self.index.position and allowed[self.index.position[i]]]
        if not pinned_ids:
            return hits
        by_id = {h.article.id: h for h in hits}
        pinned = []
        for article_id in pinned_ids:
            article = self.index.articles[self.index.position[article_id]]
            hit = by_id.pop(article_id, None)
            if hit is None:
                chunk = self._first_chunk(article)
                if chunk is None:
                    continue  # an article with no text has nothing to show
                hit = Hit(article, chunk, 0.0)
            hit.pinned = True
            pinned.append(hit)
        return pinned + [h for h in hits if h.article.id in by_id]

    def _first_chunk(self, article: Article) -> Chunk | None:
        own = np.flatnonzero(self.index.chunk_article == self.index.position[article.id])
        return self.index.chunks[int(own[0])] if len(own) else None

    def search(self, request: SearchRequest, caller: Caller) -> dict:
        index = self.index
        if request.category and request.category not in index.categories:
            raise BadRequest(f"unknown category '{request.category}'", param="category")
        ranking = self.rank(request.q, caller, request.mode)
        facets = _facets(ranking.hits, index)
        hits = [h for h in ranking.hits if _in_filters(h.article, request)]
        page = hits[request.offset:request.offset + request.limit]
        return {
            "search_id": uuid.uuid4().hex,
            "query": request.q,
            "mode": request.mode,
            "total": len(hits),
            "limit": request.limit,
            "offset": request.offset,
            "corrections": ranking.corrections,
            "weak": ranking.weak,
            "results": [self._result(h, ranking.stems) for h in page],
            "facets": facets,
        }

    def _result(self, hit: Hit, stems: set[str]) -> dict:
        article, chunk = hit.article, hit.chunk
        return {
            "id": article.id,
            "title": article.title,
            "url": anchored_url(article.url, chunk.anchor),
            "snippet": snippet(chunk.text, stems, self.index.analyzer),
            "summary": article.summary,
            "category": category_titles(article.category, self.index.categories),
            "category_id": article.category_id,
            "section": chunk.section,
            "score": round(hit.score, 6),
            "pinned": hit.pinned,
        }


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    positive = np.flatnonzero(scores > 0)
    if len(positive) > k:
        positive = positive[np.argpartition(-scores[positive], k - 1)[:k]]
    return positive


def _blend_page_keyword(found: dict, scores: np.ndarray, index: Index, weight: float) -> None:
    """Adds each found article's ranking score: its best passage's, blended with the mean over all its passages
    (rescaled so the best page mean counts as much as the best passage)."""
    if not found:
        return
    candidates = np.fromiter(found, dtype=np.int64, count=len(found))
    means = np.bincount(index.chunk_article, weights=scores, minlength=len(index.articles))[candidates] / index.chunk_count[candidates]
    best = np.array([found[a][0] for a in candidates.tolist()])
    scale = best.max() / (means.max() or 1.0)
    for a, b, m in zip(candidates.tolist(), best.tolist(), means.tolist()):
        found[a] = (b, found[a][1], (1 - weight) * b + weight * m * scale)


def _blend_page_semantic(found: dict, query: np.ndarray, index: Index, weight: float) -> None:
    """Adds each found article's ranking score: its best passage's cosine, blended with the cosine to its mean vector."""
    if not found:
        return
    candidates = np.fromiter(found, dtype=np.int64, count=len(found))
    page = index.page_vectors[candidates] @ query
    for a, p in zip(candidates.tolist(), page.tolist()):
        found[a] = (found[a][0], found[a][1], (1 - weight) * found[a][0] + weight * p)


def _best_per_article(best: dict, chunks: np.ndarray, scores: np.ndarray, chunk_article: np.ndarray) -> None:
    for chunk, score in zip(chunks.tolist(), scores.tolist()):
        a = int(chunk_article[chunk])
        if a not in best or score > best[a][0]:
            best[a] = (score, chunk)


def _in_filters(article: Article, request: SearchRequest) -> bool:
    if request.category and article.category[:len(request.category.split("/"))] != tuple(request.category.split("/")):
        return False
    return not request.tag or request.tag in article.tags


def _facets(hits: list[Hit], index: Index) -> dict:
    categories: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    for hit in hits:
        categories.update(category_ids(hit.article.category))
        tags.update(hit.article.tags)
    return {
        "category": [{"id": cid, "title": index.categories[cid].title if cid in index.categories else cid, "count": n}
                     for cid, n in sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))],
        "tag": [{"value": tag, "count": n} for tag, n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))],
    }
