"""How often the assistant answers with high confidence, on every question set we have, in extractive mode.

    python bench/answer_calibration.py [--build build] [--sets stackfaq,starlette,pymdown[,scifact]] [--reuse-builds] [--signals FILE]

The `done` event's `confidence` must mean something on docs nobody here wrote, so it is checked
on several corpora at once, never one:

- the help center's own questions (tests/eval/questions.yml and the held-out questions-holdout.yml,
  answerable and unanswerable), asked of `--build` (a build of content/);
- the foreign sets of bench/foreign_eval.py, built as it builds them (under bench/out/foreign/):
  StackFAQ (1,249 paraphrased questions, each answered by its thread), Starlette's and PyMdown
  Extensions' docs (real users' issue titles, judged against the page that answers them), SciFact;
- out-of-domain: every corpus asked a sample of up to 100 questions of each other set, which it must
  decline or answer only at low confidence.

Per set it prints: of answerable questions, the share answered with high confidence whose citations
include a relevant article (targets: >= 70% on the help center's sets, >= 85% on foreign ones);
of unanswerable ones, the share answered with high confidence (target <= 10%); of out-of-domain
ones, the share declined or answered at low confidence (target >= 95%). An answer without a
`confidence` (before it existed) counts as high when it answered. `--signals FILE` also writes
every question's retrieval signals (Retrieval.signals) as JSON lines, to study the thresholds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.chat import Assistant  # noqa: E402
from api.help_center import HelpCenter  # noqa: E402
from bench import foreign_eval  # noqa: E402
from bench.chat_eval import QUESTION_SETS, caller_for, help_center, run  # noqa: E402

FOREIGN = ("stackfaq", "starlette", "pymdown")  # bench/foreign_eval.py's sets, built as it builds them; add scifact with --sets
OUT_OF_DOMAIN_SAMPLE = 100  # questions taken from each other corpus


@dataclass
class QuestionSet:
    name: str
    corpus: str  # which build answers it
    answerable: list[dict] = field(default_factory=list)  # {"q", "relevant", "restricted"?}
    unanswerable: list[dict] = field(default_factory=list)  # questions the corpus does not answer
    out_of_domain: bool = False  # questions of another corpus: "unanswerable" must be declined or low


@dataclass
class Corpus:
    name: str
    build: Path
    key: Callable  # Article -> what `relevant` names (an id, or a path for docs sites)


def help_center_sets() -> list[QuestionSet]:
    sets = []
    for name, path in QUESTION_SETS.items():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sets.append(QuestionSet(f"help center, {name}", "help-center", data["answerable"], data["unanswerable"]))
    return sets


def foreign(names: list[str], reuse: bool) -> tuple[list[Corpus], list[QuestionSet]]:
    corpora, sets = [], []
    for name in names:
        s = foreign_eval.SETS[name]()
        corpora.append(Corpus(name, foreign_eval.build(s, reuse), s.key))
        sets.append(QuestionSet(name, name, [{"q": q.text, "relevant": list(q.judged), "restricted": q.restricted} for q in s.queries]))
    return corpora, sets


def sample(questions: list[dict], n: int) -> list[dict]:
    step = max(1, len(questions) // n)
    return [{"q": q["q"]} for q in questions[::step][:n]]


def out_of_domain_sets(corpora: list[Corpus], sets: list[QuestionSet]) -> list[QuestionSet]:
    """Every corpus asked a sample of every other corpus's questions."""
    found = []
    for corpus in corpora:
        others = [q for s in sets if s.corpus != corpus.name for q in sample(s.answerable + s.unanswerable, OUT_OF_DOMAIN_SAMPLE)]
        asked = sorted({s.corpus for s in sets if s.corpus != corpus.name})
        found.append(QuestionSet(f"out-of-domain: {', '.join(asked)} questions of {corpus.name}", corpus.name,
                                 unanswerable=others, out_of_domain=True))
    return found


def ask(assistant: Assistant, q: dict) -> dict:
    return asyncio.run(run(assistant, q["q"], caller_for(q)))


