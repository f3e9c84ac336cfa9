"""Problems found in content: collected all at once, reported as `path:line: message`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        # A file name may hold a line break or another control character: shown escaped, one problem stays one line.
        path = CONTROL.sub(lambda m: repr(m.group())[1:-1], self.path)
        return f"{path}:{self.line}: {prefix}{self.message}"


@dataclass
class Problems:
    """Collects problems for one run; `root` makes paths relative, as an author sees them."""

    root: Path
    items: list[Problem] = field(default_factory=list)

    def add(self, path: Path, line: int, message: str, warning: bool = False) -> None:
        self.items.append(Problem(self.display(path), max(line, 1), message, warning))

    def display(self, path: Path) -> str:
        try:
            return str(Path(self.root.name) / path.relative_to(self.root))
        except ValueError:
            return str(path)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if not p.warning)

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.warning)


class ContentError(Exception):
    """The content has errors; the build stops before writing anything."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
