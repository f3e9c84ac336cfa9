"""The help widget's size and speed: the bundle gzipped, keystroke to results, Enter to the first streamed word,
and the demo page's first paint with and without the widget, in real headless Chromium on loopback.

    .venv/bin/python bench/widget_bench.py [--build DIR] [--rounds 20]

Without --build, builds the demo help center (site included) once into bench/out/widget-build. Starts
`python -m api` on it (extractive assistant: no model key), then runs bench/widget_bench.mjs. Targets
(issue 10): bundle <= 35 KB gzipped (JS and CSS, driver.js included), keystroke to results <= 100 ms,
first word <= 150 ms after Enter, first paint unaffected, no layout shift.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest_bench import describe_code, describe_machine, percentile, start_server  # noqa: E402

DEFAULT_BUILD = ROOT / "bench" / "out" / "widget-build"
CHROMIUM = os.environ.get("HELP_CENTER_TEST_CHROMIUM", "/usr/bin/chromium")
BUDGET_KB = 35


def ensure_site_build(build: Path | None) -> Path:
    if build is not None:
        return build
    print(f"building the demo help center into {DEFAULT_BUILD} ...", flush=True)
    subprocess.run([sys.executable, "build.py", "--content", "content", "--out", str(DEFAULT_BUILD)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return DEFAULT_BUILD


def bundle_sizes(build: Path) -> dict[str, tuple[int, int]]:
    """Each shipped file of the widget: (bytes, bytes gzipped at level 9)."""
    folder = build / "site" / "widgets"
    return {p.name: (len(p.read_bytes()), len(gzip.compress(p.read_bytes(), 9)))
            for p in sorted(folder.glob("help-widget.*")) if p.suffix in (".js", ".css")}


def summary(name: str, values: list[float], target: str = "") -> str:
    values = [v for v in values if v is not None]
    return (f"{name:<34} p50 {statistics.median(values):7.1f}   p90 {percentile(values, 90):7.1f}   "
            f"max {max(values):7.1f}   n={len(values)}{'   target ' + target if target else ''}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, help="a build folder with its site (default: the demo, built once)")
    parser.add_argument("--rounds", type=int, default=20, help="measurements of each kind")
    args = parser.parse_args()
    build = ensure_site_build(args.build)
    print(f"machine: {describe_machine()}; {describe_code()}; Chromium {CHROMIUM}")
    sizes = bundle_sizes(build)
    for name, (raw, packed) in sizes.items():
        print(f"{name:<34} {raw / 1024:7.1f} KB   gzipped {packed / 1024:6.1f} KB")
    total = sum(p for _, p in sizes.values()) / 1024
    print(f"{'bundle total (JS + CSS)':<34} gzipped {total:6.1f} KB   target <= {BUDGET_KB} KB: {'met' if total <= BUDGET_KB else 'MISSED'}")
    data = Path(tempfile.mkdtemp(prefix="widget-bench-"))
    server = start_server(build, data, None)
    try:
        done = subprocess.run(["node", str(ROOT / "bench" / "widget_bench.mjs"),
                               json.dumps({"chromium": CHROMIUM, "base": server.url, "rounds": args.rounds})],
                              cwd=ROOT, capture_output=True, text=True, timeout=900)
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return 1
    found = json.loads(done.stdout)
    print(summary("keystroke to results (ms)", found["keystroke_ms"], "<= 100"))
    print(summary("Enter to first word (ms)", found["first_word_ms"], "<= 150"))
    print(summary("demo first paint, widget (ms)", found["fcp_with_ms"]))
    print(summary("demo first paint, no widget (ms)", found["fcp_without_ms"]))
    print(f"{'layout shift with the widget':<34} max {max(found['layout_shift']):.4f}   target 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
