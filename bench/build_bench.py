"""Benchmark a full build of a generated corpus, then a rebuild with nothing changed.

    python bench/build_bench.py --articles 1000 [--no-site] [--keep] [--seed 1] [--no-rebuild]

1. Generates the corpus into bench/out/corpus-N-sS (or reuses it if it is already there).
2. Runs `build.py` in a subprocess with a fresh, empty embedding cache (HELP_CENTER_CACHE),
   measuring wall time and peak RSS (via /usr/bin/time -v, else getrusage of a wrapper).
3. Runs the same build again with the cache it just filled: nothing changed, so it must embed
   no chunk (asserted), and its time is what an author waits for after a no-op push.
4. Prints a table of figures and writes them to bench/out/build-N[-no-site].json.

The build output and cache go to bench/out/run-N and are deleted at the end unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
OUT = BENCH / "out"
TIME = Path("/usr/bin/time")

sys.path.insert(0, str(BENCH))
from generate_corpus import generate  # noqa: E402

RUSAGE_WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.call(sys.argv[1:])\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print('Maximum resident set size (kbytes): %d' % usage.ru_maxrss, file=sys.stderr)\n"
    "print('User time (seconds): %.2f' % usage.ru_utime, file=sys.stderr)\n"
    "print('System time (seconds): %.2f' % usage.ru_stime, file=sys.stderr)\n"
    "sys.exit(rc)\n"
)


def corpus(articles: int, seed: int) -> tuple[Path, float | None]:
    """The corpus folder, generated unless a complete one with the same size and seed is there."""
    folder = OUT / f"corpus-{articles}-s{seed}"
    stamp = folder / ".bench-corpus.json"
    generator = (BENCH / "generate_corpus.py").stat().st_mtime_ns
    wanted = {"articles": articles, "seed": seed, "generator_mtime": generator}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return folder, None
    mark = time.perf_counter()
    generate(articles, folder, seed)
    seconds = time.perf_counter() - mark
    stamp.write_text(json.dumps(wanted))  # a dot-file: the build ignores it
    return folder, seconds


def busy_cpu_seconds() -> float:
    """CPU time all processes on the machine have used since boot (from /proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def source_state(project: Path) -> dict:
    """Which code was measured: the commit, and whether site_builder/ or build.py had local changes.

    A tree made with `git archive COMMIT | tar -x` has no history: write the commit to its
    EXPORTED_FROM file and it is reported from there."""
    exported = project / "EXPORTED_FROM"
    if exported.exists():
        return {"project": str(project), "commit": exported.read_text().strip()[:12], "local_changes": False}
    def git(*args):
        done = subprocess.run(["git", "-C", str(project), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else None
    dirty = git("status", "--porcelain", "--", "site_builder", "build.py")
    return {"project": str(project), "commit": git("rev-parse", "--short", "HEAD"), "local_changes": bool(dirty) if dirty is not None else None}


def run_build(project: Path, content: Path, out: Path, cache: Path, site: bool, log: Path) -> dict:
    """One `python build.py` in a subprocess; returns wall seconds, peak RSS, CPU use and the manifest."""
    command = [sys.executable, str(project / "build.py"), "--content", str(content), "--out", str(out)]
    if not site:
        command.append("--no-site")
    if TIME.exists():
        command = [str(TIME), "-v", *command]
    else:
        command = [sys.executable, "-c", RUSAGE_WRAPPER, *command]
    env = {**os.environ, "HELP_CENTER_CACHE": str(cache)}
    busy, mark = busy_cpu_seconds(), time.perf_counter()
    with log.open("w") as output:
        done = subprocess.run(command, cwd=project, env=env, stdout=output, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - mark
    busy = busy_cpu_seconds() - busy
    with log.open("a") as output:
        output.write(done.stderr)
    if done.returncode != 0:
        sys.exit(f"build failed (exit {done.returncode}); see {log}\n{done.stderr[-3000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = [float(v) for v in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)]
    own = sum(cpu) if len(cpu) == 2 else None
    manifest = json.loads((out / "manifest.json").read_text())
    return {"wall_seconds": round(wall, 2), "peak_rss_mib": round(int(rss.group(1)) / 1024) if rss else None,
            "cpu_seconds": round(own, 1) if own is not None else None,
            # CPU time other processes took from the machine while this build ran: should be near 0
            "other_cpu_seconds": round(busy - own, 1) if own is not None else None,
            "manifest": manifest}


def folder_size(path: Path) -> tuple[int, int]:
    if path.is_file():
        return 1, path.stat().st_size
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), None)
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": memory, "python": platform.python_version()}


def row(name: str, *values) -> str:
    return f"  {name:<34}" + "".join(f"{v!s:>20}" for v in values)


def report(args, content: Path, generated: float | None, first: dict, second: dict | None, sizes: dict) -> dict:
    m = first["manifest"]
    s = m["seconds"]
    steps = ("chunk", "embed", "index", "site")
    other = round(s["total"] - sum(s[k] for k in steps), 2)
    result = {
        "articles": args.articles, "seed": args.seed, "site": not args.no_site, "machine": machine(),
        "corpus": str(content.relative_to(PROJECT) if content.is_relative_to(PROJECT) else content),
        "corpus_generate_seconds": round(generated, 2) if generated is not None else None,
        "categories": m["categories"], "chunks": m["chunks"]["total"], "pages": m["site"]["pages"],
        "tokens_embedded": m["embedding"]["tokens_embedded"], "tokens_per_second": m["embedding"]["tokens_per_second"],
        "chunks_per_second": round(m["chunks"]["embedded"] / s["embed"], 1) if s["embed"] else None,
        "code": source_state(args.project),
        "full": {"wall_seconds": first["wall_seconds"], "peak_rss_mib": first["peak_rss_mib"],
                 "cpu_seconds": first["cpu_seconds"], "other_cpu_seconds": first["other_cpu_seconds"],
                 "seconds": {**s, "load_and_other": other}},
        "output": sizes,
    }
    if second:
        s2 = second["manifest"]["seconds"]
        result["rebuild"] = {"wall_seconds": second["wall_seconds"], "peak_rss_mib": second["peak_rss_mib"],
                             "cpu_seconds": second["cpu_seconds"], "other_cpu_seconds": second["other_cpu_seconds"],
                             "embedded": second["manifest"]["chunks"]["embedded"],
                             "cached": second["manifest"]["chunks"]["cached"],
                             "seconds": {**s2, "load_and_other": round(s2["total"] - sum(s2[k] for k in steps), 2)}}

    print()
    print(f"Build benchmark: {args.articles} articles, seed {args.seed}, site {'on' if not args.no_site else 'off (--no-site)'}")
    mach = result["machine"]
    print(f"  machine: {mach['cpus']} CPUs ({mach['cpu']}), {mach['memory_gib']} GiB, Python {mach['python']}")
    code = result["code"]
    print(f"  code: {code['project']} at {code['commit']}{' WITH LOCAL CHANGES to site_builder/ or build.py' if code['local_changes'] else ''}")
    print(f"  corpus: {result['corpus']} ({'generated in %.1f s' % generated if generated is not None else 'reused'}); "
          f"{m['articles']['indexed']} articles, {m['categories']} categories, {m['chunks']['total']} chunks "
          f"({m['chunks']['total'] / max(1, m['articles']['indexed']):.2f} per article)")
    print()
    print(row("", "full build", "no-change rebuild" if second else ""))
    print(row("-" * 34, "-" * 18, "-" * 18 if second else ""))
    for key in (*steps, "load_and_other", "total"):
        label = {"load_and_other": "load+validate+other (s)", "total": "total, from manifest (s)"}.get(key, f"{key} (s)")
        print(row(label, result["full"]["seconds"][key], result["rebuild"]["seconds"][key] if second else ""))
    print(row("wall, whole process (s)", first["wall_seconds"], second["wall_seconds"] if second else ""))
    print(row("peak RSS (MiB)", first["peak_rss_mib"], second["peak_rss_mib"] if second else ""))
    print(row("CPU time of the build (s)", first["cpu_seconds"], second["cpu_seconds"] if second else ""))
    print(row("CPU time of OTHER processes (s)", first["other_cpu_seconds"], second["other_cpu_seconds"] if second else ""))
    print(row("chunks embedded / from cache", f"{m['chunks']['embedded']}/{m['chunks']['cached']}",
              f"{result['rebuild']['embedded']}/{result['rebuild']['cached']}" if second else ""))
    print()
    print(row("tokens embedded", result["tokens_embedded"]))
    print(row("embedding tokens/s", result["tokens_per_second"]))
    print(row("embedding chunks/s", result["chunks_per_second"]))
    print(row("site pages (articles)", result["pages"]))
    for name, (files, size) in sizes.items():
        print(row(f"output {name}", f"{files} files", f"{size / 2**20:.1f} MiB"))
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Time a full build and a no-change rebuild of a generated corpus.")
    p.add_argument("--articles", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-site", action="store_true", help="build only the indexes (passes --no-site to build.py)")
    p.add_argument("--no-rebuild", action="store_true", help="skip the no-change rebuild")
    p.add_argument("--keep", action="store_true", help="keep the build output and cache in bench/out/run-N")
    p.add_argument("--project", type=Path, default=PROJECT,
                   help="project tree whose build.py to run, e.g. a `git worktree` of a commit (default: this one)")
    args = p.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    content, generated = corpus(args.articles, args.seed)
    run = OUT / f"run-{args.articles}{'-no-site' if args.no_site else ''}"
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    out, cache = run / "build", run / "cache"
    print(f"full build of {content} with an empty cache ...", flush=True)
    args.project = args.project.resolve()
    first = run_build(args.project, content, out, cache, not args.no_site, run / "build-full.log")
    chunks = first["manifest"]["chunks"]
    assert chunks["cached"] == 0 and chunks["embedded"] == chunks["total"], f"fresh cache but {chunks}"
    sizes = {name: folder_size(out / sub) for name, sub in
             (("site/", "site"), ("index.duckdb", "index.duckdb"), ("vectors/", "vectors")) if (out / sub).exists()}
    sizes["embedding cache"] = folder_size(cache)
    second = None
    if not args.no_rebuild:
        print("no-change rebuild with the filled cache ...", flush=True)
        second = run_build(args.project, content, out, cache, not args.no_site, run / "build-rebuild.log")
    result = report(args, content, generated, first, second, sizes)
    target = OUT / f"build-{args.articles}{'-no-site' if args.no_site else ''}.json"
    target.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nfigures written to {target.relative_to(PROJECT)}")
    if second:
        again = second["manifest"]["chunks"]
        if again["embedded"] != 0 or again["cached"] != chunks["total"]:
            print(f"FAILED: the rebuild with nothing changed embedded {again['embedded']} chunks "
                  f"({again['cached']} from cache); outputs kept in {run.relative_to(PROJECT)}", file=sys.stderr)
            return 1
    if not args.keep:
        shutil.rmtree(run, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
