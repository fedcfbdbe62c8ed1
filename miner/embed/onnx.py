"""ONNX Runtime backend for the sentence embedder (all-MiniLM-L6-v2, int8).

Runs with onnxruntime, tokenizers and numpy only: torch and sentence-transformers are
never imported, and nothing is unpickled (the model is an ONNX protobuf, the settings are
JSON). The model is exported by ``models/export_embedder.py`` into the package's
``miner/weights/embed/``; see ``models/embedder.md``. Session, tokenizer and worker threads
come from :mod:`miner.runtime`, shared with the sentiment/kind encoder.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from miner.embed.cache import EmbeddingCache, encode_cached
from miner.errors import ModelLoadError
from miner.runtime import (
    OnnxSession,
    load_session,
    load_tokenizer,
    resolve_threads,
    run_sharded,
    weights_path,
)

DEFAULT_EMBED_PATH = weights_path("embed")
DIMENSION = 384


def mean_pool_normalise(tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Attention-masked mean of token vectors, L2-normalised (sentence-transformers'
    ``Pooling(mean)`` + ``Normalize``). ``tokens``: (n, seq, dim); ``mask``: (n, seq)."""
    weights = mask[:, :, None].astype(np.float32)
    pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _read_config(folder: Path) -> dict:
    config_file = folder / "config.json"
    if not (folder / "model.onnx").is_file() or not config_file.is_file():
        raise ModelLoadError(
            f"no ONNX embedding model in {folder} (expected model.onnx and config.json); "
            "export it with: python models/export_embedder.py"
        )
    return json.loads(config_file.read_text())


class OnnxEmbedder:
    """Encode texts with the int8 ONNX export of all-MiniLM-L6-v2.

    Same contract as :class:`~miner.embed.SentenceTransformerEmbedder`: ``encode(list)``
    returns L2-normalised float32 vectors in input order; texts found in ``cache`` are not
    encoded again. Its ``model_id`` differs from the torch backend's, so the cache never
    mixes the two kinds of vectors. The model loads on first use.

    Texts are sorted by length and handed out ``batch_size`` at a time to ``threads``
    workers (default: one per CPU, :func:`miner.runtime.default_threads`); each worker
    runs **one sequence per ONNX call** (no padding). Dynamic int8 quantisation scales
    activations by the min/max of the whole call, so in a padded batch a text's vector
    would depend on its neighbours (cosine down to 0.984 between a text alone and the
    same text in a batch of 64) and cached vectors would depend on the order
    they were first seen in. One call per sequence keeps every vector a function of its
    text only, and on 2 cores it is also faster (about 780 vs 560 texts/s for padded
    batches of 64 with 2 intra-op threads).
    """

    def __init__(
        self,
        model_dir: str | Path | None = None,
        batch_size: int = 64,
        cache: EmbeddingCache | None = None,
        threads: int | None = None,
    ):
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.cache = cache
        self.threads = threads
        self._config: dict | None = None
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()

    @property
    def folder(self) -> Path:
        return Path(self.model_dir) if self.model_dir is not None else DEFAULT_EMBED_PATH

    @property
    def config(self) -> dict:
        if self._config is None:
            self._config = _read_config(self.folder)
        return self._config

    @property
    def model_id(self) -> str:
        """Cache key prefix: names the export and its quantisation, never the torch model."""
        return str(self.config.get("model_id", "onnx-int8:all-minilm-l6-v2"))

    @property
    def dimension(self) -> int:
        return int(self.config.get("dimension", DIMENSION))

    def _load(self) -> tuple[OnnxSession, object]:
        with self._lock:
            if self._session is None:
                # sentence-transformers truncates at max_seq_length (256), as here.
                max_length = int(self.config.get("max_seq_length", 256))
                try:
                    tokenizer = load_tokenizer(max_length=max_length)
                except Exception as exc:
                    raise ModelLoadError(f"could not load the embedder's tokenizer: {exc}") from exc
                self._session = load_session(self.folder / "model.onnx")
                self._tokenizer = tokenizer
        return self._session, self._tokenizer

    def _run(self, sequences: list[np.ndarray], indices: np.ndarray, out: np.ndarray) -> None:
        """Embed ``sequences[i]`` into ``out[i]`` for each ``i``, one sequence per call."""
        session = self._session
        for index in indices:
            (tokens,) = session.run(["token_embeddings"], sequences[index])
            out[index] = mean_pool_normalise(tokens, np.ones(tokens.shape[:2], dtype=np.int64))[0]

    def _embed(self, texts: list[str], show_progress: bool) -> np.ndarray:
        _, tokenizer = self._load()
        sequences = [np.asarray(e.ids, dtype=np.int64) for e in tokenizer.encode_batch(texts)]
        lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(texts))
        # Longest first: each worker takes the next texts when free, so they finish together.
        order = np.argsort(-lengths, kind="stable")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        workers = resolve_threads(self.threads)
        step = max(1, int(self.batch_size))
        progress = None
        if show_progress:
            from tqdm.auto import tqdm

            progress = tqdm(total=len(texts), desc="embedding (onnx)", unit="text")
        for start in range(0, len(order), step):
            batch = order[start : start + step]
            run_sharded(lambda shard: self._run(sequences, shard, out), batch, workers)
            if progress is not None:
                progress.update(len(batch))
        if progress is not None:
            progress.close()
        return out

    def encode(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        """Normalised float32 vectors, one row per text, in input order."""
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return encode_cached(
            texts,
            self.model_id,
            self.cache,
            lambda fresh: self._embed(fresh, show_progress),
            self.dimension,
        )
