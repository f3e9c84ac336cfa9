"""What a reader notices about search, on every evaluation set: corrections, exact terms first, weak matches.

    python bench/search_behaviour_eval.py [--sets helpcenter,holdout,starlette,pymdown,stackfaq] [--sample 200]

For each set of bench/foreign_eval.py (built there, or reused from bench/out/foreign/builds/), with the
three behaviours off (as before they existed: every unknown word corrected, no exact-term promotion) and on:
- nDCG@10 of keyword and hybrid search, so the behaviours cost no ranking quality;
- corrections made per 100 questions;
- how often the exact-term rule changes the top result;
- the share of the set's own questions answered `weak` (they are answerable: it should be small), and of
  questions from elsewhere asked of the same build (other sets' questions, SciFact claims: it should be large).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.index import load_index  # noqa: E402
from api.search import Searcher  # noqa: E402
from api.semantic import QueryEmbedder  # noqa: E402
from api.tokens import ANONYMOUS  # noqa: E402
from bench.foreign_eval import ADMIN, SETS, SHARED, EvalSet, build, ndcg_at  # noqa: E402
from bench.scifact_eval import machine  # noqa: E402
from site_builder.embeddings import Embedder, default_model_path, default_tokenizer_path  # noqa: E402


def behaviours_off(searcher: Searcher) -> None:
    """Searcher as it was before: spelling correction of every unknown word, no exact-term promotion."""
    searcher.index.analyzer.speller.english = frozenset()
    searcher.exact_terms.promote = lambda query, hits, *rest: hits


def run(searcher: Searcher, s: EvalSet, mode: str):
    rankings = [searcher.rank(q.text, ADMIN if q.restricted else ANONYMOUS, mode) for q in s.queries]
    ndcg = sum(ndcg_at([s.key(h.article) for h in r.hits], q.judged) for r, q in zip(rankings, s.queries)) / len(s.queries)
    return ndcg, rankings


def figures(s: EvalSet, build_dir: Path, embed: QueryEmbedder, model_id: str, elsewhere: list[str]) -> dict:
    table: dict = {}
    for state in ("off", "on"):
        searcher = Searcher(load_index(build_dir, model_id), embed)
        if state == "off":
            behaviours_off(searcher)
        keyword, _ = run(searcher, s, "keyword")
        hybrid, rankings = run(searcher, s, "hybrid")
        outside = [searcher.rank(q, ANONYMOUS).weak for q in elsewhere]
        table[state] = {
            "keyword": keyword, "hybrid": hybrid,
            "corrections per 100": 100 * sum(len(r.corrections) for r in rankings) / len(rankings),
            "weak own": sum(r.weak for r in rankings) / len(rankings),
            "weak elsewhere": sum(outside) / max(len(outside), 1),
            "top": [r.hits[0].article.id if r.hits else None for r in rankings],
        }
    table["top changed"] = sum(a != b for a, b in zip(table["off"].pop("top"), table["on"].pop("top"))) / len(s.queries)
    return table


def questions_elsewhere(sets: dict[str, EvalSet], name: str, sample: int, rng: random.Random) -> list[str]:
    """Questions of the other sets (the demo's two sets count as one corpus) and SciFact claims, `sample` of each."""
    corpus = {"helpcenter": "demo", "holdout": "demo"}
    groups = [[q.text for q in other.queries] for other_name, other in sets.items()
              if corpus.get(other_name, other_name) != corpus.get(name, name)]
    groups.append([json.loads(line)["text"] for line in (SHARED / "scifact" / "queries.jsonl").read_text().splitlines()])
    return [q for group in groups for q in rng.sample(group, min(sample, len(group)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="helpcenter,holdout,starlette,pymdown,stackfaq")
    parser.add_argument("--sample", type=int, default=200, help="questions taken from each other corpus")
    args = parser.parse_args()
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    if unknown := [n for n in names if n not in SETS]:
        sys.exit(f"unknown set(s): {', '.join(unknown)}; choose from {', '.join(SETS)}")
    embedder = Embedder(default_model_path(), default_tokenizer_path())
    embed = QueryEmbedder(embedder, cache_size=65536)
    sets = {name: SETS[name]() for name in names}
    print(machine(), "\n")
    print(f"{'set':<11} {'qs':>5} {'':>3} | {'keyword':>7} {'hybrid':>7} | {'corr/100':>8} | {'weak own':>8} {'weak else':>9}")
    for name, s in sets.items():
        elsewhere = questions_elsewhere(sets, name, args.sample, random.Random(0))
        t = figures(s, build(s, reuse=True), embed, embedder.model_id, elsewhere)
        for state in ("off", "on"):
            f = t[state]
            print(f"{name if state == 'off' else '':<11} {len(s.queries) if state == 'off' else '':>5} {state:>3} | "
                  f"{f['keyword']:>7.3f} {f['hybrid']:>7.3f} | {f['corrections per 100']:>8.1f} | "
                  f"{f['weak own']:>8.1%} {f['weak elsewhere']:>9.1%}  ({len(elsewhere)} questions from elsewhere)")
        print(f"{'':<11} {'':>5} {'':>3}   exact terms changed the top result of {t['top changed']:.1%} of the questions", flush=True)


if __name__ == "__main__":
    main()
