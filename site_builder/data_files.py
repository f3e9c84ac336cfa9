"""The content folder's YAML data files: each folder's _category.yml, synonyms.yml and pins.yml
(help-center.yml, the declaration, is read by declaration.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from .output import normalize_query
from .declaration import DECLARATION_FILE
from .problems import Problems
from .records import Category
from .tours import is_tour_file

CATEGORY_FILE = "_category.yml"
CATEGORY_FIELDS = ("title", "description", "order", "icon")
SYNONYMS_FILE = "synonyms.yml"
PINS_FILE = "pins.yml"
DATA_FILES = frozenset({CATEGORY_FILE, SYNONYMS_FILE, PINS_FILE, DECLARATION_FILE})  # read by the build, not copied to the site


def is_data_file(rel: Path) -> bool:
    """Whether a file of the content folder (path relative to it) is read by the build rather than copied to the site:
    a data file above, or a guided tour (tours/*.yml, compiled to widgets/tours.json)."""
    return rel.name in DATA_FILES or is_tour_file(rel)


def category(root: Path, folder: tuple[str, ...], problems: Problems) -> Category:
    """A category folder's settings from its _category.yml; without one, a title made from the folder's name."""
    default = Category(folder, folder[-1].replace("-", " ").replace("_", " ").capitalize())
    path = root.joinpath(*folder, CATEGORY_FILE)
    data = _data_file(path, problems)
    if data is None:
        return default
    if not isinstance(data, dict):
        problems.add(path, 1, "must be a mapping with title, description, order and icon")
        return default
    for key in data:
        if key not in CATEGORY_FIELDS:
            problems.add(path, _key_line(path, key), f"unknown field '{key}' (allowed: {', '.join(CATEGORY_FIELDS)})")
    order = data.get("order", default.order)
    if isinstance(order, bool) or not isinstance(order, int):
        problems.add(path, _key_line(path, "order"), f"order must be a whole number, not '{order}'")
        order = default.order
    return Category(folder, str(data.get("title") or default.title), str(data.get("description") or ""), order, str(data.get("icon") or ""))


def pins(root: Path, problems: Problems, published: set[str]) -> dict[str, list[str]]:
    """Pinned results: `pins: [{query: reset password, articles: [login-problems]}]`."""
    path = root / PINS_FILE
    data = _data_file(path, problems)
    if data is None:
        return {}
    entries = data.get("pins") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        problems.add(path, 1, "expected 'pins:' followed by entries such as - {query: reset password, articles: [login-problems]}")
        return {}
    found: dict[str, list[str]] = {}
    for entry in entries:
        query = normalize_query(str(entry.get("query", ""))) if isinstance(entry, dict) else ""
        ids = entry.get("articles") if isinstance(entry, dict) else None
        line = _line_containing(path, query) if query else 1
        if not query or not isinstance(ids, list) or not ids:
            problems.add(path, line, f"each pin needs a query and a list of articles, not {entry!r}")
            continue
        for article_id in ids:
            if str(article_id) not in published:
                problems.add(path, line, f"pinned article '{article_id}' for '{query}' does not exist or is not published")
        found[query] = [str(i) for i in ids if str(i) in published]
    return found


def synonyms(root: Path, problems: Problems) -> list[list[str]]:
    """Groups of equivalent search terms: `synonyms: [[ppm, preventive maintenance]]`."""
    path = root / SYNONYMS_FILE
    data = _data_file(path, problems)
    if data is None:
        return []
    groups = data.get("synonyms") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not all(isinstance(g, list) and len(g) >= 2 for g in groups):
        problems.add(path, 1, "expected 'synonyms:' followed by lists of two or more equivalent terms, e.g. - [ppm, preventive maintenance]")
        return []
    return [[str(term).strip().lower() for term in group] for group in groups]


def _data_file(path: Path, problems: Problems):
    """A YAML data file of the content folder, or None when absent or broken (reported)."""
    if not path.exists():
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.add(path, mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None


def _key_line(path: Path, key: str) -> int:
    return _first_line(path, lambda line: line.startswith(f"{key}:"))


def _line_containing(path: Path, text: str) -> int:
    return _first_line(path, lambda line: text in normalize_query(line))


def _first_line(path: Path, matches: Callable[[str], bool]) -> int:
    """The number of the file's first line that matches; 1 when none does."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if matches(line):
            return number
    return 1
