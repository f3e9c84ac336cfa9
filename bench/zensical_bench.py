"""Build the same generated site pages with Zensical instead of mkdocs, for comparison.

    python -m venv /tmp/zvenv && /tmp/zvenv/bin/pip install zensical     # not a project dependency
    python bench/zensical_bench.py --articles 1000 --zensical /tmp/zvenv/bin/zensical

Writes the Markdown pages and nav exactly as the build's site step does (site_builder.site.Site),
plus an mkdocs.yml that is the project's with docs_dir, site_dir and that nav added, into
bench/out/zensical-N. Then times `zensical build` four times: cold (no .cache), again with
nothing changed, after appending a sentence to one article, and after changing one article's
title in its front matter. Prints wall time, peak RSS and the HTML size.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
CODE = Path(sys.argv[sys.argv.index("--project") + 1]).resolve() if "--project" in sys.argv[:-1] else PROJECT
sys.path.insert(0, str(CODE))
sys.path.insert(0, str(BENCH))

import yaml  # noqa: E402

from build_bench import OUT, corpus, folder_size  # noqa: E402
from site_builder import site as site_module  # noqa: E402
from site_builder.content import load  # noqa: E402


def prepare(articles: int, seed: int, folder: Path) -> Path:
    content_dir, _ = corpus(articles, seed)
    content = load(content_dir)
    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    shutil.copytree(site_module.THEME_ASSETS, docs / "assets", dirs_exist_ok=True)
    nav = site_module.Site(content, content.articles).write(docs)
    text = (CODE / "mkdocs.yml").read_text(encoding="utf-8")
    text += "\ndocs_dir: docs\nsite_dir: site\n" + yaml.safe_dump({"nav": nav}, sort_keys=False, allow_unicode=True)
    (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    return docs


def zensical_build(zensical: str, folder: Path) -> dict:
    command = ["/usr/bin/time", "-v", zensical, "build", "-f", "mkdocs.yml"]
    mark = time.perf_counter()
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    wall = time.perf_counter() - mark
    if done.returncode != 0:
        sys.exit(f"zensical build failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    cpu = sum(float(v) for v in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr))
    return {"wall_seconds": round(wall, 2), "cpu_seconds": round(cpu, 1), "peak_rss_mib": round(int(rss.group(1)) / 1024) if rss else None}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Time Zensical on the site step's generated pages.")
    p.add_argument("--articles", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--zensical", default="zensical", help="the zensical executable (default: on PATH)")
    p.add_argument("--project", type=Path, default=PROJECT, help="tree whose site_builder and mkdocs.yml to use")
    args = p.parse_args(argv)
    version = subprocess.run([args.zensical, "--version"], capture_output=True, text=True).stdout.strip()
    folder = OUT / f"zensical-{args.articles}"
    mark = time.perf_counter()
    docs = prepare(args.articles, args.seed, folder)
    print(f"zensical {version}; pages and nav for {args.articles} articles written in {time.perf_counter() - mark:.1f} s to {folder}")
    results = {"zensical": version, "articles": args.articles}
    results["cold"] = zensical_build(args.zensical, folder)
    files, size = folder_size(folder / "site")
    results["site_files"], results["site_mib"] = files, round(size / 2**20, 1)
    results["no_change"] = zensical_build(args.zensical, folder)
    page = sorted(p for p in docs.rglob("*.md") if p.name != "index.md")[0]
    with page.open("a", encoding="utf-8") as f:
        f.write("\nOne more sentence, appended by the benchmark.\n")
    results["one_body_edited"] = zensical_build(args.zensical, folder)
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r'^title: "(.*)"$', r'title: "\1 (renamed)"', text, count=1, flags=re.M), encoding="utf-8")
    results["one_title_changed"] = zensical_build(args.zensical, folder)

    print(f"  site: {files} files, {results['site_mib']} MiB")
    for key in ("cold", "no_change", "one_body_edited", "one_title_changed"):
        r = results[key]
        print(f"  {key:<20}{r['wall_seconds']:>8.1f} s wall{r['cpu_seconds']:>8.1f} s CPU{r['peak_rss_mib']:>7} MiB peak RSS")
    target = OUT / f"zensical-{args.articles}.json"
    target.write_text(json.dumps(results, indent=2) + "\n")
    print(f"figures written to {target.relative_to(PROJECT)}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
