"""One port serves the API and the site, describes itself, and switches builds without dropping a request."""

from __future__ import annotations

import json
import shutil
import threading
import time

import httpx
import pytest

from site_builder.output import previous_build
from site_builder.pipeline import build
from tests.conftest import article, config_for, write


def test_health_names_the_build_and_its_counts(help_build, client):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok" and body["articles"] == 6 and body["chunks"] > 6
    assert body["build_id"] == json.loads((help_build[1] / "manifest.json").read_text())["build_id"]


def test_the_site_is_served_on_the_same_port(client):
    home = client.get("/")
    assert home.status_code == 200 and "How can we help?" in home.text
    page = client.get("/work-orders/creating/create-a-work-order/")
    assert page.status_code == 200 and "Fill in the form" in page.text
    assert client.get("/no/such/page/").status_code == 404


def test_unknown_api_paths_are_json_404s(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json()["status"] == 404
    assert response.json()["title"] == client.get("/api/v1/articles/nope").json()["title"] == "Not found"


def test_a_method_a_route_does_not_take_says_which_it_takes(client):
    refused = client.post("/api/v1/health")
    assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD"
    assert refused.json()["title"] == "Method not allowed"
    assert refused.json()["detail"] == "POST is not allowed on /api/v1/health; it takes GET, HEAD"


# A real process: builds are swapped under it while it serves.

def test_a_new_build_is_served_without_failing_requests_in_flight(site, served):
    content, out, server = site
    client = served
    failures, done = [], threading.Event()
    counts = {"ok": 0}

    def hammer():
        with httpx.Client(base_url=server.url, timeout=30) as c:
            while not done.is_set():
                r = c.get("/api/v1/search", params={"q": "boilers work order"})
                if r.status_code != 200:
                    failures.append(r.status_code)
                else:
                    counts["ok"] += 1

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    before = client.get("/api/v1/health").json()["build_id"]
    write(content, "ppm/new-chiller-guide.md", article("Chiller guide", "How to descale an okapi chiller."))
    build(config_for(content, out, cache=out.parent / "cache"), log=lambda _: None)
    deadline = time.monotonic() + 20
    while client.get("/api/v1/health").json()["build_id"] == before and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    done.set()
    for t in threads:
        t.join()
    assert failures == [] and counts["ok"] > 10
    assert client.get("/api/v1/health").json()["build_id"] != before
    assert client.get("/api/v1/search", params={"q": "okapi chiller"}).json()["results"][0]["id"] == "new-chiller-guide"


def test_a_broken_new_build_is_not_served_and_neither_are_its_pages(site, served):
    content, out, server = site
    client = served
    serving = client.get("/api/v1/health").json()["build_id"]
    broken = out.parent / "broken"
    shutil.copytree(out, broken)
    (broken / "index.duckdb").write_bytes(b"this is not a database")
    (broken / "manifest.json").write_text((broken / "manifest.json").read_text().replace(serving, "broken-build"))
    (broken / "site" / "index.html").write_text("<h1>The refused build's home page</h1>")
    previous = previous_build(out)
    shutil.rmtree(previous, ignore_errors=True)
    out.rename(previous)  # as build.py swaps a build into place
    broken.rename(out)
    try:
        deadline = time.monotonic() + 10
        while client.get("/api/v1/health").json()["last_reload_error"] is None and time.monotonic() < deadline:
            time.sleep(0.1)
        health = client.get("/api/v1/health").json()
        assert health["build_id"] == serving and "cannot be loaded" in health["last_reload_error"]
        assert health["status"] == "degraded"
        assert client.get("/api/v1/search", params={"q": "boilers"}).status_code == 200
        home = client.get("/")
        assert home.status_code == 200 and "How can we help?" in home.text and "refused build" not in home.text
    finally:
        shutil.rmtree(out)
        previous.rename(out)


def test_a_data_setting_that_names_a_file_stops_the_server_with_one_clear_line(help_build, tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import PROJECT

    not_a_folder = tmp_path / "var.txt"
    not_a_folder.write_text("oops")
    done = subprocess.run([sys.executable, "-m", "api", "--build", str(help_build[1]), "--port", "1"], cwd=PROJECT, timeout=120,
                          capture_output=True, text=True, env={**os.environ, "HELP_CENTER_DATA": str(not_a_folder)})
    assert done.returncode == 1
    assert "HELP_CENTER_DATA must be a folder, not a file" in done.stderr and "Traceback" not in done.stderr


def test_an_operator_sees_one_access_line_per_request_and_never_a_token(help_build, tmp_path):
    import os

    from tests.api.conftest import SECRET, Server, token

    server = Server(help_build[1], {**os.environ, "HELP_CENTER_SECRET": SECRET, "HELP_CENTER_DATA": str(tmp_path / "var")})
    headers = token(["admin"])
    try:
        assert httpx.get(f"{server.url}/api/v1/search", params={"q": "boilers"}, headers=headers).status_code == 200
        assert httpx.get(f"{server.url}/no/such/page/").status_code == 404
    finally:
        log = server.stop()
    assert '"GET /api/v1/search?q=boilers HTTP/1.1" 200' in log and '"GET /no/such/page/ HTTP/1.1" 404' in log
    assert headers["Authorization"].split()[1] not in log


# Slow and oversized requests, against the real server process (the protocol is the point).

@pytest.fixture(scope="module")
def strict_server(help_build, tmp_path_factory):
    import os

    from tests.api.conftest import Server

    server = Server(help_build[1], {**os.environ, "HELP_CENTER_DATA": str(tmp_path_factory.mktemp("var")),
                                    "HELP_CENTER_REQUEST_TIMEOUT": "1"})
    yield server
    server.stop()


def _connect(server):
    import socket

    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    return sock


def test_a_request_that_trickles_in_is_cut_off(strict_server):
    with _connect(strict_server) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # and never the rest
        assert sock.recv(1024) == b""  # closed by the server after 1 s, long before the client's 10 s
    with _connect(strict_server) as sock:
        sock.sendall(b"POST /api/v1/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        assert sock.recv(1024) == b""
    assert httpx.get(f"{strict_server.url}/api/v1/health").status_code == 200  # others are served as ever


def test_a_connection_kept_open_between_requests_is_not_cut_while_a_slow_answer_streams(strict_server):
    with httpx.Client(base_url=strict_server.url) as client:
        with client.stream("POST", "/api/v1/chat", json={"question": "How do I assign a work order?"}) as answer:
            assert answer.status_code == 200 and "event: done" in "".join(answer.iter_text())
        assert client.get("/api/v1/health").status_code == 200


def test_headers_over_16_kib_are_refused(strict_server):
    response = httpx.get(f"{strict_server.url}/api/v1/health", headers={"X-Big": "a" * 20_000})
    assert response.status_code == 431 and response.json()["detail"] == "the headers exceed 16 KiB"
    assert httpx.get(f"{strict_server.url}/api/v1/health", headers={"X-Fine": "a" * 8_000}).status_code == 200


def test_a_forged_x_forwarded_for_does_not_escape_the_rate_limits(help_build, tmp_path):
    import os

    from tests.api.conftest import Server

    server = Server(help_build[1], {**os.environ, "HELP_CENTER_DATA": str(tmp_path / "var"), "HELP_CENTER_RATE_LIMIT": "1"})
    try:
        statuses = [httpx.post(f"{server.url}/api/v1/chat", json={"question": "boilers"},
                               headers={"X-Forwarded-For": f"203.0.113.{n}"}, timeout=30).status_code for n in range(10)]
    finally:
        log = server.stop()
    assert statuses[:8] == [200] * 8 and statuses[8:] == [429, 429]
    assert "203.0.113." not in log  # the access log shows the real client, not the forged one
