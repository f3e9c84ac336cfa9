"""The site's scripts: entry points under widgets/src bundled by esbuild (from node_modules) into the site.

Everything a page needs is in the bundle, so the site loads nothing from another host and works
under a Content-Security-Policy of `script-src 'self'`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .problems import ContentError, Problem
from .settings import PROJECT_ROOT


@dataclass(frozen=True)
class Entry:
    """One script: `source` (relative to the project) becomes `<out>.js`, plus `<out>.css` when it imports CSS,
    in the site; `page`, when given, is copied beside them as index.html; `extras` (files or folders, relative
    to the project) are copied beside them too."""

    source: str
    out: str
    page: str | None = None
    extras: tuple[str, ...] = ()


ENTRY_POINTS = (
    Entry("widgets/src/dashboard/dashboard.js", "analytics/dashboard", page="widgets/src/dashboard/index.html"),
    # The in-product widgets: one script tag on any page of a product.
    Entry("widgets/src/widget/index.js", "widgets/help-widget", extras=("widgets/src/widget/help-widget.d.ts",)),
    # The same widgets plus the help site's own search box, results page, votes and reader page, on every site page.
    Entry("widgets/src/widget/site-main.js", "widgets/help-site"),
)
# A host product's screens, with the widgets in place: served at /demo/ (a copy of the folder). The demo help
# center's only: a team's own site is not given the demo product's pages.
DEMO = ("widgets/demo", "demo")

TARGET = "es2019"
NODE_MODULES_MISSING = "node_modules is missing: run `npm ci` (make build does)"
NODE_MISSING = "node is missing: install Node.js 18 or later (.ci/run does)"
_ESBUILD_ERROR = re.compile(r"\[ERROR\] (?P<message>.+)\n\n\s+(?P<path>[^\s:]+):(?P<line>\d+):\d+:", re.MULTILINE)


def bundle(site_dir: Path, entries: tuple[Entry, ...] = ENTRY_POINTS, root: Path = PROJECT_ROOT, demo: bool = True) -> None:
    """Bundle `entries` into `site_dir`, minified, each file with its source map, with the demo product when `demo`;
    raises ContentError on failure."""
    command = _esbuild(root) + [
        "--bundle", "--minify", "--sourcemap", f"--target={TARGET}", "--format=iife", "--color=false",
        "--log-level=error", "--legal-comments=eof",  # licence notices (/*! ... */) stay in what is shipped
        f"--outdir={site_dir}",
        *(f"{e.out}={e.source}" for e in entries),
    ]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise ContentError(_problems(done.stderr, entries))
    for entry in entries:
        for built in site_dir.glob(f"{entry.out}.*.map"):
            _portable_map(built, root)
        if entry.page:
            shutil.copyfile(root / entry.page, site_dir / Path(entry.out).parent / "index.html")
        for extra in entry.extras:
            _copy(root / extra, site_dir / Path(entry.out).parent)
    if demo and (root / DEMO[0]).is_dir():
        shutil.copytree(root / DEMO[0], site_dir / DEMO[1], dirs_exist_ok=True)


def _copy(source: Path, folder: Path) -> None:
    if source.is_dir():
        shutil.copytree(source, folder / source.name, dirs_exist_ok=True)
    elif source.exists():
        shutil.copyfile(source, folder / source.name)


def _esbuild(root: Path) -> list[str]:
    # After `npm ci` this is esbuild's native binary, or a Node script that runs it when install scripts were skipped.
    command = root / "node_modules" / ".bin" / "esbuild"
    if not command.exists():
        raise ContentError([Problem("node_modules", 1, NODE_MODULES_MISSING)])
    if shutil.which("node") is None:
        raise ContentError([Problem("node", 1, NODE_MISSING)])
    return [str(command)]


def _problems(stderr: str, entries: tuple[Entry, ...]) -> list[Problem]:
    found = [Problem(m["path"], int(m["line"]), f"esbuild: {m['message']}") for m in _ESBUILD_ERROR.finditer(stderr)]
    return found or [Problem(entries[0].source, 1, f"esbuild failed: {stderr.strip() or 'no message'}")]


def _portable_map(path: Path, root: Path) -> None:
    """Name sources by their path in the project: esbuild writes them relative to the output folder, which
    would put the build machine's folders in a public file and make the map differ from build to build."""
    source_map = json.loads(path.read_text(encoding="utf-8"))
    source_map["sources"] = [Path(os.path.relpath(path.parent / s, root)).as_posix() for s in source_map["sources"]]
    path.write_text(json.dumps(source_map, separators=(",", ":")), encoding="utf-8")
