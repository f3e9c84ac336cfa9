"""A reader asking about a topic gets the page about it, not the long page that brushes every topic once.

Docs of a small web framework, written as a team's plain docs tree: one page each about sessions, static files and
websockets, and release notes whose many short entries each name one of those topics. One release-notes entry
can match a question as closely as the page's own passage does; the page ranks first because search also weighs
each page as a whole (the mean of its passages' keyword scores, and the similarity to its mean vector).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from api.index import load_index
from api.search import Fusion, Searcher
from api.semantic import QueryEmbedder, page_vectors
from api.tokens import ANONYMOUS
from site_builder.pipeline import build
from tests.conftest import config_for, write

TOPICS = {
    "sessions": ("Sessions", """
        SessionMiddleware keeps a signed session cookie for each visitor, so a request can read and change
        `request.session` like a dictionary.

        ## Cookie settings

        The session cookie expires after `max_age` seconds, two weeks unless set. `same_site` and `https_only`
        decide when the browser sends it back. The cookie's name is `session` unless `session_cookie` names
        another, and its path is the root of the site unless `path` gives one.

        ## Clearing a session

        Call `request.session.clear()` at sign-out: the cookie is emptied on the next response.
        """),
    "static-files": ("Static files", """
        StaticFiles serves a folder of files, such as images, stylesheets and scripts, under a path.

        ## Caching

        Every file is sent with ETag and Last-Modified headers, so browsers cache static files and ask again
        only when a file changed. A file that did not change is answered with 304 Not Modified and no body,
        which saves the bandwidth of large images.

        ## Single-page apps

        With `html=True` a folder's index.html is served for the folder's address.
        """),
    "websockets": ("WebSockets", """
        A WebSocket endpoint accepts the connection, then sends and receives messages until one side closes it.

        ## Closing the connection

        Call `websocket.close(code)` to close the connection; a client that leaves raises WebSocketDisconnect
        on the next receive. Messages already sent before the close are delivered, and the close code tells the
        client why, 1000 meaning a normal end.
        """),
}

RELEASE_ENTRIES = [
    "The session cookie expires again after max_age: when does the session cookie expire was wrong in 1.2.",
    "Static files are cached by the browser again: ETag headers of static files are quoted.",
    "Close a websocket connection with a code: websocket.close(code) passes it to WebSocketDisconnect.",
    "Routing: path parameters accept a float converter.",
    "Requests: `request.form()` reads at most 1,000 fields.",
    "Responses: FileResponse sends Content-Length for ranges.",
    "Templates: the request is passed to every template.",
    "Test client: follows redirects by default.",
]


def framework_docs(root):
    for name, (title, body) in TOPICS.items():
        write(root, f"{name}.md", f"# {title}\n\n{body}")
    notes = ["# Release notes", ""]
    for version in range(24):
        notes += [f"## 1.{version}.0", "", f"- {RELEASE_ENTRIES[version % len(RELEASE_ENTRIES)]}",
                  f"- {RELEASE_ENTRIES[(version + 3) % len(RELEASE_ENTRIES)]}", ""]
    write(root, "release-notes.md", "\n".join(notes))
    return root


@pytest.fixture(scope="module")
def framework(tmp_path_factory, embedder):
    base = tmp_path_factory.mktemp("framework")
    build(config_for(framework_docs(base / "docs"), base / "build", "--no-site"), log=lambda _: None)
    return load_index(base / "build", embedder.model_id), QueryEmbedder(embedder, cache_size=64)


def ranked(framework, q: str, mode: str, fusion: Fusion = Fusion()) -> list[str]:
    index, embed = framework
    return [h.article.path for h in Searcher(index, embed, fusion).rank(q, ANONYMOUS, mode).hits]


QUESTIONS = [
    ("when does the session cookie expire", "sessions.md"),
    ("are static files cached by the browser", "static-files.md"),
    ("how do I close a websocket connection", "websockets.md"),
]


@pytest.mark.parametrize("mode", ["keyword", "semantic", "hybrid"])
@pytest.mark.parametrize("q, page", QUESTIONS)
def test_the_page_about_a_topic_comes_before_the_release_notes(framework, q, page, mode):
    assert ranked(framework, q, mode)[0] == page


def test_by_best_passage_alone_the_release_notes_would_take_the_lead_somewhere(framework):
    """Without the whole-page evidence a release-notes entry outranks a topic page for some question and mode:
    the blend is what puts the topic pages first above."""
    passages_only = replace(Fusion(), page_keyword=0.0, page_semantic=0.0)
    firsts = [ranked(framework, q, mode, passages_only)[0] for q, _ in QUESTIONS for mode in ("keyword", "semantic", "hybrid")]
    assert "release-notes.md" in firsts


def test_a_page_vector_is_the_normalised_mean_of_its_own_passages_only():
    vectors = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]], dtype=np.float32)
    owners = np.array([2, 0, 2, 0])
    pages = page_vectors(vectors, owners, 4)
    assert np.allclose(pages[0], np.array([1, 2, 0]) / np.sqrt(5))
    assert np.allclose(pages[2], np.array([1, 0, 1]) / np.sqrt(2))
    assert not pages[1].any() and not pages[3].any()  # articles without passages
    assert np.allclose(page_vectors(vectors[:2], np.array([1, 1]), 2)[1], np.array([1, 1, 0]) / np.sqrt(2))


def test_a_restricted_page_changes_nothing_in_the_page_vectors_of_others(framework):
    index, _ = framework
    others = np.flatnonzero(index.chunk_article != 0)
    alone = page_vectors(index.vectors[others], index.chunk_article[others], len(index.articles))
    assert np.allclose(alone[1:], index.page_vectors[1:])
