"""The assistant is no free model: past a reader's (or a tenant's) daily budget, questions are answered by quoting the
articles, never refused, and never sent to the model."""

from __future__ import annotations

from datetime import date

from api.question_budget import QuestionBudget
from api.tokens import ANONYMOUS, Caller
from tests.api.conftest import ask, in_process, token
from tests.api.fake_anthropic import FakeAnthropic, Script


class Day:
    def __init__(self):
        self.value = date(2026, 12, 3)

    def __call__(self) -> date:
        return self.value


def test_a_readers_budget_is_spent_question_by_question_and_renewed_the_next_day():
    day = Day()
    budget = QuestionBudget(per_reader=2, per_tenant=100, today=day)
    ana = Caller(user="ana", tenant="acme")
    assert [budget.take(ana, "user:acme:ana") for _ in range(3)] == [True, True, False]
    assert budget.take(Caller(user="bo", tenant="acme"), "user:acme:bo")  # another reader has their own
    day.value = date(2026, 12, 4)
    assert budget.take(ana, "user:acme:ana")


def test_a_tenant_budget_holds_all_its_readers_together_and_zero_means_no_limit():
    budget = QuestionBudget(per_reader=0, per_tenant=3, today=Day())
    readers = [Caller(user=f"u{n}", tenant="acme") for n in range(5)]
    assert [budget.take(r, f"user:acme:{r.user}") for r in readers] == [True, True, True, False, False]
    assert budget.take(Caller(user="x", tenant="other"), "user:other:x")
    assert all(QuestionBudget(0, 0, today=Day()).take(ANONYMOUS, "ip:1.2.3.4") for _ in range(500))


def test_past_the_budget_the_model_is_not_asked_and_the_reader_still_gets_the_articles_words(help_build, embedder, tmp_path):
    fake = FakeAnthropic()
    fake.script = Script(pieces=["Open the work order and pick a technician [1]."])
    try:
        with in_process(help_build[1], tmp_path / "var", embedder, ANTHROPIC_API_KEY="sk-test", ANTHROPIC_BASE_URL=fake.url,
                        HELP_CENTER_LLM_MODEL="test-model", HELP_CENTER_DAILY_QUESTIONS="2") as client:
            question = {"question": "How do I assign a work order to a technician?"}
            modes = [ask(client, question, headers=token(["technician"], user="ana"))[-1][1]["mode"] for _ in range(3)]
            other = ask(client, question, headers=token(["technician"], user="bo"))[-1][1]
    finally:
        fake.close()
    assert modes == ["llm", "llm", "extractive"] and other["mode"] == "llm"
    assert len(fake.requests) == 3
