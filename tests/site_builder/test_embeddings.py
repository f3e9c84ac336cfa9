"""The embedding model comes from installed packages and puts questions near their answers."""

from __future__ import annotations

import numpy as np
import pytest

from site_builder.embeddings import Embedder, EmbeddingCache, ModelError, default_model_path


def test_vectors_are_normalised_and_meaningful(embedder):
    vectors = embedder.embed(["How do I reset my password?", "Resetting a forgotten password", "Boiler pressure is too low"])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_query_embedding_matches_batch_embedding(embedder):
    batch = embedder.embed(["a short one", "schedule preventive maintenance for the chiller every quarter"])
    single = embedder.embed_query("schedule preventive maintenance for the chiller every quarter")
    assert float(single @ batch[1]) > 0.9999


def test_cache_survives_reopening_and_is_keyed_by_model(tmp_path):
    cache = EmbeddingCache(tmp_path / "e.duckdb", "model-a")
    cache.put("k1", np.arange(4, dtype=np.float32))
    cache.save()
    assert np.array_equal(EmbeddingCache(tmp_path / "e.duckdb", "model-a").get("k1"), np.arange(4, dtype=np.float32))
    assert EmbeddingCache(tmp_path / "e.duckdb", "model-b").get("k1") is None


def test_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        Embedder(tmp_path / "nope.onnx", default_model_path())
