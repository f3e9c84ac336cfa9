"""A reader never meets a rate limit; a script sending a hundred questions does, and is told when to come back."""

from __future__ import annotations

import ipaddress

import pytest

from api.rate_limit import GROUPS, TENANT_FACTOR, RateLimiter, TooManyRequests, client_key
from api.tokens import ANONYMOUS, Caller
from tests.api.conftest import in_process, token


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def sent(limiter: RateLimiter, group: str, count: int, client: str = "ip:1.2.3.4", tenant: str | None = None,
         every: float = 0.0, clock: Clock | None = None) -> int:
    """How many of `count` requests, one every `every` seconds, pass."""
    passed = 0
    for _ in range(count):
        try:
            limiter.check(group, client, tenant)
            passed += 1
        except TooManyRequests:
            pass
        if clock:
            clock.now += every
    return passed


def test_a_reader_typing_a_long_query_with_a_search_and_a_suggestion_per_keystroke_is_never_limited():
    clock = Clock()
    limiter = RateLimiter(1.0, clock)
    typed = "how do I change the priority of a recurring work order"  # 54 keystrokes, 8 a second: a fast typist
    assert sent(limiter, "search", 2 * len(typed), every=1 / 16, clock=clock) == 2 * len(typed)


def test_a_burst_of_a_hundred_questions_is_limited_and_told_when_to_retry():
    clock = Clock()
    limiter = RateLimiter(1.0, clock)
    assert sent(limiter, "chat", 100) == GROUPS["chat"].burst
    with pytest.raises(TooManyRequests, match="too many chat requests; try again in 5 s") as refused:
        limiter.check("chat", "ip:1.2.3.4", None)
    assert refused.value.headers == {"Retry-After": "5"} and refused.value.status == 429
    clock.now += 5
    assert sent(limiter, "chat", 2) == 1  # 12 a minute: one more after five seconds
    assert sent(limiter, "chat", 1, client="ip:5.6.7.8") == 1  # another client is not held back


def test_a_tenant_is_limited_as_a_whole_so_many_scripted_users_do_not_escape():
    limiter = RateLimiter(1.0, Clock())
    burst = GROUPS["chat"].burst
    passed = sum(sent(limiter, "chat", burst, client=f"user:acme:u{n}", tenant="acme") for n in range(TENANT_FACTOR + 5))
    assert passed == burst * TENANT_FACTOR
    assert sent(limiter, "chat", 1, client="user:other:u1", tenant="other") == 1


def test_the_scale_setting_multiplies_every_limit_and_zero_turns_them_off():
    assert sent(RateLimiter(2.0, Clock()), "chat", 100) == 2 * GROUPS["chat"].burst
    assert sent(RateLimiter(0.0, Clock()), "chat", 1000) == 1000


def test_a_forwarded_address_is_believed_only_from_a_named_proxy():
    proxies = (ipaddress.ip_network("10.0.0.0/8"),)
    assert client_key(ANONYMOUS, "10.1.2.3", "203.0.113.9, 10.4.4.4", proxies) == "ip:203.0.113.9"
    assert client_key(ANONYMOUS, "198.51.100.7", "203.0.113.9", proxies) == "ip:198.51.100.7"  # not our proxy: a lie
    assert client_key(ANONYMOUS, "10.1.2.3", "203.0.113.9", ()) == "ip:10.1.2.3"  # no proxy named
    assert client_key(Caller(user="ana", tenant="acme"), "10.1.2.3", None, proxies) == "user:acme:ana"


def test_the_api_answers_429_with_retry_after_and_leaves_unlimited_routes_alone(help_build, embedder, tmp_path):
    with in_process(help_build[1], tmp_path / "var", embedder, HELP_CENTER_RATE_LIMIT="1") as client:
        answers = [client.post("/api/v1/chat", json={"question": "How do I assign a work order?"}) for _ in range(12)]
        statuses = [a.status_code for a in answers]
        assert statuses[:8] == [200] * 8 and set(statuses[8:]) == {429}
        refused = answers[-1]
        assert int(refused.headers["retry-after"]) >= 1 and refused.json()["title"] == "Too many requests"
        assert client.get("/api/v1/health").status_code == 200  # not limited
        assert client.get("/api/v1/search", params={"q": "boilers"}, headers=token(["technician"])).status_code == 200
