"""Search quality on docs nobody here wrote: every evaluation set, keyword / semantic / hybrid.

    python bench/foreign_eval.py [--sets starlette,pymdown,stackfaq,helpcenter,holdout,scifact] [--reuse-builds]

Each set is built as it would be by a team adopting this project: a folder of Markdown given to
`build.py --content DIR --out DIR --no-site` (the help center's own content keeps its strict schema).
The sets:
- starlette, pymdown: the docs folders of the starlette 1.10.0 and pymdown-extensions 13.1.2
  source distributions (downloaded once with pip into bench/out/foreign/), asked real users'
  issue titles from bench/eval/foreign/*.yml, judged against the page that answers them;
- stackfaq, scifact: /work/shared/eval (read in place), one page per thread / abstract;
- helpcenter, holdout: the demo content with tests/eval/questions.yml and questions-holdout.yml.
Prints nDCG@10 and recall@10 per set and mode, and SQLite FTS5 BM25 over whole pages (title x5,
any word) as a baseline. Builds and the embedding cache live under bench/out/foreign/ (SciFact's
cache is bench/out/scifact-cache, shared with bench/scifact_eval.py), so a rerun embeds only what
changed; `--reuse-builds` skips rebuilding sets already built.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.index import load_index  # noqa: E402
from api.search import Fusion, Searcher  # noqa: E402
from api.semantic import QueryEmbedder  # noqa: E402
from api.tokens import ANONYMOUS, Caller  # noqa: E402
from bench.scifact_eval import load_data, machine, ndcg_at, write_markdown  # noqa: E402
from site_builder.embeddings import Embedder, default_model_path, default_tokenizer_path  # noqa: E402

OUT = ROOT / "bench" / "out" / "foreign"
QUESTIONS = ROOT / "bench" / "eval" / "foreign"
SHARED = Path("/work/shared/eval")
ADMIN = Caller(user="eval", tenant="eval", roles=frozenset({"admin"}))
MODES = ("keyword", "semantic", "hybrid")
K = 10


@dataclass
class Query:
    text: str
    judged: dict[str, int]  # page key -> gain
    restricted: bool = False


@dataclass
class EvalSet:
    name: str
    content: Path
    queries: list[Query]
    key: Callable  # Article -> the key `judged` uses
    cache: Path = OUT / "cache"


# --- the sets ----------------------------------------------------------------------------

def sdist_docs(package: str, docs: str) -> Path:
    """The docs folder of a source distribution, downloaded once with pip."""
    name, version = package.split("==")
    folder = OUT / "sdists"
    unpacked = next(folder.glob(f"{name.replace('-', '_')}-{version}"), None) or next(folder.glob(f"{name}-{version}"), None)
    if unpacked is None:
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-binary", ":all:", "--no-deps", package, "-d", str(folder)], check=True)
        archive = next(p for p in folder.glob("*.tar.gz") if p.name.lower().replace("_", "-").startswith(f"{name}-{version}"))
        with tarfile.open(archive) as tar:
            tar.extractall(folder, filter="data")
        unpacked = next(folder.glob(f"{name.replace('-', '_')}-{version}"), None) or next(folder.glob(f"{name}-{version}"))
    return unpacked / docs


def docs_set(name: str) -> EvalSet:
    data = yaml.safe_load((QUESTIONS / f"{name}.yml").read_text())
    queries = [Query(q["q"], {page: 1 for page in q["relevant"]}) for q in data["answerable"]]
    return EvalSet(name, sdist_docs(data["package"], data["docs"]), queries, key=lambda a: a.path)


def stackfaq_set() -> EvalSet:
    data = SHARED / "stackfaq"
    content = OUT / "stackfaq-content"
    if not content.exists():
        content.mkdir(parents=True)
        for line in (data / "corpus.jsonl").read_text().splitlines():
            doc = json.loads(line)
            (content / f"{doc['_id']}.md").write_text(f"# {' '.join(doc['title'].split())}\n\n{doc['text'].strip()}\n")
    texts = {q["_id"]: q["text"] for q in map(json.loads, (data / "queries.jsonl").read_text().splitlines())}
    judged: dict[str, dict[str, int]] = {}
    for line in (data / "qrels" / "test.tsv").read_text().splitlines()[1:]:
        qid, doc, score = line.split("\t")
        judged.setdefault(qid, {})[doc] = int(score)
    return EvalSet("stackfaq", content, [Query(texts[q], j) for q, j in judged.items()], key=lambda a: a.id)


def scifact_set() -> EvalSet:
    corpus, texts, qrels = load_data(SHARED / "scifact")
    content = OUT / "scifact-content"
    if not content.exists():
        write_markdown(corpus, content)
    queries = [Query(texts[q], {f"d{d}": g for d, g in qrels[q].items()}) for q in sorted(qrels, key=int)]
    return EvalSet("scifact", content, queries, key=lambda a: a.id, cache=ROOT / "bench" / "out" / "scifact-cache")


def helpcenter_set(name: str, questions: Path) -> EvalSet:
    data = yaml.safe_load(questions.read_text())
    queries = [Query(q["q"], {a: 1 for a in q["relevant"]}, bool(q.get("restricted"))) for q in data["answerable"]]
    return EvalSet(name, ROOT / "content", queries, key=lambda a: a.id)


SETS: dict[str, Callable[[], EvalSet]] = {
    "starlette": lambda: docs_set("starlette"),
    "pymdown": lambda: docs_set("pymdown"),
    "stackfaq": stackfaq_set,
    "helpcenter": lambda: helpcenter_set("helpcenter", ROOT / "tests" / "eval" / "questions.yml"),
    "holdout": lambda: helpcenter_set("holdout", ROOT / "tests" / "eval" / "questions-holdout.yml"),
    "scifact": scifact_set,
}


# --- building and scoring ----------------------------------------------------------------

def build(s: EvalSet, reuse: bool) -> Path:
    out = OUT / "builds" / ("content" if s.content == ROOT / "content" else s.name)
    if reuse and (out / "manifest.json").exists():
        return out
    env = {**os.environ, "HELP_CENTER_CACHE": str(s.cache)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(s.content), "--out", str(out), "--no-site"],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"build of {s.name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    print(f"  built {s.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return out


def recall_at(ranked: list[str], judged: dict[str, int], k: int = K) -> float:
    relevant = {d for d, g in judged.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def score(runs: list[list[str]], queries: list[Query]) -> dict[str, float]:
    n = len(queries)
    return {"ndcg": sum(ndcg_at(r, q.judged) for r, q in zip(runs, queries)) / n,
            "recall": sum(recall_at(r, q.judged) for r, q in zip(runs, queries)) / n}


def engine_runs(searcher: Searcher, s: EvalSet, mode: str) -> list[list[str]]:
    return [[s.key(h.article) for h in searcher.rank(q.text, ADMIN if q.restricted else ANONYMOUS, mode).hits[:100]]
            for q in s.queries]


def fts5_runs(index, s: EvalSet) -> list[list[str]]:
    """SQLite FTS5 BM25 over whole pages (title weighted 5, body 1), any word of the query."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE pages USING fts5(key UNINDEXED, title, body, tokenize='porter unicode61')")
    bodies: dict[int, list[str]] = {}
    for chunk, article in zip(index.chunks, index.chunk_article.tolist()):
        bodies.setdefault(article, []).append(chunk.text)
    db.executemany("INSERT INTO pages VALUES (?, ?, ?)",
                   [(s.key(a), a.title, "\n".join(bodies.get(i, []))) for i, a in enumerate(index.articles)])
    runs = []
    for q in s.queries:
        words = re.findall(r"\w+", q.text.lower())
        match = " OR ".join(f'"{w}"' for w in words)
        rows = db.execute("SELECT key FROM pages WHERE pages MATCH ? ORDER BY bm25(pages, 0, 5, 1) LIMIT 100", [match]).fetchall() if words else []
        runs.append([r[0] for r in rows])
    return runs


