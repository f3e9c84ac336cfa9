"""Helpful votes feed search ranking, carefully: a bounded term per tenant and article, shrunk toward
neutral by a prior (api/gaps.quality_boost) so a handful of votes moves nothing much.

Votes a process records itself count at once; those of other processes sharing a PostgreSQL
store are read again once the figures are older than `refresh_seconds`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from .gaps import quality_boost

log = logging.getLogger("help_center")


class Quality:
    def __init__(self, bound: float, refresh_seconds: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.bound = bound
        self.refresh_seconds = refresh_seconds
        self.clock = clock
        self.boosts: dict[tuple[str, str], float] = {}
        self.loaded_at: float | None = None
        self.loading = threading.Lock()

    def boost(self, tenant: str, article_id: str) -> float:
        return self.boosts.get((tenant, article_id), 0.0)

    def record(self, tenant: str, article_id: str, votes: dict) -> None:
        """An article's counts after a vote this process stored."""
        self.boosts[(tenant, article_id)] = quality_boost(votes["helpful"], votes["not_helpful"], self.bound)

    def due(self) -> bool:
        return self.loaded_at is None or self.clock() - self.loaded_at >= self.refresh_seconds

    def load(self, totals: Callable[[], dict[tuple[str, str], tuple[int, int]]]) -> None:
        """Every article's figures from `totals()` (the store's vote counts); one load at a time."""
        if not self.loading.acquire(blocking=False):
            return
        try:
            self.boosts = {key: quality_boost(h, n, self.bound) for key, (h, n) in totals().items()}
        except Exception as exc:  # the figures read last stay, and the next try waits a whole period
            log.warning("could not read the helpful votes again (%s); ranking keeps the figures it has", type(exc).__name__)
        finally:
            self.loaded_at = self.clock()
            self.loading.release()
