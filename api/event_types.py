"""The analytics events a browser may send (POST /api/v1/events), and the checking of a batch.

A batch is `{"events": [{"type": ..., "session_id": ..., ...}, ...]}` with 1 to MAX_EVENTS events.
Every event carries `type`, `session_id` (required) and `url` (optional; only its path is kept),
plus the fields its type declares in EVENT_TYPES below: those declarations are the reference,
and both the checks and the OpenAPI schema are made from them, so the two cannot disagree.

A batch is all or nothing: one unknown type, unknown field, missing field or bad value is a 400
naming it (e.g. 'events[3].rank'), and then no event of the batch is returned to be stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from .errors import BadRequest
from .params import IDENTIFIER, choice, identifier, integer, url_path

MAX_EVENTS = 100
ARTICLE_ID = re.compile(r"^[A-Za-z0-9_./-]{1,200}$")


@dataclass(frozen=True)
class Event:
    type: str
    session_id: str
    subject: str | None  # what the event is about: the article, tour, card or help id
    data: dict  # the other fields given, JSON-serialisable; absent optional fields are left out


@dataclass(frozen=True)
class Field:
    """One field of an event: how its value is checked, and how the OpenAPI schema describes it."""

    name: str
    kind: str  # article, identifier, integer, choice or url
    description: str
    required: bool = False
    low: int = 0
    high: int = 0
    options: tuple[str, ...] = ()

    def read(self, value, event: str) -> Any:
        name = f"{event}.{self.name}"
        found = READERS[self.kind](self, value, name)
        if found is None and self.required:
            raise BadRequest(f"'{name}' is required and must not be empty", param=name)
        return found

    def schema(self) -> dict:
        schema: dict[str, Any] = {"type": "integer" if self.kind == "integer" else "string",
                                  "description": self.description}
        if self.kind in ("article", "identifier"):
            schema["pattern"] = (ARTICLE_ID if self.kind == "article" else IDENTIFIER).pattern
        elif self.kind == "integer":
            schema.update(minimum=self.low, maximum=self.high)
        elif self.kind == "choice":
            schema["enum"] = list(self.options)
        elif self.kind == "url":
            schema["maxLength"] = 2000
        return schema


def article_id(value, name: str) -> str | None:
    """An article's id, bare (create-a-work-order) or with its category (work-orders/create-a-work-order)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not ARTICLE_ID.match(value):
        raise BadRequest(f"'{name}' must be an article id: 1 to 200 letters, digits, '-', '_', '/' or '.'", param=name)
    return value


READERS: dict[str, Callable[[Field, Any, str], Any]] = {
    "article": lambda f, v, name: article_id(v, name),
    "identifier": lambda f, v, name: identifier(v, name),
    "integer": lambda f, v, name: integer(v, name, None, f.low, f.high),
    "choice": lambda f, v, name: choice(v, name, f.options, None),
    "url": lambda f, v, name: url_path(v, name),
}


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    fields: tuple[Field, ...]
    subject: str  # the field whose value becomes Event.subject


COMMON = (
    Field("session_id", "identifier", "The browser session, made up by the page; 1 to 64 letters, digits, '-' or '_'",
          required=True),
    Field("url", "url", "The page the reader was on: a path or a full URL, of which only the path is kept"),
)
ARTICLE = Field("article_id", "article", "The article, e.g. create-a-work-order or work-orders/create-a-work-order",
                required=True)
SEARCH = Field("search_id", "identifier", "The search_id of the search results the reader came from", required=True)
TOUR = Field("tour_id", "identifier", "The product tour", required=True)
CARD = Field("card_id", "identifier", "The help card shown in the product", required=True)
MAX_STEP = 200  # steps count from 0; no tour has anywhere near 200


