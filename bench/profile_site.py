"""Time and profile the site step (mkdocs-material) of the build on a generated corpus.

    python bench/profile_site.py --articles 1000                 # time it, then profile it with cProfile
    python bench/profile_site.py --articles 2000 --no-profile    # time it only
    python bench/profile_site.py --articles 1000 --prune         # same, with the navigation.prune feature

Runs exactly what the build's site step runs (site_builder.site.build_site) on an already
validated corpus, so no embedding is needed. Prints the wall time of the two halves (writing the
generated Markdown pages; mkdocs build), the HTML size per page, and with profiling the top
functions, the time per area (templates, Markdown, search index...) and the cumulative time of
the mkdocs steps that matter. --prune and --mkdocs FILE use another mkdocs.yml through the same
code path (the project's mkdocs.yml is not changed).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
# --project DIR: measure the site_builder of another tree (e.g. an export of a commit); read before importing it.
CODE = Path(sys.argv[sys.argv.index("--project") + 1]).resolve() if "--project" in sys.argv[:-1] else PROJECT
sys.path.insert(0, str(CODE))
sys.path.insert(0, str(BENCH))

import yaml  # noqa: E402

from build_bench import OUT, corpus  # noqa: E402
from site_builder import mkdocs_errors  # noqa: E402
from site_builder import site as site_module  # noqa: E402
from site_builder.content import load  # noqa: E402

AREAS = [  # first match wins: (area, substring of the code's file name)
    ("nav templates (nav.html, nav-item.html)", "partials/nav"),
    ("other theme templates", "/templates/"),
    ("jinja2 runtime", "/jinja2/"),
    ("search plugin (material)", "material/plugins/search"),
    ("markdown + pymdownx", "/markdown/"),
    ("markdown + pymdownx", "/pymdownx/"),
    ("pygments", "/pygments/"),
    ("material (other)", "/material/"),
    ("mkdocs", "/mkdocs/"),
    ("site_builder (page generation)", "site_builder/"),
    ("markupsafe", "markupsafe"),
    ("html.parser (stdlib)", "html/parser.py"),
    ("regular expressions (stdlib re)", "/re/"),
    ("regular expressions (stdlib re)", "_sre"),
    ("file and folder I/O", "shutil.py"),
    ("file and folder I/O", "posixpath.py"),
    ("file and folder I/O", "os.py"),
]

KEY_FUNCTIONS = [  # (label, file substring, function name): cumulative seconds
    ("mkdocs build, whole", "mkdocs/commands/build.py", "build"),
    ("  _populate_page: Markdown -> HTML, all pages", "mkdocs/commands/build.py", "_populate_page"),
    ("  _build_page: template render + write, all pages", "mkdocs/commands/build.py", "_build_page"),
    ("    get_context", "mkdocs/commands/build.py", "get_context"),
    ("    search on_page_context (index entries)", "material/plugins/search/plugin.py", "on_page_context"),
    ("    jinja Template.render", "jinja2/environment.py", "render"),
    ("  search on_post_build (write search_index.json)", "material/plugins/search/plugin.py", "on_post_build"),
    ("  get_navigation", "mkdocs/structure/nav.py", "get_navigation"),
    ("  get_files", "mkdocs/structure/files.py", "get_files"),
    ("  theme static files copy", "mkdocs/commands/build.py", "_build_theme_template"),
]


def timed_build(content, mkdocs_config: Path, site_dir: Path, work: Path) -> dict:
    """build_site as the pipeline calls it, timing Site.write and mkdocs build separately."""
    times: dict[str, float] = {}
    original_write, original_mkdocs = site_module.Site.write, mkdocs_errors.mkdocs_build

    def write(self, docs):
        mark = time.perf_counter()
        try:
            return original_write(self, docs)
        finally:
            times["write_markdown"] = time.perf_counter() - mark

    def mkdocs_build(config):
        mark = time.perf_counter()
        try:
            return original_mkdocs(config)
        finally:
            times["mkdocs_build"] = time.perf_counter() - mark

    site_module.Site.write, mkdocs_errors.mkdocs_build = write, mkdocs_build
    try:
        mark = time.perf_counter()
        pages = site_module.build_site(content, content.articles, mkdocs_config, site_dir, work)
        times["site_step"] = time.perf_counter() - mark
    finally:
        site_module.Site.write, mkdocs_errors.mkdocs_build = original_write, original_mkdocs
    times["pages"] = pages
    return times


def html_sizes(site_dir: Path) -> dict:
    pages = [p for p in site_dir.rglob("index.html")]
    total = sum(p.stat().st_size for p in pages)
    sample = max(pages, key=lambda p: len(p.parts))  # a deep article page
    text = sample.read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', text, re.S)
    search = site_dir / "search" / "search_index.json"
    return {"html_pages": len(pages), "html_mib": round(total / 2**20, 1), "mean_page_kib": round(total / len(pages) / 1024, 1),
            "sample_page": str(sample.relative_to(site_dir)), "sample_page_kib": round(len(text.encode()) / 1024, 1),
            "sample_nav_share": round(len(nav.group(0)) / len(text), 3) if nav else None,
            "search_index_mib": round(search.stat().st_size / 2**20, 1) if search.exists() else None}


def areas(stats: pstats.Stats) -> list[tuple[str, float]]:
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, name), (_, _, tottime, _, _) in stats.stats.items():
        area = next((a for a, part in AREAS if part in filename or part in name), "other (builtins, stdlib)")
        totals[area] += tottime
    return sorted(totals.items(), key=lambda kv: -kv[1])


def cumulative(stats: pstats.Stats, file_part: str, function: str) -> tuple[float, int] | None:
    found = [(ct, nc) for (filename, _, name), (_, nc, _, ct, _) in stats.stats.items()
             if file_part in filename and name == function]
    return (max(ct for ct, _ in found), sum(nc for _, nc in found)) if found else None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Time and profile the site step on a generated corpus.")
    p.add_argument("--articles", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--project", type=Path, default=PROJECT, help="tree whose site_builder to measure (default: this one)")
    p.add_argument("--mkdocs", type=Path, default=CODE / "mkdocs.yml", help="mkdocs.yml to use (default: the one of the measured tree)")
    p.add_argument("--prune", action="store_true", help="add the navigation.prune theme feature to that mkdocs.yml")
    p.add_argument("--no-profile", action="store_true", help="only time the site step")
    p.add_argument("--top", type=int, default=25)
    args = p.parse_args(argv)

    content_dir, _ = corpus(args.articles, args.seed)
    mark = time.perf_counter()
    content = load(content_dir)
    print(f"corpus {content_dir}: {len(content.articles)} articles, {len(content.categories)} categories "
          f"(loaded and validated in {time.perf_counter() - mark:.1f} s)")
    mkdocs_config = args.mkdocs.resolve()
    label = mkdocs_config.name
    scratch = Path(tempfile.mkdtemp(prefix="site-bench-", dir=OUT))
    try:
        if args.prune:
            # Same file, one more feature; kept beside the original so !!python/name tags still resolve.
            text = mkdocs_config.read_text(encoding="utf-8")
            text, n = re.subn(r"(\n  features:\n)", r"\1    - navigation.prune\n", text, count=1)
            assert n == 1, "no theme features list found in the mkdocs.yml"
            mkdocs_config = scratch / "mkdocs-prune.yml"
            mkdocs_config.write_text(text, encoding="utf-8")
            label += " + navigation.prune"
        print(f"code: {Path(site_module.__file__).parent}; mkdocs config: {mkdocs_config if not args.prune else label}")

        times = timed_build(content, mkdocs_config, scratch / "site", scratch / "work")
        sizes = html_sizes(scratch / "site")
        print(f"\nsite step, no profiler: {times['site_step']:.1f} s for {times['pages']} article pages "
              f"(write Markdown {times['write_markdown']:.1f} s, mkdocs build {times['mkdocs_build']:.1f} s)")
        print(f"  {sizes['html_pages']} HTML pages, {sizes['html_mib']} MiB, mean {sizes['mean_page_kib']} KiB per page; "
              f"search_index.json {sizes['search_index_mib']} MiB")
        print(f"  sample {sizes['sample_page']}: {sizes['sample_page_kib']} KiB, primary nav = {sizes['sample_nav_share']:.0%} of it"
              if sizes["sample_nav_share"] is not None else f"  sample {sizes['sample_page']}: {sizes['sample_page_kib']} KiB")
        result = {"articles": args.articles, "mkdocs": label, **times, **sizes}

        if not args.no_profile:
            shutil.rmtree(scratch / "site", ignore_errors=True)
            shutil.rmtree(scratch / "work", ignore_errors=True)
            profiler = cProfile.Profile()
            profiler.enable()
            profiled = timed_build(content, mkdocs_config, scratch / "site", scratch / "work")
            profiler.disable()
            stats = pstats.Stats(profiler)
            total = profiled["site_step"]
            print(f"\nsite step under cProfile: {total:.1f} s (profiler overhead inflates Python-heavy code)")
            print("\nwhere the time goes, by area (own time of the functions in it):")
            for area, seconds in areas(stats):
                if seconds >= 0.005 * total:
                    print(f"  {area:<44}{seconds:>9.1f} s {seconds / total:>6.1%}")
            print("\nsteps (cumulative, including what they call):")
            steps = {}
            for name, file_part, function in KEY_FUNCTIONS:
                found = cumulative(stats, file_part, function)
                if found:
                    steps[name.strip()] = round(found[0], 2)
                    print(f"  {name:<52}{found[0]:>9.1f} s {found[0] / total:>6.1%}  ({found[1]} calls)")
            buffer = io.StringIO()
            pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(args.top)
            print(f"\ntop {args.top} functions by own time:")
            print("\n".join(line for line in buffer.getvalue().splitlines()[6:] if line.strip()))
            result["profiled"] = {"site_step": round(total, 1), "areas": {a: round(s, 2) for a, s in areas(stats)}, "steps": steps}
            stats.dump_stats(str(OUT / f"site-{args.articles}{'-prune' if args.prune else ''}.prof"))
        target = OUT / f"site-{args.articles}{'-prune' if args.prune else ''}.json"
        target.write_text(json.dumps(result, indent=2, default=str) + "\n")
        print(f"\nfigures written to {target.relative_to(PROJECT)}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
