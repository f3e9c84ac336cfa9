"""What recording searches adds to a search: the search handler's p50/p95 with logging as it is vs. bypassed.

    .venv/bin/python bench/search_log_bench.py [--build DIR] [--store duckdb|postgresql] [--rounds 20] [--cache 0]

In-process, on one asyncio loop, with the real store (DuckDB in a temporary folder, or a throwaway
PostgreSQL from tests/postgres.py): the search handler `api.routes.search` is awaited exactly as
`Endpoint.handle` awaits it, once per question of tests/eval/questions.yml (answerable and not).

- logged: as shipped. `store.log_search` redacts the query, queues the INSERT and returns; the store's
  writer thread commits it while the next searches run, so its CPU and locks count against them.
- bypassed: the same handler, the same center, with `store.log_search` replaced by a no-op.

Nothing else differs. The arms alternate in blocks of all questions, and the write queue is drained
between blocks, so one arm's writes never run during the other's while a logged block carries its
own, as a busy server does. Searches run back to back (the writer overlaps them as much as it can).
HTTP is left out: identical for both arms, it would only add noise. --cache 0 (the default) turns the
query-embedding cache off so every search embeds its query, as distinct queries do; --cache 2048 keeps
the shipped cache, which after the first block makes searches cheap and the logging's share larger.
Also prints the time `log_search` itself takes on the request path.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api import routes  # noqa: E402
from api.config import serve_config  # noqa: E402
from api.help_center import HelpCenter, open_help_center  # noqa: E402
from api.tokens import Caller  # noqa: E402
from bench.ingest_bench import (describe_code, describe_machine, ensure_build, machine_busy_seconds, percentile,  # noqa: E402
                                postgres_store, wait_until_quiet)

CALLER = Caller(user="reader-1", tenant="acme")
SEARCH = {"limit": 10, "offset": 0, "category": None, "tag": None, "mode": "hybrid"}


def questions() -> list[str]:
    data = yaml.safe_load((ROOT / "tests" / "eval" / "questions.yml").read_text(encoding="utf-8"))
    return [q["q"] for q in data["answerable"] + data["unanswerable"]]


async def block(center: HelpCenter, queries: list[str]) -> list[float]:
    """Milliseconds per search, one after another."""
    times = []
    for i, q in enumerate(queries):
        started = time.perf_counter()
        await routes.search(center, CALLER, f"session-{i % 50}", q=q, **SEARCH)
        times.append((time.perf_counter() - started) * 1000)
    return times


async def alternate(center: HelpCenter, queries: list[str], rounds: int) -> dict[str, list[float]]:
    logged = center.store.log_search
    times: dict[str, list[float]] = {"logged": [], "bypassed": []}
    await block(center, queries)  # warm-up: thread pool, caches, the writer's first commits
    for r in range(rounds):
        for arm in (("logged", "bypassed") if r % 2 == 0 else ("bypassed", "logged")):
            center.store.queue.flush()
            center.store.log_search = logged if arm == "logged" else (lambda *args, **kwargs: None)
            times[arm] += await block(center, queries)
    center.store.log_search = logged
    center.store.queue.flush()
    return times


def log_search_cost(center: HelpCenter, queries: list[str]) -> list[float]:
    """Microseconds `log_search` itself takes (redaction, normalising, queueing) on the request path."""
    times = []
    for i, q in enumerate(queries * 3):
        started = time.perf_counter()
        center.store.log_search(f"{i:032x}", CALLER, "session-1", q, "hybrid", 10, 5.0, ["a", "b", "c"])
        times.append((time.perf_counter() - started) * 1e6)
    center.store.queue.flush()
    return times


def stored_searches(center: HelpCenter) -> int:
    return center.store.read(lambda s: s.execute("SELECT count(*) FROM searches"))[0][0]


def run(args: argparse.Namespace, data: Path, db_url: str | None) -> None:
    env = {"HELP_CENTER_DATA": str(data), "HELP_CENTER_QUERY_CACHE": str(args.cache), "HELP_CENTER_RATE_LIMIT": "0"}
    if db_url:
        env["HELP_CENTER_DB"] = db_url
    config = serve_config(["--build", str(ensure_build(args.build))], env=env)
    center = open_help_center(config)
    queries = questions()
    try:
        wait_until_quiet()
        started, busy, own = time.perf_counter(), machine_busy_seconds(), time.process_time()
        times = asyncio.run(alternate(center, queries, args.rounds))
        others = (machine_busy_seconds() - busy - (time.process_time() - own)) / (time.perf_counter() - started)
        cost = log_search_cost(center, queries)
        rows = stored_searches(center)
    finally:
        center.store.close()
    print(f"{len(queries)} questions x {args.rounds} blocks per arm, store {args.store}, query cache {args.cache}; "
          f"other processes used {others:.2f} cores meanwhile")
    for arm, ms in times.items():
        print(f"  {arm:>8}: p50 {percentile(ms, 50):.3f} ms  p95 {percentile(ms, 95):.3f} ms  "
              f"mean {statistics.fmean(ms):.3f} ms  ({len(ms)} searches)")
    added = percentile(times["logged"], 50) - percentile(times["bypassed"], 50)
    print(f"  logging adds {added:+.3f} ms to the p50 (target <= 1 ms: {'met' if added <= 1 else 'MISSED'})")
    print(f"  log_search on the request path: p50 {percentile(cost, 50):.1f} us, p95 {percentile(cost, 95):.1f} us; "
          f"searches stored: {rows}")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", type=Path, help="build to search (default: the demo content, built once)")
    p.add_argument("--store", choices=("duckdb", "postgresql"), default="duckdb")
    p.add_argument("--rounds", type=int, default=20, help="blocks of all questions per arm (default 20, at most 40)")
    p.add_argument("--cache", type=int, default=0, help="HELP_CENTER_QUERY_CACHE (default 0: every search embeds)")
    args = p.parse_args()
    if not 1 <= args.rounds <= 40:
        p.error("--rounds must be 1-40")
    print(f"machine: {describe_machine()}; {describe_code()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="search-log-bench-") as tmp:
        if args.store == "duckdb":
            run(args, Path(tmp) / "data", None)
        else:
            with postgres_store() as (_, db_url):
                run(args, Path(tmp) / "data", db_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
