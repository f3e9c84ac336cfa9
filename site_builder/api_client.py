"""A small client of the help center's API, for commands: one JSON call, and errors a person can act on.

Standard library only (urllib), so the authors' and operators' commands need nothing the build
does not already install.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request


class ApiClientError(Exception):
    """The call failed; the message says what to do about it (no traceback is needed)."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


HINTS = {
    401: "the token was refused (missing, expired, or signed with another HELP_CENTER_SECRET than the server's)",
    403: "the token is valid but lacks the admin role",
    404: "not found",
}


def call(base_url: str, method: str, path: str, token: str | None = None, body: dict | None = None,
         timeout: float = 600) -> dict:
    """The JSON answer of `method base_url+path`; raises ApiClientError for any failure."""
    url = base_url.rstrip("/") + path
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode("utf-8")
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise ApiClientError(f"{method} {url}: {exc.code} {_problem(exc)}", exc.code) from None
    except (urllib.error.URLError, socket.timeout, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ApiClientError(f"cannot reach the help center at {base_url}: {reason}; is the server running there?") from None
    except ValueError:
        raise ApiClientError(f"{method} {url}: the answer is not JSON; is {base_url} the help center's address?") from None


def _problem(exc: urllib.error.HTTPError) -> str:
    """The problem's own detail when the server sent one, else what the status usually means."""
    try:
        detail = json.loads(exc.read().decode("utf-8")).get("detail")
    except (ValueError, AttributeError, OSError):
        detail = None
    hint = HINTS.get(exc.code)
    return "; ".join(part for part in (detail, hint) if part) or exc.reason
