"""The article: one Markdown file with YAML front matter, parsed and checked field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import Any

import frontmatter
import yaml

from .links import headings
from .records import Article, BlogPost, page_parts

STATUSES = ("draft", "review", "published", "archived")
FIELDS = (
    "title", "id", "status", "summary", "tags", "roles", "tenants", "help_ids", "contexts",
    "owner", "last_reviewed", "review_every_days", "related", "language", "search",
)
MATERIAL_FIELDS = ("description", "draft")  # Material's page fields read here; `status` is its page badge
BLOG_FIELDS = ("date", "authors", "categories", "slug", "readtime", "pin", "links")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
FENCE = frontmatter.YAMLHandler.FM_BOUNDARY


def _text_dates(base: type) -> type:
    """A safe loader that leaves dates as text, so a bad date is reported at its own line."""
    resolvers = {key: [(tag, rx) for tag, rx in found if tag != "tag:yaml.org,2002:timestamp"]
                 for key, found in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return type(f"TextDates{base.__name__}", (base,), {"yaml_implicit_resolvers": resolvers})


# libyaml's parser reads front matter several times faster (most of the time of reading 10,000 articles);
# PyYAML's own parser, slower, words a syntax error better, so it reads a file libyaml refuses, for the message.
_FastLoader = _text_dates(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
_Loader = _text_dates(yaml.SafeLoader)


@dataclass
class Source:
    """A Markdown file split into front matter and body."""

    meta: dict[str, Any]
    lines: dict[str, int]
    body: str
    body_line: int
    line_map: list[int] = field(default_factory=list)  # set when snippets are included (Article.line_map)


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


def _read_yaml(fm: str, loader_class: type) -> tuple[Any, Any]:
    """The document's node (for the lines of its keys) and its data, from one parse."""
    loader = loader_class(fm)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _parse_yaml(fm: str) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        node, data = _read_yaml(fm, _FastLoader)
    except yaml.YAMLError:
        try:
            node, data = _read_yaml(fm, _Loader)  # the two parsers rarely disagree; PyYAML's answer stands
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


def build_article(path: str, source: Source, strict: bool, report, warn=None) -> Article | None:
    """Make an Article from a split file; `report(line, message)` receives each error and `warn` each warning.

    A help center's article (strict) follows this project's schema, and every problem of the file is reported.
    A page of a plain docs tree takes whatever front matter MkDocs and Material accept: it never fails, and a
    value of one of our own fields that cannot be used is a warning."""
    if strict:
        return _help_center_article(path, source, report)
    return _plain_page(path, source, warn or report)


def _help_center_article(path: str, source: Source, report) -> Article | None:
    check = FieldChecker(source, report)
    for key in source.meta:
        if key not in FIELDS:
            report(check.line(key), f"unknown field '{key}' (allowed: {', '.join(FIELDS)})")
    title = check.text("title")
    if not title:
        report(1, "missing field 'title'")
    status = check.text("status")
    if not status:
        report(1, f"missing field 'status' ({', '.join(STATUSES)})")
    elif status not in STATUSES:
        report(check.line("status"), f"unknown status '{status}' ({', '.join(STATUSES)})")
    article_id = check.text("id", PurePosixPath(path).stem)
    if not ID_PATTERN.match(article_id):
        report(check.line("id"), f"id '{article_id}' must use lowercase letters, digits, '-' and '_' only")
    fields = _our_fields(check, tags=check.strings("tags"))  # read even when the file fails: every problem at once
    if not title or status not in STATUSES:
        return None
    return Article(id=article_id, title=title, path=path, body=source.body, body_line=source.body_line,
                   status=status, field_lines=dict(source.lines), line_map=source.line_map, **fields)


