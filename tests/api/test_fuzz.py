"""Schemathesis sends what the OpenAPI document allows, and much that it does not, to every endpoint: the API never
answers 5xx and never breaks its own description of a response."""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.checks import (content_type_conformance, negative_data_rejection, not_a_server_error,
                                response_headers_conformance, response_schema_conformance, status_code_conformance)
from hypothesis import HealthCheck, given, settings

from api.openapi import spec
from api.routes import ENDPOINTS

from tests.api.conftest import in_process, token

EXAMPLES = 25  # per endpoint: the whole run stays within a minute
# No 5xx, and every answer as described: status, content type, headers, body. Not "every schema-valid request is
# accepted": some rules span parameters (a date range of at most 366 days) that OpenAPI cannot say.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]


def started(app):
    """The app of a running TestClient, for Schemathesis, which opens a client of its own for every call: the help
    center is started (and stopped) once, by the fixture's client, not at every call."""

    async def serve(scope, receive, send):
        if scope["type"] != "lifespan":
            return await app(scope, receive, send)
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})

    return serve


@pytest.fixture(scope="module")
def api_schema(help_build, embedder, tmp_path_factory):
    with in_process(help_build[1], tmp_path_factory.mktemp("fuzz-var"), embedder) as client:
        yield schemathesis.openapi.from_asgi("/api/v1/openapi.json", started(client.app))


OPERATIONS = sorted((path, method.upper()) for path, ops in spec(ENDPOINTS)["paths"].items() for method in ops)


@pytest.mark.parametrize("path, method", OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_no_request_makes_the_api_fail_or_contradict_its_description(api_schema, path, method):
    operation = api_schema[path][method]
    headers = token(["admin"], tenant="")  # an operator: every endpoint is open to it, so the fuzzing reaches every handler

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def call(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
