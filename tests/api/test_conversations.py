"""A conversation's turns are its answers in the store: a follow-up works whichever process answers it,
after a restart too, for its asker only, and an idle one is forgotten."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from api.conversations import standalone_query
from api.store import AnswerRecord, Turn
from api.tokens import ANONYMOUS, Caller
from tests.api.conftest import in_process

ME = Caller(user="ana", tenant="acme", roles=frozenset({"agent"}))


def ask(store, conversation: str, i: int, caller: Caller = ME, error: str | None = None) -> None:
    record = AnswerRecord(f"{conversation}-{i}", conversation, "b1", f"q{i}", f"q{i}", f"a{i}", "extractive", True, [], [],
                          caller.user, caller.tenant, roles=",".join(sorted(caller.roles)), error=error)
    asyncio.run(store.record_answer(record))
    store.clock.advance(1)


def turns(i: int, j: int) -> list[Turn]:
    return [Turn(f"q{k}", f"q{k}", f"a{k}") for k in range(i, j)]


def test_turns_are_bounded_to_the_most_recent(any_store):
    for i in range(4):
        ask(any_store, "c1", i)
    assert any_store.conversation("c1", ME, 2, 1800) == turns(2, 4)


def test_a_conversation_is_only_its_askers(any_store):
    ask(any_store, "c1", 0)
    assert any_store.conversation("c1", Caller(user="bob", tenant="acme", roles=ME.roles), 6, 1800) is None
    assert any_store.conversation("c1", Caller(user="ana", tenant="other", roles=ME.roles), 6, 1800) is None
    assert any_store.conversation("c1", Caller(user="ana", tenant="acme", roles=frozenset({"admin"})), 6, 1800) is None
    assert any_store.conversation("c1", ANONYMOUS, 6, 1800) is None
    assert any_store.conversation("c1", ME, 6, 1800) == turns(0, 1)  # asking as someone else forgets nothing


def test_an_anonymous_readers_conversation_continues(any_store):
    ask(any_store, "c1", 0, ANONYMOUS)
    assert any_store.conversation("c1", ANONYMOUS, 6, 1800) == turns(0, 1)


def test_an_idle_conversation_is_forgotten_and_a_new_turn_restarts_the_idle_time(any_store):
    ask(any_store, "c1", 0)
    any_store.clock.advance(50)
    assert any_store.conversation("c1", ME, 6, 60) == turns(0, 1)
    ask(any_store, "c1", 1)
    any_store.clock.advance(55)
    assert any_store.conversation("c1", ME, 6, 60) == turns(0, 2)
    any_store.clock.advance(10)
    assert any_store.conversation("c1", ME, 6, 60) is None


def test_an_interrupted_answer_is_not_a_turn(any_store):
    ask(any_store, "c1", 0)
    ask(any_store, "c1", 1, error="the answer was interrupted")
    assert any_store.conversation("c1", ME, 6, 1800) == turns(0, 1)


def test_an_unknown_conversation_has_no_history(any_store):
    assert any_store.conversation("never-started", ME, 6, 1800) is None


def test_follow_ups_are_searched_with_the_question_they_follow():
    history = [Turn("How do I create a work order?", "How do I create a work order?", "...")]
    assert standalone_query("and how do I cancel it?", history) == "How do I create a work order? and how do I cancel it?"
    assert standalone_query("How do I export a report to Excel?", history) == "How do I export a report to Excel?"
    assert standalone_query("and how do I cancel it?", []) == "and how do I cancel it?"


def test_the_fake_clock_moves_only_when_told(any_store):
    before = any_store.clock()
    assert any_store.clock() == before
    any_store.clock.advance(2)
    assert any_store.clock() - before == timedelta(seconds=2)


def test_a_follow_up_is_answered_by_another_process_sharing_the_postgresql_store(help_build, embedder, postgres_url, tmp_path):
    from tests.api.conftest import ask as chat

    with in_process(help_build[1], tmp_path / "a", embedder, HELP_CENTER_DB=postgres_url) as first, \
            in_process(help_build[1], tmp_path / "b", embedder, HELP_CENTER_DB=postgres_url) as second:
        started = chat(first, {"question": "How do I create a work order?"})[-1][1]
        follow_up = chat(second, {"question": "and who can I assign it to?", "conversation_id": started["conversation_id"]})
    assert follow_up[-1][1]["conversation_id"] == started["conversation_id"]


def test_a_conversation_survives_a_restart(help_build, embedder, tmp_path):
    from tests.api.conftest import ask as chat

    with in_process(help_build[1], tmp_path / "var", embedder) as before:
        started = chat(before, {"question": "How do I create a work order?"})[-1][1]
    with in_process(help_build[1], tmp_path / "var", embedder) as after:
        follow_up = chat(after, {"question": "and who can I assign it to?", "conversation_id": started["conversation_id"]})
    assert follow_up[-1][1]["conversation_id"] == started["conversation_id"]
