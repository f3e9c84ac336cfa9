"""Tooltips, inline cards and guided tours in real headless Chromium, on the real server over the demo content.

The build adds two tours and a host page made for these tests (a step whose element comes late, one whose element
never comes, a show-once tour, tooltips at the window's edges); the demo's own three tours run as shipped.
What the widgets report is read back from the server's analytics export.
"""

from __future__ import annotations

import csv
import os
import shutil
import time
from pathlib import Path

import httpx
import pytest

from site_builder.pipeline import build
from tests.api.conftest import SECRET, Server, token
from tests.conftest import PROJECT, config_for, write
from tests.site_builder.test_site_in_browser import node

TEST_TOURS = {
    "tours/guides-late-and-missing.yml": """
        id: guides-late-and-missing
        title: A step that comes late and one that never comes
        pages: [/demo/guides-test/]
        steps:
          - {selector: "#first", title: First, text: The first step.}
          - {selector: "#late", title: Late, text: This element appears after the tour asks for it.}
          - {selector: "#never", title: Never, text: This element never appears.}
          - {selector: "#last", title: Last, text: The last step.}
        """,
    "tours/guides-once.yml": """
        id: guides-once
        title: Shown once
        pages: [/demo/guides-test/once/]
        show_once: true
        steps:
          - {selector: h1, title: Welcome, text: Shown by itself once per reader.}
        """,
}
GUIDES_PAGE = """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Guides test page</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="{root}guides.css">
    <script src="/widgets/help-widget.js" defer></script>
    </head>
    <body>
    <main>
      <h1>Guides test page</h1>
      <button id="first" type="button">First</button>
      <p id="last">Last</p>
      <button id="corner" class="corner" type="button" data-help-id="wo-new-button">Corner</button>
      <button id="corner-right" class="right-edge" type="button" data-help-id="wo-priority-field">Right edge</button>
    </main>
    </body>
    </html>
    """
GUIDES_CSS = """
    .corner { position: fixed; right: 0; bottom: 0; }
    .right-edge { position: fixed; right: 0; top: 40%; }
    """
DEMO_TOURS = [
    {"id": "work-order-creation", "start": "/demo/?tour=work-order-creation", "steps": 5, "restart": True},
    {"id": "ppm-scheduling", "start": "/demo/?tour=ppm-scheduling", "steps": 6},
    {"id": "checkpoint-scanning", "start": "/demo/patrols/?tour=checkpoint-scanning", "steps": 5},
]


@pytest.fixture(scope="module")
def guides_build(demo_build, tmp_path_factory) -> Path:
    """The demo content plus the test tours, built (reusing the demo build's embeddings), plus the test pages."""
    base = tmp_path_factory.mktemp("guides")
    content = base / "content"
    shutil.copytree(PROJECT / "content", content)
    for rel, text in TEST_TOURS.items():
        write(content, rel, text)
    out = base / "build"
    build(config_for(content, out, cache=demo_build[0].parent / "cache"), log=lambda _: None)
    pages = out / "site" / "demo" / "guides-test"
    write(pages, "index.html", GUIDES_PAGE.replace("{root}", ""))
    write(pages, "once/index.html", GUIDES_PAGE.replace("{root}", "../").replace("Guides test page", "Once"))
    write(pages, "guides.css", GUIDES_CSS)
    return out


@pytest.fixture(scope="module")
def served(guides_build, tmp_path_factory) -> str:
    env = {**os.environ, "HELP_CENTER_SECRET": SECRET, "HELP_CENTER_DATA": str(tmp_path_factory.mktemp("guides-var"))}
    env.pop("HELP_CENTER_DB", None)
    server = Server(guides_build, env)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def report(served) -> dict:
    return node("widget_guides.mjs", {"base": served, "tours": DEMO_TOURS})


def operator() -> dict:
    """An operator's token made when it is used: one made at import would expire in a long test run."""
    return token(["admin"], tenant="", user="ops")


