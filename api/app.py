"""The Starlette application: the API under /api/v1/ and the built site at /, on one port."""

from __future__ import annotations

import contextlib
import logging
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount

from .config import ServeConfig
from .endpoint import routes as api_routes
from .errors import ApiError, api_error_handler, problem
from .help_center import HelpCenter, open_help_center
from .routes import ENDPOINTS
from .request_limits import HeaderLimit
from .security_headers import SecurityHeaders
from .site_files import SiteFiles

log = logging.getLogger("help_center")


def create_app(config: ServeConfig, center: HelpCenter | None = None) -> Starlette:
    """`center` defaults to one opened from `config`; tests pass one (made from the same config) that shares a loaded model."""
    center = center or open_help_center(config)
    site = SiteFiles(center.holder)
    routes = [Mount("/api", routes=api_routes(ENDPOINTS)), Mount("/", app=site, name="site")]
    middleware = [Middleware(SecurityHeaders, site_policy=site.policy, frame_origins=center.config.allowed_origins), Middleware(HeaderLimit),
                  *_cross_origin(center.config.allowed_origins)]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware, exception_handlers={
        ApiError: api_error_handler,
        HTTPException: _http_error,
        Exception: _internal_error,
    })
    app.state.help_center = center
    return app


def _cross_origin(origins: tuple[str, ...]) -> list[Middleware]:
    """Pages of the listed host products may call the API and fetch the widgets' data (tours); no one else.
    Tokens travel in the Authorization header, never in cookies, so no credentials are allowed."""
    if not origins:
        return []
    return [Middleware(CORSMiddleware, allow_origins=list(origins), allow_methods=["GET", "POST"],
                       allow_headers=["Authorization", "Content-Type"], max_age=600)]


@contextlib.asynccontextmanager
async def lifespan(app: Starlette):
    center: HelpCenter = app.state.help_center
    center.start()
    try:
        yield
    finally:
        await center.close()


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    """Starlette's own errors (no such route, a method the route does not take), titled like ours: "Not found"."""
    detail, headers = exc.detail, dict(exc.headers or {})
    if exc.status_code == 404:
        detail = f"no API endpoint {request.url.path}; see /api/v1/openapi.json"
    elif exc.status_code == 405:
        # Starlette joins a set: sorted, the header is the same in every process.
        allowed = headers["Allow"] = ", ".join(sorted(m.strip() for m in headers.get("Allow", "").split(",") if m.strip()))
        detail = f"{request.method} is not allowed on {request.url.path}; it takes {allowed or 'no method'}"
    title = HTTPStatus(exc.status_code).phrase.capitalize()
    return problem(exc.status_code, title, detail, headers=headers)


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(500, "Internal server error", "something went wrong; it has been logged")
