"""Does letting helpful votes into ranking cost search quality? nDCG@10 of hybrid search with no votes,
with realistic, random and adversarial votes, on each question set.

    python bench/votes_eval.py [--build DIR] [--questions FILE ...] [--seed 7]

Votes are per article, not per query, so they can only help where an article that helps people
is also the relevant one. The adversarial case gives every article that answers any question
100 unhelpful votes and every other article 100 helpful ones: the bound on the quality term
(api/quality.py) is what keeps relevance in charge.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.index import load_index  # noqa: E402
from api.quality import Quality  # noqa: E402
from api.search import Fusion, Searcher  # noqa: E402
from api.semantic import QueryEmbedder  # noqa: E402
from api.tokens import ANONYMOUS  # noqa: E402
from bench.search_eval import ADMIN, ndcg  # noqa: E402
from site_builder.embeddings import Embedder, default_model_path, default_tokenizer_path  # noqa: E402

SETS = [ROOT / "tests" / "eval" / "questions.yml", ROOT / "tests" / "eval" / "questions-holdout.yml"]


def scenarios(article_ids: list[str], relevant: set[str], rng: random.Random) -> dict[str, dict[str, tuple[int, int]]]:
    """(helpful, not helpful) per article for each way votes might fall."""
    def realistic(a: str) -> tuple[int, int]:
        n = rng.randint(0, 40)
        helpful = sum(rng.random() < (0.8 if a in relevant else 0.6) for _ in range(n))
        return helpful, n - helpful

    def uniform(a: str) -> tuple[int, int]:
        n, ratio = rng.randint(0, 100), rng.random()
        return round(n * ratio), n - round(n * ratio)

    return {
        "no votes": {},
        "realistic (answers 80 % helpful, others 60 %)": {a: realistic(a) for a in article_ids},
        "random (0-100 votes, any ratio)": {a: uniform(a) for a in article_ids},
        "adversarial (answers 100 x no, others 100 x yes)": {a: (0, 100) if a in relevant else (100, 0) for a in article_ids},
    }


def evaluate(searcher: Searcher, questions: list[dict]) -> float:
    total = 0.0
    for q in questions:
        hits = searcher.rank(q["q"], ADMIN if q.get("restricted") else ANONYMOUS).hits
        total += ndcg([h.article.id for h in hits], q["relevant"])
    return total / len(questions)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--questions", type=Path, nargs="+", default=SETS)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    embedder = Embedder(default_model_path(), default_tokenizer_path())
    index = load_index(args.build, embedder.model_id)
    embed = QueryEmbedder(embedder, cache_size=4096)
    ids = [a.id for a in index.articles]
    print(f"build {index.build_id[:12]}, {len(ids)} articles, quality bound {Fusion().max_quality_boost}\n")
    for path in args.questions:
        questions = yaml.safe_load(path.read_text())["answerable"]
        relevant = {a for q in questions for a in q["relevant"]}
        print(f"{path.name}: {len(questions)} questions")
        for name, votes in scenarios(ids, relevant, random.Random(args.seed)).items():
            quality = Quality(Fusion().max_quality_boost)
            # Readers with and without a tenant: the evaluation asks as both.
            quality.load(lambda: {(tenant, a): v for a, v in votes.items() for tenant in ("", ADMIN.tenant)})
            print(f"  {name:<50} nDCG@10 {evaluate(Searcher(index, embed, quality=quality), questions):.3f}")
        print()


if __name__ == "__main__":
    main()