def events(base: str, wanted: set[str]) -> list[dict]:
    """The events the server stored, from its analytics export, once every type in `wanted` is there
    (the widget sends them in batches, and the server writes them through a queue)."""
    deadline = time.monotonic() + 20
    while True:
        done = httpx.post(f"{base}/api/v1/analytics/export", json={"format": "csv"}, headers=operator(), timeout=30)
        assert done.status_code == 201, done.text
        with open(Path(done.json()["path"]) / "events.csv", encoding="utf-8", newline="") as rows:
            found = list(csv.DictReader(rows))
        if wanted <= {row["type"] for row in found} or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def test_the_page_never_throws_while_guides_run(report):
    assert report["errors"] == []


def test_a_tooltip_shows_on_hover_stays_while_hovered_and_escape_hides_it_without_moving_focus(report):
    hover = report["hover"]
    assert "error" not in hover, hover
    assert hover["text"].startswith("Work order priorities and SLA targets") and "Learn more" in hover["text"]
    assert "P1 to P4 priority levels" in hover["described_by"], "the field is described by its help text"
    assert "P3: respond within 1 working day" in hover["described_by"], "the page's own description is kept"
    assert hover["stays_while_hovered"] and hover["escape_hides"] and hover["escape_keeps_focus"]


def test_a_keyboard_user_gets_the_tooltip_on_focus_reaches_learn_more_then_the_next_field(report):
    walk = report["keyboard"]
    assert "error" not in walk, walk
    assert walk["on_priority"]["focus"]["id"] == "wo-priority" and "Work order priorities" in walk["on_priority"]["text"]
    assert walk["on_link"]["focus"]["text"] == "Learn more" and walk["on_link"]["tip_visible"]
    assert walk["on_assignee"]["focus"]["id"] == "wo-assignee" and "Assign a work order" in walk["on_assignee"]["text"]
    assert walk["on_assignee"]["after_escape"]["id"] == "wo-assignee"


def test_a_form_that_cannot_take_focus_gets_a_labelled_help_button_whose_learn_more_opens_the_article(report):
    found = report["help_button"]
    assert "error" not in found, found
    assert found["label"] == "Help: Create a work order"
    assert found["box"]["width"] >= 24 and found["box"]["height"] >= 24
    assert "Log a new repair job" in found["text"] and "Log a new repair job" in found["described_by"]
    assert found["link_focused"] == "Learn more"
    assert found["panel_article"] == "Create a work order"


@pytest.mark.parametrize("width", ["edge", "edge_320"])
def test_a_tooltip_at_the_windows_edge_stays_inside_it(report, width):
    found = report[width]
    assert "error" not in found, found
    assert found["bottom_right"]["inside"] and found["bottom_right"]["side"] == "top", found["bottom_right"]
    assert found["right_edge"]["inside"], found["right_edge"]


def test_a_dismissed_card_stays_dismissed_after_a_reload_and_leaves_no_gap(report):
    card = report["card"]
    assert "error" not in card, card
    assert card["role"] == "note" and card["label"] == "Work order priorities and SLA targets"
    assert "Read more" in card["text"] and card["read_more"].endswith("/work-orders/creating/work-order-priorities-and-sla/")
    assert card["dismiss_name"] == "Dismiss: Work order priorities and SLA targets"
    assert card["dismiss_box"]["width"] >= 24 and card["dismiss_box"]["height"] >= 24
    assert card["focus_after"]["tag"] != "body", "focus moves on from the removed card"
    assert card["stored"], "the dismissal is remembered"
    assert card["after_reload"] == {"cards": 0, "height": 0}


@pytest.mark.parametrize("tour", DEMO_TOURS, ids=[t["id"] for t in DEMO_TOURS])
def test_each_demo_tour_runs_to_the_end_with_the_keyboard(report, tour):
    run = report["tours"][tour["id"]]
    assert "error" not in run, run
    total = tour["steps"]
    expected = [f"Step {n} of {total}" for n in range(1, total + 1)]
    if tour.get("restart"):
        expected += expected
    assert [s["progress"] for s in run["steps"]] == expected
    for step in run["steps"]:
        assert step["title"] and step["role"] == "dialog" and step["modal"] == "true"
        assert step["focus_inside"], f"focus is in the step's dialog at {step['progress']}"
        assert step["page_inert"], f"the page behind is inert at {step['progress']}"
        assert step["reduced_motion"], "no animation for a reader who asked for less motion"
    assert run["after"]["popover"] is False and run["after"]["inert_left"] == 0
    bus = run["after"]["bus"]
    assert bus[-1] == {"name": "tour:end", "id": tour["id"], "completed": True, "step": total - 1}
    assert [e["step"] for e in bus if e["name"] == "tour:step"][-total:] == list(range(total))


