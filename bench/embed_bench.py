"""Embedding throughput of the build's model under different thread, batch and process settings.

    python bench/embed_bench.py [--articles 1000] [--chunks 800]

Takes the first --chunks chunks of a generated corpus (chunked exactly as the build does) and
embeds them with site_builder.embeddings.Embedder:
  - in this process with ONNX Runtime's default threads (what the build uses) and with 1 or 2
    intra-op threads, for several batch sizes (the build uses 32);
  - split across 2 worker processes of 1 thread each (what "parallel embedding across
    processes" would give on this machine).
Each setting runs --repeat times, interleaved; prints the best tokens per second, every run's
time and how much CPU other processes used meanwhile (this machine may be shared). Nothing is cached or written except bench/out/embed.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
# --project DIR: measure the site_builder of another tree (e.g. an export of a commit); read before importing it.
CODE = Path(sys.argv[sys.argv.index("--project") + 1]).resolve() if "--project" in sys.argv[:-1] else PROJECT
sys.path.insert(0, str(CODE))
sys.path.insert(0, str(BENCH))

from build_bench import OUT, corpus  # noqa: E402
from site_builder.chunking import chunk_article  # noqa: E402
from site_builder.content import load  # noqa: E402
from site_builder.embeddings import Embedder, default_model_path, default_tokenizer_path  # noqa: E402


def busy_cpu_seconds() -> float:
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (fields[0] + fields[1] + fields[2] + fields[5] + fields[6]) / os.sysconf("SC_CLK_TCK")


def embedder(threads: int = 0) -> Embedder:
    return Embedder(default_model_path(), default_tokenizer_path(), threads=threads)


def _worker(args: tuple[list[str], int, int]) -> float:
    texts, threads, batch = args
    e = embedder(threads)
    mark = time.perf_counter()
    e.embed(texts, batch_size=batch)
    return time.perf_counter() - mark


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Embedding throughput by threads, batch size and processes.")
    p.add_argument("--articles", type=int, default=1000, help="corpus to take chunks from (generated if needed)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--project", type=Path, default=PROJECT, help="tree whose site_builder to measure (default: this one)")
    p.add_argument("--chunks", type=int, default=800)
    p.add_argument("--repeat", type=int, default=3, help="runs of each setting; the best is reported")
    p.add_argument("--batches", help="only these batch sizes with default threads, e.g. 8,16,32 (no other settings)")
    args = p.parse_args(argv)

    content_dir, _ = corpus(args.articles, args.seed)
    content = load(content_dir)
    e = embedder()
    texts = []
    for article in content.articles:
        texts += [c.embedding_text() for c in chunk_article(article, e.count_tokens, 200)]
        if len(texts) >= args.chunks:
            break
    texts = texts[:args.chunks]
    tokens = e.tokens_in(texts)
    print(f"{len(texts)} chunks, {tokens} tokens ({tokens / len(texts):.0f} per chunk), {os.cpu_count()} CPUs")
    e.embed(texts[:64])  # warm up

    results = []

    def record(label: str, seconds: list[float], others: list[float | None]) -> None:
        best = min(seconds)
        results.append({"setting": label, "seconds": [round(s, 2) for s in seconds], "best_tokens_per_second": round(tokens / best),
                        "other_processes_cpu_seconds": [None if o is None else round(o, 1) for o in others]})
        shown = " ".join(f"{s:.1f}" for s in seconds)
        print(f"  {label:<56}{tokens / best:>8.0f} tokens/s  (runs: {shown} s; others' CPU: "
              + " ".join("-" if o is None else f"{o:.0f}" for o in others) + " s)", flush=True)

    runners = {0: e} if args.batches else {0: e, 1: embedder(1), 2: embedder(2)}
    settings = [(0, 8), (0, 32), (0, 128), (1, 32), (2, 8), (2, 32)]
    if args.batches:
        settings = [(0, int(b)) for b in args.batches.split(",")]
    measured: dict[tuple[int, int], tuple[list[float], list[float | None]]] = {s: ([], []) for s in settings}
    for _ in range(args.repeat):  # interleaved, so a burst of load elsewhere hits one run, not one setting
        for threads, batch in settings:
            busy, cpu, mark = busy_cpu_seconds(), time.process_time(), time.perf_counter()
            runners[threads].embed(texts, batch_size=batch)
            wall, cpu, busy = time.perf_counter() - mark, time.process_time() - cpu, busy_cpu_seconds() - busy
            measured[(threads, batch)][0].append(wall)
            measured[(threads, batch)][1].append(busy - cpu)
    for (threads, batch), (walls, others) in measured.items():
        name = "default threads (as the build)" if threads == 0 else f"{threads} intra-op thread{'s' * (threads > 1)}"
        record(f"1 process, {name}, batch {batch}", walls, others)

    if args.batches:
        (OUT / "embed-batches.json").write_text(json.dumps({"chunks": len(texts), "tokens": tokens, "results": results}, indent=2) + "\n")
        return 0
    halves = [(texts[0::2], 1, 32), (texts[1::2], 1, 32)]
    walls, slowest = [], []
    with mp.get_context("spawn").Pool(2) as pool:
        pool.map(_worker, [(texts[:32], 1, 32)] * 2)  # start both workers first
        for _ in range(args.repeat):
            mark = time.perf_counter()
            per_worker = pool.map(_worker, halves)  # each worker also loads the model (about a second)
            walls.append(time.perf_counter() - mark)
            slowest.append(max(per_worker))
    record("2 processes x 1 thread, batch 32 (wall incl. model load)", walls, [None] * len(walls))
    record("2 processes x 1 thread, batch 32 (embedding only)", slowest, [None] * len(walls))

    (OUT / "embed.json").write_text(json.dumps({"chunks": len(texts), "tokens": tokens, "results": results}, indent=2) + "\n")
    print(f"\nfigures written to {(OUT / 'embed.json').relative_to(PROJECT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
