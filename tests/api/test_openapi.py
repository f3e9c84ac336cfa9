"""The OpenAPI document describes every route the app has, and every field its responses really carry."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Mount

from tests.api.conftest import CANARY, ask, token

TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict,
         "null": type(None)}


def conforms(value, schema: dict, schemas: dict, where: str = "$") -> list[str]:
    """Where `value` strays from `schema`: a wrong type, a field it lacks or one it does not describe."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
    kinds = schema.get("type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if kinds and not any(isinstance(value, TYPES[k]) and not (k in ("integer", "number") and isinstance(value, bool))
                         for k in kinds):
        return [f"{where}: {value!r} is not {kinds}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in {schema['enum']}"]
    problems = []
    if isinstance(value, dict) and "properties" in schema:
        props = schema["properties"]
        problems += [f"{where}.{k}: not described" for k in value if k not in props and schema.get("additionalProperties") is False]
        problems += [f"{where}.{k}: missing" for k in schema.get("required", []) if k not in value]
        for key, item in value.items():
            if key in props:
                problems += conforms(item, props[key], schemas, f"{where}.{key}")
    elif isinstance(value, dict) and isinstance(schema.get("additionalProperties"), dict):
        for key, item in value.items():
            problems += conforms(item, schema["additionalProperties"], schemas, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += conforms(item, schema["items"], schemas, f"{where}[{i}]")
    return problems


@pytest.fixture(scope="module")
def document(client):
    return client.get("/api/v1/openapi.json").json()


def test_every_route_of_the_app_is_described_and_nothing_else(client, document):
    mount = next(r for r in client.app.routes if isinstance(r, Mount) and r.path == "/api")
    routes = {("/api" + re.sub(r"\{(\w+):\w+\}", r"{\1}", r.path), m.lower()) for r in mount.routes for m in r.methods - {"HEAD"}}
    described = {(path, method) for path, operations in document["paths"].items() for method in operations}
    assert routes == described


def test_parameters_carry_the_limits_the_server_enforces(client, document):
    limit = next(p for p in document["paths"]["/api/v1/search"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}
    assert client.get("/api/v1/search", params={"q": "boilers", "limit": 51}).status_code == 400
    assert client.get("/api/v1/search", params={"q": "boilers", "limit": 50}).status_code == 200
    body = document["paths"]["/api/v1/chat"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["question"] and body["properties"]["question"]["maxLength"] == 2000


def check(response, document, path: str, method: str = "get") -> None:
    operation = document["paths"][path][method]
    described = operation["responses"][str(response.status_code)]
    schema = next(iter(described["content"].values()))["schema"]
    assert conforms(response.json(), schema, document["components"]["schemas"]) == []


@pytest.mark.parametrize("path, url, params", [
    ("/api/v1/health", "/api/v1/health", {}),
    ("/api/v1/search", "/api/v1/search", {"q": "wrok ordr boilers", "limit": 3}),
    ("/api/v1/search", "/api/v1/search", {"q": "help me"}),
    ("/api/v1/search", "/api/v1/search", {"q": "no such words at all xyzzy"}),
    ("/api/v1/search", "/api/v1/search", {"q": ""}),
    ("/api/v1/suggest", "/api/v1/suggest", {"q": "assign a w"}),
    ("/api/v1/articles", "/api/v1/articles", {"limit": 200}),
    ("/api/v1/articles/{article_id}", "/api/v1/articles/create-a-work-order", {}),
    ("/api/v1/articles/{article_id}", "/api/v1/articles/canary", {}),
    ("/api/v1/categories", "/api/v1/categories", {}),
    ("/api/v1/contextual", "/api/v1/contextual", {"url": "/work-orders/new"}),
    ("/api/v1/help/{help_id}", "/api/v1/help/wo-new-form", {}),
    ("/api/v1/help/{help_id}", "/api/v1/help/nothing", {}),
])
@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_responses_carry_exactly_the_described_fields(client, document, path, url, params, who):
    response = client.get(url, params=params, headers=token(["admin"]) if who == "admin" else {})
    check(response, document, path)


def test_search_by_post_and_chat_events_are_described(client, document):
    check(client.post("/api/v1/search", json={"q": f"{CANARY} boilers"}, headers=token(["admin"])), document,
          "/api/v1/search", "post")
    schemas = document["components"]["schemas"]
    events = ask(client, {"question": "How do I assign a work order?"})
    by_name = {"sources": "ChatSources", "delta": "ChatDelta", "done": "ChatDone", "error": "ChatError"}
    for name, data, _ in events:
        assert conforms(data, {"$ref": f"#/components/schemas/{by_name[name]}"}, schemas) == [], name
    feedback = client.post(f"/api/v1/chat/{events[-1][1]['answer_id']}/feedback", json={"helpful": True})
    check(feedback, document, "/api/v1/chat/{answer_id}/feedback", "post")
