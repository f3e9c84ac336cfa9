"""Does the product screen a question is asked from pull the assistant's sources off the right article?

    .venv/bin/python bench/context_eval.py [--build build]

The widgets send the reader's screen (`current_url`) with every question, and most questions are about
something else. For each evaluation set (tests/eval/questions*.yml, answerable questions), prints the share of
questions whose first source is one of their relevant articles, asked from no screen and from four product
screens that some articles name in their `contexts` (so those articles get the context boost), with the
page context as the assistant applies it and with it off (context_boost 1.0).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.chat_eval import QUESTION_SETS, caller_for, help_center  # noqa: E402

SCREENS = (None, "/work-orders/new", "/ppm/calendar", "/checkpoints", "/dashboard")


def top_source_rate(assistant, questions: list[dict], screen: str | None) -> float:
    hits = 0
    for q in questions:
        found = assistant.retrieve(q["q"], caller_for(q), screen)
        hits += bool(found.passages) and found.passages[0].article.id in q["relevant"]
    return hits / len(questions)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    args = parser.parse_args()
    center = help_center(args.build, Path(tempfile.mkdtemp()), False)
    assistant, applied = center.assistant, center.assistant.settings
    print(f"{'set':<12} {'context':<10} " + " ".join(f"{s or 'no screen':>17}" for s in SCREENS))
    try:
        for name, path in QUESTION_SETS.items():
            questions = yaml.safe_load(path.read_text(encoding="utf-8"))["answerable"]
            for label, settings in (("applied", applied), ("off", dataclasses.replace(applied, context_boost=1.0))):
                assistant.settings = settings
                rates = [top_source_rate(assistant, questions, s) for s in SCREENS]
                print(f"{name:<12} {label:<10} " + " ".join(f"{r:>17.3f}" for r in rates), flush=True)
    finally:
        assistant.settings = applied
        asyncio.run(center.close())


if __name__ == "__main__":
    main()
