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
    429: "Too many requests from this client or tenant: wait the Retry-After header's seconds",
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
CHAT_EVENTS = ("A text/event-stream: one `sources` event (ChatSources), `delta` events (ChatDelta) as the answer is "
               "written, then `done` (ChatDone) or `error` (ChatError).")
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
        "weak": BOOLEAN | {"description": "Nothing matched the query well: the results are the nearest, not answers"},
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
                        "votes": {"anyOf": [_ref("Votes"), {"type": "null"}],
                                  "description": "null while the store of votes cannot be read"}}),
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
    "HelpTexts": _object({"help": _list(_ref("HelpText")),
                          "missing": {**_list(_string()), "description": "Help ids asked for with no text the caller may read"}}),
    "FeedbackRecorded": _object({"answer_id": _string(), "recorded": BOOLEAN}),
    "ChatSources": _object({"sources": _list(LINK)}),
    "ChatDelta": _object({"text": _string()}),
    "ChatDone": _object({"answered": BOOLEAN, "mode": _string(enum=["extractive", "llm"]),
                         "confidence": _string(enum=["high", "low"], description=(
                             "high: the cited passages answer the question; low: they may help (the answer says so), "
                             "or the assistant declined")),
                         "conversation_id": _string(),
                         "answer_id": _string(), "citations": _list(_object({"n": INTEGER, **LINK["properties"]}))}),
    "ChatError": _object({"message": _string(), "answer_id": _string()}),
    "RollupDone": _object({
        "today": _string(format="date", description="The server's UTC day"),
        "days": _list(_string(format="date", description="Days whose figures were computed, oldest first")),
        "figures": INTEGER, "deleted_before": _string(format="date", description="Raw rows of earlier days were deleted"),
        "deleted": _object({"events": INTEGER, "searches": INTEGER, "search_clicks": INTEGER}),
        "skipped": {"type": "boolean", "description": "Another rollup of the store was running (another server sharing "
                    "it, or the server's own schedule): this one computed and deleted nothing"}}),
    "ExportDone": _object({
        "path": _string(description="The new folder on the server, under HELP_CENTER_DATA/exports/"),
        "format": _string(enum=["parquet", "csv"]),
        "tables": _list(_object({"table": _string(), "file": _string(description="Its file name in the folder"),
                                 "rows": INTEGER}))}),
    "Dashboard": _object({
        "from": _string(format="date", description="The first day (UTC), included"),
        "to": _string(format="date", description="The last day (UTC), included"),
        "tenant": _string(nullable=True, description="The token's tenant; null for readers of no tenant"),
        "sessions": {"type": "integer", "description": "Distinct session ids in events, searches and assistant answers"},
        "readers": {"type": "integer", "description": "Distinct user ids; a reader without one counts once per session"},
        "article_views": {"type": "integer", "description": "article_view events"},
        "searches": {"type": "integer", "description": "Searches made"},
        "zero_result": _object({
            "rate": {"type": ["number", "null"], "description": "Searches that found nothing / searches"},
            "count": {"type": "integer", "description": "Searches that found nothing"},
            "top_queries": _list(_object({"query": _string(description="As searched, in lower case"), "searches": {
                "type": "integer", "description": "Its searches that found nothing"}}))}),
        "clicks": _object({
            "click_through_rate": {"type": ["number", "null"], "description": "Searches with a click / searches"},
            "mean_rank": {"type": ["number", "null"], "description": "Average position of the results opened, 1 the first"}}),
        "top_queries": _list(_ref("DashboardQuery")),
        "top_articles": _list(_object({
            "article_id": _string(), "title": _string(description="The id, for an article no longer in the build"),
            "url": _string(nullable=True), "views": {"type": "integer", "description": "article_view events"},
            "helpful": INTEGER, "not_helpful": INTEGER})),
        "votes": _object({
            "helpful": {"type": "integer", "description": "Helpful votes cast or changed in the range"},
            "not_helpful": {"type": "integer", "description": "Not helpful votes cast or changed in the range"},
            "lowest_rated": _list(_object({
                "article_id": _string(), "title": _string(), "url": _string(nullable=True), "helpful": INTEGER,
                "not_helpful": INTEGER, "helpful_ratio": {"type": ["number", "null"], "description": "helpful / votes"}}))}),
        "assistant": _object({
            "questions": {"type": "integer", "description": "Questions asked"},
            "answered_rate": {"type": ["number", "null"], "description": "Questions answered / questions"},
            "declined_rate": {"type": ["number", "null"], "description": "Questions declined (no error) / questions"},
            "helpful": {"type": "integer", "description": "Answers whose asker last said it helped"},
            "not_helpful": {"type": "integer", "description": "Answers whose asker last said it did not"}}),
        "tickets": _object({
            "total": {"type": "integer", "description": "Tickets created"},
            "after_help": {"type": "integer", "description": "Of them, by a reader with help activity in the 30 minutes before"},
            "without_help": {"type": "integer", "description": "The others"}}),
        "deflection": _object({
            "rate": {"type": ["number", "null"], "description": "Help sessions not followed by a ticket / help sessions"},
            "help_sessions": {"type": "integer", "description": "Sessions that viewed an article, searched or asked"},
            "followed_by_ticket": {"type": "integer", "description": "Help sessions their reader opened a ticket after"},
            "window_minutes": {"type": "integer", "description": "How soon after help a ticket counts as following it"}}),
        "contact_rate": _object({
            "articles": _list(_object({
                "article_id": _string(), "title": _string(), "url": _string(nullable=True),
                "readers": {"type": "integer", "description": "Readers who viewed it"},
                "contacted": {"type": "integer", "description": "Of them, readers who opened a ticket soon after"},
                "contact_rate": {"type": ["number", "null"], "description": "contacted / readers"},
                "ticket_subjects": _list(_string(description="Subjects of those tickets, newest first"))})),
            "answers": _list(_object({
                "answer_id": _string(description="The latest answer to the question"), "question": _string(),
                "readers": {"type": "integer", "description": "Readers who asked it"},
                "contacted": {"type": "integer", "description": "Of them, readers who opened a ticket soon after"},
                "contact_rate": {"type": ["number", "null"], "description": "contacted / readers"},
                "ticket_subjects": _list(_string(description="Subjects of those tickets, newest first"))}))}),
        "content_gaps": _list(_object({
            "gap_id": _string(), "label": _string(description="The most frequent wording"),
            "count": {"type": "integer", "description": "Searches, questions and tickets in the gap"},
            "harm": {"type": "integer", "description": "Weighted count: a ticket 3, a declined question 2, a search 1"},
            "examples": _list(_string(description="Distinct wordings, most frequent first")), "sources": _ref("GapSources"),
            "command": _string(description="Starts an article for the gap")})),
        "stale_articles": _list(_object({
            "article_id": _string(), "title": _string(), "url": _string(nullable=True),
            "score": {"type": "number", "description": "How urgently it needs a review, 0 to 100"},
            "days_overdue": {"type": "integer", "description": "Days past its review date"},
            "helpful": INTEGER, "not_helpful": INTEGER,
            "zero_result_near": {"type": "integer", "description": "Zero-result searches whose nearest article it is"},
            "tickets_after": {"type": "integer", "description": "Tickets opened soon after a view of it"}})),
        "daily": _list(_object({
            "day": _string(format="date"), "sessions": INTEGER, "readers": INTEGER, "article_views": INTEGER,
            "searches": INTEGER, "zero_result_rate": {"type": ["number", "null"], "description": "Of the day's searches"},
            "deflection_rate": {"type": ["number", "null"], "description": "Of the day's help sessions"},
            "tickets": {"type": "integer", "description": "Tickets created that day"}})),
    }),
    "DashboardQuery": _object({
        "query": _string(description="As searched, in lower case"), "searches": INTEGER,
        "clicks": {"type": "integer", "description": "Results opened from its searches"},
        "click_through_rate": {"type": ["number", "null"], "description": "Its searches with a click / its searches"},
        "zero_result": {"type": "boolean", "description": "None of its searches found anything"}}),
    "GapSources": _object({
        "zero_result": {"type": "integer", "description": "Searches that found nothing"},
        "declined": {"type": "integer", "description": "Questions the assistant declined"},
        "ticket": {"type": "integer", "description": "Tickets whose subject no article matches well"}}),
    "ContentGap": _object({
        "gap_id": _string(), "label": _string(description="The most frequent wording"),
        "count": {"type": "integer", "description": "Searches, questions and tickets in the gap"},
        "examples": _list(_string(description="Distinct wordings, most frequent first")), "sources": _ref("GapSources")}),
    "ChatEvents": {"description": CHAT_EVENTS, "oneOf": [
        _object({"event": {"const": name}, "data": _string(contentMediaType="application/json", contentSchema=_ref(schema))})
        for name, schema in (("sources", "ChatSources"), ("delta", "ChatDelta"), ("done", "ChatDone"), ("error", "ChatError"))]},
    "DashboardCsv": _string(description="text/csv: a header row, then one row per line of the table; lists joined "
                                        "with '; ', cells that a spreadsheet would run as a formula prefixed with '"),
}


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
    # A reader may call without a token; the others need one with the admin role.
    security = [{"bearer": []}, {}] if endpoint.access == "reader" else [{"bearer": []}]
    operation = {"operationId": endpoint.name, "summary": endpoint.summary, "security": security}
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
    return {"description": endpoint.summary, "content": {endpoint.media_type: {"schema": _ref(endpoint.returns)}}}
