"""SciFact (BEIR): the search engine on a public benchmark with published baselines.

    python bench/scifact_eval.py [--data DIR] [--workdir DIR] [--reuse-build] [--diagnose]

Converts the SciFact corpus (/work/shared/eval/scifact, read in place) into a temporary
folder of plain Markdown files, one per abstract (`d{docid}.md`: `# {title}`, then the
abstract), builds it with `build.py --no-site` (the embedding cache lives in
bench/out/scifact-cache, so a rerun embeds nothing), runs the 300 judged test queries
through `Searcher.rank` in keyword, semantic and hybrid modes, and prints nDCG@10 (BEIR /
trec_eval formula: linear graded gain, log2 discount, ideal from all judged documents)
beside the published figures. `--diagnose` adds keyword-ranking experiments (BM25
parameters, field weights, typo correction, chunking, DuckDB's own BM25 on whole
documents); they patch objects in this process only and run after the engine's figures.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import duckdb
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.index import load_index  # noqa: E402
from api.search import Fusion, Searcher  # noqa: E402
from api.semantic import QueryEmbedder  # noqa: E402
from api.tokens import ANONYMOUS  # noqa: E402
from site_builder.embeddings import Embedder, default_model_path, default_tokenizer_path  # noqa: E402

DATA = Path("/work/shared/eval/scifact")
CACHE = ROOT / "bench" / "out" / "scifact-cache"
K = 10

# Published nDCG@10 on the 300 test queries, from the data's README.
PUBLISHED = {
    "keyword": "BM25: 0.665 BEIR, 0.679 Anserini, 0.680 DuckDB FTS (k1 0.9, b 0.4), 0.686 SQLite FTS5",
    "semantic": "all-MiniLM-L6-v2: about 0.645 (MTEB)",
    "rrf": "BM25 + BGE-base, RRF k=60: 0.744 (stronger dense model)",
}


# --- data ---------------------------------------------------------------------------------

def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_data(data: Path) -> tuple[list[dict], dict[str, str], dict[str, dict[str, int]]]:
    corpus = read_jsonl(data / "corpus.jsonl")
    queries = {q["_id"]: q["text"] for q in read_jsonl(data / "queries.jsonl")}
    qrels: dict[str, dict[str, int]] = {}
    with (data / "qrels" / "test.tsv").open(encoding="utf-8") as f:
        next(f)  # header: query-id corpus-id score
        for line in f:
            qid, docid, score = line.split()
            qrels.setdefault(qid, {})[docid] = int(score)
    return corpus, queries, qrels


def article_id(docid: str) -> str:
    return f"d{docid}"


def doc_id(article: str) -> str:
    return article[1:]


def write_markdown(corpus: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for doc in corpus:
        title = " ".join(doc["title"].split()) or f"Document {doc['_id']}"
        (folder / f"{article_id(doc['_id'])}.md").write_text(f"# {title}\n\n{doc['text'].strip()}\n", encoding="utf-8")


def run_build(content: Path, out: Path, cache: Path) -> float:
    env = {**os.environ, "HELP_CENTER_CACHE": str(cache)}
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out), "--no-site"],
                   cwd=ROOT, env=env, check=True)
    return time.perf_counter() - started


# --- metrics (as pytrec_eval's ndcg_cut_10 and recall_100) --------------------------------

def ndcg_at(ranked: list[str], judged: dict[str, int], k: int = K) -> float:
    dcg = sum(judged.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal_gains = sorted((g for g in judged.values() if g > 0), reverse=True)[:k]
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(ideal_gains))
    return dcg / ideal if ideal else 0.0


def recall_at(ranked: list[str], judged: dict[str, int], k: int = 100) -> float:
    relevant = {d for d, g in judged.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def evaluate(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    n = len(qrels)
    return {
        "ndcg": sum(ndcg_at(runs.get(q, []), judged) for q, judged in qrels.items()) / n,
        "recall": sum(recall_at(runs.get(q, []), judged) for q, judged in qrels.items()) / n,
    }


def per_query(runs: dict[str, list[str]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    return {q: ndcg_at(runs.get(q, []), judged) for q, judged in qrels.items()}


# --- running the engine -------------------------------------------------------------------

def engine_runs(index, embed, fusion: Fusion, mode: str, queries: dict[str, str], qids: list[str]) -> dict[str, list[str]]:
    searcher = Searcher(index, embed, fusion)
    return {q: [doc_id(h.article.id) for h in searcher.rank(queries[q], ANONYMOUS, mode).hits] for q in qids}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")) / 2**20
        mem_text = f", {mem:.0f} GiB RAM"
    except (OSError, StopIteration):
        mem_text = ""
    return f"{cpu}, {os.cpu_count()} cores{mem_text}, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="SciFact in BEIR layout (default: %(default)s)")
    parser.add_argument("--workdir", type=Path, help="keep the Markdown and the build here (default: a temporary folder, removed after)")
    parser.add_argument("--reuse-build", action="store_true", help="with --workdir: use the build already there instead of rebuilding")
    parser.add_argument("--diagnose", action="store_true", help="also run the keyword-ranking experiments")
    args = parser.parse_args()

    corpus, queries, qrels = load_data(args.data)
    qids = sorted(qrels, key=int)
    missing = [q for q in qids if q not in queries]
    if missing:
        sys.exit(f"{len(missing)} judged queries have no text in queries.jsonl: {missing[:5]}")
    print(f"SciFact: {len(corpus)} documents, {len(qids)} judged test queries, {sum(len(j) for j in qrels.values())} judgments")
    print(f"machine: {machine()}\n")

    work = args.workdir.resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="scifact-"))
    content, build = work / "content", work / "build"
    try:
        if args.reuse_build and (build / "manifest.json").exists():
            print(f"reusing the build in {build}")
            build_seconds = None
        else:
            shutil.rmtree(content, ignore_errors=True)
            write_markdown(corpus, content)
            build_seconds = run_build(content, build, CACHE)
        report(args, build, corpus, queries, qrels, qids, build_seconds)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


def report(args, build: Path, corpus, queries, qrels, qids, build_seconds) -> None:
    embedder = Embedder(default_model_path(), default_tokenizer_path())
    started = time.perf_counter()
    index = load_index(build, embedder.model_id)
    load_seconds = time.perf_counter() - started
    manifest = index.manifest
    indexed = {doc_id(a.id) for a in index.articles}
    lost = {d["_id"] for d in corpus} - indexed
    chunks_per_doc = np.bincount(index.chunk_article, minlength=len(index.articles))
    print(f"\nbuild: {len(index.articles)} articles, {len(index.chunks)} chunks "
          f"({np.mean(chunks_per_doc):.2f} per article, max {chunks_per_doc.max()}; "
          f"{(chunks_per_doc > 1).sum()} articles cut into several chunks)"
          + (f", built in {build_seconds:.0f} s (build.py's own figures: {manifest['seconds']})" if build_seconds else ""))
    if lost:
        print(f"WARNING: {len(lost)} documents are missing from the index, e.g. {sorted(lost)[:5]}")
    print(f"index loaded in {load_seconds:.1f} s\n")

    embed = QueryEmbedder(embedder, cache_size=4096)
    base = Fusion()
    settings = [
        ("keyword (BM25)", base, "keyword", "keyword"),
        ("semantic (MiniLM-L6 int8)", base, "semantic", "semantic"),
        (f"hybrid, default ({base.method}, alpha {base.alpha})", base, "hybrid", None),
        *[(f"hybrid, weighted alpha {a}", replace(base, method="weighted", alpha=a), "hybrid", None) for a in (0.3, 0.5, 0.7)],
        ("hybrid, rrf k=60", replace(base, method="rrf", rrf_k=60), "hybrid", "rrf"),
    ]
    table, runs_by_name = [], {}
    query_seconds = 0.0
    for name, fusion, mode, published in settings:
        t = time.perf_counter()
        runs = engine_runs(index, embed, fusion, mode, queries, qids)
        elapsed = time.perf_counter() - t
        query_seconds += elapsed
        runs_by_name[name] = runs
        table.append((name, evaluate(runs, qrels), elapsed / len(qids) * 1000, PUBLISHED.get(published, "")))
    print(f"{'method':<36} {'nDCG@10':>8} {'R@100':>6} {'ms/q':>6}  published nDCG@10")
    for name, s, ms, published in table:
        print(f"{name:<36} {s['ndcg']:>8.3f} {s['recall']:>6.3f} {ms:>6.1f}  {published}")
    print(f"\n{len(settings) * len(qids)} queries in {query_seconds:.1f} s (the first semantic run includes embedding the queries)")
    print("\nmarkdown table:\n")
    print("| Method | nDCG@10 | Recall@100 | Published nDCG@10 |")
    print("|---|---:|---:|---|")
    for name, s, _, published in table:
        print(f"| {name} | {s['ndcg']:.3f} | {s['recall']:.3f} | {published} |")

    if args.diagnose:
        diagnose(index, embed, build, corpus, queries, qrels, qids, chunks_per_doc, runs_by_name)


# --- diagnostics of the keyword ranking -----------------------------------------------------

def diagnose(index, embed, build: Path, corpus, queries, qrels, qids, chunks_per_doc, runs_by_name) -> None:
    import api.keyword as kw
    from site_builder.output import IGNORE, load_fts

    print("\n\n=== keyword diagnostics (patched in this process only) ===\n")
    keyword_runs = runs_by_name["keyword (BM25)"]
    base_scores = per_query(keyword_runs, qrels)

    # 1. Queries whose relevant documents were cut into several chunks, against the rest.
    position = index.position
    multi = [q for q in qids if any(chunks_per_doc[position[article_id(d)]] > 1 for d in qrels[q] if article_id(d) in position)]
    single = [q for q in qids if q not in set(multi)]
    print(f"keyword nDCG@10 on {len(multi)} queries whose relevant document has several chunks: "
          f"{np.mean([base_scores[q] for q in multi]):.3f}; on the other {len(single)}: {np.mean([base_scores[q] for q in single]):.3f}")

    # 2. Typo correction and stopwords on the query side.
    corrected = {}
    for q in qids:
        _, corrections = index.analyzer.terms(queries[q])
        if corrections:
            corrected[q] = corrections
    print(f"typo correction rewrote words in {len(corrected)} of {len(qids)} queries, e.g. "
          + "; ".join(f"{w}->{c}" for q in list(corrected)[:8] for w, c in corrected[q].items()))

    def keyword_score(label: str) -> float:
        s = evaluate(engine_runs(index, embed, Fusion(), "keyword", queries, qids), qrels)
        print(f"  {label:<58} nDCG@10 {s['ndcg']:.3f}  R@100 {s['recall']:.3f}")
        return s["ndcg"]

    print("\nvariants of the engine's keyword ranking (chunks, best chunk per article):")
    keyword_score("as shipped (k1 1.2, b 0.75, title 2.5, section 1.5)")
    speller_correct = index.analyzer.speller.correct
    index.analyzer.speller.correct = lambda word: None
    keyword_score("no typo correction")
    index.analyzer.speller.correct = speller_correct

    chunk_index = {c.id: i for i, c in enumerate(index.chunks)}
    original = (kw.K1, kw.B, dict(kw.FIELD_WEIGHTS), index.postings)
    variants = [
        ("k1 0.9, b 0.4", 0.9, 0.4, None),
        ("fields equal (1, 1, 1)", None, None, {"title": 1.0, "section": 1.0, "text": 1.0}),
        ("title only once (title 1, section 0, text 1)", None, None, {"title": 1.0, "section": 0.0, "text": 1.0}),
        ("title once, k1 0.9, b 0.4", 0.9, 0.4, {"title": 1.0, "section": 0.0, "text": 1.0}),
    ]
    with duckdb.connect(str(build / "index.duckdb"), read_only=True) as db:
        load_fts(db)
        for label, k1, b, weights in variants:
            kw.K1, kw.B = (k1, b) if k1 is not None else original[:2]
            kw.FIELD_WEIGHTS.clear()
            kw.FIELD_WEIGHTS.update(weights or original[2])
            index.postings = index.analyzer.postings = kw.Postings(db, chunk_index, np.ones(len(chunk_index), dtype=bool))
            keyword_score(label)
    kw.K1, kw.B = original[:2]
    kw.FIELD_WEIGHTS.clear()
    kw.FIELD_WEIGHTS.update(original[2])
    index.postings = index.analyzer.postings = original[3]

    # 3. Whole documents, scored by DuckDB's own BM25 (the QuackIR set-up) with the engine's analyzer settings.
    print("\nDuckDB FTS match_bm25 on whole documents (title + abstract, one row per document):")
    mem = duckdb.connect()
    load_fts(mem)
    mem.execute("CREATE TABLE docs (id VARCHAR, title VARCHAR, text VARCHAR)")
    mem.executemany("INSERT INTO docs VALUES (?, ?, ?)", [(d["_id"], d["title"], d["text"]) for d in corpus])
    for stemmer, stopwords, ignore in (("english", "english", IGNORE), ("porter", "english", IGNORE),
                                       ("english", "none", IGNORE), ("porter", "none", r"(\.|[^a-z])+")):
        mem.execute(f"PRAGMA create_fts_index('docs', 'id', 'title', 'text', stemmer='{stemmer}', stopwords='{stopwords}', "
                    f"ignore='{ignore}', strip_accents=1, lower=1, overwrite=1)")
        for k1, b in ((0.9, 0.4), (1.2, 0.75)):
            runs = {}
            for q in qids:
                rows = mem.execute(
                    f"SELECT id FROM (SELECT id, fts_main_docs.match_bm25(id, ?, k := {k1}, b := {b}) AS s FROM docs) "
                    "WHERE s IS NOT NULL ORDER BY s DESC, id LIMIT 100", [queries[q]]).fetchall()
                runs[q] = [r[0] for r in rows]
            s = evaluate(runs, qrels)
            print(f"  stemmer {stemmer:<8} stopwords {stopwords:<8} ignore {'digits kept' if ignore == IGNORE else 'default':<12}"
                  f" k1 {k1}, b {b}:  nDCG@10 {s['ndcg']:.3f}  R@100 {s['recall']:.3f}")
    mem.close()

    # 4. The same analyzer and postings formula as the engine, on whole documents instead of chunks.
    print("\nthe engine's BM25 formula and analyzer, scored per whole document (title + abstract):")
    stop = index.analyzer.stopwords
    stem = index.analyzer.stemmer.stem_all

    def bag(text: str) -> list[str]:
        return stem([w for w in kw.tokenize(text) if w not in stop])

    docs = [(d["_id"], bag(d["title"]), bag(d["text"])) for d in corpus]
    query_terms = {q: list(dict.fromkeys(bag(queries[q]))) for q in qids}
    for label, k1, b, title_weight in (("k1 1.2, b 0.75, title 4x (as title 2.5 + section 1.5)", 1.2, 0.75, 4.0),
                                       ("k1 1.2, b 0.75, title 1x", 1.2, 0.75, 1.0),
                                       ("k1 0.9, b 0.4, title 1x", 0.9, 0.4, 1.0)):
        runs = bm25_runs(docs, query_terms, k1, b, title_weight)
        s = evaluate(runs, qrels)
        print(f"  {label:<58} nDCG@10 {s['ndcg']:.3f}  R@100 {s['recall']:.3f}")


def bm25_runs(docs, query_terms, k1: float, b: float, title_weight: float) -> dict[str, list[str]]:
    tfs, lengths = [], []
    df: dict[str, int] = {}
    for _, title, text in docs:
        tf: dict[str, float] = {}
        for t in title:
            tf[t] = tf.get(t, 0.0) + title_weight
        for t in text:
            tf[t] = tf.get(t, 0.0) + 1.0
        tfs.append(tf)
        lengths.append(sum(tf.values()))
        for t in tf:
            df[t] = df.get(t, 0) + 1
    n, avgdl = len(docs), float(np.mean(lengths))
    idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
    postings: dict[str, list[tuple[int, float]]] = {}
    for i, tf in enumerate(tfs):
        norm = k1 * (1 - b + b * lengths[i] / avgdl)
        for t, f in tf.items():
            postings.setdefault(t, []).append((i, f * (k1 + 1) / (f + norm)))
    runs = {}
    for q, terms in query_terms.items():
        scores = np.zeros(n)
        for t in terms:
            for i, w in postings.get(t, ()):
                scores[i] += idf[t] * w
        top = [i for i in np.argsort(-scores, kind="stable")[:100] if scores[i] > 0]
        runs[q] = [docs[i][0] for i in top]
    return runs


if __name__ == "__main__":
    main()
