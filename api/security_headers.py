"""Headers that tell browsers what this server's answers may do: on every response, whoever made it.

The API's JSON never runs anything and is never framed; the site's pages run only their own scripts
(the build's policy, site_builder/csp.py); the analytics dashboard, which shows a tenant's figures to
an admin, is framed only by the help center itself and the host products named in HELP_CENTER_ALLOWED_ORIGINS
(which may embed it: docs/operators.md), so no other site can overlay it to trick a click.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
DASHBOARD = "/analytics/"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, site_policy: Callable[[], str | None], frame_origins: tuple[str, ...] = ()):
        self.app = app
        self.site_policy = site_policy
        self.dashboard_ancestors = "frame-ancestors " + " ".join(["'self'", *frame_origins])

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
        dashboard = path.startswith(DASHBOARD)
        if dashboard and self.dashboard_ancestors == "frame-ancestors 'self'":
            headers["X-Frame-Options"] = "SAMEORIGIN"  # older browsers; newer ones read frame-ancestors
        policy = self.site_policy()
        if policy and headers.get("content-type", "").startswith("text/html"):
            headers["Content-Security-Policy"] = policy.replace("frame-ancestors 'self'", self.dashboard_ancestors) \
                if dashboard else policy