EVENT_TYPES = {t.name: t for t in (
    EventType("article_view", "A reader opened an article", (ARTICLE,), "article_id"),
    EventType("search_click", "A reader opened a search result", (
        SEARCH, ARTICLE,
        # 1000 is far past any page of results a reader scrolls to; anything larger is a client bug.
        Field("rank", "integer", "The result's position in the list, the first being 1", required=True, low=1,
              high=1000),
    ), "article_id"),
    EventType("share", "A reader shared an article", (
        ARTICLE, Field("channel", "choice", "How it was shared", options=("link", "email", "other")),
    ), "article_id"),
    EventType("bookmark", "A reader bookmarked an article", (ARTICLE,), "article_id"),
    EventType("tour_started", "A product tour began", (TOUR,), "tour_id"),
    EventType("tour_step", "A product tour showed a step", (
        TOUR, Field("step", "integer", "The step shown, the first being 0", required=True, high=MAX_STEP),
    ), "tour_id"),
    EventType("tour_completed", "A reader finished a product tour", (TOUR,), "tour_id"),
    EventType("tour_dismissed", "A reader closed a product tour before its end", (
        TOUR, Field("step", "integer", "The step the tour was closed on, the first being 0", high=MAX_STEP),
    ), "tour_id"),
    EventType("card_viewed", "A help card was shown", (CARD,), "card_id"),
    EventType("card_dismissed", "A reader closed a help card", (CARD,), "card_id"),
    EventType("tooltip_viewed", "A reader opened a contextual tooltip", (
        Field("help_id", "identifier", "The help id of the tooltip, e.g. wo-new-form", required=True),
    ), "help_id"),
    EventType("contact_support", "A reader went on to contact support; what they had read, if anything", (
        replace(ARTICLE, required=False),
        Field("answer_id", "identifier", "The assistant's answer they had read"),
        replace(SEARCH, required=False),
        Field("channel", "choice", "How they contacted support", options=("chat", "email", "phone", "form", "other")),
    ), "article_id"),
)}


def parse_events(body: dict) -> list[Event]:
    """The events of a request body, every one checked; a 400 naming the first bad value otherwise."""
    for key in body:
        if key != "events":
            raise BadRequest(f"'{key}' is not a field of the request body; send {{\"events\": [...]}}", param=key)
    events = body.get("events")
    if events is None:
        raise BadRequest("'events' is required and must not be empty", param="events")
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_EVENTS:
        raise BadRequest(f"'events' must be a list of 1 to {MAX_EVENTS} events", param="events")
    return [_event(event, f"events[{index}]") for index, event in enumerate(events)]


def _event(event, where: str) -> Event:
    if not isinstance(event, dict):
        raise BadRequest(f"'{where}' must be an object with a type and a session_id", param=where)
    kind = _event_type(event.get("type"), f"{where}.type")
    fields = COMMON + kind.fields
    known = {"type", *(f.name for f in fields)}
    for key in event:
        if key not in known:
            raise BadRequest(f"'{where}.{key}' is not a field of {kind.name} events", param=f"{where}.{key}")
    values = {f.name: f.read(event.get(f.name), where) for f in fields}
    data = {k: v for k, v in values.items() if v is not None and k not in ("session_id", kind.subject)}
    return Event(kind.name, values["session_id"], values[kind.subject], data)


def _event_type(value, name: str) -> EventType:
    found = choice(value, name, tuple(EVENT_TYPES), "")
    if not found:
        raise BadRequest(f"'{name}' is required and must not be empty", param=name)
    return EVENT_TYPES[found]


def openapi_schema() -> dict:
    """The JSON Schema of the request body: one alternative per event type, made from EVENT_TYPES."""
    return {
        "type": "object", "required": ["events"], "additionalProperties": False,
        "properties": {"events": {
            "type": "array", "minItems": 1, "maxItems": MAX_EVENTS,
            "description": f"1 to {MAX_EVENTS} events, stored all together or (if one is bad) not at all",
            "items": {"oneOf": [_schema(t) for t in EVENT_TYPES.values()]},
        }},
    }


def _schema(kind: EventType) -> dict:
    fields = COMMON + kind.fields
    return {
        "type": "object", "title": kind.name, "description": kind.description,
        "required": ["type", *(f.name for f in fields if f.required)],
        "properties": {"type": {"type": "string", "const": kind.name}, **{f.name: f.schema() for f in fields}},
        "additionalProperties": False,
    }
