"""The host product (or its identity provider) signs reader tokens; the server trusts exactly those, says what is
wrong with any other, and never logs a secret or a token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from api.errors import Unauthorized, Unavailable
from api.tokens import TokenRules, Tokens, caller_from_header, sign, verify
from tests.api.conftest import SECRET, Server, in_process
from tests.conftest import PROJECT

OLD_SECRET = "the-secret-we-are-retiring-this-week"


def claims(**changes) -> dict:
    base = {"user": "ana", "tenant": "acme", "roles": ["admin"], "aud": "help-center", "exp": int(time.time()) + 600}
    return {k: v for k, v in {**base, **changes}.items() if v is not None}


def test_a_signed_token_names_the_caller():
    caller = verify(sign(SECRET, user="ana", tenant="acme", roles=["admin", "supervisor"], ttl=60), SECRET)
    assert (caller.user, caller.tenant, caller.roles) == ("ana", "acme", frozenset({"admin", "supervisor"}))


@pytest.mark.parametrize("token, reason", [
    (sign("another-secret-of-thirty-two-chars!!", user="ana", tenant="acme", roles=["admin"]), "invalid token signature"),
    (sign(SECRET, user="ana", tenant="acme", roles=["admin"], ttl=-60), "token expired"),
    ("a.b", "malformed token"),
    ("x" * 9000, "malformed token: longer than 8 KiB"),
    (jwt.encode(claims(exp=None), SECRET), "token has no 'exp' claim"),
    (jwt.encode(claims(aud=None), SECRET), "token has no 'aud' claim"),
    (jwt.encode(claims(aud="another-app"), SECRET), "token is for another audience: this help center is 'help-center'"),
    (jwt.encode(claims(user=None), SECRET), "token names no user: give 'user' or the standard 'sub' claim"),
    (jwt.encode(claims(roles="admin"), SECRET), "token's 'roles' must be a list of texts"),
    (jwt.encode(claims(nbf=int(time.time()) + 3600), SECRET), "token is not valid yet"),
    (jwt.encode(claims(), SECRET, algorithm="HS512"), "tokens signed with 'HS512' are not accepted"),
    (jwt.encode(claims(), None, algorithm="none"), "tokens signed with 'none' are not accepted"),
])
def test_bad_tokens_are_refused_saying_what_is_wrong(token, reason):
    with pytest.raises(Unauthorized, match=reason):
        verify(token, SECRET)


def test_the_standard_sub_claim_names_the_user_and_a_little_clock_drift_is_forgiven():
    caller = verify(jwt.encode(claims(user=None, sub="bo", exp=int(time.time()) - 10), SECRET), SECRET)
    assert caller.user == "bo" and caller.tenant == "acme"


def test_during_a_key_rotation_both_secrets_are_accepted_and_no_other():
    tokens = Tokens(TokenRules(secrets=(SECRET, OLD_SECRET)))
    assert tokens.caller(sign(OLD_SECRET, user="old", tenant="t", roles=[])).user == "old"
    assert tokens.caller(sign(SECRET, user="new", tenant="t", roles=[])).user == "new"
    with pytest.raises(Unauthorized, match="invalid token signature"):
        tokens.caller(sign("a-third-secret-nobody-configured-here", user="x", tenant="t", roles=[]))
    with pytest.raises(Unauthorized, match="token expired"):  # the old secret's own refusals are not hidden
        tokens.caller(sign(OLD_SECRET, user="old", tenant="t", roles=[], ttl=-3600))


def test_no_header_means_anonymous_and_no_secret_means_no_hs256_tokens():
    assert caller_from_header(None, Tokens(TokenRules((SECRET,)))).anonymous
    with pytest.raises(Unauthorized, match="HELP_CENTER_SECRET is not set"):
        caller_from_header("Bearer " + sign(SECRET, user="a", tenant="t", roles=[]), Tokens(TokenRules()))


def pem(key) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def test_an_identity_providers_rs256_token_is_checked_with_its_public_key():
    provider, stranger = (rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2))
    tokens = Tokens(TokenRules(public_key=pem(provider), audience="https://help.example.com"))
    good = jwt.encode(claims(user=None, sub="ana@example.com", aud="https://help.example.com"), provider, algorithm="RS256")
    assert tokens.caller(good).user == "ana@example.com"
    with pytest.raises(Unauthorized, match="invalid token signature"):
        tokens.caller(jwt.encode(claims(aud="https://help.example.com"), stranger, algorithm="RS256"))
    # The public key is not a shared secret: an HS256 token "signed" with it is refused, not checked against it.
    with pytest.raises(Unauthorized, match="accepts no HS256 tokens"):
        tokens.caller(jwt.encode(claims(aud="https://help.example.com"), "x" * 32, algorithm="HS256"))


class KeySet:
    """An identity provider's JWKS endpoint on loopback; its keys can be rotated and its fetches are counted."""

    def __init__(self):
        self.keys: list[dict] = []
        self.fetches = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.fetches += 1
                body = json.dumps({"keys": owner.keys}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, key, kid: str) -> None:
        self.keys.append({**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key())), "kid": kid, "alg": "ES256", "use": "sig"})


