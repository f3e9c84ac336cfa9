"""Every route decides who is calling the same way: a bad token is refused everywhere, and feedback on
an answer is taken only from the reader it was given to."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Mount, Route

from tests.api.conftest import ask, token


def api_routes(app) -> list[tuple[str, str]]:
    """(method, concrete path) of every API route the app really has, path parameters filled in."""
    mount = next(r for r in app.routes if isinstance(r, Mount) and r.path == "/api")
    found = []
    for route in mount.routes:
        assert isinstance(route, Route)
        path = "/api" + re.sub(r"\{(\w+)(:\w+)?\}", "x1", route.path)
        found += [(method, path) for method in sorted(route.methods - {"HEAD"})]
    return found


BAD_TOKENS = {
    "forged": token(["admin"], secret="not-the-server-secret"),
    "expired": token(["admin"], ttl=-120),  # beyond the 30 s of clock drift forgiven
    "malformed": {"Authorization": "Bearer not.a.token"},
    "wrong scheme": {"Authorization": "Basic dXNlcjpwYXNz"},
}


@pytest.mark.parametrize("kind", sorted(BAD_TOKENS))
def test_a_bad_token_is_a_401_on_every_route(client, kind):
    routes = api_routes(client.app)
    assert len(routes) >= 12
    for method, path in routes:
        response = client.request(method, path, json={} if method == "POST" else None, headers=BAD_TOKENS[kind])
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["www-authenticate"] == "Bearer"


def test_feedback_is_taken_only_from_the_reader_the_answer_was_given_to(client):
    ana = {"Authorization": token(["technician"])["Authorization"]}
    answer_id = ask(client, {"question": "How do I assign a work order?"}, headers=ana)[-1][1]["answer_id"]
    url = f"/api/v1/chat/{answer_id}/feedback"
    assert client.post(url, json={"helpful": True}).status_code == 404  # anonymous
    assert client.post(url, json={"helpful": True}, headers=token(["technician"], tenant="other")).status_code == 404
    assert client.post(url, json={"helpful": True}, headers=token(["technician"], user="someone-else")).status_code == 404
    forged = client.post(url, json={"helpful": True}, headers=token(["technician"], secret="forged"))
    assert forged.status_code == 401
    assert client.post(url, json={"helpful": False, "comment": "too short"}, headers=ana).status_code == 201


def test_an_anonymous_answer_takes_feedback_only_from_an_anonymous_reader(client):
    answer_id = ask(client, {"question": "How do I assign a work order?"})[-1][1]["answer_id"]
    url = f"/api/v1/chat/{answer_id}/feedback"
    assert client.post(url, json={"helpful": True}, headers=token(["admin"])).status_code == 404
    assert client.post(url, json={"helpful": True}).status_code == 201


def test_a_wrong_method_is_told_every_method_the_path_takes(client):
    response = client.put("/api/v1/search", json={"q": "boilers"})
    assert response.status_code == 405 and set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}


def test_a_bad_path_parameter_is_reported_before_the_body_is_read(client):
    response = client.post("/api/v1/chat/bad!id/feedback", content=b"not json")
    assert response.status_code == 400 and response.json()["param"] == "answer_id"


@pytest.mark.parametrize("path", ["/api/v1/analytics/dashboard?from=garbage", "/api/v1/analytics/dashboard.csv?table=nope",
                                  "/api/v1/analytics/gaps/not%20an%20id"])
def test_who_may_not_call_an_admin_endpoint_learns_nothing_about_its_parameters(client, path):
    assert client.get(path).status_code == 401
    assert client.get(path, headers=token(["supervisor"])).status_code == 403
    assert client.get(path, headers=token(["admin"])).status_code == 400
