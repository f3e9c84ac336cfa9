"""An endpoint declared once: its route, its parameters and its OpenAPI entry come from one `Endpoint`.

Every request goes through `Endpoint.handle`: the caller is resolved from the token first (a
forged, expired or malformed token is a 401 on every route, whatever else the request says),
then each declared parameter is read and checked, then the handler runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import params, webhooks
from .errors import Forbidden, Unauthorized
from .params import Param
from .rate_limit import client_key
from .tokens import ANONYMOUS, Caller, Tokens, caller_from_header


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # as mounted under /api, e.g. /v1/search
    handler: Callable[..., Awaitable[Any]]  # handler(center, caller, **parameters) -> dict or Response
    summary: str
    params: tuple[Param, ...] = ()
    body: bool = False  # parameters other than path ones come from a JSON body, not the query string
    status: int = 200
    returns: str | None = None  # the component schema of the response body
    media_type: str = "application/json"  # of the response body
    errors: tuple[int, ...] = ()  # statuses besides 401 (every endpoint reads the token) and 500
    signed: bool = False  # a webhook: the raw body must carry the support desk's HMAC signature
    access: str = "reader"  # reader (anyone), admin (the admin role, figures of its own tenant) or operator
    # (the admin role with no tenant: work that spans every tenant, such as rollups and exports)
    limit: str | None = None  # the rate-limit group (api/rate_limit.py GROUPS) its calls count against
    needs_client: bool = False  # the handler takes `client`: who is asking, as the rate limits count them

    @property
    def name(self) -> str:
        return f"{self.handler.__name__}_{self.method.lower()}"

    async def handle(self, request: Request) -> Response:
        center = request.app.state.help_center
        # A webhook is vouched for by its signature; a desk may send Authorization headers of its own.
        if self.signed:
            caller = ANONYMOUS
        elif center.tokens.jwks is not None:  # may fetch the identity provider's keys: not on the event loop
            caller = await run_in_threadpool(caller_of, request, center.tokens)
        else:
            caller = caller_of(request, center.tokens)
        check_access(caller, self.access)
        client = client_of(request, caller, center.config.trusted_proxies)
        if self.limit:
            center.limits.check(self.limit, client, caller.tenant)
        values = {p.name: p.read(request.path_params.get(p.name)) for p in self.params if p.in_path}
        source = await self._source(request, center.config.webhook_secret) if self.body else request.query_params
        values.update({p.name: p.read(source.get(p.name)) for p in self.params if not p.in_path})
        result = await self.handler(center, caller, **values, **({"client": client} if self.needs_client else {}))
        return result if isinstance(result, Response) else JSONResponse(result, status_code=self.status)

    async def _source(self, request: Request, webhook_secret: str | None) -> dict:
        raw = await params.raw_body(request)
        if self.signed:
            webhooks.verify(raw, request.headers.get(webhooks.SIGNATURE_HEADER), webhook_secret)
        return params.json_object(raw)


def routes(endpoints: Iterable[Endpoint]) -> list[Route]:
    """One route per path, answering each of its endpoints' methods (so a 405 lists them all)."""
    by_path: dict[str, dict[str, Endpoint]] = {}
    for endpoint in endpoints:
        by_path.setdefault(endpoint.path, {})[endpoint.method] = endpoint
    return [Route(path, _by_method(methods), methods=list(methods), name=next(iter(methods.values())).handler.__name__)
            for path, methods in by_path.items()]


def _by_method(endpoints: dict[str, Endpoint]):
    async def handle(request: Request) -> Response:
        return await endpoints["GET" if request.method == "HEAD" else request.method].handle(request)

    return handle


def check_access(caller: Caller, access: str) -> None:
    """Before any parameter is read: who may not call an endpoint learns nothing else about it."""
    if access == "reader":
        return
    if caller.anonymous:
        raise Unauthorized("this needs an admin token")
    if "admin" not in caller.roles:
        raise Forbidden("this needs a token with the admin role")
    if access == "operator" and caller.tenant:
        raise Forbidden("this works on every tenant's data: it needs an admin token with no tenant (an operator's)")


def client_of(request: Request, caller: Caller, trusted_proxies: tuple) -> str:
    peer = request.client.host if request.client else None
    return client_key(caller, peer, request.headers.get("x-forwarded-for"), trusted_proxies)


def caller_of(request: Request, tokens: Tokens) -> Caller:
    """The one place a request's caller is decided."""
    return caller_from_header(request.headers.get("authorization"), tokens)
