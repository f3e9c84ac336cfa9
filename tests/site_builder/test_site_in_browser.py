"""A reader in a real browser: the demo site meets WCAG 2.2 AA (axe-core) and works with the keyboard alone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.api.conftest import Server
from tests.conftest import PROJECT

CHROMIUM = Path(os.environ.get("HELP_CENTER_TEST_CHROMIUM", "/usr/bin/chromium"))
SCRIPTS = PROJECT / "tests" / "browser"
PAGES = [
    "/",                                             # home: search form and category cards
    "/work-orders/",                                 # a category with subcategories
    "/work-orders/managing/",                        # a subcategory
    "/work-orders/work-order-faq/",                  # an article with a table and many links
    "/troubleshooting/errors/error-e1042-sync-conflict/",  # an error-message article
    "/ppm/scheduling/recurrence-rules/",             # admonitions and lists
    "/getting-started/glossary/",                    # a definition list
    "/no-such-page/",                                # the 404 page
    {"path": "/", "search": "sync conflict"},        # the search dialog showing results
]


def node(script: str, plan: dict) -> dict:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does) or set HELP_CENTER_TEST_CHROMIUM")
    if not (PROJECT / "node_modules" / "playwright-core").exists():
        pytest.fail("node_modules is missing: run `make setup` (it runs `npm ci`)")
    done = subprocess.run([shutil.which("node") or "node", str(SCRIPTS / script), json.dumps({"chromium": str(CHROMIUM), **plan})],
                          cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def site(demo_build, tmp_path_factory):
    out, _ = demo_build
    server = Server(out, {**os.environ, "HELP_CENTER_DATA": str(tmp_path_factory.mktemp("var"))})
    yield server.url
    server.stop()


def test_every_kind_of_page_passes_axe_wcag_22_aa(site):
    checked = node("axe_pages.mjs", {"base": site, "pages": PAGES})
    assert len(checked) == len(PAGES)
    assert {page: r["status"] for page, r in checked.items() if r["status"] != 200} == {"/no-such-page/": 404}
    assert {page: r["violations"] for page, r in checked.items() if r["violations"]} == {}


def test_a_keyboard_user_skips_to_content_and_searches_from_the_home_page(site):
    walk = node("keyboard.mjs", {"base": site, "start": "/", "steps": [
        {"tab_until": "Skip to content", "max": 1},
        {"tab_until": "Describe what you need"},
        {"type": "sync conflict"},
        {"press": "Enter", "navigates": True},
        {"wait_for": ".md-search-result__item"},
    ]})
    assert walk["failed"] is None, walk
    assert walk["url"].endswith("/?q=sync+conflict")
    assert [f for f in walk["focused"] if not f["visible_focus"]] == []


def test_a_keyboard_user_opens_a_category_then_an_article(site):
    walk = node("keyboard.mjs", {"base": site, "start": "/", "steps": [
        {"tab_until": "Describe what you need"},
        {"tab_until": "Patrols and checkpoints"},
        {"press": "Enter", "navigates": True},
        {"wait_for": "h1"},
        {"tab_until": "Scan a checkpoint", "max": 120},
        {"press": "Enter", "navigates": True},
        {"wait_for": ".hc-breadcrumbs"},
    ]})
    assert walk["failed"] is None, walk
    assert walk["url"].endswith("/patrols/scan-a-checkpoint/")
    assert [f for f in walk["focused"] if not f["visible_focus"]] == []
