"""Faults under load, on real processes: what readers see and what the store keeps.

    .venv/bin/python bench/fault_bench.py [--scenario kill,swap,corrupt,postgres,model] [--quick] [--build DIR]

Every scenario starts `python -m api` on loopback (rate limits off) and drives it with threads, each with
its own connection: writers send votes and batches of events, each under a fresh session id so each can be
found in the store afterwards; readers search and read articles. Then:

- kill: two processes sharing a throwaway PostgreSQL; a conversation is started on the first; during a burst
  of writes to both it is killed with SIGKILL. Every write acknowledged (2xx) must be in PostgreSQL, the second
  process must answer every request, and a follow-up question on it must continue the conversation.
- swap: two processes serving one build folder; a new build (one article added, built by build.py with a warm
  embedding cache) is swapped in under load. Zero failed requests; both processes serve the new article.
- corrupt: a build with its full-text index replaced by garbage, truncated, or missing, its vectors or its
  manifest missing: the server must refuse to start with a short message and no traceback.
- postgres: two processes sharing PostgreSQL, which is stopped (immediate mode: like a crash) during load and
  started again. Writes must fail fast (503 within about 3 s), searches and article reads keep working,
  writes recover by themselves once it is back, and nothing acknowledged is lost.
- model: one process with a model key, pointed at a scripted Messages API (tests/api/fake_anthropic.py) that
  stalls, cuts the stream, or answers 429/529. The asker must get an `error` event or the extractive fallback
  within HELP_CENTER_LLM_TIMEOUT (3 s here) plus a second, while searches from others keep being answered.

--quick shortens every burst (a smoke run on a busy machine). Prints what each scenario saw and PASS/FAIL.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest_bench import (  # noqa: E402
    Server, describe_code, describe_machine, ensure_build, free_port, percentile, postgres_store,
    start_server)
from bench.load_bench import public_articles  # noqa: E402
from bench.search_perf import queries_from  # noqa: E402

SECRET = secrets.token_hex(32)
ENV = {"HELP_CENTER_SECRET": SECRET, "HELP_CENTER_RATE_LIMIT": "0", "HELP_CENTER_ACCESS_LOG": "off"}


# ---------------------------------------------------------------- the load: writers and readers on threads

@dataclass
class Outcome:
    kind: str  # vote, events, search, article, suggest
    url: str
    session: str
    status: int  # 0: no answer (connection refused or cut)
    ms: float
    at: float  # time.monotonic() when it was answered
    detail: str = ""


@dataclass
class Load:
    """Threads sending requests until stop(); every outcome is kept."""
    queries: list[str]
    articles: list[str]
    outcomes: list[Outcome] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def start(self, kinds_by_url: list[tuple[str, tuple[str, ...]]]) -> "Load":
        for n, (url, kinds) in enumerate(kinds_by_url):
            self.threads.append(threading.Thread(target=self.client, args=(url, kinds, n), daemon=True))
            self.threads[-1].start()
        return self

    def stop(self) -> list[Outcome]:
        self.stopped.set()
        for thread in self.threads:
            thread.join()
        return self.outcomes

    def client(self, url: str, kinds: tuple[str, ...], n: int) -> None:
        with httpx.Client(base_url=url, timeout=httpx.Timeout(30, connect=2)) as http:
            i = n
            while not self.stopped.is_set():
                kind, session, started = kinds[i % len(kinds)], secrets.token_hex(8), time.monotonic()
                try:
                    response = self.send(http, kind, session, i)
                    status, detail = response.status_code, response.text[:160] if response.status_code >= 300 else ""
                except httpx.HTTPError as error:
                    status, detail = 0, type(error).__name__
                    time.sleep(0.05)  # a refused connection answers at once: do not spin
                self.outcomes.append(Outcome(kind, url, session, status, (time.monotonic() - started) * 1000,
                                             time.monotonic(), detail))
                i += 1

    def send(self, http: httpx.Client, kind: str, session: str, i: int) -> httpx.Response:
        article = self.articles[i % len(self.articles)]
        if kind == "vote":
            return http.post(f"/api/v1/articles/{article}/votes", json={"helpful": i % 3 > 0, "session_id": session})
        if kind == "events":
            return http.post("/api/v1/events", json={"events": [
                {"type": "article_view", "article_id": article, "session_id": session, "url": f"/{article}/"}] * 3})
        if kind == "search":
            return http.get("/api/v1/search", params={"q": self.queries[i % len(self.queries)]})
        if kind == "suggest":
            return http.get("/api/v1/suggest", params={"q": self.queries[i % len(self.queries)][:4]})
        return http.get(f"/api/v1/articles/{article}")


def wait_for(condition, seconds: float, what: str) -> float:
    """Poll `condition` until true; returns the seconds it took; fails the scenario after `seconds`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise ScenarioFailed(f"waited {seconds:.0f} s for {what}")
        time.sleep(0.05)
    return time.monotonic() - started


