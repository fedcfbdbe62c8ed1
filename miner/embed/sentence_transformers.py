"""sentence-transformers backend (CPU), with the on-disk cache in front of it."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

from miner.embed.base import resolve_model_path
from miner.embed.cache import EmbeddingCache, encode_cached
from miner.errors import ModelLoadError


class SentenceTransformerEmbedder:
    """Encode texts with a sentence-transformers model, loaded lazily and offline.

    ``encode`` takes a whole list: the library sorts by length and batches; only
    texts missing from the cache are encoded.
    """

    def __init__(self, model: str, batch_size: int = 64, cache: EmbeddingCache | None = None):
        self.model = model
        self.batch_size = batch_size
        self.cache = cache
        self.model_id = f"st:{model}"
        self._model = None

    def _load(self):
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            path = resolve_model_path(self.model)
            try:
                self._model = SentenceTransformer(path, device="cpu")
            except Exception as exc:
                raise ModelLoadError(
                    f"cannot load embedding model '{self.model}' ({exc.__class__.__name__}); "
                    "give a local sentence-transformers folder or an installed packaged model "
                    "(no model hub is used)"
                ) from exc
        return self._model

    @property
    def dimension(self) -> int:
        return int(self._load().get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Normalised float32 vectors, one row per text, in input order."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return encode_cached(
            texts,
            self.model_id,
            self.cache,
            lambda fresh: self._load().encode(
                fresh,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=show_progress,
                convert_to_numpy=True,
            ),
        )
