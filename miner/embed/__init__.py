"""Sentence embeddings: one batch call for many texts, cached on disk."""

from miner.embed.base import PACKAGED_MODELS, Embedder, resolve_model_path
from miner.embed.cache import EmbeddingCache, default_cache_dir
from miner.embed.sentence_transformers import SentenceTransformerEmbedder
from miner.errors import ModelLoadError

__all__ = [
    "Embedder",
    "EmbeddingCache",
    "SentenceTransformerEmbedder",
    "default_cache_dir",
    "make_embedder",
    "resolve_model_path",
]


def make_embedder(
    model: str, batch_size: int = 64, cache_dir: str | None = None, backend: str = "auto"
) -> Embedder:
    """Build the configured embedder (the cache wraps whichever backend is used).

    ``backend="onnx"``: the int8 ONNX export of all-MiniLM-L6-v2 in ``miner/weights/embed/``
    (no torch); it only covers the packaged all-MiniLM-L6-v2, so ``model`` must name it.
    ``"auto"`` (default) uses it for that model and sentence-transformers otherwise.
    """
    cache = EmbeddingCache(cache_dir) if cache_dir != "" else None
    if backend == "auto":
        backend = "onnx" if model.casefold() in PACKAGED_MODELS else "torch"
    if backend == "onnx":
        if model.casefold() not in PACKAGED_MODELS:
            raise ModelLoadError(
                f"the onnx embedding backend only ships all-MiniLM-L6-v2, not '{model}'; "
                "use backend 'torch' for other sentence-transformers models"
            )
        from miner.embed.onnx import OnnxEmbedder

        return OnnxEmbedder(batch_size=batch_size, cache=cache)
    if backend != "torch":
        raise ModelLoadError(
            f"unknown embedding backend '{backend}'; use 'auto', 'torch' or 'onnx'"
        )
    return SentenceTransformerEmbedder(model=model, batch_size=batch_size, cache=cache)
