"""Embedding throughput of the build's model under different thread, batch and process settings.

    python bench/embed_bench.py [--articles 1000] [--chunks 800]

Takes the first --chunks chunks of a generated corpus (chunked exactly as the build does) and
embeds them with site_builder.embeddings.Embedder:
  - in this process with ONNX Runtime's default threads (what the build uses) and with 1 or 2
    intra-op threads, for several batch sizes (the build uses 32);
  - split across 2 worker processes of 1 thread each (what "parallel embedding across
    processes" would give on this machine).
Prints tokens per second for each. Nothing is cached or written except bench/out/embed.json.
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

    def record(label: str, seconds: float) -> None:
        results.append({"setting": label, "seconds": round(seconds, 2), "tokens_per_second": round(tokens / seconds)})
        print(f"  {label:<52}{seconds:>8.1f} s{tokens / seconds:>10.0f} tokens/s", flush=True)

    for threads in (0, 1, 2):
        runner = e if threads == 0 else embedder(threads)
        for batch in ((8, 32, 128) if threads != 1 else (32,)):
            mark = time.perf_counter()
            runner.embed(texts, batch_size=batch)
            name = "default threads (as the build)" if threads == 0 else f"{threads} intra-op thread{'s' * (threads > 1)}"
            record(f"1 process, {name}, batch {batch}", time.perf_counter() - mark)

    halves = [(texts[0::2], 1, 32), (texts[1::2], 1, 32)]
    with mp.get_context("spawn").Pool(2) as pool:
        pool.map(_worker, [(texts[:32], 1, 32)] * 2)  # start both workers and load the model first
        mark = time.perf_counter()
        pool.map(_worker, halves)
        # each worker loads the model again (about a second); count only the embedding itself
        wall = time.perf_counter() - mark
        per_worker = pool.map(_worker, halves)
    record("2 processes x 1 thread, batch 32 (wall incl. model load)", wall)
    record("2 processes x 1 thread, batch 32 (slowest worker)", max(per_worker))

    (OUT / "embed.json").write_text(json.dumps({"chunks": len(texts), "tokens": tokens, "results": results}, indent=2) + "\n")
    print(f"\nfigures written to {(OUT / 'embed.json').relative_to(PROJECT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
