"""Search speed over HTTP on a large generated corpus, with SQLite FTS5 as the keyword reference.

    python bench/search_perf.py --build bench/out/run-10000-no-site/build [--requests 400] [--seconds 15]

Starts the real server (`python -m api`) on loopback with the query-embedding cache off,
then measures: sequential latency of hybrid, keyword and semantic search and of suggest;
throughput with concurrent clients; the server's memory; in-process keyword search against
SQLite FTS5 on the same chunks; and the recall of the vector index against an exact scan.
Build the corpus first: python bench/generate_corpus.py --articles 10000 --out DIR and
python build.py --content DIR --out BUILD --no-site.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.index import load_index  # noqa: E402
from api.semantic import VectorSearch  # noqa: E402
from site_builder.embeddings import Embedder, default_model_path, default_tokenizer_path  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def queries_from(build: Path, n: int, seed: int = 7) -> list[str]:
    """Realistic queries: words of real titles and sections, some shortened, some misspelled."""
    rng = random.Random(seed)
    with duckdb.connect(str(build / "index.duckdb"), read_only=True) as db:
        titles = [r[0] for r in db.execute("SELECT title FROM articles").fetchall()]
        sections = [r[0] for r in db.execute("SELECT DISTINCT section FROM chunks WHERE section <> ''").fetchall()]
    out = []
    for i in range(n):
        words = rng.choice(titles if i % 2 else sections).lower().split()
        words = words[: rng.randint(2, min(6, max(2, len(words))))]
        if i % 5 == 0 and words:
            w = rng.randrange(len(words))
            if len(words[w]) > 4:
                j = rng.randrange(1, len(words[w]) - 1)
                words[w] = words[w][:j] + words[w][j + 1] + words[w][j] + words[w][j + 2:]
        if i % 4 == 0:
            words = ["how", "do", "i"] + words
        out.append(" ".join(words) + (f" {rng.randint(1000, 4999)}" if i % 11 == 0 else ""))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(build: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "HELP_CENTER_QUERY_CACHE": "0", "HELP_CENTER_RATE_LIMIT": "0"}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "api", "--build", str(build), "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            if proc.poll() is not None:
                raise SystemExit("server did not start")
            time.sleep(0.2)
    print(f"server ready in {time.perf_counter() - started:.1f} s (loads the build and model, warms up)")
    return proc, url


def rss_mib(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def sequential(client: httpx.Client, path: str, params: list[dict]) -> list[float]:
    times = []
    for p in params:
        t = time.perf_counter()
        r = client.get(path, params=p)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.text
    return times


def concurrent(url: str, queries: list[str], clients: int, seconds: float) -> tuple[int, list[float]]:
    stop = time.monotonic() + seconds
    times: list[float] = []
    lock = threading.Lock()

    def worker(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as c:
            i = offset
            while time.monotonic() < stop:
                t = time.perf_counter()
                c.get("/api/v1/search", params={"q": queries[i % len(queries)]}).raise_for_status()
                with lock:
                    times.append((time.perf_counter() - t) * 1000)
                i += clients

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(times), times


def fts5_reference(build: Path, queries: list[str]) -> None:
    """Keyword search in-process: ours (postings in memory) against SQLite FTS5 on the same chunks."""
    with duckdb.connect(str(build / "index.duckdb"), read_only=True) as db:
        rows = db.execute("SELECT id, title, section, text FROM chunks").fetchall()
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE VIRTUAL TABLE chunks USING fts5(id UNINDEXED, title, section, text, tokenize='porter unicode61')")
    lite.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?)", rows)
    def fts5_ms(joiner: str) -> float:
        fts_queries = [joiner.join(f'"{w}"' for w in q.split()) for q in queries]
        sql = "SELECT id FROM chunks WHERE chunks MATCH ? ORDER BY bm25(chunks, 2.5, 1.5, 1.0) LIMIT 200"
        for q in fts_queries[:20]:
            lite.execute(sql, [q]).fetchall()
        t = time.perf_counter()
        for q in fts_queries:
            lite.execute(sql, [q]).fetchall()
        return (time.perf_counter() - t) / len(queries) * 1000

    sqlite_or, sqlite_and = fts5_ms(" OR "), fts5_ms(" ")
    index = load_index(build)
    mask = np.ones(len(index.chunks), dtype=bool)
    for q in queries[:20]:
        index.postings.score(index.analyzer.terms(q)[0], index.postings.public, mask)
    t = time.perf_counter()
    for q in queries:
        scores = index.postings.score(index.analyzer.terms(q)[0], index.postings.public, mask)
        positive = np.flatnonzero(scores > 0)
        if len(positive) > 200:
            positive[np.argpartition(-scores[positive], 199)[:200]]
    ours_ms = (time.perf_counter() - t) / len(queries) * 1000
    print(f"\nkeyword search in-process over {len(rows)} chunks ({len(queries)} queries, top 200):")
    print(f"  SQLite FTS5, any word (OR), bm25 with field weights   {sqlite_or:6.2f} ms a query")
    print(f"  SQLite FTS5, every word (AND, its default)            {sqlite_and:6.2f} ms a query")
    print(f"  ours: BM25 over any word, typos and synonyms          {ours_ms:6.2f} ms a query "
          f"({ours_ms / sqlite_or:.2f}x FTS5 OR, {ours_ms / sqlite_and:.2f}x FTS5 AND)")
    ivf_recall(index)


def ivf_recall(index) -> None:
    embedder = Embedder(default_model_path(), default_tokenizer_path())
    exact = VectorSearch(index.vectors, exact_limit=10**12)
    mask = np.ones(len(index.chunks), dtype=bool)
    titles = [a.title for a in index.articles[:: max(1, len(index.articles) // 200)]]
    print(f"\nvector search over {len(index.vectors)} chunks, {len(titles)} queries:")
    for probes in (16, 32, 64):
        ivf = VectorSearch(index.vectors, exact_limit=0, probes=probes)
        recall, ivf_ms, exact_ms = [], [], []
        for title in titles:
            q = embedder.embed_query(title)
            t = time.perf_counter()
            a, _ = ivf.nearest(q, mask, 10)
            ivf_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            b, _ = exact.nearest(q, mask, 10)
            exact_ms.append((time.perf_counter() - t) * 1000)
            recall.append(len(set(a.tolist()) & set(b.tolist())) / 10)
        print(f"  IVF {ivf.centroids.shape[0]} lists, {probes} probes: recall@10 {np.mean(recall):.3f}, "
              f"{statistics.median(ivf_ms):.2f} ms; exact scan {statistics.median(exact_ms):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()
    queries = queries_from(args.build, args.requests)
    proc, url = start_server(args.build)
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            health = client.get("/api/v1/health").json()
            print(f"build {health['build_id'][:16]}: {health['articles']} articles, {health['chunks']} chunks; query cache off\n")
            print(f"{'over HTTP, one client':<28} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7}")
            for label, path, params in [
                ("hybrid search", "/api/v1/search", [{"q": q} for q in queries]),
                ("keyword search", "/api/v1/search", [{"q": q, "mode": "keyword"} for q in queries]),
                ("semantic search", "/api/v1/search", [{"q": q, "mode": "semantic"} for q in queries]),
                ("suggest", "/api/v1/suggest", [{"q": q[: random.Random(i).randint(2, max(2, len(q)))]} for i, q in enumerate(queries)]),
            ]:
                times = sequential(client, path, params)
                print(f"{label:<28} {percentile(times, 50):>7.2f} {percentile(times, 90):>7.2f} {percentile(times, 99):>7.2f}")
        for clients in (2, 4, 8):
            done, times = concurrent(url, queries, clients, args.seconds)
            print(f"hybrid, {clients} concurrent clients: {done / args.seconds:6.1f} requests/s, "
                  f"p50 {percentile(times, 50):.1f} ms, p99 {percentile(times, 99):.1f} ms")
        rss, peak = rss_mib(proc.pid)
        print(f"\nserver memory: {rss:.0f} MiB resident, {peak:.0f} MiB peak")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    fts5_reference(args.build, queries)


if __name__ == "__main__":
    main()
