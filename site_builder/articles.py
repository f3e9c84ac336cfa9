"""The article: one Markdown file with YAML front matter, parsed and checked field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import Any

import frontmatter
import yaml

from .links import headings
from .records import Article, page_parts

STATUSES = ("draft", "review", "published", "archived")
FIELDS = (
    "title", "id", "status", "summary", "tags", "roles", "tenants", "help_ids", "contexts",
    "owner", "last_reviewed", "review_every_days", "related", "language", "search",
)
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
FENCE = frontmatter.YAMLHandler.FM_BOUNDARY


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is reported at its own line."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Source:
    """A Markdown file split into front matter and body."""

    meta: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int


def split(text: str) -> Source:
    """Split front matter from the body; raises FrontMatterError with a line number."""
    lines = text.split("\n")
    if not FENCE.match(lines[0]):
        return Source({}, {}, text, 1)
    end = next((i for i in range(1, len(lines)) if FENCE.match(lines[i])), None)
    if end is None:
        raise FrontMatterError(1, "front matter is not closed by a '---' line")
    meta, keys = _parse_yaml("\n".join(lines[1:end]))
    return Source(meta, keys, "\n".join(lines[end + 1:]), end + 2)


class FrontMatterError(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


def _parse_yaml(fm: str) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        node = yaml.compose(fm, Loader=_Loader)
        data = yaml.load(fm, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 2 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(line, f"front matter is not valid YAML: {reason}") from None
    if data is None:
        return {}, {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise FrontMatterError(2, "front matter must be a mapping of 'field: value' lines")
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        if key in lines:
            raise FrontMatterError(key_node.start_mark.line + 2, f"field '{key}' is given twice")
        lines[key] = key_node.start_mark.line + 2
    return {str(k): v for k, v in data.items()}, lines


def first_heading(body: str) -> str | None:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", body, re.MULTILINE)
    return match.group(1).strip() if match else None


def has_h1(article: Article) -> bool:
    """Plain docs carry their own `# Title`; our articles take the title from front matter."""
    return any(h.level == 1 for h in headings(article.body))


def page_title(article: Article) -> str | None:
    """The title the page adds as its h1 (it takes the first anchor), if the body has none."""
    return None if has_h1(article) else article.title


def slug_from_path(path: str) -> str:
    parts = page_parts(path)
    return re.sub(r"[^a-z0-9_-]+", "-", "-".join(parts).lower()).strip("-") or "index"


class FieldChecker:
    """Turns front matter into Article fields, reporting each bad value at its line."""

    def __init__(self, source: Source, report):
        self.meta = source.meta
        self.lines = source.lines
        self.report = report

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)

    def text(self, key: str, default: str = "") -> str:
        value = self.meta.get(key, default)
        if value is None:
            return default
        if isinstance(value, (dict, list)):
            self.report(self.line(key), f"field '{key}' must be text, not a {type(value).__name__}")
            return default
        return str(value).strip()

    def strings(self, key: str) -> list[str]:
        value = self.meta.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(self.line(key), f"field '{key}' must be a list, e.g. {key}: [{value}]")
            return []
        bad = [v for v in value if not isinstance(v, (str, int, float)) or isinstance(v, bool)]
        if bad:
            self.report(self.line(key), f"field '{key}' must list plain values, not {bad[0]!r}")
        return [str(v).strip() for v in value if v not in bad and str(v).strip()]

    def day(self, key: str) -> date | None:
        value = self.meta.get(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.report(self.line(key), f"field '{key}' is not a date: '{value}' (use YYYY-MM-DD)")
            return None

    def positive_int(self, key: str) -> int | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            self.report(self.line(key), f"field '{key}' must be a whole number of days above 0, not '{value}'")
            return None
        return value


def build_article(path: str, source: Source, strict: bool, report) -> Article | None:
    """Make an Article from a split file; `report(line, message)` receives each problem."""
    check = FieldChecker(source, report)
    if strict:
        for key in source.meta:
            if key not in FIELDS:
                report(check.line(key), f"unknown field '{key}' (allowed: {', '.join(FIELDS)})")
    title = check.text("title") or ("" if strict else first_heading(source.body) or PurePosixPath(path).stem)
    if not title:
        report(1, "missing field 'title'")
    status = check.text("status", "" if strict else "published")
    if strict and not status:
        report(1, f"missing field 'status' ({', '.join(STATUSES)})")
    elif status and status not in STATUSES:
        report(check.line("status"), f"unknown status '{status}' ({', '.join(STATUSES)})")
    default_id = PurePosixPath(path).stem if strict else slug_from_path(path)
    article_id = check.text("id", default_id)
    if not ID_PATTERN.match(article_id):
        report(check.line("id"), f"id '{article_id}' must use lowercase letters, digits, '-' and '_' only")
    language = check.text("language", "en")
    if not LANGUAGE_PATTERN.match(language):
        report(check.line("language"), f"language '{language}' is not a language code such as 'en' or 'pt-BR'")
    contexts = check.strings("contexts")
    for pattern in contexts:
        if not pattern.startswith("/"):
            report(check.line("contexts"), f"context '{pattern}' must be a URL path starting with '/', e.g. /work-orders/*")
    boost, exclude = _search_settings(check)
    if not title or (strict and not status) or status not in STATUSES:
        return None
    return Article(
        id=article_id, title=title, path=path, body=source.body, body_line=source.body_line,
        status=status, summary=check.text("summary"), tags=check.strings("tags"),
        roles=check.strings("roles"), tenants=check.strings("tenants"),
        help_ids=check.strings("help_ids"), contexts=contexts, owner=check.text("owner"),
        last_reviewed=check.day("last_reviewed"), review_every_days=check.positive_int("review_every_days"),
        related=check.strings("related"), language=language, search_boost=boost,
        search_exclude=exclude, field_lines=dict(source.lines),
    )


def _search_settings(check: FieldChecker) -> tuple[float, bool]:
    value = check.meta.get("search")
    if value is None:
        return 1.0, False
    line = check.line("search")
    if not isinstance(value, dict):
        check.report(line, "field 'search' must be a mapping such as search: {boost: 2} or search: {exclude: true}")
        return 1.0, False
    unknown = set(value) - {"boost", "exclude"}
    if unknown:
        check.report(line, f"unknown search setting '{sorted(unknown)[0]}' (boost, exclude)")
    boost = value.get("boost", 1.0)
    if isinstance(boost, bool) or not isinstance(boost, (int, float)) or not 0 < boost <= 10:
        check.report(line, f"search boost must be a number above 0 and at most 10, not '{boost}'")
        boost = 1.0
    exclude = value.get("exclude", False)
    if not isinstance(exclude, bool):
        check.report(line, f"search exclude must be true or false, not '{exclude}'")
        exclude = False
    return float(boost), exclude
