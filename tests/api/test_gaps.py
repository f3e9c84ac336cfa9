"""A content team asks what readers could not find: the same question in other words is one gap,
the gaps that cost tickets come first, and a gap keeps its id from one day's report to the next.
They also ask which article to review first, and how much a handful of votes may move ranking."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from api.gaps import Gap, GapItem, cluster_gaps, gap_id, quality_boost, staleness

PASSWORD = ["how do I reset my password", "forgot password reset", "password reset not working"]


def asked(text: str, source: str, times: int = 1) -> list[GapItem]:
    return [GapItem(text, source)] * times


@pytest.fixture(scope="module")
def week(embedder) -> tuple[list[GapItem], np.ndarray, list[Gap]]:
    """A week of unanswered questions: password resets asked in three ways, invoices exported as CSV."""
    items = (asked("how do I reset my password", "zero_result", 4) + asked("How do I reset my password?", "declined")
             + asked("forgot password reset", "zero_result", 2) + asked("password reset not working", "ticket")
             + asked("export invoices to csv", "ticket", 2) + asked("Export invoices to CSV", "declined"))
    vectors = embedder.embed([item.text for item in items])
    return items, vectors, cluster_gaps(items, vectors)


def test_paraphrases_are_one_gap_and_an_unrelated_question_another(week):
    *_, gaps = week
    assert sorted(sorted(g.examples) for g in gaps) == [["export invoices to csv"], sorted(PASSWORD)]


def test_a_gap_counts_its_items_by_source_and_shows_its_most_asked_wording(week):
    *_, gaps = week
    password = next(g for g in gaps if "password" in g.label)
    assert password.label == "how do I reset my password"  # asked 5 times, counting the one with a capital and a '?'
    assert password.examples == PASSWORD
    assert (password.count, password.sources) == (8, {"declined": 1, "ticket": 1, "zero_result": 6})
    assert password.gap_id == gap_id("How do I reset my password?") and len(password.gap_id) == 10


def test_the_gap_that_cost_more_comes_first(week, embedder):
    items, vectors, gaps = week
    # Passwords: 6 searches, 1 declined, 1 ticket = 6 + 2 + 3; invoices: 2 tickets, 1 declined = 6 + 2.
    assert [(g.label, g.harm) for g in gaps] == [("how do I reset my password", 11), ("export invoices to csv", 8)]
    two_more_tickets = asked("how can I export my invoices to a CSV file", "ticket", 2)
    later = cluster_gaps(items + two_more_tickets,
                         np.vstack([vectors, embedder.embed([item.text for item in two_more_tickets])]))
    assert [(g.label, g.harm) for g in later] == [("export invoices to csv", 14), ("how do I reset my password", 11)]


def test_ids_are_the_same_in_every_run_and_every_order(week, embedder):
    items, _, gaps = week
    for seed in range(3):
        shuffled = random.Random(seed).sample(items, len(items))
        assert cluster_gaps(shuffled, embedder.embed([item.text for item in shuffled])) == gaps


def test_yesterdays_ids_still_name_todays_gaps(week, embedder):
    items, vectors, yesterday = week
    today = asked("password reset not working", "ticket", 2) + asked("where is the audit log", "zero_result")
    gaps = cluster_gaps(items + today, np.vstack([vectors, embedder.embed([item.text for item in today])]))
    assert {g.gap_id for g in yesterday} < {g.gap_id for g in gaps}


def test_a_wording_asked_many_times_is_one_counted_item(week):
    items, vectors, gaps = week
    counted: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], int] = {}
    for i, item in enumerate(items):
        counted[(item.text, item.source)] = counted.get((item.text, item.source), 0) + 1
        first.setdefault((item.text, item.source), i)
    once = [GapItem(text, source, n) for (text, source), n in counted.items()]
    assert cluster_gaps(once, vectors[[first[(i.text, i.source)] for i in once]]) == gaps


def test_examples_are_distinct_and_capped():
    items = [GapItem(f"question {i}", "zero_result") for i in range(8) for _ in range(8 - i)]
    items += asked("Question 1?", "zero_result", 8)  # counts with "question 1", and is its commoner spelling
    same_direction = np.tile(np.eye(1, 4), (len(items), 1)).astype(np.float32)
    [gap] = cluster_gaps(items, same_direction, max_examples=3)
    assert gap.examples == ["Question 1?", "question 0", "question 2"]
    assert (gap.label, gap.count, gap.harm) == ("Question 1?", 44, 44)


def test_nothing_asked_is_no_gap():
    assert cluster_gaps([], np.zeros((0, 384), dtype=np.float32)) == []


def test_unknown_sources_and_missing_vectors_are_refused():
    with pytest.raises(ValueError, match="unknown gap sources"):
        cluster_gaps([GapItem("x", "email")], np.eye(1, 4))
    with pytest.raises(ValueError, match="2 items but 1 vectors"):
        cluster_gaps([GapItem("x", "ticket"), GapItem("y", "ticket")], np.eye(1, 4))


# Staleness: each signal alone, then more of it.
SIGNALS = {
    "days_overdue": [0, 10, 90, 365, 3650],
    "not_helpful": [0, 1, 3, 30, 300],
    "zero_result_near": [0, 1, 10, 100],
    "tickets_after": [0, 1, 5, 50, 500],
}
QUIET = {"days_overdue": 0, "helpful": 0, "not_helpful": 0, "zero_result_near": 0, "tickets_after": 0, "reads": 50}


def test_an_article_nothing_is_wrong_with_scores_zero():
    assert staleness(**QUIET) == 0.0
    assert staleness(**{**QUIET, "days_overdue": -30}) == 0.0  # not due yet


@pytest.mark.parametrize("signal", SIGNALS)
def test_staleness_grows_with_every_warning_sign(signal):
    for background in (QUIET, {**QUIET, "days_overdue": 100, "helpful": 5, "not_helpful": 5, "tickets_after": 3}):
        scores = [staleness(**{**background, signal: value}) for value in SIGNALS[signal]]
        # Level at first where a signal is no worse than a typical article's (one ticket in 50 reads), then up.
        assert scores == sorted(scores) and scores[-1] > scores[0], scores
        assert 0 <= scores[0] and scores[-1] <= 100


def test_helpful_votes_and_reads_without_tickets_lower_it():
    worrying = {**QUIET, "not_helpful": 10, "tickets_after": 10}
    by_helpful = [staleness(**{**worrying, "helpful": n}) for n in (0, 5, 50)]
    by_reads = [staleness(**{**worrying, "reads": n}) for n in (10, 100, 1000)]
    assert by_helpful == sorted(by_helpful, reverse=True) and by_reads == sorted(by_reads, reverse=True)


def test_three_votes_move_staleness_little_and_the_worst_case_stays_in_range():
    assert staleness(**{**QUIET, "not_helpful": 3}) == pytest.approx(25 * (5 / 11 - 0.25) / 0.75)  # 6.8 of 100
    assert staleness(**{**QUIET, "not_helpful": 30}) > 2.5 * staleness(**{**QUIET, "not_helpful": 3})
    worst = staleness(1e9, 0, 10**9, 10**9, 10**9, 0)
    assert 97 < worst <= 100
    with pytest.raises(ValueError):
        staleness(0, -1, 0, 0, 0, 0)


def test_the_quality_boost_is_bounded_and_neutral_without_votes():
    assert quality_boost(0, 0) == 0.0
    for helpful, not_helpful in itertools.product([0, 1, 3, 30, 10**6], repeat=2):
        assert -0.1 <= quality_boost(helpful, not_helpful) <= 0.1
    assert quality_boost(10**6, 0) == pytest.approx(0.1, abs=1e-5)
    assert quality_boost(0, 10**6, bound=0.2) == pytest.approx(-0.2, abs=1e-5)


def test_a_few_votes_barely_move_ranking():
    # All-helpful votes move it by helpful / (helpful + prior) of the bound: 3 / 23 with the default prior of 20.
    assert quality_boost(3, 0) == pytest.approx(0.1 * 3 / 23)
    assert quality_boost(0, 3) == pytest.approx(-0.1 * 3 / 23)
    assert quality_boost(3, 0, prior=30) < 0.1 * 0.1  # a prior of 28 or more keeps 3 votes under a tenth
    assert quality_boost(30, 0) == pytest.approx(0.06)
    assert quality_boost(15, 15) == 0.0
