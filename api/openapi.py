"""The OpenAPI description of every endpoint (GET /api/v1/openapi.json)."""

from __future__ import annotations


def _param(name: str, description: str, kind: str = "string", required: bool = False, where: str = "query") -> dict:
    return {"name": name, "in": where, "required": required or where == "path", "description": description, "schema": {"type": kind}}


PROBLEM = {"description": "Bad input, with a problem+json body", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
UNAUTHORIZED = {"description": "Expired, malformed or forged token", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
NOT_FOUND = {"description": "Unknown, or not visible to this caller", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def _ok(description: str, schema: str | None = None) -> dict:
    body = {"schema": {"$ref": f"#/components/schemas/{schema}"}} if schema else {"schema": {"type": "object"}}
    return {"description": description, "content": {"application/json": body}}


SEARCH_PARAMS = [
    _param("q", "What the reader typed (1 to 500 characters)", required=True),
    _param("limit", "Results per page, 1 to 50 (default 10)", "integer"),
    _param("offset", "Results to skip, 0 to 1000", "integer"),
    _param("category", "Only this category (an id from /categories, e.g. work-orders/creating) and its subcategories"),
    _param("tag", "Only articles with this tag"),
    _param("mode", "hybrid (default), keyword or semantic"),
]


def spec() -> dict:
    secured = [{"bearer": []}, {}]
    paths = {
        "/api/v1/health": {"get": {"summary": "The build being served and its counts", "responses": {"200": _ok("Health")}}},
        "/api/v1/openapi.json": {"get": {"summary": "This description", "responses": {"200": _ok("OpenAPI document")}}},
        "/api/v1/search": {
            "get": {"summary": "Hybrid keyword and semantic search, one result per article", "parameters": SEARCH_PARAMS, "security": secured,
                    "responses": {"200": _ok("Results, facets and a search_id", "SearchResults"), "400": PROBLEM, "401": UNAUTHORIZED}},
            "post": {"summary": "The same search with a JSON body", "security": secured,
                     "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchRequest"}}}},
                     "responses": {"200": _ok("Results", "SearchResults"), "400": PROBLEM, "401": UNAUTHORIZED, "413": PROBLEM}},
        },
        "/api/v1/suggest": {"get": {"summary": "Search-as-you-type completions of titles and words (keyword only)", "security": secured,
                                    "parameters": [_param("q", "The text typed so far", required=True), _param("limit", "1 to 20 (default 8)", "integer")],
                                    "responses": {"200": _ok("Suggestions"), "400": PROBLEM, "401": UNAUTHORIZED}}},
        "/api/v1/articles": {"get": {"summary": "Articles the caller may read", "security": secured,
                                     "parameters": [_param("category", "Category id"), _param("tag", "Tag"), _param("limit", "1 to 200", "integer"), _param("offset", "Offset", "integer")],
                                     "responses": {"200": _ok("Article list"), "400": PROBLEM, "401": UNAUTHORIZED}}},
        "/api/v1/articles/{article_id}": {"get": {"summary": "One article with its rendered HTML", "security": secured,
                                                  "parameters": [_param("article_id", "Article id", where="path")],
                                                  "responses": {"200": _ok("Article"), "404": NOT_FOUND, "401": UNAUTHORIZED}}},
        "/api/v1/categories": {"get": {"summary": "The category tree with article counts", "security": secured,
                                       "responses": {"200": _ok("Categories"), "401": UNAUTHORIZED}}},
        "/api/v1/contextual": {"get": {"summary": "Articles for a screen of the host product", "security": secured,
                                       "parameters": [_param("url", "The screen's path or URL, e.g. /work-orders/new"), _param("help_id", "A help id"), _param("limit", "1 to 20 (default 5)", "integer")],
                                       "responses": {"200": _ok("Contextual articles"), "400": PROBLEM, "401": UNAUTHORIZED}}},
        "/api/v1/help/{help_id}": {"get": {"summary": "The short text a tooltip or inline card shows", "security": secured,
                                           "parameters": [_param("help_id", "Help id", where="path")],
                                           "responses": {"200": _ok("Help text"), "404": NOT_FOUND, "401": UNAUTHORIZED}}},
        "/api/v1/chat": {"post": {"summary": "Ask the help assistant; answers as server-sent events (sources, delta, done, error)", "security": secured,
                                  "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["question"], "properties": {
                                      "question": {"type": "string"}, "conversation_id": {"type": "string"}, "current_url": {"type": "string"}}}}}},
                                  "responses": {"200": {"description": "text/event-stream of sources, delta, done or error events",
                                                        "content": {"text/event-stream": {"schema": {"type": "string"}}}},
                                                "400": PROBLEM, "401": UNAUTHORIZED}}},
        "/api/v1/chat/{answer_id}/feedback": {"post": {"summary": "Whether an answer helped", "security": secured,
                                                       "parameters": [_param("answer_id", "From the done event", where="path")],
                                                       "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["helpful"], "properties": {
                                                           "helpful": {"type": "boolean"}, "comment": {"type": "string"}}}}}},
                                                       "responses": {"201": _ok("Recorded"), "400": PROBLEM, "404": NOT_FOUND}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Help center API", "version": "1"},
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT (HS256, claims tenant, user, roles, exp)"}},
            "schemas": {
                "Problem": {"type": "object", "properties": {"status": {"type": "integer"}, "title": {"type": "string"}, "detail": {"type": "string"}, "param": {"type": "string"}}},
                "SearchRequest": {"type": "object", "required": ["q"], "properties": {p["name"]: p["schema"] for p in SEARCH_PARAMS}},
                "SearchResults": {"type": "object", "properties": {
                    "search_id": {"type": "string"}, "query": {"type": "string"}, "total": {"type": "integer"},
                    "corrections": {"type": "object"},
                    "results": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"},
                        "snippet": {"type": "string", "description": "HTML-escaped text; matched words in <mark>"},
                        "category": {"type": "array", "items": {"type": "string"}}, "section": {"type": "string"}, "score": {"type": "number"}}}},
                    "facets": {"type": "object"}}},
            },
        },
    }