@pytest.fixture
def key_set():
    keys = KeySet()
    yield keys
    keys.server.shutdown()


def test_es256_tokens_are_checked_against_the_jwks_which_is_cached_and_refetched_for_a_new_key(key_set):
    first, second = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    key_set.add(first, "k1")
    tokens = Tokens(TokenRules(jwks_url=key_set.url))
    one = jwt.encode(claims(), first, algorithm="ES256", headers={"kid": "k1"})
    assert tokens.caller(one).user == "ana" and tokens.caller(one).user == "ana"
    assert key_set.fetches == 1  # cached
    key_set.add(second, "k2")  # the provider rotates its keys
    assert tokens.caller(jwt.encode(claims(user="bo"), second, algorithm="ES256", headers={"kid": "k2"})).user == "bo"
    assert key_set.fetches == 2
    for made_up in range(50):  # forged key ids: refused, and the provider is not asked again within the minute
        with pytest.raises(Unauthorized, match="no key for this token in HELP_CENTER_JWKS_URL"):
            tokens.caller(jwt.encode(claims(), second, algorithm="ES256", headers={"kid": f"k{made_up + 10}"}))
    assert key_set.fetches == 2


def test_an_unreachable_jwks_is_a_503_not_a_refusal_of_the_reader():
    tokens = Tokens(TokenRules(jwks_url="http://127.0.0.1:9/jwks.json"))
    with pytest.raises(Unavailable, match="could not be fetched"):
        tokens.caller(jwt.encode(claims(), ec.generate_private_key(ec.SECP256R1()), algorithm="ES256", headers={"kid": "k1"}))


def test_the_api_takes_the_identity_providers_tokens_with_the_claims_it_already_issues(help_build, embedder, tmp_path):
    provider = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "idp.pem").write_text(pem(provider))
    token = jwt.encode({"sub": "ana", "tenant": "acme", "roles": ["admin"], "aud": "help.example.com", "iss": "idp",
                        "exp": int(time.time()) + 600}, provider, algorithm="RS256")
    with in_process(help_build[1], tmp_path / "var", embedder, HELP_CENTER_PUBLIC_KEY=str(tmp_path / "idp.pem"),
                    HELP_CENTER_TOKEN_AUDIENCE="help.example.com") as client:
        assert client.get("/api/v1/analytics/dashboard", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        refused = client.get("/api/v1/search", params={"q": "x"}, headers={"Authorization": "Bearer " + sign(SECRET, user="a", tenant="acme", roles=[])})
        assert refused.status_code == 401 and refused.json()["detail"] == "token is for another audience: this help center is 'help.example.com'"


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


def test_the_api_fetches_the_identity_providers_keys_off_the_event_loop(help_build, embedder, tmp_path, key_set):
    provider = ec.generate_private_key(ec.SECP256R1())
    key_set.add(provider, "2026-12")
    token = jwt.encode(claims(user=None, sub="ana"), provider, algorithm="ES256", headers={"kid": "2026-12"})
    with in_process(help_build[1], tmp_path / "var", embedder, HELP_CENTER_JWKS_URL=key_set.url) as client:
        for _ in range(3):
            assert client.get("/api/v1/analytics/dashboard", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert key_set.fetches == 1
