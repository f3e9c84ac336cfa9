"""The server loads none of the build's own machinery: from site_builder it takes only the output
format (output, records), the query embedder (embeddings) and the declared settings (settings)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PROJECT

BUILD_ONLY_PACKAGES = ("mkdocs", "material", "markdown", "pymdownx", "frontmatter", "yaml")
BUILD_ONLY_MODULES = tuple(f"site_builder.{name}" for name in (
    "pipeline", "content", "articles", "chunking", "fts", "vectors", "site", "sidebar", "render", "links", "cli", "config",
))

API_MODULES = sorted(f"api.{p.stem}" for p in (PROJECT / "api").glob("*.py") if p.stem not in ("__init__", "__main__"))

PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(sys.modules)))
"""


def loaded_by(modules: list[str]) -> set[str]:
    """The modules a fresh interpreter holds after importing `modules`."""
    run = subprocess.run([sys.executable, "-c", PROBE, *modules], cwd=PROJECT, capture_output=True, text=True, check=True)
    return set(json.loads(run.stdout))


def build_only(loaded: set[str]) -> list[str]:
    return sorted(name for name in loaded
                  if name.split(".")[0] in BUILD_ONLY_PACKAGES or name in BUILD_ONLY_MODULES)


def test_the_api_modules_are_found():
    assert {"api.app", "api.index", "api.search", "api.chat"} <= set(API_MODULES)


@pytest.fixture(scope="module")
def api_loaded() -> set[str]:
    return loaded_by(API_MODULES)


def test_importing_the_api_loads_no_build_only_module(api_loaded):
    assert build_only(api_loaded) == []


def test_the_api_takes_only_the_output_format_embeddings_and_settings_from_the_build(api_loaded):
    taken = {name for name in api_loaded if name.startswith("site_builder.")}
    assert taken <= {"site_builder.output", "site_builder.records", "site_builder.embeddings", "site_builder.settings"}


SERVE = """
import json, sys
from starlette.testclient import TestClient
from api.app import create_app
from api.config import serve_config
with TestClient(create_app(serve_config(["--build", sys.argv[1]], {"HELP_CENTER_DATA": sys.argv[2]}))) as client:
    assert client.get("/api/v1/search", params={"q": "boilers"}).status_code == 200
    assert client.post("/api/v1/chat", json={"question": "How do I assign a work order?"}).status_code == 200
    assert client.get("/").status_code == 200
print(json.dumps(sorted(sys.modules)))
"""


def test_a_serving_app_loads_no_build_only_module(help_build, tmp_path):
    run = subprocess.run([sys.executable, "-c", SERVE, str(help_build[1]), str(tmp_path)], cwd=PROJECT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert build_only(set(json.loads(run.stdout.splitlines()[-1]))) == []