def evaluate(s: EvalSet, build_dir: Path, embed: QueryEmbedder, model_id: str, fusion: Fusion) -> dict[str, dict[str, float]]:
    index = load_index(build_dir, model_id)
    searcher = Searcher(index, embed, fusion)
    table = {"fts5": score(fts5_runs(index, s), s.queries)}
    for mode in MODES:
        table[mode] = score(engine_runs(searcher, s, mode), s.queries)
    table["size"] = {"pages": len(index.articles), "chunks": len(index.chunks), "queries": len(s.queries)}
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="starlette,pymdown,stackfaq,helpcenter,holdout",
                        help=f"comma-separated, from {', '.join(SETS)} (scifact takes ~25 min to embed the first time)")
    parser.add_argument("--reuse-builds", action="store_true", help="do not rebuild a set that is already built")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    unknown = [n for n in names if n not in SETS]
    if unknown:
        sys.exit(f"unknown set(s): {', '.join(unknown)}; choose from {', '.join(SETS)}")
    embedder = Embedder(default_model_path(), default_tokenizer_path())
    embed = QueryEmbedder(embedder, cache_size=65536)
    print(f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {machine()}\n")
    print(f"{'set':<11} {'pages':>6} {'chunks':>6} {'qs':>5} | nDCG@10: {'fts5':>6} {'keyword':>8} {'semantic':>8} {'hybrid':>7}"
          f" | R@10: {'kw':>5} {'sem':>5} {'hyb':>5}")
    figures = {}
    for name in names:
        s = SETS[name]()
        t = figures[name] = evaluate(s, build(s, args.reuse_builds), embed, embedder.model_id, Fusion())
        size = t["size"]
        print(f"{name:<11} {size['pages']:>6} {size['chunks']:>6} {size['queries']:>5} | {'':>8} {t['fts5']['ndcg']:>6.3f} "
              f"{t['keyword']['ndcg']:>8.3f} {t['semantic']['ndcg']:>8.3f} {t['hybrid']['ndcg']:>7.3f}"
              f" | {'':>5} {t['keyword']['recall']:>5.3f} {t['semantic']['recall']:>5.3f} {t['hybrid']['recall']:>5.3f}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
