"""Mixed load on the real server: search, suggest, chat, article reads, events and votes from many clients at once.

    .venv/bin/python bench/load_bench.py [--setup duckdb|postgresql|both] [--clients 64] [--seconds 60] [--quick]
        [--build DIR] [--rate-limit 0]
    .venv/bin/python bench/load_bench.py --throughput [--clients 8] [--seconds 30] [--build DIR]

Load (default): each client (asyncio, one keep-alive connection, its own reader token) sends its next request as
soon as the last one is answered (think time 0), drawn from a mix like a help site's: hybrid search (the realistic
queries of bench/search_perf.py), suggest (a prefix of one of them), an article read, a batch of events, a vote,
and an extractive chat answer (no model key), read to its `done` event. Two set-ups:

- duckdb: one `python -m api` process with the DuckDB store;
- postgresql: two processes on two ports sharing a throwaway PostgreSQL (tests/postgres.py), clients split
  between them (as a load balancer would).

Prints per endpoint the count, p50 and p99, the errors (any answer but 2xx; 429s are counted apart and only come
with --rate-limit above 0), and each server's resident memory, sampled every second from /proc: the first sample
after warm-up (the first fifth of the run), the last and the highest. Memory is flat when last is within a few
MiB of first. At the end the store must hold exactly the events acknowledged.

Throughput (--throughput): one process, hybrid search only, query-embedding cache off, --clients (default 8)
for --seconds (default 30): requests/s, p50, p99, and the server's CPU time per search from /proc/<pid>/stat,
so the ceiling `cores x 1000 ms / CPU ms per search` follows.

--quick: 10 s, 16 clients (a smoke run on a busy machine). The demo build is made once into bench/out/ingest-build
when --build is not given; rate limits are off (HELP_CENTER_RATE_LIMIT=0) unless --rate-limit says otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.tokens import sign  # noqa: E402
from bench.ingest_bench import (  # noqa: E402
    TENANTS, Server, describe_code, describe_machine, ensure_build, one_event, percentile,
    postgres_store, start_server, stored_events)
from bench.search_perf import queries_from  # noqa: E402

# The share of each kind of request in the mix (a help site: mostly searching and reading).
MIX = {"search": 30, "suggest": 25, "article": 20, "events": 12, "vote": 8, "chat": 5}
WARMUP_SHARE = 0.2  # memory samples in the first fifth of the run are warm-up


# ---------------------------------------------------------------- memory, sampled every second

class MemorySampler:
    """Resident memory (MiB) of each server process, read from /proc every second on a thread."""

    def __init__(self, servers: list[Server]):
        self.servers, self.samples = servers, {s.url: [] for s in servers}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            for server in self.servers:
                self.samples[server.url].append((time.monotonic(), rss_mib(server.proc.pid)))

    def __enter__(self) -> "MemorySampler":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def public_articles(build: Path) -> list[str]:
    """Ids of the articles any reader may open (no roles or tenants required), so every read is a 200."""
    with duckdb.connect(str(build / "index.duckdb"), read_only=True) as db:
        return [r[0] for r in db.execute("SELECT id FROM articles WHERE status = 'published' AND len(coalesce(roles, [])) = 0 "
                                          "AND len(coalesce(tenants, [])) = 0 ORDER BY id").fetchall()]


# ---------------------------------------------------------------- the clients

@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    limited: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # 429s
    events: int = 0  # events acknowledged


@dataclass
class Workload:
    queries: list[str]
    articles: list[str]
    secret: str
    mix: dict[str, int] = field(default_factory=lambda: dict(MIX))


async def request(client: httpx.AsyncClient, kind: str, work: Workload, rng: random.Random) -> tuple[httpx.Response, int]:
    """One request of `kind`; returns the response and the events it acknowledged (for events only)."""
    query = rng.choice(work.queries)
    if kind == "search":
        return await client.get("/api/v1/search", params={"q": query}), 0
    if kind == "suggest":
        return await client.get("/api/v1/suggest", params={"q": query[: rng.randint(2, 8)]}), 0
    if kind == "article":
        return await client.get(f"/api/v1/articles/{rng.choice(work.articles)}"), 0
    if kind == "vote":
        body = {"helpful": rng.random() < 0.7, "session_id": secrets.token_hex(8)}
        return await client.post(f"/api/v1/articles/{rng.choice(work.articles)}/votes", json=body), 0
    if kind == "events":
        session = secrets.token_hex(8)
        batch = [one_event(rng, session, work.articles) for _ in range(rng.randint(1, 10))]
        response = await client.post("/api/v1/events", json={"events": batch})
        return response, response.json()["recorded"] if response.status_code == 201 else 0
    return await chat(client, query), 0


async def chat(client: httpx.AsyncClient, question: str) -> httpx.Response:
    """An extractive answer read to its end; a stream that ends without `done` counts as an error (status 599)."""
    async with client.stream("POST", "/api/v1/chat", json={"question": question}) as response:
        if response.status_code != 200:
            await response.aread()  # a problem body, read so the caller can show it
            return response
        last = None
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                last = line[7:]
        if last != "done":
            return httpx.Response(599, text=f"the stream ended with {last!r}, not done")
        return response


async def one_client(url: str, token: str, work: Workload, deadline: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    kinds, weights = list(work.mix), list(work.mix.values())
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits,
                                 headers={"authorization": f"Bearer {token}"}) as client:
        while time.perf_counter() < deadline:
            kind = rng.choices(kinds, weights)[0]
            started = time.perf_counter()
            try:
                response, events = await request(client, kind, work, rng)
            except httpx.HTTPError as error:
                tally.errors[kind].append(f"{type(error).__name__}: {error}")
                continue
            if response.status_code == 429:
                tally.limited[kind] += 1
            elif response.status_code >= 300:
                tally.errors[kind].append(f"{response.status_code} {response.text[:200]}")
            else:
                tally.latencies[kind].append((time.perf_counter() - started) * 1000)
                tally.events += events


async def drive(urls: list[str], clients: int, seconds: float, work: Workload) -> Tally:
    """`clients` clients for `seconds`, split evenly across the servers' urls."""
    tally, deadline = Tally(), time.perf_counter() + seconds
    tokens = [sign(work.secret, user=f"reader-{k}", tenant=TENANTS[k % len(TENANTS)], roles=[], ttl=24 * 3600)
              for k in range(clients)]
    await asyncio.gather(*(one_client(urls[k % len(urls)], tokens[k], work, deadline, tally, seed=k)
                           for k in range(clients)))
    return tally