def confident(result: dict) -> bool:
    return bool(result.get("answered")) and result.get("confidence", "high") == "high"


def signals(assistant: Assistant, q: dict) -> dict:
    found = assistant.retrieve(q["q"], caller_for(q), None)
    return {"confidence": round(found.confidence, 4), **found.signals}


def evaluate(center: HelpCenter, corpus: Corpus, qs: QuestionSet, dump) -> list[str]:
    assistant = center.assistant
    keys = {a.id: corpus.key(a) for a in center.holder.current.index.articles}
    lines = [f"{qs.name}: {len(qs.answerable)} answerable, {len(qs.unanswerable)} "
             f"{'out-of-domain' if qs.out_of_domain else 'unanswerable'} questions"]
    if qs.answerable:
        results = [(q, ask(assistant, q)) for q in qs.answerable]
        relevant = [bool({keys.get(c["id"]) for c in r.get("citations", [])} & set(q["relevant"])) for q, r in results]
        high_right = sum(confident(r) and ok for (_, r), ok in zip(results, relevant))
        answered_right = sum(bool(r.get("answered")) and ok for (_, r), ok in zip(results, relevant))
        high = sum(confident(r) for _, r in results)
        target = "70%" if corpus.name == "help-center" else "85%"
        lines.append(f"  answerable answered with high confidence and a relevant citation: {high_right / len(results):6.1%}  (target >= {target})")
        lines.append(f"    answered at all with a relevant citation: {answered_right / len(results):6.1%}; "
                     f"high confidence at all: {high / len(results):6.1%}")
        for (q, r), ok in zip(results, relevant):
            dump(qs, q, "answerable", r, ok, assistant)
    if qs.unanswerable:
        results = [(q, ask(assistant, {"q": q["q"]})) for q in qs.unanswerable]
        high = sum(confident(r) for _, r in results) / len(results)
        declined = sum(not r.get("answered") for _, r in results) / len(results)
        if qs.out_of_domain:
            lines.append(f"  out-of-domain declined or answered at low confidence:            {1 - high:6.1%}  (target >= 95%)")
        else:
            lines.append(f"  unanswerable answered with high confidence:                      {high:6.1%}  (target <= 10%)")
        lines.append(f"    declined outright: {declined:6.1%}")
        for q, r in results:
            dump(qs, q, "out-of-domain" if qs.out_of_domain else "unanswerable", r, False, assistant)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="the help center's build (of content/)")
    parser.add_argument("--sets", default=",".join(FOREIGN), help=f"foreign sets of bench/foreign_eval.py (default {','.join(FOREIGN)})")
    parser.add_argument("--reuse-builds", action="store_true", help="skip rebuilding foreign sets already built")
    parser.add_argument("--signals", type=Path, help="write each question's retrieval signals here (JSON lines)")
    args = parser.parse_args()
    corpora, sets = foreign([n for n in args.sets.split(",") if n], args.reuse_builds)
    corpora.insert(0, Corpus("help-center", args.build, lambda a: a.id))
    sets = help_center_sets() + sets
    sets += out_of_domain_sets(corpora, sets)
    out = args.signals.open("w", encoding="utf-8") if args.signals else None

    def dump(qs: QuestionSet, q: dict, kind: str, result: dict, relevant: bool, assistant: Assistant) -> None:
        if out:
            row = {"set": qs.name, "kind": kind, "q": q["q"], "answered": result.get("answered"),
                   "high": confident(result), "relevant": relevant, **signals(assistant, q)}
            out.write(json.dumps(row) + "\n")

    print("extractive mode (no model key)")
    for corpus in corpora:
        with tempfile.TemporaryDirectory() as tmp:
            center = help_center(corpus.build, Path(tmp), with_model=False)
            try:
                print(f"\n{corpus.name}: build {center.holder.current.index.build_id[:12]} at {corpus.build}")
                for qs in (s for s in sets if s.corpus == corpus.name):
                    print("\n".join(evaluate(center, corpus, qs, dump)), flush=True)
            finally:
                asyncio.run(center.close())
    if out:
        out.close()


if __name__ == "__main__":
    main()
