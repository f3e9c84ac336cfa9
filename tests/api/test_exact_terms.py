"""A reader who types an exact error code or product term gets the article dedicated to it first, even when
another article repeats the term more often; a term that many articles carry, or a word inside a longer
question, moves nothing.

A small help center about meters: short FAQs repeat E7001 and Kwikscan (a reader brand), while the long
articles about them name them only in their titles; four articles are about Zephyr (the product's dashboard).
Where a test shows that keyword ranking alone would put another article first, it asks in keyword mode,
whose scores are BM25's: the promotion is the one thing that puts a lower score above a higher one.
"""

from __future__ import annotations

import pytest

from site_builder.pipeline import build
from tests.api.conftest import in_process, token
from tests.conftest import article, config_for, help_center, write

SECTIONS = """
    ## Choose the sites

    Choose the sites, the meters of each site and the people who see them. Each site keeps its own settings.

    ## Copy the settings

    A copy of the settings can be made for a new site in a few steps from the site's page.

    ## History

    The history of every change is kept with the name of the person who made it.
    """


def meters_help_center(root):
    help_center(root)
    write(root, "meters/_category.yml", "title: Meters\norder: 1\n")
    write(root, "meters/error-e7001-meter-offline.md", article('"Error E7001: meter offline"', """
        A meter that stops reporting shows this error in the app and on the meter's page.

        ## Check the power

        Check the meter's power supply and the fuse in its cabinet.

        ## Check the network

        Check its network cable, then wait for the next reading. Readings missed while it was offline are filled in
        when it reports again, if the meter kept them.
        """, help_ids="[ts-e7001]", tags="[errors]", summary="Why a meter shows E7001 and how to fix it."))
    write(root, "meters/meters-faq.md", article("Meters FAQ", """
        E7001 means the meter is offline. E7001 clears itself when the meter reports again, and readings taken during
        E7001 are filled in. If E7001 stays, see the E7001 article.
        """, tags="[faq]"))
    write(root, "meters/readers-faq.md", article("Readers FAQ", """
        Which readers work with meters? Kwikscan readers: the Kwikscan Mini and the Kwikscan Pro. Other readers need
        a Kwikscan adapter.
        """, tags="[faq]"))
    write(root, "meters/pair-a-kwikscan-reader.md", article("Pair a Kwikscan reader", SECTIONS))
    for name, title in [("zephyr-dashboards", "Zephyr dashboards"), ("zephyr-alerts", "Zephyr alerts"),
                        ("zephyr-exports", "Zephyr exports")]:
        write(root, f"meters/{name}.md", article(title, SECTIONS))
    write(root, "meters/zephyr-admin-console.md", article("Zephyr admin console", SECTIONS, roles="[admin]"))
    write(root, "meters/meter-readings.md", article("Meter readings", """
        Zephyr reads meters nightly: Zephyr keeps the readings, Zephyr charts and Zephyr reports show them, and
        Zephyr alerts on gaps.
        """))
    return root


@pytest.fixture(scope="module")
def meters(tmp_path_factory, embedder):
    base = tmp_path_factory.mktemp("meters")
    build(config_for(meters_help_center(base / "content"), base / "build", "--no-site"), log=lambda _: None)
    with in_process(base / "build", base / "var", embedder) as client:
        yield client


def results(client, q: str, headers: dict | None = None, **params) -> list[dict]:
    response = client.get("/api/v1/search", params={"q": q, **params}, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def ids(client, q: str, headers: dict | None = None, **params) -> list[str]:
    return [r["id"] for r in results(client, q, headers, **params)]


def test_an_error_code_puts_its_error_article_first(meters):
    """The FAQ says E7001 five times and scores higher; the error article names the code in its title and help id."""
    found = results(meters, "E7001", mode="keyword")
    assert [r["id"] for r in found[:2]] == ["error-e7001-meter-offline", "meters-faq"]
    assert found[0]["score"] < found[1]["score"]
    assert ids(meters, "E7001")[:2] == ["error-e7001-meter-offline", "meters-faq"]
    assert ids(meters, "why is my meter showing e7001 since this morning")[0] == "error-e7001-meter-offline"


def test_semantic_search_alone_is_left_as_it_ranks(meters):
    scores = [r["score"] for r in results(meters, "E7001", mode="semantic")]
    assert scores == sorted(scores, reverse=True)


def test_a_product_term_looked_up_puts_its_article_first(meters):
    found = results(meters, "Kwikscan", mode="keyword")
    assert [r["id"] for r in found[:2]] == ["pair-a-kwikscan-reader", "readers-faq"]
    assert found[0]["score"] < found[1]["score"]
    assert ids(meters, "Kwikscan")[0] == "pair-a-kwikscan-reader"
    assert ids(meters, "kwikscan pairing")[0] == "pair-a-kwikscan-reader"


def test_a_product_term_inside_a_question_is_context(meters):
    """The readers FAQ answers which readers work; the article titled with the brand is not what is asked."""
    q = "which readers work with meters: Kwikscan Mini, Kwikscan Pro or a Kwikscan adapter?"
    assert ids(meters, q)[0] == ids(meters, q, mode="keyword")[0] == "readers-faq"


def test_a_term_many_articles_carry_is_a_topic_and_what_a_reader_cannot_read_changes_nothing(meters):
    """Four articles have Zephyr in their title: for an admin, who may read all four, it is a topic, nothing
    moves and the article that says Zephyr most comes first. An anonymous reader sees three of them, few enough
    to be the articles about it; the restricted fourth does not change their results."""
    admin = results(meters, "zephyr", headers=token(["admin"]), mode="keyword")
    assert admin[0]["id"] == "meter-readings"
    assert [r["score"] for r in admin] == sorted((r["score"] for r in admin), reverse=True)
    anonymous = ids(meters, "zephyr", mode="keyword")
    assert set(anonymous[:3]) == {"zephyr-dashboards", "zephyr-alerts", "zephyr-exports"} and anonymous[3] == "meter-readings"


@pytest.fixture(scope="module")
def demo(demo_build, embedder, tmp_path_factory):
    with in_process(demo_build[0], tmp_path_factory.mktemp("var"), embedder) as client:
        yield client


def test_in_the_demo_e2001_finds_its_error_article_before_the_patrol_faq(demo):
    """The patrol FAQ has a question titled with E2001 that only points to "Error E2001: checkpoint not recognised",
    the article that explains the code (its title and help id ts-e2001 name it)."""
    assert ids(demo, "E2001")[:2] == ids(demo, "E2001", mode="keyword")[:2] == ["error-e2001-checkpoint-not-recognised", "patrol-faq"]
    assert ids(demo, "Checkpoint not recognised (E2001)")[0] == "error-e2001-checkpoint-not-recognised"