class ScenarioFailed(Exception):
    pass


def stored_sessions(db_url: str) -> set[tuple[str, str]]:
    """(kind, session id) of every vote and event in PostgreSQL."""
    import psycopg

    with psycopg.connect(db_url) as conn:
        votes = conn.execute("SELECT session_id FROM votes").fetchall()
        events = conn.execute("SELECT DISTINCT session_id FROM events").fetchall()
    return {("vote", r[0]) for r in votes} | {("events", r[0]) for r in events}


def lost_writes(outcomes: list[Outcome], db_url: str) -> tuple[int, list[Outcome]]:
    """Writes acknowledged, and those of them missing from the store."""
    stored = stored_sessions(db_url)
    acknowledged = [o for o in outcomes if o.kind in ("vote", "events") and 200 <= o.status < 300]
    return len(acknowledged), [o for o in acknowledged if (o.kind, o.session) not in stored]


def summary(outcomes: list[Outcome]) -> str:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[f"{o.kind} {o.status or 'no answer'}"] = counts.get(f"{o.kind} {o.status or 'no answer'}", 0) + 1
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))


# ---------------------------------------------------------------- chat, read as server-sent events

def ask(url: str, question: str, conversation_id: str | None = None) -> tuple[list[tuple[str, dict]], float]:
    """The events of one answer and the seconds until the last one."""
    body = {"question": question, **({"conversation_id": conversation_id} if conversation_id else {})}
    events, name, started = [], None, time.monotonic()
    with httpx.stream("POST", f"{url}/api/v1/chat", json=body, timeout=60) as response:
        if response.status_code != 200:
            raise ScenarioFailed(f"chat answered {response.status_code}: {response.read()[:200]!r}")
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                events.append((name, json.loads(line[6:])))
    return events, time.monotonic() - started


# ---------------------------------------------------------------- kill -9 of one of two processes

def scenario_kill(ctx: "Context") -> list[str]:
    a, b = ctx.servers(2, ctx.build)
    question = ctx.queries[3]
    first, _ = ask(a.url, question)
    conversation = first[-1][1]["conversation_id"]
    writes = ("vote", "events")
    load = Load(ctx.queries, ctx.articles).start([(s.url, writes) for s in (a, b) for _ in range(3)]
                                                 + [(b.url, ("search", "article"))] * 2)
    wait_for(lambda: sum(o.url == a.url and o.status == 201 for o in load.outcomes) >= 30, 60, "30 writes on the first")
    a.proc.kill()  # SIGKILL: no shutdown, no flush
    killed_at = time.monotonic()
    a.proc.wait()
    time.sleep(ctx.burst)
    outcomes = load.stop()
    follow_up, _ = ask(b.url, "and how do I change it later?", conversation)
    acknowledged, lost = lost_writes(outcomes, ctx.db_url)
    on_b = [o for o in outcomes if o.url == b.url]
    b_failed = [o for o in on_b if not 200 <= o.status < 300]
    b_after = [o for o in on_b if o.at > killed_at]
    print(f"  outcomes: {summary(outcomes)}")
    print(f"  killed the first process after {sum(o.url == a.url and o.status == 201 for o in outcomes if o.at <= killed_at)} "
          f"acknowledged writes to it; {acknowledged} writes acknowledged in all, {len(lost)} missing from PostgreSQL")
    print(f"  second process: {len(on_b)} requests, {len(b_after)} after the kill, {len(b_failed)} failed; "
          f"p99 after the kill {percentile([o.ms for o in b_after], 99):.0f} ms")
    print(f"  follow-up on the second process: conversation {'continued' if follow_up[-1][1].get('conversation_id') == conversation else 'NEW'}")
    return ([f"{len(lost)} acknowledged writes lost"] if lost else []) + (
        [f"{len(b_failed)} requests failed on the surviving process"] if b_failed else []) + (
        ["the conversation did not continue"] if follow_up[-1][1].get("conversation_id") != conversation else [])


