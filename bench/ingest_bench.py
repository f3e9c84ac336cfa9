"""Event ingest over HTTP: POST /api/v1/events against the real server, with the DuckDB or the PostgreSQL store.

    .venv/bin/python bench/ingest_bench.py [--store duckdb|postgresql] [--clients 8] [--batch 1,10,50]
        [--seconds 20] [--rate EVENTS_PER_S] [--build DIR]

Starts `python -m api` on loopback with a temporary HELP_CENTER_DATA (for postgresql also a throwaway
server from tests/postgres.py, named by HELP_CENTER_DB), then, for each batch size, drives --clients
concurrent clients (asyncio, one connection each, reader tokens of three tenants) for --seconds:

- closed loop (default): each client sends its next request as soon as the last one is acknowledged,
  so the figures are the most the server sustains with that many requests in flight;
- paced (--rate): requests are due at a fixed rate of events/s and latency counts from when a request
  was due, so a server falling behind shows in the latency instead of slowing the senders down (what is
  still unsent 10 s after the phase is dropped and counted).

Before each phase it waits for a quiet second (other people's test runs share the cores). Prints
events/s, requests/s, acknowledgement latency p50/p95/p99/max and the CPU used by the server, PostgreSQL,
this client and other processes. At the end it stops the server and checks that the events table holds
exactly the events acknowledged. With PostgreSQL it also prints how many transactions the store
committed (pg_stat_database.xact_commit): the write queue's batches; DuckDB's are not exposed.
The demo build is made once into bench/out/ingest-build when --build is not given.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.database import DUCKDB_FILE  # noqa: E402
from api.tokens import sign  # noqa: E402

DEFAULT_BUILD = ROOT / "bench" / "out" / "ingest-build"
TENANTS = ("acme", "globex", "initech")
START_SECONDS = 120.0
LATE_SECONDS = 10.0  # paced: requests still unsent this long after the phase's end are dropped (and counted)


# ---------------------------------------------------------------- the server (shared with dashboard_bench.py)

def ensure_build(build: Path | None) -> Path:
    """The build given, or the demo content built once (indexes only) into bench/out/ingest-build."""
    if build is not None:
        return build
    if not (DEFAULT_BUILD / "manifest.json").exists():
        print(f"building the demo content into {DEFAULT_BUILD} ...", flush=True)
        subprocess.run([sys.executable, "build.py", "--content", "content", "--out", str(DEFAULT_BUILD), "--no-site"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return DEFAULT_BUILD


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def postgres_store():
    """A throwaway PostgreSQL server (tests/postgres.py) and a database in it: yields (the server, the database's URL)."""
    from tests.postgres import PostgresServer

    server = PostgresServer.start_new()
    try:
        yield server, server.create_database("help_center_bench")
    finally:
        server.close()


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    data: Path  # HELP_CENTER_DATA
    secret: str
    log: Path
    pg: object = None  # the tests/postgres.py server holding the store, if any

    def token(self, tenant: str | None, user: str, roles: list[str] | None = None) -> str:
        return sign(self.secret, user=user, tenant=tenant, roles=roles or [], ttl=24 * 3600)

    def cpu_seconds(self) -> float:
        """User + system CPU of the server process (all its threads)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM: uvicorn shuts down and the store commits what is queued before the process exits."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_server(build: Path, data: Path, db_url: str | None, pg=None, extra_env: dict | None = None) -> Server:
    """`python -m api` on a free loopback port; returns once /api/v1/health answers."""
    port, secret, log = free_port(), secrets.token_hex(16), data / "server.log"
    env = {**os.environ, "HELP_CENTER_DATA": str(data), "HELP_CENTER_SECRET": secret, "HELP_CENTER_ROLLUP_SECONDS": "0",
           "HELP_CENTER_RATE_LIMIT": "0",
           **(extra_env or {})}
    env.pop("HELP_CENTER_DB", None)
    if db_url:
        env["HELP_CENTER_DB"] = db_url
    data.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "api", "--build", str(build), "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    server = Server(proc, f"http://127.0.0.1:{port}", data, secret, log, pg)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{server.url}/api/v1/health", timeout=2).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise SystemExit(f"the server did not answer within {START_SECONDS:.0f} s:\n{log.read_text()[-3000:]}")


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all cores), from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds(pg) -> float:
    """CPU of a PostgreSQL server: its postmaster with the backends it reaped, and its live backends."""
    master = int((pg.data_dir / "postmaster.pid").read_text().split()[0])
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that just ended
        if int(stat.parent.name) == master:
            ticks += sum(int(f) for f in fields[11:15])  # utime, stime, and those of reaped children
        elif int(fields[1]) == master:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds each party used between start() and stop(): the server, PostgreSQL, this process, the rest."""

    def __init__(self, server: Server):
        self.sources = {"server": server.cpu_seconds, "client": time.process_time}
        if server.pg is not None:
            self.sources["postgresql"] = lambda: postgres_cpu_seconds(server.pg)

    def start(self) -> None:
        self.begin = {name: read() for name, read in self.sources.items()}
        self.machine = machine_busy_seconds()

    def stop(self) -> dict[str, float]:
        used = {name: read() - self.begin[name] for name, read in self.sources.items()}
        used["other"] = machine_busy_seconds() - self.machine - sum(used.values())
        return used


def wait_until_quiet(limit_seconds: float = 300.0, busy_cores: float = 0.2) -> float:
    """Wait (at most `limit_seconds`) until the machine is nearly idle for a second: other people's test runs on
    the same two cores would otherwise be measured too. Returns the busy cores last seen."""
    deadline, waited = time.monotonic() + limit_seconds, False
    while True:
        before = machine_busy_seconds()
        time.sleep(1.0)
        busy = machine_busy_seconds() - before
        if busy <= busy_cores or time.monotonic() > deadline:
            if waited:
                print(f"  (went on with {busy:.2f} cores busy)", flush=True)
            return busy
        if not waited:
            print(f"  (machine busy: {busy:.2f} cores in use by others; waiting up to {limit_seconds:.0f} s)", flush=True)
        waited = True


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def describe_machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{os.cpu_count()} cores ({cpu}), {mem:.1f} GiB RAM, Python {sys.version.split()[0]}"


def describe_code() -> str:
    """The commit measured, and the files of api/ changed since (benches run on the work tree as it is)."""
    git = lambda *a: subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout  # noqa: E731
    changed = [line[3:] for line in git("status", "--porcelain", "--", "api").splitlines()]
    return f"commit {git('rev-parse', '--short', 'HEAD').strip()}" + (
        f", uncommitted changes in {', '.join(changed)}" if changed else "")


# ---------------------------------------------------------------- the events a widget sends

def article_ids(build: Path) -> list[str]:
    with duckdb.connect(str(build / "index.duckdb"), read_only=True) as db:
        return [r[0] for r in db.execute("SELECT id FROM articles ORDER BY id").fetchall()]


def one_event(rng: random.Random, session: str, articles: list[str]) -> dict:
    """A mix like a help site's: mostly article views, then clicks, tours, cards and tooltips."""
    article, roll = rng.choice(articles), rng.random()
    base = {"session_id": session, "url": f"/{article}/"}
    if roll < 0.55:
        return {**base, "type": "article_view", "article_id": article}
    if roll < 0.70:
        return {**base, "type": "search_click", "article_id": article, "rank": rng.randint(1, 10),
                "search_id": secrets.token_hex(16)}
    if roll < 0.82:
        return {**base, "type": "tour_step", "tour_id": "first-work-order", "step": rng.randint(0, 6)}
    if roll < 0.90:
        return {**base, "type": "card_viewed", "card_id": rng.choice(["wo-intro", "ppm-calendar", "sla-tips"])}
    if roll < 0.96:
        return {**base, "type": "tooltip_viewed", "help_id": rng.choice(["wo-new-form", "wo-priority", "ppm-due"])}
    return {**base, "type": rng.choice(["share", "bookmark"]), "article_id": article}


def request_bodies(batch: int, count: int, articles: list[str], seed: int) -> list[bytes]:
    """`count` request bodies of `batch` events each, made before timing so the client spends little per request."""
    rng = random.Random(seed)
    bodies = []
    for _ in range(count):
        session = secrets.token_hex(8)
        bodies.append(json.dumps({"events": [one_event(rng, session, articles) for _ in range(batch)]}).encode())
    return bodies


# ---------------------------------------------------------------- driving the load

@dataclass
class Phase:
    batch: int
    latencies_ms: list[float] = field(default_factory=list)
    events: int = 0  # acknowledged
    errors: list[str] = field(default_factory=list)
    due: int = 0  # paced: requests due within the phase
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)


