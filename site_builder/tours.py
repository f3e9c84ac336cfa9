"""Guided tours: content/tours/*.yml, one tour per file, checked and compiled to the site's widgets/tours.json.

A tour names the pages it may run on (URL paths, `*` matching anything) and its steps; a step points at
an element by CSS `selector` or by `help_id` (then the element is `[data-help-id="..."]`, and the step's
title and text default to the title and summary of the article that lists that help id).
Every problem is collected as `path:line: message` before the build stops (docs/tours.md).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from .problems import Problems
from .records import Article

TOURS_FOLDER = "tours"
TOURS_JSON = Path("widgets") / "tours.json"
TOUR_FIELDS = ("id", "title", "pages", "steps", "show_once")
REQUIRED_TOUR_FIELDS = ("id", "title", "pages", "steps")
STEP_FIELDS = ("selector", "help_id", "title", "text", "placement", "page")
PLACEMENTS = ("top", "bottom", "left", "right")
TOUR_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # the events' identifier: tour_started names the tour by it


@dataclass(frozen=True)
class Step:
    selector: str
    title: str
    text: str
    placement: str | None
    page: str | None


@dataclass(frozen=True)
class Tour:
    id: str
    title: str
    pages: list[str]
    steps: list[Step]
    show_once: bool
    path: Path
    line: int

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "pages": self.pages, "show_once": self.show_once,
                "steps": [asdict(step) for step in self.steps]}


def is_tour_file(rel: Path) -> bool:
    """Whether a file of the content folder (relative path) is a tour: the build reads it, the site leaves it out."""
    return len(rel.parts) == 2 and rel.parts[0] == TOURS_FOLDER and rel.suffix in (".yml", ".yaml")


def tour_files(root: Path) -> list[Path]:
    folder = root / TOURS_FOLDER
    return sorted(p for p in folder.iterdir() if is_tour_file(p.relative_to(root))) if folder.is_dir() else []


def read_tours(root: Path, articles: list[Article], problems: Problems) -> list[Tour]:
    """Every tour of `root`/tours, checked against the help ids of `articles`; problems go to `problems`."""
    by_help_id = {help_id: article for article in articles for help_id in article.help_ids}
    tours: list[Tour] = []
    first: dict[str, Tour] = {}
    for path in tour_files(root):
        tour = _read_file(path, _Checker(path, problems, by_help_id))
        if tour is None:
            continue
        if tour.id in first:
            other = first[tour.id]
            problems.add(path, tour.line, f"duplicate tour id '{tour.id}': also the id of the tour in "
                                          f"{problems.display(other.path)}:{other.line}")
            continue
        first[tour.id] = tour
        tours.append(tour)
    return tours


def write_tours(site_dir: Path, tours: list[Tour]) -> Path:
    """The site's widgets/tours.json, which the widget reads: {"tours": [...]}."""
    target = site_dir / TOURS_JSON
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"tours": [t.as_json() for t in tours]}, indent=1, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    return target


def page_pattern(pattern: str) -> re.Pattern:
    """A page path pattern as a regular expression: `*` matches any run of characters, `/` included."""
    return re.compile("^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$")


