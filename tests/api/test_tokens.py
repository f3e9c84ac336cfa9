"""The host product signs reader tokens; the server trusts exactly those, and never logs the secret."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from api.errors import Unauthorized
from api.tokens import caller_from_header, sign, verify
from tests.api.conftest import SECRET, Server
from tests.conftest import PROJECT


def test_a_signed_token_names_the_caller():
    caller = verify(sign(SECRET, user="ana", tenant="acme", roles=["admin", "supervisor"], ttl=60), SECRET)
    assert (caller.user, caller.tenant, caller.roles) == ("ana", "acme", frozenset({"admin", "supervisor"}))


@pytest.mark.parametrize("token, reason", [
    (sign("other-secret", user="ana", tenant="acme", roles=["admin"]), "invalid token signature"),
    (sign(SECRET, user="ana", tenant="acme", roles=["admin"], ttl=-1), "token expired"),
    ("a.b", "malformed token"),
    ("x" * 5000, "malformed token"),
    ("e30.e30." + "A" * 43, "invalid token signature"),
])
def test_bad_tokens_are_refused(token, reason):
    with pytest.raises(Unauthorized, match=reason):
        verify(token, SECRET)


def test_no_header_means_anonymous_and_no_secret_means_no_tokens():
    assert caller_from_header(None, SECRET).anonymous
    with pytest.raises(Unauthorized, match="HELP_CENTER_SECRET is not set"):
        caller_from_header("Bearer " + sign(SECRET, user="a", tenant="t", roles=[]), None)


def test_the_token_command_prints_a_token_the_server_accepts():
    env = {**os.environ, "HELP_CENTER_SECRET": SECRET}
    out = subprocess.run([sys.executable, "-m", "api", "token", "--tenant", "acme", "--user", "bo", "--roles", "admin,guard", "--ttl", "120"],
                         cwd=PROJECT, env=env, capture_output=True, text=True, check=True).stdout.strip()
    caller = verify(out, SECRET)
    assert caller.user == "bo" and caller.roles == {"admin", "guard"}
    missing = subprocess.run([sys.executable, "-m", "api", "token", "--tenant", "a", "--user", "b"], cwd=PROJECT,
                             env={k: v for k, v in os.environ.items() if k != "HELP_CENTER_SECRET"}, capture_output=True, text=True)
    assert missing.returncode == 1 and "HELP_CENTER_SECRET" in missing.stderr


def test_the_secret_and_tokens_never_reach_the_server_log(help_build):
    _, out = help_build
    server = Server(out, {**os.environ, "HELP_CENTER_SECRET": SECRET})
    good = sign(SECRET, user="ana", tenant="acme", roles=["admin"])
    try:
        httpx.get(f"{server.url}/api/v1/search", params={"q": "boilers"}, headers={"Authorization": f"Bearer {good}"})
        httpx.get(f"{server.url}/api/v1/search", params={"q": "boilers"}, headers={"Authorization": "Bearer forged.token.value"})
    finally:
        log = server.stop()
    assert "Help center at" in log
    assert SECRET not in log and good not in log
