"""When nothing in the help center matches a search well, the response says so (`weak`) instead of passing the
nearest articles off as answers; a search it answers is not weak, even when misspelt."""

from __future__ import annotations

import pytest

from tests.api.conftest import in_process


@pytest.fixture(scope="module")
def demo(demo_build, embedder, tmp_path_factory):
    with in_process(demo_build[0], tmp_path_factory.mktemp("var"), embedder) as client:
        yield client


def search(client, q: str, **params) -> dict:
    response = client.get("/api/v1/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("q", [
    "how do I bake a cake",
    "banana bread recipe",
    "Who won the 2018 FIFA World Cup?",
    "python list comprehension",
    "Can you recommend a good true crime podcast?",
])
def test_a_question_the_help_center_knows_nothing_about_is_weak(demo, q):
    assert search(demo, q)["weak"] is True


@pytest.mark.parametrize("q", [
    "How do I create a work order?",
    "E2001",
    "my phone does not show the job I was given",
    "wrok ordr templat",  # matched once its words are corrected
    "PPM",
])
def test_a_search_the_help_center_answers_is_not_weak(demo, q):
    body = search(demo, q)
    assert body["results"] and body["weak"] is False


def test_nothing_found_is_weak(client):
    body = search(client, "qwxzv plorft")
    assert body["total"] == 0 and body["weak"] is True


def test_a_pinned_answer_is_not_weak(client):
    """ "help me" says little, but the authors pinned its answer."""
    body = search(client, "  Help   ME ")
    assert body["results"][0]["pinned"] is True and body["weak"] is False


def test_keyword_search_alone_can_tell_too(demo):
    """Without the semantic side, the best result's share of the query's words decides."""
    assert search(demo, "how do I bake a cake", mode="keyword")["weak"] is True
    assert search(demo, "assign a work order to a technician", mode="keyword")["weak"] is False
