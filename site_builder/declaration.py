"""The help-center declaration: `help-center.yml` at the root of the content folder.

Its presence is what makes a content folder a help center (this project's article schema, checked strictly,
and the draft -> review -> published -> archived workflow). A folder without it is a plain docs tree, such as an
existing MkDocs site: any front matter is accepted and every page is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import Problems

DECLARATION_FILE = "help-center.yml"
SCHEMA = 1  # the article schema this build reads; a later one would need a newer build
KEYS = {
    "name": "the help center's name, as authors and reports call it",
    "schema": f"the version of the article schema the content follows ({SCHEMA})",
}


@dataclass(frozen=True)
class Declaration:
    name: str = ""
    schema: int = SCHEMA


def read(root: Path, problems: Problems) -> Declaration | None:
    """The content folder's declaration, or None for a plain docs tree. Every problem is reported at its line;
    a declaration with problems still declares a help center, so its articles are checked strictly."""
    path = root / DECLARATION_FILE
    if not path.is_file():
        return None
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(path, mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")
        return Declaration()
    if node is None:
        return Declaration()
    if not isinstance(node, yaml.MappingNode):
        problems.add(path, node.start_mark.line + 1, f"must be a mapping of settings ({', '.join(KEYS)}), e.g. name: My help center")
        return Declaration()
    return _settings(node, path, problems)


def _settings(node: yaml.MappingNode, path: Path, problems: Problems) -> Declaration:
    values: dict[str, object] = {}
    for key_node, value_node in node.value:
        key, line = str(key_node.value), key_node.start_mark.line + 1
        if key not in KEYS:
            problems.add(path, line, f"unknown setting '{key}' (allowed: {', '.join(KEYS)})")
            continue
        value = yaml.safe_load(yaml.serialize(value_node))
        problem = _value_problem(key, value)
        if problem:
            problems.add(path, value_node.start_mark.line + 1, problem)
        else:
            values[key] = value
    return Declaration(name=str(values.get("name") or "").strip(), schema=int(values.get("schema", SCHEMA)))


def _value_problem(key: str, value: object) -> str | None:
    if key == "name" and (value is None or isinstance(value, (dict, list))):
        return "name must be text, e.g. name: Sitekeeper Help Center"
    if key == "schema" and (isinstance(value, bool) or value != SCHEMA):
        return f"schema {value!r} is not one this build reads: use schema: {SCHEMA}"
    return None
