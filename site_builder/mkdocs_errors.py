"""MkDocs' errors while it builds the pages, as problems at the page and line they come from.

A team's plugin refusing a page's front matter (Material's tags plugin and a `tags: a, b` string) or a page
naming a `template:` its theme lacks stops MkDocs with "Aborted with a BuildError!"; what went wrong is in the
messages it logged before. They name the page (`Error reading page 'setup/nav.md': ...`, or the blog plugin's
`... of post 'blog/posts/p.md' ...`): the problem is put at the line of the front matter field the message names,
else at the line of the body that holds the value it quotes (a snippet's path), else at the page's first line.
A Markdown extension's own exception (pymdownx.snippets' missing snippet under `check_paths: true`) is caught
the same way: an extension may raise anything, and the author must get `path:line: message`, never a traceback.
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

_PAGE = re.compile(r"(?:page|post|file) '([^']+\.md)'")
_QUOTED = re.compile(r"'([^']+)'")


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
        except Exception as exc:  # noqa: BLE001 - any plugin or extension may raise; see the module's docstring
            problems = _problems(collected.messages, root, {a.path: a for a in articles})
            raise ContentError(problems or [_whole_site(mkdocs_yml, collected.messages, exc)]) from None


def _whole_site(mkdocs_yml: Path, messages: list[str], exc: Exception) -> Problem:
    """No message names a page: what MkDocs logged says more than its "Aborted with a BuildError!"."""
    said = [_one_line(m) for m in messages if _one_line(m)]
    if not isinstance(exc, MkDocsException) or not said:
        said.append(str(exc) if isinstance(exc, (MkDocsException, TemplateError)) else f"{type(exc).__name__}: {exc}")
    return Problem(str(mkdocs_yml), 1, "mkdocs: " + "; ".join(said))


@contextmanager
def _collected():
    logger = logging.getLogger("mkdocs")
    handler = _Collected()
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _one_line(message: str) -> str:
    return " ".join(line.strip() for line in message.splitlines() if line.strip())


def _problems(messages: list[str], root: Path, by_path: dict[str, Article]) -> list[Problem]:
    """One problem per page named; a message naming no page after one that did (MkDocs logs "Error reading
    page 'p.md':" and then the BuildError's text on its own) completes that page's message."""
    found: list[tuple[str, str]] = []
    for message in messages:
        page = _PAGE.search(message)
        if page is not None and page.group(1) not in [p for p, _ in found]:
            found.append((page.group(1), _one_line(message)))
        elif page is None and found and found[-1][1].endswith(":"):
            found[-1] = (found[-1][0], f"{found[-1][1]} {_one_line(message)}")
    return [Problem(str(Path(root.name) / path), _line(by_path.get(path), text, root / path), f"mkdocs: {text}")
            for path, text in found]


def _line(article: Article | None, message: str, file: Path) -> int:
    """The line of the front matter field the message names (by name, or by the value it quotes), else of the
    body line of the page's file (as MkDocs read it, snippets not included) holding a value it quotes."""
    if article is None:
        return 1
    for field, line in article.field_lines.items():
        value = article.page_meta.get(field)
        if re.search(rf"\b{re.escape(field)}\b", message.split(":", 1)[-1]) or (isinstance(value, str) and f"'{value}'" in message):
            return line
    quoted = [q for q in _QUOTED.findall(message.split(":", 1)[-1]) if q != article.path]
    lines = file.read_text(encoding="utf-8", errors="replace").split("\n") if file.is_file() else []
    for number, text in enumerate(lines[article.body_line - 1:], start=article.body_line):
        if any(q in text for q in quoted):
            return number
    return 1
