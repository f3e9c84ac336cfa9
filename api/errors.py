"""The API's few error kinds, each carrying its status; one handler turns them into problem+json."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse


class ApiError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, headers: dict[str, str] | None = None, **extra):
        super().__init__(detail)
        self.detail = detail
        self.headers = headers  # e.g. Retry-After
        self.extra = extra


class BadRequest(ApiError):
    status = 400
    title = "Bad request"


class Unauthorized(ApiError):
    status = 401
    title = "Unauthorized"


class Forbidden(ApiError):
    status = 403
    title = "Forbidden"


class NotFound(ApiError):
    status = 404
    title = "Not found"


class PayloadTooLarge(ApiError):
    status = 413
    title = "Payload too large"


class Unavailable(ApiError):
    status = 503
    title = "Service unavailable"


def problem(status: int, title: str, detail: str, headers: dict | None = None, **extra) -> JSONResponse:
    headers = {**(headers or {}), **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return JSONResponse({"type": "about:blank", "status": status, "title": title, "detail": detail, **extra},
                        status_code=status, media_type="application/problem+json", headers=headers)


async def api_error_handler(request: Request, exc: ApiError) -> JSONResponse:
    return problem(exc.status, exc.title, exc.detail, headers=exc.headers, **exc.extra)
