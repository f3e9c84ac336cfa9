"""Reader tokens: the host product signs `{tenant, user, roles, exp}` with HMAC-SHA256 (a JWT, HS256)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field

from .errors import Unauthorized

HEADER = {"alg": "HS256", "typ": "JWT"}
MAX_TOKEN_BYTES = 4096


@dataclass(frozen=True)
class Caller:
    """Who is asking: anonymous unless a valid token says otherwise."""

    user: str | None = None
    tenant: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def anonymous(self) -> bool:
        return self.user is None


ANONYMOUS = Caller()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: str, *, user: str, tenant: str, roles: list[str], ttl: int = 3600, now: float | None = None) -> str:
    claims = {"user": user, "tenant": tenant, "roles": roles, "exp": int((now or time.time()) + ttl)}
    head = _b64(json.dumps(HEADER, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


def verify(token: str, secret: str | None, now: float | None = None) -> Caller:
    """The caller a token names; raises Unauthorized for anything but a valid, unexpired token."""
    if not secret:
        raise Unauthorized("this help center accepts no tokens: HELP_CENTER_SECRET is not set")
    if len(token) > MAX_TOKEN_BYTES or token.count(".") != 2:
        raise Unauthorized("malformed token")
    head, body, signature = token.split(".")
    expected = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    try:
        given = _unb64(signature)
    except ValueError:
        raise Unauthorized("malformed token") from None
    # Nothing the caller wrote is parsed before the signature proves the host product wrote it.
    if not hmac.compare_digest(given, expected):
        raise Unauthorized("invalid token signature")
    try:
        header = json.loads(_unb64(head))
        claims = json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise Unauthorized("malformed token") from None
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        raise Unauthorized("malformed token")
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool) or exp <= (now or time.time()):
        raise Unauthorized("token expired")
    roles = claims.get("roles", [])
    user, tenant = claims.get("user"), claims.get("tenant")
    if not isinstance(user, str) or not user or not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise Unauthorized("malformed token")
    if tenant is not None and not isinstance(tenant, str):
        raise Unauthorized("malformed token")
    return Caller(user=user, tenant=tenant, roles=frozenset(roles))


def caller_from_header(authorization: str | None, secret: str | None) -> Caller:
    if not authorization:
        return ANONYMOUS
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("use 'Authorization: Bearer <token>'")
    return verify(token.strip(), secret)
