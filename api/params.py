"""Reading and checking request input: every bad value becomes a 400 that names the parameter.

Each endpoint declares its parameters once as `Param`s: the same declaration reads and checks
the value of a request and describes it in the OpenAPI document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from starlette.requests import Request

from site_builder.records import READ_PAGE

from .errors import BadRequest, PayloadTooLarge

MAX_QUERY_CHARS = 500
MAX_BODY_BYTES = 64 * 1024


def text(value, name: str, *, required: bool = False, max_chars: int = MAX_QUERY_CHARS) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise BadRequest(f"'{name}' is required and must not be empty", param=name)
        return None
    if not isinstance(value, str):
        raise BadRequest(f"'{name}' must be text", param=name)
    if "\ufffd" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise BadRequest(f"'{name}' is not valid UTF-8", param=name)
    cleaned = "".join(c if c.isprintable() or c in "\t\n" else " " for c in value).strip()
    if len(cleaned) > max_chars:
        raise BadRequest(f"'{name}' is too long: {len(cleaned)} characters, at most {max_chars}", param=name)
    return cleaned


IDENTIFIER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def identifier(value, name: str) -> str | None:
    """An id the server handed out (conversation, answer): letters, digits, '-' and '_'."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise BadRequest(f"'{name}' must be 1 to 64 letters, digits, '-' or '_'", param=name)
    return value


MAX_HELP_IDS = 100
HELP_IDS_PATTERN = r"^[^,]{1,200}(,[^,]{1,200}){0,%d}$" % (MAX_HELP_IDS - 1)


def help_ids(value, name: str) -> list[str]:
    """A comma-separated list of help ids (a page's tooltips and cards), each 1 to 200 characters, repeats dropped."""
    ids = list(dict.fromkeys(part.strip() for part in (value or "").split(",") if part.strip()))
    if not isinstance(value, str) or not ids:
        raise BadRequest(f"'{name}' is required: help ids separated by commas, e.g. wo-new-form,wo-priority-field",
                         param=name)
    if len(ids) > MAX_HELP_IDS:
        raise BadRequest(f"'{name}' holds {len(ids)} help ids; ask for at most {MAX_HELP_IDS} at once", param=name)
    if any(len(i) > 200 for i in ids):
        raise BadRequest(f"'{name}': a help id has at most 200 characters", param=name)
    return ids


def integer(value, name: str, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        number = None
    else:
        try:
            number = int(value)
        except ValueError:
            number = None
    if number is None or not low <= number <= high:
        raise BadRequest(f"'{name}' must be a whole number from {low} to {high}", param=name)
    return number


def choice(value, name: str, options: tuple[str, ...], default: str) -> str:
    if value in (None, ""):
        return default
    if value not in options:
        raise BadRequest(f"'{name}' must be one of {', '.join(options)}", param=name)
    return value


def boolean(value, name: str) -> bool:
    if not isinstance(value, bool):
        raise BadRequest(f"'{name}' must be true or false", param=name)
    return value


def url_path(value, name: str) -> str | None:
    """The path of a product URL or path (host and query ignored); 400 when it is not one. The help site's
    reader page keeps the article it shows (/read/?id=...): its path alone names no article."""
    url = text(value, name, max_chars=2000)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = urlsplit("")
    if not parts.path.startswith("/"):
        raise BadRequest(f"'{name}' must be a path such as /work-orders/new or a full URL", param=name)
    shown = parse_qs(parts.query).get("id", [""])[0] if parts.path == READ_PAGE else ""
    return f"{READ_PAGE}?id={quote(shown, safe='/')}" if shown else parts.path


def timestamp(value, name: str) -> datetime | None:
    """An ISO 8601 date and time; one without a zone is taken as UTC."""
    if value is None or value == "":
        return None
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        at = None
    if at is None:
        raise BadRequest(f"'{name}' must be an ISO 8601 date and time, e.g. 2026-12-03T14:05:00Z", param=name)
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def day(value, name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else _bad_day(name)
    except ValueError:
        return _bad_day(name)


def _bad_day(name: str):
    raise BadRequest(f"'{name}' must be a date such as 2026-12-03", param=name)


async def raw_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"request body is larger than {MAX_BODY_BYTES} bytes")
    raw = b""
    async for part in request.stream():
        raw += part
        if len(raw) > MAX_BODY_BYTES:
            raise PayloadTooLarge(f"request body is larger than {MAX_BODY_BYTES} bytes")
    return raw


def json_object(raw: bytes) -> dict:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("request body must be a JSON object") from None
    if not isinstance(data, dict):
        raise BadRequest("request body must be a JSON object")
    return data


@dataclass(frozen=True)
class Param:
    """One input of an endpoint: how it is read and checked, and how the OpenAPI document describes it."""

    name: str
    description: str
    kind: str = "text"  # text, integer, choice, identifier, url, boolean, timestamp, date or custom
    required: bool = False
    in_path: bool = False
    max_chars: int = MAX_QUERY_CHARS
    low: int = 0
    high: int = 0
    default: Any = None
    options: tuple[str, ...] = ()
    reader: Callable[[Any, str], Any] | None = None  # kind "custom": reads and checks the value itself
    json_schema: dict | None = None  # kind "custom": how the OpenAPI document describes it

    def read(self, value) -> Any:
        return READERS[self.kind](self, value)

    def schema(self) -> dict:
        if self.kind == "custom":
            return dict(self.json_schema or {})
        schema: dict[str, Any] = {"type": SCHEMA_TYPES[self.kind]}
        if self.kind in ("text", "url"):
            schema["maxLength"] = 2000 if self.kind == "url" else self.max_chars
            if self.required:
                schema["minLength"] = 1  # an optional one may be empty: it then counts as not given
        elif self.kind == "timestamp":
            schema["format"] = "date-time"
        elif self.kind == "date":
            schema["format"] = "date"
        elif self.kind == "identifier":
            schema["pattern"] = IDENTIFIER.pattern
        elif self.kind == "integer":
            schema.update(minimum=self.low, maximum=self.high)
        elif self.kind == "choice":
            schema["enum"] = list(self.options)
        if self.default is not None:
            schema["default"] = self.default
        return schema


SCHEMA_TYPES = {"text": "string", "integer": "integer", "choice": "string", "identifier": "string", "url": "string",
                "boolean": "boolean", "timestamp": "string", "date": "string"}
READERS: dict[str, Callable[[Param, Any], Any]] = {
    "text": lambda p, v: text(v, p.name, required=p.required, max_chars=p.max_chars),
    "integer": lambda p, v: _required(p, integer(v, p.name, p.default, p.low, p.high)),
    "choice": lambda p, v: choice(v, p.name, p.options, p.default),
    "identifier": lambda p, v: _required(p, identifier(v, p.name)),
    "url": lambda p, v: url_path(v, p.name),
    "boolean": lambda p, v: boolean(v, p.name),
    "timestamp": lambda p, v: _required(p, timestamp(v, p.name)),
    "date": lambda p, v: _required(p, day(v, p.name)),
    "custom": lambda p, v: p.reader(v, p.name),
}


def _required(param: Param, value):
    if value is None and param.required:
        raise BadRequest(f"'{param.name}' is required and must not be empty", param=param.name)
    return value
