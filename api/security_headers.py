"""Headers that tell browsers what this server's answers may do: on every response, whoever made it.

The API's JSON never runs anything and is never framed; the site's pages run only their own scripts
(the build's policy, site_builder/csp.py); the analytics dashboard, which shows a tenant's figures to
an admin, is never framed, so another site cannot overlay it to trick a click.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
DASHBOARD = "/analytics/"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, site_policy: Callable[[], str | None]):
        self.app = app
        self.site_policy = site_policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(MutableHeaders(scope=message), path)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _add(self, headers: MutableHeaders, path: str) -> None:
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if path.startswith("/api/"):
            headers["Content-Security-Policy"] = API_POLICY
            headers["X-Frame-Options"] = "DENY"
            return
        framed_never = path.startswith(DASHBOARD)
        if framed_never:
            headers["X-Frame-Options"] = "DENY"
        policy = self.site_policy()
        if policy and headers.get("content-type", "").startswith("text/html"):
            headers["Content-Security-Policy"] = policy.replace("frame-ancestors 'self'", "frame-ancestors 'none'") \
                if framed_never else policy
