"""On-disk embedding cache keyed by (model, text hash), in SQLite.

SQLite is in the standard library, safe to read (no code in the file) and copes
with several processes; vectors are stored as raw float32 bytes.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np


def default_cache_dir() -> Path:
    """``$MINER_CACHE_DIR``, else ``$XDG_CACHE_HOME/miner``, else ``~/.cache/miner``."""
    if os.environ.get("MINER_CACHE_DIR"):
        return Path(os.environ["MINER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "miner"


def text_key(model_id: str, text: str) -> str:
    return hashlib.blake2b(f"{model_id}\x00{text}".encode(), digest_size=16).hexdigest()


class EmbeddingCache:
    """Get and put vectors by (model, text). A broken or read-only cache is skipped."""

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory) if directory else default_cache_dir()
        self._connection: sqlite3.Connection | None = None
        self.disabled = False

    def _connect(self) -> sqlite3.Connection | None:
        if self.disabled:
            return None
        if self._connection is None:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.directory / "embeddings.sqlite", timeout=30)
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)"
                )
                self._connection = connection
            except (OSError, sqlite3.Error):
                # A cache is an optimisation: never fail a fit because of it.
                self.disabled = True
                return None
        return self._connection

    def get(
        self, model_id: str, texts: Sequence[str], dim: int | None = None
    ) -> dict[int, np.ndarray]:
        """Vectors found for ``texts``, by position."""
        connection = self._connect()
        if connection is None or not texts:
            return {}
        keys = [text_key(model_id, t) for t in texts]
        position: dict[str, list[int]] = {}
        for index, key in enumerate(keys):
            position.setdefault(key, []).append(index)
        found: dict[int, np.ndarray] = {}
        unique = list(position)
        try:
            for begin in range(0, len(unique), 900):
                chunk = unique[begin : begin + 900]
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if dim is not None and vector.shape[0] != dim:
                        continue
                    for index in position[key]:
                        found[index] = vector
        except sqlite3.Error:
            return {}
        return found

    def put(self, model_id: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        connection = self._connect()
        if connection is None:
            return
        rows = [
            (text_key(model_id, t), np.ascontiguousarray(v, dtype=np.float32).tobytes())
            for t, v in zip(texts, vectors, strict=True)
        ]
        try:
            with connection:
                connection.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
        except sqlite3.Error:
            self.disabled = True

    def delete(self, model_id: str, texts: Sequence[str]) -> int:
        """Remove the vectors of ``texts`` (by ``model_id``); returns how many were there.

        Used to forget a customer (``miner forget``): their texts' vectors leave the cache.
        """
        connection = self._connect()
        if connection is None or not texts:
            return 0
        keys = sorted({text_key(model_id, t) for t in texts})
        removed = 0
        # Overwrite the deleted rows' bytes, so the vectors do not linger in free pages.
        connection.execute("PRAGMA secure_delete = ON")
        with connection:
            for begin in range(0, len(keys), 900):
                chunk = keys[begin : begin + 900]
                marks = ",".join("?" * len(chunk))
                cursor = connection.execute(f"DELETE FROM vectors WHERE key IN ({marks})", chunk)
                removed += cursor.rowcount
        return removed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def encode_cached(
    texts: Sequence[str],
    model_id: str,
    cache: EmbeddingCache | None,
    embed: Callable[[list[str]], np.ndarray],
    dim: int | None = None,
) -> np.ndarray:
    """Vectors of ``texts`` in input order: from ``cache`` when there, else ``embed``.

    ``embed`` runs once, on each distinct text the cache lacks (a text repeated in one
    call, e.g. a job motivation many comments share, is encoded once); what it returns
    goes into the cache. ``texts`` must not be empty.
    """
    found = cache.get(model_id, texts, dim) if cache is not None else {}
    missing = [i for i in range(len(texts)) if i not in found]
    vectors: np.ndarray | None = None
    if missing:
        distinct = list(dict.fromkeys(texts[i] for i in missing))
        fresh = np.asarray(embed(distinct), dtype=np.float32)
        where = {text: k for k, text in enumerate(distinct)}
        vectors = np.empty((len(texts), fresh.shape[1]), dtype=np.float32)
        vectors[missing] = fresh[[where[texts[i]] for i in missing]]
        if cache is not None:
            cache.put(model_id, distinct, fresh)
    for index, vector in found.items():
        if vectors is None:
            vectors = np.empty((len(texts), vector.shape[0]), dtype=np.float32)
        vectors[index] = vector
    assert vectors is not None
    return vectors