# ---------------------------------------------------------------- a new build under load, two processes

def scenario_swap(ctx: "Context") -> list[str]:
    content, out = ctx.tmp / "swap-content", ctx.tmp / "swap" / "build"
    shutil.copytree(ROOT / "content", content)
    cache = ctx.tmp / "swap" / ".cache"
    cache.mkdir(parents=True)
    for warm in (ROOT / "bench" / "out" / ".cache" / "embeddings.duckdb", ROOT / ".cache" / "embeddings.duckdb"):
        if warm.exists():
            shutil.copy(warm, cache / "embeddings.duckdb")
            break
    run_build(content, out)
    a, b = ctx.servers(2, out, HELP_CENTER_RELOAD_SECONDS="0.2")
    before = httpx.get(f"{a.url}/api/v1/health").json()["build_id"]
    reads = ("search", "article", "suggest")
    load = Load(ctx.queries, ctx.articles).start([(s.url, reads) for s in (a, b) for _ in range(3)]
                                                 + [(s.url, ("vote", "events")) for s in (a, b)])
    time.sleep(ctx.burst / 2)
    (content / "assets" / "okapi-chiller.md").parent.mkdir(parents=True, exist_ok=True)
    (content / "assets" / "okapi-chiller.md").write_text(
        "---\ntitle: Descaling the okapi chiller\nstatus: published\n---\n\nDescale the okapi chiller every spring.\n")
    started = time.monotonic()
    run_build(content, out)
    built = time.monotonic() - started
    switched = [wait_for(lambda s=s: httpx.get(f"{s.url}/api/v1/health").json()["build_id"] != before, 30, "the switch")
                for s in (a, b)]
    time.sleep(ctx.burst / 2)
    outcomes = load.stop()
    failed = [o for o in outcomes if not 200 <= o.status < 300]
    found = [httpx.get(f"{s.url}/api/v1/search", params={"q": "okapi chiller"}).json()["results"][:1] for s in (a, b)]
    new_served = all(r and "okapi" in r[0]["title"].lower() for r in found)
    print(f"  outcomes: {summary(outcomes)}")
    print(f"  rebuild took {built:.1f} s; the processes switched {switched[0]:.1f} s and {switched[1]:.1f} s after it; "
          f"{len(failed)} failed requests; the new article served by both: {new_served}")
    for o in failed[:3]:
        print(f"  failed: {o.kind} {o.status} {o.detail}")
    return ([f"{len(failed)} failed requests"] if failed else []) + ([] if new_served else ["the new article is not served"])


