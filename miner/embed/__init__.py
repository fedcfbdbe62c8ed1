"""Sentence embeddings: one batch call for many texts, cached on disk."""

from miner.embed.base import Embedder, resolve_model_path
from miner.embed.cache import EmbeddingCache, default_cache_dir
from miner.embed.sentence_transformers import SentenceTransformerEmbedder

__all__ = [
    "Embedder",
    "EmbeddingCache",
    "SentenceTransformerEmbedder",
    "default_cache_dir",
    "make_embedder",
    "resolve_model_path",
]


def make_embedder(
    model: str, batch_size: int = 64, cache_dir: str | None = None, backend: str = "torch"
) -> Embedder:
    """Build the configured embedder (the cache wraps whichever backend is used)."""
    cache = EmbeddingCache(cache_dir) if cache_dir != "" else None
    return SentenceTransformerEmbedder(model=model, batch_size=batch_size, cache=cache)
