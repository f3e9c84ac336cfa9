"""Conversations keep a few recent turns for follow-ups, and forget idle ones."""

from __future__ import annotations

import time

from api.conversations import Conversations, Turn, standalone_query


def test_turns_are_bounded_and_expire():
    conversations = Conversations(turns=2, ttl_seconds=0.2, max_conversations=2)
    for i in range(3):
        conversations.add("a", "me", Turn(f"q{i}", f"q{i}", f"a{i}"))
    assert [t.question for t in conversations.history("a", "me")] == ["q1", "q2"]
    assert conversations.history("a", "someone else") is None
    conversations.add("b", "me", Turn("q", "q", "a"))
    conversations.add("c", "me", Turn("q", "q", "a"))
    assert conversations.history("a", "me") is None  # the oldest conversation made room
    time.sleep(0.3)
    assert conversations.history("c", "me") is None


def test_follow_ups_are_searched_with_the_question_they_follow():
    history = [Turn("How do I create a work order?", "How do I create a work order?", "...")]
    assert standalone_query("and how do I cancel it?", history) == "How do I create a work order? and how do I cancel it?"
    assert standalone_query("How do I export a report to Excel?", history) == "How do I export a report to Excel?"
    assert standalone_query("and how do I cancel it?", []) == "and how do I cancel it?"
