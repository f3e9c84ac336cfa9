"""How many questions a day the model answers for one reader and for one tenant.

With a model key, every question costs money; without a budget, a script (or a curious reader) could
use the help center as a free model. Past the budget, questions are still answered, extractively
(quoting the articles), so a reader is never left without help. Counted per UTC day, in the process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, timezone

from .tokens import Caller


def _today() -> date:
    return datetime.now(timezone.utc).date()


class QuestionBudget:
    def __init__(self, per_reader: int, per_tenant: int, today: Callable[[], date] = _today):
        self.per_reader = per_reader  # 0: no limit
        self.per_tenant = per_tenant
        self.today = today
        self._day: date | None = None
        self._spent: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def take(self, caller: Caller, client: str) -> bool:
        """Whether the model may answer this question; counts it if so. `client` is who asks (rate_limit.client_key)."""
        keys = [("reader", client, self.per_reader)]
        if caller.tenant:
            keys.append(("tenant", caller.tenant, self.per_tenant))
        with self._lock:
            if self._day != self.today():
                self._day, self._spent = self.today(), {}
            if any(limit and self._spent.get((kind, who), 0) >= limit for kind, who, limit in keys):
                return False
            for kind, who, _ in keys:
                self._spent[(kind, who)] = self._spent.get((kind, who), 0) + 1
            return True
