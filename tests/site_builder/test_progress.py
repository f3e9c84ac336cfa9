"""Someone waiting for a long build sees how far each step is: a bar on a terminal, a line every few seconds in CI logs."""

from __future__ import annotations

import io

import pytest

from site_builder.progress import Progress, duration, silent


class Clock:
    """The time the step sees, moved by the test: no sleeping."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_ci_log_gets_a_line_every_few_seconds_with_rate_and_time_left():
    clock, log = Clock(), io.StringIO()
    progress = Progress("embed", 50000, stream=log, clock=clock, every=5.0, unit="chunks")
    clock.now += 2
    progress.advance(600)
    assert log.getvalue() == "", "nothing before `every` seconds have passed"
    clock.now += 2
    progress.advance(640)
    clock.now += 1
    progress.advance(310)
    assert log.getvalue() == "embed: 1550/50000 chunks, 310/s, 2 min 36 s left\n"
    clock.now += 4.9
    progress.advance(1)
    assert log.getvalue().count("\n") == 1, "the next line only `every` seconds after the last"
    clock.now += 0.1
    progress.advance(1)
    assert log.getvalue().count("\n") == 2


def test_each_step_ends_with_one_line_saying_what_it_did():
    clock, log = Clock(), io.StringIO()
    with Progress("index", 10000, stream=log, clock=clock, unit="articles") as progress:
        for _ in range(100):
            clock.now += 0.01
            progress.advance(100)
    assert log.getvalue() == "index: 10000 articles in 1.0 s, 10000/s\n"


def test_a_terminal_gets_a_bar_redrawn_in_place_then_the_final_line():
    clock, terminal = Clock(), Terminal()
    progress = Progress("embed", 400, stream=terminal, clock=clock, unit="chunks")
    clock.now += 10
    progress.advance(100)
    drawn = terminal.getvalue()
    assert drawn.startswith("\rembed [") and "\n" not in drawn
    assert "#" in drawn and "100/400 chunks, 10/s, 30.0 s left" in drawn
    clock.now += 30
    progress.advance(300)
    progress.close()
    last = terminal.getvalue().rsplit("\r", 1)[1]
    assert last == "embed: 400 chunks in 40.0 s, 10/s\x1b[K\n"


def test_an_interrupted_step_ends_the_bar_line_and_prints_no_summary():
    clock, terminal = Clock(), Terminal()
    with pytest.raises(KeyboardInterrupt):
        with Progress("embed", 400, stream=terminal, clock=clock, unit="chunks") as progress:
            clock.now += 1
            progress.advance(10)
            raise KeyboardInterrupt
    assert terminal.getvalue().endswith("\n") and " in " not in terminal.getvalue()


def test_quiet_counts_without_printing():
    progress = silent("embed", 10, unit="chunks")
    progress.advance(10)
    progress.close()
    assert progress.done == 10


@pytest.mark.parametrize("seconds, text", [(0.04, "0.0 s"), (12.34, "12.3 s"), (157, "2 min 37 s"), (3900, "1 h 05 min")])
def test_durations_read_like_a_person_says_them(seconds, text):
    assert duration(seconds) == text
