"""Recent turns of each conversation, kept server-side: bounded in size and forgotten after a while."""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

FOLLOW_UP = re.compile(r"^(and|but|also|then|so|what about|how about|what if|ok|okay)\b|\b(it|its|that|this|them|they|those|these|one|there|he|she)\b",
                       re.IGNORECASE)


@dataclass(frozen=True)
class Turn:
    question: str
    search_query: str
    answer: str


class Conversations:
    def __init__(self, turns: int = 6, ttl_seconds: float = 1800, max_conversations: int = 10_000, *,
                 clock: Callable[[], float] = time.monotonic):
        self.turns = turns
        self.ttl = ttl_seconds
        self.max = max_conversations
        self.clock = clock  # seconds, only differences matter; tests pass a fake one
        self.items: OrderedDict[str, tuple[float, Hashable, deque[Turn]]] = OrderedDict()
        self.lock = threading.Lock()

    def history(self, conversation_id: str, owner: Hashable) -> list[Turn] | None:
        """The turns so far, or None for a conversation this server did not start for this caller."""
        with self.lock:
            item = self.items.get(conversation_id)
            if item is None or self.clock() - item[0] > self.ttl:
                self.items.pop(conversation_id, None)
                return None
            # Earlier answers may quote articles only their asker could read.
            return list(item[2]) if item[1] == owner else None

    def add(self, conversation_id: str, owner: Hashable, turn: Turn) -> None:
        with self.lock:
            _, _, turns = self.items.pop(conversation_id, (0.0, owner, deque(maxlen=self.turns)))
            turns.append(turn)
            self.items[conversation_id] = (self.clock(), owner, turns)
            while len(self.items) > self.max:
                self.items.popitem(last=False)


def standalone_query(question: str, history: list[Turn]) -> str:
    """A follow-up ("and how do I cancel it?") searched together with the question it follows."""
    if not history or len(question.split()) > 12 or not FOLLOW_UP.search(question):
        return question
    return f"{history[-1].search_query} {question}"
