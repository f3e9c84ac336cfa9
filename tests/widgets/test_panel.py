"""The help button and panel on the demo host page (/demo/), in real headless Chromium against the real server.

One keyboard-only reader: Tab to the help button, Enter, search "wrok ordr", open a result with the arrow keys,
rate it, go back, ask the assistant, watch the answer stream, stop the next one, Escape. Then the same tab
reloaded (the conversation is still there and continues), a citation opening its section, a restricted article
through a token provider that is asked again after a 401, a help center that cannot be reached, and the panel
at 320 px, at 200% zoom and on a desktop; and the sanitiser, Markdown renderer, snippet reader and event-stream
parser, from source, on hostile or awkward input. tests/browser/widget_panel.mjs drives the browser."""

from __future__ import annotations

import re

import httpx
import pytest

from api.tokens import sign
from tests.api.conftest import SECRET
from tests.conftest import PROJECT
from tests.site_builder.test_site_in_browser import node

WIDGET_SOURCES = PROJECT / "widgets" / "src" / "widget"


@pytest.fixture(scope="module")
def report(widget_server, artifacts_dir) -> dict:
    expired = sign(SECRET, user="ada", tenant="acme", roles=["admin"], ttl=-60)
    admin = sign(SECRET, user="ada", tenant="acme", roles=["admin"], ttl=600)
    folder = artifacts_dir / "widgets"
    folder.mkdir(parents=True, exist_ok=True)
    return node("widget_panel.mjs", {"base": widget_server, "page": "/demo/", "tokens": [expired, admin],
                                     "screenshots": str(folder)})


def test_the_help_button_opens_a_labelled_modal_dialog_with_focus_inside(report):
    story = report["keyboard"]
    assert story["launcher"]["tag"] == "button" and story["launcher"]["visibleFocus"]
    assert story["dialog"] == {"role": "dialog", "modal": "true", "label": "Help"}
    assert story["openFocus"]["inPanel"] and "hcw-search__input" in story["openFocus"]["className"]
    assert story["inertWhileOpen"] and all(story["inertWhileOpen"])
    assert story["mainWhileOpen"] == story["mainBefore"]  # nothing on the host page moved


def test_a_typo_still_finds_work_orders_with_marked_snippets_and_a_polite_count(report):
    story = report["keyboard"]
    assert story["correction"] == "Showing results for \u201cwork order\u201d"
    assert re.fullmatch(r"\d+ results", story["announced"])
    assert len(story["results"]) == 10
    assert all("work order" in r["title"].lower() or r["marks"] for r in story["results"])
    assert any(m.lower().startswith("work") for r in story["results"] for m in r["marks"])


def test_words_the_help_has_nothing_close_to_get_the_nearest_articles_said_as_such(report):
    nearest = report["keyboard"]["nearest"]
    assert nearest["heading"] == "Nearest articles" and nearest["results"] >= 1
    assert nearest["message"] == "Nothing matches \u201cknitting patterns\u201d closely. Try other words, or ask the assistant."


def test_a_result_opens_in_the_panel_is_recorded_and_can_be_rated(report):
    story = report["keyboard"]
    first = story["results"][0]["title"]
    assert story["firstResultFocus"]["text"].startswith(first)
    assert story["click"]["rank"] == 1 and story["click"]["article_id"]
    assert story["articleFocus"] == {**story["articleFocus"], "tag": "h3", "text": first, "inPanel": True}
    assert story["vote"]["helpful"] is True and story["vote"]["votes"]["helpful"] >= 1
    assert story["voteMessage"] == "Thanks for your feedback."
    assert story["afterBack"]["view"] == "Search" and story["afterBack"]["focus"]["text"].startswith(first)
    assert {"type": "article_view", "article_id": story["click"]["article_id"],
            "session_id": story["chatRequest"]["session_id"]} in story["events"]


