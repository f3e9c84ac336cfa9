"""The OpenAPI description (GET /api/v1/openapi.json), derived from the endpoints' declarations.

Paths, methods, parameters, request bodies and error statuses come from each `Endpoint`, so
a route cannot exist without its description; the response schemas below describe every
field the responses carry (tests check real responses against them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .endpoint import Endpoint

ERRORS = {
    400: "Bad input: the problem names the parameter",
    401: "Expired, malformed or forged token",
    404: "Unknown, or not visible to this caller",
    403: "The token's roles do not allow this",
    413: "Request body too large",
    503: "The store cannot be reached",
}
PATH_CONVERTER = re.compile(r"\{(\w+):\w+\}")


def _string(nullable: bool = False, **extra) -> dict:
    return {"type": ["string", "null"] if nullable else "string", **extra}


def _list(items: dict) -> dict:
    return {"type": "array", "items": items}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, optional: Iterable[str] = ()) -> dict:
    skip = set(optional)
    return {"type": "object", "required": [k for k in properties if k not in skip], "properties": properties,
            "additionalProperties": False}


INTEGER, NUMBER, BOOLEAN, STRINGS = {"type": "integer"}, {"type": "number"}, {"type": "boolean"}, _list(_string())
LINK = _object({"id": _string(), "title": _string(), "url": _string()})
SUMMARY_FIELDS = {
    "id": _string(), "title": _string(), "url": _string(description="The page on the help site"), "summary": _string(),
    "category": _list(_string(description="Category titles, outermost first")),
    "category_id": _string(description="e.g. work-orders/creating"), "tags": STRINGS, "help_ids": STRINGS,
    "updated": _string(nullable=True, format="date"),
}
SCHEMAS = {
    "Problem": _object({"type": _string(), "status": INTEGER, "title": _string(), "detail": _string(),
                        "param": _string(description="The parameter at fault")}, optional=["param"]),
    "OpenAPI": {"type": "object"},
    "Health": _object({
        "status": _string(enum=["ok", "degraded"], description="degraded: a newer build could not be loaded"),
        "build_id": _string(), "built_at": _string(nullable=True), "articles": INTEGER,
        "chunks": INTEGER, "categories": INTEGER, "model": _string(nullable=True),
        "last_reload_error": _string(nullable=True, description="Why the newest build is not served, if it is not")}),
    "SearchResults": _object({
        "search_id": _string(), "query": _string(), "mode": _string(enum=["hybrid", "keyword", "semantic"]),
        "total": INTEGER, "limit": INTEGER, "offset": INTEGER,
        "corrections": {"type": "object", "additionalProperties": _string(), "description": "{typed word: index term}"},
        "results": _list(_ref("SearchResult")),
        "facets": _object({"category": _list(_object({"id": _string(), "title": _string(), "count": INTEGER})),
                           "tag": _list(_object({"value": _string(), "count": INTEGER}))})}),
    "SearchResult": _object({
        "id": _string(), "title": _string(), "url": _string(description="The page, with the matched section's #anchor"),
        "snippet": _string(description="HTML-escaped text; matched words in <mark>"), "summary": _string(),
        "category": _list(_string()), "category_id": _string(), "section": _string(), "score": NUMBER,
        "pinned": BOOLEAN}),
    "Suggestions": _object({"query": _string(), "suggestions": _list(_object({
        "text": _string(), "kind": _string(enum=["title", "term"]), "id": _string(), "url": _string()},
        optional=["id", "url"]))}),
    "ArticleSummary": _object(SUMMARY_FIELDS),
    "ArticleList": _object({"total": INTEGER, "limit": INTEGER, "offset": INTEGER, "articles": _list(_ref("ArticleSummary"))}),
    "Article": _object({**SUMMARY_FIELDS, "html": _string(), "contexts": STRINGS, "owner": _string(), "language": _string(),
                        "last_reviewed": _string(nullable=True, format="date"), "related": _list(LINK),
                        "votes": _ref("Votes")}),
    "Votes": _object({"helpful": INTEGER, "not_helpful": INTEGER}),
    "VoteRecorded": _object({"article_id": _string(), "helpful": BOOLEAN, "votes": _ref("Votes")}),
    "EventsRecorded": _object({"recorded": INTEGER}),
    "ClickRecorded": _object({"search_id": _string(), "recorded": BOOLEAN}),
    "TicketRecorded": _object({"ticket_id": _string(), "event": _string(enum=["created", "resolved"]),
                               "duplicate": BOOLEAN}),
    "Categories": _object({"categories": _list(_ref("Category")), "total": INTEGER}),
    "Category": _object({"id": _string(), "title": _string(), "description": _string(), "icon": _string(), "url": _string(),
                         "count": INTEGER, "children": _list(_ref("Category"))}),
    "Contextual": _object({"url": _string(nullable=True), "help_id": _string(nullable=True),
                           "articles": _list(_ref("ArticleSummary"))}),
    "HelpText": _object({"help_id": _string(), "title": _string(), "text": _string(), "article": LINK}),
    "FeedbackRecorded": _object({"answer_id": _string(), "recorded": BOOLEAN}),
    "ChatSources": _object({"sources": _list(LINK)}),
    "ChatDelta": _object({"text": _string()}),
    "ChatDone": _object({"answered": BOOLEAN, "mode": _string(enum=["extractive", "llm"]), "conversation_id": _string(),
                         "answer_id": _string(), "citations": _list(_object({"n": INTEGER, **LINK["properties"]}))}),
    "ChatError": _object({"message": _string(), "answer_id": _string()}),
}
CHAT_EVENTS = ("A text/event-stream: one `sources` event (ChatSources), `delta` events (ChatDelta) as the answer is "
               "written, then `done` (ChatDone) or `error` (ChatError).")


def spec(endpoints: Iterable[Endpoint]) -> dict:
    paths: dict[str, dict] = {}
    for endpoint in endpoints:
        path = "/api" + PATH_CONVERTER.sub(r"{\1}", endpoint.path)
        paths.setdefault(path, {})[endpoint.method.lower()] = _operation(endpoint)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Help center API", "version": "1"},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT (HS256, claims tenant, user, roles, exp)"}},
            "schemas": SCHEMAS,
        },
    }


def _operation(endpoint: Endpoint) -> dict:
    operation = {"operationId": endpoint.name, "summary": endpoint.summary, "security": [{"bearer": []}, {}]}
    in_path = [p for p in endpoint.params if p.in_path]
    rest = [p for p in endpoint.params if not p.in_path]
    listed = in_path + ([] if endpoint.body else rest)
    parameters = [{"name": p.name, "in": "path" if p.in_path else "query", "required": p.required or p.in_path,
                   "description": p.description, "schema": p.schema()} for p in listed]
    if endpoint.signed:
        operation["security"] = []
        parameters.append({"name": "X-Signature-256", "in": "header", "required": True, "schema": {"type": "string"},
                           "description": "sha256= and the hex HMAC-SHA256 of the raw body with HELP_CENTER_WEBHOOK_SECRET"})
    if parameters:
        operation["parameters"] = parameters
    if endpoint.body:
        body = {"type": "object", "required": [p.name for p in rest if p.required],
                "properties": {p.name: {**p.schema(), "description": p.description} for p in rest}}
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    operation["responses"] = {str(endpoint.status): _success(endpoint), **{
        str(status): {"description": ERRORS[status], "content": {"application/problem+json": {"schema": _ref("Problem")}}}
        for status in sorted({*endpoint.errors, 401})}}
    return operation


def _success(endpoint: Endpoint) -> dict:
    if endpoint.returns == "ChatEvents":
        return {"description": CHAT_EVENTS, "content": {"text/event-stream": {"schema": {"type": "string"}}}}
    return {"description": endpoint.summary, "content": {"application/json": {"schema": _ref(endpoint.returns)}}}
