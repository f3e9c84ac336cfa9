"""Every answer tells the browser what it may do: JSON runs nothing, pages run only their own scripts, the dashboard is
never framed."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil

from site_builder.csp import INLINE_SCRIPT
from tests.api.conftest import in_process, token


def test_api_answers_run_nothing_and_are_never_framed(client):
    for response in (client.get("/api/v1/health"), client.get("/api/v1/nothing-here"), client.post("/api/v1/health")):
        assert response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert response.headers["x-content-type-options"] == "nosniff" and response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_a_page_may_run_exactly_the_inline_scripts_the_build_wrote(client):
    page = client.get("/work-orders/creating/create-a-work-order/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy and "frame-ancestors 'self'" in policy
    inline = [m.group(2) for m in INLINE_SCRIPT.finditer(page.text) if "json" not in m.group(1)]
    assert inline, "the theme writes inline scripts: the test would prove nothing without them"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert page.headers["x-content-type-options"] == "nosniff" and "x-frame-options" not in page.headers
    assert "content-security-policy" not in client.get("/assets/stylesheets/" + _a_stylesheet(page.text)).headers


def _a_stylesheet(html: str) -> str:
    return re.search(r'assets/stylesheets/([^"]+\.css)', html).group(1)


def test_the_dashboard_is_framed_only_by_the_help_center_and_the_host_products_named(client, help_build, embedder, tmp_path):
    page = client.get("/analytics/", headers=token(["admin"]))
    assert page.status_code == 200
    assert page.headers["x-frame-options"] == "SAMEORIGIN" and "frame-ancestors 'self'" in page.headers["content-security-policy"]
    with in_process(help_build[1], tmp_path / "var", embedder, HELP_CENTER_ALLOWED_ORIGINS="https://app.example.com") as named:
        page = named.get("/analytics/")
        assert "frame-ancestors 'self' https://app.example.com" in page.headers["content-security-policy"]
        assert "x-frame-options" not in page.headers  # it cannot name another site: frame-ancestors decides


def test_a_build_made_before_policies_gets_the_other_headers_only(help_build, embedder, tmp_path):
    old = tmp_path / "build"
    shutil.copytree(help_build[1], old)
    (old / "csp.json").unlink()
    with in_process(old, tmp_path / "var", embedder) as client:
        page = client.get("/")
        assert page.status_code == 200 and "content-security-policy" not in page.headers
        assert page.headers["x-content-type-options"] == "nosniff"
    assert json.loads((help_build[1] / "csp.json").read_text())["site"].startswith("default-src 'self'")


def test_a_new_build_brings_its_own_policy_without_a_restart(help_build, embedder, tmp_path):
    served, fresh = tmp_path / "build", tmp_path / "fresh"
    shutil.copytree(help_build[1], served)
    shutil.copytree(help_build[1], fresh)
    manifest = json.loads((fresh / "manifest.json").read_text())
    (fresh / "manifest.json").write_text(json.dumps({**manifest, "build_id": "a-newer-build"}))
    (fresh / "csp.json").write_text(json.dumps({"site": "default-src 'self'; script-src 'self' 'sha256-newer'"}))
    with in_process(served, tmp_path / "var", embedder) as client:
        assert "'sha256-newer'" not in client.get("/").headers["content-security-policy"]
        served.rename(tmp_path / "old")
        fresh.rename(served)
        assert client.app.state.help_center.holder.check()
        assert client.get("/").headers["content-security-policy"] == "default-src 'self'; script-src 'self' 'sha256-newer'"