def run_build(content: Path, out: Path) -> None:
    subprocess.run([sys.executable, "build.py", "--content", str(content), "--out", str(out), "--no-site"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# ---------------------------------------------------------------- a damaged build at start-up

DAMAGES = {
    "index.duckdb is garbage": lambda b: (b / "index.duckdb").write_bytes(b"this is not a database" * 100),
    "index.duckdb truncated to half": lambda b: truncate(b / "index.duckdb"),
    "index.duckdb missing": lambda b: (b / "index.duckdb").unlink(),
    "vectors/ missing": lambda b: shutil.rmtree(b / "vectors"),
    "manifest.json missing": lambda b: (b / "manifest.json").unlink(),
}


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def scenario_corrupt(ctx: "Context") -> list[str]:
    problems = []
    for damage, do in DAMAGES.items():
        broken = ctx.tmp / f"broken-{len(problems)}-{secrets.token_hex(3)}"
        shutil.copytree(ctx.build, broken)
        do(broken)
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "api", "--build", str(broken), "--port", str(free_port())], cwd=ROOT,
                              env={**os.environ, **ENV, "HELP_CENTER_DATA": str(ctx.tmp / "var-corrupt")},
                              capture_output=True, text=True, timeout=180)
        lines = [line for line in done.stderr.splitlines() if line.strip() and " INFO " not in line]
        clear = done.returncode != 0 and "Traceback" not in done.stderr and lines and lines[0].startswith("error: ")
        print(f"  {damage}: exit {done.returncode} after {time.monotonic() - started:.1f} s: "
              f"{lines[0] if lines else '(nothing on stderr)'}")
        if not clear:
            problems.append(f"{damage}: exit {done.returncode}, stderr {done.stderr[-600:]!r}")
    return problems


# ---------------------------------------------------------------- PostgreSQL stopped under load

def scenario_postgres(ctx: "Context") -> list[str]:
    a, b = ctx.servers(2, ctx.build)
    load = Load(ctx.queries, ctx.articles).start([(s.url, ("vote", "events")) for s in (a, b) for _ in range(2)]
                                                 + [(s.url, ("search", "article", "suggest")) for s in (a, b)])
    wait_for(lambda: sum(o.status == 201 for o in load.outcomes) >= 40, 60, "40 acknowledged writes")
    ctx.pg.stop("immediate")
    down_at = time.monotonic()  # the server is gone once pg_ctl returns
    time.sleep(ctx.outage)
    ctx.pg.start()
    up_at = time.monotonic()
    wait_for(lambda: all(any(o.url == s.url and o.status == 201 and o.at > up_at for o in load.outcomes) for s in (a, b)),
             60, "writes to succeed again on both processes")
    recovered = [min(o.at for o in load.outcomes if o.url == s.url and o.status == 201 and o.at > up_at) - up_at
                 for s in (a, b)]
    time.sleep(1.0)
    outcomes = load.stop()
    during = [o for o in outcomes if down_at <= o.at - o.ms / 1000 < up_at]  # sent while the store was down
    writes, reads = [o for o in during if o.kind in ("vote", "events")], [o for o in during if o.kind not in ("vote", "events")]
    bad_writes = [o for o in writes if o.status not in (201, 503)]
    slow = max((o.ms for o in writes if o.status == 503), default=0.0)
    failed_reads = [o for o in reads if o.status != 200]
    acknowledged, lost = lost_writes(outcomes, ctx.db_url)
    print(f"  outcomes: {summary(outcomes)}")
    print(f"  while down ({ctx.outage:.0f} s): writes {summary(writes) or 'none'}; slowest 503 {slow:.0f} ms; "
          f"reads {summary(reads) or 'none'}")
    print(f"  writes succeeded again {', '.join(f'{v:.1f} s' for v in recovered)} after PostgreSQL was back; "
          f"{acknowledged} acknowledged, {len(lost)} missing")
    for o in (bad_writes + failed_reads)[:4]:
        print(f"  unexpected: {o.kind} {o.status} {o.detail}")
    return ([f"{len(lost)} acknowledged writes lost"] if lost else []) + (
        [f"{len(bad_writes)} writes neither 201 nor 503 while down"] if bad_writes else []) + (
        [f"slowest 503 took {slow:.0f} ms"] if slow > 4000 else []) + (
        [f"{len(failed_reads)} reads failed while down"] if failed_reads else [])


# ---------------------------------------------------------------- the model service failing

MODEL_FAULTS = {
    "stalls after one piece": {"pieces": ["Choose a name ", "never sent"], "stall_after": 1},
    "cuts the stream midway": {"pieces": ["Choose a name ", "in the list ", "and save."], "break_after": 2},
    "stalls before the first piece": {"pieces": ["never sent"], "stall_after": 0},
    "answers 429 (rate limited)": {"fail_first": 99, "fail_status": 429},
    "answers 529 (overloaded)": {"fail_first": 99, "fail_status": 529},
    "answers 429 with Retry-After: 10": {"fail_first": 99, "fail_status": 429, "retry_after": "10"},
}
LLM_TIMEOUT = 3.0


