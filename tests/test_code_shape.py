"""The code stays readable at a glance: short functions, and an app factory that only wires."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import PROJECT

MAX_LINES = 60


def functions(package: str):
    for path in sorted((PROJECT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield path.relative_to(PROJECT).as_posix(), node


@pytest.mark.parametrize("package", ["api", "site_builder"])
def test_no_function_is_longer_than_a_screen(package):
    long = [f"{path}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for path, node in functions(package) if node.end_lineno - node.lineno + 1 > MAX_LINES]
    assert long == []


def test_create_app_only_wires():
    create_app = next(node for path, node in functions("api") if path == "api/app.py" and node.name == "create_app")
    assert create_app.end_lineno - create_app.lineno + 1 <= 40
