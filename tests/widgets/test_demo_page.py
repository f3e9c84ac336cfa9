"""The demo host pages (/demo/) with the help widgets in place, in real headless Chromium on the real server,
and a host product on another origin that serves a strict Content-Security-Policy: what cuts across every widget
(WCAG 2.2 AA with axe, target sizes, focus not obscured, zoom, forced colours, print, layout shift, the policy)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest

from tests.conftest import PROJECT
from tests.site_builder.test_site_in_browser import node

DEMO = PROJECT / "widgets" / "demo"
PAGES = [
    {"path": "/demo/", "name": "work-orders", "file": "index.html", "context": "/work-orders/new", "query": "priority",
     "tooltip": "#wo-priority", "tour": "work-order-creation"},
    {"path": "/demo/ppm/", "name": "ppm", "file": "ppm/index.html", "context": "/ppm/calendar", "query": "recurrence",
     "tooltip": "#ppm-lead", "tour": "ppm-scheduling"},
    {"path": "/demo/patrols/", "name": "patrols", "file": "patrols/index.html", "context": "/checkpoints", "query": "checkpoint",
     "tooltip": '[data-help-id="patrol-tag-print"]', "tour": "checkpoint-scanning"},
]


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes, and whether any element carries inline script or style."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if any(name.startswith("on") for name in attributes) or (tag == "script" and "src" not in attributes):
            self.inline_script = True

    def all(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]


def parse(spec: dict) -> Tags:
    tags = Tags()
    tags.feed((DEMO / spec["file"]).read_text(encoding="utf-8"))
    return tags


@pytest.fixture(scope="module")
def report(widget_server, host_origin, artifacts_dir) -> dict:
    found = node("widget_demo.mjs", {"base": widget_server, "host": host_origin, "artifacts": str(artifacts_dir / "widgets"),
                                     "pages": PAGES})
    print("\nscreenshots:\n  " + "\n  ".join(found["screenshots"]))
    return found


def by_page(report: dict, pick) -> dict:
    """{page path: what `pick` takes from its report}, leaving out pages where it is empty."""
    found = {path: pick(page) for path, page in report["pages"].items()}
    return {path: value for path, value in found.items() if value}


@pytest.mark.parametrize("spec", PAGES, ids=[p["name"] for p in PAGES])
def test_a_demo_page_is_a_plain_host_page_with_one_script_tag(spec):
    tags = parse(spec)
    scripts = tags.all("script")
    assert len(scripts) == 1 and "defer" in scripts[0], "the widget's tag, deferred, is the page's only script"
    assert scripts[0]["src"].endswith("widgets/help-widget.js") and not scripts[0]["src"].startswith(("http", "/"))
    assert scripts[0]["data-context"] == spec["context"]
    assert scripts[0]["data-support-url"] == "mailto:support@example.com"
    assert not tags.inline_script and not tags.all("style") and not [a for _, a in tags.tags if "style" in a]
    urls = [a.get("href") or a.get("src") or "" for _, a in tags.tags]
    assert [u for u in urls if re.match(r"(https?:)?//", u)] == [], "nothing from another host"
    assert {a.get("id") for a in tags.all("a")} >= {"demo-nav-work-orders", "demo-nav-ppm", "demo-nav-patrols"}
    assert any(a.get("href", "").endswith(f"?tour={spec['tour']}") for a in tags.all("a"))
    assert [a for a in tags.all("a") if a.get("aria-current") == "page"], "the side nav says where the reader is"


@pytest.mark.parametrize("spec", PAGES, ids=[p["name"] for p in PAGES])
def test_every_help_id_and_card_of_a_demo_page_has_a_help_text(spec, widget_server):
    tags = parse(spec)
    ids = {a["data-help-id"] for _, a in tags.tags if "data-help-id" in a} | {a["data-help-card"] for _, a in tags.tags if "data-help-card" in a}
    assert len(ids) >= 5
    found = httpx.get(f"{widget_server}/api/v1/help", params={"ids": ",".join(sorted(ids))}, timeout=30)
    assert found.status_code == 200, found.text
    assert found.json()["missing"] == []


def test_the_demo_pages_pass_axe_with_the_panel_closed_and_open_at_320_and_1280_px(report):
    def violations(page):
        states = {}
        for width in ("1280", "320"):
            found = page[width]
            if "error" in found:
                states[width] = found["error"]
                continue
            states.update({f"{width} closed": found["closed"], f"{width} panel on results": found["open"],
                           f"{width} panel on an article": found["article"].get("violations", found["article"].get("error"))})
        return {state: v for state, v in states.items() if v}
    assert by_page(report, violations) == {}


def test_the_demo_pages_pass_axe_with_a_tooltip_and_a_tour_step_shown(report):
    def violations(page):
        states = {"tooltip": page.get("tooltip", page), "tour step": page.get("tour", page)}
        return {state: found.get("violations", found.get("error")) for state, found in states.items()
                if found.get("violations", found.get("error"))}
    assert by_page(report, violations) == {}


def test_the_panel_passes_axe_in_dark_mode(report):
    assert by_page(report, lambda page: page["dark"].get("violations", page["dark"].get("error"))) == {}


def test_wider_text_spacing_cuts_off_no_text_of_the_widgets(report):
    def clipped(page):
        found = page["text_spacing"]
        return found if "error" in found else {state: f for state, f in found.items() if f}
    assert by_page(report, clipped) == {}


def test_the_demo_pages_fit_320_px_without_scrolling_sideways(report):
    assert by_page(report, lambda page: page["320"].get("overflow", page["320"].get("error"))) == {}


def test_screenshots_at_320_768_and_1280_px_are_saved_as_artifacts(report, artifacts_dir):
    names = {path.rsplit("/", 1)[-1] for path in report["screenshots"]}
    for spec in PAGES:
        assert {f"{spec['name']}-{width}-closed.png" for width in (320, 768, 1280)} <= names
    assert all((artifacts_dir / "widgets" / name).stat().st_size > 1000 for name in names)


def test_the_widget_works_on_a_strict_csp_host_page_of_another_origin(report, widget_server, host_origin):
    host = report["host"]
    assert "error" not in host, host
    assert host["position"] == "fixed" and host["sheet"], "the widget's stylesheet is applied"
    assert host["results"] >= 1, "a search finds articles"
    assert host["card"].strip(), "the card shows its help text"
    assert host["csp_violations"] == [] and host["errors"] == []
    assert set(host["origins"]) <= {widget_server, host_origin}


def test_the_api_refuses_cross_origin_calls_from_an_origin_not_listed(widget_server, host_origin):
    listed = httpx.get(f"{widget_server}/api/v1/help", params={"ids": "wo-new-form"}, headers={"Origin": host_origin})
    assert listed.headers.get("access-control-allow-origin") == host_origin
    stranger = "http://127.0.0.1:9"
    refused = httpx.get(f"{widget_server}/api/v1/help", params={"ids": "wo-new-form"}, headers={"Origin": stranger})
    assert "access-control-allow-origin" not in refused.headers
    preflight = httpx.options(f"{widget_server}/api/v1/chat", headers={
        "Origin": stranger, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, authorization"})
    assert preflight.headers.get("access-control-allow-origin") in (None, ""), preflight.headers


def test_loading_the_widgets_shifts_nothing_on_the_page(report):
    alone = {path: {w: page["layout_shift"][w].get("page_alone", {}).get("total") for w in ("1280", "320")}
             for path, page in report["pages"].items()}
    assert all(total == 0 for widths in alone.values() for total in widths.values()), f"the demo page alone shifts: {alone}"

    def shifts(page):
        found = {width: page["layout_shift"][width] for width in ("1280", "320")}
        return {width: s.get("shifts", s.get("error")) for width, s in found.items() if s.get("total", 1) > 0}
    assert by_page(report, shifts) == {}


def test_print_hides_the_widgets_and_keeps_the_page(report):
    assert by_page(report, lambda page: page["print"].get("drawn", page["print"].get("error"))) == {}
    assert all(page["print"].get("main_drawn") for page in report["pages"].values())


def test_at_200_percent_zoom_the_panel_fits_the_window_and_finds(report):
    def problems(page):
        zoom = page["zoom"]
        if "error" in zoom:
            return zoom["error"]
        wanted = {"panel_in_view": True, "close_in_view": True, "input_in_view": True, "result_in_view": True}
        found = {k: v for k, v in zoom.items() if k in wanted and v != wanted[k]}
        found.update({k: zoom[k] for k in ("panel_overflow_x", "page_overflow_x") if zoom[k] > 1})
        return found
    assert by_page(report, problems) == {}


def test_forced_colors_keep_the_button_and_the_focus_visible(report):
    def problems(page):
        found = page["forced_colors"]
        if "error" in found:
            return found["error"]
        wanted = {"button": found["button"]["border"] or found["button"]["outline"],
                  "focused button": found["button_focused"]["outline"], "focus in the panel": found["panel_focus"]["outline"],
                  "panel edge": found["panel_border"]["border"] or found["panel_border"]["outline"]}
        return [name for name, ok in wanted.items() if not ok]
    assert by_page(report, problems) == {}


def test_every_target_of_the_widgets_is_at_least_24_by_24_px(report):
    def small(page):
        states = {f"{w} {state}": found for w in ("1280", "320") for state, found in page[w].get("targets", {}).items()}
        states.update({f"{w} article": page[w].get("article", {}).get("targets") for w in ("1280", "320")})
        states.update({name: page.get(name, {}).get("targets") for name in ("tooltip", "tour")})
        return {state: found for state, found in states.items() if found}
    assert by_page(report, small) == {}


def test_the_focus_is_never_hidden_under_the_widgets(report):
    def hidden(page):
        found = {}
        for width, walk in page["focus"].items():
            if "error" in walk:
                found[width] = walk["error"]
                continue
            found[f"{width} panel closed"] = [f for f in walk["closed"] if not f["seen"]]
            found[f"{width} panel open"] = [f for f in walk["open"] if not f["seen"] or not f["in_panel"]]
        return {state: f for state, f in found.items() if f}
    assert by_page(report, hidden) == {}
    assert all(len(page["focus"]["1280"].get("open", [])) >= 25 for page in report["pages"].values())


def test_no_script_error_and_nothing_from_another_host(report):
    assert by_page(report, lambda page: page["errors"]) == {}
    assert by_page(report, lambda page: page["other_hosts"]) == {}