def test_the_ppm_tour_spans_two_pages_and_resumes_after_the_navigation(report):
    steps = report["tours"]["ppm-scheduling"]["steps"]
    assert [s["path"] for s in steps] == ["/demo/"] + ["/demo/ppm/"] * 5
    assert steps[0]["title"] == "Planned maintenance has its own screen"
    assert steps[2]["title"] == "Use the PPM calendar", "a help_id step without words takes its article's title"


def test_escape_closes_a_tour_started_from_the_api_and_gives_focus_back(report):
    found = report["dismiss_tour"]
    assert "error" not in found, found
    assert found["started"] is True and found["shown"]["progress"] == "Step 1 of 5"
    assert found["focus_after"]["id"] == "demo-nav-patrols"
    assert found["inert_left"] == 0


def test_a_tour_link_starts_its_tour_once_and_a_reload_after_dismissing_it_does_not_start_it_again(report):
    assert report["tours"]["work-order-creation"]["steps"][0]["search"] == "", "?tour= leaves the address"
    found = report["link_once"]
    assert "error" not in found, found
    assert found["first"]["progress"] == "Step 1 of 5" and found["first"]["search"] == ""
    assert found["address"] == "/demo/" and found["shown_again"] == 0


def test_opening_the_help_panel_during_a_tour_ends_it_and_the_panel_gets_the_keyboard(report):
    found = report["panel_during_tour"]
    assert "error" not in found, found
    assert found["focus_in_panel"] and found["typed"] == "patrol" and found["tab_stays"]
    assert found["page_inert"], "the page behind the panel stays inert"
    assert found["inert_left"] == 0
    assert found["bus"][-1] == {"name": "tour:end", "id": "checkpoint-scanning", "completed": False, "step": 0}


def test_a_step_whose_element_comes_late_waits_for_it_and_one_that_never_comes_is_skipped(report):
    found = report["late_and_missing"]
    assert "error" not in found, found
    assert found["first"]["title"] == "First"
    assert found["late"]["title"] == "Late" and found["late"]["progress"] == "Step 2 of 4"
    assert found["after_missing"]["title"] == "Last" and found["after_missing"]["progress"] == "Step 4 of 4"
    assert 1500 <= found["waited_ms"] <= 6000, "a missing element is waited for about two seconds, then skipped"
    assert found["ended"]


def test_a_show_once_tour_starts_by_itself_once_and_a_link_still_starts_it(report):
    found = report["show_once"]
    assert "error" not in found, found
    assert found["first"]["title"] == "Welcome"
    assert found["shown_again"] is False
    assert found["linked"]["title"] == "Welcome"


def test_what_readers_did_reaches_the_analytics(report, served):
    wanted = {"tooltip_viewed", "card_viewed", "card_dismissed", "tour_started", "tour_step", "tour_completed",
              "tour_dismissed"}
    stored = events(served, wanted)
    assert wanted <= {row["type"] for row in stored}
    subjects = {(row["type"], row["subject"]) for row in stored}
    assert {("tooltip_viewed", "wo-priority-field"), ("card_dismissed", "wo-sla-timer"),
            ("tour_completed", "work-order-creation"), ("tour_completed", "ppm-scheduling"),
            ("tour_completed", "checkpoint-scanning"), ("tour_dismissed", "checkpoint-scanning")} <= subjects
    assert len([r for r in stored if r["type"] == "tour_started" and r["subject"] == "ppm-scheduling"]) == 1, \
        "a tour resumed on its next page is the same tour, not a new start"