# ---------------------------------------------------------------- the report

def report_load(label: str, tally: Tally, seconds: float, memory: MemorySampler) -> bool:
    print(f"\n{label}: {sum(map(len, tally.latencies.values()))} answers in {seconds:.0f} s")
    print(f"  {'endpoint':<9} {'count':>7} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'429s':>6}")
    for kind in MIX:
        lat = tally.latencies.get(kind, [])
        print(f"  {kind:<9} {len(lat):>7} {len(lat) / seconds:>7.1f} {percentile(lat, 50):>8.1f} "
              f"{percentile(lat, 99):>8.1f} {len(tally.errors.get(kind, [])):>7} {tally.limited.get(kind, 0):>6}")
    errors = [e for kind in tally.errors.values() for e in kind]
    for error in errors[:5]:
        print(f"  error: {error}")
    flat = True
    for url, samples in memory.samples.items():
        start = samples[0][0] if samples else 0
        after = [mib for at, mib in samples if at - start >= seconds * WARMUP_SHARE] or [mib for _, mib in samples]
        if after:
            grew = after[-1] - after[0]
            flat &= grew < max(20.0, after[0] * 0.05)
            print(f"  memory of {url}: {after[0]:.0f} MiB after warm-up, {after[-1]:.0f} MiB last, {max(after):.0f} MiB "
                  f"max ({grew:+.0f} MiB; {len(samples)} samples)")
    print(f"  errors other than 429: {len(errors)}; memory {'flat' if flat else 'GREW'}")
    return not errors and flat


def load_setup(store: str, args: argparse.Namespace, build: Path, work: Workload, tmp: Path) -> bool:
    """One set-up: start its servers, drive the load, check what was stored."""
    env = {"HELP_CENTER_SECRET": work.secret, "HELP_CENTER_RATE_LIMIT": str(args.rate_limit),
           "HELP_CENTER_ACCESS_LOG": "off"}
    with ExitStack() as stack:
        db_url, pg, count = None, None, 1
        if store == "postgresql":
            pg, db_url = stack.enter_context(postgres_store())
            count = 2
        servers = []
        for n in range(count):
            servers.append(start_server(build, tmp / f"{store}-{n}", db_url, pg, extra_env=env))
            stack.callback(servers[-1].stop)
        label = f"{store}: {count} process{'es' if count > 1 else ''}, {args.clients} clients"
        with MemorySampler(servers) as memory:
            started = time.perf_counter()
            tally = asyncio.run(drive([s.url for s in servers], args.clients, args.seconds, work))
            seconds = time.perf_counter() - started
        ok = report_load(label, tally, seconds, memory)
        for server in servers:
            server.stop()
        rows = stored_events(servers[0].data, db_url)
    print(f"  stored events: {rows}, acknowledged: {tally.events} ({'equal' if rows == tally.events else 'DIFFERENT'})")
    return ok and rows == tally.events


