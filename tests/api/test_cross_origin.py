"""A host product's pages call the API from their own origin, when the operator lists it; no other site can."""

from __future__ import annotations

import pytest

from api.config import serve_config
from tests.api.conftest import in_process

APP = "https://app.example.com"


@pytest.fixture(scope="module")
def listed(help_build, embedder, tmp_path_factory):
    origins = f"{APP}, http://127.0.0.1:9999/"
    with in_process(help_build[1], tmp_path_factory.mktemp("var"), embedder, HELP_CENTER_ALLOWED_ORIGINS=origins) as c:
        yield c


def test_a_listed_origin_may_search_and_read_the_tours(listed):
    found = listed.get("/api/v1/search", params={"q": "work order"}, headers={"Origin": APP})
    assert found.status_code == 200 and found.headers["access-control-allow-origin"] == APP
    assert "access-control-allow-credentials" not in found.headers, "tokens travel in a header, never in cookies"
    assert listed.get("/api/v1/search", params={"q": "x"}, headers={"Origin": "http://127.0.0.1:9999"}).headers[
        "access-control-allow-origin"] == "http://127.0.0.1:9999", "a trailing slash in the setting is forgiven"


def test_the_browser_may_send_a_token_and_json_from_a_listed_origin(listed):
    preflight = listed.options("/api/v1/chat", headers={
        "Origin": APP, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == APP
    assert {h.strip().lower() for h in preflight.headers["access-control-allow-headers"].split(",")} >= {"authorization", "content-type"}


def test_another_origin_gets_no_permission(listed, client):
    other = listed.get("/api/v1/search", params={"q": "work order"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    denied = listed.options("/api/v1/chat", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert denied.status_code == 400 and "access-control-allow-origin" not in denied.headers
    unset = client.get("/api/v1/search", params={"q": "work order"}, headers={"Origin": APP})
    assert "access-control-allow-origin" not in unset.headers, "with the setting unset, no other origin is allowed"


@pytest.mark.parametrize("raw", ["app.example.com", "https://app.example.com/path", "ftp://x.example"])
def test_a_value_that_is_not_an_origin_is_refused_by_name(raw):
    with pytest.raises(SystemExit, match=f"HELP_CENTER_ALLOWED_ORIGINS: '{raw}' is not an origin"):
        serve_config([], {"HELP_CENTER_ALLOWED_ORIGINS": raw})
