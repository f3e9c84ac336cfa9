"""Follow-up questions: a conversation's recent turns are its answers in the store, so any API
process can answer the next question, and a restart forgets nothing."""

from __future__ import annotations

import re

from .store import Turn

FOLLOW_UP = re.compile(r"^(and|but|also|then|so|what about|how about|what if|ok|okay)\b|\b(it|its|that|this|them|they|those|these|one|there|he|she)\b",
                       re.IGNORECASE)


def standalone_query(question: str, history: list[Turn]) -> str:
    """A follow-up ("and how do I cancel it?") searched together with the question it follows."""
    if not history or len(question.split()) > 12 or not FOLLOW_UP.search(question):
        return question
    return f"{history[-1].search_query} {question}"
