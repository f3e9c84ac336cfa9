"""A reader in a real browser: the demo site meets WCAG 2.2 AA (axe-core) in light and dark, works with the
keyboard alone, searches, votes and reads restricted articles through the API, and still searches as plain
static files when there is no API."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import SECRET, Server, free_port, token
from tests.conftest import PROJECT

CHROMIUM = Path(os.environ.get("HELP_CENTER_TEST_CHROMIUM", "/usr/bin/chromium"))
SCRIPTS = PROJECT / "tests" / "browser"
ARTICLE = "/patrols/scan-a-checkpoint/"
RESTRICTED = "/read/?id=audit-log"  # content/administration/security/audit-log.md: roles [admin]
ADMIN = token(["admin"], user="ada")["Authorization"].removeprefix("Bearer ")
READER = token(["reader"], user="bob")["Authorization"].removeprefix("Bearer ")
PAGES = [
    "/",                                             # home: search form and category cards
    "/work-orders/",                                 # a category with subcategories
    "/work-orders/managing/",                        # a subcategory
    "/work-orders/work-order-faq/",                  # an article with a table and many links
    "/troubleshooting/errors/error-e1042-sync-conflict/",  # an error-message article
    "/ppm/scheduling/recurrence-rules/",             # admonitions and lists
    "/getting-started/glossary/",                    # a definition list
    "/no-such-page/",                                # the 404 page
    {"path": "/", "search": "wrok ordr"},            # the header search showing the API's results
    "/search/?q=wrok+ordr",                          # the results page, with category filters
    {"path": ARTICLE, "vote": "No"},                 # the vote block after voting, with its comment field
    RESTRICTED,                                      # the reader page, asking an anonymous reader to sign in
    f"{RESTRICTED}#token={ADMIN}",                   # the reader page showing the article to an admin
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
    env = {**os.environ, "HELP_CENTER_DATA": str(tmp_path_factory.mktemp("var")), "HELP_CENTER_SECRET": SECRET}
    env.pop("HELP_CENTER_DB", None)
    server = Server(out, env)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def static_site(demo_build):
    """The built site served as plain files, with no API behind it."""
    out, _ = demo_build
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(out / "site")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def walk(base: str, start: str, steps: list, **plan) -> dict:
    report = node("keyboard.mjs", {"base": base, "start": start, "steps": steps, **plan})
    assert report["failed"] is None, report
    assert [f for f in report["focused"] if not f["visible_focus"]] == []
    return report


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_kind_of_page_passes_axe_wcag_22_aa_in_light_and_dark(site, scheme):
    checked = node("axe_pages.mjs", {"base": site, "pages": PAGES, "scheme": scheme})
    assert len(checked) == len(PAGES)
    assert {page: r["status"] for page, r in checked.items() if r["status"] != 200} == {"/no-such-page/": 404}
    assert {r["scheme"] for r in checked.values()} == {"slate" if scheme == "dark" else "default"}
    assert checked["/ (search: wrok ordr)"]["results"] == "api"
    assert {page: r["violations"] for page, r in checked.items() if r["violations"]} == {}
    assert {page: r["csp"] for page, r in checked.items() if r["csp"]} == {}, "the Content-Security-Policy refused something"


def test_the_sites_new_parts_pass_axe_at_320_px_wide(site):
    pages = ["/search/?q=wrok+ordr", {"path": "/ppm/", "search": "wrok ordr"}, {"path": ARTICLE, "vote": "Yes"},
             f"{RESTRICTED}#token={ADMIN}"]
    checked = node("axe_pages.mjs", {"base": site, "pages": pages, "width": 320})
    assert checked["/ppm/ (search: wrok ordr)"]["results"] == "api"
    assert {page: r["violations"] for page, r in checked.items() if r["violations"]} == {}


def test_a_keyboard_user_searches_with_typos_in_the_header_and_opens_a_result(site):
    report = walk(site, "/ppm/", [
        {"tab_until": "Search", "exact": True},
        {"type": "wrok ordr"},
        {"wait_for": ".hcw-site-hit"},
        {"read": ".hcw-site-search .md-search-result__meta", "as": "count"},
        {"press": "ArrowDown"},
        {"press": "ArrowDown"},
        {"press": "Enter", "navigates": True},
    ])
    first, second = report["focused"][-2:]
    assert "work order" in first["text"].lower() and "work order" in second["text"].lower()
    assert report["read"]["count"].endswith("results for “work order”")
    assert report["url"] == second["href"]


def test_enter_in_the_header_search_opens_the_shareable_results_page_and_more_results(site):
    report = walk(site, "/", [
        {"tab_until": "Search", "exact": True},
        {"type": "wrok ordr"},
        {"wait_for": ".hcw-site-hit"},
        {"press": "Enter", "navigates": True},
        {"wait_for": ".hcw-site-page__result"},
        {"read": "#hc-search-q", "as": "field"},
        {"read": ".hcw-site-page__status", "as": "status"},
        {"count": ".md-search__output >> visible=true", "as": "search overlays open"},
        {"tab_until": "Show more results", "max": 200},
        {"press": "Enter", "wait_for": ".hcw-site-page__result:nth-child(11)"},
        {"count": ".hcw-site-page__result", "as": "results"},
    ])
    assert report["url"].endswith("/search/?q=wrok+ordr")
    assert report["read"]["field"] == "wrok ordr" and report["read"]["search overlays open"] == 0
    assert report["read"]["status"].endswith("results for “work order”")
    assert report["read"]["results"] == 20
    assert report["focused"][-1]["href"]  # the first of the new results, not the button that went away


def test_a_link_to_materials_own_search_address_shows_the_apis_results(site):
    report = walk(site, "/?q=wrok+ordr", [
        {"wait_for": ".hcw-site-hit"},
        {"read": ".hcw-site-search .md-search-result__meta", "as": "count"},
    ])
    assert report["read"]["count"].endswith("results for “work order”")


def test_a_search_that_matches_nothing_well_says_so_on_the_results_page(site):
    report = walk(site, "/search/?q=knitting+patterns", [
        {"wait_for": ".hcw-site-page__result"},
        {"read": ".hcw-site-page__status", "as": "status"},
    ])
    assert report["read"]["status"] == "No close match for \u201cknitting patterns\u201d: the nearest articles"


def test_a_keyboard_user_searches_from_the_home_page_and_filters_by_category(site):
    report = walk(site, "/", [
        {"tab_until": "Skip to content", "max": 1},
        {"tab_until": "Search the help center"},
        {"type": "sync conflict"},
        {"press": "Enter", "navigates": True},
        {"wait_for": ".hcw-site-page__result"},
        {"tab_until": "Troubleshooting (", "max": 120},
        {"press": "Enter", "navigates": True},
        {"wait_for": ".hcw-site-page__result"},
        {"read": ".hcw-site-page__facets [aria-current]", "as": "filter"},
        {"read": ".hcw-site-result__crumbs", "as": "first category"},
    ])
    assert report["url"].endswith("/search/?q=sync+conflict&category=troubleshooting")
    assert report["read"]["filter"].startswith("Troubleshooting")
    assert report["read"]["first category"].startswith("Troubleshooting")


def test_a_keyboard_user_opens_a_category_then_an_article(site):
    report = walk(site, "/", [
        {"tab_until": "Search the help center"},
        {"tab_until": "Patrols and checkpoints"},
        {"press": "Enter", "navigates": True},
        {"wait_for": "h1"},
        {"tab_until": "Scan a checkpoint", "max": 120},
        {"press": "Enter", "navigates": True},
        {"wait_for": ".hc-breadcrumbs"},
    ])
    assert report["url"].endswith(ARTICLE)


def test_single_keys_set_off_no_shortcut_of_materials_wcag_2_1_4(site):
    """Pressed on a link, n and . (next page), p and , (previous), f, s and / (search) do nothing."""
    report = walk(site, "/work-orders/", [
        {"wait_for": ".hcw-launcher"},
        {"tab_until": "Creating", "max": 120},
        *({"press": key} for key in ("n", ".", "p", ",", "f", "s", "/")),
    ])
    assert report["url"].endswith("/work-orders/")
    assert {f["text"] for f in report["focused"][-7:]} == {report["focused"][-8]["text"]}, "the focus stayed on the link"


def test_a_keyboard_user_votes_comments_and_finds_the_vote_again(site):
    report = walk(site, "/patrols/create-a-patrol-route/", [
        {"tab_until": "No", "exact": True, "max": 200},
        {"press": "Enter"},
        {"wait_for": ".hcw-site-feedback textarea"},
        {"tab_until": "Tell us more"},
        {"type": "The photo step is missing."},
        {"tab_until": "Send comment"},
        {"press": "Enter", "wait_for": ".hcw-site-feedback [role=status]:has-text('comment')"},
        {"read": ".hcw-site-feedback [role=status]", "as": "thanks"},
        {"reload": True},
        {"wait_for": ".hcw-site-feedback"},
        {"read": ".hcw-site-feedback [aria-pressed=true]", "as": "remembered"},
    ])
    assert "comment" in report["read"]["thanks"].lower()
    assert report["read"]["remembered"] == "No"
    votes = httpx.get(f"{site}/api/v1/articles/create-a-patrol-route").json()["votes"]
    assert votes == {"helpful": 0, "not_helpful": 1}


def test_ask_about_this_article_opens_the_assistant_about_the_page(site):
    report = walk(site, ARTICLE, [
        {"tab_until": "Ask about this article", "max": 200},
        {"press": "Enter"},
        {"wait_for": "[role=dialog]"},
        {"read": "[role=dialog] .hcw-chat", "as": "chat"},
    ])
    assert "Scan a checkpoint" in report["read"]["chat"]
    assert report["focused"][-1]["tag"] == "textarea"


def test_the_palette_toggle_switches_to_dark_and_back_with_the_keyboard(site):
    report = walk(site, "/", [
        {"tab_until": "Switch to dark mode", "max": 5},
        {"press": "Enter"},
        {"read": "body", "attr": "data-md-color-scheme", "as": "after one"},
        {"reload": True},
        {"read": "body", "attr": "data-md-color-scheme", "as": "after reload"},
        {"tab_until": "Switch to light mode", "max": 5},
        {"press": "Enter"},
        {"read": "body", "attr": "data-md-color-scheme", "as": "after two"},
    ])
    assert report["read"] == {"after one": "slate", "after reload": "slate", "after two": "default"}


def test_on_a_dark_system_the_first_visit_is_dark_and_the_toggle_offers_light(site):
    report = walk(site, "/", [
        {"read": "body", "attr": "data-md-color-scheme", "as": "first"},
        {"tab_until": "Switch to light mode", "max": 4},
        {"press": "Enter"},
        {"read": "body", "attr": "data-md-color-scheme", "as": "switched"},
    ], scheme="dark")
    assert report["read"] == {"first": "slate", "switched": "default"}


def test_an_admin_reads_a_restricted_article_from_a_link_with_a_token_and_finds_it_in_search(site):
    report = walk(site, f"{RESTRICTED}#token={ADMIN}", [
        {"wait_for": ".hcw-site-read__body"},
        {"read": "h1"},
        {"read": ".hcw-site-read__body h2", "as": "first section"},
        {"tab_until": "Search", "exact": True},
        {"type": "audit log export"},
        {"wait_for": ".hcw-site-hit"},
        {"read": ".hcw-site-hit", "attr": "href", "as": "first result"},
    ])
    assert report["url"] == f"{site}{RESTRICTED}"  # the token left the address bar
    assert report["read"]["h1"] == "Audit log" and report["read"]["first section"] == "Open the audit log"
    assert report["read"]["first result"].startswith(f"{site}{RESTRICTED}#")


@pytest.mark.parametrize(("token", "heading"), [
    (None, "Sign in to read this article"),
    (READER, "Article not available"),
    ("not-a-token", "Please sign in again"),
])
def test_a_reader_who_may_not_read_a_restricted_article_is_told_why_politely(site, token, heading):
    report = walk(site, RESTRICTED + (f"#token={token}" if token else ""), [
        {"wait_for": ".hcw-site-read__ways"},
        {"read": "h1"},
        {"read": ".hc-read-status", "as": "why"},
    ])
    assert report["read"]["h1"] == heading and report["read"]["why"]


def test_a_refused_token_is_forgotten_and_the_reader_goes_on_searching_the_api_anonymously(site):
    report = walk(site, f"{RESTRICTED}#token=not-a-token", [
        {"wait_for": ".hcw-site-read__ways"},
        {"read": "h1"},
        {"tab_until": "Search", "exact": True},
        {"type": "wrok ordr"},
        {"wait_for": ".hcw-site-hit"},
        {"goto": ARTICLE},
        {"wait_for": ".hcw-site-feedback"},
    ])
    assert report["read"]["h1"] == "Please sign in again"


def test_a_token_in_a_link_to_any_page_but_the_reader_page_is_ignored(site):
    report = walk(site, f"/#token={ADMIN}", [
        {"tab_until": "Search", "exact": True},
        {"type": "audit log export"},
        {"wait_for": ".hcw-site-hit"},
        {"count": ".hcw-site-hit[href*='/read/']", "as": "restricted results"},
        {"goto": RESTRICTED},
        {"wait_for": ".hcw-site-read__ways"},
        {"read": "h1"},
    ])
    assert report["url"] == f"{site}{RESTRICTED}"
    assert report["read"] == {"restricted results": 0, "h1": "Sign in to read this article"}


@pytest.mark.parametrize("id", ["../../v1/health", "security/./audit-log", "audit-log%3F", "<b>"])
def test_a_reader_page_id_that_is_not_an_article_s_names_no_article(site, id):
    report = walk(site, f"/read/?id={id}", [{"wait_for": ".hcw-site-read__ways"}, {"read": "h1"}])
    assert report["read"]["h1"] == "No article named"


def test_a_reader_page_anchor_that_is_not_valid_percent_encoding_still_shows_the_vote(site):
    report = walk(site, f"{RESTRICTED}#token={ADMIN}", [
        {"wait_for": ".hcw-site-read__body"},
        {"goto": f"{RESTRICTED}#100%"},
        {"wait_for": ".hcw-site-feedback"},
        {"read": "h1"},
    ])
    assert report["read"]["h1"] == "Audit log"


def test_without_the_api_the_static_site_searches_with_lunr(static_site):
    report = walk(static_site, "/ppm/", [
        {"tab_until": "Search", "exact": True},
        {"type": "sync conflict"},
        {"wait_for": ".md-search-result__item"},
        {"count": ".hcw-site-hit", "as": "api results"},
        {"count": ".hcw-site-feedback", "as": "vote blocks"},
    ])
    assert report["read"] == {"api results": 0, "vote blocks": 0}


def test_without_the_api_the_home_page_form_falls_back_to_lunr(static_site):
    report = walk(static_site, "/", [
        {"tab_until": "Search the help center"},
        {"type": "sync conflict"},
        {"press": "Enter", "navigates": True},
        {"wait_for_url": "/?q=sync+conflict"},
        {"wait_for": ".md-search-result__item"},
        {"read": ".md-search__input", "as": "header box"},
    ])
    assert report["url"] == f"{static_site}/?q=sync+conflict"
    assert report["read"]["header box"] == "sync conflict"


def test_without_the_api_the_reader_page_says_the_article_cannot_be_shown_just_now(static_site):
    report = walk(static_site, RESTRICTED, [
        {"wait_for": ".hcw-site-read__ways"},
        {"read": "h1"},
    ])
    assert report["read"]["h1"] == "Article not available just now"
