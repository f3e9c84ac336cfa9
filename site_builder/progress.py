"""Progress of a long build step: a bar on a terminal, a line every few seconds elsewhere (CI logs).

A cold build of 10,000 articles spends about 15 minutes embedding; without this it prints nothing
until it ends. Each step ends with one line saying how much it did and how long it took.
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable
from typing import TextIO

from mkdocs.plugins import BasePlugin

REDRAW = 0.2  # seconds between two redraws of a terminal bar: often enough to look live, rarely enough to cost nothing


class Progress:
    """Counts the work of one step (`advance`) and shows it on `stream`; `close` prints the step's last line.

    As a context manager it closes on success and, on an exception (Ctrl-C), only ends the bar's line so
    whatever is printed next starts on a fresh one."""

    def __init__(self, step: str, total: int, stream: TextIO | None = sys.stderr, clock: Callable[[], float] = time.monotonic,
                 every: float = 5.0, unit: str = ""):
        self.step, self.total, self.stream, self.clock, self.every = step, total, stream, clock, every
        self.unit = f" {unit}" if unit else ""
        self.done = 0
        self.started = clock()
        self.shown = self.started  # when the last line or bar was drawn
        self.bar = _is_terminal(stream)
        self.drawn = False  # a bar is on the terminal's current line
        if self.bar and total:
            self._draw()

    def advance(self, n: float = 1) -> None:
        self.done += n
        if self.stream is None:
            return
        now = self.clock()
        if now - self.shown >= (REDRAW if self.bar else self.every) and self.done < self.total:
            self.shown = now
            if self.bar:
                self._draw()
            else:
                self._print(self.line(now))

    def close(self) -> None:
        if self.stream is None:
            return
        elapsed = self.clock() - self.started
        rate = f", {_rate(self.done / elapsed)}/s" if elapsed > 0 and self.done else ""
        self._print(f"{self.step}: {self.done:.0f}{self.unit} in {duration(elapsed)}{rate}")

    def line(self, now: float) -> str:
        """`embed: 1200/50000 chunks, 310/s, 2 min 37 s left` (the rate and time left once something is done)."""
        elapsed = now - self.started
        text = f"{self.step}: {self.done:.0f}/{self.total}{self.unit}"
        if self.done and elapsed > 0:
            rate = self.done / elapsed
            text += f", {_rate(rate)}/s, {duration(max(self.total - self.done, 0) / rate)} left"
        return text

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        elif self.drawn:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        width = shutil.get_terminal_size().columns
        text = self.line(self.clock()).split(": ", 1)[1]
        widest = len(f"{self.total}/{self.total}{self.unit}, 1000/s, 59 min 59 s left")  # so the bar keeps its length
        room = max(width - len(self.step) - max(len(text), widest) - 4, 0)
        filled = round(room * min(self.done / self.total, 1)) if self.total else room
        bar = f" [{'#' * filled}{'.' * (room - filled)}]" if room >= 10 else ""
        self.stream.write(f"\r{self.step}{bar} {text}"[: width] + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def _print(self, text: str) -> None:
        self.stream.write(("\r" + text + "\x1b[K" if self.drawn else text) + "\n")
        self.stream.flush()
        self.drawn = False


def _is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # a closed or minimal stream
        return False


def _rate(per_second: float) -> str:
    return f"{per_second:.0f}" if per_second >= 10 else f"{per_second:.1f}"


def duration(seconds: float) -> str:
    """`12.3 s`, `2 min 37 s`, `1 h 05 min`: as precise as a person waiting needs."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def silent(step: str, total: int, unit: str = "") -> Progress:
    """A Progress that counts but shows nothing (`--quiet`)."""
    return Progress(step, total, stream=None, unit=unit)


class PageProgress(BasePlugin):
    """The site step's progress, from mkdocs' own events: every page is first read (Markdown to HTML), then written.

    `start(step, total)` makes the Progress of each half."""

    def __init__(self, start: Callable[[str, int], Progress]):
        super().__init__()
        self.start = start
        self.pages = 0
        self.counter: Progress | None = None

    def on_files(self, files, config):
        self.pages = len(files.documentation_pages())
        self.counter = self.start("site markdown", self.pages)
        return files

    def on_page_content(self, html, page, config, files):
        self.counter.advance()
        return html

    def on_env(self, env, config, files):
        self.counter.close()
        self.counter = self.start("site html", self.pages)
        return env

    def on_post_page(self, output, page, config):
        self.counter.advance()
        return output

    def on_post_build(self, config):
        self.counter.close()
