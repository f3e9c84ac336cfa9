"""Helpful votes nudge ranking within a bound: a crowd of votes cannot lift an irrelevant article over a relevant
one, a handful moves nothing much, and one tenant's votes leave another's ranking alone."""

from __future__ import annotations

import pytest

from api.gaps import quality_boost
from api.quality import Quality
from api.search import Fusion
from tests.api.conftest import in_process, token


@pytest.fixture
def voters(help_build, embedder, tmp_path):
    with in_process(help_build[1], tmp_path / "var", embedder) as client:
        yield client


def ranked(client, q: str, tenant: str = "acme") -> list[tuple[str, float]]:
    found = client.get("/api/v1/search", params={"q": q, "limit": 10}, headers=token([], tenant=tenant)).json()
    return [(r["id"], r["score"]) for r in found["results"]]


def vote_many(client, article: str, helpful: bool, n: int, tenant: str = "acme") -> None:
    for i in range(n):
        client.post(f"/api/v1/articles/{article}/votes", json={"helpful": helpful},
                    headers=token([], tenant=tenant, user=f"voter{i}")).raise_for_status()


def test_a_crowd_of_votes_cannot_lift_an_irrelevant_article_over_the_relevant_one(voters):
    q = "assign a technician to a work order"
    before = ranked(voters, q)
    assert before[0][0] == "assign-a-work-order"
    vote_many(voters, "assign-a-work-order", False, 200)
    vote_many(voters, "schedule-ppm", True, 200)
    after = ranked(voters, q)
    assert after[0][0] == "assign-a-work-order"
    scores = dict(after)
    bound = Fusion().max_quality_boost
    assert scores["assign-a-work-order"] == pytest.approx(dict(before)["assign-a-work-order"] * (1 - bound * 200 / 220), rel=1e-3)


def test_votes_count_for_their_own_tenant_only(voters):
    q = "boilers"
    before = dict(ranked(voters, q, tenant="globex"))
    vote_many(voters, "schedule-ppm", True, 50, tenant="acme")
    assert dict(ranked(voters, q, tenant="globex")) == before
    assert dict(ranked(voters, q, tenant="acme"))["schedule-ppm"] > before["schedule-ppm"]


def test_a_restarted_process_reads_the_votes_back(help_build, embedder, tmp_path):
    with in_process(help_build[1], tmp_path / "var", embedder) as first:
        vote_many(first, "schedule-ppm", True, 30)
        voted = dict(ranked(first, "boilers"))["schedule-ppm"]
    with in_process(help_build[1], tmp_path / "var", embedder) as second:
        assert dict(ranked(second, "boilers"))["schedule-ppm"] == voted


def test_figures_are_read_again_once_they_are_old():
    now = [0.0]
    quality = Quality(0.1, refresh_seconds=60, clock=lambda: now[0])
    assert quality.due()
    quality.load(lambda: {("acme", "a"): (30, 0)})
    assert not quality.due() and quality.boost("acme", "a") == pytest.approx(quality_boost(30, 0))
    now[0] = 61
    assert quality.due()
    assert quality.boost("globex", "a") == 0.0


def test_a_store_that_cannot_be_read_keeps_the_old_figures_and_waits_a_period():
    now = [0.0]
    quality = Quality(0.1, refresh_seconds=60, clock=lambda: now[0])
    quality.load(lambda: {("acme", "a"): (30, 0)})
    now[0] = 61

    def down():
        raise OSError("store down")

    quality.load(down)
    assert quality.boost("acme", "a") == pytest.approx(quality_boost(30, 0)) and not quality.due()
