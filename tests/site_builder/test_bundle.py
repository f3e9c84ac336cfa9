"""The site's scripts are bundled by a real esbuild run: minified, with readable source maps, self-contained."""

from __future__ import annotations

import functools
import json
import re

import pytest

import build as build_script
from site_builder import site
from site_builder.bundle import ENTRY_POINTS, NODE_MODULES_MISSING, Entry, bundle
from site_builder.problems import ContentError, Problem
from tests.conftest import PROJECT, write

WIDGETS = PROJECT / "widgets" / "src"
URL = re.compile(r"https?:|//[a-z0-9-]+\.[a-z]", re.IGNORECASE)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    if not (PROJECT / "node_modules" / ".bin" / "esbuild").exists():
        pytest.fail("node_modules is missing: run `npm ci` (make test does)")
    out = tmp_path_factory.mktemp("site")
    bundle(out)
    return out / "analytics"


def test_the_dashboard_is_bundled_minified_beside_its_page(bundled):
    assert {p.name for p in bundled.iterdir()} == {
        "index.html", "dashboard.js", "dashboard.js.map", "dashboard.css", "dashboard.css.map"}
    script = (bundled / "dashboard.js").read_text()
    assert len(script.splitlines()) <= 10, "minified"
    assert script.rstrip().endswith("//# sourceMappingURL=dashboard.js.map")
    assert len(script) < 120_000, "uPlot and the dashboard: about 70 kB"
    assert (bundled / "index.html").read_bytes() == (WIDGETS / "dashboard" / "index.html").read_bytes()


def test_the_licence_notice_of_what_is_bundled_is_shipped_with_it(bundled):
    assert "Copyright (c) 2025, Leon Sorokin" in (bundled / "dashboard.js").read_text()


@pytest.mark.parametrize("name", ["dashboard.js.map", "dashboard.css.map"])
def test_each_output_has_a_readable_source_map_named_by_project_paths(bundled, name):
    source_map = json.loads((bundled / name).read_text())
    sources = dict(zip(source_map["sources"], source_map["sourcesContent"]))
    first = "widgets/src/dashboard/dashboard.js" if name.endswith(".js.map") else "widgets/src/dashboard/dashboard.css"
    assert first in sources and "hc-dash" in sources[first]
    assert any(s.startswith("node_modules/uplot/dist/") for s in sources), "uPlot comes from npm, bundled"
    assert not any(s.startswith("..") or s.startswith("/") for s in sources), sources


def test_the_bundle_loads_nothing_from_another_host(bundled):
    for name in ("dashboard.js", "dashboard.css"):
        code = (bundled / name).read_text()
        assert URL.findall(code) == [], name
        assert "@import" not in code and "url(" not in code, name
    page = (bundled / "index.html").read_text()
    assert [ref for ref in re.findall(r'(?:src|href)="([^"]*)"', page) if URL.match(ref)] == []


def test_the_page_has_no_inline_script_or_style():
    page = (WIDGETS / "dashboard" / "index.html").read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page and not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page), "no inline event handlers"


@pytest.mark.parametrize("path", sorted(WIDGETS.rglob("*.js")), ids=lambda p: p.relative_to(WIDGETS).as_posix())
def test_the_widgets_never_parse_text_as_html(path):
    code = path.read_text()
    assert re.findall(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function", code) == []


def test_without_node_modules_the_build_reports_one_clear_problem(tmp_path):
    with pytest.raises(ContentError) as failed:
        bundle(tmp_path / "site", root=tmp_path)
    assert failed.value.problems == [Problem("node_modules", 1, NODE_MODULES_MISSING)]
    assert str(failed.value) == "node_modules:1: node_modules is missing: run `npm ci` (make build does)"


def test_an_error_in_a_widget_is_reported_at_its_file_and_line(tmp_path):
    (tmp_path / "node_modules").symlink_to(PROJECT / "node_modules")
    write(tmp_path, "widgets/src/broken.js", 'const a = 1;\n\nconst b = ;\n')
    with pytest.raises(ContentError) as failed:
        bundle(tmp_path / "site", entries=(Entry("widgets/src/broken.js", "widgets/broken"),), root=tmp_path)
    assert failed.value.problems == [Problem("widgets/src/broken.js", 3, 'esbuild: Unexpected ";"')]
    assert not (tmp_path / "site" / "widgets" / "broken.js").exists()


def test_a_build_without_node_modules_fails_with_the_problem_not_a_traceback(small_content, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(site, "bundle", functools.partial(bundle, root=tmp_path))
    out = tmp_path / "build"
    assert build_script.main(["--content", str(small_content), "--out", str(out)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"node_modules:1: {NODE_MODULES_MISSING}", f"build failed: 1 problem(s); nothing was written to {out}"]
    assert not out.exists()


def test_every_entry_point_exists():
    for entry in ENTRY_POINTS:
        assert (PROJECT / entry.source).is_file() and (entry.page is None or (PROJECT / entry.page).is_file())