def test_the_assistant_streams_a_cited_answer_and_announces_it_once(report):
    story = report["keyboard"]
    assert story["chatView"] == "Ask the assistant"
    assert story["chatRequest"]["question"] == "How do I assign a work order to a technician?"
    assert story["chatRequest"]["current_url"] == "/work-orders/new"
    assert len(story["answerLengths"]) >= 3, "the answer should appear piece by piece"
    assert story["answerLengths"] == sorted(story["answerLengths"])
    assert story["citations"] and all(c.startswith("Source ") for c in story["citations"])
    assert story["sources"]
    answers = [t for t in story["live"] if t.startswith("Answer:")]
    assert len(answers) == 1 and answers[0] == f"Answer: {story['answer']}"  # the finished answer, once


def test_stop_ends_an_answer_mid_stream(report):
    story = report["keyboard"]
    assert story["stopButton"]["text"] == "Stop"
    stopped = story["stopped"]
    assert 0 < stopped["lengthAtStop"] == stopped["lengthLater"]
    assert not stopped["feedbackOffered"]
    assert "Answer stopped." in story["live"]
    assert [turn.get("stopped", False) for turn in story["chatStore"]["turns"]] == [False, True]


def test_focus_stays_in_the_panel_and_escape_returns_it_to_the_button(report):
    story = report["keyboard"]
    assert all(story["trapped"])
    assert story["closeFocus"]["text"] == "Help" and story["closeFocus"]["tag"] == "button"
    assert not any(story["inertAfterClose"])
    assert story["errors"] == []


def test_the_conversation_survives_a_reload_and_goes_on(report):
    story = report["reload"]
    assert story["view"] == "Ask the assistant"
    assert story["questions"] == ["How do I assign a work order to a technician?",
                                  "How do I create a work order from a template?"]
    assert story["answerKept"]
    assert story["focus"]["inPanel"] and story["focus"]["tag"] == "textarea"
    assert story["followUp"]["conversation_id"] == story["conversationBefore"]


def test_a_citation_opens_the_cited_section_and_links_between_articles_stay_in_the_panel(report):
    cited = report["citation"]
    assert cited["id"].startswith("hcw-a-") and re.fullmatch(r"h[4-6]", cited["tag"])
    assert cited["inSight"]
    assert cited["linked"] != cited["title"] and cited["newTabs"] == 0
    assert cited["back"] == cited["title"]


def test_a_token_provider_is_asked_again_after_a_401_and_opens_a_restricted_article(report, widget_server):
    assert httpx.get(f"{widget_server}/api/v1/articles/audit-log").status_code == 404  # anonymous: not there
    token = report["token"]
    assert (token["providerCalls"], token["title"]) == (2, "Audit log")


def test_a_restricted_article_is_read_in_the_panel_never_sent_to_a_tab_without_the_token(report):
    token = report["token"]
    assert not token["openLink"]  # no "Open in the help center": that tab would only ask to sign in
    assert token["result"] == {"tag": "button", "href": None}
    assert token["ctrlClicked"] == {"title": "Audit log", "pages": 1}
    sources = [c for c in token["cited"] if c["text"] == "Audit log"]
    assert sources and all(c == {"tag": "button", "href": None, "text": "Audit log"} for c in sources), token["cited"]
    assert any(c["tag"] == "button" and c["text"].startswith("[") for c in token["cited"]), "a citation marker of it"


def test_an_expired_token_in_the_page_falls_back_to_what_anonymous_readers_see(report):
    """The product put a token in data-token and it expired: search still finds the public articles."""
    found = report["expired"]
    assert found["results"] and any("work order" in title.lower() for title in found["results"])
    assert not found["error"] and found["errors"] == []
    assert set(found["statuses"]) == {200}  # the refused token is dropped at once, not sent with every search


def test_without_a_support_address_a_declined_answer_still_offers_contact_support_to_the_host(report):
    found = report["support"]
    assert found["tag"] == "button" and found["text"] == "Contact support"
    assert len(found["heard"]) == 1 and found["heard"][0]["url"] is None
    assert found["heard"][0]["question"] == "What is the best banana bread recipe?"
    assert found["event"]["answer_id"] == found["heard"][0]["answerId"]
    assert found["pages"] == 1  # nothing opened


