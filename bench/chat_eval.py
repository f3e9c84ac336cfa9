"""The assistant on the evaluation questions: cited sources, declining, and its latency.

    python bench/chat_eval.py [--build build] [--latency-build DIR] [--requests 200]

Quality (extractive mode, in-process): for answerable questions, the share whose cited
sources include a relevant article; for unanswerable ones, the share declined; and the
trade-off curve of the two decline thresholds. Latency (over HTTP, real server, no model
key, query cache off): time to the `sources` event and to the end of an extractive answer.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.chat import Assistant, ChatRequest, ChatSettings  # noqa: E402
from api.conversations import Conversations  # noqa: E402
from api.holder import Holder  # noqa: E402
from api.store import Store  # noqa: E402
from api.tokens import ANONYMOUS, Caller  # noqa: E402
from bench.search_perf import percentile, queries_from, start_server  # noqa: E402
from site_builder.embeddings import Embedder, default_model_path, default_tokenizer_path  # noqa: E402

QUESTIONS = ROOT / "tests" / "eval" / "questions.yml"
ADMIN = Caller(user="eval", tenant="eval", roles=frozenset({"admin"}))


async def run(assistant: Assistant, question: str, caller: Caller) -> dict:
    done, sources = {}, []
    async for name, data in assistant.answer(ChatRequest(question), caller):
        if name == "sources":
            sources = data["sources"]
        elif name == "done":
            done = data
    return {"sources": sources, **done}


def quality(build: Path) -> None:
    data = yaml.safe_load(QUESTIONS.read_text())
    embedder = Embedder(default_model_path(), default_tokenizer_path())
    holder = Holder(build, embedder, 4096, 60)
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(holder, Store(Path(tmp)), Conversations(), None, ChatSettings())
        answerable = [(q, asyncio.run(run(assistant, q["q"], ADMIN if q.get("restricted") else ANONYMOUS))) for q in data["answerable"]]
        unanswerable = [(q, asyncio.run(run(assistant, q["q"], ANONYMOUS))) for q in data["unanswerable"]]
        answered = [(q, r) for q, r in answerable if r["answered"]]
        cited_ok = sum(bool({c["id"] for c in r["citations"]} & set(q["relevant"])) for q, r in answered)
        print(f"extractive mode, {len(answerable)} answerable and {len(unanswerable)} unanswerable questions, build {holder.current.index.build_id[:12]}")
        print(f"  answerable questions answered:                    {len(answered) / len(answerable):6.1%}")
        print(f"  of those, cited sources include a relevant article: {cited_ok / max(len(answered), 1):6.1%}")
        print(f"  answerable questions whose citations are relevant: {cited_ok / len(answerable):6.1%}")
        print(f"  unanswerable questions declined:                  {sum(not r['answered'] for _, r in unanswerable) / len(unanswerable):6.1%}")
        print(f"  answerable questions declined:                    {1 - len(answered) / len(answerable):6.1%}")
        tradeoff(assistant, data)


def tradeoff(assistant: Assistant, data: dict) -> None:
    """Decline rates of both sets at each confidence threshold."""
    def confidence(q: dict) -> float:
        return assistant.retrieve(q["q"], ADMIN if q.get("restricted") else ANONYMOUS, None).confidence

    a = np.array([confidence(q) for q in data["answerable"]])
    u = np.array([confidence(q) for q in data["unanswerable"]])
    print("\n  trade-off (decline below the confidence threshold):")
    print(f"  {'threshold':>9} {'answerable declined':>20} {'unanswerable declined':>22}")
    for threshold in np.arange(0.60, 1.21, 0.025):
        print(f"  {threshold:>9.2f} {np.mean(a < threshold):>20.1%} {np.mean(u < threshold):>22.1%}")
    print(f"  in use: {ChatSettings().min_confidence}")


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
    args = parser.parse_args()
    quality(args.build)
    latency(args.latency_build or args.build, args.requests)


if __name__ == "__main__":
    main()