def _read_file(path: Path, check: _Checker) -> Tour | None:
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        check.problem(mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', exc)}")
        return None
    if not isinstance(node, yaml.MappingNode):
        check.problem(node.start_mark.line + 1 if node else 1,
                      "a tour file holds one tour: a mapping with id, title, pages and steps")
        return None
    return check.tour(node)


class _Checker:
    """Reads one tour file's YAML nodes, reporting each problem at the line it is on."""

    def __init__(self, path: Path, problems: Problems, by_help_id: dict[str, Article]):
        self.path = path
        self.problems = problems
        self.by_help_id = by_help_id
        self.ok = True

    def problem(self, line: int, message: str) -> None:
        self.ok = False
        self.problems.add(self.path, line, message)

    def fields(self, node: yaml.MappingNode, allowed: tuple[str, ...], what: str) -> dict[str, yaml.Node]:
        found: dict[str, yaml.Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key)
            line = key.start_mark.line + 1
            if name not in allowed:
                hint = _did_you_mean(name, allowed)
                self.problem(line, f"unknown field '{name}' in {what}{hint} (allowed: {', '.join(allowed)})")
            elif name in found:
                self.problem(line, f"field '{name}' is given twice in {what}")
            else:
                found[name] = value
        return found

    def text(self, node: yaml.Node | None, name: str, what: str) -> str | None:
        if node is None:
            return None
        value = _scalar(node)
        if not isinstance(value, str) or not value.strip():
            self.problem(node.start_mark.line + 1, f"{what}: '{name}' must be text")
            return None
        return value.strip()

    def tour(self, node: yaml.MappingNode) -> Tour | None:
        fields = self.fields(node, TOUR_FIELDS, "a tour")
        line = node.start_mark.line + 1
        for name in REQUIRED_TOUR_FIELDS:
            if name not in fields:
                self.problem(line, f"missing field '{name}' (a tour needs {', '.join(REQUIRED_TOUR_FIELDS)})")
        tour_id = self.text(fields.get("id"), "id", "the tour")
        if tour_id and not TOUR_ID.match(tour_id):
            self.problem(fields["id"].start_mark.line + 1,
                         f"tour id '{tour_id}' must be 1 to 64 letters, digits, '-' or '_'")
        title = self.text(fields.get("title"), "title", "the tour")
        pages = self.pages(fields.get("pages"))
        show_once = self.flag(fields.get("show_once"), "show_once")
        steps = self.steps(fields.get("steps"), pages)
        if not self.ok or None in (tour_id, title, pages, steps):
            return None
        return Tour(tour_id, title, pages, steps, show_once, self.path, fields["id"].start_mark.line + 1)

    def pages(self, node: yaml.Node | None) -> list[str] | None:
        if node is None:
            return None
        items = node.value if isinstance(node, yaml.SequenceNode) else None
        values = [_scalar(item) for item in items or []]
        if not values or not all(isinstance(v, str) and v.startswith("/") for v in values):
            self.problem(node.start_mark.line + 1,
                         "pages must list URL paths starting with '/', where '*' matches anything, e.g. [/demo/*]")
            return None
        return values

    def flag(self, node: yaml.Node | None, name: str) -> bool:
        value = _scalar(node) if node is not None else False
        if not isinstance(value, bool):
            self.problem(node.start_mark.line + 1, f"'{name}' must be true or false")
            return False
        return value

    def steps(self, node: yaml.Node | None, pages: list[str] | None) -> list[Step] | None:
        if node is None:
            return None
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            self.problem(node.start_mark.line + 1, "steps must list at least one step (- selector: ..., title: ..., text: ...)")
            return None
        steps = [self.step(item, n, pages) for n, item in enumerate(node.value, start=1)]
        return None if None in steps else steps

    def step(self, node: yaml.Node, number: int, pages: list[str] | None) -> Step | None:
        what = f"step {number}"
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            self.problem(line, f"{what} must be a mapping with selector (or help_id), title and text")
            return None
        fields = self.fields(node, STEP_FIELDS, what)
        values = {name: self.text(fields.get(name), name, what) for name in STEP_FIELDS}
        selector = self.target(values, fields, what, line)
        title, text = self.words(values, fields, what, line)
        placement = values["placement"]
        if placement is not None and placement not in PLACEMENTS:
            self.problem(fields["placement"].start_mark.line + 1,
                         f"{what}: placement '{placement}' must be one of {', '.join(PLACEMENTS)}")
        page = values["page"]
        if page is not None and pages is not None and not _inside(page, pages):
            self.problem(fields["page"].start_mark.line + 1,
                         f"{what}: page '{page}' is outside the tour's pages ({', '.join(pages)})")
        if selector is None or title is None or text is None:
            return None
        return Step(selector, title, text, placement, page)

    def target(self, values: dict, fields: dict, what: str, line: int) -> str | None:
        selector, help_id = values["selector"], values["help_id"]
        if selector and help_id:
            self.problem(line, f"{what}: give selector or help_id, not both")
            return None
        if help_id:
            if help_id not in self.by_help_id:
                hint = _did_you_mean(help_id, tuple(self.by_help_id))
                self.problem(fields["help_id"].start_mark.line + 1,
                             f"{what}: unknown help id '{help_id}'{hint}: no published article lists it in help_ids")
                return None
            return f'[data-help-id="{help_id}"]'
        if not selector and "selector" not in fields and "help_id" not in fields:
            self.problem(line, f"{what}: missing field 'selector' (or 'help_id')")
        return selector

    def words(self, values: dict, fields: dict, what: str, line: int) -> tuple[str | None, str | None]:
        """The step's title and text: as written, else from the article of its help id (public ones only,
        because tours.json is a public file)."""
        article = self.by_help_id.get(values["help_id"] or "")
        if values["help_id"] and article is None:
            return None, None  # an unknown help id: reported once, by target()
        if article is not None and not article.public and not (values["title"] and values["text"]):
            self.problem(line, f"{what}: help id '{values['help_id']}' belongs to a restricted article, whose "
                               "words cannot go in the public tours.json; give the step its own title and text")
            return None, None
        found = []
        for name, default in (("title", article and article.title), ("text", article and article.summary)):
            value = values[name] or default or None
            if value is None and name not in fields:
                source = f" (the article of help id '{values['help_id']}' has no {name})" if article else ""
                self.problem(line, f"{what}: missing field '{name}'{source}")
            found.append(value)
        return found[0], found[1]


def _scalar(node: yaml.Node):
    if not isinstance(node, yaml.ScalarNode):
        return None
    return yaml.constructor.SafeConstructor().construct_object(node)


def _inside(page: str, pages: list[str]) -> bool:
    """Whether a step's page pattern falls within one of the tour's: an example path of it matches one."""
    example = page.replace("*", "x")
    return any(page_pattern(pattern).match(example) for pattern in pages)


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
