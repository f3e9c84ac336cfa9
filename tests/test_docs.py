"""Every setting, command and option a user can reach is explained in docs/."""

from __future__ import annotations

import re

import pytest

from api.config import SERVE_SETTINGS, serve_parser
from api.openapi import spec
from api.routes import ENDPOINTS
from site_builder.articles import FIELDS
from site_builder.cli import _parser
from site_builder.config import BUILD_SETTINGS, parser
from tests.conftest import PROJECT

DOCS = PROJECT / "docs"


def long_options(parser) -> list[str]:
    return sorted(o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help")


def doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def settings_table(heading: str) -> list[list[str]]:
    """The rows of the table under `heading` in operators.md (up to the next heading), as cells."""
    text = doc("operators.md").split(f"\n{heading}\n", 1)[1]
    section = re.split(r"^#", text, maxsplit=1, flags=re.MULTILINE)[0]
    return [[c.strip() for c in line.strip().strip("|").split("|")] for line in section.splitlines() if line.startswith("| `")]


@pytest.mark.parametrize("heading, setting", [("## Settings", s) for s in BUILD_SETTINGS] + [("### Server settings", s) for s in SERVE_SETTINGS],
                         ids=lambda v: getattr(v, "env", v))
def test_every_setting_is_in_the_operators_guide_with_its_default(heading, setting):
    rows = [row for row in settings_table(heading) if f"`{setting.env}`" in row[0]]
    assert len(rows) == 1, f"{setting.env} should have one row under {heading}"
    documented = rows[0][1].replace("`", "")
    assert re.search(rf"(?<![\w.]){re.escape(setting.shown_default)}(?![\w])", documented), \
        f"{setting.env}: default {setting.shown_default!r}, documented {rows[0][1]!r}"


@pytest.mark.parametrize("option", long_options(parser()))
def test_every_build_option_is_in_the_operators_guide(option):
    assert f"`{option}" in doc("operators.md")


def _commands():
    sub = next(a for a in _parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices.items())


@pytest.mark.parametrize("name, command", _commands())
def test_every_author_command_and_its_options_are_in_the_authors_guide(name, command):
    text = doc("authors.md")
    assert f"python -m site_builder {name}" in text
    for option in long_options(command):
        assert option in text, option


@pytest.mark.parametrize("field", FIELDS)
def test_every_front_matter_field_is_in_the_authors_guide(field):
    assert re.search(rf"^\| `{field}` \|", doc("authors.md"), re.MULTILINE)


def test_readme_starts_with_the_two_commands():
    head = (PROJECT / "README.md").read_text(encoding="utf-8")[:600]
    assert "make run" in head and "make test" in head


@pytest.mark.parametrize("target", ["setup", "run", "test"])
def test_make_targets_exist(target):
    assert re.search(rf"^{target}:", (PROJECT / "Makefile").read_text(), re.MULTILINE)


@pytest.mark.parametrize("option", long_options(serve_parser()))
def test_every_server_option_is_in_the_operators_guide(option):
    assert f"`{option}" in doc("operators.md")


@pytest.mark.parametrize("method, path", sorted((m.upper(), path) for path, ops in spec(ENDPOINTS)["paths"].items() for m in ops))
def test_every_endpoint_is_in_the_integrators_guide(method, path):
    assert re.search(rf"`{method} {re.escape(path)}[`? ]", doc("integrators.md")), f"{method} {path}"


def test_the_token_command_is_documented():
    assert "python -m api token --tenant" in doc("integrators.md") and "python -m api token --tenant" in doc("operators.md")


def _fields(schema: dict, schemas: dict, depth: int = 0) -> dict[str, dict]:
    """A response's fields and those of the items of its lists, by name."""
    if "$ref" in schema:
        schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
    found = dict(schema.get("properties", {}))
    for value in schema.get("properties", {}).values():
        if depth == 0 and value.get("type") == "array":
            found |= _fields(value.get("items", {}), schemas, depth + 1)
    return found


def _responses() -> list[tuple[str, str, dict]]:
    document = spec(ENDPOINTS)
    return [(f"{method.upper()} {path}", name, field) for path, ops in document["paths"].items() for method, op in ops.items()
            for code, response in op["responses"].items() if code.startswith("2")
            for kind, body in response.get("content", {}).items() if "json" in kind
            for name, field in _fields(body["schema"], document["components"]["schemas"]).items()]


@pytest.mark.parametrize("route, name, field", _responses(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_response_field_is_explained_to_integrators(route, name, field):
    """Named in the integrators' guide; the dashboard's many figures may be explained in the OpenAPI document instead."""
    named = f"`{name}`" in doc("integrators.md") or f'"{name}"' in doc("integrators.md")
    explained = route.startswith("GET /api/v1/analytics/dashboard") and bool(field.get("description"))
    assert named or explained, f"{route}: {name}"