def test_an_unreachable_help_center_gets_polite_messages_never_an_exception(report):
    found = report["unreachable"]
    assert found["search"] == "Search is not available right now. Please try again in a moment."
    assert found["chat"] == "The answer could not be completed. Please try again."
    assert found["vote"] == {"message": "Your feedback could not be sent. Please try again in a moment.",
                             "pressed": ["false", "false"]}  # a vote not recorded does not look recorded
    assert found["errors"] == []


@pytest.mark.parametrize("index, full_window", [(0, True), (1, True), (2, False)], ids=["320px", "200%-zoom", "desktop"])
def test_the_panel_fits_narrow_and_zoomed_windows(report, index, full_window):
    size = report["sizes"][index]
    panel = size["panel"]
    assert size["scrollWidth"] <= size["width"]
    assert size["launcher"]["width"] >= 44 and size["launcher"]["height"] >= 44
    if full_window:
        assert (panel["x"], panel["y"], panel["width"], panel["height"]) == (0, 0, size["width"], size["height"])
    else:
        assert panel["x"] > 0 and panel["width"] <= 440 and panel["bottom"] <= size["height"]
    assert 0 <= size["input"]["x"] and size["input"]["right"] <= size["width"]


def test_an_articles_html_is_rebuilt_from_an_allow_list(report):
    """Raw HTML an author wrote (handlers, scripts, styles, frames, forms, javascript: links) never runs or shows."""
    rebuilt = report["units"]["rebuilt"]
    assert rebuilt["tags"] == ["a", "b", "div", "h4", "img", "p", "table", "tbody", "td", "tr"]
    assert rebuilt["attributes"] == ["alt", "class", "colspan", "href", "id", "loading", "rel"]
    assert rebuilt["links"] == [None, "#hcw-a-codes", "https://help.example.com/boilers/"]
    assert rebuilt["heading"] == "hcw-a-codes" and rebuilt["admonition"]
    assert rebuilt["img"] == {"alt": "gauge", "src": None}  # only http(s) pictures load
    assert report["units"]["pwned"] is None


def test_addresses_from_the_api_become_links_only_when_http_or_on_the_help_host(report):
    """Results, citations, related articles and help texts: a javascript: or data: URL gets no href at all."""
    assert report["units"]["hrefs"] == ["https://help.example.com/boilers/#codes", "https://example.com/a", None, None,
                                        "https://evil.example/"]


def test_answers_render_a_safe_markdown_subset(report):
    markdown = report["units"]["markdown"]
    assert markdown["blocks"] == ["p", "ul", "ol", "p", "pre"]
    assert markdown["text"] == 'Use <img src=x onerror="window.__pwned=1"> and Save [2] then <b>code</b> [1].'
    assert markdown["strong"] == ["Save [2]", "two", "Heading"]
    assert markdown["code"] == ["<b>code</b>", "<script>window.__pwned=2</script>"]
    assert markdown["cites"] == 2 and markdown["items"] == ["item one", "item two", "first", "second"]
    assert markdown["elements"] == ["a", "code", "li", "ol", "p", "pre", "strong", "ul"]


def test_snippets_become_text_and_marks(report):
    assert report["units"]["snippet"] == {"text": "a <b> work & order's \u2192", "marks": ["work", "order's"], "elements": 2}


def test_the_event_stream_is_read_across_any_chunk_boundary(report):
    assert report["units"]["events"] == [["delta", {"text": "caf\u00e9 \u201cok\u201d"}], ["done", {"answered": True}]]


def test_no_widget_source_writes_html_from_strings():
    pattern = re.compile(r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write")
    offenders = [f"{path.name}:{n}" for path in sorted(WIDGET_SOURCES.glob("*.js"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)]
    assert offenders == []


def test_escape_in_the_search_box_clears_it_first_and_closes_the_panel_next(report):
    assert report["escape"] == {"value": "", "openAfterFirst": True, "openAfterSecond": False}
