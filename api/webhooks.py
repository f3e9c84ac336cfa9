"""Webhooks from the support desk prove who sent them: HMAC-SHA256 of the raw body with the shared secret."""

from __future__ import annotations

import hashlib
import hmac

from .errors import Unauthorized

SIGNATURE_HEADER = "x-signature-256"


def signature(raw: bytes, secret: str) -> str:
    """The header value a sender puts on `raw`."""
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def verify(raw: bytes, header: str | None, secret: str | None) -> None:
    if not secret:
        raise Unauthorized("this help center accepts no webhooks: HELP_CENTER_WEBHOOK_SECRET is not set")
    if not header:
        raise Unauthorized("missing X-Signature-256 header: sign the raw body with HMAC-SHA256, 'sha256=<hex>'")
    # Compared in constant time, as bytes: a header of any content or length is just a mismatch.
    if not hmac.compare_digest(header.strip().encode("utf-8", "replace"), signature(raw, secret).encode()):
        raise Unauthorized("wrong X-Signature-256: it must be 'sha256=' and the HMAC-SHA256 hex of the raw body")