def _plain_page(path: str, source: Source, warn) -> Article:
    check = FieldChecker(source, warn)
    title = check.text("title") or first_heading(source.body) or PurePosixPath(path).stem
    article_id = check.text("id", slug_from_path(path))
    if not ID_PATTERN.match(article_id):
        warn(check.line("id"), f"id '{article_id}' is not used (lowercase letters, digits, '-' and '_' only): "
                               f"the page's id is '{slug_from_path(path)}'")
        article_id = slug_from_path(path)
    fields = _our_fields(check, tags=_loose_list(check, "tags"))
    fields["summary"] = fields["summary"] or check.text("description")
    blog = blog_post(check) if is_blog_post(path) else None
    return Article(id=article_id, title=title, path=path, body=source.body, body_line=source.body_line,
                   status="draft" if source.meta.get("draft") is True else "published",
                   badge=check.text("status") or None, blog=blog, field_lines=dict(source.lines), line_map=source.line_map,
                   page_meta={k: v for k, v in source.meta.items() if k not in _read_fields(blog)}, **fields)


def _our_fields(check: FieldChecker, tags: list[str]) -> dict[str, Any]:
    """This project's fields other than title, id and status, each checked at its line."""
    language = check.text("language", "en")
    if not LANGUAGE_PATTERN.match(language):
        check.report(check.line("language"), f"language '{language}' is not a language code such as 'en' or 'pt-BR'")
    contexts = check.strings("contexts")
    for pattern in contexts:
        if not pattern.startswith("/"):
            check.report(check.line("contexts"), f"context '{pattern}' must be a URL path starting with '/', e.g. /work-orders/*")
    boost, exclude = _search_settings(check)
    return dict(
        summary=check.text("summary"), tags=tags, roles=check.strings("roles"), tenants=check.strings("tenants"),
        help_ids=check.strings("help_ids"), contexts=contexts, owner=check.text("owner"),
        last_reviewed=check.day("last_reviewed"), review_every_days=check.positive_int("review_every_days"),
        related=check.strings("related"), language=language, search_boost=boost, search_exclude=exclude,
    )


def _read_fields(blog: BlogPost | None) -> set[str]:
    return {*FIELDS, *MATERIAL_FIELDS, *(BLOG_FIELDS if blog else ())}


def is_blog_post(path: str) -> bool:
    """A post of a Material blog: a file under a `blog/posts/` folder (the blog plugin's default layout)."""
    folders = PurePosixPath(path).parent.parts
    return any(folders[i:i + 2] == ("blog", "posts") for i in range(len(folders) - 1))


def blog_post(check: FieldChecker) -> BlogPost:
    """A blog post's date (a date, or a mapping of created and updated), authors, categories and settings."""
    value = check.meta.get("date")
    dates = value if isinstance(value, dict) else {"created": value}
    created, updated = (_blog_date(check, dates.get(key), key) for key in ("created", "updated"))
    if created is None and dates.get("created") is None:  # a date that is there but wrong is reported once, above
        check.report(check.line("date"), "blog post has no date; give it one, e.g. date: 2024-01-31 (the blog sorts by it)")
    readtime = check.meta.get("readtime")
    if readtime is not None and (isinstance(readtime, bool) or not isinstance(readtime, int) or readtime <= 0):
        check.report(check.line("readtime"), f"readtime must be a whole number of minutes, not '{readtime}'")
        readtime = None
    links = check.meta.get("links")
    return BlogPost(created=created, updated=updated, authors=_loose_list(check, "authors"),
                    categories=_loose_list(check, "categories"), slug=check.text("slug"), readtime=readtime,
                    pin=check.meta.get("pin") is True, links=links if isinstance(links, list) else [])


def _blog_date(check: FieldChecker, value: Any, key: str) -> date | None:
    if value is None:
        return None
    match = re.match(r"\d{4}-\d{2}-\d{2}", str(value).strip())  # a date, or the date of a date and time
    try:
        if match:
            return date.fromisoformat(match.group(0))
    except ValueError:
        pass
    check.report(check.line("date"), f"blog post {key} date is not a date: '{value}' (use YYYY-MM-DD)")
    return None


def _loose_list(check: FieldChecker, key: str) -> list[str]:
    """A list field as MkDocs users write it: a list, or one value or comma-separated values as text."""
    value = check.meta.get(key)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [part.strip() for part in str(value).split(",") if part.strip()]
    return check.strings(key)


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
