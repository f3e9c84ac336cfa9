"""A reader's misspelt words are corrected, and only those: a word they spelt right stays as they typed it.

Searched in the demo help center (a facility-management product), whose articles never bake anything.
"""

from __future__ import annotations

import pytest

from api.english import english_words
from tests.api.conftest import in_process


@pytest.fixture(scope="module")
def demo(demo_build, embedder, tmp_path_factory):
    with in_process(demo_build[0], tmp_path_factory.mktemp("var"), embedder) as client:
        yield client


def corrections(client, q: str) -> dict:
    response = client.get("/api/v1/search", params={"q": q})
    assert response.status_code == 200, response.text
    return response.json()["corrections"]


def test_a_reader_asking_how_to_bake_a_cake_is_not_told_they_meant_make(demo):
    """Both words are one letter from "make", a word the help uses, but both are English."""
    assert corrections(demo, "how do I bake a cake") == {}


@pytest.mark.parametrize("q", ["baking cakes", "the bread I baked", "weather in Paris", "spare parts stock", "my twitter feed"])
def test_english_words_are_left_alone_in_any_inflection(demo, q):
    assert corrections(demo, q) == {}


@pytest.mark.parametrize("q, fixed", [
    ("wrok ordr priority", {"wrok": "work", "ordr": "order"}),
    ("prevantive maintanance schedual", {"prevantive": "prevent", "maintanance": "mainten", "schedual": "schedul"}),
    ("chekpoint tag wont scan", {"chekpoint": "checkpoint"}),
    ("forgot pasword", {"pasword": "password"}),
])
def test_real_typos_are_still_corrected(demo, q, fixed):
    assert corrections(demo, q) == fixed


def test_an_american_spelling_finds_the_help_s_british_one(demo):
    """Neither is misspelt, but the help writes "colour" and "licence": a reader writing "color" means them."""
    assert corrections(demo, "status color") == {"color": "colour"}
    assert corrections(demo, "colored badges on the licenses page") == {"colored": "colour", "licenses": "licenc"}


def test_codes_and_short_words_are_never_corrected(demo):
    """E2002 is one digit from E2001, "sla" a word of the help; codes and words under four letters stay as typed."""
    assert corrections(demo, "E2002 E2010 slq ppn") == {}


def test_words_in_capitals_are_names_meant_as_written(demo):
    """LOTO (lock-out tag-out) and RAMS (risk assessments) are one letter from the help's "logo" and "rais(e)":
    typed in capitals amid lower case they are names; typed in lower case they may be typos."""
    assert corrections(demo, "LOTO procedure and RAMS for contractors") == {}
    assert corrections(demo, "loto procedure") == {"loto": "logo"}
    assert corrections(demo, "WROK ORDR") == {"wrok": "work", "ordr": "order"}  # all in capitals: no word stands out


def test_the_english_word_list_is_the_installed_model_s_vocabulary():
    """Whole words only: the vocabulary's word pieces ("##ing"), special tokens and digits are not words."""
    words = english_words()
    assert 20_000 < len(words) < 25_000
    assert {"cake", "weather", "spare", "the"} <= words
    assert not any(w.startswith("#") or w.startswith("[") or not w.isalpha() for w in words)
    assert not {"wrok", "ordr", "pasword", "sitekeeper"} & words
