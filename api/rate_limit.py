"""Rate limits: a person never meets them, a script does.

Each limited endpoint belongs to a group (searching, asking, sending); each group has a token bucket
per client (the token's user, else the address) and a larger one per tenant. A bucket holds `burst`
requests and refills at `per_minute`; an empty bucket answers 429 with the seconds until the next
request would pass. HELP_CENTER_RATE_LIMIT scales every limit (2: twice as many; 0: no limits).

Buckets live in the process: behind a balancer spreading readers over N processes, a client may get
up to N times the limit (docs/operators.md says so).
"""

from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from .errors import ApiError
from .tokens import Caller


class TooManyRequests(ApiError):
    status = 429
    title = "Too many requests"


@dataclass(frozen=True)
class Limit:
    per_minute: float  # sustained rate
    burst: float  # requests allowed at once


# Search as you type sends a request per pause in typing (and one suggest); a reader asks a question every few
# seconds at most; the widgets send votes, clicks and batched events.
GROUPS: dict[str, Limit] = {
    "search": Limit(per_minute=600, burst=120),
    "chat": Limit(per_minute=12, burst=8),
    "send": Limit(per_minute=120, burst=40),
}
TENANT_FACTOR = 20  # a tenant's bucket holds this many of its readers' buckets
MOST_BUCKETS = 100_000  # the oldest idle buckets are forgotten beyond this


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    def __init__(self, scale: float, clock: Callable[[], float] = time.monotonic):
        self.scale = scale
        self.clock = clock
        self._buckets: OrderedDict[tuple, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def on(self) -> bool:
        return self.scale > 0

    def check(self, group: str, client: str, tenant: str | None) -> None:
        """Take one request from the client's and the tenant's buckets of the group; raise TooManyRequests if either is empty."""
        if not self.on:
            return
        limit = GROUPS[group]
        keys = [(group, "client", client, limit.per_minute, limit.burst)]
        if tenant:
            keys.append((group, "tenant", tenant, limit.per_minute * TENANT_FACTOR, limit.burst * TENANT_FACTOR))
        with self._lock:
            waits = [self._wait(key[:3], key[3] * self.scale, key[4] * self.scale) for key in keys]
            if max(waits) > 0:
                raise TooManyRequests(f"too many {group} requests; try again in {math.ceil(max(waits))} s",
                                      headers={"Retry-After": str(math.ceil(max(waits)))})
            for key in keys:
                self._buckets[key[:3]].tokens -= 1

    def _wait(self, key: tuple, per_minute: float, burst: float) -> float:
        """Seconds until the bucket holds one request (0: it does now), after refilling it to now."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(burst, now)
            if len(self._buckets) > MOST_BUCKETS:
                self._buckets.popitem(last=False)
        else:
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.at) * per_minute / 60)
            bucket.at = now
            self._buckets.move_to_end(key)
        return 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) * 60 / per_minute


def client_key(caller: Caller, peer: str | None, forwarded_for: str | None, trusted: tuple) -> str:
    """Whom a request counts against: the token's user, else its address. A proxy's X-Forwarded-For is believed only
    from the proxies the operator named: the address is then the last one in it that is not such a proxy."""
    if not caller.anonymous:
        return f"user:{caller.tenant or ''}:{caller.user}"
    address = peer or "unknown"
    if forwarded_for and _trusted(address, trusted):
        for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
            address = hop
            if not _trusted(hop, trusted):
                break
    return f"ip:{address}"


def _trusted(address: str, trusted: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)