# ---------------------------------------------------------------- throughput: hybrid search only

def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(args: argparse.Namespace, build: Path, work: Workload, tmp: Path) -> bool:
    env = {"HELP_CENTER_SECRET": work.secret, "HELP_CENTER_QUERY_CACHE": "0", "HELP_CENTER_ACCESS_LOG": "off"}
    server = start_server(build, tmp / "throughput", None, extra_env=env)
    try:
        work.mix = {"search": 1}
        asyncio.run(drive([server.url], args.clients, 3.0, work))  # warm-up
        before, memory_before = cpu_seconds(server.proc.pid), rss_mib(server.proc.pid)
        started = time.perf_counter()
        tally = asyncio.run(drive([server.url], args.clients, args.seconds, work))
        seconds = time.perf_counter() - started
        cpu = cpu_seconds(server.proc.pid) - before
        memory_after = rss_mib(server.proc.pid)
    finally:
        server.stop()
    lat, errors = tally.latencies["search"], sum(map(len, tally.errors.values()))
    cpu_ms = cpu / max(len(lat), 1) * 1000
    cores = os.cpu_count() or 1
    print(f"\nhybrid search, {args.clients} clients, {seconds:.0f} s, query cache off: {len(lat) / seconds:.0f} searches/s, "
          f"p50 {percentile(lat, 50):.1f} ms, p99 {percentile(lat, 99):.1f} ms, errors {errors}")
    print(f"  server CPU per search {cpu_ms:.2f} ms: ceiling {cores} x 1000 / {cpu_ms:.2f} = {cores * 1000 / cpu_ms:.0f} "
          f"searches/s on {cores} cores (the client shares them); server memory {memory_before:.0f} -> {memory_after:.0f} MiB")
    return errors == 0


# ---------------------------------------------------------------- main

def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", type=Path, help="build to serve (default: the demo content, built once into bench/out/ingest-build)")
    p.add_argument("--setup", choices=("duckdb", "postgresql", "both"), default="both")
    p.add_argument("--clients", type=int, help="concurrent clients (default 64; 8 with --throughput; 16 with --quick)")
    p.add_argument("--seconds", type=float, help="length of the run (default 60; 30 with --throughput; 10 with --quick)")
    p.add_argument("--quick", action="store_true", help="a 10-second smoke run with 16 clients")
    p.add_argument("--throughput", action="store_true", help="hybrid search only, one process, query cache off")
    p.add_argument("--rate-limit", type=float, default=0.0, help="HELP_CENTER_RATE_LIMIT for the servers (default 0: off)")
    args = p.parse_args()
    args.clients = args.clients or (8 if args.throughput else 16 if args.quick else 64)
    args.seconds = args.seconds or (30.0 if args.throughput else 10.0 if args.quick else 60.0)
    if not 0 < args.seconds <= 600 or not 1 <= args.clients <= 512:
        p.error("--seconds must be 0-600 and --clients 1-512")
    build = ensure_build(args.build)
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"machine: {describe_machine()}, load average {os.getloadavg()[0]:.1f}; {describe_code()}")
    print(build_line(build))
    work = Workload(queries_from(build, 400), public_articles(build), secrets.token_hex(32))
    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp:
        if args.throughput:
            return 0 if throughput(args, build, work, Path(tmp)) else 1
        setups = ("duckdb", "postgresql") if args.setup == "both" else (args.setup,)
        results = [load_setup(store, args, build, work, Path(tmp)) for store in setups]
    return 0 if all(results) else 1


def build_line(build: Path) -> str:
    with duckdb.connect(str(build / "index.duckdb"), read_only=True) as db:
        articles, chunks = (db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "chunks"))
    return f"build {build}: {articles} articles, {chunks} chunks"


if __name__ == "__main__":
    sys.exit(main())