def scenario_model(ctx: "Context") -> list[str]:
    from tests.api.fake_anthropic import FakeAnthropic

    fake = FakeAnthropic()
    try:
        server, = ctx.servers(1, ctx.build, ANTHROPIC_API_KEY="sk-fault-bench", ANTHROPIC_BASE_URL=fake.url,
                              HELP_CENTER_LLM_TIMEOUT=str(LLM_TIMEOUT), HELP_CENTER_LLM_MODEL="test-model",
                              HELP_CENTER_MODEL_MIN_CONFIDENCE="0")
        problems = []
        for fault, script in MODEL_FAULTS.items():
            fake.reset(**script)
            load = Load(ctx.queries, ctx.articles).start([(server.url, ("search", "article"))] * 2)
            events, seconds = ask(server.url, ctx.queries[1])
            outcomes = load.stop()
            last = events[-1] if events else ("nothing", {})
            ending = last[0] if last[0] == "error" else f"{last[0]} ({last[1].get('mode')})"
            others = [o for o in outcomes if o.status != 200]
            print(f"  {fault}: {ending} after {seconds:.1f} s ({len(fake.requests)} calls to the model); others meanwhile: "
                  f"{len(outcomes)} requests, {len(others)} failed, p99 {percentile([o.ms for o in outcomes], 99):.0f} ms")
            if seconds > LLM_TIMEOUT + 1 or last[0] not in ("error", "done") or others:
                problems.append(f"{fault}: {ending} after {seconds:.1f} s, {len(others)} others failed")
        return problems
    finally:
        fake.close()


# ---------------------------------------------------------------- running the scenarios

@dataclass
class Context:
    build: Path
    tmp: Path
    stack: ExitStack
    queries: list[str]
    articles: list[str]
    burst: float
    outage: float
    pg: object = None
    db_url: str | None = None

    def servers(self, count: int, build: Path, **env: str) -> list[Server]:
        if count > 1 and self.pg is None:
            self.pg, self.db_url = self.stack.enter_context(postgres_store())
        started = []
        for _ in range(count):
            server = start_server(build, self.tmp / f"var-{secrets.token_hex(4)}", self.db_url if count > 1 else None,
                                  self.pg, extra_env={**ENV, **env})
            self.stack.callback(server.stop)
            started.append(server)
        return started


SCENARIOS = {"kill": scenario_kill, "swap": scenario_swap, "corrupt": scenario_corrupt, "postgres": scenario_postgres,
             "model": scenario_model}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scenario", default=",".join(SCENARIOS), help=f"comma-separated, of {', '.join(SCENARIOS)} (default all)")
    p.add_argument("--quick", action="store_true", help="short bursts (a smoke run)")
    p.add_argument("--build", type=Path, help="build to serve (default: the demo content, built once into bench/out/ingest-build)")
    args = p.parse_args()
    chosen = [s.strip() for s in args.scenario.split(",") if s.strip()]
    if unknown := [s for s in chosen if s not in SCENARIOS]:
        p.error(f"unknown scenario {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    build = ensure_build(args.build)
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"machine: {describe_machine()}, load average {os.getloadavg()[0]:.1f}; {describe_code()}")
    failures = {}
    for name in chosen:
        print(f"\n{name}:", flush=True)
        with tempfile.TemporaryDirectory(prefix=f"fault-{name}-") as tmp, ExitStack() as stack:
            ctx = Context(build, Path(tmp), stack, queries_from(build, 200), public_articles(build),
                          burst=2.0 if args.quick else 10.0, outage=8.0 if args.quick else 20.0)
            try:
                failures[name] = SCENARIOS[name](ctx)
            except ScenarioFailed as error:
                failures[name] = [str(error)]
        print(f"  {'PASS' if not failures[name] else 'FAIL: ' + '; '.join(failures[name])}", flush=True)
    return 0 if not any(failures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
