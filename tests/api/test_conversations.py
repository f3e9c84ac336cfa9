"""Conversations keep a few recent turns for follow-ups, and forget idle ones."""

from __future__ import annotations

import time

from api.conversations import Conversations, Turn, standalone_query


class FakeClock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def turn(i: int = 0) -> Turn:
    return Turn(f"q{i}", f"q{i}", f"a{i}")


def test_turns_are_bounded_to_the_most_recent():
    conversations = Conversations(turns=2, clock=FakeClock())
    for i in range(3):
        conversations.add("a", "me", turn(i))
    assert [t.question for t in conversations.history("a", "me")] == ["q1", "q2"]


def test_another_owner_sees_nothing():
    conversations = Conversations(clock=FakeClock())
    conversations.add("a", "me", turn())
    assert conversations.history("a", "someone else") is None
    assert conversations.history("a", "me") == [turn()]  # asking as someone else forgets nothing


def test_unknown_conversation_is_none():
    assert Conversations(clock=FakeClock()).history("never started", "me") is None


def test_a_conversation_touched_within_the_ttl_survives():
    clock = FakeClock()
    conversations = Conversations(ttl_seconds=60, clock=clock)
    conversations.add("a", "me", turn(0))
    clock.advance(59)
    assert conversations.history("a", "me") == [turn(0)]
    conversations.add("a", "me", turn(1))  # a new turn restarts the idle time
    clock.advance(59)  # 118 s since the first turn, 59 s idle
    assert conversations.history("a", "me") == [turn(0), turn(1)]
    clock.advance(2)  # 61 s idle since the second turn
    assert conversations.history("a", "me") is None


def test_a_conversation_idle_past_the_ttl_is_forgotten():
    clock = FakeClock()
    conversations = Conversations(ttl_seconds=60, clock=clock)
    conversations.add("a", "me", turn())
    conversations.add("b", "me", turn())
    clock.advance(30)
    conversations.add("b", "me", turn(1))
    clock.advance(30.5)
    assert conversations.history("a", "me") is None
    assert "a" not in conversations.items  # forgotten, not just hidden
    assert conversations.history("b", "me") == [turn(), turn(1)]
    conversations.add("a", "me", turn(2))  # the same id starts afresh
    assert conversations.history("a", "me") == [turn(2)]


def test_reading_does_not_keep_a_conversation_alive():
    clock = FakeClock()
    conversations = Conversations(ttl_seconds=60, clock=clock)
    conversations.add("a", "me", turn())
    clock.advance(40)
    assert conversations.history("a", "me") is not None
    clock.advance(40)
    assert conversations.history("a", "me") is None


def test_the_oldest_conversation_is_evicted_past_max_conversations():
    clock = FakeClock()
    conversations = Conversations(max_conversations=2, clock=clock)
    conversations.add("a", "me", turn())
    clock.advance(1)
    conversations.add("b", "me", turn())
    clock.advance(1)
    conversations.add("a", "me", turn(1))  # "a" is now the most recently used
    clock.advance(1)
    conversations.add("c", "me", turn())
    assert conversations.history("b", "me") is None
    assert conversations.history("a", "me") == [turn(), turn(1)]
    assert conversations.history("c", "me") == [turn()]
    assert list(conversations.items) == ["a", "c"]


def test_the_default_clock_is_monotonic():
    assert Conversations().clock is time.monotonic
    assert Conversations(4, 60).ttl == 60  # positional callers keep working


def test_follow_ups_are_searched_with_the_question_they_follow():
    history = [Turn("How do I create a work order?", "How do I create a work order?", "...")]
    assert standalone_query("and how do I cancel it?", history) == "How do I create a work order? and how do I cancel it?"
    assert standalone_query("How do I export a report to Excel?", history) == "How do I export a report to Excel?"
    assert standalone_query("and how do I cancel it?", []) == "and how do I cancel it?"
