"""The caches of query vectors, stems and per-caller masks keep the most recently used values."""

from __future__ import annotations

import sys
import threading

from api.lru import LRU


def test_the_least_recently_used_goes_first():
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert len(cache) == 2


def test_size_zero_keeps_nothing():
    cache: LRU[str, int] = LRU(0)
    made = []
    assert cache.get_or_make("a", lambda: made.append(1) or 1) == 1
    assert cache.get_or_make("a", lambda: made.append(1) or 1) == 1
    assert len(made) == 2 and len(cache) == 0


def test_get_or_make_makes_each_value_once():
    cache: LRU[str, str] = LRU(10)
    made = []
    for _ in range(3):
        assert cache.get_or_make("k", lambda: made.append("k") or "value") == "value"
    assert made == ["k"]


def test_get_many_returns_the_kept_ones_and_refreshes_them():
    cache: LRU[str, int] = LRU(2)
    cache.put_all([("a", 1), ("b", 2)])
    assert cache.get_many(["a", "zz"]) == {"a": 1}
    cache.put("c", 3)  # "b" is now the least recently used
    assert cache.get_many(["a", "b", "c"]) == {"a": 1, "c": 3}


def test_put_all_keeps_the_last_ones_within_size():
    cache: LRU[int, int] = LRU(3)
    cache.put_all((i, i * i) for i in range(5))
    assert [cache.get(i) for i in range(5)] == [None, None, 4, 9, 16]


def test_threads_share_it_safely():
    # Threads switch every microsecond, so unguarded dictionary updates would interleave.
    cache: LRU[int, int] = LRU(50)
    wrong, before = [], sys.getswitchinterval()

    def work(offset: int) -> None:
        for i in range(3000):
            key = (i * 7 + offset) % 80
            if cache.get_or_make(key, lambda key=key: key + 1) != key + 1 or len(cache) > 50:
                wrong.append(key)

    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(before)
    assert wrong == [] and len(cache) == 50
