"""Search quality on the evaluation questions: keyword, semantic, hybrid and mkdocs-material's lunr.

    python bench/search_eval.py [--build DIR] [--sweep]

Prints nDCG@10, recall@5 and MRR for each method (and, with --sweep, for each fusion
setting tried). Needs a build of the demo content with its site (`python build.py`) and,
for the lunr baseline, `npm install` in bench/lunr.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.index import load_index  # noqa: E402
from api.search import Fusion, Searcher  # noqa: E402
from api.semantic import QueryEmbedder  # noqa: E402
from api.tokens import ANONYMOUS, Caller  # noqa: E402
from site_builder.embeddings import Embedder, default_model_path, default_tokenizer_path  # noqa: E402

QUESTIONS = ROOT / "tests" / "eval" / "questions.yml"
ADMIN = Caller(user="eval", tenant="eval", roles=frozenset({"admin"}))


def ndcg(ranked: list[str], relevant: list[str], k: int = 10) -> float:
    gains = sum(1 / math.log2(i + 2) for i, r in enumerate(ranked[:k]) if r in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return gains / ideal if ideal else 0.0


def recall(ranked: list[str], relevant: list[str], k: int = 5) -> float:
    return len(set(ranked[:k]) & set(relevant)) / len(relevant)


def mrr(ranked: list[str], relevant: list[str]) -> float:
    return next((1 / (i + 1) for i, r in enumerate(ranked) if r in relevant), 0.0)


def scores(runs: list[list[str]], questions: list[dict]) -> dict[str, float]:
    n = len(questions)
    return {
        "nDCG@10": sum(ndcg(r, q["relevant"]) for r, q in zip(runs, questions)) / n,
        "recall@5": sum(recall(r, q["relevant"]) for r, q in zip(runs, questions)) / n,
        "MRR": sum(mrr(r, q["relevant"]) for r, q in zip(runs, questions)) / n,
    }


def lunr_runs(build: Path, questions: list[dict], url_to_id: dict[str, str]) -> list[list[str]] | None:
    script = ROOT / "bench" / "lunr" / "search.mjs"
    if not (ROOT / "bench" / "lunr" / "node_modules").exists():
        print("lunr baseline skipped: run `npm install` in bench/lunr", file=sys.stderr)
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump([q["q"] for q in questions], f)
    out = subprocess.run(["node", str(script), str(build / "site"), f.name], capture_output=True, text=True, check=True).stdout
    return [[url_to_id[loc] for loc in locations if loc in url_to_id] for locations in json.loads(out)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--sweep", action="store_true", help="also try other fusion settings")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="question file (default: tests/eval/questions.yml)")
    args = parser.parse_args()
    data = yaml.safe_load(args.questions.read_text())
    questions = data["answerable"]
    embedder = Embedder(default_model_path(), default_tokenizer_path())
    index = load_index(args.build, embedder.model_id)
    embed = QueryEmbedder(embedder, cache_size=4096)

    def run(fusion: Fusion, mode: str) -> list[list[str]]:
        searcher = Searcher(index, embed, fusion)
        return [[h.article.id for h in searcher.rank(q["q"], ADMIN if q.get("restricted") else ANONYMOUS, mode).hits] for q in questions]

    print(f"{len(questions)} answerable questions over {len(index.articles)} articles, build {index.build_id[:12]}\n")
    print(f"{'method':<34} {'nDCG@10':>8} {'recall@5':>9} {'MRR':>6}")
    table = {}
    url_to_id = {a.url.lstrip("/"): a.id for a in index.articles}
    lunr = lunr_runs(args.build, questions, url_to_id)
    if lunr is not None:
        table["mkdocs-material search (lunr)"] = scores(lunr, questions)
    base = Fusion()
    table["keyword (BM25, typos, synonyms)"] = scores(run(base, "keyword"), questions)
    table["semantic (MiniLM int8)"] = scores(run(base, "semantic"), questions)
    table[f"hybrid ({base.method}, alpha {base.alpha})"] = scores(run(base, "hybrid"), questions)
    if args.sweep:
        for alpha in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            table[f"  weighted alpha={alpha}"] = scores(run(replace(base, method="weighted", alpha=alpha), "hybrid"), questions)
        for k in (10, 60):
            table[f"  rrf k={k}"] = scores(run(replace(base, method="rrf", rrf_k=k), "hybrid"), questions)
    for name, s in table.items():
        print(f"{name:<34} {s['nDCG@10']:>8.3f} {s['recall@5']:>9.3f} {s['MRR']:>6.3f}")
    by_kind: dict[str, list[int]] = {}
    for i, q in enumerate(questions):
        by_kind.setdefault(q["kind"], []).append(i)
    hybrid = run(base, "hybrid")
    print("\nhybrid nDCG@10 by kind of question:")
    for kind, rows in sorted(by_kind.items()):
        print(f"  {kind:<12} {len(rows):>3} questions  {scores([hybrid[i] for i in rows], [questions[i] for i in rows])['nDCG@10']:.3f}")


if __name__ == "__main__":
    main()
