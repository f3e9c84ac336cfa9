"""A small thread-safe cache that keeps the most recently used values (size 0 keeps none)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """Least recently used values go first once more than `size` are kept; None is never kept."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The kept values of `keys` (those not kept are left out), under one lock."""
        found: dict[K, V] = {}
        with self._lock:
            for key in keys:
                value = self._items.get(key)
                if value is not None:
                    self._items.move_to_end(key)
                    found[key] = value
        return found

    def put(self, key: K, value: V) -> None:
        self.put_all([(key, value)])

    def put_all(self, pairs: Iterable[tuple[K, V]]) -> None:
        if not self.size:
            return
        with self._lock:
            for key, value in pairs:
                if value is not None:
                    self._items[key] = value
                    self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The kept value, or a new one from `make()`, made outside the lock (two threads may both make it)."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def __len__(self) -> int:
        # Under the lock: a put holds one item too many between adding it and dropping the oldest.
        with self._lock:
            return len(self._items)
