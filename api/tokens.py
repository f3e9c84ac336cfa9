"""Reader tokens: JWTs that say who is reading (`user` or `sub`, `tenant`, `roles`), checked with PyJWT.

The host product signs them with HELP_CENTER_SECRET (HS256), or its identity provider signs them with
a private key whose public half the server is given (HELP_CENTER_PUBLIC_KEY) or fetches
(HELP_CENTER_JWKS_URL; RS256 or ES256). Every token must name this help center as its audience
and carry an expiry; a little clock leeway absorbs clocks that drift between hosts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import jwt

from .errors import Unauthorized, Unavailable

AUDIENCE = "help-center"
MAX_TOKEN_BYTES = 8192
MIN_SECRET_LENGTH = 32
KEY_ALGORITHMS = ("RS256", "ES256")  # signed by an identity provider's private key
REFETCH_SECONDS = 60.0  # the least time between two fetches of the identity provider's keys for an unknown key id


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


def sign(secret: str, *, user: str, tenant: str, roles: list[str], ttl: int = 3600, now: float | None = None,
         audience: str = AUDIENCE) -> str:
    issued = int(now if now is not None else time.time())
    claims = {"user": user, "tenant": tenant, "roles": roles, "aud": audience, "iat": issued, "exp": issued + ttl}
    return jwt.encode(claims, secret, algorithm="HS256")


@dataclass(frozen=True)
class TokenRules:
    """What a token must satisfy; read once from the server's settings."""

    secrets: tuple[str, ...] = ()  # HS256: the current secret, then one being retired (key rotation)
    audience: str = AUDIENCE
    leeway: float = 30.0  # seconds of clock drift forgiven on exp, nbf and iat
    public_key: str | None = None  # PEM text of the identity provider's public key
    jwks_url: str | None = None  # or where it publishes its keys (fetched, cached, refreshed on an unknown key id)


class Tokens:
    def __init__(self, rules: TokenRules, clock: Callable[[], float] = time.monotonic):
        self.rules = rules
        self.clock = clock
        self._refreshed = -REFETCH_SECONDS
        self.jwks = jwt.PyJWKClient(rules.jwks_url, cache_keys=True, lifespan=300, timeout=5) if rules.jwks_url else None

    def caller(self, token: str) -> Caller:
        """The caller a token names; raises Unauthorized, naming what is wrong, for anything else."""
        if len(token) > MAX_TOKEN_BYTES:
            raise Unauthorized("malformed token: longer than 8 KiB")
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.DecodeError:
            raise Unauthorized("malformed token: not a JWT (header.claims.signature)") from None
        if algorithm == "HS256":
            return _caller(self._shared_secret(token))
        if algorithm in KEY_ALGORITHMS:
            return _caller(self._decode(token, self._public_key(token), algorithm))
        raise Unauthorized(f"tokens signed with {algorithm!r} are not accepted (HS256, RS256 or ES256)")

    def _shared_secret(self, token: str) -> dict:
        if not self.rules.secrets:
            raise Unauthorized("this help center accepts no HS256 tokens: HELP_CENTER_SECRET is not set")
        for secret in self.rules.secrets[:-1]:
            try:
                return self._decode(token, secret, "HS256")
            except Unauthorized as refused:
                if refused.detail != "invalid token signature":
                    raise
        return self._decode(token, self.rules.secrets[-1], "HS256")

    def _public_key(self, token: str):
        if self.jwks is not None:
            try:
                return self._provider_key(jwt.get_unverified_header(token).get("kid")).key
            except jwt.PyJWKClientConnectionError:
                raise Unavailable("the identity provider's keys (HELP_CENTER_JWKS_URL) could not be fetched") from None
            except jwt.PyJWKClientError as exc:
                raise Unauthorized(f"no key for this token in HELP_CENTER_JWKS_URL: {exc}") from None
            except jwt.DecodeError:
                raise Unauthorized("malformed token") from None
        if self.rules.public_key:
            return self.rules.public_key
        raise Unauthorized("this help center accepts no RS256/ES256 tokens: set HELP_CENTER_PUBLIC_KEY or HELP_CENTER_JWKS_URL")

    def _provider_key(self, kid: str | None):
        """The identity provider's key named by the token. An unknown key id fetches the key set again (the provider may
        have rotated its keys), at most once a minute: tokens with made-up key ids must not make us hammer it."""
        keys = self.jwks.get_signing_keys()
        found = self.jwks.match_kid(keys, kid) if kid else (keys[0] if len(keys) == 1 else None)
        if found is None and self.clock() - self._refreshed >= REFETCH_SECONDS:
            self._refreshed = self.clock()
            found = self.jwks.match_kid(self.jwks.get_signing_keys(refresh=True), kid) if kid else None
        if found is None:
            raise jwt.PyJWKClientError(f"no key with id {kid!r}" if kid else "the token names no key id (kid)")
        return found

    def _decode(self, token: str, key, algorithm: str) -> dict:
        try:
            return jwt.decode(token, key, algorithms=[algorithm], audience=self.rules.audience, leeway=self.rules.leeway,
                              options={"require": ["exp", "aud"]})
        except jwt.MissingRequiredClaimError as exc:
            raise Unauthorized(f"token has no '{exc.claim}' claim") from None
        except jwt.ExpiredSignatureError:
            raise Unauthorized("token expired") from None
        except jwt.InvalidAudienceError:
            raise Unauthorized(f"token is for another audience: this help center is '{self.rules.audience}'") from None
        except jwt.ImmatureSignatureError:
            raise Unauthorized("token is not valid yet (nbf or iat in the future)") from None
        except jwt.InvalidSignatureError:
            raise Unauthorized("invalid token signature") from None
        except (jwt.PyJWTError, ValueError, TypeError) as exc:  # bad claims' types, a key of the wrong kind
            raise Unauthorized(f"malformed token: {exc}") from None


def _caller(claims: dict) -> Caller:
    user = claims.get("user", claims.get("sub"))
    if not isinstance(user, str) or not user:
        raise Unauthorized("token names no user: give 'user' or the standard 'sub' claim")
    roles, tenant = claims.get("roles", []), claims.get("tenant")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise Unauthorized("token's 'roles' must be a list of texts")
    if tenant is not None and not isinstance(tenant, str):
        raise Unauthorized("token's 'tenant' must be text")
    return Caller(user=user, tenant=tenant, roles=frozenset(roles))


def verify(token: str, secret: str | None) -> Caller:
    """An HS256 token checked against one secret (the maintenance commands and tests)."""
    return Tokens(TokenRules(secrets=(secret,) if secret else ())).caller(token)


def caller_from_header(authorization: str | None, tokens: Tokens) -> Caller:
    if not authorization:
        return ANONYMOUS
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("use 'Authorization: Bearer <token>'")
    return tokens.caller(token.strip())
