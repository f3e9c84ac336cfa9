"""MkDocs' errors while it builds the pages, as problems at the page and line they come from.

A team's plugin refusing a page's front matter (Material's tags plugin and a `tags: a, b` string) or a page
naming a `template:` its theme lacks stops MkDocs with "Aborted with a BuildError!"; what went wrong is in the
messages it logged before. They name the page (`Error reading page 'setup/nav.md': ...`): the problem is
put at the line of the front matter field the message names, else at the page's first line.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from pathlib import Path

from jinja2 import TemplateError
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from .problems import ContentError, Problem
from .records import Article

_PAGE = re.compile(r"page '([^']+\.md)'")


class _Collected(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build(config: MkDocsConfig, mkdocs_yml: Path, root: Path, articles: list[Article]) -> None:
    """mkdocs build; raises ContentError naming the pages (files under `root`, the content folder) that MkDocs refused."""
    with _collected() as collected:
        try:
            mkdocs_build(config)
        except (MkDocsException, TemplateError) as exc:
            problems = _problems(collected.messages, root, {a.path: a for a in articles})
            raise ContentError(problems or [Problem(str(mkdocs_yml), 1, f"mkdocs build failed: {exc}")]) from None


@contextmanager
def _collected():
    logger = logging.getLogger("mkdocs")
    handler = _Collected()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _problems(messages: list[str], root: Path, by_path: dict[str, Article]) -> list[Problem]:
    found = []
    for message in messages:
        page = _PAGE.search(message)
        if page is None:
            continue
        text = " ".join(line.strip() for line in message.splitlines() if line.strip())
        found.append(Problem(str(Path(root.name) / page.group(1)), _line(by_path.get(page.group(1)), text), f"mkdocs: {text}"))
    return found


def _line(article: Article | None, message: str) -> int:
    """The line of the front matter field the message names (by name, or by the value it quotes)."""
    if article is None:
        return 1
    for field, line in article.field_lines.items():
        value = article.page_meta.get(field)
        if re.search(rf"\b{re.escape(field)}\b", message.split(":", 1)[-1]) or (isinstance(value, str) and f"'{value}'" in message):
            return line
    return 1
