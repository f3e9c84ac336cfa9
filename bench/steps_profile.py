"""Where the chunk and index steps of the build spend their time (no embedding needed).

    python bench/steps_profile.py --articles 1000 [--project DIR]

On a generated corpus, times the pieces the build runs between loading and the site:
  - load: reading and validating the content (site_builder.content.load);
  - chunk: chunk_articles over every article, with the number of tokenizer calls it makes;
  - render: the article HTML stored in the index (site_builder.render.Renderer, one new
    markdown.Markdown per article, as the build does), and for comparison one Markdown
    instance reused with reset();
  - write_index (DuckDB tables + full-text index) and write_vectors (LanceDB) with random
    unit vectors in place of the embeddings.
Writes into a temporary folder under bench/out and removes it.
"""

from __future__ import annotations

import argparse
import inspect
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
CODE = Path(sys.argv[sys.argv.index("--project") + 1]).resolve() if "--project" in sys.argv[:-1] else PROJECT
sys.path.insert(0, str(CODE))
sys.path.insert(0, str(BENCH))

import markdown  # noqa: E402
import numpy as np  # noqa: E402

from build_bench import OUT, corpus  # noqa: E402
from site_builder.chunking import chunk_articles  # noqa: E402
from site_builder.content import load  # noqa: E402
from site_builder.embeddings import Embedder, default_model_path, default_tokenizer_path  # noqa: E402
from site_builder.fts import write_index  # noqa: E402
from site_builder.render import Renderer  # noqa: E402
from site_builder.vectors import write_vectors  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Time the load, chunk and index steps piece by piece.")
    p.add_argument("--articles", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--project", type=Path, default=PROJECT, help="tree whose site_builder to measure (default: this one)")
    args = p.parse_args(argv)
    content_dir, _ = corpus(args.articles, args.seed)
    figures: dict[str, float | int] = {}

    def timed(name, fn, *a):
        mark = time.perf_counter()
        value = fn(*a)
        figures[name] = round(time.perf_counter() - mark, 2)
        return value

    content = timed("load_and_validate", load, content_dir)
    embedder = timed("embedder_init", Embedder, default_model_path(), default_tokenizer_path())
    calls = 0
    count = embedder.count_tokens

    def counting(texts):
        nonlocal calls
        calls += 1
        return count(texts)

    chunks = timed("chunk", chunk_articles, content.articles, counting, 200)
    figures["chunks"], figures["tokenizer_calls"] = len(chunks), calls
    texts = [c.embedding_text() for c in chunks]
    timed("tokenize_all_chunk_texts_in_one_call", embedder.count_tokens, texts)

    renderer = timed("renderer_init", Renderer, CODE / "mkdocs.yml", content.articles)
    html = timed("render_html_new_markdown_per_article", lambda: {a.id: renderer.html(a) for a in content.articles})
    md = markdown.Markdown(extensions=renderer.extensions, extension_configs=renderer.configs)

    def reused():
        out = {}
        for a in content.articles:
            md.reset()
            out[a.id] = md.convert(a.body)
        return out
    timed("render_html_one_markdown_reused", reused)

    scratch = Path(tempfile.mkdtemp(prefix="steps-", dir=OUT))
    try:
        params = inspect.signature(write_index).parameters
        if "content" in params:  # write_index(path, content, chunks, html) since the rendered-HTML change
            timed("write_index_duckdb_fts", write_index, scratch / "index.duckdb", content, chunks, html)
        else:
            timed("write_index_duckdb_fts", write_index, scratch / "index.duckdb", content.articles, chunks,
                  content.categories, content.synonyms)
        vectors = np.random.default_rng(0).standard_normal((len(chunks), embedder.dimension)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        timed("write_vectors_lancedb", write_vectors, scratch / "vectors", chunks, vectors)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"{args.articles} articles, {figures['chunks']} chunks, code {CODE}")
    for name, value in figures.items():
        print(f"  {name:<40}{value:>10}{' s' if isinstance(value, float) else ''}")
    target = OUT / f"steps-{args.articles}.json"
    target.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"figures written to {target.relative_to(PROJECT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