class Schedule:
    """When each request is due: now (closed loop) or on a fixed grid of `rate` requests/s (paced)."""

    def __init__(self, rate: float | None, start: float):
        self.rate, self.start, self.sent = rate, start, 0

    def next_due(self) -> float:
        due = time.perf_counter() if self.rate is None else self.start + self.sent / self.rate
        self.sent += 1
        return due


async def one_client(client: httpx.AsyncClient, bodies: list[bytes], schedule: Schedule, deadline: float,
                     phase: Phase) -> None:
    i = 0
    while True:
        due = schedule.next_due()
        if due >= deadline or time.perf_counter() > deadline + LATE_SECONDS:
            return  # the phase is over; or, paced, the server fell so far behind that the rest is not sent
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        response = await client.post("/api/v1/events", content=bodies[i % len(bodies)],
                                     headers={"content-type": "application/json"})
        if response.status_code == 201:
            phase.latencies_ms.append((time.perf_counter() - due) * 1000)
            phase.events += response.json()["recorded"]
        else:
            phase.errors.append(f"{response.status_code} {response.text[:200]}")
        i += 1


async def drive(server: Server, bodies: list[list[bytes]], seconds: float, rate: float | None, phase: Phase) -> None:
    """One client per list of bodies, each with its own connection and token, for `seconds`."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    sessions = [httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits, headers={
        "authorization": f"Bearer {server.token(TENANTS[k % len(TENANTS)], f'reader-{k}')}"}) for k in range(len(bodies))]
    try:
        started = time.perf_counter()
        schedule = Schedule(None if rate is None else rate / phase.batch, started)
        await asyncio.gather(*(one_client(session, mine, schedule, started + seconds, phase)
                               for session, mine in zip(sessions, bodies)))
        phase.seconds = time.perf_counter() - started
        phase.due = int(seconds * rate / phase.batch) if rate else 0
    finally:
        await asyncio.gather(*(s.aclose() for s in sessions))


def measured(server: Server, batch: int, clients: int, seconds: float, rate: float | None, articles: list[str]) -> Phase:
    """One phase, with the CPU each party used during it (the bodies are made before, off the clock)."""
    bodies = [request_bodies(batch, 64, articles, seed=batch * 1000 + k) for k in range(clients)]
    phase = Phase(batch)
    wait_until_quiet()
    meter = CpuMeter(server)
    meter.start()
    asyncio.run(drive(server, bodies, seconds, rate, phase))
    phase.cpu = meter.stop()
    return phase


def report(phase: Phase, clients: int, rate: float | None) -> None:
    lat, s = phase.latencies_ms, phase.seconds
    requests = len(lat) + len(phase.errors)
    mode = f"paced at {rate:.0f} events/s" if rate else "closed loop"
    print(f"batch {phase.batch:>3}, {clients} clients, {mode}: {phase.events / s:7.0f} events/s, {len(lat) / s:6.0f} req/s "
          f"over {s:.1f} s; ack ms p50 {percentile(lat, 50):.1f} p95 {percentile(lat, 95):.1f} "
          f"p99 {percentile(lat, 99):.1f} max {max(lat, default=float('nan')):.1f}; errors {len(phase.errors)}", flush=True)
    cpu = ", ".join(f"{k} {v / s * 100:.0f}%" for k, v in phase.cpu.items())
    print(f"    CPU, % of one core: {cpu} (other: processes not ours); server CPU per request {phase.cpu['server'] / max(requests, 1) * 1000:.2f} ms"
          + (f"; {phase.due - requests} of {phase.due} due requests never sent (server behind)" if rate else ""),
          flush=True)
    for error in phase.errors[:3]:
        print(f"  error: {error}")


# ---------------------------------------------------------------- checking what was stored

def stored_events(data: Path, db_url: str | None) -> int:
    """Rows in `events`, read after the server stopped (its DuckDB file is free again)."""
    if db_url:
        import psycopg

        with psycopg.connect(db_url) as conn:
            return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    with duckdb.connect(str(data / DUCKDB_FILE), read_only=True) as db:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]


def committed_transactions(db_url: str) -> int:
    import psycopg

    with psycopg.connect(db_url) as conn:
        return conn.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()").fetchone()[0]


def verify(phases: list[Phase], data: Path, db_url: str | None, commits_before: int) -> bool:
    acknowledged, rows = sum(p.events for p in phases), stored_events(data, db_url)
    print(f"stored: {rows} rows in events, {acknowledged} events acknowledged: "
          f"{'equal' if rows == acknowledged else 'DIFFERENT'}")
    if db_url:
        commits = committed_transactions(db_url) - commits_before
        requests = sum(len(p.latencies_ms) + len(p.errors) for p in phases)
        print(f"PostgreSQL committed {commits} transactions for {requests} requests "
              f"({requests / max(commits, 1):.1f} requests per commit; migrations and start-up reads included)")
    return rows == acknowledged


def run(args: argparse.Namespace, data: Path, db_url: str | None, pg=None) -> bool:
    build = ensure_build(args.build)
    articles = article_ids(build)
    commits_before = committed_transactions(db_url) if db_url else 0
    server = start_server(build, data, db_url, pg)
    phases = []
    try:
        phases.append(measured(server, 10, args.clients, args.warmup, None, articles))  # warm-up, not reported
        for batch in args.batch:
            phases.append(measured(server, batch, args.clients, args.seconds, args.rate, articles))
            report(phases[-1], args.clients, args.rate)
    finally:
        server.stop()
    return verify(phases, data, db_url, commits_before)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--build", type=Path, help=f"build to serve (default: the demo content, built once into {DEFAULT_BUILD})")
    p.add_argument("--store", choices=("duckdb", "postgresql"), default="duckdb")
    p.add_argument("--clients", type=int, default=8, help="concurrent clients, one connection each (default 8)")
    p.add_argument("--batch", type=lambda v: [int(b) for b in v.split(",")], default=[1, 10, 50],
                   help="events per request, comma-separated: one phase each (default 1,10,50)")
    p.add_argument("--seconds", type=float, default=20.0, help="length of each phase (default 20, at most 300)")
    p.add_argument("--warmup", type=float, default=3.0, help="seconds of batches of 10 before the phases (default 3)")
    p.add_argument("--rate", type=float, help="pace the requests at this many events/s (default: closed loop)")
    args = p.parse_args()
    if not 0 < args.seconds <= 300 or not 1 <= args.clients <= 256 or not all(1 <= b <= 100 for b in args.batch):
        p.error("--seconds must be 0-300, --clients 1-256 and each --batch 1-100")
    print(f"machine: {describe_machine()}; store: {args.store}; {describe_code()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        if args.store == "duckdb":
            return 0 if run(args, Path(tmp) / "data", None) else 1
        with postgres_store() as (pg, db_url):
            return 0 if run(args, Path(tmp) / "data", db_url, pg) else 1


if __name__ == "__main__":
    sys.exit(main())
