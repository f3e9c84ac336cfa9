"""The assistant on the evaluation questions: cited sources, declining, and its latency.

    python bench/chat_eval.py [--build build] [--latency-build DIR] [--requests 200] [--model]

Quality (extractive mode, in-process), on the calibration set (tests/eval/questions.yml) and on
a held-out set written without looking at the scores (tests/eval/questions-holdout.yml): for
answerable questions, the share whose cited sources include a relevant article; for
unanswerable ones, the share declined; and the trade-off curve of the decline threshold.
With --model, the answers come from Anthropic's API as the server would get them (the key, model
and address from ANTHROPIC_API_KEY, HELP_CENTER_LLM_MODEL and ANTHROPIC_BASE_URL): the figures are
then model mode's, whose declines are the gate's plus the model's NO_ANSWER. Latency (over HTTP, real server, no model
key, query cache off): time to the `sources` event and to the end of an extractive answer.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import httpx
import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.chat import Assistant, ChatRequest, ChatSettings  # noqa: E402
from api.config import serve_config  # noqa: E402
from api.help_center import HelpCenter, open_help_center  # noqa: E402
from api.tokens import ANONYMOUS, Caller  # noqa: E402
from bench.search_perf import percentile, queries_from, start_server  # noqa: E402

QUESTION_SETS = {
    "calibration": ROOT / "tests" / "eval" / "questions.yml",
    "held-out": ROOT / "tests" / "eval" / "questions-holdout.yml",
}
ADMIN = Caller(user="eval", tenant="eval", roles=frozenset({"admin"}))


def caller_for(q: dict) -> Caller:
    return ADMIN if q.get("restricted") else ANONYMOUS


async def run(assistant: Assistant, question: str, caller: Caller) -> dict:
    done, sources = {}, []
    async for name, data in assistant.answer(ChatRequest(question), caller):
        if name == "sources":
            sources = data["sources"]
        elif name == "done":
            done = data
    return {"sources": sources, **done}


def help_center(build: Path, data: Path, with_model: bool) -> HelpCenter:
    """The server's own wiring; model mode only when asked for (and a key is set)."""
    config = serve_config(["--build", str(build)], {**os.environ, "HELP_CENTER_DATA": str(data), "HELP_CENTER_RELOAD_SECONDS": "60",
                                                    "HELP_CENTER_RATE_LIMIT": "0"})
    if with_model and not config.anthropic_api_key:
        raise SystemExit("--model needs ANTHROPIC_API_KEY")
    # The figures are the calibrated gates' (ChatSettings), whatever the shell sets.
    config = replace(config, min_confidence=None, model_min_confidence=None)
    return open_help_center(config if with_model else replace(config, anthropic_api_key=None))


def quality(build: Path, with_model: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        center = help_center(build, Path(tmp), with_model)
        try:
            evaluate(center)
        finally:
            asyncio.run(center.close())


def evaluate(center: HelpCenter) -> None:
    assistant, settings, llm = center.assistant, center.assistant.settings, center.llm
    mode = f"model mode ({llm.settings.model}), gate {settings.model_min_confidence}" if llm else f"extractive mode, min_confidence {settings.min_confidence}"
    print(f"{mode}, build {center.holder.current.index.build_id[:12]}")
    confidences = {}
    for name, path in QUESTION_SETS.items():
        data = yaml.safe_load(path.read_text())
        report(name, assistant, data)
        confidences[name] = {kind: np.array([assistant.retrieve(q["q"], caller_for(q), None).confidence for q in data[kind]])
                             for kind in ("answerable", "unanswerable")}
    confidences["both"] = {kind: np.concatenate([c[kind] for c in confidences.values()]) for kind in ("answerable", "unanswerable")}
    tradeoff(confidences, settings)


def report(name: str, assistant: Assistant, data: dict) -> None:
    answerable = [(q, asyncio.run(run(assistant, q["q"], caller_for(q)))) for q in data["answerable"]]
    unanswerable = [(q, asyncio.run(run(assistant, q["q"], ANONYMOUS))) for q in data["unanswerable"]]
    answered = [(q, r) for q, r in answerable if r["answered"]]
    cited_ok = sum(bool({c["id"] for c in r["citations"]} & set(q["relevant"])) for q, r in answered)
    print(f"\n  {name} set: {len(answerable)} answerable and {len(unanswerable)} unanswerable questions")
    print(f"    of answered ones, cited sources include a relevant article: {cited_ok / max(len(answered), 1):6.1%}")
    print(f"    answerable questions whose citations are relevant:         {cited_ok / len(answerable):6.1%}")
    print(f"    unanswerable questions declined:                           {sum(not r['answered'] for _, r in unanswerable) / len(unanswerable):6.1%}")
    print(f"    answerable questions declined:                             {1 - len(answered) / len(answerable):6.1%}")
    high_right = sum(r["confidence"] == "high" and bool({c["id"] for c in r["citations"]} & set(q["relevant"])) for q, r in answered)
    print(f"    answerable answered with high confidence, citing a relevant article: {high_right / len(answerable):6.1%}")
    print(f"    unanswerable answered with high confidence:                {sum(r.get('confidence') == 'high' for _, r in unanswerable) / len(unanswerable):6.1%}"
          "  (bench/answer_calibration.py: every set)")


def tradeoff(confidences: dict, settings: ChatSettings) -> None:
    """Decline rates of each set at each confidence threshold."""
    print("\n  trade-off: share declined below the confidence threshold (answerable / unanswerable)")
    print(f"  {'threshold':>9} " + " ".join(f"{name:>22}" for name in confidences))
    for threshold in np.arange(0.40, 1.01, 0.025):
        cells = [f"{np.mean(c['answerable'] < threshold):>9.1%} / {np.mean(c['unanswerable'] < threshold):>8.1%}" for c in confidences.values()]
        print(f"  {threshold:>9.3f} " + " ".join(f"{cell:>22}" for cell in cells))
    print(f"  in use: min_confidence {settings.min_confidence} (extractive), model_min_confidence {settings.model_min_confidence} "
          "(model mode: the model declines the rest with NO_ANSWER)")


def latency(build: Path, requests: int) -> None:
    questions = queries_from(build, requests, seed=11)
    proc, url = start_server(build)
    to_sources, whole = [], []
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            for q in questions:
                started = time.perf_counter()
                with client.stream("POST", "/api/v1/chat", json={"question": q}) as response:
                    for line in response.iter_lines():
                        if line == "event: sources":
                            to_sources.append((time.perf_counter() - started) * 1000)
                whole.append((time.perf_counter() - started) * 1000)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print(f"\nchat latency over HTTP, {len(questions)} questions, extractive mode, query cache off:")
    print(f"  to the sources event: p50 {percentile(to_sources, 50):.1f} ms, p99 {percentile(to_sources, 99):.1f} ms")
    print(f"  whole answer:         p50 {percentile(whole, 50):.1f} ms, p99 {percentile(whole, 99):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--latency-build", type=Path, help="a large build to time answers on (default: --build)")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--model", action="store_true", help="answer with Anthropic's API (needs ANTHROPIC_API_KEY)")
    args = parser.parse_args()
    quality(args.build, args.model)
    latency(args.latency_build or args.build, args.requests)


if __name__ == "__main__":
    main()
