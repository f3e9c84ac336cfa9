"""Snippet includes as pymdownx.snippets writes them, expanded when the content is read.

`--8<-- "path"` on a line of its own includes a file (indented as the line is); a block of paths between two
`--8<--` lines includes each; `path:3:8` takes lines 3 to 8 (several ranges with commas, negative from the end)
and `path:name` the lines between `--8<-- [start:name]` and `--8<-- [end:name]`. A `;` before the marker escapes
it. Expanded here, the included text is in the article itself, so the search index and the site both see it,
whichever Markdown extensions the site uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

INCLUDE = re.compile(r"""^(?P<space>[ \t]*)(?P<escape>;*)(?:(?P<inline>-+8<-+[ \t]+)(?P<path>"(?:\\"|[^"])+?"|'(?:\\'|[^'])+?')|(?P<block>-+8<-+))[ \t]*$""")
SECTION = re.compile(r"^(?P<pre>.*?)(?<!;)(?P<escape>;*)(?P<marker>-+8<-+[ \t]+)(?P<section>\[[ \t]*(?P<kind>start|end)[ \t]*:[ \t]*(?P<name>[a-z][-_0-9a-z]*)[ \t]*\])(?P<post>.*)$", re.IGNORECASE)
TARGET = re.compile(r"(?i)(.*?)(?:((?::-?[0-9]*){1,2}(?:(?:,(?=[-0-9:])-?[0-9]*)(?::-?[0-9]*)?)*)|(:[a-z][-_0-9a-z]*))?$")
REMOTE = re.compile(r"^https?://", re.IGNORECASE)


class SnippetBases(list):
    """The folders pymdownx.snippets finds includes in (its `base_path`), and whether its `check_paths` makes a
    missing snippet an error: pymdownx then stops the site's build, so the content's reading says so first."""

    def __init__(self, bases: list[Path], check_paths: bool = False):
        super().__init__(bases)
        self.check_paths = check_paths


@dataclass
class Expansion:
    """A body with its snippets included: the text, the file line each of its lines comes from, the files used."""

    text: str
    line_map: list[int]
    used: set[Path] = field(default_factory=set)


class Includes:
    """Finds snippets in `bases` (the content folder, then the project folder above it), never outside them."""

    def __init__(self, bases: list[Path]):
        self.bases = [b.resolve() for b in bases]

    def expand(self, body: str, first_line: int, report) -> Expansion | None:
        """The body with its snippets included, or None when it has none; `report(line, message)` gets each
        snippet that cannot be found."""
        if "8<-" not in body:
            return None
        lines = body.split("\n")
        used: set[Path] = set()
        out = self._expand(lines, list(range(first_line, first_line + len(lines))), (), False, used, report)
        return Expansion("\n".join(text for text, _ in out), [line for _, line in out], used)

    def _expand(self, lines, numbers, stack, in_section, used, report) -> list[tuple[str, int]]:
        out: list[tuple[str, int]] = []
        block = False
        for text, line in zip(lines, numbers):
            match = INCLUDE.match(text)
            if match and match.group("escape"):
                out.append((text.replace(";", "", 1), line))
            elif match and match.group("block"):
                block = not block
            elif match or block:
                spec = match.group("path")[1:-1] if match else text.strip()
                if not (block and match) and spec and not spec.startswith(";"):
                    space = (match.group("space") if match else text[:len(text) - len(text.lstrip())]).expandtabs(4)
                    out += [(space + t, line) for t, _ in self._include(spec.strip(), line, stack, used, report)]
                elif block and not spec:
                    out.append(("", line))
            else:
                section = None if in_section else SECTION.match(text)
                if section is None or section.group("escape"):
                    out.append((_unescape_section(section) if section else text, line))
        return out

    def _include(self, spec: str, line: int, stack, used, report) -> list[tuple[str, int]]:
        path, ranges, section = _target(spec)
        if REMOTE.match(path):
            report(line, f"snippet '{path}' is a URL: remote snippets are not fetched; copy it into the content")
            return []
        file = self.find(path)
        if file is None:
            report(line, f"snippet '{path}' not found in {' or '.join(b.name + '/' for b in self.bases)}")
            return []
        if file in stack:
            return []  # a snippet that includes itself: included once, as pymdownx does
        used.add(file)
        lines = _read(file)
        if section:
            lines = _section(lines, section)
            if lines is None:
                report(line, f"snippet '{path}' has no section '{section}' (mark it with --8<-- [start:{section}] and [end:{section}])")
                return []
        elif ranges:
            lines = _ranges(lines, ranges)
        return self._expand(lines, [line] * len(lines), (*stack, file), section is not None, used, report)

    def find(self, path: str) -> Path | None:
        for base in self.bases:
            if base.is_file():  # a base may name one file (pymdownx: base_path: [LICENSE.md]), found by its name
                if (base.parent / path).resolve() == base:
                    return base
                continue
            candidate = (base / path).resolve()
            if candidate.is_file() and candidate.is_relative_to(base):
                return candidate
        return None


def _target(spec: str) -> tuple[str, list[tuple[int | None, int | None]], str | None]:
    """`file.md:2:5,9:` -> (file.md, [(1, 5), (8, None)], None); `file.md:name` -> (file.md, [], name)."""
    path, numbers, section = TARGET.match(spec).groups()
    ranges = []
    for span in (numbers[1:].split(",") if numbers else []):
        start, _, end = span.partition(":")
        first = int(start) if start else None
        ranges.append((first if first is None or first < 0 else max(0, first - 1), int(end) if end else None))
    return path.strip(), ranges, section[1:] if section else None


def _ranges(lines: list[str], ranges) -> list[str]:
    total, picked = len(lines), []
    for start, end in ranges:
        start = max(total + start, 0) if start is not None and start < 0 else start
        end = min(max(total + 1 + end, 0), total) if end is not None and end < 0 else end
        picked += lines[start:end]
    return picked


def _section(lines: list[str], name: str) -> list[str] | None:
    """The lines between the section's start and end markers (other sections' markers left out), None if absent."""
    picked, inside, found = [], False, False
    for text in lines:
        marker = SECTION.match(text)
        if marker and not marker.group("escape"):
            if marker.group("name") == name and marker.group("kind").lower() == "start":
                inside = found = True
            elif marker.group("name") == name and inside:
                break
            continue
        if inside:
            picked.append(_unescape_section(marker) if marker else text)
    return picked if found else None


def _unescape_section(marker: re.Match) -> str:
    escape = marker.group("escape").replace(";", "", 1)
    return marker.group("pre") + escape + marker.group("marker") + marker.group("section") + marker.group("post")


def _read(file: Path) -> list[str]:
    text = file.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    return text.split("\n") if text else []
