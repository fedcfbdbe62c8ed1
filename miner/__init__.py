"""miner: feedback mining for product teams.

Public API: :class:`FeedbackMiner`, :func:`load_run`, :data:`__version__`.
"""

from __future__ import annotations

import os

# No model hub at run time: every model comes from an installed package or a local path.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

__version__ = "0.1.0"

__all__ = ["FeedbackMiner", "load_run", "__version__"]


def __getattr__(name: str):
    # Lazy, so `import miner` (and `miner --help`) stays fast.
    if name == "FeedbackMiner":
        from miner.pipeline import FeedbackMiner

        return FeedbackMiner
    if name == "load_run":
        from miner.persist import load_run

        return load_run
    raise AttributeError(f"module 'miner' has no attribute {name!r}")
